"""The Embedder interface: one abstract method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Literal, Sequence

import numpy as np

EmbedKind = Literal["query", "document"]


class Embedder(ABC):
    name: str = "embedder"
    dim: int = 0

    def warm_up(self) -> None:
        """Load heavy resources (models) now rather than on first use."""

    @abstractmethod
    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "document") -> np.ndarray:
        """Return an (n, dim) float32 array of L2-normalised vectors."""

    def token_vectors(self, texts: Sequence[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per text, its tokens and one L2-normalised vector each (contextual where the model has them). The
        default: each word with the vector this embedder gives the word alone."""
        import re

        out = []
        for text in texts:
            words = re.findall(r"[a-z0-9]+", text.lower())
            out.append((words, self.embed(words) if words else np.zeros((0, self.dim), dtype=np.float32)))
        return out
