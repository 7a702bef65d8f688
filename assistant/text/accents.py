"""``strip_accents``: letters without their accents ("Behçet" -> "Behcet"), other characters as they were."""

from __future__ import annotations

import unicodedata


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
