"""The sentence splitter: abbreviation-aware ("Dr. Smith", "e.g. this", "J. K. Rowe" stay whole), a stop before a
stage code that starts in lower case still ends a sentence ("... 0.6 mm. pT1a ..."), and every Markdown bullet or
line is its own sentence. The answer backends, the answer guard, the report fidelity check and the evaluation
all split with it."""

from __future__ import annotations

import re

# a sentence ends at . ! ? before a capital, a digit, a quote or bracket, or a stage code that starts in lower case
# ("... 0.6 mm. pT1a ...")
# No split after a title, a common abbreviation or an initial ("Dr. Smith", "e.g. this", "J. K. Rowe").
_NO_SPLIT_AFTER = "".join(rf"(?<!\b{a})" for a in (r"Dr\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Prof\.", r"St\.", r"e\.g\.",
                                                   r"i\.e\.", r"vs\.", r"approx\.", r"cf\.", r"Fig\.", r"No\.",
                                                   r"[A-Z]\."))
_SENTENCE_END = re.compile(r"(?<=[.!?])" + _NO_SPLIT_AFTER + r"\s+(?=[A-Z0-9\"'(\[]|(?:y|r)?p[TNM](?:is|[0-4X]))")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; each Markdown bullet or line is its own sentence."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line).strip()
        if line:
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out
