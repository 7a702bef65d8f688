"""The body of `dermassist eval` (assistant/cli.py imports this inside the command)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from assistant.config import Settings


def run_command(settings: Settings, *, datasets: tuple[str, ...] = (), judge_url: str | None = None,
                judge_model: str | None = None, out: str | None = None, limit: int | None = None,
                compare_to: str | None = None, fail_under: str | None = None, question_col: str | None = None,
                answer_col: str | None = None, id_col: str | None = None, workers: int | None = None,
                quiet: bool = False, baseline: str | None = None, labels: str | None = None,
                judge_runs: int = 3) -> int:
    """Run the evaluation and print its headline figures; returns the exit code (1 when a gate fails)."""
    os.environ["RAGAS_DO_NOT_TRACK"] = "true"
    from .compare import render_comparison
    from .report import render_text
    from .runner import DEFAULT_DATASETS, RunOptions, run_eval

    options = RunOptions(datasets=list(datasets) or list(DEFAULT_DATASETS), judge_url=judge_url,
                         judge_model=judge_model, out=Path(out) if out else None, limit=limit,
                         compare_to=Path(compare_to) if compare_to else None, fail_under=fail_under,
                         question_col=question_col, answer_col=answer_col, id_col=id_col, workers=workers,
                         progress=not quiet, baseline=Path(baseline) if baseline else None,
                         labels=Path(labels) if labels else None, judge_runs=judge_runs)
    outcome = run_eval(settings, options)
    summary = outcome.summary
    click.echo(render_text(summary))
    if summary.get("comparison"):
        click.echo(render_comparison(summary["comparison"]))
    failed = [g for g in summary.get("gates", []) if not g["passed"]]
    for g in summary.get("gates", []):
        click.echo(f"gate {g['metric']}: {'PASS' if g['passed'] else 'FAIL'} ({g['reason']})")
    worse = [g for g in (summary.get("baseline") or {}).get("checks", []) if not g["passed"]]
    if summary.get("baseline"):
        click.echo(f"baseline {summary['baseline']['path']}: {len(summary['baseline']['checks']) - len(worse)} "
                   f"metrics within their interval, {len(worse)} worse")
        for g in worse:
            click.echo(f"  WORSE {g['metric']}: {g['reason']}")
    if summary.get("label_agreement"):
        la = summary["label_agreement"]
        click.echo(f"agreement with {la['path']}: {la['agree']}/{la['n']} labels ({la['accuracy']:.3f})")
    click.echo(f"Wrote {outcome.out_dir / 'results.jsonl'}, summary.json and report.html")
    if worse:
        click.echo(f"{len(worse)} metric(s) worse than the baseline: {', '.join(g['metric'] for g in worse)}",
                   err=True)
        return 1
    if failed:
        click.echo(f"{len(failed)} quality gate(s) failed: {', '.join(g['metric'] for g in failed)}", err=True)
        return 1
    return 0
