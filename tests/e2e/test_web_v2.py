"""Web app v2 in a real browser: the pinned safety card and its Dismiss, the gentler in-answer notice, the phone
layout of the patients' page, keyboard paths, the upload box after explaining, the findings table on a phone,
and the handout printed to PDF by Chromium."""

import io

import pytest

from tests.e2e.test_browser import REPORT_TAB, _ask, _open
from tests.ui_support import PHI_VALUES, REPORT, running_app

pytestmark = pytest.mark.e2e
EMERGENCY = "My lips and tongue are swelling and I cannot breathe after a new cream"
PHONE = {"width": 390, "height": 844}


def _bots(p) -> int:
    return p.page.locator("#chatbot [data-testid='bot']").count()


def _wait_answer(p, n: int) -> None:
    p.page.wait_for_function(
        f"() => {{ const b = document.querySelectorAll('#chatbot [data-testid=\"bot\"]');"
        f" return b.length >= {n} && !b[b.length - 1].innerText.trim().endsWith('\u2026'); }}", timeout=60_000)


def _in_viewport(p, selector: str) -> bool:
    return p.page.evaluate(
        "(s) => { const el = document.querySelector(s); if (!el) return false; const r = el.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1; }", selector)


def test_safety_card_stays_pinned_until_dismissed(app, page):
    _open(page, app.local_url)
    _ask(page, EMERGENCY)
    card = page.page.locator("#triage-banner .safety-card")
    card.wait_for(timeout=60_000)
    dismiss = page.page.locator("#dismiss-card")
    dismiss.wait_for(state="visible")
    assert card.locator("a[href='tel:999']").count() == 1
    # no thumbs on it, and it is not a grey chat bubble: the card is its own high-contrast element
    assert page.page.locator("#chatbot [aria-label*='like' i]").count() == 0
    _wait_answer(page, 1)
    _ask(page, "Is eczema contagious?")  # an ordinary question afterwards: the card stays
    _wait_answer(page, 2)
    page.page.wait_for_timeout(500)
    assert card.is_visible() and "Emergency" in card.inner_text()
    dismiss.click()
    card.wait_for(state="detached")
    dismiss.wait_for(state="hidden")
    assert page.page.evaluate("() => document.activeElement && document.activeElement.closest('#question') !== null")
    _ask(page, "What triggers a psoriasis flare?")  # it does not come back by itself
    _wait_answer(page, 3)
    page.page.wait_for_timeout(500)
    assert page.page.locator("#triage-banner .safety-card").count() == 0


def test_see_a_doctor_notice_is_a_gentle_card_above_its_answer(app, page):
    _open(page, app.local_url)
    _ask(page, "I have a mole that is bleeding and changing shape")
    _wait_answer(page, 1)
    bot = page.page.locator("#chatbot [data-testid='bot']").last
    notice = bot.locator(".notice-card")
    notice.wait_for()
    assert "see a doctor soon" in notice.inner_text().lower()
    assert page.page.locator("#triage-banner .safety-card").count() == 0  # nothing pinned for this one
    whole, card = bot.inner_text(), notice.inner_text()
    assert whole.strip().startswith(card.strip()[:20]) and len(whole) > len(card) + 20  # above the answer


def test_patients_phone_page_keeps_the_input_in_view(tmp_path, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        with running_app(tmp_path / "app", auth="clinic:pw") as server:
            page.goto(server.local_url)
            page.wait_for_selector("#header")
            assert page.get_by_role("tab").count() == 0  # no one-tab strip on the patients' page
            header = page.locator("#header").bounding_box()
            assert header["height"] < 0.12 * PHONE["height"], header
            box = page.locator("#question textarea")
            assert box.bounding_box()["y"] + box.bounding_box()["height"] <= PHONE["height"]  # on the first screen
            for n, q in enumerate(("Is eczema contagious?", "What triggers a psoriasis flare?",
                                   "What is hidradenitis suppurativa?"), start=1):
                box.fill(q)
                page.click("#ask")
                page.wait_for_function(
                    f"() => {{ const b = document.querySelectorAll('#chatbot [data-testid=\"bot\"]');"
                    f" return b.length >= {n} && !b[b.length - 1].innerText.trim().endsWith('\u2026'); }}",
                    timeout=60_000)
            page.wait_for_timeout(300)
            r = page.evaluate("() => { const e = document.querySelector('#question textarea').getBoundingClientRect();"
                              " return [e.top, e.bottom, window.innerHeight]; }")
            assert 0 <= r[0] and r[1] <= r[2] + 1, r  # the input stays on screen after a long answer
            # one scroll area: the chat grows with the page instead of scrolling inside itself
            inner = page.evaluate("() => { const c = document.querySelector('#chatbot');"
                                  " return [...c.querySelectorAll('*')].filter(e => e.scrollHeight > e.clientHeight + 4"
                                  " && ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).length; }")
            assert inner == 0
            page.screenshot(path=str(tmp_path / "phone.png"))
    finally:
        context.close()


def test_enter_sends_and_shift_enter_adds_a_line(app, page):
    _open(page, app.local_url)
    box = page.page.locator("#question textarea")
    box.click()
    box.type("Is rosacea")
    page.page.keyboard.press("Shift+Enter")
    box.type("contagious?")
    assert box.input_value() == "Is rosacea\ncontagious?" and _bots(page) == 0
    page.page.keyboard.press("Enter")
    _wait_answer(page, 1)
    assert box.input_value() == ""


def test_ctrl_enter_explains_and_an_old_upload_is_cleared(app, page):
    _open(page, app.local_url, REPORT_TAB)
    path = page.tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    page.page.locator("#report-upload input[type=file]").set_input_files(str(path))
    page.page.locator("#explanation h3").first.wait_for(timeout=60_000)
    # the uploaded file is deleted once read, and the upload box no longer shows it
    page.page.wait_for_function("() => !document.querySelector('#report-upload').innerText.includes('report.txt')")
    shown = page.page.locator("#report-text textarea").input_value()
    assert "[NAME]" in shown and not any(v in shown for v in PHI_VALUES)  # the box holds the de-identified text
    page.page.locator("#report-text textarea").fill(REPORT.replace("left forearm", "right shin"))
    page.page.locator("#report-text textarea").press("Control+Enter")
    page.page.locator("#explanation").get_by_text("right shin", exact=False).first.wait_for(timeout=60_000)


def test_findings_table_scrolls_sideways_on_a_phone(app, page):
    _open(page, app.local_url, REPORT_TAB)
    page.page.set_viewport_size(PHONE)
    page.page.fill("#report-text textarea", REPORT)
    page.page.click("#explain")
    wrap = page.page.locator("#explanation .table-wrap").first
    wrap.wait_for(timeout=60_000)
    headers = wrap.locator("th").all_inner_texts()
    assert headers[-2:] == ["Certainty", "Margins"]
    sizes = page.page.evaluate("(el) => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX,"
                               " el.getBoundingClientRect().right, window.innerWidth]", wrap.element_handle())
    assert sizes[2] in ("auto", "scroll") and sizes[3] <= sizes[4] + 1, sizes  # inside the screen, scrollable
    wrap.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    assert wrap.locator("th", has_text="Margins").is_visible()


def test_handout_prints_to_pdf_with_the_clinic_name(app, page):
    from pypdf import PdfReader

    _open(page, app.local_url, REPORT_TAB)
    page.page.fill("#clinic textarea, #clinic input", "Riverside Skin Clinic")
    page.page.fill("#report-text textarea", REPORT)
    page.page.click("#explain")
    page.page.locator("#explanation h3").first.wait_for(timeout=60_000)
    with page.page.expect_download() as download:
        page.page.click("#handout")
    assert download.value.suggested_filename.startswith("handout-")
    path = page.tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    printer = page.context.new_page()
    printer.goto(path.as_uri())
    printer.emulate_media(media="print")
    assert not printer.locator("button.no-print").is_visible()  # the Print button is not printed
    pdf = printer.pdf(format="A4")
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "Prepared by Riverside Skin Clinic on" in flat and "basal cell carcinoma" in flat.lower()
    assert not any(v in flat for v in PHI_VALUES)
