"""A small BM25 (Okapi) index over a sparse matrix: scoring a query is one sparse column sum."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .text.accents import strip_accents
from .text.stopwords import STOP_WORDS

_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(w: str) -> str:
    for suf in ("ing", "ies", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)] + ("y" if suf == "ies" else "")
    return w


def tokenize(text: str) -> list[str]:
    # accents off first: "Behçet" is "behcet", not "beh" + "et"
    return [_stem(w) for w in _TOKEN.findall(strip_accents(text.lower())) if w not in STOP_WORDS]


class BM25:
    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        from scipy.sparse import csc_matrix

        self.vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for i, t in enumerate(texts):
            counts = Counter(tokenize(t))
            lengths[i] = sum(counts.values())
            for w, c in counts.items():
                j = self.vocab.setdefault(w, len(self.vocab))
                rows.append(i)
                cols.append(j)
                tfs.append(c)
        n = len(texts)
        avg = float(lengths.mean()) if n else 1.0
        tf = np.asarray(tfs, dtype=np.float32)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(self.vocab)).astype(np.float32)
        idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths[np.asarray(rows, dtype=np.int64)] / (avg or 1.0)) if rows else tf
        weights = idf[np.asarray(cols, dtype=np.int64)] * tf * (k1 + 1) / (tf + norm) if rows else tf
        self.matrix = csc_matrix((weights, (rows, cols)), shape=(n, len(self.vocab)), dtype=np.float32)
        self.size = n

    def scores(self, query: str) -> np.ndarray:
        ids = sorted({self.vocab[w] for w in tokenize(query) if w in self.vocab})
        if not ids or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.matrix[:, ids].sum(axis=1)).ravel()

    def matched_terms(self, query: str, doc: int) -> int:
        """How many distinct query terms occur in document ``doc``."""
        ids = {self.vocab[w] for w in tokenize(query) if w in self.vocab}
        if not ids:
            return 0
        return int(sum(1 for j in ids if self.matrix[doc, j] > 0))
