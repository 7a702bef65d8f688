import datetime as dt

from assistant.knowledge import check_knowledge_base, load_knowledge_base, parse_document, record_review
from tests.helpers import doc_text, write_doc

import pytest
from assistant.errors import KnowledgeBaseError


def test_tiny_kb_is_valid(tiny_kb):
    docs, problems = check_knowledge_base(tiny_kb)
    assert problems == []
    assert sorted(d.id for d in docs) == ["atopic-dermatitis", "psoriasis", "rosacea", "topical-corticosteroids"]


def test_all_problems_listed_at_once(tiny_kb):
    (tiny_kb / "conditions" / "bad-one.md").write_text(doc_text("bad-one", "Bad").replace("kind: condition", "kind: illness"))
    (tiny_kb / "conditions" / "bad-two.md").write_bytes(b"---\nid: bad-two\n---\n\xff\xfe not utf8")
    (tiny_kb / "conditions" / "bad-three.md").write_text(doc_text("bad-three", "Bad").replace("## Treatment\n", "## Therapy\n"))
    (tiny_kb / "conditions" / "bad-four.md").write_text("no front matter at all")
    docs, problems = check_knowledge_base(tiny_kb)
    by_file = {p.path.rsplit("/", 1)[-1]: p for p in problems}
    assert set(by_file) == {"bad-one.md", "bad-two.md", "bad-three.md", "bad-four.md"}
    assert by_file["bad-one.md"].field == "kind"
    assert "UTF-8" in by_file["bad-two.md"].message and "UTF-8" in by_file["bad-two.md"].fix
    assert "Treatment" in by_file["bad-three.md"].message
    assert by_file["bad-four.md"].field == "(front matter)"
    with pytest.raises(KnowledgeBaseError) as e:
        load_knowledge_base(tiny_kb)
    assert "4 problem(s)" in str(e.value) and "bad-two.md" in str(e.value)


def test_missing_field_and_too_few_sources(tiny_kb):
    text = doc_text("x-doc", "Xdoc").replace("updated: 2026-11-30\n", "")
    p = tiny_kb / "conditions" / "x-doc.md"
    p.write_text(text)
    _, probs = parse_document(p)
    assert [(q.field, "add the `updated`" in q.fix) for q in probs] == [("updated", True)]
    one_source = doc_text("y-doc", "Ydoc")
    start = one_source.index("  - title: Test guideline two")
    end = one_source.index("review:")
    p2 = tiny_kb / "conditions" / "y-doc.md"
    p2.write_text(one_source[:start] + one_source[end:])
    _, probs = parse_document(p2)
    assert probs and probs[0].field == "sources"


def test_id_must_match_file_name(tiny_kb):
    p = tiny_kb / "conditions" / "other-name.md"
    p.write_text(doc_text("some-id", "Some"))
    _, probs = parse_document(p)
    assert any(q.field == "id" and "file name" in q.message for q in probs)


def test_review_records_hash_and_edit_invalidates(tiny_kb):
    p = tiny_kb / "conditions" / "rosacea.md"
    doc, _ = parse_document(p)
    assert not doc.approved
    approved = record_review(doc, "Dr Test, MD", today=dt.date(2026, 11, 30))
    assert approved.approved and approved.meta.review.reviewer == "Dr Test, MD"
    assert approved.content_hash == doc.content_hash  # recording the review does not change the content
    p.write_text(p.read_text().replace("facial flushing", "facial flushing and burning"))
    edited, probs = parse_document(p)
    assert not edited.approved
    assert any("stale" in q.message for q in probs)


def test_require_approved_filters(tiny_kb):
    with pytest.raises(KnowledgeBaseError, match="no document is clinician-approved"):
        load_knowledge_base(tiny_kb, require_approved=True)
    doc, _ = parse_document(tiny_kb / "conditions" / "psoriasis.md")
    record_review(doc, "Dr Test")
    assert [d.id for d in load_knowledge_base(tiny_kb, require_approved=True)] == ["psoriasis"]


def test_glossary_links_and_duplicates(tiny_kb):
    (tiny_kb / "glossary.yaml").write_text(
        "id: glossary\ntitle: Glossary\nkind: glossary\naudience: both\n"
        "sources:\n  - {title: Src one, publisher: Pub, year: 2024, url: 'https://e.org/1'}\n"
        "  - {title: Src two, publisher: Qub, year: 2024, url: 'https://e.org/2'}\n"
        "review: {status: sourced}\nupdated: 2026-11-30\nterms:\n"
        "  - {term: Spongiosis, synonyms: [spongiotic], definition: Fluid between skin cells in eczema rashes., see: atopic-dermatitis}\n"
        "  - {term: Plaque, synonyms: [spongiotic], definition: A raised flat-topped patch of skin., see: no-such-doc}\n")
    docs, problems = check_knowledge_base(tiny_kb)
    msgs = [p.message for p in problems]
    assert any("no-such-doc" in m for m in msgs)
    assert any("already used by term 'Spongiosis'" in m for m in msgs)
