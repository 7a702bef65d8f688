"""Numbers and measurements in report and answer text: "0.6 mm", "1.2 x 0.8 cm" (two measurements), "2/mm2",
"15%", with units in one canonical spelling (mm, cm, um, mm2, /mm2, /hpf, %), and the bare numbers of a text."""

from __future__ import annotations

import re

from pydantic import BaseModel

_UNIT = (r"(?:mm ?(?:2|²|\^2)|mm|cm|µm|um|micrometres?|microns?|millimet(?:er|re)s?|centimet(?:er|re)s?|%|"
         r"/ ?mm ?(?:2|²|\^2)?|per (?:square )?(?:mm|millimet(?:er|re)) ?(?:2|²)?|/ ?hpf|per hpf|hpf)")
NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"
# Datasets put the unit in the item's label ("Breslow thickness (mm): 1.2"); a value may be approximate.
LABEL_UNITS = r"mm|cm|%|per\s*mm\s*(?:2|²)|/\s*mm\s*(?:2|²)|mm\s*(?:2|²)"
APPROX_WORDS = r"at\s+least|approx(?:imately|\.)?|about|up\s+to"
MEASURE_RE = re.compile(rf"(?<![\w.])(?P<nums>[<>≤≥]?[ \t]{{0,3}}{NUM}(?:[ \t]{{0,3}}(?:x|×|by)[ \t]{{0,3}}{NUM}){{0,4}})"
                         rf"[ \t]{{0,3}}(?P<unit>{_UNIT})(?![a-z])",
                         re.I)
_BARENUM_RE = re.compile(r"(?<![\w.\[])(\d+(?:\.\d+)?)(?![\w\]])")


class Measurement(BaseModel):
    value: float
    unit: str
    text: str


# number words as people write them in place of digits ("six weeks", "ten years ago")
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def canonical_unit(unit: str) -> str:
    u = re.sub(r"\s+", "", unit.lower())
    if u.startswith(("per", "/")):
        return "/hpf" if "hpf" in u else "/mm2"
    if u == "hpf":
        return "/hpf"
    if re.match(r"mm(2|²|\^2)", u):
        return "mm2"
    if u.startswith("millimet"):
        return "mm"
    if u.startswith("centimet"):
        return "cm"
    if u in ("um", "µm") or u.startswith("micro"):
        return "um"
    return u


def measurements(text: str) -> list[Measurement]:
    """Numbers with units; "1.2 x 0.8 cm" gives 1.2 cm and 0.8 cm."""
    out = []
    for m in MEASURE_RE.finditer(text or ""):
        unit = canonical_unit(m.group("unit"))
        for n in re.findall(NUM, m.group("nums")):
            out.append(Measurement(value=float(n), unit=unit, text=m.group(0).strip()))
    return out


def bare_numbers(text: str) -> list[float]:
    return [float(n) for n in _BARENUM_RE.findall(text or "")]
