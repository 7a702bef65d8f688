"""The Generator interface: ``generate`` is the one abstract method; ``stream`` has a default."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Iterator, Literal

from pydantic import BaseModel, Field

from ..types import Hit

# a sentence ends at . ! ? before a capital, a digit, a quote or bracket, or a stage code that starts in lower case
# ("... 0.6 mm. pT1a ...")
# No split after a title, a common abbreviation or an initial ("Dr. Smith", "e.g. this", "J. K. Rowe").
_NO_SPLIT_AFTER = "".join(rf"(?<!\b{a})" for a in (r"Dr\.", r"Mr\.", r"Mrs\.", r"Ms\.", r"Prof\.", r"St\.", r"e\.g\.",
                                                   r"i\.e\.", r"vs\.", r"approx\.", r"cf\.", r"Fig\.", r"No\.",
                                                   r"[A-Z]\."))
_SENTENCE_END = re.compile(r"(?<=[.!?])" + _NO_SPLIT_AFTER + r"\s+(?=[A-Z0-9\"'(\[]|(?:y|r)?p[TNM](?:is|[0-4X]))")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; each Markdown bullet or line is its own sentence."""
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line).strip()
        if line:
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


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
