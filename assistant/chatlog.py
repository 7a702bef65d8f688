"""De-identified chat and feedback log: JSON Lines under ``settings.home / "logs"``.

Only de-identified text is ever written: every question, answer and comment goes through
``phi.redact`` first, and a residual check (``phi.contains_phi``) withholds any text that still looks
personal. Raw user text is never stored, and neither is the triage's cleaned question. Records carry
an id (for linking feedback to an answer), a UTC time, the status, backend, triage label and the names
of the rules/exemplars that fired, and the cited document ids.

    log = ChatLog(settings)
    rec = log.log_exchange(question, answer)                # -> ExchangeRecord (rec.id)
    log.log_feedback(rating="down", comment="...", question=question, answer=answer.text, exchange_id=rec.id)
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from .config import Settings
from .errors import InputError

CHAT_FILE = "chat.jsonl"
FEEDBACK_FILE = "feedback.jsonl"
MAX_TEXT_CHARS = 4000
MAX_COMMENT_CHARS = 2000
WITHHELD = "[withheld: it may still contain personal details]"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t \n \r: the de-identifier reads lines


def deidentify(text: Any, max_chars: int = MAX_TEXT_CHARS) -> tuple[str, dict[str, int]]:
    """Redacted text (placeholders such as [NAME], [PHONE]) and how many items of each kind were removed."""
    from .phi import contains_phi, redact

    if text is None:
        return "", {}
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str):
        text = str(text)
    red = redact(_CONTROL.sub(" ", text)[: max_chars * 2])
    out = re.sub(r"\s+", " ", red.text).strip()[:max_chars]  # one line per record, after redaction
    if contains_phi(out):  # belt and braces: never write something the de-identifier still flags
        return WITHHELD, red.counts()
    return out, red.counts()


_SEPARATOR = "\n\n\u241e\n\n"  # joins a record's fields so a name found in one is removed from all


def deidentify_together(*texts: Any, limits: tuple[int, ...] = ()) -> tuple[list[str], dict[str, int]]:
    """De-identify several fields of one record in a single pass (phi.redact removes a name it found once
    wherever it appears again, so "Patient: Jane Roe" in a question also clears "Jane" in the comment)."""
    from .phi import contains_phi, redact

    cleaned = []
    for i, t in enumerate(texts):
        limit = limits[i] if i < len(limits) else MAX_TEXT_CHARS
        if isinstance(t, bytes):
            t = t.decode("utf-8", errors="replace")
        t = "" if t is None else t if isinstance(t, str) else str(t)
        cleaned.append(_CONTROL.sub(" ", t.replace("\u241e", " ")).strip()[: limit * 2])
    red = redact(_SEPARATOR.join(cleaned))
    parts = red.text.split(_SEPARATOR)
    limits = (*limits, *[MAX_TEXT_CHARS] * len(cleaned))
    if len(parts) != len(cleaned):  # the separator did not survive: fall back to one field at a time
        results = [deidentify(t, lim) for t, lim in zip(cleaned, limits)]
        return [r[0] for r in results], _merge_counts(*(r[1] for r in results))
    parts = [re.sub(r"\s+", " ", p).strip()[:lim] for p, lim in zip(parts, limits)]
    return [WITHHELD if contains_phi(p) else p for p in parts], red.counts()


class ExchangeRecord(BaseModel):
    kind: Literal["exchange"] = "exchange"
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    time: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    question: str
    answer: str
    status: str = ""
    backend: str = ""
    triage: str | None = None
    triage_reasons: list[str] = Field(default_factory=list)
    doc_ids: list[str] = Field(default_factory=list)
    phi_removed: dict[str, int] = Field(default_factory=dict)


class FeedbackRecord(BaseModel):
    kind: Literal["feedback"] = "feedback"
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    time: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    exchange_id: str | None = None
    rating: Literal["up", "down"]
    comment: str = ""
    question: str = ""
    answer: str = ""
    status: str = ""
    backend: str = ""
    triage: str | None = None
    doc_ids: list[str] = Field(default_factory=list)
    phi_removed: dict[str, int] = Field(default_factory=dict)


def _merge_counts(*counts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in counts:
        for k, v in c.items():
            out[k] = out.get(k, 0) + v
    return out


class ChatLog:
    """Append-only JSONL files, one record per line; safe to share between the app's worker threads."""

    def __init__(self, settings: Settings) -> None:
        self.folder = Path(settings.home) / "logs"
        self._lock = threading.Lock()

    @property
    def chat_path(self) -> Path:
        return self.folder / CHAT_FILE

    @property
    def feedback_path(self) -> Path:
        return self.folder / FEEDBACK_FILE

    def log_exchange(self, question: str, answer: Any) -> ExchangeRecord:
        """Record a question and its Answer (de-identified). ``answer`` is an Answer or anything with ``.text``."""
        (q, a), counts = deidentify_together(question, getattr(answer, "text", answer))
        triage = getattr(answer, "triage", None)
        rec = ExchangeRecord(
            question=q, answer=a, status=str(getattr(answer, "status", "") or ""),
            backend=str(getattr(answer, "backend", "") or ""), triage=getattr(triage, "label", None),
            triage_reasons=[f"{r.kind}:{r.name_or_text}" for r in getattr(triage, "reasons", None) or []],
            doc_ids=[c.doc_id for c in getattr(answer, "citations", None) or []],
            phi_removed=counts)
        self._append(self.chat_path, rec)
        return rec

    def log_feedback(self, *, rating: str, comment: str | None = "", question: str | None = "",
                     answer: str | None = "", exchange_id: str | None = None, status: str | None = "",
                     backend: str | None = "", triage: str | None = None, doc_ids: list[str] | None = None,
                     **_ignored: Any) -> FeedbackRecord:
        """Record a rating ("up"/"down") with an optional comment; every text field is de-identified."""
        if rating not in ("up", "down"):
            raise InputError(f"Unknown rating {str(rating)[:20]!r}.", 'Use "up" (helpful) or "down" (not helpful).')
        if exchange_id is not None and not re.fullmatch(r"[0-9a-f]{32}", str(exchange_id)):
            raise InputError("The feedback refers to an unknown answer id.", "Rate an answer shown in this session.")
        (c, q, a), counts = deidentify_together(comment, question, answer, limits=(MAX_COMMENT_CHARS,))
        rec = FeedbackRecord(rating=rating, comment=c, question=q, answer=a, exchange_id=exchange_id,
                             status=str(status or "")[:40], backend=str(backend or "")[:80],
                             triage=str(triage)[:40] if triage else None,
                             doc_ids=[str(d)[:120] for d in (doc_ids or [])][:20],
                             phi_removed=counts)
        self._append(self.feedback_path, rec)
        return rec

    def _append(self, path: Path, record: BaseModel) -> None:
        line = json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n"
        with self._lock:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as f:
                f.write(line)

    def read(self, which: Literal["chat", "feedback"] = "chat") -> list[dict]:
        """All records of one file (for tests and audits); a missing file is an empty log."""
        path = self.chat_path if which == "chat" else self.feedback_path
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
