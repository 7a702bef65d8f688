"""Diagnoses a skin pathology report can name: how they are written, their category, a plain one-line
meaning, and which knowledge-base sections explain what may happen next. The table is data
(``knowledge_base/lexicon/report_diagnoses.yaml``) so a clinician can review it; this module reads and matches it.

The plain meanings are short on purpose (reading grade 8 or lower); the knowledge base holds the detail.
``guides`` entries are ``(document id, words in a ## heading)``: headings are matched loosely, so an edited
document still works, and a missing document or heading is simply skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel

from ..kb_lexicons import NV_PATTERN as NV, load_report_diagnoses  # {nv} in a pattern: naevus / nevus / naevi / nevi

Category = Literal["malignant", "premalignant", "benign", "inflammatory", "infection", "uncertain"]


class Dx(BaseModel):
    model_config = {"frozen": True}
    name: str
    pattern: str
    category: Category
    plain: str = ""
    guides: tuple[tuple[str, str], ...] = ()
    condition_doc: str | None = None  # a condition document with "Questions to ask your doctor"
    in_situ: bool = False
    generic: bool = False  # a reaction pattern or umbrella word, not one disease


@lru_cache(maxsize=1)
def diagnoses() -> tuple[Dx, ...]:
    """The table, read once from the shipped knowledge base (``lexicon/report_diagnoses.yaml``, checked as
    ``dermassist kb check`` checks it)."""
    data = load_report_diagnoses()
    generic = set(data["generic"])
    return tuple(Dx(name=e["name"], pattern=e["pattern"].replace("{nv}", NV), category=e["category"],
                    plain=e.get("plain", ""), guides=tuple(tuple(g) for g in e.get("guides", ())),
                    condition_doc=e.get("condition_doc"), in_situ=bool(e.get("in_situ", False)),
                    generic=e["name"] in generic)
                 for e in data["diagnoses"])


def _compile(pattern: str) -> re.Pattern:
    """Case-insensitive, whole words; abbreviations are written ``(?-i:BCC)`` so they match in capitals only."""
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.I)


@lru_cache(maxsize=1)
def compiled() -> list[tuple[Dx, re.Pattern]]:
    return [(d, _compile(d.pattern)) for d in diagnoses()]


def diagnosis_patterns() -> dict[str, re.Pattern]:
    """name -> compiled pattern (used by the fidelity guard)."""
    return {d.name: rx for d, rx in compiled()}


def by_name(name: str) -> Dx | None:
    return next((d for d in diagnoses() if d.name == name), None)


class Mention(BaseModel):
    dx: str
    surface: str
    start: int
    end: int


def find_mentions(text: str) -> list[Mention]:
    """Diagnoses named in ``text``: longest match wins where two overlap."""
    cands = []
    for order, (d, rx) in enumerate(compiled()):
        for m in rx.finditer(text):
            surface = m.group(0).strip()
            if surface:
                start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                cands.append((start, start + len(surface), order, d.name, surface))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    out = []
    for s, e, _, name, surface in cands:
        if any(s < te and ts < e for ts, te in taken):
            continue
        taken.append((s, e))
        out.append(Mention(dx=name, surface=surface, start=s, end=e))
    return sorted(out, key=lambda m: m.start)
