"""The serving-side embedding cache returns exactly the wrapped embedder's vectors, bounded, documents only."""

import numpy as np

from assistant.embeddings import get_embedder
from ui.embedding_cache import CachedEmbedder


class Counting:
    """Wraps the fake embedder and records every text it is asked to embed."""

    def __init__(self):
        self.inner = get_embedder("fake")
        self.name, self.dim = self.inner.name, self.inner.dim
        self.seen: list[tuple[str, str]] = []

    def warm_up(self):
        self.inner.warm_up()

    def embed(self, texts, *, kind="document"):
        self.seen += [(kind, t) for t in texts]
        return self.inner.embed(texts, kind=kind)


def test_vectors_equal_the_wrapped_embedder_and_repeats_are_not_recomputed():
    inner = Counting()
    cached = CachedEmbedder(inner)
    first = cached.embed(["a b c", "d e f", "a b c"], kind="document")
    assert [t for _, t in inner.seen] == ["a b c", "d e f"]  # duplicates in one batch embedded once
    again = cached.embed(["d e f", "g h i", "a b c"], kind="document")
    assert [t for _, t in inner.seen] == ["a b c", "d e f", "g h i"]
    direct = inner.inner.embed(["d e f", "g h i", "a b c"], kind="document")
    assert np.array_equal(again, direct) and again.dtype == np.float32 and again.shape == (3, inner.dim)
    assert np.array_equal(first[0], first[2])
    assert (cached.hits, cached.misses) == (3, 3) and cached.name == inner.name and cached.dim == inner.dim


def test_queries_are_never_cached():
    inner = Counting()
    cached = CachedEmbedder(inner)
    for _ in range(2):
        cached.embed(["my question"], kind="query")
    assert inner.seen == [("query", "my question")] * 2 and cached.size == 0


def test_cache_is_bounded_least_recently_used_first():
    inner = Counting()
    cached = CachedEmbedder(inner, max_items=2)
    cached.embed(["one"])
    cached.embed(["two"])
    cached.embed(["one"])  # now 'two' is the least recently used
    cached.embed(["three"])
    assert cached.size == 2
    inner.seen.clear()
    cached.embed(["one", "two", "three"])
    assert inner.seen == [("document", "two")]


def test_an_empty_cache_is_still_a_usable_embedder_object():
    assert CachedEmbedder(Counting())  # `embedder or default` must keep it
