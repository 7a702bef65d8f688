"""ragas metrics that need no LLM, run offline through ``ragas.evaluate``.

IDBasedContextRecall/Precision (expected vs retrieved document ids), RougeScore (ROUGE-L F1) and
SemanticSimilarity against the reference answer. Embeddings are always passed explicitly: the run's own
embedder (the bundled MiniLM) behind a LangChain ``Embeddings`` adapter, so nothing is downloaded and the
model is loaded once per process.
"""

from __future__ import annotations

import os
import warnings

from assistant.embeddings import Embedder

from ..keyfacts import EmbeddingCache
from ..results import ItemResult
from ..stats import Stat, mean_ci

RAGAS_KEYS = {
    "id_based_context_recall": "ragas_id_context_recall",
    "id_based_context_precision": "ragas_id_context_precision",
    "rouge_score(mode=fmeasure)": "ragas_rouge_l",
    "semantic_similarity": "ragas_semantic_similarity",
}


def langchain_embeddings(embedder: Embedder | EmbeddingCache):
    """A LangChain ``Embeddings`` over the run's embedder (no second model load, no download).

    Given an ``EmbeddingCache``, vectors the run already computed are reused.
    """
    from langchain_core.embeddings import Embeddings

    def embed(texts: list[str]) -> list[list[float]]:
        if isinstance(embedder, EmbeddingCache):
            return embedder(list(texts)).tolist()
        return embedder.embed(list(texts), kind="document").tolist()

    class DermassistEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embed(texts)

        def embed_query(self, text: str) -> list[float]:
            return embed([text])[0]

    return DermassistEmbeddings()


def ragas_embeddings(embedder: Embedder | EmbeddingCache):
    from ragas.embeddings import LangchainEmbeddingsWrapper

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return LangchainEmbeddingsWrapper(langchain_embeddings(embedder))


def _evaluate(rows: list[dict], metrics: list, embeddings) -> list[dict]:
    os.environ["RAGAS_DO_NOT_TRACK"] = "true"
    from ragas import EvaluationDataset, evaluate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = evaluate(EvaluationDataset.from_list(rows), metrics=metrics, llm=None, embeddings=embeddings,
                          show_progress=False, raise_exceptions=False)
    return result.scores


def evaluate(results: list[ItemResult], embedder: Embedder | EmbeddingCache) -> dict[str, Stat]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas.metrics import IDBasedContextPrecision, IDBasedContextRecall, RougeScore, SemanticSimilarity

    qa = [r for r in results if r.kind == "qa" and r.ok and r.input.get("answerable", True)]
    with_ids = [r for r in qa if r.input.get("doc_ids") and r.output.get("retrieved")]
    with_ref = [r for r in qa if (r.input.get("reference_answer") or "").strip()]
    emb = ragas_embeddings(embedder)
    collected: dict[str, list[float]] = {v: [] for v in RAGAS_KEYS.values()}
    if with_ids:
        rows = [{"user_input": r.input["question"],
                 "retrieved_context_ids": [h["doc_id"] for h in r.output["retrieved"]],
                 "reference_context_ids": list(r.input["doc_ids"])} for r in with_ids]
        _store(with_ids, _evaluate(rows, [IDBasedContextRecall(), IDBasedContextPrecision()], emb), collected)
    if with_ref:
        if isinstance(embedder, EmbeddingCache):  # one batched call instead of two per item
            embedder.prefetch([t for r in with_ref for t in (r.output["text_plain"], r.input["reference_answer"])])
        rows = [{"user_input": r.input["question"], "response": r.output["text_plain"],
                 "reference": r.input["reference_answer"]} for r in with_ref]
        _store(with_ref, _evaluate(rows, [RougeScore(rouge_type="rougeL"), SemanticSimilarity()], emb), collected)
    return {name: mean_ci(values) for name, values in collected.items() if values}


def _store(items: list[ItemResult], scores: list[dict], collected: dict[str, list[float]]) -> None:
    for r, s in zip(items, scores):
        for key, value in s.items():
            name = RAGAS_KEYS.get(key)
            if name is None:
                continue
            v = None if value is None or value != value else round(float(value), 4)  # NaN -> None
            r.scores[name] = v
            if v is not None:
                collected[name].append(v)
