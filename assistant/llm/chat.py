"""Shared base for LLM chat backends: messages from the prompt templates, citations parsed from the reply.

Backends implement ``chat_stream(messages, usage)``, yielding text pieces and filling ``usage`` with token
counts when the backend reports them. Their output is unverified: ``get_generator`` wraps every
``ChatGenerator`` in the faithfulness guard (``guarded.GuardedGenerator``) unless asked not to.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Iterator

from ..prompts import build_messages
from ..text.citations import cited_set
from .base import Generation, GenerationRequest, Generator




def cited_numbers(text: str) -> list[int]:
    """Passage numbers cited as [n] or [n, m] in the text, sorted and unique."""
    return cited_set(text)


class ChatGenerator(Generator):
    """An LLM behind a chat API. Greedy (temperature 0) unless configured otherwise."""

    guarded = True

    def __init__(self, max_tokens: int = 256, temperature: float = 0.0) -> None:
        self.max_tokens = max_tokens
        self.temperature = temperature

    @abstractmethod
    def chat_stream(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        """Yield the reply in pieces; put prompt_tokens / completion_tokens into ``usage`` if known."""

    def generate(self, request: GenerationRequest) -> Generation:
        usage: dict[str, int] = {}
        text = "".join(self.chat_stream(build_messages(request), usage)).strip()
        return Generation(text=text, cited=cited_numbers(text), backend=self.name, **usage)

    def stream(self, request: GenerationRequest, usage: dict[str, int] | None = None) -> Iterator[str]:
        """The reply in pieces; token counts go into ``usage`` when given."""
        yield from self.chat_stream(build_messages(request), {} if usage is None else usage)
