"""Prompt templates (package data, Jinja2 with StrictUndefined) and the chat messages built from them.

Each task has a ``<task>.system.jinja`` and a ``<task>.user.jinja`` template. Retrieved passages are
numbered from 1 so the model can cite them as [n]. A missing template variable is an error, never "".
"""

from __future__ import annotations

from functools import lru_cache

TASK_TEMPLATES = {"answer": "patient_answer", "report": "report_explanation", "simplify": "simplify_sentence"}


@lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("assistant", "prompts"), undefined=jinja2.StrictUndefined,
                              autoescape=False, keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True)


def render(name: str, **values) -> str:
    """Render ``prompts/<name>.jinja``; a missing variable raises jinja2.UndefinedError."""
    return _environment().get_template(f"{name}.jinja").render(**values).strip()


def build_messages(request) -> list[dict[str, str]]:
    """System + user chat messages for a GenerationRequest (answer, report or simplify task)."""
    base = TASK_TEMPLATES[request.task]
    passages = [{"n": n, "title": h.title, "heading": h.heading, "text": h.text}
                for n, h in enumerate(request.passages, start=1)]
    values = {"question": request.question, "passages": passages, "max_words": request.max_words}
    return [{"role": "system", "content": render(f"{base}.system", **values)},
            {"role": "user", "content": render(f"{base}.user", **values)}]
