"""Run an LLM generator under the faithfulness guard, falling back to the grounded answer.

``GuardedGenerator`` wraps any generator (``get_generator`` wraps every LLM backend in it):
- the grounded answer is built while the LLM writes (a worker thread, which also embeds the evidence):
  its lead is the content the LLM answer must keep, and it is the fallback;
- the LLM's sentences are checked one by one as they arrive (``assistant.guard.answer``); unsupported ones
  are dropped, kept ones are cited with the passage that supports them;
- any backend failure (timeout, HTTP error, broken stream, garbage) or a failed guard gives the grounded
  answer with ``fallback_reason`` and a visible notice. No exception from the backend reaches the caller.

Streaming (``stream_events``) yields only verified sentences, and only once the answer so far covers the
required content with no more than the allowed share removed, so shown text is never taken back. If the
LLM fails after sentences were shown, they stay (each is verified) and the grounded answer follows them
under a notice.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

from ..guard.answer import AnswerGuard, CheckedSentence, Evidence, cite, ends_cleanly, lead_sentences, split_marked
from ..embeddings import Embedder, get_embedder
from ..errors import DermassistError
from ..guard.support import SupportScorer
from .base import Generation, GenerationRequest, Generator
from .chat import ChatGenerator
from .grounded import GroundedGenerator

log = logging.getLogger("dermassist.llm")

BACKEND_NOTICE = ("The AI writing service could not answer ({detail}), so this answer is built directly from "
                  "the vetted text.")
GUARD_NOTICE = ("The AI-written answer was not supported well enough by the vetted sources ({detail}), so this "
                "answer is built directly from the vetted text.")
APPENDED_NOTICE = "The AI-written answer stopped early ({detail}); the answer from the vetted text follows."
REMOVED_NOTICE = ("{n} sentence(s) of the AI-written answer were left out because the vetted sources do not "
                  "support them.")


def extra_evidence(request: GenerationRequest) -> list[str]:
    """Besides the passage texts: their titles and headings (the prompt shows them), and for a report
    explanation the report, for a rewrite the sentence rewritten."""
    extra = [f"{h.title}. {h.heading}." for h in request.passages]
    return extra + [request.question] if request.task in ("report", "simplify") else extra


class GuardedGenerator(Generator):
    """An LLM generator whose every sentence must be supported by the retrieved passages."""

    def __init__(self, llm: Generator, fallback: Generator, scorer: SupportScorer,
                 max_removed_share: float = 0.5) -> None:
        self.llm = llm
        self.fallback = fallback
        self.guard = AnswerGuard(scorer, max_removed_share)
        self.name = llm.name
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    @classmethod
    def wrap(cls, llm: Generator, settings, embedder: Embedder | None = None) -> "GuardedGenerator":
        scorer = SupportScorer(embedder or get_embedder(settings.embedder))
        return cls(llm, GroundedGenerator(embedder=scorer.embedder), scorer, settings.guard_max_removed_share)

    def warm_up(self) -> None:
        self.guard.scorer.embedder.warm_up()
        self.fallback.warm_up()
        try:
            self.llm.warm_up()
        except Exception as e:  # a dead server at start-up must not stop the app: answers fall back
            log.warning("LLM backend %s is not ready: %s", self.llm.name, e)

    def generate(self, request: GenerationRequest) -> Generation:
        events = self._run(request, live=False)
        while True:
            try:
                next(events)
            except StopIteration as stop:
                return stop.value

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        for event in self.stream_events(request):
            if isinstance(event, str):
                yield event

    def stream_events(self, request: GenerationRequest) -> Iterator[str | Generation]:
        """Verified text pieces as they are ready, then the final Generation (its text = all pieces)."""
        final = yield from self._run(request, live=True)
        yield final

    # ------------------------------------------------------------------------------------------------
    def _prepare(self, request: GenerationRequest) -> tuple[Generation, Evidence, float]:
        """The grounded answer and the evidence, with the evidence embeddings cached: runs while the LLM writes."""
        t = time.perf_counter()
        grounded = self.fallback.generate(request)
        evidence = Evidence([h.text for h in request.passages], extra_evidence(request))
        self.guard.scorer.unit_vectors(self.guard.scorer.evidence_units(evidence.passages))
        return grounded, evidence, time.perf_counter() - t

    def _run(self, request: GenerationRequest, live: bool):
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dermassist-guard")
        prepared = self._pool.submit(self._prepare, request)
        timings = {"guard": 0.0}
        ctx: dict = {}
        usage: dict[str, int | None] = {}
        error: Exception | None = None
        t1 = time.perf_counter()

        def ready() -> _StreamState:
            """Wait for the grounded answer and evidence (the first time only)."""
            if not ctx:
                ctx["grounded"], ctx["evidence"], timings["grounded"] = prepared.result()
                required = lead_sentences(ctx["grounded"].text) if request.task == "answer" else []
                ctx["state"] = _StreamState(self.guard, required, live)
            return ctx["state"]

        def check(sentences: list[str], last_complete: bool = True) -> list[str]:
            tg = time.perf_counter()
            state = ready()
            shown = state.add(self.guard.check_sentences(sentences, ctx["evidence"], last_complete))
            timings["guard"] += time.perf_counter() - tg
            return shown

        try:
            raw, done = "", 0
            for piece in self._pieces(request, live, usage):
                raw += piece
                sentences = split_marked(raw)[done:-1]  # the last sentence may still be growing
                done += len(sentences)
                yield from check(sentences)
            yield from check(split_marked(raw)[done:], ends_cleanly(raw))
        except Exception as e:  # every backend failure ends in the grounded answer, never in an exception
            error = e
            if not isinstance(e, DermassistError):
                log.exception("LLM backend %s failed unexpectedly", self.llm.name)
        timings["llm"] = time.perf_counter() - t1 - timings["guard"]
        tg = time.perf_counter()
        state, grounded = ready(), ctx["grounded"]
        verdict = self.guard.decide(state.checked, state.required) if error is None else None
        timings["guard"] += time.perf_counter() - tg
        common = {"backend": self.llm.name, "prompt_tokens": usage.get("prompt_tokens"),
                  "completion_tokens": usage.get("completion_tokens"), "timings": timings}
        if verdict is not None and verdict.fallback_reason is None:
            yield from state.flush()
            text, cited = (state.text(), state.cited()) if live else cite(verdict.kept)
            notices = [REMOVED_NOTICE.format(n=len(verdict.removed))] if verdict.removed else []
            return Generation(text=text, cited=cited, notices=notices, **common)
        if error is not None:
            reason, detail = f"backend_error: {_message(error)}", _short(error)
        else:
            reason = f"guard: {verdict.fallback_reason}"
            detail = verdict.fallback_reason.split(" (")[0].replace("_", " ")
        if state.emitted:
            appended = f"\n\n{grounded.text}"
            yield appended
            cited = sorted(set(state.cited()) | set(grounded.cited))
            return Generation(text=(state.shown + appended).strip(), cited=cited, fallback_reason=reason,
                              notices=[APPENDED_NOTICE.format(detail=detail)], **common)
        if live:
            yield grounded.text
        return Generation(text=grounded.text, cited=grounded.cited, fallback_reason=reason,
                          notices=[(BACKEND_NOTICE if error else GUARD_NOTICE).format(detail=detail)], **common)

    def _pieces(self, request: GenerationRequest, live: bool, usage: dict) -> Iterator[str]:
        if live:
            yield from self.llm.stream(request, usage) if isinstance(self.llm, ChatGenerator) else self.llm.stream(
                request)
            return
        raw = self.llm.generate(request)
        usage.update(prompt_tokens=raw.prompt_tokens, completion_tokens=raw.completion_tokens)
        yield raw.text


def _message(error: Exception) -> str:
    return getattr(error, "message", None) or str(error) or type(error).__name__


def _short(error: Exception) -> str:
    """A few plain words for the notice."""
    message = _message(error) if isinstance(error, DermassistError) else ""
    if any(k in message for k in ("did not reply", "longer than", "no token")):
        return "it took too long"
    if any(k in message for k in ("unreachable", "not being called")):
        return "it is not reachable"
    if "broke" in message:
        return "the connection broke"
    return "it failed"


class _StreamState:
    """Checked sentences so far and what has been shown; shows kept sentences once that is safe."""

    def __init__(self, guard: AnswerGuard, required: list[str], live: bool) -> None:
        self.guard = guard
        self.required = required
        self.live = live
        self.checked: list[CheckedSentence] = []
        self.pending: list[CheckedSentence] = []
        self.emitted: list[CheckedSentence] = []
        self.shown = ""  # exactly the text yielded so far
        self.covered = not required

    def add(self, new: list[CheckedSentence]) -> list[str]:
        if not new:
            return []
        self.checked += new
        self.pending += [c for c in new if c.reason is None]
        if not self.live or not self.pending:
            return []
        removed = sum(c.reason is not None for c in self.checked)
        if removed / len(self.checked) > self.guard.max_removed_share:
            return []
        if not self.covered:
            self.covered = self.guard.covers(self.pending + self.emitted, self.required)
            if not self.covered:
                return []
        return self._show()

    def flush(self):
        """After a passing verdict: show whatever is still pending (a generator returning nothing)."""
        if self.live and self.pending:
            yield from self._show()

    def _show(self) -> list[str]:
        out = [f"{c.text} [{c.passage}] " for c in self.pending]
        self.emitted += self.pending
        self.pending = []
        self.shown += "".join(out)
        return out

    def text(self) -> str:
        return self.shown.strip()

    def cited(self) -> list[int]:
        return sorted({c.passage for c in self.emitted if c.passage})
