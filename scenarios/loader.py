"""Load and check every scenario file, reporting every mistake as `file:line [where] what`.

Three layers of checks:
1. the YAML itself (scoring.contentfile.read_yaml);
2. the shape of one file (scenarios.schema, pydantic, extra="forbid");
3. references inside a file and across files: media ids, states, expected elements,
   actions and departments, knowledge articles, placeholders, duplicate scenario ids,
   test paths that can prove the scenario works.
"""

from __future__ import annotations

import logging
import string
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml
from pydantic import ValidationError

from scenarios.knowledge import Article, load_articles
from scenarios.personas import CORE_FIELDS, EXTRA_FIELDS
from scenarios.schema import ACTION_PATTERN, OFFLINE_CHANNELS, BAD_ENDS, END_STATES, GOOD_ENDS, LanguagePack, Scenario, STATE_ID
from scoring.config import DIMENSIONS, glossary, media_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, read_yaml, validation_errors

_log = logging.getLogger(__name__)
LANGUAGE_FILE = "_language.yaml"
ANY_OR_NONE = ("any", "none")


def scenario_files(root: Path | None = None) -> list[Path]:
    """Scenario files: every *.yaml under scenarios/<lang>/ except the `_`-prefixed shared ones."""
    folder = (root or content_dir()) / "scenarios"
    return sorted(p for p in folder.glob("*/*.yaml") if not p.name.startswith("_"))


def load_language_pack(language: str, root: Path | None = None) -> LanguagePack:
    path = (root or content_dir()) / "scenarios" / language / LANGUAGE_FILE
    data, node = read_yaml(path)
    try:
        pack = LanguagePack.model_validate(data)
    except ValidationError as exc:
        raise ContentInvalid(validation_errors(path, node, exc)) from None
    if pack.language != language:
        raise ContentInvalid([ContentError(display_path(path), line_of(node, ("language",)), "language",
                                           f"is '{pack.language}' but the file is in scenarios/{language}/", "E410")])
    if "handover" not in pack.actions or "{department}" not in pack.actions["handover"]:
        raise ContentInvalid([ContentError(display_path(path), line_of(node, ("actions",)), "actions",
                                           "needs a 'handover' label with a {department} placeholder", "E411")])
    return pack


def load_scenario_file(path: Path) -> tuple[Scenario, yaml.Node | None]:
    data, node = read_yaml(path)
    if data is None:
        raise ContentInvalid([ContentError(display_path(path), 1, "", "is empty", "E003")])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ContentInvalid(validation_errors(path, node, exc)) from None
    scenario._source = display_path(path)
    return scenario, node


class _Checker:
    """Collects the reference errors of one scenario with their lines."""

    def __init__(self, path: Path, node: yaml.Node | None):
        self.shown = display_path(path)
        self.node = node
        self.errors: list[ContentError] = []

    def error(self, location: tuple, message: str, code: str) -> None:
        self.errors.append(ContentError(self.shown, line_of(self.node, location),
                                        " -> ".join(str(p) for p in location), message, code))


def check_scenario(scenario: Scenario, path: Path, node: yaml.Node | None, *, media: set[str],
                   packs: dict[str, LanguagePack], articles: dict[str, Article], brands: frozenset[str]) -> list[ContentError]:
    check = _Checker(path, node)
    folder_language = path.parent.name
    if scenario.language != folder_language:
        check.error(("language",), f"is '{scenario.language}' but the file is in scenarios/{folder_language}/", "E401")
    if scenario.brand.lower() not in brands:
        check.error(("brand",), f"'{scenario.brand}' is not a brand in content/glossary.yaml (only fictional brands)", "E402")
    for i, medium in enumerate(scenario.media):
        if medium not in media:
            check.error(("media", i), f"'{medium}' is not a medium in content/media.yaml (known: {', '.join(sorted(media))})", "E403")
    for i, item in enumerate(scenario.history):
        if item.medium not in media and item.medium not in OFFLINE_CHANNELS:
            check.error(("history", i, "medium"), f"'{item.medium}' is not a medium in content/media.yaml nor one of "
                        f"{', '.join(OFFLINE_CHANNELS)}", "E403")

    provided = set(CORE_FIELDS) | set(scenario.facts) | {"brand"}
    for i, field in enumerate(scenario.persona.fields):
        if field not in EXTRA_FIELDS:
            check.error(("persona", "fields", i), f"'{field}' is not a persona field (known: {', '.join(EXTRA_FIELDS)})", "E404")
        provided.add(field)
    for name in scenario.facts:
        if name in CORE_FIELDS or name in EXTRA_FIELDS or name == "brand":
            check.error(("facts", name), f"'{name}' is a persona field; give the fact another name", "E404")
    for location, text in _texts(scenario):
        _check_placeholders(check, location, text, provided)

    element_ids = [e.id for e in scenario.expected_elements]
    for i, element_id in enumerate(element_ids):
        if element_ids.index(element_id) != i:
            check.error(("expected_elements", i, "id"), f"'{element_id}' is used twice", "E405")
    known_elements = set(element_ids)

    pack = packs.get(scenario.language)
    for i, action in enumerate(scenario.actions):
        _check_action(check, ("actions", i), action, pack)
    offered = set(scenario.actions)

    if "start" not in scenario.states:
        check.error(("states",), "needs a state called 'start' (where the conversation begins)", "E406")
    targets = set(scenario.states) | set(END_STATES)
    for state_id, state in scenario.states.items():
        at = ("states", state_id)
        if state_id in END_STATES:
            check.error(at, f"'{state_id}' is an end state; end states are described under `endings`", "E407")
        elif not _matches(STATE_ID, state_id):
            check.error(at, "state ids are lower_case_with_underscores", "E407")
        for i, element_id in enumerate(state.expected):
            if element_id not in known_elements:
                check.error(at + ("expected", i), f"'{element_id}' is not in expected_elements", "E405")
        for i, article_id in enumerate(state.knowledge):
            if article_id not in articles:
                check.error(at + ("knowledge", i), f"'{article_id}' is not an article in content/knowledge/", "E408")
            elif articles[article_id].meta.language != scenario.language:
                check.error(at + ("knowledge", i), f"'{article_id}' is not in {scenario.language}", "E408")
        if state.model_action and state.model_action not in offered:
            check.error(at + ("model_action",), f"'{state.model_action}' is not one of this scenario's actions", "E409")
        for t, transition in enumerate(state.transitions):
            tat = at + ("transitions", t)
            if transition.to not in targets:
                check.error(tat + ("to",), f"'{transition.to}' is not a state here nor an end state "
                            f"({', '.join(END_STATES)})", "E406")
            when = transition.when
            for field in ("present", "missing"):
                for i, element_id in enumerate(getattr(when, field)):
                    if element_id not in known_elements:
                        check.error(tat + ("when", field, i), f"'{element_id}' is not in expected_elements", "E405")
            for field in ("scores_at_least", "scores_below"):
                for dimension in getattr(when, field):
                    if dimension not in DIMENSIONS:
                        check.error(tat + ("when", field, dimension), f"'{dimension}' is not a dimension ({', '.join(DIMENSIONS)})", "E412")
            for action in when.actions:
                if action not in offered and action not in ANY_OR_NONE:
                    check.error(tat + ("when", "action"), f"'{action}' is not one of this scenario's actions "
                                "(list it under `actions`), nor 'any' or 'none'", "E409")
        last = state.transitions[-1]
        if last.when.model_dump(exclude_defaults=True):
            check.error(at + ("transitions", len(state.transitions) - 1),
                        "the last transition must have no `when`, so every reply leads somewhere", "E413")
    _check_reachable(check, scenario)
    _check_test_paths(check, scenario, offered)
    return check.errors


def _check_action(check: _Checker, location: tuple, action: str, pack: LanguagePack | None) -> None:
    if not ACTION_PATTERN.match(action):
        check.error(location, f"'{action}' is not an action (move_to_dm, offer_call, press_office, handover:<department>)", "E409")
    elif action.startswith("handover:") and pack is not None:
        department = action.split(":", 1)[1]
        if department not in pack.departments:
            check.error(location, f"department '{department}' is not in scenarios/{pack.language}/{LANGUAGE_FILE} "
                        f"(known: {', '.join(sorted(pack.departments))})", "E409")


def _check_reachable(check: _Checker, scenario: Scenario) -> None:
    if "start" not in scenario.states:
        return
    seen, todo = set(), ["start"]
    while todo:
        state_id = todo.pop()
        if state_id in seen or state_id not in scenario.states:
            continue
        seen.add(state_id)
        todo.extend(t.to for t in scenario.states[state_id].transitions)
    for state_id in scenario.states:
        if state_id not in seen:
            check.error(("states", state_id), "is never reached from 'start'", "E414")


def _either(ends: frozenset[str]) -> str:
    return " or ".join(e for e in END_STATES if e in ends)


def _check_test_paths(check: _Checker, scenario: Scenario, offered: set[str]) -> None:
    ends = {p.ends for p in scenario.test_paths}
    if not ends & GOOD_ENDS or not ends & BAD_ENDS:
        check.error(("test_paths",), f"needs a path that ends well ({_either(GOOD_ENDS)}) and one that ends badly ({_either(BAD_ENDS)})", "E415")
    for i, test_path in enumerate(scenario.test_paths):
        if test_path.medium and test_path.medium not in scenario.media:
            check.error(("test_paths", i, "medium"), f"'{test_path.medium}' is not one of this scenario's media", "E415")
        for r, reply in enumerate(test_path.replies):
            if reply.action and reply.action not in offered:
                check.error(("test_paths", i, "replies", r, "action"), f"'{reply.action}' is not one of this scenario's actions", "E409")


def _matches(pattern: str, text: str) -> bool:
    import re

    return re.match(pattern, text) is not None


def _texts(scenario: Scenario) -> Iterator[tuple[tuple, str]]:
    """Every text that is filled from the persona, with its YAML location."""
    for i, message in enumerate(scenario.opening):
        for j, text in enumerate(message):
            yield _phrasing_location(("opening", i), j, len(message)), text
    for i, item in enumerate(scenario.history):
        yield ("history", i, "text"), item.text
    yield ("briefing",), scenario.briefing
    for state_id, state in scenario.states.items():
        at = ("states", state_id)
        for i, message in enumerate(state.customer):
            for j, text in enumerate(message):
                yield _phrasing_location(at + ("customer", i), j, len(message)), text
        yield at + ("model_answer",), state.model_answer
        for t, transition in enumerate(state.transitions):
            for i, message in enumerate(transition.customer or []):
                for j, text in enumerate(message):
                    yield _phrasing_location(at + ("transitions", t, "customer", i), j, len(message)), text
    for end, ending in scenario.endings.items():
        for i, message in enumerate(ending.customer):
            for j, text in enumerate(message):
                yield _phrasing_location(("endings", end, "customer", i), j, len(message)), text
    for i, test_path in enumerate(scenario.test_paths):
        for r, reply in enumerate(test_path.replies):
            yield ("test_paths", i, "replies", r), reply.text


def _phrasing_location(at: tuple, index: int, count: int) -> tuple:
    # A single phrasing may be written as a plain string (no list index in the YAML).
    return at + (index,) if count > 1 else at


def _check_placeholders(check: _Checker, location: tuple, text: str, provided: set[str]) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        check.error(location, f"has a broken placeholder ({exc}); write {{{{ and }}}} for literal braces", "E416")
        return
    for name in fields:
        base = name.split(".")[0].split("[")[0]
        if base not in provided:
            check.error(location, f"uses {{{base}}}, which the persona does not provide (add it to persona.fields or "
                        f"facts; available: {', '.join(sorted(provided))})", "E417")


def load_scenarios(root: Path | None = None) -> tuple[dict[str, Scenario], list[ContentError]]:
    """Every valid scenario by id, and every error in every scenario file."""
    errors: list[ContentError] = []
    try:
        media = set(media_catalogue(root).media)
    except ContentInvalid as exc:
        errors.extend(exc.errors)
        media = set()
    try:
        brands = glossary(root)
    except ContentInvalid as exc:
        errors.extend(exc.errors)
        brands = frozenset()
    articles, article_errors = load_articles(root)
    errors.extend(article_errors)
    packs: dict[str, LanguagePack] = {}
    folder = (root or content_dir()) / "scenarios"
    for language_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        try:
            packs[language_dir.name] = load_language_pack(language_dir.name, root)
        except ContentInvalid as exc:
            errors.extend(exc.errors)

    scenarios: dict[str, Scenario] = {}
    first_source: dict[str, str] = {}
    for path in scenario_files(root):
        try:
            scenario, node = load_scenario_file(path)
        except ContentInvalid as exc:
            errors.extend(exc.errors)
            continue
        problems = check_scenario(scenario, path, node, media=media, packs=packs, articles=articles, brands=brands)
        if scenario.id in first_source:
            problems.append(ContentError(display_path(path), line_of(node, ("id",)), "id",
                                         f"'{scenario.id}' is already the id of {first_source[scenario.id]}", "E418"))
        else:
            first_source[scenario.id] = scenario.source
        if problems:
            errors.extend(problems)
            continue
        scenarios[scenario.id] = scenario
    return scenarios, errors


@lru_cache(maxsize=None)
def _loaded(root: Path | None) -> tuple[dict[str, Scenario], list[ContentError]]:
    scenarios, errors = load_scenarios(root)
    if errors:
        _log.error("content errors: %d scenario(s) left out until fixed (webcare content validate):\n%s",
                   len({e.path for e in errors}), "\n".join(str(e) for e in errors))
    return scenarios, errors


def scenario_catalogue(root: Path | None = None) -> dict[str, Scenario]:
    """Every valid scenario. A broken scenario file is left out, so one mistake does not stop
    practice for everyone; its errors are in `scenario_errors` (the admin's content check shows
    them). Only when no scenario is usable at all (say, a broken media.yaml) ContentInvalid.
    Cached: content is read once."""
    scenarios, errors = _loaded(root)
    if errors and not scenarios:
        raise ContentInvalid(errors)
    return scenarios


def scenario_errors(root: Path | None = None) -> list[ContentError]:
    """The errors of the content the scenarios read: every left-out file, with file and line."""
    return _loaded(root)[1]


@lru_cache(maxsize=None)
def language_pack(language: str, root: Path | None = None) -> LanguagePack:
    return load_language_pack(language, root)
