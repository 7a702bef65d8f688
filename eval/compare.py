"""Compare a run with a previous run folder: metric deltas (direction-aware) and the items that got worse."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import InputError

from .metrics import HIGHER, LOWER, direction
from .results import ItemResult

# per-item scores and which way is better; "declined" depends on whether the question is answerable
ITEM_DIRECTIONS = {"key_fact_recall": HIGHER, "faithfulness": HIGHER, "recall_at_k": HIGHER,
                   "reciprocal_rank": HIGHER, "triage_correct": HIGHER, "unsupported_numbers": LOWER,
                   "unsupported_drug_names": LOWER, "ragas_rouge_l": HIGHER, "ragas_semantic_similarity": HIGHER,
                   "judge_factual_correctness": HIGHER, "judge_faithfulness": HIGHER,
                   "judge_answer_correctness": HIGHER, "numbers_kept": HIGHER, "qualifiers_kept": HIGHER,
                   "phi_leak": LOWER, "forbidden_claims": LOWER, "report_findings_kept": HIGHER,
                   "summary_grade": LOWER}
EPS = 1e-9
MAX_WORSE_ITEMS = 200


def load_previous(path: Path) -> tuple[dict, dict[tuple[str, str], dict]]:
    path = Path(path)
    summary_file = path / "summary.json" if path.is_dir() else path
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        if not isinstance(summary, dict) or "metrics" not in summary:
            raise ValueError("no 'metrics' key")
    except (OSError, ValueError) as e:
        raise InputError(f"--compare: cannot read a previous run's summary at {summary_file} ({e}).",
                         "Point --compare at a run folder written by `dermassist eval` (it holds summary.json).",
                         ) from None
    items: dict[tuple[str, str], dict] = {}
    results_file = summary_file.parent / "results.jsonl"
    if results_file.exists():
        for line in results_file.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                items[(row["dataset"], row["id"])] = row
            except (ValueError, KeyError, TypeError):
                continue
    return summary, items


def _item_direction(name: str, row: dict) -> str | None:
    if name == "declined":
        return HIGHER if not row.get("input", {}).get("answerable", True) else LOWER
    return ITEM_DIRECTIONS.get(name)


def compare_runs(summary: dict, results: list[ItemResult], previous: Path) -> dict:
    prev_summary, prev_items = load_previous(previous)
    new_m, old_m = summary.get("metrics", {}), prev_summary.get("metrics", {})
    deltas = []
    for name in sorted(set(new_m) | set(old_m)):
        new, old = (new_m.get(name) or {}).get("value"), (old_m.get(name) or {}).get("value")
        d = direction(name)
        row = {"metric": name, "old": old, "new": new, "delta": None, "direction": d, "verdict": "same"}
        if new is None or old is None:
            row["verdict"] = "new" if old is None and new is not None else ("gone" if new is None and old is not None
                                                                             else "n/a")
        else:
            row["delta"] = round(new - old, 6)
            if abs(new - old) > EPS and d is not None:
                row["verdict"] = "better" if (new > old) == (d == HIGHER) else "worse"
            lo, hi = (old_m[name].get("low"), old_m[name].get("high"))
            row["outside_previous_ci"] = lo is not None and hi is not None and not (lo - EPS <= new <= hi + EPS)
        deltas.append(row)
    worse = []
    for r in results:
        old = prev_items.get((r.dataset, r.id))
        if old is None:
            continue
        if r.error and not old.get("error"):
            worse.append({"dataset": r.dataset, "id": r.id, "metric": "error", "old": None, "new": None,
                          "change": r.error[:200]})
            continue
        for name, new_v in r.scores.items():
            old_v = (old.get("scores") or {}).get(name)
            d = _item_direction(name, old)
            if d is None or new_v is None or old_v is None or abs(new_v - old_v) <= EPS:
                continue
            if (new_v < old_v) == (d == HIGHER):
                worse.append({"dataset": r.dataset, "id": r.id, "metric": name, "old": old_v, "new": new_v,
                              "change": round(new_v - old_v, 4)})
    worse.sort(key=lambda w: (w["metric"] != "error", -abs(w["change"]) if isinstance(w["change"], float) else 0))
    return {"previous": str(previous), "previous_date": prev_summary.get("run", {}).get("date"),
            "deltas": deltas, "worse_items": worse[:MAX_WORSE_ITEMS], "worse_items_total": len(worse)}


def render_comparison(comp: dict) -> str:
    lines = [f"Compared with {comp['previous']} ({comp.get('previous_date') or 'date unknown'}):",
             f"  {'metric':34} {'previous':>10} {'now':>10} {'delta':>10}  verdict"]
    unchanged = sum(1 for d in comp["deltas"] if d["verdict"] == "same")
    for d in comp["deltas"]:
        if d["verdict"] in ("n/a", "same"):
            continue
        fmt = lambda v: "-" if v is None else f"{v:.4g}"  # noqa: E731
        mark = " (outside previous 95% CI)" if d.get("outside_previous_ci") and d["verdict"] != "same" else ""
        lines.append(f"  {d['metric']:34} {fmt(d['old']):>10} {fmt(d['new']):>10} {fmt(d['delta']):>10}  "
                     f"{d['verdict']}{mark}")
    lines.append(f"  ({unchanged} metric(s) unchanged)")
    n = comp["worse_items_total"]
    lines.append(f"{n} item score(s) got worse" + (":" if n else "."))
    for w in comp["worse_items"][:25]:
        lines.append(f"  {w['dataset']}/{w['id']}: {w['metric']} {w['old']} -> {w['new']}" if w["metric"] != "error"
                     else f"  {w['dataset']}/{w['id']}: now fails: {w['change']}")
    if n > 25:
        lines.append(f"  ... and {n - 25} more (see compare section of report.html / summary.json)")
    return "\n".join(lines)
