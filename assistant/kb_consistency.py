"""Two documents must never disagree: a medicine's pregnancy rules in its own treatment document and in the
pregnancy document (safety/medicines-in-pregnancy.md) must give the same waits and intervals.

For each `##` section of the pregnancy document that names a medicine with a treatment document, the
durations ("3 years", "one month", "8 to 10 days") in sentences about pregnancy or contraception are
compared with those in the treatment document's "Pregnancy and breastfeeding" section. A duration that
one side states and the other does not is reported: either a disagreement or a rule missing from one side.
"""

from __future__ import annotations

import re

from .knowledge import Document, Problem, doc_sections
from .text.numbers import NUMBER_WORDS

PREGNANCY_DOC = "medicines-in-pregnancy"
TREATMENT_SECTION = "Pregnancy and breastfeeding"
_NUM = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_DURATION = re.compile(_NUM + r"(?:\s*(?:to|-|–|or)\s*" + _NUM + r")?\s+(day|week|month|year)s?\b", re.I)
_ABOUT_PREGNANCY = re.compile(r"pregnan|contracep|conceiv|trying for a baby|father", re.I)
_PARAGRAPH = re.compile(r"\n\s*\n")
_GENERIC = frozenset("why planning matters tablets tablet creams gels inhibitor inhibitors antibiotics biologics other "
                     "immune medicines what usually considered acceptable find pregnant breastfeeding questions ask "
                     "your doctor retinoid and".split())


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def durations(text: str) -> set[str]:
    """Normalised durations in the paragraphs of text that are about pregnancy or contraception."""
    out = set()
    for paragraph in _PARAGRAPH.split(text):
        if not _ABOUT_PREGNANCY.search(paragraph):
            continue
        for m in _DURATION.finditer(paragraph):
            lo = _number(m.group(1))
            hi = f"-{_number(m.group(2))}" if m.group(2) else ""
            out.add(f"{lo}{hi} {m.group(3).lower()}")
    return out


def _treatment_for(heading: str, treatments: list[Document]) -> list[Document]:
    """Treatment documents whose id or title names a medicine the pregnancy section is headed with."""
    names = [w for w in re.findall(r"[a-z0-9]+", heading.lower()) if len(w) > 2 and w not in _GENERIC]
    return [d for d in treatments if names and (re.search(r"\b" + names[0], d.id.replace("-", " "))
                                                or re.search(r"\b" + names[0], d.title.lower()))]


def pregnancy_disagreements(docs: list[Document]) -> list[Problem]:
    by_id = {d.id: d for d in docs}
    preg = by_id.get(PREGNANCY_DOC)
    if preg is None:
        return []
    treatments = [d for d in docs if d.meta.kind == "treatment"]
    problems = []
    for heading, body in doc_sections(preg.body).items():
        for doc in _treatment_for(heading, treatments):
            own = doc_sections(doc.body).get(TREATMENT_SECTION)
            if own is None:
                continue
            a, b = durations(body), durations(own)
            if a != b:
                problems.append(Problem(
                    path=f"{PREGNANCY_DOC} / {doc.id}", field=f"{heading} / {TREATMENT_SECTION}",
                    message=f"pregnancy waits differ: pregnancy document {sorted(a)}, {doc.id} {sorted(b)}",
                    fix="state the same waits and intervals in both documents"))
    return problems
