"""End-to-end: the app in a real browser (chromium). Screenshots of each tab go to test-output/e2e/."""

import json
import re

import pytest

from tests.ui_support import PHI_VALUES, REPORT, running_app

pytestmark = pytest.mark.e2e

XSS_QUESTION = ('Is psoriasis contagious? <script>window.__xss="script"</script>'
                '<img src=x onerror="window.__xss=\'img\'">')
PROGRESS_RECORDER = """() => {
  window.__progress = [];
  new MutationObserver(() => {
    const bars = document.querySelectorAll('.progress-level-inner');
    window.__bars = Math.max(window.__bars || 0, bars.length);
    for (const el of bars) window.__progress.push(el.innerText);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
CHAT_TAB, REPORT_TAB, QUALITY_TAB = "Patient chat", "Report explainer (clinician)", "Quality (QA)"


def _ask(p, question: str) -> None:
    p.page.fill("#question textarea", question)
    p.page.click("#ask")


def _open(p, url: str, tab: str | None = None) -> None:
    p.page.goto(url)
    p.page.wait_for_selector("#header")
    if tab:
        p.page.get_by_role("tab", name=tab).click()


def test_question_shows_answer_and_expandable_citations(app, page, shots):
    _open(page, app.local_url)
    assert page.page.locator("#backend-pill").inner_text().startswith("Backend: grounded")
    assert "Offline" in page.page.locator("#offline-pill").inner_text()
    _ask(page, "Is rosacea contagious?")
    citation = page.page.locator("#sources details.citation").first
    citation.wait_for()
    assert page.page.locator("#chatbot").get_by_text(re.compile("Rosacea is not contagious")).count() >= 1
    assert "[1]" in citation.locator("summary").inner_text()
    citation.locator("summary").click()
    passage = citation.locator("blockquote")
    assert passage.is_visible() and "not contagious" in passage.inner_text()
    assert "Test Society" in citation.inner_text()
    assert "Easy to read" in page.page.locator("#grade").inner_text()
    page.page.screenshot(path=str(shots / "chat.png"), full_page=True)
    assert page.external_requests() == []


def test_emergency_question_shows_the_banner_first(app, page, shots):
    _open(page, app.local_url)
    _ask(page, "My lips and tongue are swelling and I cannot breathe after a new cream")
    banner = page.page.locator("#triage-banner .banner-emergency")
    banner.wait_for()
    assert banner.get_attribute("role") == "alert"
    assert "emergency" in banner.inner_text().lower()
    chat_box = page.page.locator("#chatbot").bounding_box()
    banner_box = banner.bounding_box()
    input_box = page.page.locator("#question").bounding_box()
    assert chat_box["y"] < banner_box["y"] < input_box["y"]  # in the conversation, right above the input
    assert banner.locator("a[href='tel:999']").count() == 1 and banner.locator("a[href^='tel:']").count() >= 3
    page.page.screenshot(path=str(shots / "chat-emergency.png"), full_page=True)


@pytest.mark.parametrize("message,number", [
    ("My lips and tongue are swelling and I cannot breathe after a new cream", "999"),
    ("I have sorted out who gets my things and written letters to my kids, I won't be here much longer", "988"),
])
def test_urgent_message_in_a_long_conversation_brings_the_card_into_view(app, page, shots, message, number):
    _open(page, app.local_url)
    page.page.set_viewport_size({"width": 390, "height": 844})
    for n, question in enumerate(("Is eczema contagious?", "What triggers a psoriasis flare?", "What is rosacea?",
                                  "Are steroid creams safe to use on my face?"), start=1):
        _ask(page, question)  # each answer in (the bot message no longer "…") before the next question
        page.page.wait_for_function(
            f"() => {{ const bots = document.querySelectorAll('#chatbot [data-testid=\"bot\"]');"
            f" return bots.length >= {n} && !bots[bots.length - 1].innerText.trim().endsWith('\u2026'); }}",
            timeout=60_000)
    _ask(page, message)
    card = page.page.locator("#triage-banner .safety-card")
    card.wait_for(timeout=60_000)
    page.page.wait_for_function(
        "() => { const r = document.querySelector('#triage-banner .safety-card').getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }", timeout=10_000)
    tel = card.locator(f"a[href='tel:{number}']")
    assert tel.count() == 1 and tel.is_visible()
    page.page.screenshot(path=str(shots / f"chat-urgent-{number}-phone.png"), full_page=False)


def test_chat_shows_html_and_scripts_as_text(app, page):
    _open(page, app.local_url)
    _ask(page, XSS_QUESTION)
    page.page.locator("#sources details").first.wait_for()
    chat = page.page.locator("#chatbot")
    assert chat.get_by_text("<script>", exact=False).count() >= 1
    assert chat.get_by_text("onerror", exact=False).count() >= 1
    assert chat.locator("img[src='x']").count() == 0 and chat.locator("script").count() == 0
    assert not page.xss_fired()


def test_feedback_and_clear(app, page):
    _open(page, app.local_url)
    _ask(page, "Is eczema contagious?")
    page.page.locator("#sources details").first.wait_for()
    assert page.page.get_by_text("Was an answer helpful?").is_visible()  # open: one visible control
    page.page.get_by_label("👍 Helpful").check()
    page.page.fill("#feedback-comment textarea", "Clear and short.")
    page.page.click("#send-feedback")
    page.page.locator("#feedback-status").get_by_text("rating (helpful) of the latest answer was saved").wait_for()
    # one feedback control: the messages themselves have no thumbs (not on safety messages either)
    assert page.page.locator("#chatbot").get_by_role("button", name="Dislike").count() == 0
    ratings = [line for line in (app.extra["services"].settings.home / "logs" / "feedback.jsonl")
               .read_text(encoding="utf-8").splitlines() if '"exchange_id": "' in line]
    assert any('"rating": "up"' in r and "Clear and short." in r for r in ratings)
    # an earlier answer can be rated too: pick it by its question
    before = page.page.locator("#chatbot [data-testid='bot']").count()
    _ask(page, "What triggers a psoriasis flare?")
    page.page.wait_for_function(f"() => document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length > {before}"
                                " && !document.querySelector('#chatbot').innerText.trim().endsWith('\u2026')")
    page.page.wait_for_timeout(500)
    page.page.locator("#rate-which input").click()
    page.page.get_by_role("option", name="1. Is eczema contagious?").click()
    page.page.get_by_label("👎 Not helpful").check()
    page.page.click("#send-feedback")
    page.page.locator("#feedback-status").get_by_text("rating (not helpful) of answer 1 was saved").wait_for()
    last = json.loads((app.extra["services"].settings.home / "logs" / "feedback.jsonl").read_text(
        encoding="utf-8").splitlines()[-1])
    assert last["rating"] == "down" and "eczema" in last["question"].lower()
    page.page.click("#clear")
    page.page.wait_for_function("() => document.querySelectorAll('#chatbot [data-testid=\"bot\"]').length === 0")
    assert page.page.locator("#sources details").count() == 0
    assert page.page.locator("#chatbot").get_by_text("not contagious").count() == 0


def test_report_explainer_with_handout_download(app, page, shots):
    _open(page, app.local_url, REPORT_TAB)
    report = REPORT.replace("COMMENT: Re-excision is suggested.",
                            'COMMENT: Re-excision is suggested. <img src=x onerror="window.__xss=\'report\'">'
                            '<script>window.__xss="report-script"</script>')
    page.page.fill("#report-text textarea", report)
    page.page.click("#explain")
    page.page.locator("#explanation h3").first.wait_for()
    marks = page.page.locator("#redacted mark.phi")
    assert marks.count() >= 4 and "[NAME]" in marks.first.inner_text() or "[" in marks.first.inner_text()
    shown = page.page.locator("#redacted").inner_text() + page.page.locator("#explanation").inner_text()
    for value in PHI_VALUES:
        assert value not in shown
    assert "Basal cell carcinoma" in shown and "Margins" in shown
    with page.page.expect_download() as download:
        page.page.click("#handout")
    path = page.tmp_path / "handout.html"
    download.value.save_as(path)
    handout = path.read_text(encoding="utf-8")
    assert "basal cell carcinoma" in handout.lower() and not any(v in handout for v in PHI_VALUES)
    assert "Summary" in page.page.locator("#copy-text textarea").input_value()
    page.page.screenshot(path=str(shots / "report.png"), full_page=True)
    assert not page.xss_fired() and page.external_requests() == []


def test_small_eval_run_shows_progress_and_plots(app, page, shots):
    _open(page, app.local_url, QUALITY_TAB)
    page.page.fill("#eval-limit input", "20")
    page.page.evaluate(PROGRESS_RECORDER)  # progress can be brief on the tiny test set: record every update
    page.page.click("#run-eval")
    page.page.locator("#eval-running").wait_for()  # old results cleared, Run disabled while it goes
    assert page.page.locator("#run-eval").is_disabled()
    page.page.locator("#eval-plots img").first.wait_for(timeout=180_000)
    page.page.wait_for_function("() => !document.querySelector('#run-eval').disabled")
    seen = page.page.evaluate("() => window.__progress")
    # one progress bar, in plain words (no library internals such as "it/s" or tqdm bars)
    assert any(re.search(r"Checked \d+ of \d+ items \((patient questions|safety messages)\)", t) for t in seen), seen
    assert not any("it/s" in t or "(qa)" in t for t in seen), seen
    assert page.page.evaluate("() => window.__bars") <= 1
    # the figures are grouped, each with its target and a written PASS or FAIL
    summary_text = page.page.locator("#eval-summary").inner_text()
    assert "Factual accuracy" in summary_text and "Safety triage" in summary_text and "targets met" in summary_text
    assert re.search(r"\bPASS\b|\bFAIL\b", summary_text)
    img = page.page.locator("#eval-plots img").first
    assert page.page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 100
    assert "key_fact_recall" in page.page.locator("#eval-summary").inner_text()
    # the per-question review: open the first (worst) item, then show only declined questions
    first = page.page.locator("#eval-review details.q").first
    first.locator("summary").click()
    assert first.get_attribute("open") is not None and "Reference" in first.inner_text()
    total = page.page.locator("#eval-review details.q").count()
    page.page.locator("#eval-review-show input").click()
    page.page.get_by_role("option", name="declined").click()
    page.page.wait_for_function(f"() => document.querySelectorAll('#eval-review details.q').length !== {total}",
                                timeout=30_000)
    shown = page.page.locator("#eval-review details.q")
    assert shown.count() < total and all("declined" in shown.nth(i).locator("summary").inner_text()
                                         for i in range(shown.count()))
    page.page.screenshot(path=str(shots / "quality.png"), full_page=True)
    assert page.external_requests() == []


@pytest.mark.parametrize("value,words", [("0", "out of range"), ("-5", "out of range"), ("5000", "out of range")])
def test_a_bad_limit_is_explained_and_run_comes_back(app, page, value, words):
    _open(page, app.local_url, QUALITY_TAB)
    page.page.fill("#eval-limit input", value)
    page.page.click("#run-eval")
    box = page.page.locator("#eval-status .error-box")
    box.wait_for(timeout=30_000)
    assert words in box.inner_text() and "How to fix" in box.inner_text()
    page.page.wait_for_function("() => !document.querySelector('#run-eval').disabled")
    assert page.page.get_by_text("Error", exact=True).count() == 0  # no bare error pills or toasts


def test_staff_tools_behind_login(tmp_path, page, shots):
    with running_app(tmp_path / "app", auth="clinic:pw-e2e") as server:
        _open(page, server.local_url)
        assert page.page.get_by_role("tab", name=REPORT_TAB).count() == 0
        page.page.goto(server.staff_url)
        page.page.get_by_label("username").fill("clinic")
        page.page.get_by_label("password").fill("wrong")
        page.page.get_by_role("button", name="Login").click()
        page.page.get_by_text(re.compile("Incorrect|invalid", re.I)).wait_for()
        page.page.screenshot(path=str(shots / "login.png"), full_page=True)
        page.page.get_by_label("username").fill("clinic")  # the form is cleared after a failed login
        page.page.get_by_label("password").fill("pw-e2e")
        page.page.get_by_role("button", name="Login").click()
        page.page.get_by_role("tab", name=REPORT_TAB).wait_for()
        assert page.page.get_by_role("tab", name=CHAT_TAB).count() == 0
        assert page.external_requests() == []


def test_every_tab_loads_with_no_request_leaving_the_machine(app, page, shots):
    _open(page, app.local_url)
    for tab, marker in ((CHAT_TAB, "#question"), (REPORT_TAB, "#report-text"), (QUALITY_TAB, "#run-eval")):
        page.page.get_by_role("tab", name=tab).click()
        page.page.locator(marker).wait_for()
    page.page.get_by_role("tab", name=CHAT_TAB).click()
    page.page.screenshot(path=str(shots / "chat-empty.png"), full_page=True)
    assert page.requests and page.external_requests() == []
    fonts = [u for u in page.requests if re.search(r"\.(woff2?|ttf|otf)(\?|$)", u)]
    assert fonts == []  # system fonts only: no web fonts, local or remote
    font_family = page.page.evaluate("() => getComputedStyle(document.querySelector('#header h1')).fontFamily")
    assert "system-ui" in font_family
