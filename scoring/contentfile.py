"""Load YAML content files and validate them, with errors that name the file and line.

Content (media rules, cue lists, scenarios, policy) is written by dialogue managers, not
programmers, so a mistake must say where it is and what was expected:

    content/media.yaml:14 [twitter -> max_chars] must be a positive integer

PyYAML's composed node tree keeps the position of every key and value; pydantic's error
locations are walked through that tree to find the line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def content_dir() -> Path:
    """The content folder: `WEBCARE_CONTENT_DIR`, else `content/` beside the packages."""
    configured = os.environ.get("WEBCARE_CONTENT_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "content"


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file. `code` is stable so tools and tests can rely on it."""

    path: str
    line: int | None
    location: str
    message: str
    code: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        loc = f" [{self.location}]" if self.location else ""
        return f"{where}{loc} {self.message}"


class ContentInvalid(Exception):
    """Raised with every error found in one or more content files."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def display_path(path: Path) -> str:
    """Paths relative to the project where possible: `content/media.yaml`, not /abs/..."""
    try:
        return str(path.resolve().relative_to(content_dir().resolve().parent))
    except ValueError:
        return str(path)


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a file once into plain data and the node tree that remembers positions."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentInvalid([ContentError(shown, None, "", f"cannot be read: {exc.strerror}", "E001")])
    except UnicodeDecodeError:
        raise ContentInvalid([ContentError(shown, None, "", "is not UTF-8 text", "E001")])
    try:
        # Parse once (with libyaml when present: ~10x faster) and build the data from the
        # node tree, which keeps the line of every key and value.
        node = yaml.compose(text, Loader=_FAST_LOADER)
        data = yaml.constructor.SafeConstructor().construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "is not valid YAML"
        raise ContentInvalid([ContentError(shown, line, "", f"is not valid YAML: {problem}", "E002")])
    except yaml.reader.ReaderError as exc:
        # A control character (a bell, an escape, a NUL pasted in from elsewhere): YAML refuses it.
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise ContentInvalid([ContentError(shown, line, "", f"contains a control character (#x{exc.character:02x}) "
                                           "that is not allowed: delete it or retype the text around it", "E005")])
    except yaml.YAMLError as exc:
        raise ContentInvalid([ContentError(shown, None, "", f"is not valid YAML: {exc}", "E002")])
    duplicates = list(_duplicate_keys(node, ()))
    if duplicates:
        raise ContentInvalid([ContentError(shown, line, location, message, "E004") for line, location, message in duplicates])
    return data, node


def _duplicate_keys(node: yaml.Node | None, location: tuple) -> Any:
    """(line, location, message) for every key that appears twice in one mapping: YAML would
    silently keep the last, so the first would be lost without anyone noticing."""
    if isinstance(node, yaml.MappingNode):
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            here = (*location, key)
            if key is not None and key in first_line:
                yield (key_node.start_mark.line + 1, " -> ".join(str(p) for p in here),
                       f"'{key}' appears twice (first on line {first_line[key]}): keep one")
            elif key is not None:
                first_line[key] = key_node.start_mark.line + 1
            yield from _duplicate_keys(value_node, here)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*location, index))


def line_of(node: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node along `location` that exists."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in location:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = value_node
                    # A missing or wrong value is best pointed at by its key's line.
                    line = key_node.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


_FRIENDLY = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (check the spelling)",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of names to values",
    "model_type": "must be a mapping of names to values",
}


def describe(error: dict) -> str:
    kind = error.get("type", "")
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected")
        return f"must be one of {expected}" if expected else error["msg"]
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected")
        return f"must be one of {expected}"
    if kind in ("greater_than", "greater_than_equal") and error.get("ctx", {}).get("gt", error.get("ctx", {}).get("ge")) == 0:
        return "must be a positive number"
    msg = error["msg"]
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg.lower()


def validation_errors(path: Path, node: yaml.Node | None, exc: ValidationError, prefix: tuple = ()) -> list[ContentError]:
    shown = display_path(path)
    errors = []
    for error in exc.errors():
        location = prefix + tuple(error["loc"])
        # pydantic adds the tag of a tagged union or a validator name to loc; drop non-YAML parts
        yaml_location = tuple(p for p in location if not (isinstance(p, str) and p.startswith("function-")))
        errors.append(
            ContentError(
                path=shown,
                line=line_of(node, yaml_location),
                location=" -> ".join(str(p) for p in yaml_location),
                message=describe(error),
                code="E100" if error.get("type") != "missing" else "E101",
            )
        )
    return errors


def load_model(path: Path, model: type[M]) -> M:
    """Read one YAML file into `model`, or raise ContentInvalid listing every problem."""
    data, node = read_yaml(path)
    if data is None:
        raise ContentInvalid([ContentError(display_path(path), 1, "", "is empty", "E003")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentInvalid(validation_errors(path, node, exc)) from None
