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


def meets(value: float, threshold: float, way: str) -> bool:
    """Does ``value`` reach ``threshold`` for a metric where ``way`` (higher or lower) is better?"""
    return value >= threshold if way == HIGHER else value <= threshold


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
        passed = meets(value, g.threshold, d)
        op = ">=" if d == HIGHER else "<="
        out.append(GateResult(metric=g.metric, threshold=g.threshold, value=value, direction=d, passed=passed,
                              reason=f"{value:.4g} {op} {g.threshold:g}" + ("" if passed else " is false")))
    return out


# Figures that depend on the machine, not on the build: never compared with a baseline.
_MACHINE_DEPENDENT = ("latency_",)


def load_baseline(path) -> dict:
    """A baseline: a run's summary.json (or the same with only ``metrics``, ``datasets`` and ``run.limit``)."""
    import json
    from pathlib import Path

    p = Path(path)
    if p.is_dir():
        p = p / "summary.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"--baseline: {p} does not exist.",
                          "Give a run's summary.json (or its folder), e.g. eval/baselines/gate40.json.") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise ConfigError(f"--baseline: {p} is not a summary.json ({e}).",
                          "Give the summary.json a `dermassist eval` run wrote.") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise ConfigError(f"--baseline: {p} has no 'metrics'.", "Give the summary.json a `dermassist eval` run wrote.")
    return data


def _selection(summary: dict) -> tuple:
    runs = sorted((d.get("name"), d.get("run")) for d in summary.get("datasets", []) if d.get("run"))
    return (summary.get("run", {}).get("limit"), tuple(runs))


def check_baseline(summary: dict, baseline: dict) -> list[GateResult]:
    """Fail every metric that is worse than the baseline by more than the baseline's 95% interval allows.

    For a metric with an interval the margin is the interval's half on the worse side (value - low where
    higher is better, high - value where lower is better); a count without an interval (phi_leaks,
    urgent_missed...) may not get worse at all. A baseline metric the run did not measure fails. Runs over a
    different selection (datasets, items per dataset or limit) cannot be compared and raise instead.
    """
    if _selection(summary) != _selection(baseline):
        raise ConfigError(
            f"--baseline: the baseline was measured on {_selection(baseline)}, this run on {_selection(summary)} "
            "(limit, then dataset and items run).",
            "Run with the same --dataset and --limit as the baseline, or write a new baseline from this run.")
    out = []
    now = summary.get("metrics", {})
    for name, base in sorted(baseline["metrics"].items()):
        d = direction(name)
        if d is None or name.startswith(_MACHINE_DEPENDENT) or base.get("value") is None:
            continue
        value = (now.get(name) or {}).get("value")
        b = float(base["value"])
        if d == HIGHER:
            margin = b - base["low"] if base.get("low") is not None else 0.0
            limit = b - margin
        else:
            margin = base["high"] - b if base.get("high") is not None else 0.0
            limit = b + margin
        if value is None:
            out.append(GateResult(metric=name, threshold=round(limit, 6), value=None, direction=d, passed=False,
                                  reason=f"measured in the baseline ({b:.4g}) but not in this run"))
            continue
        passed = value >= limit - 1e-12 if d == HIGHER else value <= limit + 1e-12
        op = ">=" if d == HIGHER else "<="
        out.append(GateResult(metric=name, threshold=round(limit, 6), value=value, direction=d, passed=passed,
                              reason=f"{value:.4g} {op} {limit:.4g} (baseline {b:.4g}, margin {margin:.3g})"
                              + ("" if passed else " is false")))
    return out
