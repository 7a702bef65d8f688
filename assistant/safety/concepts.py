"""Named concepts (regexes over normalised text) that the triage rules combine.

Each concept is a phrase family for lay wording, written as data: ``knowledge_base/lexicon/safety_phrases.yaml``
(a list of alternatives per concept, with shared parts), read once on first use and checked as ``dermassist kb
check`` checks it. The concepts that are only a word list (the medicine lists, skin topics, off-topic words) are
built here from ``safety_words.yaml``. Typos are handled before matching (spelling.py). A concept "is present" when
at least one match is not negated (text.is_negated): "no fever" does not count as fever.
"""

from __future__ import annotations

import re
from functools import cache

from ..kb_lexicons import PHRASE_PLACEHOLDER

# {{gap N}}: up to N filler words, lazily; a filler word is never a negation ("throat is not swelling" is no match).
GAP = r"(?:(?!(?:no|not|never|isnt|arent|wasnt|werent|dont|doesnt|didnt|hasnt|havent|without)\b)\w+ ){0,%d}?"


def _word_list_concepts() -> dict[str, str]:
    from .lexicon import HIGH_RISK_NEW_DRUGS, IMMUNOSUPPRESSANTS, MEDICINE_WORDS, OFF_TOPIC, SKIN_MEDICINES, SKIN_TOPIC
    from .lexicon import words as W  # noqa: N812

    return {
        "sjs_drug": W(*HIGH_RISK_NEW_DRUGS[:-1]),  # the high-risk drugs but the last entry (antibiotics in general)
        "immunosuppressant": W(*IMMUNOSUPPRESSANTS),
        "skin_medicine": W(*SKIN_MEDICINES),
        "medicine_word": W(*MEDICINE_WORDS),
        "skin_topic": W(*SKIN_TOPIC) + "|" + W(*SKIN_MEDICINES),
        "off_topic": W(*OFF_TOPIC),
    }


def builtin_parts() -> dict[str, str]:
    """The {{medicine}} and {{skin_medicine}} parts: the medicine lists of safety_words.yaml."""
    from .lexicon import HIGH_RISK_NEW_DRUGS, MEDICINE_WORDS, SKIN_MEDICINES

    return {"medicine": "(?:" + "|".join(SKIN_MEDICINES + MEDICINE_WORDS + HIGH_RISK_NEW_DRUGS) + r")\b",
            "skin_medicine": "(?:" + "|".join(SKIN_MEDICINES) + r")\b"}


def expand(phrase: str, parts: dict[str, str]) -> str:
    """A phrase of the data file with its {{part}} and {{gap N}} placeholders filled in (KeyError: unknown part)."""
    return PHRASE_PLACEHOLDER.sub(lambda m: GAP % int(m.group(2)) if m.group(1) == "gap" else parts[m.group(1)], phrase)


@cache
def concepts() -> dict[str, str]:
    """Concept name -> regular expression (the phrase family's alternatives joined with |)."""
    from ..kb_lexicons import load_safety_phrases

    data = load_safety_phrases()
    parts = {**data["parts"], **builtin_parts()}
    phrases = {name: "|".join(expand(p, parts) for p in alternatives) for name, alternatives in data["concepts"].items()}
    return {**phrases, **_word_list_concepts()}


@cache
def compiled(name: str) -> re.Pattern:
    """Whole words only: "itch" is not in "switch", "die" is not in "diet", "pus" is not in "lupus"."""
    return re.compile(r"(?<![a-z0-9])(?:" + concepts()[name] + r")(?![a-z0-9])")
