"""Answer generators by name. Unknown names raise an error listing the known ones."""

from __future__ import annotations

from importlib import import_module

from ..config import Settings
from ..errors import ConfigError
from .base import Generation, GenerationRequest, Generator

GENERATORS = {
    "grounded": "assistant.llm.grounded:GroundedGenerator",
    "fake": "assistant.llm.fake:ScriptedGenerator",
}


def get_generator(name: str, settings: Settings, **kwargs) -> Generator:
    try:
        target = GENERATORS[name]
    except KeyError:
        raise ConfigError(f"Unknown backend '{name}'.", f"Use one of: {', '.join(GENERATORS)}.") from None
    module, cls = target.split(":")
    return getattr(import_module(module), cls).from_settings(settings, **kwargs)


__all__ = ["GENERATORS", "Generation", "GenerationRequest", "Generator", "get_generator"]
