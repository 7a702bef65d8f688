"""Is a sentence supported by the retrieved passages? MiniLM similarity plus content-word overlap.

For each passage, a sentence gets
- ``similarity``: the best cosine between the sentence and one evidence unit of the passage (a sentence,
  or two consecutive sentences, since a rewrite often merges two: their summed sentence vectors), with the
  bundled all-MiniLM-L6-v2;
- ``overlap``: the share of the sentence's content words (stemmed, stop words removed) that the passage has.
The sentence is supported when one passage passes both thresholds. The thresholds were calibrated on
the labelled set ``tests/data/support_calibration.jsonl`` (``calibrate_thresholds``; kept as a test:
tests/test_support.py re-runs the calibration and checks the shipped values still hold).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np
from pydantic import BaseModel, Field

from ..bm25 import tokenize
from ..embeddings import Embedder
from ..text.sentences import split_sentences
from ..text.stopwords import WEAK_WORDS

# Calibrated on tests/data/support_calibration.jsonl (see tests/test_support.py).
MIN_SIMILARITY = 0.76
MIN_OVERLAP = 0.65
CLOSE_MARGIN = 0.05
_FUNCTION_WORDS = WEAK_WORDS | {"not", "no", "yes"}  # tokenize() has dropped STOP_WORDS already


def content_words(text: str) -> set[str]:
    """Stemmed content words (BM25's tokenizer minus short and function words)."""
    return {w for w in tokenize(text) if len(w) > 2 and w not in _FUNCTION_WORDS and not w.isdigit()}


class Support(BaseModel):
    sentence: str
    passage: int | None = None  # 1-based passage with the best support, None when nothing matches
    similarity: float = 0.0
    overlap: float = 0.0
    evidence: str = ""  # the best-matching evidence unit of that passage (a sentence or two in a row)
    close: list[str] = Field(default_factory=list, description="that passage's units nearly as similar (within "
                                                                "CLOSE_MARGIN), best first")
    supported: bool = False


class SupportScorer:
    """Scores sentences against passages. Embeddings are cached (knowledge-base sentences recur)."""

    def __init__(self, embedder: Embedder, min_similarity: float = MIN_SIMILARITY, min_overlap: float = MIN_OVERLAP,
                 cache_size: int = 20_000) -> None:
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (rows in order), computing only those not cached."""
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = self.embedder.embed(missing, kind="document")
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            rows = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted by a concurrent request between the two steps
                    v = self.embedder.embed([t], kind="document")[0]
                rows.append(v)
        return np.stack(rows) if rows else np.zeros((0, self.embedder.dim), dtype=np.float32)

    @staticmethod
    def evidence_units(passages: Sequence[str]) -> list[tuple[int, str, tuple[str, ...]]]:
        """(1-based passage, unit text, its sentences): each sentence, and each two consecutive sentences."""
        units = []
        for n, text in enumerate(passages, start=1):
            sents = split_sentences(text)
            units += [(n, s, (s,)) for s in sents]
            units += [(n, f"{a} {b}", (a, b)) for a, b in zip(sents, sents[1:])]
        return units

    def unit_vectors(self, units) -> np.ndarray:
        """A unit's vector: its sentence's embedding, or for a pair the normalised sum of the two (only
        sentences are ever encoded, which halves the work; calibrated this way)."""
        sentences = list(dict.fromkeys(x for u in units for x in u[2]))
        row = {t: i for i, t in enumerate(sentences)}
        vecs = self.embed(sentences)
        out = np.stack([vecs[[row[x] for x in u[2]]].sum(axis=0) for u in units])
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def score(self, sentences: Sequence[str], passages: Sequence[str]) -> list[Support]:
        units = self.evidence_units(passages)
        if not sentences:
            return []
        if not units:
            return [Support(sentence=s) for s in sentences]
        sims = self.embed(sentences) @ self.unit_vectors(units).T
        passage_words = [content_words(p) for p in passages]
        unit_passage = np.array([u[0] for u in units])
        out = []
        for i, s in enumerate(sentences):
            words = content_words(s)
            best: Support | None = None
            for n in range(1, len(passages) + 1):
                mask = unit_passage == n
                if not mask.any():
                    continue
                idx = np.flatnonzero(mask)
                order = idx[np.argsort(-sims[i][idx])]
                j = int(order[0])
                sim = float(sims[i, j])
                close = [units[int(k)][1] for k in order if sims[i, k] >= sim - CLOSE_MARGIN]
                overlap = len(words & passage_words[n - 1]) / len(words) if words else 0.0
                cand = Support(sentence=s, passage=n, similarity=round(sim, 4), overlap=round(overlap, 4),
                               evidence=units[j][1], close=close,
                               supported=sim >= self.min_similarity and overlap >= self.min_overlap)
                if best is None or (cand.supported, sim + overlap) > (best.supported, best.similarity + best.overlap):
                    best = cand
            out.append(best or Support(sentence=s))
        return out


def calibrate_thresholds(similarities: Sequence[float], overlaps: Sequence[float], labels: Sequence[bool],
                         max_false_accept: float = 0.05) -> dict[str, float]:
    """Grid-search (similarity, overlap) thresholds: the most supported sentences accepted while at most
    ``max_false_accept`` of the unsupported ones are; ties go to the stricter pair."""
    sims, ovs, labels = np.asarray(similarities), np.asarray(overlaps), np.asarray(labels, dtype=bool)
    best = None
    for t_sim in np.round(np.arange(0.30, 0.951, 0.01), 2):
        for t_ov in np.round(np.arange(0.0, 1.001, 0.05), 2):
            accept = (sims >= t_sim) & (ovs >= t_ov)
            far = float(accept[~labels].mean()) if (~labels).any() else 0.0
            recall = float(accept[labels].mean()) if labels.any() else 0.0
            if far <= max_false_accept and (best is None or (recall, t_sim + t_ov) > (best[0], best[1] + best[2])):
                best = (recall, float(t_sim), float(t_ov), far)
    if best is None:
        raise ValueError("No thresholds meet the false-accept limit.")
    return {"min_similarity": best[1], "min_overlap": best[2], "recall": best[0], "false_accept": best[3]}
