"""Answer generators by name. Unknown names raise an error listing the known ones.

LLM backends (``ChatGenerator`` subclasses) come wrapped in the faithfulness guard, which falls back to
the grounded answer; ``guard=False`` gives the raw backend (tests, benchmarks).
"""

from __future__ import annotations

from importlib import import_module

from ..config import Settings
from ..errors import ConfigError
from .base import Generation, GenerationRequest, Generator

GENERATORS = {
    "grounded": "assistant.llm.grounded:GroundedGenerator",
    "fake": "assistant.llm.fake:ScriptedGenerator",
    "transformers": "assistant.llm.transformers:TransformersGenerator",
    "openai": "assistant.llm.openai_compat:OpenAICompatGenerator",
    "langchain": "assistant.llm.langchain:LangChainGenerator",
}


def get_generator(name: str, settings: Settings, *, guard: bool = True, **kwargs) -> Generator:
    try:
        target = GENERATORS[name]
    except KeyError:
        raise ConfigError(f"Unknown backend '{name}'.", f"Use one of: {', '.join(GENERATORS)}.") from None
    module, cls = target.split(":")
    generator = getattr(import_module(module), cls).from_settings(settings, **kwargs)
    if guard and getattr(generator, "guarded", False):
        from .guarded import GuardedGenerator

        generator = GuardedGenerator.wrap(generator, settings, embedder=kwargs.get("embedder"))
    return generator


__all__ = ["GENERATORS", "Generation", "GenerationRequest", "Generator", "get_generator"]
