"""Gradio app: ``create_app(settings)`` builds the Blocks (gradio imported inside); ``launch`` serves it.

Tabs: Patient chat (public), Report explainer (clinicians) and Quality (QA teams). Without a login all three
are in one app at ``/``. With a login (``DERMASSIST_AUTH=user:password`` or a file of such lines) the
clinician and QA tabs move to a second app at ``/staff/`` that gradio protects completely (pages, config,
API and queue answer 401 without the login cookie), while ``/`` keeps only the patient chat.
"""

from __future__ import annotations

import logging
import os
import sys

from assistant.answer import Answer, Assistant
from assistant.config import Settings
from assistant.text import html_pages

from . import render
from .chat_tab import ANSWER_GROUP, EXAMPLES  # noqa: F401  (EXAMPLES re-exported)
from .services import Services, is_loopback

log = logging.getLogger("dermassist.ui")
CACHE_CLEANUP = (3600, 3600)  # every hour, gradio deletes its cached files (handouts, results) older than an hour
EXPOSED_WARNING = "Binding %s exposes dermassist beyond this machine: put it behind TLS (a reverse proxy)."
NO_LOGIN_WARNING = " The clinician and QA tools have no login: set DERMASSIST_AUTH=user:password (or --auth)."


def _offline_env() -> None:
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# Kept for callers of the first version of this module.
def render_sources(answer: Answer) -> str:
    return render.render_sources(answer)


def render_answer(answer: Answer) -> str:
    return render.answer_markdown(answer)


def grade_badge(answer: Answer) -> str:
    return render.grade_badge(answer)


def header_html(services: Services, *, staff_link: bool = False, staff_page: bool = False,
                show_backend: bool = False) -> str:
    backend, offline, detail = services.backend_info()
    # the answer backend is a detail for staff; patients see only whether anything leaves the computer
    return html_pages.render(
        "ui", "header.html.jinja", title="dermassist · clinician and QA tools" if staff_page else "dermassist",
        backend=backend, offline=offline, detail=detail, show_backend=staff_page or show_backend, staff_link=staff_link,
        subtitle="Report explainer and quality evaluation." if staff_page else
        "Plain-language answers about chronic skin conditions, from vetted guidance.")


def usable_cores() -> int:
    """CPU cores this process may run on (a container's limit, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 2)


def limit_math_threads(workers: int) -> int:
    """Give each of the ``workers`` concurrent answers ``cores // workers`` threads for its maths (torch, BLAS).

    With more threads than cores, OpenMP threads wait for each other: measured here on 2 busy cores, one
    MiniLM query took ~1 s with 2 threads and ~30 ms with 1. An explicit OMP_NUM_THREADS is respected.
    """
    per_worker = max(1, usable_cores() // max(1, workers))
    if "OMP_NUM_THREADS" in os.environ:
        return int(os.environ["OMP_NUM_THREADS"] or per_worker)
    if "torch" in sys.modules:  # already loaded (tests, notebooks): set it directly
        sys.modules["torch"].set_num_threads(per_worker)
    else:  # read by torch and the BLAS libraries when they load
        os.environ["OMP_NUM_THREADS"] = str(per_worker)
    return per_worker


def configure_queue(blocks):
    """Queue sized for the machine: as many answers at once as CPU cores (the work is CPU-bound, so more
    would only slow every answer down), and a bounded waiting line (256) beyond which gradio says 'busy'."""
    blocks.queue(default_concurrency_limit=usable_cores(), max_size=256, api_open=True)
    return blocks


def _staff_tabs(gr, services: Services) -> None:
    from .quality_tab import build_quality_tab
    from .report_tab import build_report_tab

    with gr.Tab("Report explainer (clinician)", id="report"):
        build_report_tab(services)
    with gr.Tab("Quality (QA)", id="quality"):
        build_quality_tab(services)


def create_app(settings: Settings, assistant: Assistant | None = None, *, staff_tabs: bool = True,
               services: Services | None = None):
    """The main Blocks app. ``staff_tabs=False`` leaves out the clinician/QA tabs (they are served behind a
    login instead). Nothing heavy is loaded until the first request (or ``Services.warm_up``)."""
    _offline_env()
    import gradio as gr

    services = services or Services(settings, assistant)

    def ask_api(question: str) -> dict:
        """The answer as JSON (text, citations, triage, grade, timings)."""
        return services.assistant.ask(question if isinstance(question, str) else "").model_dump(
            mode="json", exclude={"retrieved"})

    with gr.Blocks(title="dermassist", analytics_enabled=False, delete_cache=CACHE_CLEANUP) as demo:
        # without a login the staff tabs share this page: then the backend is shown for them
        gr.HTML(header_html(services, staff_link=not staff_tabs, show_backend=staff_tabs), elem_id="header")
        from .chat_tab import build_chat_tab

        if staff_tabs:
            with gr.Tabs():
                with gr.Tab("Patient chat", id="chat"):
                    build_chat_tab(services)
                _staff_tabs(gr, services)
        else:  # patients' page: the chat alone, no one-tab strip taking the top of a phone screen
            build_chat_tab(services)
        gr.api(ask_api, api_name="ask", concurrency_id=ANSWER_GROUP)
    return configure_queue(demo)


def create_staff_app(settings: Settings, assistant: Assistant | None = None, *, services: Services | None = None):
    """The clinician and QA tabs on their own (served at /staff/ behind the login)."""
    _offline_env()
    import gradio as gr

    services = services or Services(settings, assistant)
    with gr.Blocks(title="dermassist · clinician and QA", analytics_enabled=False,
                   delete_cache=CACHE_CLEANUP) as staff:
        gr.HTML(header_html(services, staff_page=True), elem_id="header")
        gr.Button("Log out", link="/staff/logout", size="sm", elem_id="logout")
        with gr.Tabs():
            _staff_tabs(gr, services)
    return configure_queue(staff)


class _Background:
    """Run ``fn`` in a thread now; ``result()`` waits and re-raises its exception in the caller."""

    def __init__(self, fn) -> None:
        import threading

        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn,), name="dermassist-warm-up", daemon=True)
        self._thread.start()

    def _run(self, fn) -> None:
        try:
            fn()
        except BaseException as e:  # handed to result()
            self._error = e

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def launch(settings: Settings, *, block: bool = True, assistant: Assistant | None = None, auth: str | None = None):
    """Serve on settings.host:settings.port (127.0.0.1 by default). ``auth`` (or DERMASSIST_AUTH) turns on the
    login for the clinician and QA tools. Returns a ``RunningServer`` (``local_url``, ``staff_url``, ``close()``)."""
    _offline_env()
    from .auth import auth_from_env, make_checker
    from .server import build_fastapi, serve
    from .theme import CSS, KEYS_JS, make_theme

    pairs = auth_from_env(auth)
    from .sessions import session_hours

    hours = session_hours() if pairs else None  # a wrong DERMASSIST_SESSION_HOURS stops here, before any loading
    if not is_loopback(settings.host):
        extra = "" if pairs else NO_LOGIN_WARNING
        print("Warning: " + EXPOSED_WARNING % settings.host + extra, file=sys.stderr, flush=True)
    services = Services(settings, assistant)
    limit_math_threads(usable_cores())  # the queue runs one answer per core at a time
    # Load the models (MiniLM, index, triage exemplars) while gradio is imported and the app is built; the
    # port opens once both are done. The first-answer caches are primed as the server starts.
    import huggingface_hub  # noqa: F401  (shared by both threads: imported once, here, before they start)

    warm = _Background(services.load)
    if pairs:
        public = create_app(settings, services=services, staff_tabs=False)
        staff = create_staff_app(settings, services=services)
        apps = [public, staff]
    else:
        public, staff = create_app(settings, services=services), None
        apps = [public]
    app = build_fastapi(public, staff, auth=make_checker(pairs) if pairs else None, theme=make_theme(), css=CSS,
                        head=KEYS_JS, session_hours=hours)
    warm.result()
    _Background(services.prime)
    running = serve(app, settings.host, settings.port, block=block, apps=apps, protected=bool(pairs))
    running.extra["services"] = services
    return running
