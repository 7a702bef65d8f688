"""Plain names for report body sites: "right dorsal hand" -> "back of the right hand (right dorsal hand)".

The table is data (knowledge_base/lexicon/sites.yaml). The words as written always stay beside the plain
name, so nothing from the report is lost.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

SITES_FILE = Path("lexicon") / "sites.yaml"
_SIDE = re.compile(r"\b(left|right|bilateral|midline|lt|rt|l|r)\b\.?", re.I)
_SIDES = {"l": "left", "lt": "left", "r": "right", "rt": "right"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z\- ]", " ", text.lower())).strip()


@lru_cache(maxsize=4)
def site_table(kb_path: str | None = None) -> dict[str, str]:
    """Every written form (lower case) -> its plain name with a {side} slot."""
    import yaml

    from ..config import default_kb_path

    path = Path(kb_path or default_kb_path()) / SITES_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table = {}
    for row in data["sites"]:
        for name in [row["site"], *row.get("also", [])]:
            table[_norm(name)] = row["plain"]
    return table


def _with_side(plain: str, side: str | None) -> str:
    if "{side}" in plain:
        return re.sub(r"\s+", " ", plain.replace("{side}", side or "")).strip()
    return f"{side} {plain}" if side else plain


def plain_site(site: str | None, laterality: str | None = None, kb_path: str | None = None) -> str | None:
    """The plain name followed by the report's words in brackets; the words alone when no plain name is known."""
    if not site:
        return site
    written = site.strip()
    side = laterality.lower() if laterality else None
    m = _SIDE.search(written)
    if m and side is None:
        side = _SIDES.get(m.group(1).lower(), m.group(1).lower())
    bare = _norm(_SIDE.sub(" ", written))
    table = site_table(kb_path)
    plain = table.get(bare)
    extra = ""
    if plain is None:   # "upper dorsal hand": the longest known name inside, the other words kept in front
        words = bare.split()
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i:i + n])
                if key in table:
                    plain, extra = table[key], " ".join(words[:i] + words[i + n:])
                    break
            if plain:
                break
    if plain is None:
        return f"{side} {written}" if side and side not in written.lower().split() else written
    shown = f"{side} {written}" if side and not _SIDE.search(written) else written
    said = _with_side(plain, side if side in ("left", "right") else None)
    if side in ("bilateral", "midline"):
        said = f"{said}, {'both sides' if side == 'bilateral' else 'middle'}"
    said = f"{extra} {said}".strip() if extra else said
    if _norm(said) == _norm(shown):
        return shown
    return f"{said} ({shown})"
