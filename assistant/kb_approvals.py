"""Clinician approval of the word tables in ``knowledge_base/lexicon/``: a record (``lexicon/approvals.json``) of
who approved which table, when, and the sha256 of the file they approved. Editing a table voids its approval, as
editing a document voids the document's (``dermassist kb review lexicon/<file>.yaml --reviewer ...`` records one;
``kb stats`` shows each table's state; ``kb check`` reports approvals that no longer match their file)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from .kb_lexicons import LEXICON_DIR

APPROVALS_FILE = "approvals.json"


def table_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_approvals(kb_path: Path) -> dict[str, dict]:
    """file name -> {reviewer, date, sha256}; {} when nothing was approved yet. Raises ValueError if the record
    cannot be read."""
    path = Path(kb_path) / LEXICON_DIR / APPROVALS_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) and {"reviewer", "date", "sha256"} <= set(v)
                                             for v in data.values()):
        raise ValueError("each entry needs reviewer, date and sha256")
    return data


def review_state(kb_path: Path, file_name: str, approvals: dict[str, dict], sha256: str | None = None) -> str:
    """clinician-approved, approval-stale (the table changed since) or draft. ``sha256``: the table's hash when
    the caller has it already (otherwise the file is read)."""
    entry = approvals.get(file_name)
    if not entry:
        return "draft"
    path = Path(kb_path) / LEXICON_DIR / file_name
    if sha256 is None:
        sha256 = table_sha256(path) if path.is_file() else None
    return "clinician-approved" if sha256 == entry["sha256"] else "approval-stale"


def record_approval(kb_path: Path, file_name: str, reviewer: str, today: dt.date | None = None) -> dict:
    """Add or replace the approval of one table; returns the entry written."""
    from .errors import KnowledgeBaseError

    path = Path(kb_path) / LEXICON_DIR / file_name
    if not reviewer.strip():
        raise KnowledgeBaseError("The reviewer name is empty.", 'Pass --reviewer "Name, credentials".')
    if path.suffix != ".yaml" or not path.is_file():
        raise KnowledgeBaseError(f"No word table {LEXICON_DIR}/{file_name}.",
                                 "Run `dermassist kb stats` to list the word tables.")
    try:
        approvals = load_approvals(kb_path)
    except (ValueError, UnicodeDecodeError) as e:
        raise KnowledgeBaseError(f"The approval record cannot be read ({e}).",
                                 f"Restore knowledge_base/{LEXICON_DIR}/{APPROVALS_FILE} from the repository.") from None
    entry = {"reviewer": reviewer.strip(), "date": (today or dt.date.today()).isoformat(), "sha256": table_sha256(path)}
    approvals[file_name] = entry
    (path.parent / APPROVALS_FILE).write_text(json.dumps(approvals, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return entry


def approval_problems(kb_path: Path) -> list[tuple[str, str, str, str]]:
    """(path, field, message, fix) for an unreadable record and for approvals that no longer match their table."""
    record = Path(kb_path) / LEXICON_DIR / APPROVALS_FILE
    try:
        approvals = load_approvals(kb_path)
    except (ValueError, UnicodeDecodeError) as e:
        return [(str(record), "(file)", f"cannot be read: {e}", "restore it from the repository")]
    out = []
    for name in sorted(approvals):
        state = review_state(kb_path, name, approvals)
        if state == "approval-stale":
            out.append((str(record), name, "the table changed after it was approved (or is gone)",
                        f"re-review with `dermassist kb review {LEXICON_DIR}/{name} --reviewer ...`"))
    return out
