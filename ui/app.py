"""Gradio app: ``create_app(settings)`` builds the Blocks (gradio imported inside); ``launch`` serves it."""

from __future__ import annotations

import html
import logging
import os

from assistant.answer import Answer, Assistant
from assistant.config import Settings

log = logging.getLogger("dermassist.ui")

EXAMPLES = [
    "Is eczema contagious?",
    "What triggers a psoriasis flare?",
    "What is hidradenitis suppurativa?",
    "Are steroid creams safe to use on my face?",
    "What does 'margins clear' mean on my biopsy report?",
]


def _offline_env() -> None:
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _escape(text: str) -> str:
    """User text is shown as text, never rendered as HTML or Markdown markup."""
    return html.escape(text).replace("*", "&#42;").replace("_", "&#95;").replace("`", "&#96;")


def render_sources(answer: Answer) -> str:
    """Numbered sources; each expands to the cited passage and the document's own source list."""
    if not answer.citations:
        return ""
    parts = []
    for c in answer.citations:
        refs = "".join(f"<li>{html.escape(s)}</li>" for s in c.sources)
        parts.append(
            f"<details><summary>[{c.n}] {html.escape(c.title)} — {html.escape(c.heading)}</summary>"
            f"<blockquote>{html.escape(c.text)}</blockquote>"
            f"{'<p>Guidance this is based on:</p><ul>' + refs + '</ul>' if refs else ''}</details>")
    return "\n".join(parts)


def render_answer(answer: Answer) -> str:
    lines = [answer.text]
    for n in answer.notices:
        lines.append(f"\n_{n}_")
    if answer.citations:
        lines.append("\n**Sources:** " + "; ".join(f"[{c.n}] {c.title} — {c.heading}" for c in answer.citations))
    return "\n".join(lines)


def grade_badge(answer: Answer) -> str:
    if answer.readability_grade is None:
        return ""
    return f"Reading grade: {answer.readability_grade:.1f}"


def create_app(settings: Settings, assistant: Assistant | None = None):
    """Build the Gradio Blocks app. Nothing is loaded until the first request (or ``warm_up``)."""
    _offline_env()
    import gradio as gr

    assistant = assistant or Assistant(settings)

    def ask_api(question: str) -> dict:
        """The answer as JSON (text, citations, grade, timings)."""
        return assistant.ask(question).model_dump(mode="json", exclude={"retrieved"})

    def chat(question: str, history: list):
        history = list(history or [])
        answer = assistant.ask(question)
        history.append({"role": "user", "content": _escape(answer.question or question or "")})
        history.append({"role": "assistant", "content": render_answer(answer)})
        return "", history, render_sources(answer), grade_badge(answer)

    with gr.Blocks(title="dermassist", analytics_enabled=False) as demo:
        gr.Markdown("# dermassist\nPlain-language answers about chronic skin conditions, from vetted guidance. "
                    f"Backend: **{html.escape(settings.backend)}** · runs offline.")
        with gr.Tab("Patient chat"):
            chatbot = gr.Chatbot(label="Chat", height=420, sanitize_html=True, render_markdown=True)
            with gr.Row():
                box = gr.Textbox(placeholder="Ask about a skin, hair or nail condition...", show_label=False,
                                 scale=5, max_lines=6)
                send = gr.Button("Ask", variant="primary", scale=1)
            grade = gr.Markdown(elem_id="grade")
            with gr.Accordion("Sources", open=True):
                sources = gr.HTML(elem_id="sources")
            gr.Examples(EXAMPLES, inputs=box)
            clear = gr.Button("Clear chat")
            gr.Markdown("_dermassist gives general education, not a diagnosis. Talk to your own doctor or nurse "
                        "about your skin. In an emergency call your local emergency number._")
        send.click(chat, [box, chatbot], [box, chatbot, sources, grade], api_name="chat")
        box.submit(chat, [box, chatbot], [box, chatbot, sources, grade], api_name=False)
        clear.click(lambda: ([], "", ""), None, [chatbot, sources, grade], api_name=False)
        gr.api(ask_api, api_name="ask")
    demo.queue(default_concurrency_limit=2)
    return demo


def launch(settings: Settings, *, block: bool = True, assistant: Assistant | None = None):
    """Serve the app on settings.host:settings.port (127.0.0.1 by default)."""
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("Binding %s exposes dermassist beyond this machine; put it behind TLS and a login.",
                    settings.host)
    assistant = assistant or Assistant(settings)
    assistant.warm_up()
    demo = create_app(settings, assistant)
    demo.launch(server_name=settings.host, server_port=settings.port or None, prevent_thread_lock=not block,
                show_error=False, quiet=not block)
    return demo
