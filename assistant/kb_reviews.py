"""Fact-check logs: knowledge_base/reviews/<doc-id>.yaml records each checked claim of one document.

A log is written by someone who did not write the document. Each claim names the source it was checked
against and the result. The logs are an audit trail, not an approval: no log makes a document
clinician-approved (that is `dermassist kb review`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .knowledge import Problem

Result = Literal["correct", "corrected", "removed", "unverified"]
REVIEWS_DIR = "reviews"


class CheckedClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim: str = Field(min_length=5)
    source: str = Field(min_length=5)
    result: Result
    note: str | None = None


class LaterCheck(BaseModel):
    """A later fact check of part of the document (a section added or changed since the first check), by someone
    who did not write that part."""
    model_config = ConfigDict(extra="forbid")
    reviewer: str = Field(min_length=3)
    date: dt.date
    scope: str = Field(min_length=3)
    claims: list[CheckedClaim] = Field(min_length=1)


class ReviewLog(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: str
    reviewer: str = Field(min_length=3)
    date: dt.date
    scope: str | None = None
    claims: list[CheckedClaim] = Field(min_length=1)
    later_checks: list[LaterCheck] = Field(default_factory=list)

    @property
    def all_claims(self) -> list[CheckedClaim]:
        return [*self.claims, *(c for check in self.later_checks for c in check.claims)]

    @property
    def corrections(self) -> int:
        return sum(c.result in ("corrected", "removed") for c in self.all_claims)


def load_review_logs(kb_path: Path) -> tuple[dict[str, ReviewLog], list[Problem]]:
    """Every log under knowledge_base/reviews/, by document id, and a problem for each bad file."""
    import yaml

    logs, problems = {}, []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 57 logs in 0.03 s instead of 0.36 s
    folder = Path(kb_path) / REVIEWS_DIR
    for f in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            raw = yaml.load(f.read_text(encoding="utf-8"), Loader=loader)
            log = ReviewLog.model_validate(raw)
        except (yaml.YAMLError, ValidationError, TypeError) as err:
            first = str(err).splitlines()[0:3]
            problems.append(Problem(path=str(f), field="(review log)", message=" ".join(first)[:300],
                                    fix="follow the review-log format in knowledge_base/README.md"))
            continue
        if log.document != f.stem:
            problems.append(Problem(path=str(f), field="document", message=f"names '{log.document}'",
                                    fix="name the file after the document id it checks"))
            continue
        logs[log.document] = log
    return logs, problems


def review_log_problems(kb_path: Path, doc_ids: set[str]) -> list[Problem]:
    """Bad logs, and logs of documents that do not exist."""
    logs, problems = load_review_logs(kb_path)
    for doc_id in sorted(set(logs) - doc_ids):
        problems.append(Problem(path=str(Path(kb_path) / REVIEWS_DIR / f"{doc_id}.yaml"), field="document",
                                message=f"no document with id '{doc_id}'", fix="rename or remove the log"))
    return problems
