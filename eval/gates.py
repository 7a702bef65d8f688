"""Quality gates: ``--fail-under key_fact_recall=0.85,phi_leaks=0`` fails the run when a metric misses.

"Under" means "worse than": a metric where higher is better fails below its threshold; one where lower is
better (phi_leaks, over_refusal_rate, latency...) fails above it. A gated metric the run did not measure
fails too, so a skipped dataset can never pass a gate silently.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from assistant.errors import ConfigError

from .metrics import HIGHER, METRICS, direction


class Gate(BaseModel):
    metric: str
    threshold: float


class GateResult(BaseModel):
    metric: str
    threshold: float
    value: float | None
    direction: str
    passed: bool
    reason: str


def parse_gates(spec: str) -> list[Gate]:
    gates = []
    for part in (p.strip() for p in (spec or "").split(",")):
        if not part:
            continue
        name, sep, raw = part.partition("=")
        name = name.strip().rstrip("<>")
        if not sep or not name:
            raise ConfigError(f"--fail-under: '{part}' is not METRIC=VALUE.",
                              "Write gates like key_fact_recall=0.85,phi_leaks=0 (comma-separated).")
        if direction(name) is None:
            raise ConfigError(f"--fail-under: unknown metric '{name}'.",
                              f"Use one of: {', '.join(METRICS)} (or triage_recall_<class>, latency_p95_<stage>).")
        try:
            value = float(raw)
        except ValueError:
            raise ConfigError(f"--fail-under: '{raw.strip()}' is not a number (in '{part}').",
                              "Give a number, e.g. key_fact_recall=0.85.") from None
        if not math.isfinite(value):
            raise ConfigError(f"--fail-under: '{raw.strip()}' is not a finite number.", "Give a finite number.")
        gates.append(Gate(metric=name, threshold=value))
    if not gates:
        raise ConfigError("--fail-under was given no gates.", "Write gates like key_fact_recall=0.85,phi_leaks=0.")
    return gates


def check_gates(gates: list[Gate], summary: dict) -> list[GateResult]:
    out = []
    metrics = summary.get("metrics", {})
    for g in gates:
        d = direction(g.metric) or HIGHER
        value = (metrics.get(g.metric) or {}).get("value")
        if value is None:
            out.append(GateResult(metric=g.metric, threshold=g.threshold, value=None, direction=d, passed=False,
                                  reason="not measured in this run (its dataset was skipped, empty or not selected)"))
            continue
        passed = value >= g.threshold if d == HIGHER else value <= g.threshold
        op = ">=" if d == HIGHER else "<="
        out.append(GateResult(metric=g.metric, threshold=g.threshold, value=value, direction=d, passed=passed,
                              reason=f"{value:.4g} {op} {g.threshold:g}" + ("" if passed else " is false")))
    return out
