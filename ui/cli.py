"""The ``dermassist serve`` command, registered by this package (entry point ``dermassist.commands``), so that
``assistant`` never imports ``ui``."""

from __future__ import annotations

import click

from assistant.cli import llm_options, settings_for


@click.command()
@click.option("--host", help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 7860).")
@click.option("--backend", help="Answer generator: grounded (default), transformers, openai or langchain.")
@llm_options
@click.option("--auth", help="Login for the clinician and QA tools: 'user:password' or a file of such lines "
                             "(default: DERMASSIST_AUTH; none = no login).")
@click.pass_context
def serve(ctx, host, port, backend, auth):
    """Start the web app (binds 127.0.0.1 unless --host is given)."""
    from ui.app import launch

    launch(settings_for(ctx, host=host, port=port, backend=backend), auth=auth)  # warns if --host exposes it
