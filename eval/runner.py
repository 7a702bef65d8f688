"""Run datasets through the pipeline, score every item, aggregate, and write the run folder.

    from eval.runner import RunOptions, run_eval
    outcome = run_eval(settings, RunOptions(datasets=["patient_qa", "safety"], limit=20))
    outcome.summary["metrics"]["key_fact_recall"]

One Assistant and one embedder per run (the MiniLM model loads once). Items run one at a time on the
local grounded backend and concurrently (``workers``) when the backend is a server. An item that fails
is recorded with its error and the run goes on.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import InputError

from .datasets import BUNDLED, DATASET_DIR, Dataset, load_datasets, subsample
from .pipelines import PipelineContext, SkipDataset
from .results import ItemResult
from .stats import Stat

DEFAULT_DATASETS = ("patient_qa", "safety", "reports")


class RunOptions(BaseModel):
    datasets: list[str] = Field(default_factory=lambda: list(DEFAULT_DATASETS))
    judge_url: str | None = None
    judge_model: str | None = None
    out: Path | None = None
    limit: int | None = Field(default=None, ge=1)
    workers: int | None = Field(default=None, ge=1, le=64)
    question_col: str | None = None
    answer_col: str | None = None
    id_col: str | None = None
    compare_to: Path | None = None
    fail_under: str | None = None
    baseline: Path | None = None
    labels: Path | None = None
    judge_runs: int = Field(default=3, ge=1, le=10)
    progress: bool = True
    update_index: bool = True
    # progress in plain words for a web page: called with (fraction done, "Checked 3 of 20 items: ...")
    on_progress: Any = Field(default=None, exclude=True)


class RunOutcome(BaseModel):
    out_dir: Path
    summary: dict[str, Any]
    results: list[ItemResult]


def default_out_dir(settings: Settings) -> Path:
    return settings.home / "eval" / time.strftime("%Y%m%d-%H%M%S")


def _mask(value: str) -> str:
    return f"{value[:1]}***({len(value)} chars)"


def _item_input(kind: str, item) -> dict:
    """What results.jsonl keeps of an item. Reports are stored de-identified, and the personal details the
    item lists (to check for leaks) are masked: run outputs must not spread personal data."""
    data = item.model_dump()
    if kind == "reports":
        try:
            from assistant.phi import redact

            data["report"] = redact(data["report"][:20_000]).text
        except ImportError:
            data["report"] = "(not stored: assistant.phi is not available to de-identify it)"
        data["phi"] = [_mask(str(v)) for v in data.get("phi") or []]
    return data


def _run_one(ctx: PipelineContext, ds: Dataset, item) -> ItemResult:
    t0 = time.perf_counter()
    result = ItemResult(dataset=ds.name, kind=ds.kind, id=item.id, input=_item_input(ds.kind, item))
    try:
        result.output = ctx.run(ds.kind, item)
        if ds.kind == "reports":  # score against the original expectations (kept in memory only)
            result.details["_expect"] = item.model_dump(include={"phi"})
    except SkipDataset:
        raise
    except Exception as e:  # one bad item must not stop the run
        result.error = f"{type(e).__name__}: {str(e)[:500]}"
    result.seconds = round(time.perf_counter() - t0, 5)
    return result


KIND_WORDS = {"qa": "patient questions", "safety": "safety messages", "reports": "pathology reports"}


class _Progress:
    """Counts items across the datasets of a run and tells ``report(fraction, words)`` after each one."""

    def __init__(self, report, total: int) -> None:
        import threading

        self.report, self.total, self.done, self.lock = report, max(1, total), 0, threading.Lock()

    def item(self, ds: Dataset) -> None:
        if self.report is None:
            return
        with self.lock:
            self.done += 1
            done = self.done
        self.report(min(0.95, 0.95 * done / self.total),
                    f"Checked {done} of {self.total} items ({KIND_WORDS.get(ds.kind, ds.kind)})")


def _run_dataset(ctx: PipelineContext, ds: Dataset, items: list, workers: int, progress: bool,
                 counter: _Progress | None = None) -> list[ItemResult]:
    from tqdm.auto import tqdm

    def one(item) -> ItemResult:
        result = _run_one(ctx, ds, item)
        if counter is not None:
            counter.item(ds)
        return result

    # In a log file (not a terminal) one line every 30 s is enough, instead of hundreds of redraws.
    with tqdm(total=len(items), desc=f"{ds.name} ({ds.kind})", unit="item", disable=not progress,
              file=sys.stderr, dynamic_ncols=True, mininterval=0.1 if sys.stderr.isatty() else 30) as bar:
        if workers <= 1:
            out = []
            for item in items:
                out.append(one(item))
                bar.update(1)
            return out
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(one, item) for item in items]
            out = []
            for f in futures:
                out.append(f.result())
                bar.update(1)
            return out


def _ensure_index(ctx: PipelineContext, notes: list[str]) -> None:
    """Bring the index up to date with the knowledge base, so the run evaluates the current documents."""
    from assistant.index import build_index, stale_documents

    stale = stale_documents(ctx.settings)
    if stale:
        report = build_index(ctx.settings, ctx.embedder, progress=False)
        notes.append(f"index updated before the run: {report.summary()}")


def run_eval(settings: Settings, options: RunOptions, *, assistant=None, judge_chat_model=None) -> RunOutcome:
    """Evaluate, write results.jsonl, summary.json and report.html into the run folder, and return them."""
    from .compare import compare_runs, load_previous
    from .gates import check_baseline, check_gates, load_baseline, parse_gates
    from .metrics_run import compute_metrics
    from .provenance import environment, kb_info, settings_snapshot
    from .report import write_run

    t_start = time.perf_counter()
    gates = parse_gates(options.fail_under) if options.fail_under else []
    if options.compare_to is not None:
        load_previous(options.compare_to)  # fail now, not after the run, if the folder is wrong
    baseline = load_baseline(options.baseline) if options.baseline is not None else None
    review_labels = None
    if options.labels is not None:
        from .review import read_labels

        review_labels = read_labels(options.labels)
    missing = [d for d in options.datasets if d in BUNDLED and not (DATASET_DIR / f"{d}.jsonl").exists()]
    datasets = load_datasets([d for d in options.datasets if d not in missing], question_col=options.question_col,
                             answer_col=options.answer_col, id_col=options.id_col)
    out_dir = Path(options.out) if options.out else default_out_dir(settings)
    try:  # fail now, not after the run, if the results cannot be written
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as e:
        raise InputError(f"Cannot write the run folder {out_dir} ({e.strerror or e}).",
                         "Choose a writable folder with --out.") from None
    ctx = PipelineContext(settings, assistant)
    notes: list[str] = []
    if options.update_index and assistant is None:
        _ensure_index(ctx, notes)
    results: list[ItemResult] = []
    ds_info = []
    for name in missing:
        reason = f"eval/datasets/{name}.jsonl does not exist in this checkout"
        ds_info.append({"name": name, "kind": name if name != "patient_qa" else "qa", "path": None, "sha256": None,
                        "items": 0, "run": 0, "skipped": reason})
        notes.append(f"{name}: skipped, {reason}")
        print(f"Skipping dataset {name}: {reason}.", file=sys.stderr)
    t_items = time.perf_counter()
    chosen = [(ds, subsample(ds.items, options.limit)) for ds in datasets]
    counter = _Progress(options.on_progress, sum(len(items) for _, items in chosen))
    for ds, items in chosen:
        info = {"name": ds.name, "kind": ds.kind, "path": ds.path, "sha256": ds.sha256, "items": len(ds.items),
                "run": 0}
        try:
            ctx.prepare(ds.kind)
            workers = options.workers or (8 if ds.kind == "qa" and ctx.remote else 1)
            got = _run_dataset(ctx, ds, items, workers, options.progress, counter)
        except SkipDataset as e:
            info["skipped"] = str(e)
            notes.append(f"{ds.name}: {e}")
            print(f"Skipping dataset {ds.name}: {e}.", file=sys.stderr)
            ds_info.append(info)
            continue
        info["run"] = len(got)
        info["errors"] = sum(1 for r in got if r.error)
        results += got
        ds_info.append(info)
    items_seconds = time.perf_counter() - t_items
    if options.on_progress is not None:
        options.on_progress(0.96, "Scoring the answers")
    metric_data = compute_metrics(results, ctx, options, judge_chat_model=judge_chat_model,
                                  progress=options.progress)
    summary = {
        "schema": 1,
        "run": {
            **environment(),
            "backend": settings.backend,
            "embedder": settings.embedder,
            "limit": options.limit,
            "judge": {"url": options.judge_url, "model": options.judge_model} if (options.judge_url or
                                                                                  judge_chat_model) else None,
            "seconds_items": round(items_seconds, 2),
            "seconds_total": round(time.perf_counter() - t_start, 2),
            "settings": settings_snapshot(settings),
            "knowledge_base": kb_info(settings),
        },
        "datasets": ds_info,
        "notes": notes + metric_data.pop("notes", []),
        **metric_data,
        "errors": [{"dataset": r.dataset, "id": r.id, "error": r.error} for r in results if r.error],
    }
    if summary["run"]["judge"] and (summary.get("judge") or {}).get("model"):
        summary["run"]["judge"]["model"] = summary["judge"]["model"]
    summary["metrics"]["item_errors"] = Stat(value=float(len(summary["errors"])), n=len(results)).model_dump()
    if options.compare_to is not None:
        summary["comparison"] = compare_runs(summary, results, options.compare_to)
    if gates:
        summary["gates"] = [g.model_dump() for g in check_gates(gates, summary)]
    if baseline is not None:
        summary["baseline"] = {"path": str(options.baseline),
                               "checks": [g.model_dump() for g in check_baseline(summary, baseline)]}
    if review_labels is not None:
        from .review import agreement

        summary["label_agreement"] = agreement(review_labels, results, str(options.labels))
    summary["run"]["seconds_total"] = round(time.perf_counter() - t_start, 2)
    write_run(out_dir, summary, results)
    return RunOutcome(out_dir=out_dir, summary=summary, results=results)
