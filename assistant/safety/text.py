"""Text helpers for triage: normalisation, clause-aware negation (NegEx-style) and question framing.

All matching in the safety layer runs on ``normalise(text)``: lower case, apostrophes removed
("can't" -> "cant", "I'm" -> "im"), HTML tags dropped, punctuation other than clause marks turned into
spaces. Rules therefore write ``cant``, ``im``, ``doesnt`` and so on.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_TAG = re.compile(r"<[^<>]{0,300}>")
_APOSTROPHE = re.compile(r"[\u2019\u2018'`\u00b4]")
_DEGREES = re.compile(r"(\d)\s*(?:\u00b0|\u00ba|degrees?)\s*([cf])?\b")
_JUNK = re.compile(r"[^\w.,;:!?/+\- ]+")
_SPACE = re.compile(r"\s+")

# A clause ends at sentence punctuation or a contrast word; negation never crosses a clause boundary.
_CLAUSE_END = re.compile(r"[.;:!?,]|\b(?:but|however|although|though|except|yet|whereas|apart from)\b")
# "and" followed by a new subject also ends a negation's scope: "no fever and my lips are swelling".
_NEW_SUBJECT = re.compile(r"\band (?:now |then |also )?(?:i|im|ive|my|me|she|shes|he|hes|his|her|it|its|the|"
                          r"there|theres|they|theyre|their|we|our|this|that|now|then|suddenly)\b")
_NEGATION_CUE = re.compile(
    r"\b(?:no|not|never|without|denies|deny|denied|nor|neither|none|nothing|isnt|arent|wasnt|werent|dont|"
    r"doesnt|didnt|havent|hasnt|hadnt|wont|wouldnt|cant|cannot|free of|ruled out|negative for)\b")
# Phrases that contain a negation word but do not negate what follows.
_PSEUDO_NEGATION = re.compile(
    r"\b(?:(?:cant|cannot|wont|doesnt|dont|didnt|not|never) (?:stop|stopping|seem to stop)|not sure|"
    r"not only|not just|no matter|no idea|dont know|do not know|not certain|cant tell|no longer able|"
    r"not able to|no one|nobody|no reason|not long|no end|nothing (?:seems|helps|works)|"
    r"(?:not|nt|never|cant|wont|doesnt|isnt|hasnt) (?:heal|healing|healed|getting better|go away|gone away|clear|"
    r"improv\w*|settl\w*|get better)|dont want to (?:be|live|exist|wake|go on|carry on|keep going))\b")
_NEGATION_WINDOW = 6  # words before a match that a negation cue can reach back over

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


def normalise(text: str) -> str:
    """Lower-case, NFKC-normalised, tags and odd symbols removed, apostrophes dropped, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text or "")
    t = _TAG.sub(" ", t)
    t = _APOSTROPHE.sub("", t.lower())
    t = _DEGREES.sub(lambda m: f"{m.group(1)} {m.group(2) or 'c'}", t)
    t = _JUNK.sub(" ", t)
    return _SPACE.sub(" ", t).strip()


def clause_starts(text: str) -> list[int]:
    """Sorted offsets where a clause (a negation scope) begins; compute once per message."""
    starts = {0}
    starts.update(m.end() for m in _CLAUSE_END.finditer(text))
    starts.update(m.start() + 4 for m in _NEW_SUBJECT.finditer(text))  # keep the new subject inside the clause
    return sorted(starts)


def is_negated(text: str, start: int, starts: list[int] | None = None) -> bool:
    """True when a negation cue governs the words starting at ``start`` (same clause, a few words back)."""
    starts = clause_starts(text[:start]) if starts is None else starts
    begin = starts[bisect_right(starts, start) - 1]
    before = text[max(begin, start - 120):start]
    before = _PSEUDO_NEGATION.sub(" ", before)
    words = before.split()[-_NEGATION_WINDOW:]
    return bool(_NEGATION_CUE.search(" ".join(words)))


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
