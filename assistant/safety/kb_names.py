"""The knowledge base's own topic names, so that a message naming one is never "out of scope".

The rules' skin vocabulary (lexicon.SKIN_TOPIC) is a closed list; the knowledge base grows. A message that names
a condition, medicine or term the knowledge base has a document or glossary entry for ("AEIOU merkel cell",
"how do you use driclor", "DFSP") is about skin even when no listed skin word appears.
Names come from each document's ``conditions`` and title, the glossary's terms and synonyms, and the lay-word
table (knowledge_base/lexicon/synonyms.yaml plus assistant/synonyms.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Glossary and title words that are not skin topics on their own.
_NOT_TOPICS = frozenset("""
scan scans x-ray radiotherapy chemotherapy immunotherapy pregnancy contraception breastfeeding vaccine vaccines
infection infections antibiotic antibiotics surgery stitches dressing tablets tablet capsule injection injections
off-label prescription pharmacist doctor nurse specialist clinic hospital follow-up outlook stage stages grade
heart liver kidney kidneys lungs eye eyes mouth
""".split()) | frozenset([
    "mri scan", "ct scan", "blood test", "blood tests", "live vaccine", "general anaesthetic", "local anaesthetic",
    "side effects", "off-label use", "lymph node", "lymph nodes", "blood sugar"])


def _head(title: str) -> list[str]:
    """'Dermatofibrosarcoma protuberans (DFSP)' -> ['dermatofibrosarcoma protuberans', 'dfsp']."""
    main = re.split(r"[:(]| - ", title)[0].strip().lower()
    extra = [x.strip().lower() for x in re.findall(r"\(([^)]+)\)", title)]
    return [main, *[e for part in extra for e in re.split(r",| and ", part)]]


@lru_cache(maxsize=4)
def kb_topic_pattern(kb_path: str) -> re.Pattern | None:
    from ..knowledge import check_knowledge_base
    from ..synonyms import table

    docs, _ = check_knowledge_base(kb_path)
    if not docs:
        return None
    names: set[str] = set()
    for d in docs:
        names.update(c.lower() for c in d.meta.conditions)
        if d.meta.kind in ("condition", "treatment"):
            names.update(_head(d.title))
        for t in d.terms:
            names.update(n.lower() for n in [t.term, *t.synonyms])
    names.update(table())
    names = {_fold(n) for n in names}
    names = {n for n in names if len(n) >= 4 and n not in _NOT_TOPICS and not n.isdigit()}
    if not names:
        return None
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.I)


def _fold(text: str) -> str:
    """The form both sides are compared in: the triage text normalisation, accents and apostrophes dropped
    ("Behçet's" and "behcets" meet)."""
    from ..text.accents import strip_accents
    from .text import normalise

    plain = strip_accents(normalise(text)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", plain.replace("'", "")).strip().lower()


def names_kb_topic(text: str, kb_path) -> bool:
    pattern = kb_topic_pattern(str(kb_path)) if kb_path else None
    return bool(pattern and text and pattern.search(_fold(text)))
