"""Knowledge base v2: findings of the independent clinical check stay fixed, two documents never disagree on
pregnancy waits, and every new or changed document carries a fact-check log by someone who did not write it."""

import datetime as dt
import re
import shutil

import pytest

from assistant.kb_consistency import durations, pregnancy_disagreements
from assistant.kb_reviews import load_review_logs
from assistant.kb_stats import collect_stats
from assistant.knowledge import check_knowledge_base
from tests.conftest import KB

ROUND_2 = dt.date(2026, 12, 5)   # documents written or changed in knowledge base v2 carry this date or later


def _text(rel: str) -> str:
    return re.sub(r"\s+", " ", (KB / rel).read_text(encoding="utf-8")).lower()


def _section(rel: str, heading: str) -> str:
    body = (KB / rel).read_text(encoding="utf-8")
    m = re.search(r"^## " + re.escape(heading) + r"\s*$(.*?)(?=^## |\Z)", body, flags=re.M | re.S)
    assert m, f"{rel} has no section '{heading}'"
    return re.sub(r"\s+", " ", m.group(1)).lower()


# --- section 1: each safety-relevant finding, checked where a patient would read it ------------------------------
@pytest.mark.parametrize("rel, section, facts", [
    ("treatments/tnf-inhibitors.md", "Side effects",
     ["boxed warning", "serious infections", "tb", "cancer", "lymphoma", "hepatosplenic t-cell lymphoma",
      "azathioprine or mercaptopurine", "lupus-like", "swollen glands", "night sweats", "weight loss"]),
    ("safety/medicines-in-pregnancy.md", "Spironolactone", ["avoided in pregnancy", "contraception", "stop"]),
    ("safety/medicines-in-pregnancy.md", "Alitretinoin", ["pregnancy prevention programme", "one month"]),
    ("safety/medicines-in-pregnancy.md", "Finasteride, dutasteride and minoxidil tablets",
     ["crushed or broken finasteride", "dutasteride", "minoxidil tablets", "contraception"]),
    ("safety/medicines-in-pregnancy.md", "Mycophenolate",
     ["two negative pregnancy tests", "8 to 10 days apart", "before starting", "6 weeks"]),
    ("safety/medicines-in-pregnancy.md", "Isotretinoin", ["implant or a coil", "two methods used together"]),
    ("safety/medicines-in-pregnancy.md", "Biologics and other immune medicines",
     ["differ by country", "rotavirus", "bcg is delayed until 6 months"]),
    ("treatments/isotretinoin.md", "Pregnancy and breastfeeding", ["implant or a coil", "two methods used together"]),
    ("treatments/rituximab.md", "Side effects", ["severe", "boxed warning"]),
    ("treatments/hydroxychloroquine.md", "Monitoring", ["baseline eye exam within the first year"]),
    ("treatments/phototherapy.md", "How it is used", ["24 hours"]),
    ("treatments/topical-calcineurin-inhibitors.md", "How long until it works", ["two weeks", "six weeks"]),
    ("treatments/ciclosporin.md", "How it is used", ["8 weeks", "psoriasis"]),
    # The clinical check asked for "about 1 in 5 (15-28 in 100)"; the second fact check found no source for 1 in 5
    # (adult studies range from almost none to 28 in 100; BAD gives 5 and 15 in 100), so the range is stated.
    ("conditions/cutaneous-lupus.md", "Linked conditions and complications",
     ["28 in 100", "15 in 100", "starts in childhood", "1 in 4 children"]),
])
def test_clinical_check_finding_is_fixed(rel, section, facts):
    text = _section(rel, section)
    missing = [f for f in facts if f not in text]
    assert not missing, f"{rel} / {section} lacks {missing}"


def test_isotretinoin_is_called_a_capsule():
    head = (KB / "treatments/isotretinoin.md").read_text(encoding="utf-8").split("\n## ")[0]
    assert "capsules" in head.lower() and "tablets" not in head.lower()


def test_pregnancy_rules_agree_with_the_mycophenolate_document():
    assert {"8-10 day", "6 week"} <= durations(_section("treatments/mycophenolate.md", "Pregnancy and breastfeeding"))
    assert {"8-10 day", "6 week"} <= durations(_section("safety/medicines-in-pregnancy.md", "Mycophenolate"))


# --- two documents never disagree -------------------------------------------------------------------------------
def test_durations_are_normalised_and_limited_to_pregnancy_paragraphs():
    text = ("Use contraception for one month before and 1 month after. Tests are 8 to 10 days apart if pregnant.\n\n"
            "Do not drink alcohol for 2 months.\n\nIt is taken once a week.")
    assert durations(text) == {"1 month", "8-10 day"}


def test_a_changed_wait_in_one_document_is_reported(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(KB, kb)
    preg = kb / "safety" / "medicines-in-pregnancy.md"
    text = preg.read_text(encoding="utf-8")
    assert "for 6 weeks after stopping" in text
    preg.write_text(text.replace("for 6 weeks after stopping", "for 12 weeks after stopping", 1), encoding="utf-8")
    docs, problems = check_knowledge_base(kb)
    found = [p for p in problems if "mycophenolate" in p.path]
    assert found and "12 week" in found[0].message and "6 week" in found[0].message
    assert pregnancy_disagreements([d for d in docs if d.id != "mycophenolate"]) == []


# --- review logs --------------------------------------------------------------------------------------------------
def test_bad_or_orphan_review_logs_are_problems(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(KB, kb)
    (kb / "reviews" / "no-such-document.yaml").write_text(
        "document: no-such-document\nreviewer: someone else\ndate: 2026-12-05\nclaims:\n"
        "  - {claim: 'A claim here', source: 'NHS page', result: correct}\n", encoding="utf-8")
    (kb / "reviews" / "psoriasis.yaml").write_text(
        "document: psoriasis\nreviewer: x\ndate: 2026-12-05\nclaims:\n"
        "  - {claim: 'A claim here', source: 'NHS page', result: maybe}\n", encoding="utf-8")
    _, problems = check_knowledge_base(kb)
    paths = {p.path.rsplit("/", 1)[-1] for p in problems}
    assert {"no-such-document.yaml", "psoriasis.yaml"} <= paths


def test_stats_count_checked_claims_per_document(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(KB, kb)
    (kb / "reviews" / "psoriasis.yaml").write_text(
        "document: psoriasis\nreviewer: a second writer\ndate: 2026-12-05\nclaims:\n"
        "  - {claim: 'Psoriasis is not contagious.', source: 'NHS psoriasis page', result: correct}\n"
        "  - {claim: 'A made-up number.', source: 'NHS psoriasis page', result: removed, note: 'not in source'}\n",
        encoding="utf-8")
    stats = collect_stats(kb)
    row = next(r for r in stats["rows"] if r["id"] == "psoriasis")
    assert (row["claims_checked"], row["corrections"]) == (2, 1)
    assert stats["claims_checked"] >= 2 and stats["fact_checked_documents"] >= 1
    # a later check of one section counts too, and a later check without a scope is a malformed log
    (kb / "reviews" / "psoriasis.yaml").write_text(
        "document: psoriasis\nreviewer: a second writer\ndate: 2026-12-05\nclaims:\n"
        "  - {claim: 'Psoriasis is not contagious.', source: 'NHS psoriasis page', result: correct}\n"
        "later_checks:\n  - reviewer: a third writer\n    date: 2026-12-07\n    scope: 'section: Outlook'\n"
        "    claims:\n      - {claim: 'Psoriasis has no cure.', source: 'NHS psoriasis page', result: correct}\n"
        "      - {claim: 'It clears for good.', source: 'NHS psoriasis page', result: corrected}\n",
        encoding="utf-8")
    row = next(r for r in collect_stats(kb)["rows"] if r["id"] == "psoriasis")
    assert (row["claims_checked"], row["corrections"]) == (3, 1)
    text = (kb / "reviews" / "psoriasis.yaml").read_text(encoding="utf-8")
    (kb / "reviews" / "psoriasis.yaml").write_text(text.replace("    scope: 'section: Outlook'\n", ""), encoding="utf-8")
    _, problems = check_knowledge_base(kb)
    assert any(p.path.endswith("psoriasis.yaml") for p in problems)


def test_every_new_or_changed_document_was_fact_checked_by_someone_else():
    docs, _ = check_knowledge_base(KB)
    logs, problems = load_review_logs(KB)
    assert problems == []
    changed = sorted(d.id for d in docs if d.meta.kind != "glossary" and d.meta.updated >= ROUND_2)
    assert len(changed) >= 40, changed
    missing = [i for i in changed if i not in logs]
    assert not missing, f"no fact-check log in knowledge_base/reviews/ for {missing}"
    for i in changed:
        log = logs[i]
        if log.scope is None:  # a check of the whole document
            assert "not the writer" in log.reviewer.lower(), i
            assert len(log.claims) >= 10, f"{i}: only {len(log.claims)} claims checked"
        assert log.date >= ROUND_2, i
        for check in [log, *log.later_checks]:  # a check of one section: by someone who did not write it
            assert check.scope is None or ("not the" in check.reviewer.lower() and len(check.claims) >= 1), i


def test_every_outlook_section_was_fact_checked_by_someone_else():
    """The outlook sections added on 2026-12-07 (issue 14): each one's claims checked by a second writer."""
    docs, _ = check_knowledge_base(KB)
    logs, _ = load_review_logs(KB)
    conditions = [d for d in docs if d.meta.kind == "condition"]
    assert len(conditions) >= 50
    unchecked = []
    for d in conditions:
        log = logs.get(d.id)
        checks = [c for c in ([log, *log.later_checks] if log else []) if "outlook" in (c.scope or "").lower()]
        if not any(len(c.claims) >= 3 and "not the" in c.reviewer.lower() for c in checks):
            unchecked.append(d.id)
    assert unchecked == [], f"outlook sections without a fact check by a second writer: {unchecked}"


def test_no_document_claims_clinician_approval_from_a_fact_check():
    docs, _ = check_knowledge_base(KB)
    for d in docs:
        assert d.meta.review.status != "clinician-approved" or d.approved, d.id
        assert "approved by" not in d.body.lower(), d.id


def test_the_lay_word_table_is_data_and_the_code_table_wins():
    import yaml

    from assistant.synonyms import SYNONYMS, expand_query, table

    data = yaml.safe_load((KB / "lexicon" / "synonyms.yaml").read_text(encoding="utf-8"))["synonyms"]
    assert len(data) >= 500 and all(k == k.lower() and v.strip() for k, v in data.items())
    merged = table()
    assert all(merged[k] == v for k, v in SYNONYMS.items())  # the reviewed code table is never overridden
    assert "aluminium chloride" in expand_query("how do you use driclor properly").lower()
