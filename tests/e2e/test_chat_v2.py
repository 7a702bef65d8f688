"""Chat v2 in a real browser: the conversation survives a reload and is gone after "forget", every answer keeps
its own cited passages behind its [n] markers, a typed Markdown link stays text; the report box's one size
limit with its counter."""

from tests.e2e.test_browser import REPORT_TAB, _ask, _open


def _answers(p) -> int:
    return p.page.locator("#chatbot .answer-sources").count()


def _ask_and_wait(p, question: str) -> None:
    before = _answers(p)
    _ask(p, question)
    p.page.wait_for_function(f"() => document.querySelectorAll('#chatbot .answer-sources').length > {before}",
                             timeout=60_000)


def test_conversation_survives_a_reload_and_forget_removes_it(app, page):
    _open(page, app.local_url)
    _ask_and_wait(page, "Is eczema contagious? My name is Margaret Thornbury.")
    page.page.wait_for_timeout(500)  # the browser copy is written after the answer
    page.page.reload()
    page.page.wait_for_selector("#header")
    chat = page.page.locator("#chatbot")
    chat.locator("[data-testid='bot']").first.wait_for(timeout=20_000)
    assert "Thornbury" not in chat.inner_text()  # the kept copy has personal details removed
    _ask_and_wait(page, "How is it treated?")  # a follow-up after the reload still has the topic
    assert "atopic dermatitis" in chat.locator(".answer-sources").last.inner_text().lower()
    page.page.click("#forget")
    page.page.locator("#forget-status").get_by_text("Forgotten").wait_for()
    page.page.reload()
    page.page.wait_for_selector("#header")
    page.page.wait_for_timeout(1500)
    assert page.page.locator("#chatbot [data-testid='bot']").count() == 0  # only the welcome is left


def test_each_answers_markers_open_its_own_passage(app, page):
    _open(page, app.local_url)
    _ask_and_wait(page, "Is psoriasis contagious?")
    _ask_and_wait(page, "What triggers rosacea?")
    blocks = page.page.locator("#chatbot .answer-sources")
    assert blocks.count() == 2
    for i in (0, 1):  # the earlier answer's citation still opens
        ref = page.page.locator("#chatbot a.cite-ref").nth(0 if i == 0 else -1)
        target = ref.get_attribute("href")
        details = blocks.nth(i).locator("details.citation").first
        assert target and target.lstrip("#") == details.get_attribute("id")
        details.locator("summary").click()
        assert details.get_attribute("open") is not None and details.locator(".passage").inner_text().strip()


def test_a_typed_markdown_link_renders_as_text(app, page):
    _open(page, app.local_url)
    _ask_and_wait(page, "Is eczema contagious? see [this page](https://evil.example/x) and www.evil.example")
    user = page.page.locator("#chatbot").get_by_text("this page", exact=False).first
    assert user.is_visible()
    assert page.page.locator("#chatbot a[href*='evil.example']").count() == 0


def test_one_size_limit_with_a_counter_and_a_clear_message(app, page):
    _open(page, app.local_url, REPORT_TAB)
    box = page.page.locator("#report-text textarea")
    box.fill("A" * 300_000)
    box.type(" ")  # an input event, as typing or pasting gives
    page.page.locator("#report-count").get_by_text("300,001 of 50,000 characters (too long", exact=False).wait_for()
    page.page.click("#explain")
    status = page.page.locator("#phi-status .error-box")
    status.wait_for(timeout=60_000)
    assert "300,001 characters long; one report is at most 50,000" in status.inner_text()
    assert len(box.input_value()) == 300_001  # nothing was cut silently


def test_first_screen_welcomes_and_an_example_question_sends(app, page):
    _open(page, app.local_url)
    chat = page.page.locator("#chatbot")
    assert "Welcome to dermassist" in chat.inner_text() and "emergency" in chat.inner_text().lower()
    assert page.page.locator("#backend-pill").count() in (0, 1)  # shown only where staff tabs share the page
    page.page.locator("#examples button", has_text="Is eczema contagious?").click()
    page.page.wait_for_function("() => document.querySelectorAll('#chatbot .answer-sources').length >= 1",
                                timeout=60_000)
    assert "contagious" in chat.inner_text()


def test_a_new_answer_is_announced_in_a_polite_live_region(app, page):
    _open(page, app.local_url)
    _ask_and_wait(page, "Is psoriasis contagious?")
    live = page.page.locator("#answer-live [aria-live='polite']")
    page.page.wait_for_function("() => (document.querySelector('#answer-live [aria-live]') || {}).textContent"
                                " && document.querySelector('#answer-live [aria-live]').textContent.includes('contagious')",
                                timeout=20_000)
    assert live.inner_text().startswith("New answer:") or live.text_content().startswith("New answer:")
    assert "[1]" not in live.text_content()
