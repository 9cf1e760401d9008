"""How often a group drill sends the same opening text twice: for each template of
content/drills/, its whole curve played for a few seeds (the timeline's customers, injects and
noise posts, each first message as the drill stores it), the share of messages that repeat an
earlier one exactly. "seeded pick" is the old way (a phrasing picked by each customer's seed);
"in turn" is what drills do (scenarios.variation: phrasings in turn, then framed).

Run: `.venv/bin/python bench/drill_openings.py [--seeds 5]`; figures go to docs/drills.md by hand.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scenarios  # noqa: E402
from scenarios.drills import Arrival, DrillTemplate, drill_catalogue, noise_brand, timeline  # noqa: E402


@dataclass(frozen=True)
class Repeats:
    messages: int
    repeats: int  # messages whose text an earlier message of the drill already had
    most: int  # how often the commonest text came

    @property
    def share(self) -> float:
        return self.repeats / self.messages if self.messages else 0.0


def opening(arrival: Arrival, template: DrillTemplate, *, varied: bool = True) -> str:
    """The first message of an arrival, as the drill stores it (or, `varied=False`, as before)."""
    if arrival.noise:
        from trainer.services.drills.noise import noise_post  # lazy: the bench is about the timeline

        return noise_post(arrival.noise, template.language, noise_brand(template), arrival.seed).text
    engine = scenarios.start(arrival.scenario_id, arrival.medium, arrival.seed,
                             variant=arrival.variant if varied else None)
    return engine.pending_customer_messages[0]


def repeats(template: DrillTemplate, seed: int, *, varied: bool = True) -> Repeats:
    texts = Counter(opening(a, template, varied=varied) for a in timeline(template, seed))
    total = sum(texts.values())
    return Repeats(messages=total, repeats=total - len(texts), most=max(texts.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    seeds = range(1, parser.parse_args().seeds + 1)
    print("| template | messages | repeats, seeded pick (mean / worst) | repeats, in turn (mean / worst) |")
    print("| --- | --- | --- | --- |")
    for template_id, template in sorted(drill_catalogue().items()):
        cells = []
        for varied in (False, True):
            found = [repeats(template, seed, varied=varied) for seed in seeds]
            cells.append(f"{sum(r.share for r in found) / len(found):.1%} / {max(r.share for r in found):.1%}")
        print(f"| `{template_id}` | {found[0].messages} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
