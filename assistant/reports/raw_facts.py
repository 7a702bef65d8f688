"""Fidelity that does not trust the parser: facts read straight from the (de-identified) report text.

The report parser decides what an explanation says; if it misreads a layout, a check built from its output
misses the same things. This module reads the raw text with a few simple patterns of its own, line by line
and sentence by sentence, and lists every

- number with its unit (``2.3 mm``, ``1.2 x 0.8 cm``, ``6/mm2``, ``<1 per mm²``, ``15%``, ``3 per 10 HPF``),
- stage (``pT3b``, ``pN1a``),
- side with the site word after it (``left cheek``, ``R upper back``),
- certainty phrase with its subject (``consistent with psoriasis``),
- negated finding (``Ulceration: not identified``, ``no evidence of malignancy``, ``negative for fungi``).

``unconveyed(facts, plain_text)`` says which of them a text does not convey in meaning: the number with the
same value and unit, the stage word for word, the side before the site word, a certainty phrase of the same
family near its subject, and the negated subject in a sentence that says no/not/absent. The explainer runs it on
its plain-language parts (not on quotes of the report) and repairs what is missing by showing the report's own
words for that item with the glossary; the clinician view lists each repair.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

from ..text.sentences import split_report_cells, split_sentences
from ..text.stopwords import STOP_WORDS, WEAK_WORDS
from ..text.numbers import APPROX_WORDS, LABEL_UNITS, MEASURE_RE, NUM, canonical_unit
from .qualifiers import QUALIFIERS_POST, QUALIFIERS_PRE, STAGE_RE

FactKind = Literal["number", "stage", "side", "certainty", "negation"]


class RawFact(BaseModel):
    kind: FactKind
    text: str
    source: str  # the report sentence (or table row) it came from, de-identified
    values: tuple[float, ...] = ()
    unit: str = ""
    key: str = ""  # what must be found: the site word, the subject's main word, the certainty family


_SIDES = {"left": "left", "l": "left", "lt": "left", "right": "right", "r": "right", "rt": "right",
          "bilateral": "bilateral", "both": "bilateral"}
_SIDE_RE = re.compile(r"(?i)(?<![\w\-/])(left|right|bilateral|lt\.?|rt\.?|(?-i:L|R)\.?)\s+(?:side\s+of\s+(?:the\s+)?)?"
                      r"(?P<site>[a-z][a-z\-]{2,})\b")
_NOT_SITE = {"and", "or", "side", "the", "of", "margin", "margins", "edge", "peripheral", "deep", "lateral", "medial"}
_NEG_SUBJECT = r"(?P<subj>[A-Za-z][A-Za-z\- ]{2,40}?)"
_NEG_AFTER = re.compile(r"(?im)(?:^|[.;|\t]\s*|\s{2,})" + _NEG_SUBJECT + r"\s*(?:\([^)\n]{0,20}\))?\s*[:=\-–]\s*"
                        r"(?:not\s+(?:identified|seen|present|detected|found)|absent|negative|none(?:\s+(?:seen|identified))?"
                        r"|no)\b")
_NEG_BEFORE = re.compile(r"(?i)\b(?:no\s+evidence\s+of|negative\s+for|free\s+of|without|no)\s+"
                         r"(?P<subj>(?:(?!and\b|or\b|in\b|at\b|is\b|are\b|was\b|were\b|seen\b|identified\b)[a-z][a-z\-]+\s?){1,3})")
_NEG_WORDS = re.compile(r"(?i)\b(?:no|not|none|absent|negative|without|free|clear|nor|neither|wasn't|weren't|didn't)\b")
# words that never name what a fact is about (its subject's main word is its longest other word)
_STOP = STOP_WORDS | WEAK_WORDS | {"guidelines", "guideline", "recommendations", "previous", "clinical", "history",
                                   "evidence", "definite", "significant", "residual", "obvious", "type", "cells",
                                   "seen"}
_CERTAINTY = {fam: QUALIFIERS_PRE[fam] for fam in ("fits", "favour", "suggestive", "possible", "differential")}
# what counts as the same certainty in an explanation: a phrase of the family, before or after the subject
_FAMILY_RES = {fam: re.compile(rf"(?i)(?:{rx})") for fam, rx in
               {**_CERTAINTY, "possible": QUALIFIERS_PRE["possible"] + "|" + QUALIFIERS_POST["possible"]}.items()}
_CERTAINTY_RE = re.compile(r"(?i)\b(?P<q>" + "|".join(f"(?P<{f}>{rx})" for f, rx in _CERTAINTY.items()
                                                      if f != "possible") +
                           r"|(?P<possible>cannot (?:entirely |completely )?(?:exclude|rule out)|may represent|"
                           r"rule out|r/o|possible|possibly))\s+(?P<subj>[a-z][a-z\- ]{2,40})")
_CERTAINTY_POST_RE = re.compile(r"(?i)(?P<subj>[a-z][a-z\- ]{2,40}?)\s+(?:(?:cannot|can ?not|could not) be "
                                r"(?:entirely |completely |definitively )?(?:excluded|ruled out)|is not excluded)")
_HEADER_LINE = re.compile(r"(?i)^\s*(?:patient|name|dob|date|mrn|hospital|nhs|chi|address|tel|phone|referr|requesting|"
                          r"clinician|consultant|signed|reported|verified|electronically|cc\b|copy|typed|lab\s*no|"
                          r"accession|specimen\s*(?:no|number|id))")


_SUPERSEDED = re.compile(r"(?i)\bsupersed|\bretained for (?:the )?record|^\W*(?:original|previous|initial)\s+"
                         r"(?:diagnosis|report)\b")
_HEADING = re.compile(r"^\s*[A-Z][A-Z /&()-]{3,40}:")


_LABEL_UNIT = re.compile(rf"\((?P<u>{LABEL_UNITS})\)\s*[:=]\s*(?P<q>(?:{APPROX_WORDS}|[<>≤≥~])\s*)?"
                         r"(?P<n>\d+(?:\.\d+)?)(?![\d.]*\s*(?:mm|cm|%|/))", re.I)


def _with_units(text: str) -> str:
    """'Breslow thickness (mm): 1.2' reads as '1.2 mm' (dataset style: the unit sits in the label)."""
    return _LABEL_UNIT.sub(lambda m: f"({m.group('u')}): {m.group('q') or ''}{m.group('n')} {m.group('u')}", text or "")


def _units(text: str) -> list[tuple[str, tuple[float, ...], str]]:
    """Measurements as written, each with all its values ("12 x 6 x 3 mm" -> (12, 6, 3)) and its unit."""
    out = []
    for m in MEASURE_RE.finditer(_with_units(text)):
        values = tuple(float(n) for n in re.findall(NUM, m.group("nums")))
        out.append((m.group(0).strip(), values, canonical_unit(m.group("unit"))))
    return out


def _main_word(words: str) -> str:
    toks = [t for t in re.findall(r"[a-z][a-z\-]+", words.lower()) if t not in _STOP]
    return max(toks, key=len) if toks else ""


def _stem(word: str) -> str:
    return word[:6]


def raw_facts(text: str) -> list[RawFact]:
    """Every fact of the kinds above in ``text``, in order, without duplicates."""
    out: list[RawFact] = []
    seen: set[tuple] = set()

    def add(f: RawFact, key: tuple) -> None:
        if key not in seen:
            seen.add(key)
            out.append(f)

    superseded = False
    # a sentence wrapped onto the next line ("a small dermal naevus\ncomponent without atypia.") is read whole
    joined = re.sub(r"(?<=[a-z,])[ \t]*\n[ \t]*(?=[a-z(])", " ", text or "")
    for line in joined.split("\n"):
        if _SUPERSEDED.search(line):
            superseded = True  # an amended report's replaced diagnosis: kept for the record, not a fact to convey
            continue
        if superseded and (not line.strip() or _HEADING.match(line)):
            superseded = False
        if superseded or not line.strip() or _HEADER_LINE.match(line):
            continue
        for sent in split_report_cells(line):
            sent = sent.strip()
            if not sent or sent.startswith("["):
                continue
            for t, v, u in _units(sent):
                add(RawFact(kind="number", text=t, source=sent, values=v, unit=u), ("n", v, u))
            for m in STAGE_RE.finditer(sent):
                st = re.sub(r"\s+", "", m.group(0))
                add(RawFact(kind="stage", text=st, source=sent, key=st.lower()), ("s", st.lower()))
            for m in _SIDE_RE.finditer(sent):
                side = _SIDES.get(m.group(1).lower().rstrip("."))
                site = m.group("site").lower()
                if side and site not in _NOT_SITE:
                    add(RawFact(kind="side", text=m.group(0), source=sent, key=f"{side} {_stem(site)}"),
                        ("l", side, _stem(site)))
            for m in _CERTAINTY_RE.finditer(sent):
                fam = next(f for f in _CERTAINTY if m.group(f))
                word = _main_word(m.group("subj"))
                if word:
                    add(RawFact(kind="certainty", text=f"{m.group('q')} {m.group('subj').strip()}", source=sent,
                                key=f"{fam} {_stem(word)}"), ("c", fam, _stem(word)))
            for m in _CERTAINTY_POST_RE.finditer(sent):
                word = _main_word(" ".join(m.group("subj").split()[-3:]))
                if word:
                    add(RawFact(kind="certainty", text=m.group(0).strip(), source=sent, key=f"possible {_stem(word)}"),
                        ("c", "possible", _stem(word)))
            for rx in (_NEG_AFTER, _NEG_BEFORE):
                for m in rx.finditer(sent):
                    word = _main_word(m.group("subj"))
                    if word and len(word) > 3:
                        add(RawFact(kind="negation", text=m.group(0).strip(" .;:|\t"), source=sent,
                                    key=_stem(word)), ("x", _stem(word)))
    return out


def _sentences(text: str) -> list[str]:
    return [s.lower() for s in split_sentences(text or "")]


class _Text:
    """An explanation read once: its lower-case text, measurements and sentences (shared by every fact checked)."""

    def __init__(self, text: str) -> None:
        self.low = (text or "").lower()
        self.units = _units(text)
        self.sents = _sentences(text)


def _conveys(fact: RawFact, t: _Text) -> bool:
    if fact.kind == "number":
        return any(v == fact.values and (u == fact.unit or {u, fact.unit} <= {"/mm2", "mm2"}) for _, v, u in t.units)
    if fact.kind == "stage":
        return re.search(rf"(?<![\w]){re.escape(fact.key)}(?![\w])", t.low) is not None
    if fact.kind == "side":
        side, stem = fact.key.split(" ", 1)
        words = {"left": r"left|\bl\b", "right": r"right|\br\b", "bilateral": r"bilateral|both"}[side]
        return re.search(rf"(?:{words})[^.\n]{{0,40}}?\b{re.escape(stem)}", t.low) is not None
    if fact.kind == "certainty":
        fam, stem = fact.key.split(" ", 1)
        return any(stem in s and _FAMILY_RES[fam].search(s) for s in t.sents)
    # negation: the subject in a sentence that says it was not there
    return any(fact.key in s and _NEG_WORDS.search(s) for s in t.sents)


def conveys(fact: RawFact, text: str) -> bool:
    """Does ``text`` convey ``fact`` in meaning (see the module notes)?"""
    return _conveys(fact, _Text(text))


def unconveyed(facts: list[RawFact], text: str) -> list[RawFact]:
    t = _Text(text)
    return [f for f in facts if not _conveys(f, t)]
