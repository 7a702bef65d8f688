"""The app's seam to the library: one object per process holding the shared, read-only parts.

Nothing user-specific lives here (per-session data is kept in ``gr.State`` by the tabs). Optional parts
(report explainer, chat log, evaluation) are imported when first used; a build without them gets a clear
:class:`~assistant.errors.DermassistError` saying what is missing instead of a crash.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import DermassistError, InputError
from assistant.text.citations import strip_markers

log = logging.getLogger("dermassist.ui")

WARM_UP_QUESTION = "Is eczema contagious?"
MAX_UPLOAD_BYTES = 10_000_000
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def is_loopback(host: str | None) -> bool:
    return bool(host) and (host in LOOPBACK_HOSTS or host.startswith("127."))


class Services:
    """Shared Assistant, report explainer and chat log for every session of one server process."""

    def __init__(self, settings: Settings, assistant=None) -> None:
        self.settings = settings
        self._assistant = assistant
        self._explainer = None
        self._chatlog = None
        self._lock = threading.Lock()
        self._eval_lock = threading.Lock()

    # ------------------------------------------------------------------------------ shared objects
    @property
    def assistant(self):
        if self._assistant is None:
            with self._lock:
                if self._assistant is None:
                    from assistant.answer import Assistant
                    from assistant.embeddings import get_embedder

                    from .embedding_cache import CachedEmbedder

                    embedder = CachedEmbedder(get_embedder(self.settings.embedder))
                    self._assistant = Assistant(self.settings, embedder=embedder)
        return self._assistant

    def warm_up(self) -> None:
        """Load what answering needs (models, index, triage exemplars, the report glossary), then prime."""
        self.load()
        self.prime()

    def load(self) -> None:
        """Models, index, triage exemplars and the report glossary: needed before the port opens."""
        self.assistant.warm_up()
        if self.reports_available:
            explainer = self.explainer()
            getattr(explainer, "warm_up", lambda: None)()

    def prime(self) -> None:
        """One real grounded question (not logged): fills the lazy caches of a first answer (the knowledge
        base's source lists, the readability dictionary, the model's first pass). Safe to run while serving."""
        if not callable(getattr(self.assistant.generator, "stream_events", None)):  # no LLM call at start-up
            try:
                self.assistant.ask(WARM_UP_QUESTION)
            except Exception:  # priming is an optimisation: a failure here shows up on real requests instead
                log.exception("warm-up question failed")

    def backend_info(self) -> tuple[str, bool, str]:
        """(backend name, offline?, detail). Offline unless answers come from a non-loopback LLM server."""
        backend = self.settings.backend
        url = self.settings.base_url
        if url and backend not in ("grounded", "fake", "transformers"):
            host = urlparse(url if "//" in url else f"http://{url}").hostname
            if not is_loopback(host):
                return backend, False, f"LLM server at {host}"
            return backend, True, "LLM server on this machine"
        return backend, True, ""

    # ------------------------------------------------------------------------------ chat
    def stream_answer(self, question: str, history: list[dict] | None = None) -> Iterator[tuple[str, Any]]:
        """Yield (text so far, None) while the answer is written, then (final text, Answer). ``history``: the
        conversation so far (``Assistant.ask``), so a follow-up is answered about the earlier topic.

        LLM backends stream through the guard (``stream_events``: verified sentences only, never text that is
        taken back later); partial text has no citation markers (they are renumbered in the final Answer).
        The grounded answer is verified by construction and comes whole, with no partial steps.
        """
        text = ""
        for part in self.assistant.stream(question, history=history):
            if isinstance(part, str):
                text = f"{text} {strip_markers(part)}".strip()
                yield text, None
            else:
                yield part.text, part
                return

    # ------------------------------------------------------------------------------ feedback / logs
    @property
    def chatlog_available(self) -> bool:
        return has_module("assistant.chatlog")

    def chatlog(self):
        if not self.chatlog_available:
            raise DermassistError("Feedback cannot be saved: this build has no chat log (assistant/chatlog.py).",
                                  "Install the full dermassist package.")
        if self._chatlog is None:
            with self._lock:
                if self._chatlog is None:
                    from assistant.chatlog import ChatLog

                    self._chatlog = ChatLog(self.settings)
        return self._chatlog

    def log_exchange(self, question: str, answer) -> str | None:
        """Record the exchange (de-identified by the chat log); returns its id for feedback. Never fails a chat."""
        if not self.chatlog_available:
            return None
        try:
            return self.chatlog().log_exchange(question, answer).id
        except Exception:  # logging must never break an answer
            log.exception("chat log write failed")
            return None

    def save_feedback(self, *, rating: str, comment: str, question: str, answer_text: str,
                      exchange_id: str | None, meta: dict[str, Any]):
        """A rating with an optional comment; the chat log de-identifies every text before writing."""
        return self.chatlog().log_feedback(rating=rating, comment=comment, question=question, answer=answer_text,
                                           exchange_id=exchange_id, **meta)

    # ------------------------------------------------------------------------------ reports
    @property
    def reports_available(self) -> bool:
        return has_module("assistant.reports.explain") and has_module("assistant.phi")

    def explainer(self):
        if not self.reports_available:
            raise DermassistError("The report explainer is not part of this build (assistant/reports).",
                                  "Install the full dermassist package.")
        if self._explainer is None:
            with self._lock:
                if self._explainer is None:
                    from assistant.reports import Explainer

                    try:
                        self._explainer = Explainer(self.settings, embedder=self.assistant.embedder)
                    except TypeError:
                        self._explainer = Explainer(self.settings)
        return self._explainer

    def read_upload(self, path: str | Path) -> str:
        """Text of an uploaded .txt or .pdf (size and type checked; PDFs need a text layer)."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in (".txt", ".pdf", ".text", ".md"):
            raise InputError(f"'{p.name}' is not a .txt or .pdf file.", "Upload a .txt or .pdf report, or paste it.")
        size = p.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise InputError(f"'{p.name}' is {size / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB.",
                             "Upload only the report pages, or paste the report text.")
        if has_module("assistant.reports.inputs"):
            from assistant.reports import read_report_file

            return read_report_file(p)
        if suffix == ".pdf":
            raise InputError("PDF reading is not part of this build.", "Paste the report text instead.")
        data = p.read_bytes()
        if b"\x00" in data[:4096]:
            raise InputError(f"'{p.name}' is not a text file.", "Upload a .txt or .pdf report, or paste it.")
        return data.decode("utf-8", errors="replace")

    # ------------------------------------------------------------------------------ evaluation
    @property
    def eval_available(self) -> bool:
        return has_module("eval.runner")

    @property
    def eval_lock(self) -> threading.Lock:
        """One evaluation at a time per server: it uses both CPU cores."""
        return self._eval_lock
