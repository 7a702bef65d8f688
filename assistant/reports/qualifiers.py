"""Certainty words of a pathology report ("consistent with", "cannot exclude", "not identified"), grouped in
families with a level each, and the stage and Clark-level patterns. The report parser, the fidelity checks and the
raw-fact reader share them."""

from __future__ import annotations

import re

# family -> surface phrases (regex). "pre" phrases come before the diagnosis, "post" phrases after it.
QUALIFIERS_PRE: dict[str, str] = {
    "diagnostic": r"diagnostic of",
    "fits": r"consistent with|in keeping with|compatible with|characteristic of|typical of|c/w",
    "favour": r"favou?r(?:ing|ed|s)?|in favou?r of|most likely|probable|probably|likely",
    "suggestive": r"suggestive of|suspicious (?:for|of)|worrisome for|concerning for|raises? the possibility of",
    "possible": (r"cannot (?:entirely |completely |definitively )?(?:exclude|rule out)|can ?not be excluded|"
                 r"cannot be ruled out|possible|possibly|rule out|r/o|may represent|could represent|"
                 r"to exclude|query|\?"),
    "differential": r"differential diagnos[ie]s (?:includes?|include|is|are|of)|differential includes?|ddx:?|"
                    r"differential diagnosis:",
    "negative": r"no evidence of|negative for|free of|without evidence of|absence of|not consistent with|no",
}
QUALIFIERS_POST: dict[str, str] = {
    "possible": r"(?:cannot|can ?not|could not) (?:be )?(?:entirely |completely |definitively )?"
                r"(?:excluded|ruled out)|is (?:not )?excluded|not excluded|is possible|is a possibility",
    "favour": r"(?:is |are )?favou?red|is (?:most )?likely|is probable",
    "suggestive": r"is suggested|is suspected",
    "negative": r"(?:is |are |was |were )?(?:not identified|not seen|not present|absent|not detected|negative)",
}
LEVEL_OF_FAMILY = {"diagnostic": "definite", "fits": "probable", "favour": "probable", "suggestive": "possible",
                   "possible": "possible", "differential": "possible", "negative": "negative",
                   "alternative": "possible"}

STAGE_RE = re.compile(r"\b(?:y|r|m)?p[TNM](?:is|[0-4X])(?:[a-d])?(?:\s*\(\w+\))?|\b(?:y|r)?pN[0-3X][a-c]?\b")
CLARK_RE = re.compile(r"(?i)\bclark(?:'s)?\s+level\s*:?\s*(?:I{1,3}|IV|V|[1-5])\b")
