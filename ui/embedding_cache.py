"""A serving-side cache of document embeddings.

The grounded answer embeds every sentence of the retrieved passages for each question, and those sentences
come from a fixed knowledge base, so the same ones recur across questions and users. Measured on this
2-core machine: ~0.6 s of a ~0.8 s answer went to re-embedding ~46 passage sentences. The cache keeps those
vectors (bounded LRU, keyed by the SHA-256 of the text: no text is kept), so a sentence is embedded once
per process. Query embeddings are never cached. Vectors are identical to the wrapped embedder's.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from assistant.embeddings import Embedder

DEFAULT_MAX_ITEMS = 50_000  # 384-dim float32: ~77 MB at most


class CachedEmbedder(Embedder):
    def __init__(self, inner: Embedder, max_items: int = DEFAULT_MAX_ITEMS) -> None:
        self.inner = inner
        self.max_items = max_items
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:  # the index manifest checks the embedder's name and size
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def warm_up(self) -> None:
        self.inner.warm_up()

    @property
    def size(self) -> int:  # not __len__: an empty cache must still be truthy (`embedder or default`)
        return len(self._cache)

    def embed(self, texts: Sequence[str], *, kind="document") -> np.ndarray:
        if kind != "document" or not texts:
            return self.inner.embed(texts, kind=kind)
        keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts]
        found: dict[bytes, np.ndarray] = {}
        with self._lock:
            for k in keys:
                v = self._cache.get(k)
                if v is not None:
                    self._cache.move_to_end(k)
                    found[k] = v
        todo = list(dict.fromkeys(k for k in keys if k not in found))
        if todo:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            new = self.inner.embed([texts[first[k]] for k in todo], kind="document")
            with self._lock:
                for k, v in zip(todo, new):
                    found[k] = v
                    self._cache[k] = v
                while len(self._cache) > self.max_items:
                    self._cache.popitem(last=False)
        self.hits += len(keys) - len(todo)
        self.misses += len(todo)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
