"""Word lists the triage rules are built from (lower case, apostrophes removed; see text.normalise).

Lists, not sentences: the rules combine these concepts, so a paraphrase that uses any listed word is
covered, and exemplar similarity catches the rest. The lists are data, in the shipped knowledge base's
``lexicon/safety_words.yaml`` (so a clinician can review them and ``dermassist kb check`` validates them); they
load once, on first use. They are the product's own safety floor, so they always come from the shipped knowledge
base, whatever ``kb_path`` a deployment sets.
"""

from __future__ import annotations

import functools

# module attribute -> the lists it is made of, in order
EXPORTS = {
    "IMMUNOSUPPRESSANTS": ("immunosuppressants",),
    "SKIN_MEDICINES": ("immunosuppressants", "other_skin_medicines"),
    "MEDICINE_WORDS": ("medicine_words",),
    "HIGH_RISK_NEW_DRUGS": ("high_risk_new_drugs",),
    "SKIN_TOPIC": ("skin_topic",),
    "OFF_TOPIC": ("off_topic",),
}


def words(*items: str) -> str:
    """A regex alternation of the items, longest first, as whole words."""
    return r"\b(?:" + "|".join(sorted(items, key=len, reverse=True)) + r")\b"


@functools.lru_cache(maxsize=1)
def _lists() -> dict[str, list[str]]:
    from ..kb_lexicons import SAFETY_WORDS, load_word_lists

    lists = load_word_lists(SAFETY_WORDS)
    return {attr: [w for part in parts for w in lists[part]] for attr, parts in EXPORTS.items()}


def __getattr__(name: str):
    if name in EXPORTS:
        return _lists()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
