"""The search index: chunks + FAISS dense vectors + BM25, a manifest, and incremental rebuilds.

Files in ``settings.index_dir``: manifest.json, chunks.jsonl, vectors.npy, dense.faiss.
Only documents whose content hash changed are re-embedded; deleted documents leave no chunks behind.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunking import Chunk, chunk_document
from .config import Settings
from .embeddings import Embedder
from .errors import IndexNotReadyError
from .knowledge import Document, load_knowledge_base

MANIFEST_VERSION = 1
CHUNKER_VERSION = 2  # bump when chunking.py changes what chunks contain: forces a full re-chunk
FILES = ("manifest.json", "chunks.jsonl", "vectors.npy", "dense.faiss")


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.removed)} removed, "
                f"{len(self.unchanged)} unchanged documents; {self.chunks_embedded} of {self.chunks_total} "
                f"chunks embedded in {self.seconds:.1f} s")


def _params(settings: Settings, embedder: Embedder) -> dict:
    return {"embedder": embedder.name, "dim": embedder.dim, "chunker": CHUNKER_VERSION,
            "chunk_size": settings.chunk_size,
            "chunk_overlap": settings.chunk_overlap, "index_type": settings.index_type}


def _faiss_index(vectors: np.ndarray, index_type: str):
    import faiss

    dim = vectors.shape[1]
    if index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 64
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def _embed_with_progress(embedder: Embedder, texts: list[str], progress: bool, batch: int = 128) -> np.ndarray:
    from tqdm.auto import tqdm

    parts = []
    with tqdm(total=len(texts), desc="Embedding chunks", unit="chunk", disable=not progress) as bar:
        for i in range(0, len(texts), batch):
            parts.append(embedder.embed(texts[i:i + batch], kind="document"))
            bar.update(len(texts[i:i + batch]))
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)


def _read_previous(index_dir: Path, params: dict) -> tuple[dict[str, str], list[Chunk], np.ndarray | None]:
    """Reusable state of an existing index with the same parameters; empty if there is none."""
    try:
        manifest = json.loads((index_dir / "manifest.json").read_text())
        if manifest.get("version") != MANIFEST_VERSION or manifest.get("params") != params:
            return {}, [], None
        chunks = [Chunk.model_validate_json(ln) for ln in (index_dir / "chunks.jsonl").read_text().splitlines()]
        vectors = np.load(index_dir / "vectors.npy")
        if len(vectors) != len(chunks):
            return {}, [], None
        return manifest["docs"], chunks, vectors
    except (OSError, ValueError, KeyError):
        return {}, [], None


def _faiss_ok(index_dir: Path, expected: int) -> bool:
    import faiss

    try:
        return faiss.read_index(str(index_dir / "dense.faiss")).ntotal == expected
    except Exception:  # missing or corrupted: rebuild it from the stored vectors
        return False


def build_index(settings: Settings, embedder: Embedder, *, docs: list[Document] | None = None,
                progress: bool = True) -> BuildReport:
    """Create or incrementally update the index; only changed documents are re-embedded."""
    import faiss

    t0 = time.perf_counter()
    if docs is None:
        docs = load_knowledge_base(settings.kb_path, require_approved=settings.require_approved)
    index_dir = settings.index_dir
    params = _params(settings, embedder)
    old_hashes, old_chunks, old_vectors = _read_previous(index_dir, params)
    report = BuildReport()
    new_hashes = {d.id: d.content_hash for d in docs}
    keep_rows: list[int] = []
    for row, c in enumerate(old_chunks):
        if new_hashes.get(c.doc_id) == c.doc_hash == old_hashes.get(c.doc_id):
            keep_rows.append(row)
    report.removed = sorted(set(old_hashes) - set(new_hashes))
    fresh: list[Chunk] = []
    for d in docs:
        if d.id not in old_hashes:
            report.added.append(d.id)
        elif old_hashes[d.id] != d.content_hash:
            report.updated.append(d.id)
        else:
            report.unchanged.append(d.id)
            continue
        fresh += chunk_document(d, settings.chunk_size, settings.chunk_overlap)
    if not report.changed and old_vectors is not None and _faiss_ok(index_dir, len(old_chunks)):
        report.chunks_total = len(old_chunks)
        report.seconds = time.perf_counter() - t0
        return report
    new_vectors = _embed_with_progress(embedder, [c.embed_text for c in fresh], progress)
    chunks = [old_chunks[r] for r in keep_rows] + fresh
    kept = old_vectors[keep_rows] if old_vectors is not None and keep_rows else np.zeros((0, embedder.dim), np.float32)
    vectors = np.ascontiguousarray(np.concatenate([kept, new_vectors]), dtype=np.float32)
    index_dir.mkdir(parents=True, exist_ok=True)
    tmp = {name: index_dir / f".{name}.tmp" for name in FILES}
    tmp["chunks.jsonl"].write_text("".join(c.model_dump_json() + "\n" for c in chunks))
    with open(tmp["vectors.npy"], "wb") as fh:
        np.save(fh, vectors)
    faiss.write_index(_faiss_index(vectors, settings.index_type), str(tmp["dense.faiss"]))
    manifest = {"version": MANIFEST_VERSION, "params": params, "docs": new_hashes, "chunks": len(chunks),
                "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    tmp["manifest.json"].write_text(json.dumps(manifest, indent=1, sort_keys=True))
    for name in FILES:  # manifest last: a crash mid-write leaves a detectably inconsistent index
        tmp[name].replace(index_dir / name)
    report.chunks_total, report.chunks_embedded = len(chunks), len(fresh)
    report.seconds = time.perf_counter() - t0
    return report


class SearchIndex:
    """A loaded, verified index: chunks, FAISS index and BM25."""

    def __init__(self, chunks: list[Chunk], faiss_index, manifest: dict) -> None:
        from .bm25 import BM25

        self.chunks = chunks
        self.faiss = faiss_index
        self.manifest = manifest
        self.bm25 = BM25([c.embed_text for c in chunks])
        self.vocabulary = None  # set by the retriever: assistant.vocabulary.Vocabulary

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder) -> "SearchIndex":
        import faiss

        d = settings.index_dir
        missing = [n for n in FILES if not (d / n).exists()]
        if missing:
            raise IndexNotReadyError(f"The search index in {d} is missing ({', '.join(missing)}).")
        try:
            manifest = json.loads((d / "manifest.json").read_text())
            chunks = [Chunk.model_validate_json(ln) for ln in (d / "chunks.jsonl").read_text().splitlines()]
            index = faiss.read_index(str(d / "dense.faiss"))
        except Exception as e:  # corrupted files of any kind
            raise IndexNotReadyError(f"The search index in {d} is corrupted ({type(e).__name__}: {e}).") from None
        params = _params(settings, embedder)
        if manifest.get("version") != MANIFEST_VERSION or manifest.get("params") != params:
            raise IndexNotReadyError(
                f"The search index in {d} was built with different settings "
                f"({manifest.get('params')}) than the current ones ({params}).")
        if not (len(chunks) == index.ntotal == manifest.get("chunks")):
            raise IndexNotReadyError(f"The search index in {d} is inconsistent: {len(chunks)} chunks, "
                                     f"{index.ntotal} vectors, manifest says {manifest.get('chunks')}.")
        return cls(chunks, index, manifest)


def stale_documents(settings: Settings) -> list[str]:
    """Ids of documents added, edited or deleted since the index was built (all, if there is no index)."""
    from .knowledge import check_knowledge_base

    docs, _ = check_knowledge_base(settings.kb_path)
    if settings.require_approved:
        docs = [d for d in docs if d.approved]
    try:
        built = json.loads((settings.index_dir / "manifest.json").read_text())["docs"]
    except (OSError, ValueError, KeyError):
        return sorted(d.id for d in docs) or ["(index missing)"]
    current = {d.id: d.content_hash for d in docs}
    return sorted(k for k in set(built) | set(current) if built.get(k) != current.get(k))
