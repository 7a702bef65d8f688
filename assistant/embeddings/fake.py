"""Hash-seeded fake embedder for fast unit tests.

Equal texts give equal vectors; texts sharing words get similar vectors; different texts differ.
"""

from __future__ import annotations

import hashlib
import re
from typing import Sequence

import numpy as np

from .base import EmbedKind, Embedder

_WORD = re.compile(r"[a-z0-9]+")


class HashEmbedder(Embedder):
    name = "fake-hash"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self._cache: dict[str, np.ndarray] = {}

    def _word_vector(self, word: str) -> np.ndarray:
        v = self._cache.get(word)
        if v is None:
            seed = int.from_bytes(hashlib.sha256(word.encode()).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            self._cache[word] = v
        return v

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "document") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for w in words:
                out[i] += self._word_vector(w)
            if not words:  # still distinct per text, never the zero vector
                out[i] = self._word_vector("\x00" + text)
            out[i] /= np.linalg.norm(out[i]) or 1.0
        return out
