"""Scoring latency with the local LanguageTool warm: p50/p95 for 200 tweet-length and 50
e-mail-length Dutch replies, and the ratio to LanguageTool's own check time on the same texts.

Targets (issue 3): tweet-length p95 <= 150 ms; ratio <= 1.3. Run: `make bench`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from faker import Faker  # noqa: E402

from bench.report import median, percentile, write_section  # noqa: E402
from scoring import ReplyContext, score_reply  # noqa: E402
from scoring.languagetool import default_checker  # noqa: E402

RUNS = 5

OPENINGS = ["Hoi {name},", "Hallo {name},", "Hi {name},", "Beste {name},"]
EMPATHY = [
    "wat vervelend dat je vlucht naar {city} is geannuleerd.",
    "sorry dat je zo lang moest wachten op je pakket.",
    "wat balen dat je trein naar {city} opnieuw uitviel.",
    "excuses voor de storing bij je internet in {city}.",
    "dat is echt niet de bedoeling, wat vervelend voor je.",
]
ACTIONS = [
    "Ik kijk direct of ik je kan omboeken naar een andere vlucht.",
    "Ik heb je vraag doorgezet naar de afdeling facturatie; je hoort binnen twee werkdagen van ze.",
    "Stuur je ons even een DM met je boekingscode? Dan zoek ik het meteen uit.",
    "Ik zie dat je pakket vandaag nog wordt bezorgd, tussen 14.00 en 17.00 uur.",
    "Een monteur komt morgen tussen 8.00 en 12.00 uur bij je langs.",
    "Je wordt morgen gebelt door een collega van de klantenservice.",  # a d/t error, as trainees write
]
CLOSINGS = ["^{agent}", "Groet, {agent}", "Laat je het weten als ik nog iets kan doen? ^{agent}"]


def tweet(fake: Faker, rng: random.Random) -> str:
    text = " ".join([
        rng.choice(OPENINGS), rng.choice(EMPATHY), rng.choice(ACTIONS), rng.choice(CLOSINGS),
    ]).format(name=fake.first_name(), city=fake.city(), agent=fake.first_name())
    return text[:280]


def email(fake: Faker, rng: random.Random) -> str:
    name = fake.name()
    paragraphs = [f"Beste {name},", ""]
    for _ in range(rng.randint(4, 6)):
        paragraphs.append(" ".join(rng.choice(EMPATHY + ACTIONS) for _ in range(3)).format(
            name=name, city=fake.city(), agent=fake.first_name()).capitalize())
        paragraphs.append("")
    paragraphs += ["Met vriendelijke groet,", fake.name(), "Klantenservice SkyNL"]
    return "\n".join(paragraphs)


def measure(texts: list[str], medium: str) -> dict[str, float]:
    """Each text is checked by LanguageTool alone and scored whole. LanguageTool caches
    sentence results on the server, so whichever goes second is cheaper: the order alternates
    from text to text, and the cache favours neither side."""
    checker = default_checker()
    context = ReplyContext(language="nl", medium=medium, customer_messages=["Mijn vlucht is geannuleerd!"],
                           customer_name="Sanne", seconds_to_reply=60)
    score_ms, lt_ms = [], []

    def lt(text: str) -> None:
        started = time.perf_counter()
        checker.check(text, "nl")
        lt_ms.append((time.perf_counter() - started) * 1000)

    def score(text: str) -> None:
        started = time.perf_counter()
        score_reply(text, context, checker=checker)
        score_ms.append((time.perf_counter() - started) * 1000)

    for number, text in enumerate(texts):
        first, second = (lt, score) if number % 2 == 0 else (score, lt)
        first(text)
        second(text)
    return {
        "p50": percentile(score_ms, 0.50), "p95": percentile(score_ms, 0.95),
        "lt_p50": percentile(lt_ms, 0.50), "lt_p95": percentile(lt_ms, 0.95),
        "ratio": sum(score_ms) / sum(lt_ms),
    }


def main() -> None:
    fake, rng = Faker("nl_NL"), random.Random(7)
    Faker.seed(7)
    tweets = [tweet(fake, rng) for _ in range(200)]
    emails = [email(fake, rng) for _ in range(50)]
    checker = default_checker()
    checker.wait_until_ready()  # a server still starting would otherwise be measured as "not checked"
    if not checker.check("Dit is een test.", "nl").checked:
        sys.exit(f"LanguageTool is not reachable ({checker.source()}); run `make languagetool` first")
    measure(tweets[:20], "twitter")  # warm-up: pipelines, caches, JIT
    results = {"tweet": [], "email": []}
    for run in range(RUNS):
        results["tweet"].append(measure(tweets, "twitter"))
        results["email"].append(measure(emails, "email"))
        print(f"run {run + 1}/{RUNS}: tweet p95 {results['tweet'][-1]['p95']:.1f} ms, "
              f"email p95 {results['email'][-1]['p95']:.1f} ms", flush=True)

    def row(label: str, runs: list[dict], count: int, chars: float) -> str:
        m = {key: median([r[key] for r in runs]) for key in runs[0]}
        return (f"| {label} | {count} | {chars:.0f} | {m['p50']:.1f} | {m['p95']:.1f} | {m['lt_p50']:.1f} | "
                f"{m['lt_p95']:.1f} | {m['ratio']:.2f} |")

    tweet_p95 = median([r["p95"] for r in results["tweet"]])
    tweet_ratio = median([r["ratio"] for r in results["tweet"]])
    body = "\n".join([
        "## Scoring latency (`bench/score_latency.py`)",
        "",
        f"Dutch replies, local LanguageTool warm, median of {RUNS} runs. Score = the whole `score_reply` "
        "(all dimensions, LanguageTool included); LT = LanguageTool's own check of the same texts through "
        "the same client; ratio = total scoring time / total LT time. LanguageTool caches sentence "
        "results, so which of the two runs first alternates per text.",
        "",
        "| replies | n | mean chars | score p50 ms | score p95 ms | LT p50 ms | LT p95 ms | ratio |",
        "|---|---|---|---|---|---|---|---|",
        row("tweet-length", results["tweet"], len(tweets), sum(map(len, tweets)) / len(tweets)),
        row("e-mail-length", results["email"], len(emails), sum(map(len, emails)) / len(emails)),
        "",
        f"Targets: tweet-length p95 <= 150 ms ({'met' if tweet_p95 <= 150 else 'NOT met'}: {tweet_p95:.1f} ms); "
        f"ratio <= 1.3 ({'met' if tweet_ratio <= 1.3 else 'NOT met'}: {tweet_ratio:.2f}).",
    ])
    write_section("score_latency", body)
    print(body)


if __name__ == "__main__":
    main()
