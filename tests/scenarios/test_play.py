"""`webcare play`: a scenario played in the terminal, replies piped in."""

from __future__ import annotations

import functools
import io

from scenarios.authoring import PlayOptions, play
from scoring import score_reply
from trainer.cli import main


def test_play_piped_replies_reach_the_end_state(offline_checker):
    replies = io.StringIO(
        "/hint\n"
        "Hoi, wat vervelend voor je! Ik zoek het uit. Stuur ons een DM met je reisgegevens. ^Mark\n"
        "/press_office Ik zet je door naar de persvoorlichting. ^Mark\n"
    )
    out = io.StringIO()
    conversation = play(PlayOptions("nl-nedspoor-dreigt-viral", "twitter", seed=7, seconds=50), replies, out,
                        functools.partial(score_reply, checker=offline_checker))
    text = out.getvalue()
    assert conversation.ended
    assert "modelantwoord:" in text, "/hint shows the model answer"
    assert "score " in text and "substance" in text, "each reply shows its scorecard summary"
    assert f"einde: Publieke ophef ({conversation.outcome}" in text or "einde: Verder in een privégesprek" in text
    assert "bereik:" in text
    assert conversation.persona["handle"] in text


def test_play_refuses_an_action_the_scenario_does_not_offer(offline_checker):
    out = io.StringIO()
    conversation = play(PlayOptions("nl-vlucht-geannuleerd-schiphol", "twitter", seed=1, seconds=30),
                        io.StringIO("/press_office Hallo\n"), out, functools.partial(score_reply, checker=offline_checker))
    assert "! 'press_office' is not an action in this scenario" in out.getvalue()
    assert conversation.state == "start"
    assert "(einde invoer)" in out.getvalue()


def test_play_cli_runs_a_scenario_from_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "Hi, I'm sorry, six weeks is far too long. I've forwarded it to our press office. ^Tom\n"))
    code = main(["play", "en-zekerverzekerd-bike-claim", "--medium", "facebook_comment", "--seed", "3",
                 "--seconds", "60"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Six weeks waiting on a stolen e-bike claim" in out
    assert "customer:" in out and "score " in out


def test_play_cli_unknown_scenario_or_medium_is_a_usage_error(capsys):
    assert main(["play", "nl-bestaat-niet"]) == 2
    assert "unknown scenario" in capsys.readouterr().err
    assert main(["play", "nl-vlucht-geannuleerd-schiphol", "--medium", "email"]) == 2
    assert "not 'email'" in capsys.readouterr().err
