"""A scripted generator for tests: ``enqueue()`` replies, inspect ``history``."""

from __future__ import annotations


from ..text.citations import cited_set
from .base import Generation, GenerationRequest, Generator


class ScriptedGenerator(Generator):
    name = "fake"

    def __init__(self, replies: list[str] | None = None, default: str = "This is a scripted answer [1].") -> None:
        self.replies = list(replies or [])
        self.default = default
        self.history: list[GenerationRequest] = []

    @classmethod
    def from_settings(cls, settings, embedder=None, **kwargs) -> "ScriptedGenerator":
        return cls(**kwargs)  # a scripted reply needs no embedder

    def enqueue(self, *replies: str) -> "ScriptedGenerator":
        self.replies.extend(replies)
        return self

    def generate(self, request: GenerationRequest) -> Generation:
        self.history.append(request)
        text = self.replies.pop(0) if self.replies else self.default
        if isinstance(text, BaseException):
            raise text
        cited = cited_set(text)
        return Generation(text=text, cited=cited, backend=self.name)
