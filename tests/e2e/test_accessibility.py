"""axe-core (4.12, the script shipped in the axe-playwright-python wheel) on every tab at desktop and phone size:
no serious or critical WCAG 2.2 A/AA violation. The full results are written to test-output/e2e/axe-*.json."""

import json
from pathlib import Path

import pytest

from tests.e2e.test_browser import CHAT_TAB, QUALITY_TAB, REPORT_TAB, _ask, _open

SIZES = {"desktop": (1366, 800), "phone": (390, 844)}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page) -> list[dict]:
    page.add_script_tag(content=axe_script())
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return result["violations"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", [CHAT_TAB, REPORT_TAB, QUALITY_TAB])
def test_no_serious_or_critical_axe_violations(app, page, shots, tab, size):
    # the tab is chosen at desktop width (on a phone gradio folds the tab strip into a menu), then the page is
    # checked at the size under test
    page.page.set_viewport_size({"width": 1366, "height": 800})
    _open(page, app.local_url, None if tab == CHAT_TAB else tab)
    page.page.set_viewport_size(dict(zip(("width", "height"), SIZES[size])))
    if tab == CHAT_TAB:  # with an answer and its sources on screen
        _ask(page, "Is eczema contagious?")
        page.page.locator("#sources details").first.wait_for()
    violations = run_axe(page.page)
    name = f"axe-{tab.split()[0].lower()}-{size}"
    (shots / f"{name}.json").write_text(json.dumps(violations, indent=1))
    bad = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations
           if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
