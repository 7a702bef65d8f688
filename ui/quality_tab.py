"""Quality tab (QA teams): pick datasets, backend and a limit, run the evaluation with a live progress bar,
see the summary table and plots, compare with a previous run, download the results.

One evaluation at a time per server (it uses the CPU cores the chat needs too). Previous runs are chosen
from the run folders under ``HOME/eval`` by name only: the browser never sends a file-system path.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from pathlib import Path
from typing import Any

from assistant.errors import DermassistError, InputError
from assistant.text import html_pages

from .render import error_box
from .services import Services

log = logging.getLogger("dermassist.ui")
BUNDLED = ["patient_qa", "safety", "reports"]
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
_RUN_NAME = re.compile(r"^[\w.\-]{1,100}$")


def runs_dir(services: Services) -> Path:
    return services.settings.home / "eval"


def list_runs(services: Services) -> list[str]:
    """Previous run folders (newest first) that hold a summary.json."""
    root = runs_dir(services)
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if p.is_dir() and (p / "summary.json").is_file()]
    return [p.name for p in sorted(runs, key=lambda p: p.stat().st_mtime, reverse=True)]


def resolve_run(services: Services, name: str | None) -> Path | None:
    if not name:
        return None
    if not isinstance(name, str) or not _RUN_NAME.match(name) or name not in list_runs(services):
        raise InputError(f"There is no previous run called {name!r}.", "Pick one from the list (press Refresh).")
    return runs_dir(services) / name


def check_same_selection(previous: Path, datasets: list[str], limit: int) -> None:
    """Refuse to compare with a run over other datasets or another limit: its figures are not comparable."""
    import json

    try:
        old = json.loads((previous / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(f"The run {previous.name} has no readable summary.", "Pick another run to compare with.") \
            from None
    old_sets = sorted(d.get("name") for d in old.get("datasets", []) if d.get("run"))
    old_limit = (old.get("run") or {}).get("limit")
    if old_sets != sorted(datasets) or old_limit != limit:
        raise InputError(f"The run {previous.name} used {', '.join(old_sets) or 'no datasets'} with "
                         f"{old_limit or 'no'} items per dataset; this one would use {', '.join(sorted(datasets))} "
                         f"with {limit}. Their figures cannot be compared.",
                         "Choose the same datasets and limit as that run, or compare with another run.")


def summary_html(summary: dict, out_dir: Path) -> str:
    run = summary.get("run", {})
    comp = summary.get("comparison")
    comparison = comp and {
        "previous": Path(comp["previous"]).name, "worse_total": int(comp.get("worse_items_total", 0)),
        "rows": [[d["metric"], d["old"], d["new"], d["delta"], d["verdict"]] for d in comp.get("deltas", [])
                 if d.get("verdict") != "n/a"]}
    return html_pages.render(
        "ui", "quality_summary.html.jinja", name=out_dir.name,
        run={"backend": run.get("backend"), "seconds_total": run.get("seconds_total"), "limit": run.get("limit")},
        datasets=[[d.get("name"), d.get("kind"), d.get("items"), d.get("run"), d.get("errors", 0), d.get("skipped", "")]
                  for d in summary.get("datasets", [])],
        t=_targets(summary), gates=summary.get("gates", []) or [], comparison=comparison,
        notes=summary.get("notes", []))


def _targets(summary: dict) -> dict:
    """The figures in groups, each row with its target and PASS or FAIL written out (not colour alone)."""
    from eval.metrics import describe
    from eval.report import fmt_stat
    from eval.targets import grouped

    groups = grouped(summary)
    judged = [r for _, rows in groups for r in rows if r["verdict"]]
    result = {"pass": "PASS", "fail": "FAIL"}
    return {"met": sum(r["verdict"] == "pass" for r in judged), "judged": len(judged),
            "groups": [(name, [{"metric": r["metric"], "describe": describe(r["metric"]), "value": fmt_stat(r["stat"]),
                                "n": r["stat"].get("n", ""), "source": r["source"], "target": r["target"] or "—",
                                "verdict": r["verdict"] or "none", "result": result.get(r["verdict"], "—")}
                               for r in rows]) for name, rows in groups]}


def targets_html(summary: dict) -> str:
    """The figures in groups, each with its target and PASS or FAIL written out (not colour alone)."""
    return html_pages.render("ui", "targets.html.jinja", t=_targets(summary))


def plots_html(summary: dict, results: list) -> str:
    """The run's figures as inline PNG images (made here by eval.plots; nothing is fetched)."""
    from eval import plots

    figures = [("Factual accuracy by category", plots.category_accuracy(summary.get("by_category") or {})),
               ("Readability", plots.readability_histogram(results)),
               ("Latency per stage", plots.latency_distribution(results))]
    if summary.get("triage"):
        figures.append(("Triage confusion matrix", plots.confusion_matrix(summary["triage"])))
    if summary.get("comparison"):
        figures.append(("Change from the previous run", plots.compare_deltas(summary["comparison"])))
    return html_pages.render("ui", "plots.html.jinja", figures=[(title, b64) for title, b64 in figures
                                                                if b64 and re.fullmatch(r"[A-Za-z0-9+/=]+", b64)])


def review_choices() -> tuple[dict, dict]:
    from eval.review import SHOW, SORT

    return SHOW, SORT


def review_html(services: Services, name: str, show: str, sort: str) -> str:
    """The per-question review of a finished run (found by its folder name only)."""
    if not name:
        return ""
    try:
        out_dir = resolve_run(services, name)
    except InputError as e:
        return error_box(e.message, e.web_fix)
    from eval.results import ItemResult
    from eval.review import SHOW, SORT, items_html

    lines = (out_dir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = [ItemResult.model_validate_json(line) for line in lines if line.strip()]
    return items_html(results, show if show in SHOW else "all", sort if sort in SORT else "recall")


def zip_run(out_dir: Path) -> str:
    archive = shutil.make_archive(str(out_dir), "zip", root_dir=out_dir)
    return archive


def _out_dir(services: Services) -> Path:
    base = runs_dir(services) / time.strftime("%Y%m%d-%H%M%S")
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    return path


def run_evaluation(services: Services, datasets: list[str] | None, backend: str | None, limit: Any,
                   compare_with: str | None, progress_cb=None) -> tuple[str, str, str, str | None]:
    """(status, summary html, plots html, zip path). One run at a time."""
    try:
        if not services.eval_available:
            raise DermassistError("The evaluation harness is not part of this build (eval/).",
                                  "Install dermassist from a source checkout.")
        chosen = [d for d in (datasets or []) if d in BUNDLED]
        if not chosen:
            raise InputError("Choose at least one dataset.", "Tick patient_qa, safety or reports.")
        try:
            n = int(limit) if limit not in (None, "") else DEFAULT_LIMIT
        except (TypeError, ValueError):
            raise InputError(f"Limit {limit!r} is not a whole number.", f"Use 1 to {MAX_LIMIT}.") from None
        if not 1 <= n <= MAX_LIMIT:
            raise InputError(f"Limit {n} is out of range.", f"Use 1 to {MAX_LIMIT} items per dataset.")
        from assistant.llm import GENERATORS

        backend = backend or services.settings.backend
        if backend not in GENERATORS:
            raise InputError(f"Unknown backend {backend!r}.", f"Use one of: {', '.join(GENERATORS)}.")
        previous = resolve_run(services, compare_with)
        if previous is not None:
            check_same_selection(previous, chosen, n)
        if not services.eval_lock.acquire(blocking=False):
            raise InputError("An evaluation is already running on this server.", "Wait for it to finish, then retry.")
        try:
            outcome = _run(services, chosen, backend, n, previous, progress_cb)
        finally:
            services.eval_lock.release()
    except DermassistError as e:
        return error_box(e.message, e.web_fix), "", "", None
    except Exception:
        log.exception("evaluation run failed")
        return error_box("The evaluation stopped because of an internal error.", "See the server log."), "", "", None
    summary_part = summary_html(outcome.summary, outcome.out_dir)
    status = html_pages.render("ui", "eval_done.html.jinja", name=outcome.out_dir.name,
                               items=sum(d.get("run", 0) for d in outcome.summary.get("datasets", [])),
                               seconds=outcome.summary["run"].get("seconds_total"))
    return status, summary_part, plots_html(outcome.summary, outcome.results), zip_run(outcome.out_dir)


def _run(services: Services, datasets: list[str], backend: str, limit: int, previous: Path | None,
         progress_cb=None):
    from eval.runner import RunOptions, run_eval

    settings = services.settings
    assistant = services.assistant
    if backend != settings.backend:
        from assistant.answer import Assistant

        settings = settings.model_copy(update={"backend": backend})
        assistant = Assistant(settings, embedder=assistant.embedder, retriever=assistant.retriever)
    # progress goes to the page in plain words (progress_cb), not as the library's progress bars
    options = RunOptions(datasets=datasets, limit=limit, out=_out_dir(services), compare_to=previous, progress=False,
                         on_progress=progress_cb)
    return run_eval(settings, options, assistant=assistant)


def build_quality_tab(services: Services) -> None:
    import gradio as gr

    if not services.eval_available:
        gr.HTML(error_box("The evaluation harness is not part of this build.", "Install from a source checkout."))
        return
    from assistant.llm import GENERATORS

    gr.Markdown("Run the evaluation on the bundled datasets. Keep the limit small for a quick check; a full run "
                "takes a few minutes and uses the whole machine.")
    with gr.Row():
        datasets = gr.CheckboxGroup(BUNDLED, value=["patient_qa", "safety"], label="Datasets", elem_id="eval-datasets")
        backend = gr.Dropdown(list(GENERATORS), value=services.settings.backend, label="Backend",
                              elem_id="eval-backend")
        # no minimum/maximum here: gradio would refuse an out-of-range value with a bare "Error" and leave the
        # page waiting; run_evaluation checks the range and says how to fix it
        limit = gr.Number(value=DEFAULT_LIMIT, precision=0, label=f"Items per dataset (limit, 1 to {MAX_LIMIT})",
                          elem_id="eval-limit")
    with gr.Row():
        compare = gr.Dropdown(choices=[""], value="", label="Compare with a previous run (optional)",
                              allow_custom_value=True, elem_id="eval-compare", scale=4)
        refresh = gr.Button("Refresh list", size="sm", scale=1, elem_id="eval-refresh")
    go = gr.Button("Run evaluation", variant="primary", elem_id="run-eval")
    status = gr.HTML(elem_id="eval-status")
    summary = gr.HTML(elem_id="eval-summary")
    plots = gr.HTML(elem_id="eval-plots")
    download = gr.DownloadButton("Download results (results.jsonl, summary.json, report.html, review.csv)",
                                 value=None, elem_id="eval-download")
    gr.Markdown("### Per-question review\nEach question with its answer, the reference's claims (stated, missed, "
                "contradicted) and the cited passages. Open an item to read it.")
    with gr.Row():
        show = gr.Dropdown([(v, k) for k, v in review_choices()[0].items()], value="all", label="Show",
                           elem_id="eval-review-show")
        order = gr.Dropdown([(v, k) for k, v in review_choices()[1].items()], value="recall", label="Sort",
                            elem_id="eval-review-sort")
    review = gr.HTML(elem_id="eval-review")
    last_run = gr.State("")

    def run(ds, be, lim, comp, progress=gr.Progress()):
        progress(0, desc="Starting the evaluation")
        out = run_evaluation(services, ds, be, lim, comp, progress_cb=lambda f, words: progress(f, desc=words))
        name = out[3] and Path(out[3]).stem or ""
        return (*out, review_html(services, name, "all", "recall"), name, "all", "recall")

    def rerender(name, s, o):
        return review_html(services, name, s, o)

    def runs_update(current: str | None = None):
        names = list_runs(services)
        return gr.update(choices=[""] + names, value=current if current in names else "")

    # the page: Run is disabled and the old results are cleared while a run goes, then Run comes back
    start = go.click(lambda: (gr.update(interactive=False, value="Running..."), '<p id="eval-running">Running the '
                              "evaluation: this takes a while for large limits.</p>", "", "", None, ""),
                     None, [go, status, summary, plots, download, review], api_name=False, queue=False)
    start.then(run, [datasets, backend, limit, compare], [status, summary, plots, download, review, last_run, show,
                                                          order],
               api_name="run_eval", concurrency_limit=1, concurrency_id="eval", show_progress_on=[status]).then(
        lambda: gr.update(interactive=True, value="Run evaluation"), None, [go], api_name=False).then(
        runs_update, [compare], [compare], api_name=False)
    show.change(rerender, [last_run, show, order], [review], api_name=False)
    order.change(rerender, [last_run, show, order], [review], api_name=False)
    refresh.click(runs_update, [compare], [compare], api_name=False)
    gr.on(None, runs_update, None, [compare], api_name=False)  # on page load

    def previous_runs() -> list[str]:
        """Names of previous evaluation runs (newest first), for the compare option of /run_eval."""
        return list_runs(services)

    gr.api(previous_runs, api_name="list_runs")
