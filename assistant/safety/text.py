"""Text helpers for triage: normalisation, clause-aware negation (NegEx-style) and question framing.

All matching in the safety layer runs on ``normalise(text)``: lower case, apostrophes removed
("can't" -> "cant", "I'm" -> "im"), HTML tags dropped, punctuation other than clause marks turned into
spaces. Rules therefore write ``cant``, ``im``, ``doesnt`` and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# normalising and the negation scope are shared with the evaluation (assistant/text/negation.py)
from ..text.negation import clause_starts, is_negated, normalise  # noqa: F401  (re-exported)

PERSONAL = re.compile(
    r"\b(?:i|im|ive|id|ill|me|my|mine|myself|we|our|us|he|hes|she|shes|his|her|him|hers|son|sons|daughter|"
    r"daughters|baby|babys|babies|child|childs|kid|kids|toddler|toddlers|infant|newborn|husband|wife|partner|"
    r"girlfriend|boyfriend|mum|mom|mums|moms|mother|dad|dads|father|brother|sister|friend|grandma|grandpa|"
    r"grandmother|grandfather|nan|gran|teen|teenager|patient)\b")
_GENERAL_OPENING = re.compile(
    r"^(?:what|whats|how|hows|why|when|which|who|where|is|are|can|could|does|do|did|should|will|would|may|"
    r"tell me about|explain|define|describe|list|any)\b")


_EXPLICIT_GENERAL = re.compile(r"\b(?:in general|generally speaking|just curious|out of curiosity|hypothetically|"
                               r"for general knowledge|asking in general|not asking for myself)\b")
_READ_OR_WONDER = re.compile(r"\b(?:i|ive|i have|im|i am|i was|id)(?: just| only| always)? (?:read|heard|seen|saw|"
                             r"watched|wonder\w*|curious|asking|interested|been reading)\b|\bjust curious\b")


@dataclass(frozen=True)
class Match:
    concept: str
    start: int
    end: int
    negated: bool


def find(text: str, concept: str, pattern: re.Pattern, starts: list[int] | None = None) -> list[Match]:
    starts = clause_starts(text) if starts is None else starts
    return [Match(concept, m.start(), m.end(), is_negated(text, m.start(), starts)) for m in pattern.finditer(text)]


def is_general_question(text: str) -> bool:
    """An information question about a topic, not about the writer or someone they know.

    "can methotrexate cause a fever" is general; "im on methotrexate and have a fever" is not.
    """
    if _EXPLICIT_GENERAL.search(text):
        # "In general, is it safe to take X with Y? Just curious, I've read...": the writer says it is not personal
        rest = _READ_OR_WONDER.sub(" ", text)
        return not PERSONAL.search(rest)
    return bool(_GENERAL_OPENING.match(text)) and not PERSONAL.search(text)
