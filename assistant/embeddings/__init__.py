"""Embedders by name. ``get_embedder('minilm')`` is the bundled all-MiniLM-L6-v2; 'fake' is hash-seeded."""

from __future__ import annotations

from importlib import import_module

from ..errors import ConfigError
from .base import Embedder

EMBEDDERS = {
    "minilm": "assistant.embeddings.sentence_transformers:MiniLMEmbedder",
    "fake": "assistant.embeddings.fake:HashEmbedder",
}


def get_embedder(name: str) -> Embedder:
    try:
        target = EMBEDDERS[name]
    except KeyError:
        raise ConfigError(f"Unknown embedder '{name}'.", f"Use one of: {', '.join(EMBEDDERS)}.") from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls)()


__all__ = ["EMBEDDERS", "Embedder", "get_embedder"]
