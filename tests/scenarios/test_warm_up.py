"""The scenario engine's warm-up: first replies to many scenarios at once in a cold process."""

import json
import subprocess
import sys
import textwrap

import scenarios

PLAY_EVERY_FIRST_TURN = textwrap.dedent('''
    import concurrent.futures, json, sys
    import scenarios
    from scoring import score_reply
    from scoring.languagetool import GrammarChecker, LanguageToolSettings

    offline = GrammarChecker(LanguageToolSettings(enabled=False))
    chosen = [s for language in ("nl", "en") for s in scenarios.catalogue(language)]

    def first_turn(scenario):
        conversation = scenarios.start(scenario.id, scenario.media[0], seed=3)
        reply = conversation.fill(conversation.scenario.states["start"].model_answer)
        card = score_reply(reply, conversation.context_for_reply(queue_seconds=1.0), checker=offline)
        conversation.reply(reply, card)
        return [scenario.id, card.total, conversation.state, conversation.pending_customer_messages]

    if sys.argv[1] == "warm":
        for language in ("nl", "en"):
            scenarios.warm_up(language)
    threads = int(sys.argv[2])
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        print(json.dumps(sorted(pool.map(first_turn, chosen))))
''')


def play(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", PLAY_EVERY_FIRST_TURN, *args], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_warm_up_then_every_scenario_answered_at_once_plays_as_when_played_one_by_one():
    one_by_one = play("cold", "1")
    turns = json.loads(one_by_one)
    assert len(turns) == len(scenarios.catalogue("nl")) + len(scenarios.catalogue("en")) >= 40
    assert sum(state != "start" for _, _, state, _ in turns) > len(turns) / 2  # the model answers moved them on
    assert play("warm", "16") == one_by_one
    assert play("cold", "16") == one_by_one  # scoring's own lock keeps even a cold start right
