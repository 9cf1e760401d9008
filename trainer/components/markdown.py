"""User-written text (names, replies, comments) where Streamlit reads Markdown.

Streamlit renders Markdown in titles, headers, captions, alerts, expander labels and help
texts, so a name like `![x](http://...)` would load an image. `escape` puts a backslash before
the ASCII punctuation Markdown acts on (CommonMark's escapable set) and keeps line breaks as
spaces, so the text is shown exactly as written. `html_text` does the same for text placed inside our own HTML
(the scorecard's reply box): HTML-escaped, with Markdown's marks as character references.
"""

from __future__ import annotations

import re

# Marks that act anywhere in a line (emphasis, code, links, images, HTML, tables, strike-through,
# maths, Streamlit's :colour[...]); the rest of the punctuation ("-", "#", "1.") only acts at the
# start of a line, so "e-mail", "nr. 4" and e-mail addresses read as they are.
_INLINE = re.compile(r"([\\`*_{}\[\]()<>!|~$:&])")
_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+[.)])")
_LINE_BREAK = re.compile(r"\r\n?|\n")
# HTML's own specials and every mark Markdown (or Streamlit's extensions: :colour[...],
# $maths$) could act on, as numeric character references.
_REFERENCES = {c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~:$="}


def escape(text: str | None) -> str:
    """`text` as literal Markdown inline text."""
    if not text:
        return ""
    inline = _INLINE.sub(r"\\\1", _LINE_BREAK.sub(" ", text))
    return _LINE_START.sub(lambda found: found.group(1) + found.group(2)[:-1] + "\\" + found.group(2)[-1], inline)


def html_text(text: str) -> str:
    """`text` for use inside an HTML block in Markdown: no tag, no Markdown, line breaks as <br>.

    Every line ending CommonMark knows (LF, CR, CRLF) becomes <br>, so the text never holds a
    blank line, which would end the HTML block and let Markdown in."""
    return "<br>".join("".join(_REFERENCES.get(c, c) for c in line) for line in _LINE_BREAK.split(text))
