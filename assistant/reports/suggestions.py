"""What the report itself suggests doing next, in plain words: further excision, a team meeting, clinical
correlation, more tests, a repeat biopsy, results still to come, a medicine review. Each plain sentence comes from
a sentence of the report that asks for it (recommend, suggest, advise, will be discussed, to follow...), so nothing
is suggested that the report does not say; the report's sentence stays visible in its own words elsewhere."""

from __future__ import annotations

import re

from ..text.sentences import split_sentences

_ASKS = re.compile(r"(?i)\b(?:recommend|suggest|advis|consider|discuss|refer|correlat|to follow|will follow|follow|"
                   r"pending|requested|sent for|awaited|should|may help|might help|would help|needed|required|review)")
# (pattern in the asking sentence, plain sentence)
_WHAT: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(?i)\b(?:re-?excision|wider (?:local )?excision|further (?:surgical )?excision|wide local excision|"
                r"(?:re-?)?excis\w+ (?:with|to achieve) (?:a )?\d|mohs)\b"),
     "The report suggests a further operation to remove more skin around the area."),
    (re.compile(r"(?i)\b(?:MDT|multi-?disciplinary|skin cancer (?:team|meeting|MDT)|tumou?r board|specialist (?:team|"
                r"skin cancer|melanoma)|cancer team)\b"),
     "The report says the case is for discussion by the specialist skin cancer team."),
    (re.compile(r"(?i)\bclinic(?:al|o-?patholog\w*)[\s-]+(?:and[\s-]+\w+[\s-]+)?correlat\w*|correlat\w+ with (?:the )?clinical"),
     "The pathologist asks your doctor to match these results with how your skin looks and your history."),
    (re.compile(r"(?i)\b(?:serolog\w*|blood tests?|serum|ANA|ENA|anti-?dsDNA|BP ?180|BP ?230|complement|urinalysis|"
                r"urine|creatinine|renal function|kidney function)\b"),
     "The report suggests more tests, such as blood or urine tests."),
    (re.compile(r"(?i)\b(?:repeat|further|another|deeper|incisional|larger) biops\w+|\bre-?biops\w+"),
     "The report says another biopsy may help."),
    (re.compile(r"(?i)\b(?:BRAF|molecular|mutation|gene|genetic|TCR|T-cell receptor|clonality|rearrangement)\b"),
     "The report mentions a gene test on the sample; those results come separately."),
    (re.compile(r"(?i)\b(?:culture)\b"),
     "The report suggests a lab culture, which can name the exact germ."),
    (re.compile(r"(?i)\b(?:medication|medicine|drug)s?\b.{0,40}\b(?:history|review|role|cause|trigger|withdraw|stop)|"
                r"\b(?:review|consider)\w*\b.{0,40}\b(?:medication|medicine|drug)s?\b"),
     "The report asks your doctor to review your medicines as a possible cause."),
    (re.compile(r"(?i)\b(?:sentinel (?:lymph )?node|lymph node (?:assessment|evaluation|imaging|ultrasound)|nodal "
                r"(?:assessment|staging)|staging)\b"),
     "The report mentions checking the lymph nodes or further staging."),
    (re.compile(r"(?i)\b(?:dermatolog\w+ (?:review|referral|opinion)|refer\w* to (?:a |the )?dermatolog\w+)"),
     "The report suggests a review by a skin specialist (dermatologist)."),
    (re.compile(r"(?i)\b(?:follow-?up|surveillance|skin checks?|monitor\w*)\b"),
     "The report suggests follow-up checks of your skin."),
]
_NEGATED = re.compile(r"(?i)\b(?:no|not|without)\s+(?:further\s+)?(?:treatment|excision|surgery|action)\s+(?:is\s+)?"
                      r"(?:needed|required|necessary|recommended|indicated)|\bnot (?:required|needed|necessary)\b")
_NOT_ASKED = re.compile(r"(?i)\bnot\s+(?:\w+\s+)?(?:recommended|indicated|required|needed|necessary|advised|"
                        r"suggested)\b|\bno need\b|\bunnecessary\b")
_NO_FURTHER = "The report says no further treatment is needed for this finding."


def suggestions(text: str, limit: int = 5) -> list[str]:
    """Plain sentences for what the (redacted) report suggests doing next, in the order the report asks."""
    out: list[str] = []
    for sent in split_sentences(text or ""):
        if not _ASKS.search(sent) or sent.strip().endswith("?"):
            continue
        if _NEGATED.search(sent):
            if _NO_FURTHER not in out:
                out.append(_NO_FURTHER)
            continue
        if _NOT_ASKED.search(sent):
            continue  # "Sentinel lymph node biopsy is generally not recommended for this T category."
        for rx, plain in _WHAT:
            if rx.search(sent) and plain not in out:
                out.append(plain)
    return out[:limit]
