import json

import numpy as np
import pytest

from assistant.chunking import chunk_document
from assistant.embeddings import get_embedder
from assistant.errors import IndexNotReadyError
from assistant.index import SearchIndex, build_index, stale_documents
from assistant.knowledge import parse_document
from tests.helpers import write_doc


def _chunks_by_doc(settings):
    rows = [json.loads(ln) for ln in (settings.index_dir / "chunks.jsonl").read_text().splitlines()]
    out = {}
    for r in rows:
        out.setdefault(r["doc_id"], set()).add(r["chunk_id"])
    return out


def test_chunks_keep_heading_path_and_doc_id(tiny_kb):
    doc, _ = parse_document(tiny_kb / "conditions" / "psoriasis.md")
    chunks = chunk_document(doc, 900, 100)
    assert {c.doc_id for c in chunks} == {"psoriasis"}
    assert chunks[5].heading_path == ["Is it contagious?"]
    assert chunks[5].embed_text.startswith("Psoriasis — Is it contagious?")


def test_long_sections_are_split_with_overlap(tiny_kb):
    long = " ".join(f"Sentence number {i} about plaques." for i in range(120))
    write_doc(tiny_kb, "long-doc", "Long doc", extra=f"\n## Extra\n{long}\n")
    doc, _ = parse_document(tiny_kb / "conditions" / "long-doc.md")
    extra = [c for c in chunk_document(doc, 400, 80) if c.heading_path == ["Extra"]]
    assert len(extra) > 5 and all(len(c.text) <= 400 for c in extra)


def test_incremental_rebuild_touches_only_changed_docs(fake_settings, tiny_kb):
    emb = get_embedder("fake")
    first = build_index(fake_settings, emb, progress=False)
    assert sorted(first.added) == ["atopic-dermatitis", "psoriasis", "rosacea", "topical-corticosteroids"]
    before = _chunks_by_doc(fake_settings)
    again = build_index(fake_settings, emb, progress=False)
    assert not again.changed and again.chunks_embedded == 0
    p = tiny_kb / "conditions" / "rosacea.md"
    p.write_text(p.read_text().replace("bumps on the cheeks", "bumps and visible blood vessels on the cheeks"))
    (tiny_kb / "conditions" / "psoriasis.md").unlink()
    write_doc(tiny_kb, "vitiligo", "Vitiligo", feature="white patches")
    assert stale_documents(fake_settings) == ["psoriasis", "rosacea", "vitiligo"]
    third = build_index(fake_settings, emb, progress=False)
    assert (third.added, third.updated, third.removed) == (["vitiligo"], ["rosacea"], ["psoriasis"])
    after = _chunks_by_doc(fake_settings)
    assert "psoriasis" not in after
    assert after["atopic-dermatitis"] == before["atopic-dermatitis"]
    assert after["topical-corticosteroids"] == before["topical-corticosteroids"]
    assert after["rosacea"] != before["rosacea"]
    assert third.chunks_embedded == len(after["rosacea"]) + len(after["vitiligo"])
    idx = SearchIndex.load(fake_settings, emb)
    assert idx.faiss.ntotal == len(idx.chunks) == sum(len(v) for v in after.values())
    # kept vectors still belong to their chunks: re-embedding a kept chunk gives its stored vector
    vec = idx.faiss.reconstruct(0)
    assert np.allclose(vec, emb.embed([idx.chunks[0].embed_text])[0], atol=1e-5)
    assert stale_documents(fake_settings) == []


def test_missing_index_says_run_index(fake_settings):
    with pytest.raises(IndexNotReadyError) as e:
        SearchIndex.load(fake_settings, get_embedder("fake"))
    assert "missing" in e.value.message and "dermassist index" in e.value.fix


def test_corrupted_index_files(fake_settings):
    emb = get_embedder("fake")
    build_index(fake_settings, emb, progress=False)
    (fake_settings.index_dir / "dense.faiss").write_bytes(b"garbage")
    with pytest.raises(IndexNotReadyError, match="corrupted"):
        SearchIndex.load(fake_settings, emb)
    report = build_index(fake_settings, emb, progress=False)
    assert report.chunks_embedded == 0  # vectors were intact: the FAISS file is rebuilt from them
    assert SearchIndex.load(fake_settings, emb).faiss.ntotal == report.chunks_total


def test_rebuild_repairs_a_truncated_chunks_file(fake_settings):
    emb = get_embedder("fake")
    build_index(fake_settings, emb, progress=False)
    chunks = fake_settings.index_dir / "chunks.jsonl"
    chunks.write_text("\n".join(chunks.read_text().splitlines()[:-3]) + "\n")
    with pytest.raises(IndexNotReadyError, match="inconsistent"):
        SearchIndex.load(fake_settings, emb)
    report = build_index(fake_settings, emb, progress=False)
    assert report.chunks_embedded == report.chunks_total  # nothing reusable: rebuilt from scratch
    SearchIndex.load(fake_settings, emb)


def test_mismatched_embedder_is_detected(fake_settings):
    build_index(fake_settings, get_embedder("fake"), progress=False)

    class Other(type(get_embedder("fake"))):
        name = "other-model"

    with pytest.raises(IndexNotReadyError, match="different settings"):
        SearchIndex.load(fake_settings, Other())
