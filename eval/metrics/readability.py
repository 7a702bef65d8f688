"""Readability of answers: Flesch-Kincaid grade and SMOG per answer; share at grade 8 or lower."""

from __future__ import annotations

from assistant.readability import fkgl, smog

from ..results import ItemResult, answered
from ..stats import Stat, mean_ci
from ..text import strip_citations

TARGET_GRADE = 8.0


def evaluate(results: list[ItemResult]) -> dict[str, Stat]:
    grades, smogs, ok = [], [], []
    for r in results:
        if r.kind != "qa" or not r.ok or not answered(r):
            continue
        text = strip_citations(r.output["text"])
        g, s = fkgl(text), smog(text)
        r.scores["fkgl"], r.scores["smog"] = g, s
        grades.append(g)
        smogs.append(s)
        ok.append(1.0 if g <= TARGET_GRADE else 0.0)
    return {"fkgl_mean": mean_ci(grades), "smog_mean": mean_ci(smogs), "share_grade_le_8": mean_ci(ok)}
