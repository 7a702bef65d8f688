"""Question types (what is / symptoms / causes / treatment / contagious ...) and the section headings that fit.

Used by retrieval (a section whose heading fits the question gets a fusion bonus) and by the grounded
generator (sentence scoring). Patterns are plain regular expressions: transparent and easy to extend.
"""

from __future__ import annotations

import re

# question type -> (pattern in the question, pattern in a section heading)
QUESTION_TYPES: dict[str, tuple[str, str]] = {
    "contagious": (r"contagious|infectious|catch|spread(ing)? (it )?to|pass (it )?on|give it to", r"contagious"),
    "symptoms": (r"symptom|look(s)? like|signs?\b|feel like|what happens", r"symptom|looks"),
    "causes": (r"\bcause|why do|why does|trigger|reason|how do (i|you) get|flare", r"cause|trigger"),
    "treatment": (r"treat|cure|medicine|medication|cream|ointment|get rid|therapy|manage|help with|what can i (do|use)",
                  r"treatment|self-care|what it treats"),
    "usage": (r"how (do|should|can|often|much) (i|you|we|my)? ?(use|apply|take|put)|how to (use|apply|take)|"
              r"how often|on (my|the) face|how much", r"how it is used|how to use|self-care"),
    "diagnosis": (r"diagnos|\btest|biopsy|how do (they|doctors) know", r"diagnos"),
    "outlook": (r"go away|outlook|forever|permanent|outgrow|life ?long|curable|cure", r"outlook"),
    "side_effects": (r"side effect|safe|risk|danger|harm", r"side effects|monitoring"),
    "pregnancy": (r"pregnan|breastfeed|breast-feed|conceive|baby", r"pregnan"),
    "time": (r"how long|when will|work(s)? (fast|quickly)|take to work", r"how long"),
    "who": (r"who gets|\bage\b|children|kids|common|inherit|genetic", r"who gets"),
    "urgent": (r"urgent|emergency|a&e|\ber\b", r"urgent"),
    "meaning": (r"^(what|wat) (is|are|does)\b|what's|\bmean|define|definition", r"what it is|meaning|what the"),
}
_COMPILED = {k: (re.compile(q, re.I), re.compile(h, re.I)) for k, (q, h) in QUESTION_TYPES.items()}


def question_types(question: str) -> list[str]:
    return [k for k, (q, _) in _COMPILED.items() if q.search(question)]


def heading_fits(heading: str, types: list[str]) -> bool:
    return any(_COMPILED[t][1].search(heading) for t in types)


def sentence_fits(sentence: str, types: list[str]) -> bool:
    """The sentence itself speaks to the question type (e.g. says 'contagious')."""
    return any(_COMPILED[t][0].search(sentence) for t in types if t != "meaning")
