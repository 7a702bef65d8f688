"""What each kind of item runs through: questions -> Assistant.ask, safety messages -> Triager.triage,
reports -> the report explainer. One context per run: one Assistant, one embedder, built lazily."""

from __future__ import annotations

import importlib.util
import time
from typing import Any

from assistant.config import Settings

from .text import strip_citations


class SkipDataset(Exception):
    """The module a dataset needs is not there (yet): the dataset is skipped with this message."""


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


class PipelineContext:
    def __init__(self, settings: Settings, assistant=None) -> None:
        self.settings = settings
        self._assistant = assistant
        self._triager = None
        self._explainer = None

    @property
    def assistant(self):
        if self._assistant is None:
            from assistant.answer import Assistant

            # the pipeline exactly as users run it (no embedding cache), so latency figures are real
            self._assistant = Assistant(self.settings)
        return self._assistant

    @property
    def embedder(self):
        return self.assistant.embedder

    @property
    def remote(self) -> bool:
        """Whether answers come from a server (then items run concurrently)."""
        gen = self.assistant.generator
        return bool(getattr(gen, "remote", False)) or getattr(gen, "name", "") in ("openai", "langchain")

    # ----------------------------------------------------------------------------------- safety
    def triager(self):
        if self._triager is None:
            existing = getattr(self._assistant, "triager", None) if self._assistant is not None else None
            if existing is not None:
                self._triager = existing
            else:
                if not module_available("assistant.safety"):
                    raise SkipDataset("the safety layer (assistant/safety) is not installed in this build, so the "
                                      "safety dataset was skipped")
                from assistant.safety import Triager

                self._triager = Triager(self.settings, self.embedder)
        return self._triager

    # ----------------------------------------------------------------------------------- reports
    def explainer(self):
        if self._explainer is None:
            if not module_available("assistant.reports.explain") or not module_available("assistant.phi"):
                raise SkipDataset("the report explainer (assistant/reports, assistant/phi.py) is not installed in "
                                  "this build, so the reports dataset was skipped")
            from assistant.reports import Explainer

            self._explainer = Explainer(self.settings)
            if hasattr(self._explainer, "warm_up"):
                self._explainer.warm_up()
        return self._explainer

    def prepare(self, kind: str) -> None:
        """Load what a dataset kind needs before its first item (raises SkipDataset if it is missing)."""
        if kind == "qa":
            self.assistant.warm_up()
        elif kind == "safety":
            t = self.triager()
            if hasattr(t, "warm_up"):
                t.warm_up()
        elif kind == "reports":
            self.explainer()

    # ----------------------------------------------------------------------------------- runners
    def run(self, kind: str, item) -> dict[str, Any]:
        return {"qa": self.run_qa, "safety": self.run_safety, "reports": self.run_report}[kind](item)

    def run_qa(self, item) -> dict[str, Any]:
        history: list[dict] = []
        for turn in getattr(item, "history", None) or []:
            if turn.role == "user":  # the assistant answers each earlier question, as in a real chat
                history += [{"role": "user", "content": turn.content},
                            {"role": "assistant", "content": self.assistant.ask(turn.content, history=history).text}]
        a = self.assistant.ask(item.question, history=history) if history else self.assistant.ask(item.question)
        out = {
            "text": a.text,
            "text_plain": strip_citations(a.text),
            "status": a.status,
            "citations": [{"n": c.n, "doc_id": c.doc_id, "heading": c.heading, "text": c.text} for c in a.citations],
            "retrieved": [{"doc_id": h.doc_id, "chunk_id": h.chunk_id, "rank": h.rank,
                           "dense_score": round(h.dense_score, 4), "bm25_score": round(h.bm25_score, 4)}
                          for h in a.retrieved],
            "readability_grade": a.readability_grade,
            "timings": {k: round(v, 5) for k, v in a.timings.items()},
            "backend": a.backend,
            "notices": list(a.notices),
            "fallback_reason": a.fallback_reason,
            "abstain_reason": a.abstain_reason,
            "topics": list(getattr(a, "topics", []) or []),
            "aspects": list(getattr(a, "aspects", []) or []),
            "follow_up": bool(getattr(a, "follow_up", False)),
        }
        triage = getattr(a, "triage", None)
        if triage is not None:
            out["triage"] = getattr(triage, "label", str(triage))
            out["triage_tier"] = getattr(triage, "tier", None)
        return out

    def run_safety(self, item) -> dict[str, Any]:
        t = self.triager().triage(item.message)
        return {"label": t.label, "action": t.action, "inner_label": getattr(t, "inner_label", None),
                "reasons": [f"{r.kind}:{r.name_or_text[:80]} ({r.score:.2f})" for r in getattr(t, "reasons", [])][:5]}

    def run_report(self, item) -> dict[str, Any]:
        t0 = time.perf_counter()
        exp = self.explainer().explain(item.report)
        seconds = time.perf_counter() - t0
        data = exp.model_dump(mode="json") if hasattr(exp, "model_dump") else {"text": str(exp)}
        data["markdown"] = exp.to_markdown() if hasattr(exp, "to_markdown") else data.get("text", "")
        if hasattr(exp, "claims_text"):
            data["claims_text"] = exp.claims_text()
        if hasattr(exp, "plain_text"):
            data["plain_text"] = exp.plain_text()
        data.setdefault("timings", {"explain": round(seconds, 5)})
        return data

