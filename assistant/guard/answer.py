"""The faithfulness guard for LLM-written answers: every sentence must be backed by the evidence.

Sentence by sentence (evidence = the retrieved passages, plus the report or sentence being rewritten):
- ``garbage``: no words, a token loop ("1.1.1.1", "the the the"), or a run-on sentence;
- ``incomplete``: the reply's last sentence was cut off (the token limit ended it mid-sentence);
- ``bad_citation``: a marker [n] that points at no passage;
- ``number`` / ``drug`` / ``diagnosis``: a number or dose, medicine, or diagnosis the evidence does not have
  (numbers and diagnoses via ``assistant.guard`` and the report lexicon, medicines via the triage lexicon);
- ``unsupported``: no passage supports it (``assistant.guard.support``: MiniLM similarity + content-word overlap);
- ``contradiction``: it negates its best evidence, or the other way round ("is contagious" against "is not
  contagious"): no evidence unit about as similar as the best one has the same polarity;
- ``reading_grade``: far above the plain-language target.
Failing sentences are removed and each kept one is cited with the passage that supports it. The answer as
a whole falls back when nothing is kept, when more than ``max_removed_share`` is removed, or when the
required content (normally the grounded answer's lead) is missing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal, Sequence

from pydantic import BaseModel, Field

from ..readability import fkgl
from ..reports.lexicon import find_mentions
from ..safety.lexicon import SKIN_MEDICINES
from ..synonyms import table as synonym_table
from ..text.citations import cited_numbers as markers  # noqa: F401  (the guard's name for them)
from ..text.citations import has_marker, markers_inside, strip_markers  # noqa: F401  (strip_markers re-exported)
from ..text.negation import has_negation
from ..text.numbers import bare_numbers, measurements
from ..text.sentences import split_sentences
from .support import SupportScorer

Reason = Literal["garbage", "incomplete", "bad_citation", "number", "drug", "diagnosis", "unsupported",
                 "contradiction", "reading_grade"]
MAX_SENTENCE_WORDS = 60
MAX_SENTENCE_GRADE = 16.0
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split()) if i >= 2}
_NUMBER_WORDS.update({"twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "hundred": "100",
                      "thousand": "1000", "million": "1000000", "twice": "2", "half": "0.5"})
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_DOSE_UNITS = {"µg": "mcg", "ug": "mcg", "units": "unit"}
_DOSE_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(mg|g|mcg|µg|ug|ml|iu|units?|%)(?![a-z])", re.I)
# Medicine names by their stems, for medicines the triage lexicon does not list.
_DRUG_SUFFIX = re.compile(r"\b[a-z]{3,}(?:mab|cept|tinib|citinib|limus|cycline|mycin|azole|cillin|floxacin|olone|"
                          r"isone|asone|ilast|ciclovir|statin|sartan|olol|retinoin|otene)\b", re.I)
# Diagnosis-like words the report lexicon does not list ("-itis", "-osis", "cancer", ...).
_DX_EXTRA = re.compile(r"\b(?:[a-z]{3,}(?:itis|osis|iasis|pathy|oma|aemia|emia)|cancers?|tumou?rs?|"
                       r"leuka?emia|diabetes|scabies|impetigo|shingles|herpes|warts?|hiv|syndrome)\b", re.I)
_NOT_DX = {"diagnosis", "prognosis", "aroma", "diploma", "stoma", "coma", "sympathy", "empathy", "apathy",
           "osmosis", "hypnosis", "academia", "soma"}
_LOOP = re.compile(r"(\b\S+\b)(?:\W+\1\b){3,}|(\d+[.,])\1{2,}", re.I)


@lru_cache(maxsize=1)
def _drug_re() -> re.Pattern:
    names = [p for p in SKIN_MEDICINES if not p.startswith("skin ")]
    return re.compile(r"\b(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")\b", re.I)


def split_marked(text: str) -> list[str]:
    """Sentences with their citation markers; a marker after the full stop ("... skin. [1]") stays with
    the sentence it follows."""
    return split_sentences(markers_inside(text))


def ends_cleanly(text: str) -> bool:
    """True when the text's last sentence is finished (ends in . ! ? or :, before any citation marker)."""
    return bool(re.search(r"[.!?:][\"')\]]*$", strip_markers(text).rstrip()))


def number_facts(text: str) -> tuple[set[float], set[tuple[float, str]]]:
    """(numbers, (number, unit) pairs) in ``text``; number words count ("two weeks" = "2 weeks")."""
    t = _NUMBER_WORD_RE.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], strip_markers(text))
    pairs = {(m.value, m.unit) for m in measurements(t)}
    pairs |= {(float(v), _DOSE_UNITS.get(u.lower(), u.lower())) for v, u in _DOSE_RE.findall(t)}
    return set(bare_numbers(t)) | {v for v, _ in pairs}, pairs


def _lay_variants(term: str) -> set[str]:
    """The term plus the knowledge base's words for it (retrieval's abbreviation table, both ways)."""
    t = term.lower()
    out = {t, t.rstrip("s")}
    syn = synonym_table()
    out |= {v.lower() for k, v in syn.items() if k == t}
    out |= {k for k, v in syn.items() if v.lower() == t}
    return out


def drugs(text: str) -> set[str]:
    found = {m.group(0).lower() for m in _drug_re().finditer(text)}
    return found | {m.group(0).lower() for m in _DRUG_SUFFIX.finditer(text)}


def diagnoses(text: str) -> set[str]:
    """Diagnoses named in ``text``: report-lexicon names, plus other diagnosis-like words as written."""
    mentions = find_mentions(text)
    found = {m.dx for m in mentions}
    spans = " ".join(m.surface.lower() for m in mentions)
    for m in _DX_EXTRA.finditer(text):
        w = m.group(0).lower()
        if w not in _NOT_DX and w not in spans:
            found.add(w)
    return found


class Evidence:
    """What the evidence contains, computed once per answer."""

    def __init__(self, passages: Sequence[str], extra: Sequence[str] = ()) -> None:
        self.passages = list(passages)
        self.extra = list(extra)
        self.text = "\n".join([*self.passages, *self.extra])
        self.lower = self.text.lower()
        self.numbers, self.pairs = number_facts(self.text)
        self.diagnoses = diagnoses(self.text)

    def has_term(self, term: str) -> bool:
        """The term or one of its lay variants is in the evidence: as a substring when 5 letters or longer
        ("steroid" in "corticosteroids"), else as a whole word ("AD" must not match "spread")."""
        return any(v in self.lower if len(v) >= 5 else re.search(rf"\b{re.escape(v)}\b", self.lower)
                   for v in _lay_variants(term) if v)

    def absent(self, text: str, passage: int | None = None) -> list[tuple[Reason, str]]:
        """Every number, dose, medicine and diagnosis in ``text`` that the evidence lacks. Numbers must be in
        ``passage`` (the one supporting the text) or the extra evidence, when a passage is given."""
        nums, pairs = number_facts(text)
        have_nums, have_pairs = self.numbers, self.pairs
        if passage is not None and nums:
            have_nums, have_pairs = number_facts("\n".join([self.passages[passage - 1], *self.extra]))
        out: list[tuple[Reason, str]] = [("number", f"{n:g}") for n in sorted(nums - have_nums)]
        out += [("number", f"{v:g} {u}") for v, u in sorted(pairs - have_pairs)]
        out += [("drug", d) for d in sorted(drugs(text)) if not self.has_term(d)]
        out += [("diagnosis", d) for d in sorted(diagnoses(text)) if d not in self.diagnoses and not self.has_term(d)]
        return out


def absent_from_evidence(text: str, evidence: Sequence[str]) -> list[str]:
    """Audit of a final answer: "kind: term" for each number, medicine or diagnosis not in ``evidence``."""
    return [f"{kind}: {term}" for kind, term in Evidence(evidence).absent(text)]


class CheckedSentence(BaseModel):
    text: str  # without citation markers
    passage: int | None = None
    similarity: float = 0.0
    overlap: float = 0.0
    reason: Reason | None = None  # None = kept
    detail: str = ""


class Verdict(BaseModel):
    sentences: list[CheckedSentence] = Field(default_factory=list)
    text: str = ""  # the kept sentences, each cited [n] with its supporting passage
    cited: list[int] = Field(default_factory=list)
    fallback_reason: str | None = None

    @property
    def kept(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if s.reason is None]

    @property
    def removed(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if s.reason is not None]


class AnswerGuard:
    def __init__(self, scorer: SupportScorer, max_removed_share: float = 0.5) -> None:
        self.scorer = scorer
        self.max_removed_share = max_removed_share

    def check_sentences(self, sentences: Sequence[str], evidence: Evidence,
                        last_complete: bool = True) -> list[CheckedSentence]:
        """Check each raw sentence (citation markers included) against the evidence.
        ``last_complete=False``: the last one was cut off, so it is removed as incomplete."""
        clean = [strip_markers(s) for s in sentences]
        supports = self.scorer.score(clean, evidence.passages)
        out = []
        for i, (raw, text, sup) in enumerate(zip(sentences, clean, supports)):
            reason, detail = self._problem(raw, text, sup, evidence)
            if reason is None and not last_complete and i == len(sentences) - 1:
                reason, detail = "incomplete", text[-40:]
            out.append(CheckedSentence(text=text, passage=sup.passage, similarity=sup.similarity,
                                       overlap=sup.overlap, reason=reason, detail=detail))
        return out

    def _problem(self, raw: str, text: str, sup, evidence: Evidence) -> tuple[Reason | None, str]:
        words = re.findall(r"[^\W\d_]{2,}", text)
        if not words or _LOOP.search(text) or len(text.split()) > MAX_SENTENCE_WORDS:
            return "garbage", text[:60]
        bad = [n for n in markers(raw) if not 1 <= n <= len(evidence.passages)]
        if bad:
            return "bad_citation", f"[{bad[0]}]"
        missing = evidence.absent(text, sup.passage)
        if missing:
            return missing[0]
        if not sup.supported:
            return "unsupported", f"similarity {sup.similarity:.2f}, overlap {sup.overlap:.2f}"
        negated = has_negation(text)
        if all(has_negation(unit) != negated for unit in sup.close or [sup.evidence]):
            return "contradiction", sup.evidence[:80]
        if len(words) >= 8 and fkgl(text) > MAX_SENTENCE_GRADE:
            return "reading_grade", f"grade {fkgl(text):.1f}"
        return None, ""

    def decide(self, checked: list[CheckedSentence], required: Sequence[str] = ()) -> Verdict:
        """Keep the sentences that passed; fall back when too little is left or required content is gone."""
        verdict = Verdict(sentences=checked)
        kept = verdict.kept
        if not checked:
            verdict.fallback_reason = "empty_output"
        elif not kept:
            verdict.fallback_reason = "no_supported_sentence"
        elif len(verdict.removed) / len(checked) > self.max_removed_share:
            verdict.fallback_reason = f"too_much_removed ({len(verdict.removed)} of {len(checked)} sentences)"
        elif required and not self.covers(kept, required):
            verdict.fallback_reason = "missing_required_content"
        if verdict.fallback_reason is None:
            verdict.text, verdict.cited = cite(kept)
        return verdict

    def covers(self, kept: Sequence[CheckedSentence], required: Sequence[str]) -> bool:
        """Some kept sentence says what one required sentence says (similar, same polarity)."""
        kept_texts = [k.text for k in kept]
        vecs = self.scorer.embed([*kept_texts, *required])
        sims = vecs[: len(kept_texts)] @ vecs[len(kept_texts):].T
        return any(sims[i, j] >= self.scorer.min_similarity and has_negation(k) == has_negation(r)
                   for i, k in enumerate(kept_texts) for j, r in enumerate(required))

    def check(self, text: str, passages: Sequence[str], extra_evidence: Sequence[str] = (),
              required: Sequence[str] = ()) -> Verdict:
        """The whole guard on a finished text: check every sentence, then decide."""
        evidence = Evidence(passages, extra_evidence)
        return self.decide(self.check_sentences(split_marked(text), evidence, ends_cleanly(text)), required)


def cite(kept: Sequence[CheckedSentence]) -> tuple[str, list[int]]:
    """Join kept sentences; cite each run of sentences from one passage once, at its end."""
    parts = []
    for i, s in enumerate(kept):
        nxt = kept[i + 1].passage if i + 1 < len(kept) else None
        parts.append(s.text if nxt == s.passage else f"{s.text} [{s.passage}]")
    return " ".join(parts), sorted({s.passage for s in kept if s.passage})


def lead_sentences(grounded_text: str) -> list[str]:
    """The grounded answer's lead: its sentences up to and including the first citation marker (a list's
    introduction, "The common ones are:", says nothing by itself and is left out)."""
    lead = []
    for s in split_marked(grounded_text):
        lead.append(strip_markers(s))
        if has_marker(s):
            break
    return [s for s in lead if s and not s.endswith(":")]
