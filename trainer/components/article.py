"""A knowledge-base article's Markdown, shown inside a page that has its own title."""

from __future__ import annotations

import re

ATX_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def demoted(markdown: str, top_level: int) -> str:
    """The Markdown with its `#` headings moved down so the article's highest heading becomes
    level `top_level` (an article's `# Title` as `###` under a page's own title). Heading levels
    stop at 6; fenced code is left as it is."""
    lines = markdown.split("\n")
    levels = [len(found.group(2)) for found in map(ATX_HEADING.match, _outside_fences(lines)) if found]
    if not levels:
        return markdown
    shift = max(0, top_level - min(levels))
    fenced = False
    shown = []
    for line in lines:
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and (found := ATX_HEADING.match(line)):
            level = min(6, len(found.group(2)) + shift)
            line = f"{found.group(1)}{'#' * level}{line[found.end():]}"
        shown.append(line)
    return "\n".join(shown)


def _outside_fences(lines: list[str]) -> list[str]:
    fenced, outside = False, []
    for line in lines:
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            outside.append(line)
    return outside
