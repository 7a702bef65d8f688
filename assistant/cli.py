"""The `dermassist` command. Heavy libraries load inside each command, so `--help` stays fast."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .errors import DermassistError


def _settings(ctx: click.Context, **overrides):
    from .config import load_settings

    obj = ctx.find_root().obj or {}
    llm = ctx.meta.get("dermassist.llm", {})
    return load_settings(obj.get("config"), **{**obj.get("overrides", {}), **llm, **overrides})


def _llm_options(command):
    """--model / --base-url / --gguf-file for commands that can use an LLM backend (read by ``_settings``)."""

    @functools.wraps(command)
    def wrapper(*args, model=None, base_url=None, gguf_file=None, **kwargs):
        click.get_current_context().meta["dermassist.llm"] = {"model": model, "base_url": base_url,
                                                              "gguf_file": gguf_file}
        return command(*args, **kwargs)

    wrapper = click.option("--gguf-file", help="transformers backend: the .gguf file inside the --model folder.")(
        wrapper)
    wrapper = click.option("--base-url", help="openai backend: the server's OpenAI-compatible URL, e.g. "
                                              "http://127.0.0.1:8000/v1 (API key: DERMASSIST_LLM_API_KEY)")(wrapper)
    return click.option("--model", help="transformers: a model folder or .gguf file; openai: the model name on "
                                        "the server (default: the first it lists).")(wrapper)


PLUGIN_GROUP = "dermassist.commands"
PLUGIN_HOMES = {"serve": "ui", "eval": "eval"}  # for a clear message when they are not installed


class _Commands(click.Group):
    """The built-in commands plus those other packages register under the ``dermassist.commands`` entry-point
    group (``serve`` from ``ui``, ``eval`` from ``eval``), so this package never imports them. A plugin module
    is imported only when its command is listed or run."""

    def _plugins(self) -> dict:
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP) if ep.name not in self.commands}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self._plugins()})

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        ep = self._plugins().get(name)
        if ep is None and name in PLUGIN_HOMES:
            raise click.UsageError(f"The '{name}' command comes from the {PLUGIN_HOMES[name]} package, which is not "
                                   "registered in this Python environment. Install dermassist with "
                                   "`pip install -e .` (or `make setup`) from the source checkout.")
        return ep.load() if ep is not None else None


# for the commands that other packages register (ui.cli, eval.cli)
def settings_for(ctx: click.Context, **overrides):
    """Settings from the global options, a command's --model/--base-url/--gguf-file and ``overrides``."""
    return _settings(ctx, **overrides)


def llm_options(command):
    """Add --model / --base-url / --gguf-file to a command (read by ``settings_for``)."""
    return _llm_options(command)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--backend", help="Answer generator: grounded (default), transformers, openai or langchain.")
@_llm_options
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


@cli.command()
@click.option("--backend", help="Answer generator: grounded (default), transformers, openai or langchain.")
@_llm_options
@click.pass_context
def chat(ctx, backend):
    """An interactive chat in the terminal: follow-ups continue the conversation's topic. One question per line;
    an empty line, 'quit' or Ctrl-D ends it."""
    from .answer import Assistant

    assistant = Assistant(_settings(ctx, backend=backend))
    history: list[dict] = []
    interactive = sys.stdin.isatty()
    if interactive:
        click.echo("Ask about a skin, hair or nail condition or its treatment. An empty line ends the chat.")
    while True:
        try:
            line = input("you> " if interactive else "")
        except EOFError:
            break
        if not line.strip() or line.strip().lower() in ("quit", "exit"):
            break
        answer = assistant.ask(line, history=history)
        click.echo(answer.to_markdown() + "\n")
        history += [{"role": "user", "content": line}, {"role": "assistant", "content": answer.text}]


@cli.command()
@click.argument("file", required=False)
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True,
              help="md: Markdown; json: the full ReportExplanation; html: a printable patient handout.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write to this file instead of the screen.")
@click.pass_context
def explain(ctx, file, fmt, output):
    """Explain a skin pathology report in plain words: FILE (.txt or .pdf), or '-' for standard input.

    Personal details are removed first; only the de-identified text is shown or saved.
    """
    from .errors import InputError
    from .reports.explain import Explainer
    from .reports.inputs import MAX_FILE_BYTES, decode_text, pdf_text, read_report_file

    if file in (None, "-"):
        if file is None and sys.stdin.isatty():
            raise InputError("No report given.", "Pass a .txt or .pdf file, or pipe the text in: dermassist explain -")
        stdin = getattr(sys.stdin, "buffer", None)
        data = stdin.read(MAX_FILE_BYTES + 1) if stdin else sys.stdin.read(MAX_FILE_BYTES + 1).encode("utf-8")
        text = pdf_text(data, "the PDF on standard input") if data.startswith(b"%PDF-") else decode_text(data)
    else:
        text = read_report_file(file)
    exp = Explainer(_settings(ctx)).explain(text)
    rendered = {"md": exp.to_markdown, "json": lambda: exp.model_dump_json(indent=2), "html": exp.to_html}[fmt]()
    if output:
        Path(output).write_text(rendered, encoding="utf-8")
        click.echo(f"Wrote {output}.")
    else:
        click.echo(rendered)


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
    """Record clinician approval of DOC_ID or of a word table (lexicon/NAME.yaml): date and content hash;
    editing the document or table voids it."""
    from .errors import KnowledgeBaseError
    from .knowledge import check_knowledge_base, record_review

    kb_path = _settings(ctx).kb_path
    if doc_id.startswith("lexicon/"):
        from .kb_approvals import record_approval

        entry = record_approval(kb_path, doc_id.split("/", 1)[1], reviewer)
        click.echo(f"Approved {doc_id} by {entry['reviewer']} on {entry['date']} (sha256 {entry['sha256'][:12]}...).")
        return
    docs, _ = check_knowledge_base(kb_path)
    doc = next((d for d in docs if d.id == doc_id), None)
    if doc is None:
        raise KnowledgeBaseError(f"No valid document with id '{doc_id}'.", "Run `dermassist kb stats` to list ids.")
    new = record_review(doc, reviewer)
    click.echo(f"Approved {new.id} by {new.meta.review.reviewer} on {new.meta.review.date} "
               f"(sha256 {new.content_hash[:12]}...).")


@cli.group()
def aspects():
    """The question-aspect head (which part of a topic a question asks about)."""


@aspects.command("train")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the head (default: the shipped file).")
@click.pass_context
def aspects_train(ctx, out):
    """Rebuild the aspect head from knowledge_base/query/training/ (deterministic, about 20 s)."""
    from .aspects import HEAD_FILE, train
    from .embeddings import get_embedder

    train(_settings(ctx).kb_path, get_embedder("minilm"), Path(out) if out else HEAD_FILE, log=click.echo)


@cli.group()
def deid():
    """De-identification: train the learned name tagger."""


@deid.command("train")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the head (default: the shipped file).")
@click.pass_context
def deid_train(ctx, out):
    """Rebuild the name tagger from knowledge_base/phi/training/ (deterministic, about two minutes)."""
    from .phi_names import HEAD_FILE
    from .phi_training import train

    train(_settings(ctx).kb_path, Path(out) if out else HEAD_FILE, log=click.echo)


@cli.group()
def triage():
    """The safety triage: train its learned head, or score it on a labelled set."""


@triage.command("train")
@click.option("--out", type=click.Path(dir_okay=False), help="Where to write the head (default: the shipped file).")
@click.pass_context
def triage_train(ctx, out):
    """Rebuild the learned triage head from knowledge_base/safety/training/ (deterministic, about a minute)."""
    from .embeddings import get_embedder
    from .safety.classifier import HEAD_FILE
    from .safety.training import train

    settings = _settings(ctx)
    embedder = get_embedder("minilm")
    train(settings.kb_path, embedder, Path(out) if out else HEAD_FILE, log=click.echo)


@triage.command("eval")
@click.argument("dataset", type=click.Path(exists=True, dir_okay=False))
@click.option("--typos", type=click.IntRange(0, 5), default=0, help="Add N random typos per message (seeded).")
@click.option("--errors", is_flag=True, help="List the misclassified messages.")
@click.pass_context
def triage_eval(ctx, dataset, typos, errors):
    """Score triage on a labelled JSONL set ({"id", "message", "label"}): recall per class and tiers."""
    import random

    from .embeddings import get_embedder
    from .safety import Triager
    from .safety.evaluation import add_typos, evaluate, load_cases

    settings = _settings(ctx)
    cases = load_cases(Path(dataset))
    if typos:
        rng = random.Random(1234)
        cases = [c.model_copy(update={"message": add_typos(c.message, typos, rng)}) for c in cases]
    report = evaluate(Triager(settings, get_embedder(settings.embedder)), cases)
    click.echo(report.render())
    if errors:
        for r in report.errors():
            click.echo(f"  {r.case.id} true={r.case.label} got={r.predicted}/{r.tier} :: {r.case.message[:160]}")


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
