"""Screenshots of every tab at desktop (1366x800) and phone (390x844) size into docs/screenshots/.

    make screenshots      # or: .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Serves the app on 127.0.0.1 with the bundled knowledge base (its index is built or updated first) and drives
Debian chromium with playwright; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SIZES = {"desktop": (1366, 800), "phone": (390, 844)}
LOGIN = ("screenshots", "local-only-screenshots")  # a login for this run's own server on 127.0.0.1 only
REPORT = ("SURGICAL PATHOLOGY REPORT\nPatient: Jane Example   MRN: 12345678\nSpecimen: Skin, left forearm, "
          "excision.\nDIAGNOSIS: Basal cell carcinoma, nodular type. Tumour extends to the deep margin.\n"
          "COMMENT: Re-excision is suggested.")


def shoot(page, size: tuple[int, int], path: Path) -> None:
    """Screenshot at ``size``, then back to desktop width (where the tab strip is not folded into a menu)."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1366, "height": 800})


def main() -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshots"))
    out = Path(ap.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    from assistant.config import load_settings
    from assistant.embeddings import get_embedder
    from assistant.index import build_index, stale_documents
    from tests.ui_support import BROWSER_ARGS, CHROMIUM
    from ui.app import launch

    settings = load_settings().model_copy(update={"port": 0})
    if stale_documents(settings):
        build_index(settings, get_embedder(settings.embedder), progress=False)
    # as deployed: the patients' page (chat only) at /, the clinician and QA tools behind a login at /staff/
    server = launch(settings, block=False, auth=f"{LOGIN[0]}:{LOGIN[1]}")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            for size, (w, hgt) in SIZES.items():
                page = browser.new_page(viewport={"width": w, "height": hgt})
                page.goto(server.local_url)
                page.wait_for_selector("#header")
                page.fill("#question textarea", "Is eczema contagious?")
                page.click("#ask")
                page.wait_for_selector("#chatbot .answer-sources", timeout=60_000)
                page.fill("#question textarea", "My lips and tongue are swelling and I cannot breathe")
                page.click("#ask")
                page.wait_for_selector("#triage-banner .safety-card", timeout=60_000)
                page.wait_for_timeout(800)
                page.screenshot(path=str(out / f"chat-{size}.png"))
                page.close()
                page = browser.new_page(viewport={"width": 1366, "height": 800})
                page.goto(server.staff_url)
                page.get_by_label("username").fill(LOGIN[0])
                page.get_by_label("password").fill(LOGIN[1])
                page.get_by_role("button", name="Login").click()
                page.get_by_role("tab", name="Report explainer (clinician)").click()
                page.fill("#report-text textarea", REPORT)
                page.click("#explain")
                page.wait_for_selector("#explanation h3", timeout=60_000)
                shoot(page, (w, hgt), out / f"report-{size}.png")
                page.get_by_role("tab", name="Quality (QA)").click()
                if size == "desktop":  # one small run, so the grouped figures with their targets show
                    page.locator("#eval-datasets").get_by_label("patient_qa").uncheck()
                    page.fill("#eval-limit input", "10")
                    page.click("#run-eval")
                    page.wait_for_selector("#targets-met", timeout=300_000)
                shoot(page, (w, hgt), out / f"quality-{size}.png")
                page.close()
            browser.close()
    finally:
        server.close()
    print(f"wrote {len(SIZES) * 3} screenshots to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
