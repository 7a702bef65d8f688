"""Run outputs: results.jsonl (every item), summary.json (aggregates + provenance) and report.html (plots).

Every piece of text from datasets or answers is HTML-escaped: a dataset line with <script> stays text.
"""

from __future__ import annotations

import html
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


def _e(x) -> str:
    return html.escape(str(x), quote=True)


def _img(b64: str | None, alt: str) -> str:
    return f'<figure><img alt="{_e(alt)}" src="data:image/png;base64,{b64}"></figure>' if b64 else ""


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _metrics_section(summary: dict) -> str:
    metrics = summary.get("metrics", {})
    rows = []
    for name in headline_names(summary) + sorted(set(metrics) - set(headline_names(summary))):
        s = metrics[name]
        rows.append([name, fmt_stat(s), s.get("n", ""), direction(name) or "", describe(name)])
    return "<h2>Metrics</h2>" + _table(["metric", "value [95% CI]", "n", "better", "what it measures"], rows)


def _gates_section(summary: dict) -> str:
    gates = summary.get("gates")
    if not gates:
        return ""
    rows = [[g["metric"], g["threshold"], g["value"], "PASS" if g["passed"] else "FAIL", g["reason"]] for g in gates]
    return "<h2>Quality gates</h2>" + _table(["metric", "threshold", "value", "result", "why"], rows)


def _baseline_section(summary: dict) -> str:
    base = summary.get("baseline") or {}
    rows = [[g["metric"], g["threshold"], g["value"], "ok" if g["passed"] else "WORSE", g["reason"]]
            for g in base.get("checks", [])]
    agree = summary.get("label_agreement")
    extra = ""
    if agree:
        extra = (f"<h2>Agreement with the reviewer's labels</h2><p>{agree['agree']} of {agree['n']} labelled rows "
                 f"({agree['accuracy']:.3f}); {agree['unmatched']} labels matched no row of this run.</p>"
                 + _table(["id", "kind", "text", "reviewer", "metric"],
                          [[d["id"], d["kind"], d["text"], d["label"], d["metric"]] for d in agree["disagreements"]]))
    if not base:
        return extra
    return (f"<h2>Compared with the baseline {_e(base['path'])}</h2>"
            + _table(["metric", "limit", "value", "result", "why"], rows) + extra)


def _compare_section(summary: dict) -> str:
    comp = summary.get("comparison")
    if not comp:
        return ""
    rows = [[d["metric"], d["old"], d["new"], d["delta"], d["verdict"]]
            for d in comp["deltas"] if d["verdict"] != "n/a"]
    worse = [[w["dataset"], w["id"], w["metric"], w["old"], w["new"], w["change"]] for w in comp["worse_items"]]
    return (f"<h2>Compared with {_e(comp['previous'])}</h2>" + _img(plots.compare_deltas(comp), "metric deltas")
            + _table(["metric", "previous", "now", "delta", "verdict"], rows)
            + f"<h3>Items that got worse ({comp['worse_items_total']})</h3>"
            + _table(["dataset", "id", "metric", "previous", "now", "change"], worse))


def _judge_section(summary: dict) -> str:
    judge = summary.get("judge") or {}
    if not judge or judge.get("skipped"):
        return ""
    calls = [[k, v] for k, v in sorted((judge.get("calls") or {}).items())]
    failures = [[f["id"], f.get("run", ""), f["metric"], f["status"]] for f in judge.get("failures", [])]
    spread = [[k, ", ".join("n/a" if v is None else f"{v:.3f}" for v in vs), judge.get("spread", {}).get(k)]
              for k, vs in (judge.get("run_means") or {}).items()]
    return (f"<h2>Judge {_e(judge.get('model'))}</h2><p>{_e(judge.get('runs', 1))} run(s); cache hits "
            f"{_e(judge.get('cache_hits'))}, misses {_e(judge.get('cache_misses'))}</p>"
            + _table(["metric", "mean per run", "spread (max - min)"], spread)
            + _table(["metric.outcome", "items"], calls)
            + f"<h3>Judge failures ({len(failures)})</h3>" + _table(["id", "run", "metric", "what happened"], failures))


def _triage_section(summary: dict) -> str:
    tri = summary.get("triage")
    if not tri:
        return ""
    rows = [[lab, fmt_stat(v["precision"]), fmt_stat(v["recall"]),
             "n/a" if v["f1"] is None else f"{v['f1']:.3f}", v["support"], v["predicted"]]
            for lab, v in tri["per_class"].items()]
    mistakes = [[m["id"], m["label"], m["predicted"], m["message"]] for m in tri.get("mistakes", [])]
    return ("<h2>Safety triage</h2>" + _img(plots.confusion_matrix(tri), "triage confusion matrix")
            + _table(["class", "precision", "recall", "F1", "support", "predicted"], rows)
            + f"<h3>Mistakes ({len(mistakes)})</h3>" + _table(["id", "expected", "predicted", "message"], mistakes))


def _items_section(results: list[ItemResult]) -> str:
    worst = [r for r in results if r.kind == "qa" and r.scores.get("key_fact_recall") is not None]
    worst.sort(key=lambda r: r.scores["key_fact_recall"])
    rows = []
    for r in worst[:25]:
        missed = [f["fact"] for f in r.details.get("key_facts", []) if not f.get("matched")]
        rows.append([r.id, r.input.get("question", "")[:200], f"{r.scores['key_fact_recall']:.2f}",
                     (r.output or {}).get("status", ""), "; ".join(missed)[:300]])
    errors = [[r.dataset, r.id, r.error] for r in results if r.error]
    out = ("<h2>Lowest key-fact recall</h2>" + _table(["id", "question", "recall", "status", "missed facts"], rows)
           if rows else "")
    if errors:
        out += f"<h2>Item errors ({len(errors)})</h2>" + _table(["dataset", "id", "error"], errors)
    return out


def _reports_section(summary: dict) -> str:
    rep = summary.get("reports")
    if not rep:
        return ""
    rows = [[k, json.dumps(v)[:300] if not isinstance(v, (int, float, str)) else v] for k, v in rep.items()
            if k != "items"]
    return "<h2>Report fidelity</h2>" + _table(["figure", "value"], rows)


CSS = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}"
       "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
       "text-align:left;vertical-align:top}th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%}"
       ".fail{color:#b00}")


def render_html(summary: dict, results: list[ItemResult]) -> str:
    from . import review

    run = summary.get("run", {})
    kb = run.get("knowledge_base", {})
    ds_rows = [[d["name"], d["kind"], d["items"], d["run"], d.get("errors", 0), d.get("skipped", "")]
               for d in summary.get("datasets", [])]
    judge = summary.get("judge") or {}
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta http-equiv='Content-Security-Policy' "
        f"content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{review.script_hash()}'\">",
        f"<title>dermassist eval {_e(run.get('date', ''))}</title><style>{CSS}{review.CSS}</style></head><body>",
        f"<h1>dermassist evaluation, {_e(run.get('date', ''))}</h1>",
        f"<p>Backend <b>{_e(run.get('backend'))}</b>, embedder {_e(run.get('embedder'))}, knowledge base "
        f"{_e(kb.get('version'))} ({_e(kb.get('documents'))} documents, sha256 {_e(str(kb.get('sha256'))[:16])}...), "
        f"run time {_e(run.get('seconds_total'))} s"
        + (f", limited to {_e(run.get('limit'))} items per dataset" if run.get("limit") else "") + ".</p>",
        _table(["dataset", "kind", "items", "run", "errors", "skipped"], ds_rows),
        "".join(f"<p>Note: {_e(n)}</p>" for n in summary.get("notes", [])),
        f"<p>Judge: {_e(judge.get('skipped') or judge.get('model') or 'none')}</p>",
        _gates_section(summary),
        _metrics_section(summary),
        "<h2>Factual accuracy by category</h2>",
        _img(plots.category_accuracy(summary.get("by_category") or {}), "key-fact recall by category"),
        "<h2>Readability</h2>", _img(plots.readability_histogram(results), "readability histogram"),
        "<h2>Latency</h2>", _img(plots.latency_distribution(results), "latency per stage"),
        _table(["stage", "p50 s", "p95 s", "mean s", "n"],
               [[k, v["p50"], v["p95"], v["mean"], v["n"]] for k, v in (summary.get("latency") or {}).items()]),
        _judge_section(summary),
        _triage_section(summary),
        _reports_section(summary),
        _compare_section(summary),
        review.uncovered_section(summary),
        _baseline_section(summary),
        _items_section(results),
        review.items_view(results),
        "<h2>Packages</h2>",
        _table(["package", "version"], [[k, v] for k, v in (run.get("packages") or {}).items()]),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)
