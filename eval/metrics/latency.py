"""Latency per pipeline stage (p50/p95 seconds) from the timings each answer, triage or report records."""

from __future__ import annotations

from ..results import ItemResult
from ..stats import percentiles


def evaluate(results: list[ItemResult]) -> dict[str, dict]:
    stages: dict[str, list[float]] = {}
    for r in results:
        if not r.ok:
            continue
        timings = dict(r.output.get("timings") or {})
        if r.kind == "safety":
            timings = {"triage": r.seconds}
        elif r.kind == "reports":
            timings.setdefault("explain", r.seconds)
        for stage, secs in timings.items():
            if isinstance(secs, (int, float)):
                stages.setdefault(stage if r.kind != "reports" else f"report_{stage}", []).append(float(secs))
    return {stage: percentiles(v) for stage, v in sorted(stages.items())}
