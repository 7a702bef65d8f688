"""Types shared by retrieval, planning, abstention and the generators (no heavy imports)."""

from __future__ import annotations

from pydantic import BaseModel


class Hit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    heading: str
    text: str
    dense_score: float
    bm25_score: float
    score: float
    rank: int
    planned: bool = False  # placed by the answer plan: the question's topic document, a section for an asked aspect


class SearchResult(BaseModel):
    query: str
    expanded_query: str
    hits: list[Hit]
    abstain: bool
    reason: str = ""
    abstain_rule: str = ""  # which abstention rule fired (assistant.abstention)
    abstain_words: list[str] = []  # the question's words the knowledge base does not cover
    suggestions: list[str] = []  # when abstaining: titles of documents about what the question names
    seconds: float = 0.0
