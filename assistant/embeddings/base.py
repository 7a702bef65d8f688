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
