"""Serve the Blocks apps with uvicorn on one port: the public app at ``/`` and, when a login is configured,
the clinician/QA app at ``/staff/`` behind gradio's login (every route of that app, API included, answers
401 without the session cookie).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from assistant.errors import ConfigError

log = logging.getLogger("dermassist.ui")

STAFF_PATH = "/staff"
MAX_UPLOAD = "10mb"


@dataclass
class RunningServer:
    """A started server: ``local_url`` (public app), ``staff_url`` (clinician/QA app) and ``close()``."""

    local_url: str
    staff_url: str
    apps: list[Any]
    protected: bool
    _server: Any = None
    _thread: threading.Thread | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the queues (ends open event streams), then the server."""
        for blocks in self.apps:
            try:  # what Blocks.close() does for apps it launched itself (mounted apps are skipped there)
                blocks._queue.close()
                blocks.is_running = False
                blocks.app.stop_event.set()  # ends heartbeat streams
                blocks.app.startup_events_triggered = False
            except Exception:  # pragma: no cover - best effort on shutdown
                pass
        # Clients that never disconnect (open event streams) are cut after the grace period; that is expected
        # on shutdown, so uvicorn's "cancelled task" traceback is silenced for this moment only.
        quiet = logging.getLogger("uvicorn.error")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            if self._server is not None:
                self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=10)
        finally:
            quiet.setLevel(level)


def _mounted(app, path: str):
    """The gradio App mounted at ``path`` (it holds the logins: ``tokens``)."""
    for route in app.routes:
        if getattr(route, "path", None) == path and hasattr(getattr(route, "app", None), "tokens"):
            return route.app
    raise RuntimeError(f"no gradio app is mounted at {path}")


def build_fastapi(public, staff, *, auth: Callable[[str, str], bool] | None, theme, css: str, head: str = "",
                  session_hours: float | None = None):
    """A FastAPI app with ``staff`` (if any) mounted at /staff behind ``auth`` and ``public`` at /. Staff logins
    last ``session_hours`` (default: DERMASSIST_SESSION_HOURS or 8)."""
    import fastapi
    import gradio as gr

    app = fastapi.FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    common = dict(footer_links=["api", "settings"], show_error=False, theme=theme, css=css, max_file_size=MAX_UPLOAD,
                  ssr_mode=False, mcp_server=False, enable_monitoring=False, pwa=False, run_history=False, head=head)
    if staff is not None:
        from .sessions import ExpireSessions
        from .sessions import session_hours as hours_from_env
        from .throttle import ThrottleLogins

        hours = session_hours if session_hours is not None else hours_from_env()
        app = gr.mount_gradio_app(app, staff, STAFF_PATH, auth=auth, auth_message="Clinician and QA login", **common)
        staff_app = _mounted(app, STAFF_PATH)
        app.add_middleware(ExpireSessions, prefix=STAFF_PATH, tokens=lambda: staff_app.tokens,
                           max_age_s=hours * 3600)
        for path in (f"{STAFF_PATH}/login", f"{STAFF_PATH}/login/"):  # failed logins are throttled
            app.add_middleware(ThrottleLogins, path=path)
    # patients see no "Use via API" or settings links (the API stays served; staff pages keep the links)
    public_common = {**common, "footer_links": [] if staff is not None else common["footer_links"]}
    return gr.mount_gradio_app(app, public, "/", **public_common)


def serve(app, host: str, port: int, *, block: bool, apps: list, protected: bool) -> RunningServer:
    import uvicorn

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    shown_host = f"[{host}]" if ":" in host else host
    if block:
        url = f"http://{shown_host}:{port}/"
        print(f"dermassist is serving at {url}" + (f"  (clinician and QA tools: {url}staff/)" if protected else ""),
              flush=True)
        server.run()
        return RunningServer(url, url + "staff/" if protected else url, apps, protected)
    thread = threading.Thread(target=server.run, name="dermassist-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ConfigError(f"The web server could not start on {host}:{port}.",
                              "Is the port in use? Pick another with --port, or use --port 0 for a free one.")
        time.sleep(0.02)
    real_port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://{shown_host}:{real_port}/"
    staff_url = url + "staff/" if protected else url
    return RunningServer(url, staff_url, apps, protected, server, thread)
