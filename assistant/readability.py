"""Reading-level measures (textstat, imported lazily) on plain text or Markdown."""

from __future__ import annotations

import re

from .text.citations import MARKER

_MD_BULLET = re.compile(r"^\s*([-*+]|\d+\.)\s+")
_MD_INLINE = re.compile(r"(\*\*|__|`|" + MARKER.pattern + ")")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


def plain_text(markdown: str) -> str:
    """Markdown to sentences: headings dropped, bullets and lines ended as sentences, markup removed."""
    out = []
    for line in markdown.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or s.startswith("|"):
            continue
        s = _MD_LINK.sub(r"\1", _MD_BULLET.sub("", s))
        s = _MD_INLINE.sub("", s).strip()
        if s:
            out.append(s if s[-1] in ".?!:" else s + ".")
    return "\n".join(out)


def fkgl(text: str) -> float:
    """Flesch-Kincaid grade of Markdown or plain text (0.0 for empty text)."""
    import textstat

    t = plain_text(text)
    return round(float(textstat.flesch_kincaid_grade(t)), 2) if t.strip() else 0.0


def smog(text: str) -> float:
    import textstat

    t = plain_text(text)
    return round(float(textstat.smog_index(t)), 2) if t.strip() else 0.0


def word_count(text: str) -> int:
    return len(plain_text(text).split())
