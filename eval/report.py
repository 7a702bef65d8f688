"""Run outputs: results.jsonl (every item), summary.json (aggregates + provenance) and report.html (plots).

report.html comes from templates/report.html.jinja with autoescape: every piece of text from datasets or answers
is escaped, so a dataset line with <script> stays text.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import plots
from .metrics import describe, direction
from .results import ItemResult

HEADLINE = ("claim_recall", "claim_precision", "contradiction_rate", "key_fact_recall", "recall_at_k", "mrr", "ragas_id_context_recall", "ragas_id_context_precision",
            "ragas_rouge_l", "ragas_semantic_similarity", "judge_factual_correctness", "judge_faithfulness",
            "judge_answer_correctness", "judge_failures", "faithfulness", "unsupported_numbers",
            "unsupported_drug_names", "off_topic_rate", "aspect_coverage", "follow_up_resolved", "fkgl_mean", "smog_mean", "share_grade_le_8", "abstention_precision",
            "abstention_recall", "false_abstention_rate", "urgent_reply_rate", "out_of_coverage", "out_of_coverage_declined", "triage_accuracy", "triage_macro_f1", "over_refusal_rate",
            "urgent_missed", "phi_leaks", "numbers_kept", "qualifiers_kept", "forbidden_claims",
            "report_summary_grade", "report_findings_kept", "report_fidelity_passed",
            "report_injections_flagged", "latency_p50_total", "latency_p95_total", "item_errors")


def write_run(out_dir: Path, summary: dict, results: list[ItemResult]) -> None:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "results.jsonl", "w", encoding="utf-8") as fh:
        for r in results:
            fh.write(r.model_dump_json() + "\n")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    (out_dir / "report.html").write_text(render_html(summary, results), encoding="utf-8")
    from .review import write_review_csv

    write_review_csv(out_dir / "review.csv", results)


def fmt_stat(s: dict | None) -> str:
    if not s or s.get("value") is None:
        return "n/a"
    v, lo, hi = s["value"], s.get("low"), s.get("high")
    if lo is not None and hi is not None and lo != hi:
        return f"{v:.3f} [{lo:.3f}, {hi:.3f}]"
    return f"{v:.4g}"


def headline_names(summary: dict) -> list[str]:
    metrics = summary.get("metrics", {})
    names = [n for n in HEADLINE if n in metrics]
    names += sorted(n for n in metrics if n.startswith("triage_recall_"))
    return names


def render_text(summary: dict) -> str:
    """The headline figures as a plain table for the terminal."""
    run = summary.get("run", {})
    kb = run.get("knowledge_base", {})
    lines = [f"dermassist eval - backend {run.get('backend')}, knowledge base {kb.get('version')} "
             f"({kb.get('documents')} documents), {run.get('seconds_total')} s"]
    for ds in summary.get("datasets", []):
        extra = f" SKIPPED: {ds['skipped']}" if ds.get("skipped") else f", {ds.get('errors', 0)} error(s)"
        lines.append(f"  dataset {ds['name']} ({ds['kind']}): {ds['run']} of {ds['items']} items{extra}")
    lines.append(f"  {'metric':30} {'value [95% CI]':28} n")
    for name in headline_names(summary):
        s = summary["metrics"][name]
        lines.append(f"  {name:30} {fmt_stat(s):28} {s.get('n', '')}")
    judge = summary.get("judge") or {}
    if judge.get("skipped"):
        lines.append(f"  judge: {judge['skipped']}")
    elif judge:
        lines.append(f"  judge {judge.get('model')}: {judge.get('runs', 1)} run(s), spread {judge.get('spread')}, "
                     f"calls {judge.get('calls')}, cache hits {judge.get('cache_hits')}")
    uncovered = (summary.get("coverage") or {}).get("uncovered_topics") or {}
    if uncovered:
        lines.append("  topics the knowledge base does not cover: "
                     + ", ".join(f"{t} ({n})" for t, n in list(uncovered.items())[:15])
                     + (f" and {len(uncovered) - 15} more" if len(uncovered) > 15 else ""))
    for note in summary.get("notes", []):
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def _metrics_rows(summary: dict) -> list[list]:
    metrics = summary.get("metrics", {})
    names = headline_names(summary)
    return [[name, fmt_stat(metrics[name]), metrics[name].get("n", ""), direction(name) or "", describe(name)]
            for name in names + sorted(set(metrics) - set(names))]


def _gates_rows(summary: dict) -> list[list]:
    return [[g["metric"], g["threshold"], g["value"], "PASS" if g["passed"] else "FAIL", g["reason"]]
            for g in summary.get("gates") or []]


def _baseline(summary: dict) -> dict | None:
    base = summary.get("baseline") or {}
    if not base:
        return None
    return {"path": base["path"], "rows": [[g["metric"], g["threshold"], g["value"], "ok" if g["passed"] else "WORSE",
                                            g["reason"]] for g in base.get("checks", [])]}


def _agreement(summary: dict) -> dict | None:
    agree = summary.get("label_agreement")
    if not agree:
        return None
    return {"agree": agree["agree"], "n": agree["n"], "accuracy": f"{agree['accuracy']:.3f}",
            "unmatched": agree["unmatched"],
            "rows": [[d["id"], d["kind"], d["text"], d["label"], d["metric"]] for d in agree["disagreements"]]}


def _comparison(summary: dict) -> dict | None:
    comp = summary.get("comparison")
    if not comp:
        return None
    return {"previous": comp["previous"], "image": plots.compare_deltas(comp),
            "rows": [[d["metric"], d["old"], d["new"], d["delta"], d["verdict"]]
                     for d in comp["deltas"] if d["verdict"] != "n/a"],
            "worse": [[w["dataset"], w["id"], w["metric"], w["old"], w["new"], w["change"]]
                      for w in comp["worse_items"]],
            "worse_total": comp["worse_items_total"]}


def _judge(summary: dict) -> dict | None:
    judge = summary.get("judge") or {}
    if not judge or judge.get("skipped"):
        return None
    return {"model": judge.get("model"), "runs": judge.get("runs", 1), "cache_hits": judge.get("cache_hits"),
            "cache_misses": judge.get("cache_misses"),
            "calls": [[k, v] for k, v in sorted((judge.get("calls") or {}).items())],
            "failures": [[f["id"], f.get("run", ""), f["metric"], f["status"]] for f in judge.get("failures", [])],
            "spread": [[k, ", ".join("n/a" if v is None else f"{v:.3f}" for v in vs), judge.get("spread", {}).get(k)]
                       for k, vs in (judge.get("run_means") or {}).items()]}


def _triage(summary: dict) -> dict | None:
    tri = summary.get("triage")
    if not tri:
        return None
    rows = [[lab, fmt_stat(v["precision"]), fmt_stat(v["recall"]), "n/a" if v["f1"] is None else f"{v['f1']:.3f}",
             v["support"], v["predicted"]] for lab, v in tri["per_class"].items()]
    return {"image": plots.confusion_matrix(tri), "rows": rows,
            "mistakes": [[m["id"], m["label"], m["predicted"], m["message"]] for m in tri.get("mistakes", [])]}


def _worst_rows(results: list[ItemResult]) -> list[list]:
    worst = [r for r in results if r.kind == "qa" and r.scores.get("key_fact_recall") is not None]
    worst.sort(key=lambda r: r.scores["key_fact_recall"])
    rows = []
    for r in worst[:25]:
        missed = [f["fact"] for f in r.details.get("key_facts", []) if not f.get("matched")]
        rows.append([r.id, r.input.get("question", "")[:200], f"{r.scores['key_fact_recall']:.2f}",
                     (r.output or {}).get("status", ""), "; ".join(missed)[:300]])
    return rows


def _reports_rows(summary: dict) -> list[list] | None:
    rep = summary.get("reports")
    if not rep:
        return None
    return [[k, json.dumps(v)[:300] if not isinstance(v, (int, float, str)) else v] for k, v in rep.items()
            if k != "items"]


def render_html(summary: dict, results: list[ItemResult]) -> str:
    """report.html: templates/report.html.jinja filled with plain data (every text escaped by the template)."""
    from assistant.text.html_pages import render, safe

    from . import review

    run = summary.get("run", {})
    kb = run.get("knowledge_base", {})
    judge = summary.get("judge") or {}
    values = {
        "script_hash": review.script_hash(), "script": safe(review.SCRIPT),
        "run": {"date": run.get("date", ""), "backend": run.get("backend"), "embedder": run.get("embedder"),
                "kb_version": kb.get("version"), "kb_documents": kb.get("documents"),
                "kb_sha256": str(kb.get("sha256"))[:16], "seconds_total": run.get("seconds_total"),
                "limit": run.get("limit")},
        "datasets": [[d["name"], d["kind"], d["items"], d["run"], d.get("errors", 0), d.get("skipped", "")]
                     for d in summary.get("datasets", [])],
        "notes": summary.get("notes", []),
        "judge_label": judge.get("skipped") or judge.get("model") or "none",
        "gates": _gates_rows(summary),
        "metrics": _metrics_rows(summary),
        "images": {"category": plots.category_accuracy(summary.get("by_category") or {}),
                   "readability": plots.readability_histogram(results),
                   "latency": plots.latency_distribution(results)},
        "latency": [[k, v["p50"], v["p95"], v["mean"], v["n"]] for k, v in (summary.get("latency") or {}).items()],
        "judge": _judge(summary),
        "triage": _triage(summary),
        "reports": _reports_rows(summary),
        "comparison": _comparison(summary),
        "coverage": review.coverage(summary),
        "baseline": _baseline(summary),
        "agreement": _agreement(summary),
        "worst": _worst_rows(results),
        "errors": [[r.dataset, r.id, r.error] for r in results if r.error],
        "review_items": review.report_items(results),
        "packages": [[k, v] for k, v in (run.get("packages") or {}).items()],
    }
    return render("eval", "report.html.jinja", **values)
