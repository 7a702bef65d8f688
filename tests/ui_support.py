"""Shared helpers for the web-app tests: a launched server on the tiny knowledge base (fake embedder)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from tests.helpers import make_tiny_kb

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage"]
CHROMIUM = "/usr/bin/chromium"

REPORT = """SURGICAL PATHOLOGY REPORT
Patient: Margaret Holloway    MRN: 00981234    DOB: 14/07/1958
Accession: S24-55671    Phone: 0161 496 0123

SPECIMEN: Skin, left forearm, shave biopsy.

DIAGNOSIS: Skin, left forearm, shave biopsy: Basal cell carcinoma, nodular type. Tumor extends to the deep margin.

COMMENT: Re-excision is suggested.

Electronically signed by: Dr Peter Quinton, MD
"""
PHI_VALUES = ["Margaret", "Holloway", "00981234", "14/07/1958", "S24-55671", "0161 496 0123", "Quinton"]


def tiny_settings(root: Path, **overrides):
    from assistant.config import load_settings
    from assistant.embeddings import get_embedder
    from assistant.index import build_index

    settings = load_settings(kb_path=make_tiny_kb(root / "kb"), home=root / "home", embedder="fake", port=0,
                             **overrides)
    build_index(settings, get_embedder("fake"), progress=False)
    return settings


@contextlib.contextmanager
def running_app(root: Path, *, auth: str | None = "", **overrides):
    """A served app; ``auth=""`` means no login whatever DERMASSIST_AUTH says, ``None`` reads the variable."""
    from ui.app import launch

    server = launch(tiny_settings(root, **overrides), block=False, auth=auth)
    try:
        yield server
    finally:
        server.close()


def text_of(message: dict) -> str:
    """A Chatbot message's text, whatever shape the client returns."""
    content = message["content"]
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def minimal_pdf(text: str | None) -> bytes:
    """A one-page PDF with ``text`` in its text layer (None: a page with no text, like a scan)."""
    stream = (b"BT /F1 10 Tf 40 800 Td 12 TL " + b" ".join(
        b"(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1") + b") Tj T*"
        for line in text.splitlines()) + b" ET") if text else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
               b"/Contents 4 0 R >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
