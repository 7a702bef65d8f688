"""The ``dermassist eval`` command, registered by this package (entry point ``dermassist.commands``), so that
``assistant`` never imports ``eval``. Cheap to import: the harness loads when the command runs."""

from __future__ import annotations

import click

from assistant.cli import llm_options, settings_for


@click.command("eval")
@click.option("--dataset", "datasets", multiple=True,
              help="patient_qa, safety, reports, or a .jsonl/.csv path (repeatable; default: all three).")
@click.option("--backend", help="Answer generator to evaluate (default: grounded).")
@llm_options
@click.option("--judge-url", help="OpenAI-compatible server for LLM-judged ragas metrics (none by default).")
@click.option("--judge-model", help="Model name on the judge server (default: the first it lists).")
@click.option("--out", type=click.Path(file_okay=False), help="Run folder (default: HOME/eval/<date-time>).")
@click.option("--limit", type=click.IntRange(min=1), help="At most N items per dataset, spread evenly.")
@click.option("--compare", "compare_to", type=click.Path(), help="Previous run folder: print deltas and worse items.")
@click.option("--fail-under", help="Quality gates, e.g. key_fact_recall=0.85,phi_leaks=0 (exit 1 if one fails).")
@click.option("--baseline", type=click.Path(), help="A committed summary.json: exit 1 if a metric is worse than it "
              "by more than its 95% interval (same --dataset and --limit).")
@click.option("--labels", type=click.Path(dir_okay=False),
              help="A reviewer's labels (the review CSV with its label column filled): metric agreement.")
@click.option("--judge-runs", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Judge each item this many times and report the mean and spread.")
@click.option("--question-col", help="Question column of your own CSV/JSONL.")
@click.option("--answer-col", help="Reference-answer column of your own CSV/JSONL.")
@click.option("--id-col", help="Id column of your own CSV/JSONL (default: line numbers).")
@click.option("--workers", type=click.IntRange(1, 64), help="Items in parallel (default: 1 local, 8 remote).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def eval_cmd(ctx, backend, **options):
    """Score accuracy, faithfulness, readability, safety and report fidelity; write results and report.html."""
    from eval.command import run_command

    code = run_command(settings_for(ctx, backend=backend), **options)
    if code:
        ctx.exit(code)
