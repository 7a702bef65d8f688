"""Clause-aware negation (NegEx-style) on normalised text: one negation scope for the safety rules and the
evaluation's claim checks.

``normalise(text)``: lower case, NFKC, apostrophes removed ("can't" -> "cant"), HTML tags dropped, punctuation other
than clause marks turned into spaces. ``is_negated(text, start)`` on normalised text: a negation cue a few words
back in the same clause (a clause ends at sentence punctuation, a contrast word, or "and" with a new subject), minus
phrases that contain a negation word but negate nothing ("not sure", "cant stop", "doesnt heal").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_TAG = re.compile(r"<[^<>]{0,300}>")
# Punctuation spoken into a phone and sent as transcribed ("is it catching full stop my little boy..."): made real,
# so a dictated message has clauses like a typed one ("period" stays a word: it is also a menstrual period)
_SPOKEN_MARK = re.compile(r"\b(?:(full stop)|(question mark)|(exclamation (?:mark|point))|(new (?:line|paragraph)))\b",
                          re.I)
_APOSTROPHE = re.compile(r"[\u2019\u2018'`\u00b4]")
_DEGREES = re.compile(r"(\d)\s*(?:\u00b0|\u00ba|degrees?)\s*([cf])?\b")
_JUNK = re.compile(r"[^\w.,;:!?/+\- ]+")
_SPACE = re.compile(r"\s+")

# A clause ends at sentence punctuation or a contrast word; negation never crosses a clause boundary.
_CLAUSE_END = re.compile(r"[.;:!?,]|\b(?:but|however|although|though|except|yet|whereas|apart from)\b")
# "and" followed by a new subject also ends a negation's scope: "no fever and my lips are swelling".
_NEW_SUBJECT = re.compile(r"\band (?:now |then |also )?(?:i|im|ive|my|me|she|shes|he|hes|his|her|it|its|the|"
                          r"there|theres|they|theyre|their|we|our|this|that|now|then|suddenly)\b")
# One list of negation words. The scope check (what a message denies) adds the words that deny a finding; the
# polarity check (does a sentence say "not" at all, for the answer guard's contradiction test) adds the words that
# turn advice around.
NEGATION_WORDS = ("no", "not", "never", "nor", "neither", "none", "nothing", "isnt", "arent", "wasnt", "werent",
                  "dont", "doesnt", "didnt", "havent", "hasnt", "wont", "wouldnt", "cant", "cannot")
_SCOPE_EXTRA = ("without", "denies", "deny", "denied", "hadnt", "free of", "ruled out", "negative for", "nowhere near")
_POLARITY_EXTRA = ("nobody", "shouldnt", "mustnt", "instead of", "rather than")


def _cues(*words: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


_NEGATION_CUE = _cues(*NEGATION_WORDS, *_SCOPE_EXTRA)
_POLARITY_CUE = _cues(*NEGATION_WORDS, *_POLARITY_EXTRA)
_NOT_POLARITY = re.compile(r"\b(?:no matter|whether or not)\b")  # a negation word that turns nothing around
# Phrases that contain a negation word but do not negate what follows.
_PSEUDO_NEGATION = re.compile(
    r"\b(?:(?:cant|cannot|wont|doesnt|dont|didnt|not|never) (?:stop|stopping|seem to stop)|not sure|"
    r"not only|not just|no matter|no idea|no point|dont know|do not know|not certain|cant tell|no longer able|"
    r"not able to|no one|nobody|no reason|not long|no end|nothing (?:seems|helps|works)|"
    r"(?:not|nt|never|cant|wont|doesnt|isnt|hasnt) (?:heal|healing|healed|getting better|go away|gone away|clear|"
    r"improv\w*|settl\w*|get better)|dont want to (?:be|live|exist|wake|go on|carry on|keep going))\b")
_NEGATION_WINDOW = 6  # words before a match that a negation cue can reach back over


def normalise(text: str, spoken_marks: bool = True) -> str:
    """Lower-case, NFKC-normalised, tags and odd symbols removed, apostrophes dropped, spaces collapsed; spoken
    punctuation made real unless ``spoken_marks`` is False."""
    t = unicodedata.normalize("NFKC", text or "")
    t = _TAG.sub(" ", t)
    if spoken_marks:
        t = _SPOKEN_MARK.sub(lambda m: ". " if m.group(1) or m.group(4) else "? " if m.group(2) else "! ", t)
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


def has_negation(text: str) -> bool:
    """Does the sentence say "not" at all (any cue, "instead of" and "rather than" included)? The answer guard's
    contradiction test compares this between an answer sentence and its evidence. ``text``: raw or normalised."""
    return bool(_POLARITY_CUE.search(_NOT_POLARITY.sub(" ", normalise(text))))
