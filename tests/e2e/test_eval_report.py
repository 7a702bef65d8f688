"""The per-question review in report.html, in a real browser: filter, show only contradictions, expand an item."""

import json

from eval.runner import RunOptions, run_eval

ROWS = [
    # the fake assistant's hash-seeded embedder gets the rules judge (the learned claim head is bound to MiniLM)
    ("pso", "Is psoriasis contagious?", "Psoriasis is contagious."),
    ("ad", "Can you catch atopic dermatitis from someone?", "Atopic dermatitis is not contagious."),
    ("ros", "What triggers rosacea?", "Stress and cold weather can trigger rosacea."),
    ("xss", "<img src=x onerror=\"window.__xss=1\"> is rosacea contagious?", "Rosacea is not contagious."),
]


def test_report_per_question_view_filters_and_expands(page, fake_settings, fake_assistant, tmp_path, shots):
    data = tmp_path / "qa.jsonl"
    data.write_text("".join(json.dumps({"id": i, "question": q, "reference_answer": a}) + "\n" for i, q, a in ROWS))
    outcome = run_eval(fake_settings, RunOptions(datasets=[str(data)], out=tmp_path / "run", progress=False),
                       assistant=fake_assistant)
    contradicted = {r.id for r in outcome.results if r.scores.get("contradicted_claims")}
    assert "pso" in contradicted  # "is contagious" against an answer saying it is not
    p = page.page
    p.goto((tmp_path / "run" / "report.html").as_uri())
    items = p.locator("#q-items > details")
    assert items.count() == 4
    assert p.locator("#q-count").inner_text() == "4 shown"  # the page's script ran (allowed by its CSP hash)
    p.select_option("#q-show", "contra")
    assert p.locator("#q-count").inner_text() == f"{len(contradicted)} shown"
    assert p.locator("#q-items > details:visible").first.get_attribute("data-id") in contradicted
    p.select_option("#q-show", "all")
    p.fill("#q-filter", "rosacea")
    assert p.locator("#q-count").inner_text() == "2 shown"
    p.fill("#q-filter", "")
    item = p.locator("details[data-id='pso']")
    item.locator("summary").click()
    assert item.get_attribute("open") is not None
    claims = item.locator(".claims li.contradicted")
    assert claims.count() >= 1 and "Psoriasis is contagious" in claims.first.inner_text()
    assert "not contagious" in item.locator(".cites").inner_text()  # the cited passage, with its text
    p.screenshot(path=str(shots / "eval-report-review.png"), full_page=False)
    assert not page.xss_fired() and [u for u in page.external_requests() if not u.startswith("file:")] == []
