"""Hybrid retrieval: BM25 + dense (FAISS) fused by reciprocal rank fusion, with synonyms and abstention."""

from __future__ import annotations

import time

import numpy as np
from .abstention import decide
from .vocabulary import Vocabulary, kb_topics
from .config import Settings
from .embeddings import Embedder, get_embedder
from .index import SearchIndex
from .question_types import heading_fits, question_types
from .synonyms import SYNONYMS, expand_query, synonym_words  # noqa: F401  (re-exported)
from .types import Hit, SearchResult  # noqa: F401  (re-exported)

RRF_K = 60
HEADING_BONUS = 1.0 / (RRF_K + 1)  # a section whose heading fits the question type moves up


class Retriever:
    """Loads lazily; ``search`` returns fused hits and whether the evidence is too weak to answer."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, index: SearchIndex | None = None):
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedder)
        self._index = index

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex.load(self.settings, self.embedder)
        return self._index

    def warm_up(self) -> None:
        self.embedder.warm_up()
        _ = self.vocabulary
        self.embedder.embed(["warm up"], kind="query")

    def search(self, query: str, top_k: int | None = None, *, pool: int | None = None) -> SearchResult:
        """``retrieve`` then the abstention decision (``abstention.decide``) on what was found."""
        result = self.retrieve(query, top_k, pool=pool)
        return self.decide(result) if result.hits else result

    def decide(self, result: SearchResult, question: str | None = None) -> SearchResult:
        """Whether the retrieved evidence can answer ``question`` (default: the text that was searched)."""
        t0 = time.perf_counter()
        decision = decide(question or result.query, result.hits, self.vocabulary, self.settings,
                          expanded=result.expanded_query if question is None else None)
        return result.model_copy(update={"abstain": decision.abstain, "reason": decision.reason,
                                         "abstain_rule": decision.rule, "abstain_words": decision.words,
                                         "suggestions": decision.suggestions,
                                         "seconds": result.seconds + time.perf_counter() - t0})

    def retrieve(self, query: str, top_k: int | None = None, *, pool: int | None = None) -> SearchResult:
        """Fused hybrid hits for the query (no abstention decision: ``abstain`` is False unless nothing was found)."""
        t0 = time.perf_counter()
        k = top_k or self.settings.top_k
        index = self.index
        expanded = expand_query(query)
        n = len(index.chunks)
        pool = min(n, pool or max(4 * k, 30))
        if n == 0:
            return SearchResult(query=query, expanded_query=expanded, hits=[], abstain=True,
                                reason="the index is empty", seconds=time.perf_counter() - t0)
        qv = self.embedder.embed([expanded], kind="query")
        dense_scores, dense_ids = index.faiss.search(qv, pool)
        dense = {int(i): float(s) for i, s in zip(dense_ids[0], dense_scores[0]) if i >= 0}
        bm = index.bm25.scores(expanded)
        bm_ids = np.argsort(-bm)[:pool]
        bm_ids = [int(i) for i in bm_ids if bm[i] > 0]
        fused: dict[int, float] = {}
        for rank, i in enumerate(sorted(dense, key=dense.get, reverse=True)):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(bm_ids):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        types = question_types(query)
        if types:
            for i in fused:
                if heading_fits(index.chunks[i].heading, types):
                    fused[i] += HEADING_BONUS
        order = sorted(fused, key=fused.get, reverse=True)[:k]
        missing = [i for i in order if i not in dense]
        if missing:  # exact cosine for BM25-only hits
            vecs = np.stack([index.faiss.reconstruct(i) for i in missing])
            dense.update({i: float(s) for i, s in zip(missing, vecs @ qv[0])})
        hits = []
        for rank, i in enumerate(order):
            c = index.chunks[i]
            hits.append(Hit(chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, kind=c.kind, heading=c.heading,
                            text=c.text, dense_score=dense[i], bm25_score=float(bm[i]), score=fused[i], rank=rank + 1))
        return SearchResult(query=query, expanded_query=expanded, hits=hits, abstain=not hits,
                            reason="" if hits else "no passage matched", abstain_rule="" if hits else "no_hits",
                            seconds=time.perf_counter() - t0)

    @property
    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words and topics (for abstention), built once per loaded index."""
        index = self.index
        if index.vocabulary is None:
            from .knowledge import check_knowledge_base

            docs, _ = check_knowledge_base(self.settings.kb_path)
            index.vocabulary = Vocabulary(index.chunks, kb_topics(docs))
        return index.vocabulary


def as_langchain_retriever(retriever: Retriever, top_k: int | None = None):
    """The same hybrid search as a LangChain ``BaseRetriever`` (documents carry doc id, heading, scores)."""
    from langchain_core.documents import Document as LCDocument
    from langchain_core.retrievers import BaseRetriever

    class DermassistRetriever(BaseRetriever):
        k: int | None = None

        def _get_relevant_documents(self, query: str, *, run_manager=None) -> list[LCDocument]:
            result = retriever.search(query, self.k)
            return [LCDocument(page_content=h.text, metadata=h.model_dump(exclude={"text"})) for h in result.hits]

    return DermassistRetriever(k=top_k)
