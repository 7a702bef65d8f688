"""The record kept for every evaluated item (one line of results.jsonl)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ItemResult(BaseModel):
    dataset: str
    kind: str
    id: str
    input: dict[str, Any]
    output: dict[str, Any] | None = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.output is not None


def qa_items(results: list[ItemResult]) -> list[ItemResult]:
    return [r for r in results if r.kind == "qa" and r.ok]


def answered(r: ItemResult) -> bool:
    return bool(r.output) and r.output.get("status") == "answered"
