"""Fidelity checks: does a text written for a patient keep the facts of its source exactly?

General on purpose: the report explainer runs these on every explanation (``raw_facts`` is the second check, one
that does not trust the parser), and an LLM rewrite can be checked the same way (build :class:`SourceFacts` once from the source, call :func:`check_fidelity` on each
candidate text). Checks:

- numbers: every number with its unit (0.6 mm, 1.2 x 0.8 cm, 2/mm2, 15%) and every bare number is still there;
- terms: stages (pT1a), sites and laterality (left forearm) appear word for word;
- qualifiers: each uncertain finding keeps its certainty words ("consistent with psoriasis") in one sentence,
  and no sentence states it as a plain fact ("you have psoriasis");
- claims: no sentence asserts a diagnosis the source does not state, and nothing calls a cancer benign;
- PHI: nothing that looks like personal health information survived (``assistant.phi.contains_phi``).
"""

from __future__ import annotations

import re
from typing import Literal, Mapping

from pydantic import BaseModel, Field

from ..phi import contains_phi
from ..text.numbers import Measurement, bare_numbers, measurements
from ..text.sentences import split_sentences

class QualifiedClaim(BaseModel):
    subject: str = Field(description="the diagnosis as written, e.g. 'psoriasis'")
    qualifier: str = Field(description="the certainty words as written, e.g. 'consistent with'")
    family: str


class SourceFacts(BaseModel):
    """What a faithful text must keep, taken from the source once."""

    measurements: list[Measurement] = Field(default_factory=list)
    numbers: list[float] = Field(default_factory=list, description="bare numbers that must still appear")
    terms: list[str] = Field(default_factory=list, description="stages, sites, laterality: kept word for word")
    qualified: list[QualifiedClaim] = Field(default_factory=list)
    stated: dict[str, str] = Field(default_factory=dict, description="diagnosis name -> strongest certainty level")
    categories: dict[str, str] = Field(default_factory=dict, description="diagnosis name -> category (malignant...)")
    malignant: bool = False


class FidelityProblem(BaseModel):
    check: Literal["number", "term", "qualifier", "claim", "phi"]
    detail: str


class FidelityReport(BaseModel):
    passed: bool
    problems: list[FidelityProblem] = Field(default_factory=list)
    checked: dict[str, int] = Field(default_factory=dict)


# A claim is an asserting phrase followed closely by a diagnosis ("you have X", "the biopsy shows X", "this is X"),
# or a diagnosis followed by a finding verb ("X was found"). Negated phrases ("does not show") are not claims.
_CUE_BEFORE = re.compile(r"\b(?:you have|you've got|you had|you were diagnosed with|diagnosed with|diagnosis (?:is|of)|"
                         r"shows?|showed|shown|confirms?|confirmed|proves?|proved|found|reveals?|revealed|"
                         r"this is|it is|it's|the result is|the main finding is|names|the finding is)\b", re.I)
_CUE_AFTER = re.compile(r"^[\s,]*(?:was|were|is|are|has been|have been)\s+(?:found|present|seen|confirmed|diagnosed|"
                        r"identified|shown)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|no|never|without|cannot|n't)\W+(?:\w+\W+)?$", re.I)


def _mentions(sentence: str, lex: Mapping[str, re.Pattern]) -> list[tuple[str, int, int]]:
    """(name, start, end) of diagnoses in ``sentence``; where two overlap the longer wins
    ("dysplastic compound naevus" is not also "compound naevus")."""
    cands = sorted(((name, m.start(), m.end()) for name, rx in lex.items() for m in rx.finditer(sentence)),
                   key=lambda c: (c[1] - c[2], c[1]))
    out: list[tuple[str, int, int]] = []
    for c in cands:
        if not any(c[1] < o[2] and o[1] < c[2] for o in out):
            out.append(c)
    return out


def _claims(sentence: str, start: int, end: int) -> bool:
    """Does ``sentence`` assert the diagnosis found at ``start:end``?"""
    before = sentence[max(0, start - 60):start]
    cue = None
    for c in _CUE_BEFORE.finditer(before):
        cue = c
    if cue:
        between = before[cue.end():]
        if not re.search(r"[.;:]", between) and not _NEGATED.search(before[:cue.start()][-20:]) and \
                not re.search(r"\b(?:no|not|without|negative|free of)\b", between, re.I):
            return True
    # "X was found", unless the clause says it was not: "No fungal organisms are identified"
    return bool(_CUE_AFTER.match(sentence[end:end + 40])) and not re.search(
        r"(?i)\b(?:no|not|without|negative for|free of)\s+(?:\w+\s+){0,3}$", sentence[max(0, start - 40):start])


_BENIGN_CLAIM = re.compile(r"(?i)\b(?:is|it's|was|are|were|be|as)\s+(?:\w+\s+)?(?:benign|harmless|not\s+(?:a\s+)?cancer"
                           r"(?:ous)?|nothing\s+to\s+worry)|\bcancer[- ]free\b|\bno\s+cancer\s+(?:was\s+)?found")


def _contains_number(out_meas: list[Measurement], out_nums: set[float], m: Measurement) -> bool:
    return any(abs(o.value - m.value) < 1e-9 and o.unit == m.unit for o in out_meas) or (
        m.unit == "%" and m.value in out_nums)


def check_fidelity(facts: SourceFacts, text: str, *, claims_text: str | None = None,
                   lexicon: Mapping[str, re.Pattern] | None = None) -> FidelityReport:
    """Check ``text`` against ``facts``. Claims are checked on ``claims_text`` (default: ``text``), so a
    caller can leave out parts that define words rather than state findings (a glossary).
    ``lexicon`` maps diagnosis names to patterns (default: the report explainer's lexicon)."""
    problems: list[FidelityProblem] = []
    low = (text or "").lower()
    out_meas, out_nums = measurements(text), set(bare_numbers(text))
    for m in facts.measurements:
        if not _contains_number(out_meas, out_nums, m):
            problems.append(FidelityProblem(check="number", detail=f"missing {m.text}"))
    for n in facts.numbers:
        if n not in out_nums and not any(abs(o.value - n) < 1e-9 for o in out_meas):
            problems.append(FidelityProblem(check="number", detail=f"missing the number {n:g}"))
    for t in facts.terms:
        if t.lower() not in low:
            problems.append(FidelityProblem(check="term", detail=f"missing '{t}'"))
    sents = split_sentences(claims_text if claims_text is not None else text or "")
    problems += _check_qualifiers(facts, sents)
    problems += _check_claims(facts, sents, lexicon)
    kinds = contains_phi(text)
    if kinds:
        problems.append(FidelityProblem(check="phi", detail=f"possible personal details left: {', '.join(kinds)}"))
    checked = {"measurements": len(facts.measurements), "numbers": len(facts.numbers), "terms": len(facts.terms),
               "qualifiers": len(facts.qualified), "sentences": len(sents)}
    return FidelityReport(passed=not problems, problems=problems, checked=checked)


def _check_qualifiers(facts: SourceFacts, sents: list[str]) -> list[FidelityProblem]:
    problems = []
    for q in facts.qualified:
        if q.family == "diagnostic":
            continue
        subj = q.subject.lower()
        with_subject = [s.lower() for s in sents if subj in s.lower()]
        if not any(q.qualifier.lower() in s for s in with_subject):
            problems.append(FidelityProblem(check="qualifier", detail=f"'{q.qualifier}' dropped for {q.subject}"))
    return problems


def _lexicon(lexicon: Mapping[str, re.Pattern] | None) -> Mapping[str, re.Pattern]:
    if lexicon is not None:
        return lexicon
    from .lexicon import diagnosis_patterns

    return diagnosis_patterns()


def _check_claims(facts: SourceFacts, sents: list[str], lexicon) -> list[FidelityProblem]:
    problems = []
    lex = _lexicon(lexicon)
    quals = [q.qualifier.lower() for q in facts.qualified]
    for s in sents:
        if _is_quote(s):
            continue
        found = _mentions(s, lex)
        if facts.malignant and _BENIGN_CLAIM.search(s) and not any(
                facts.categories.get(n) not in (None, "malignant") and facts.stated.get(n) != "negative"
                for n, _, _ in found):
            problems.append(FidelityProblem(check="claim", detail="calls a cancer finding benign or harmless"))
        for name, start, end in found:
            if not _claims(s, start, end):
                continue
            level = facts.stated.get(name)
            if level is None or level == "negative":
                problems.append(FidelityProblem(check="claim", detail=f"states '{name}', which the source does not state"))
            elif level != "definite" and not any(q in s.lower() for q in quals):
                problems.append(FidelityProblem(check="claim", detail=f"states '{name}' as certain; the source is {level}"))
    return problems


def sentence_problems(facts: SourceFacts, sentence: str, lexicon: Mapping[str, re.Pattern] | None = None
                      ) -> list[FidelityProblem]:
    """Claim problems of one sentence: use it to drop a sentence before it is shown."""
    return _check_claims(facts, split_sentences(sentence or ""), lexicon)


def _is_quote(sentence: str) -> bool:
    """Sentences that quote the source word for word are not claims of the writer."""
    return bool(re.match(r'^\W*(?:the report\'s words|the report says|the pathologist wrote|report:)', sentence, re.I))
