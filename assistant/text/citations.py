"""The citation marker grammar: "[n]" or "[n, m, ...]" after the words it supports. Every module that finds,
strips, moves or renumbers markers uses these functions, so there is one definition of what a marker is."""

from __future__ import annotations

import re
from typing import Callable, Mapping

_NUMBERS = r"\d+(?:\s*,\s*\d+)*"


def marker_pattern(open_: str = r"\[", close: str = r"\]") -> re.Pattern:
    """A marker with its numbers in group 1; other bracket spellings (e.g. HTML-escaped ``&#91;``) may be given."""
    return re.compile(open_ + "(" + _NUMBERS + ")" + close)


MARKER = marker_pattern()
_SPACED = re.compile(r"\s*" + MARKER.pattern)
_RUN = r"(?:\s*" + MARKER.pattern.replace("(", "(?:", 1) + r")+"
_AFTER_STOP = re.compile(r"([.!?])(" + _RUN + r")")
_BEFORE_STOP = re.compile(r"(" + _RUN + r")\s*([.!?])")
_SPLIT = re.compile(r"\s*" + MARKER.pattern.replace("(", "(?:", 1) + r"\s*")


def numbers_of(marker_body: str) -> list[int]:
    return [int(n) for n in marker_body.split(",")]


def cited_numbers(text: str) -> list[int]:
    """Every cited number in order of appearance (repeats kept): "a [2] b [1, 2]" -> [2, 1, 2]."""
    return [n for m in MARKER.finditer(text or "") for n in numbers_of(m.group(1))]


def cited_set(text: str) -> list[int]:
    """The distinct cited numbers, sorted."""
    return sorted(set(cited_numbers(text)))


def has_marker(text: str) -> bool:
    return MARKER.search(text or "") is not None


def strip_markers(text: str) -> str:
    """The text without its markers (and the space before each), trimmed."""
    return _SPACED.sub("", text or "").strip()


def markers_inside(text: str) -> str:
    """Markers written after a sentence's stop move before it: "Not contagious. [1] Next" -> "Not contagious [1].
    Next" (so a sentence splitter keeps each marker with its sentence)."""
    return _AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), text or "")


def markers_outside(text: str) -> str:
    """The reverse: "contagious [1]. Next" -> "contagious. [1] Next"."""
    return _BEFORE_STOP.sub(r"\2\1", text or "")


def split_on_markers(text: str) -> list[str]:
    """The pieces of text between markers."""
    return _SPLIT.split(text or "")


def renumber(text: str, mapping: Mapping[int, int] | Callable[[int], int | None]) -> str:
    """Rewrite every marker's numbers through ``mapping``; numbers it does not map are dropped, and a marker left
    with none is removed with the space before it."""
    get = mapping if callable(mapping) else mapping.get

    def sub(m: re.Match) -> str:
        new = [get(n) for n in numbers_of(m.group(1))]
        kept = list(dict.fromkeys(n for n in new if n is not None))
        return " [" + ", ".join(map(str, kept)) + "]" if kept else ""

    return _SPACED.sub(sub, text or "").strip()
