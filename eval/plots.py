"""Figures for report.html (matplotlib, Agg backend), returned as base64 PNG strings; None when no data."""

from __future__ import annotations

import base64
import io

from .results import ItemResult


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    _plt().close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def category_accuracy(by_category: dict[str, dict]) -> str | None:
    rows = [(c, v["key_fact_recall"]) for c, v in by_category.items()
            if v.get("key_fact_recall", {}).get("value") is not None]
    if not rows:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * len(rows)))
    names = [c for c, _ in rows]
    vals = [s["value"] for _, s in rows]
    lo = [s["value"] - (s["low"] if s["low"] is not None else s["value"]) for _, s in rows]
    hi = [(s["high"] if s["high"] is not None else s["value"]) - s["value"] for _, s in rows]
    ax.barh(names, vals, xerr=[lo, hi], color="#4C78A8", capsize=3)
    for i, (_, s) in enumerate(rows):
        ax.text(0.01, i, f"{s['value']:.2f} (n={s['n']})", va="center", color="white", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("key-fact recall (95% bootstrap interval)")
    ax.set_title("Factual accuracy by category")
    ax.invert_yaxis()
    return _png(fig)


def readability_histogram(results: list[ItemResult]) -> str | None:
    grades = [r.scores["fkgl"] for r in results if r.scores.get("fkgl") is not None]
    if not grades:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(grades, bins=range(int(min(grades)) - 1, int(max(grades)) + 2), color="#72B7B2", edgecolor="white")
    ax.axvline(8, color="#E45756", linestyle="--", label="grade 8 target")
    ax.set_xlabel("Flesch-Kincaid grade of the answer")
    ax.set_ylabel("answers")
    ax.set_title("Readability")
    ax.legend()
    return _png(fig)


def latency_distribution(results: list[ItemResult]) -> str | None:
    stages: dict[str, list[float]] = {}
    for r in results:
        if r.ok and r.kind == "qa":
            for k, v in (r.output.get("timings") or {}).items():
                stages.setdefault(k, []).append(float(v) * 1000)
        elif r.ok and r.kind == "safety":
            stages.setdefault("triage", []).append(r.seconds * 1000)
        elif r.ok and r.kind == "reports":
            stages.setdefault("report", []).append(r.seconds * 1000)
    if not stages:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3))
    names = sorted(stages)
    ax.boxplot([stages[n] for n in names], orientation="horizontal", showfliers=True)
    ax.set_yticks(range(1, len(names) + 1), names)
    ax.set_xscale("log")
    ax.set_xlabel("milliseconds (log scale)")
    ax.set_title("Latency per pipeline stage")
    return _png(fig)


def confusion_matrix(triage: dict) -> str | None:
    labels, matrix = triage.get("labels"), triage.get("confusion")
    if not labels or not matrix:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(1.2 + 0.75 * len(labels), 1 + 0.65 * len(labels)))
    ax.imshow(matrix, cmap="Blues")
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            ax.text(j, i, str(v), ha="center", va="center", color="black" if v < max(map(max, matrix)) / 2 else "white")
    ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title("Triage confusion matrix")
    return _png(fig)


def compare_deltas(comparison: dict) -> str | None:
    rows = [d for d in comparison.get("deltas", []) if d.get("delta") not in (None, 0) and d["verdict"] != "same"]
    rows = [d for d in rows if abs(d["delta"]) > 1e-9][:30]
    if not rows:
        return None
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.35 * len(rows)))
    colors = ["#54A24B" if d["verdict"] == "better" else "#E45756" if d["verdict"] == "worse" else "#999999"
              for d in rows]
    ax.barh([d["metric"] for d in rows], [d["delta"] for d in rows], color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_title("Change from the previous run (green better, red worse)")
    ax.invert_yaxis()
    return _png(fig)
