"""The `dermassist` command. Heavy libraries load inside each command, so `--help` stays fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import DermassistError


def _settings(ctx: click.Context, **overrides):
    from .config import load_settings

    obj = ctx.find_root().obj or {}
    return load_settings(obj.get("config"), **{**obj.get("overrides", {}), **overrides})


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), help="TOML settings file (or DERMASSIST_CONFIG).")
@click.option("--kb-path", type=click.Path(file_okay=False), help="Knowledge-base folder.")
@click.option("--home", type=click.Path(file_okay=False), help="Folder for the index and outputs (.dermassist).")
@click.option("--embedder", help="Embedder name: minilm (default) or fake.")
@click.version_option(package_name="dermassist")
@click.pass_context
def cli(ctx, config, kb_path, home, embedder):
    """dermassist: plain-language answers about chronic skin disease, from vetted guidance.

    Education only: not a diagnosis or treatment plan.
    """
    ctx.obj = {"config": config, "overrides": {"kb_path": kb_path, "home": home, "embedder": embedder}}


@cli.command()
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def index(ctx, quiet):
    """Build or update the search index (only changed documents are re-embedded)."""
    from .embeddings import get_embedder
    from .index import build_index

    s = _settings(ctx)
    report = build_index(s, get_embedder(s.embedder), progress=not quiet)
    click.echo(f"Index at {s.index_dir}: {report.summary()}")


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the full Answer as JSON.")
@click.option("--backend", help="Answer generator (default: grounded).")
@click.pass_context
def ask(ctx, question, as_json, backend):
    """Answer QUESTION (or read it from standard input when QUESTION is '-')."""
    from .answer import Assistant

    if question in (None, "-"):
        question = "" if sys.stdin.isatty() else sys.stdin.read()
    answer = Assistant(_settings(ctx, backend=backend)).ask(question)
    if as_json:
        click.echo(answer.model_dump_json(indent=2))
        return
    click.echo(answer.to_markdown())


@cli.group()
def kb():
    """Check, describe and review the knowledge base."""


@kb.command("check")
@click.pass_context
def kb_check(ctx):
    """Validate every document and list all problems (exit 1 if any)."""
    from .knowledge import check_knowledge_base

    s = _settings(ctx)
    docs, problems = check_knowledge_base(s.kb_path)
    for p in problems:
        click.echo(f"ERROR {p}", err=True)
    click.echo(f"{len(docs)} documents checked in {s.kb_path}; {len(problems)} problem(s).")
    if problems:
        ctx.exit(1)


@kb.command("stats")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_stats(ctx, as_json):
    """Documents per kind, words, reading grade, sources and review state."""
    from .kb_stats import collect_stats, render_stats

    stats = collect_stats(_settings(ctx).kb_path)
    click.echo(json.dumps(stats, indent=2) if as_json else render_stats(stats))


@kb.command("review")
@click.argument("doc_id")
@click.option("--reviewer", required=True, help='Reviewer, e.g. "Jane Doe, MD, FAAD".')
@click.pass_context
def kb_review(ctx, doc_id, reviewer):
    """Record clinician approval of DOC_ID (date and content hash; editing the document voids it)."""
    from .errors import KnowledgeBaseError
    from .knowledge import check_knowledge_base, record_review

    docs, _ = check_knowledge_base(_settings(ctx).kb_path)
    doc = next((d for d in docs if d.id == doc_id), None)
    if doc is None:
        raise KnowledgeBaseError(f"No valid document with id '{doc_id}'.", "Run `dermassist kb stats` to list ids.")
    new = record_review(doc, reviewer)
    click.echo(f"Approved {new.id} by {new.meta.review.reviewer} on {new.meta.review.date} "
               f"(sha256 {new.content_hash[:12]}...).")


@cli.command()
@click.option("--host", help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 7860).")
@click.option("--backend", help="Answer generator (default: grounded).")
@click.pass_context
def serve(ctx, host, port, backend):
    """Start the web app (binds 127.0.0.1 unless --host is given)."""
    from ui.app import launch

    launch(_settings(ctx, host=host, port=port, backend=backend))


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="dermassist", standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except DermassistError as e:
        click.echo(f"Error: {e.message}", err=True)
        if e.fix:
            click.echo(f"How to fix: {e.fix}", err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
