"""Key-fact matching: is an atomic fact stated in an answer? Semantic (MiniLM) + lexical, calibrated.

A fact is compared with every answer sentence and every pair of neighbouring sentences (facts sometimes
span two; a pair is scored with the re-normalised mean of its two sentence vectors). A unit's score is
``SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * lexical``, where lexical is the weighted share of the
fact's content words (stemmed; numbers as digits; topic words such as the condition or medicine weigh
``TOPIC_WEIGHT``) found in the unit. Three checks veto a unit: the clause that carries the fact has the
opposite polarity ("is not contagious" vs "is contagious"), the fact's numbers are missing while the unit
gives other numbers ("6 to 8 weeks" vs "2 to 3 days"), or the unit is about another condition or medicine.
The fact counts as stated when its best unit scores at least ``THRESHOLD``.

``THRESHOLD`` and ``SEMANTIC_WEIGHT`` were chosen by ``calibrate`` on the 132 hand-labelled pairs in
``eval/datasets/keyfact_calibration.jsonl`` with the bundled all-MiniLM-L6-v2: accuracy 0.924, precision
0.889, recall 0.923. tests/test_eval_keyfacts.py re-runs the calibration and checks these constants still fit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np
from pydantic import BaseModel

from assistant.embeddings import Embedder

from . import text as tx

_ABBREVIATIONS = {"AD": "atopic dermatitis", "HS": "hidradenitis suppurativa", "SLE": "lupus", "DLE": "lupus",
                  "TCS": "topical corticosteroids", "TCI": "calcineurin inhibitors", "MTX": "methotrexate",
                  "UVB": "phototherapy", "CSU": "urticaria"}
THRESHOLD = 0.57
SEMANTIC_WEIGHT = 0.6
TOPIC_WEIGHT = 0.3
# word pairs that cannot both hold of the same thing ("rare" vs "common"); compared as stems
ANTONYMS = (("common", "rare"), ("increase", "decrease"), ("increase", "reduce"), ("raise", "lower"),
            ("higher", "lower"), ("more", "less"), ("more", "fewer"), ("stop", "continue"), ("start", "stop"),
            ("always", "never"), ("always", "sometimes"), ("before", "after"), ("benign", "malignant"),
            ("benign", "cancerous"), ("permanent", "temporary"), ("curable", "incurable"), ("most", "few"),
            ("many", "few"), ("better", "worse"), ("improve", "worsen"), ("mild", "severe"), ("early", "late"),
            ("daily", "weekly"), ("weekly", "monthly"), ("oral", "topical"), ("safe", "unsafe"),
            ("inherited", "acquired"), ("hot", "cold"), ("warm", "cool"), ("thick", "thin"), ("dry", "wet"),
            ("children", "adults"), ("men", "women"), ("avoid", "use"), ("allowed", "avoided"),
            ("older", "younger"), ("slow", "quick"), ("slow", "fast"), ("mild", "potent"), ("weak", "potent"),
            ("weak", "strong"), ("mildest", "potent"), ("lighter", "darker"), ("raised", "flat"),
            # units and intervals: "48 hours" is not "48 minutes", "twice a day" is not "twice a week"
            ("day", "week"), ("week", "month"), ("month", "year"), ("hour", "minute"), ("hour", "day"),
            ("gram", "milligram"), ("grams", "milligrams"), ("mm", "cm"), ("ml", "litre"))
# body sites: a fact placing something on one site is not stated by a unit placing it only on others
SITES = frozenset("""scalp face hands hand feet foot palms palm soles sole back legs leg arms arm chest trunk buttocks
thighs groin armpits armpit nose lips eyelids ears neck mouth genitals nails shins elbows knees""".split())
_FACT_PARTS = re.compile(r",\s*(?=(?:not|never|no|but)\b)|;|\s\bbut\b\s")
CALIBRATION_FILE = Path(__file__).resolve().parent / "datasets" / "keyfact_calibration.jsonl"


class FactMatch(BaseModel):
    fact: str
    matched: bool
    score: float
    best_unit: str = ""
    veto: str | None = None


class CalibrationPair(BaseModel):
    id: str
    fact: str
    answer: str
    label: bool
    kind: str = ""
    note: str = ""


class CalibrationResult(BaseModel):
    threshold: float
    semantic_weight: float
    accuracy: float
    precision: float
    recall: float
    f1: float
    n: int
    errors: list[str]


class EmbeddingCache:
    """Memoises embeddings per text so answers, facts and passages are embedded once per run."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vecs: dict[str, np.ndarray] = {}
        self._tokens: dict[str, tuple[list[str], np.ndarray]] = {}

    def tokens(self, texts: Sequence[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per text, its tokens and their unit vectors (``Embedder.token_vectors``), memoised like ``__call__``."""
        new = list(dict.fromkeys(t for t in texts if t not in self._tokens))
        if new:
            for t, tv in zip(new, self.embedder.token_vectors(new)):
                self._tokens[t] = tv
        return [self._tokens[t] for t in texts]

    def prefetch(self, texts: Sequence[str]) -> None:
        """Embed every new text in one batched call (much faster than many small calls)."""
        self(list(dict.fromkeys(texts)))

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        new = list(dict.fromkeys(t for t in texts if t not in self._vecs))
        if new:
            for t, v in zip(new, self.embedder.embed(new, kind="document")):
                self._vecs[t] = v
        if not texts:
            return np.zeros((0, getattr(self.embedder, "dim", 0) or 1), dtype=np.float32)
        return np.stack([self._vecs[t] for t in texts])


def join_pair(a: str, b: str) -> str:
    """Two neighbouring sentences as one unit (a full stop added if the first has none, so clauses split)."""
    return f"{a} {b}" if a.rstrip()[-1:] in ".!?:" else f"{a}. {b}"



@lru_cache(maxsize=262144)
def _veto(fact: str, unit: str) -> str | None:
    """Why ``unit`` cannot state ``fact`` even if it looks similar, or None."""
    topic = tx.topic_stems(fact)
    # segments: clauses and whole sentences (a negation can govern a list: "not by touch, hugs or towels")
    segment_texts = list({*tx.clauses(unit), *tx.sentences(unit)})
    segments = [(set(tx.content_stems(c)), tx.negated(c), len(c.split())) for c in segment_texts]
    # polarity, per part of the fact ("taken once a week, not every day" has two): the smallest segment(s)
    # sharing most of its words must be negated exactly when that part is
    for part in _FACT_PARTS.split(fact):
        words = set(tx.content_stems(part or ""))
        overlaps = [(sum(TOPIC_WEIGHT if w in topic else 1.0 for w in words & cw), neg, n) for cw, neg, n in segments]
        best = max((o for o, _, _ in overlaps), default=0.0)
        if best <= 0:
            continue
        top = [(neg, n) for o, neg, n in overlaps if o >= best - 1e-9]
        shortest = min(n for _, n in top)
        if tx.negated(part) not in {neg for neg, n in top if n == shortest}:
            return "opposite polarity"
        top_words = set().union(*(_all_stems(text) for (o, _, n), text in zip(overlaps, segment_texts)
                                   if o >= best - 1e-9 and n == shortest))
        clash = _antonym(_all_stems(part or ""), top_words)
        if clash:
            return f"antonym ({clash})"
    fact_drugs, unit_drugs = tx.drug_names(fact), tx.drug_names(unit)
    if fact_drugs and unit_drugs and not fact_drugs & unit_drugs:
        return "different subject (medicine)"
    fact_sites, unit_sites = SITES & set(tx.tokens(fact)), SITES & set(tx.tokens(unit))
    if fact_sites and unit_sites and not fact_sites & unit_sites:
        return "different site"
    fact_nums, unit_nums = tx.numbers(fact), tx.numbers(unit)
    if fact_nums and unit_nums and not fact_nums <= unit_nums:
        return "different numbers"
    fact_subjects, unit_subjects = tx.subjects(fact), tx.subjects(unit)
    if fact_subjects and unit_subjects and not fact_subjects & unit_subjects:
        return "different subject"
    return None


def _all_stems(text: str) -> set[str]:
    return {tx.stem(t) for t in tx.tokens(text)}


def _antonym(fact_words: set[str], unit_words: set[str]) -> str | None:
    for a, b in _ANTONYM_STEMS:
        for x, y in ((a, b), (b, a)):
            if x in fact_words and y in unit_words and x not in unit_words and y not in fact_words:
                return f"{x} / {y}"
    return None


@lru_cache(maxsize=262144)
def lexical(fact: str, unit: str) -> float:
    """Weighted share of the fact's content words found in the unit.

    Words naming the topic (conditions, medicines, classes such as "inhibitors") weigh ``TOPIC_WEIGHT``:
    a sentence about the same medicine shares them whatever it says. An abbreviation in the fact counts
    as found when the unit spells it out.
    """
    words = set(tx.content_stems(fact))
    if not words:
        return 0.0
    topic = tx.topic_stems(fact)
    unit_words = set(tx.content_stems(unit))
    unit_subjects = tx.subjects(unit)
    total = found = 0.0
    for w in words:
        weight = TOPIC_WEIGHT if w in topic else 1.0
        total += weight
        if w in unit_words or (w.upper() in _ABBREVIATIONS and _ABBREVIATIONS[w.upper()] in unit_subjects):
            found += weight
    return found / total


_ANTONYM_STEMS = tuple((tx.stem(a), tx.stem(b)) for a, b in ANTONYMS)


class KeyFactMatcher:
    def __init__(self, embedder: Embedder | EmbeddingCache, threshold: float = THRESHOLD,
                 semantic_weight: float = SEMANTIC_WEIGHT) -> None:
        self.embed = embedder if isinstance(embedder, EmbeddingCache) else EmbeddingCache(embedder)
        self.threshold = threshold
        self.semantic_weight = semantic_weight

    def _units(self, fact: str, answer: str) -> tuple[list[str], np.ndarray]:
        """The answer's units (sentences, then neighbouring pairs) and their cosine with the fact."""
        sents = tx.sentences(answer)
        if not sents or not fact.strip():
            return [], np.zeros(0)
        vecs = self.embed([fact, *sents])
        fv, sv = vecs[0], vecs[1:]
        # a pair of neighbouring sentences is scored with the mean of their vectors (re-normalised): close to
        # embedding the pair, at no extra cost
        pv = sv[:-1] + sv[1:]
        pv = pv / np.maximum(np.linalg.norm(pv, axis=1, keepdims=True), 1e-12)
        units = sents + [join_pair(a, b) for a, b in zip(sents, sents[1:])]
        cos = np.concatenate([sv @ fv, pv @ fv]) if len(sents) > 1 else sv @ fv
        return units, cos

    def scores(self, fact: str, answer: str) -> list[tuple[str, float, float, str | None]]:
        """(unit, cosine, lexical, veto) for every unit of the answer."""
        units, cos = self._units(fact, answer)
        return [(u, float(c), lexical(fact, u), _veto(fact, u)) for u, c in zip(units, cos)]

    def best_rows(self, fact: str, answer: str) -> list[tuple[str, float, float, str | None]]:
        """Like ``scores``, but only the units that can still be the best: units are taken by falling cosine
        and the rest skipped once even full word overlap could not lift one above the best so far (the same
        best unit as ``scores``, much faster on long passages)."""
        units, cos = self._units(fact, answer)
        rows, best = [], -1.0
        for i in np.argsort(-cos, kind="stable"):
            if self.semantic_weight * float(cos[i]) + (1 - self.semantic_weight) < best:
                break
            row = (units[i], float(cos[i]), lexical(fact, units[i]), _veto(fact, units[i]))
            rows.append(row)
            best = max(best, self.combine(row[1], row[2], row[3]))
        return rows

    def combine(self, cos: float, lex: float, veto: str | None) -> float:
        return 0.0 if veto else self.semantic_weight * cos + (1 - self.semantic_weight) * lex

    def match(self, fact: str, answer: str) -> FactMatch:
        rows = self.best_rows(fact, answer)
        if not rows:
            return FactMatch(fact=fact, matched=False, score=0.0)
        scored = [(self.combine(c, lx, v), u, v) for u, c, lx, v in rows]
        best = max(scored, key=lambda r: r[0])
        vetoed = [r for r in rows if r[3]]
        veto = None
        if best[0] < self.threshold and vetoed:
            top = max(vetoed, key=lambda r: self.semantic_weight * r[1] + (1 - self.semantic_weight) * r[2])
            veto = f"{top[3]}: {top[0]}"
        return FactMatch(fact=fact, matched=best[0] >= self.threshold, score=round(best[0], 4), best_unit=best[1],
                         veto=veto)

    def prefetch(self, pairs: Sequence[tuple[Sequence[str], str]]) -> None:
        """Embed the facts and answer units of many (facts, answer) pairs in one batch."""
        texts: list[str] = []
        for facts, answer in pairs:
            texts += [f for f in facts if f.strip()] + tx.sentences(answer)
        self.embed.prefetch(texts)

    def recall(self, facts: Sequence[str], answer: str) -> tuple[float | None, list[FactMatch]]:
        matches = [self.match(f, answer) for f in facts]
        if not matches:
            return None, []
        return sum(m.matched for m in matches) / len(matches), matches


def load_calibration(path: Path = CALIBRATION_FILE) -> list[CalibrationPair]:
    from .datasets import read_jsonl_models

    return read_jsonl_models(path, CalibrationPair)


def _metrics(labels: np.ndarray, pred: np.ndarray) -> tuple[float, float, float, float]:
    tp = float(np.sum(pred & labels))
    precision = tp / max(float(pred.sum()), 1.0)
    recall = tp / max(float(labels.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float(np.mean(pred == labels)), precision, recall, f1


def calibrate(pairs: Sequence[CalibrationPair], embedder: Embedder | EmbeddingCache,
              weights: Sequence[float] = (0.4, 0.5, 0.6, 0.7, 0.8)) -> CalibrationResult:
    """Pick the weight and threshold with the best accuracy (then F1) on hand-labelled pairs.

    Among equally good thresholds the midpoint of the best range is returned, which keeps the choice stable.
    """
    matcher = KeyFactMatcher(embedder)
    matcher.prefetch([([p.fact], p.answer) for p in pairs])
    rows = [matcher.scores(p.fact, p.answer) for p in pairs]
    labels = np.array([p.label for p in pairs])
    best: tuple | None = None
    for w in weights:
        matcher.semantic_weight = w
        s = np.array([max((matcher.combine(c, lx, v) for _, c, lx, v in r), default=0.0) for r in rows])
        grid = np.round(np.arange(0.30, 0.95, 0.005), 3)
        results = [(_metrics(labels, s >= t), t) for t in grid]
        top = max(r[0][0] for r in results)
        best_f1 = max(r[0][3] for r in results if r[0][0] == top)
        ts = [t for m, t in results if m[0] == top and m[3] == best_f1]
        t = float(ts[len(ts) // 2])
        key = (top, best_f1, -abs(w - SEMANTIC_WEIGHT))
        if best is None or key > best[0]:
            best = (key, w, t, _metrics(labels, s >= t), s)
    _, w, t, (acc, p, r, f1), s = best
    errors = [f"{pair.id} ({pair.kind}, label {pair.label}, score {score:.3f})"
              for pair, score in zip(pairs, s) if (score >= t) != pair.label]
    return CalibrationResult(threshold=t, semantic_weight=w, accuracy=round(acc, 4), precision=round(p, 4),
                             recall=round(r, 4), f1=round(f1, 4), n=len(pairs), errors=errors)
