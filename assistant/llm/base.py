"""The Generator interface: ``generate`` is the one abstract method; ``stream`` has a default."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Iterator, Literal

from pydantic import BaseModel, Field

from ..types import Hit

from ..text.sentences import split_sentences  # noqa: F401  (re-exported: the answer backends use it)


class GenerationRequest(BaseModel):
    question: str
    passages: list[Hit]
    task: Literal["answer", "report", "simplify"] = "answer"
    max_words: int = 160
    aspects: list[str] = Field(default_factory=list, description="what the question asks (assistant.query); "
                                                                 "empty: the generator works it out")


class Generation(BaseModel):
    text: str
    cited: list[int] = Field(default_factory=list, description="1-based passage numbers cited in the text")
    backend: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    fallback_reason: str | None = Field(default=None, description="why an LLM answer was replaced by grounded text")
    notices: list[str] = Field(default_factory=list, description="messages the user should see with the answer")
    timings: dict[str, float] = Field(default_factory=dict)


class Generator(ABC):
    name: str = "generator"

    @classmethod
    def from_settings(cls, settings, **kwargs) -> "Generator":
        return cls(**kwargs)

    def warm_up(self) -> None:
        """Load heavy resources now rather than on the first request."""

    @abstractmethod
    def generate(self, request: GenerationRequest) -> Generation:
        """Write an answer for the request from its passages."""

    def stream(self, request: GenerationRequest) -> Iterator[str]:
        """Yield the answer sentence by sentence (backends with token streaming override this)."""
        for sentence in split_sentences(self.generate(request).text):
            yield sentence + " "
