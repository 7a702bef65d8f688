"""Any LangChain chat model (``BaseChatModel``), given as an import path plus keyword arguments.

Settings: ``langchain_model = "langchain_openai:ChatOpenAI"`` and ``langchain_kwargs = {model = "...",
base_url = "..."}``, so a chat model already configured for LangChain is reused as it is.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Iterator

from ..errors import BackendError, ConfigError
from .chat import ChatGenerator

PATH_FIX = "Set langchain_model to 'package.module:ChatModelClass', e.g. 'langchain_openai:ChatOpenAI'."


def import_chat_model(path: str, kwargs: dict[str, Any] | None = None):
    """Import ``package.module:Class`` (or ``package.module.Class``) and build it with ``kwargs``."""
    from langchain_core.language_models.chat_models import BaseChatModel

    module_name, _, cls_name = path.partition(":") if ":" in path else path.rpartition(".")
    if not module_name or not cls_name:
        raise ConfigError(f"'{path}' is not an import path.", PATH_FIX)
    try:
        cls = getattr(import_module(module_name), cls_name)
    except ImportError as e:
        raise ConfigError(f"Cannot import {module_name}: {e}", f"pip install the package that provides it. "
                          f"{PATH_FIX}") from None
    except AttributeError:
        raise ConfigError(f"{module_name} has no attribute {cls_name}.", PATH_FIX) from None
    if not (isinstance(cls, type) and issubclass(cls, BaseChatModel)):
        raise ConfigError(f"{path} is not a LangChain chat model (BaseChatModel subclass).", PATH_FIX)
    try:
        return cls(**(kwargs or {}))
    except Exception as e:  # pydantic validation of the model's own settings
        raise ConfigError(f"Could not build {path}: {e}", "Fix langchain_kwargs for this chat model.") from None


class LangChainGenerator(ChatGenerator):
    name = "langchain"

    def __init__(self, chat_model=None, *, model_path: str | None = None, model_kwargs: dict | None = None,
                 max_tokens: int = 256, temperature: float = 0.0) -> None:
        super().__init__(max_tokens=max_tokens, temperature=temperature)
        if chat_model is None:
            if not model_path:
                raise ConfigError("The 'langchain' backend needs a chat model.", PATH_FIX)
            chat_model = import_chat_model(model_path, model_kwargs)
        self.chat_model = chat_model

    @classmethod
    def from_settings(cls, settings, chat_model=None, **kwargs) -> "LangChainGenerator":
        return cls(chat_model, model_path=settings.langchain_model, model_kwargs=settings.langchain_kwargs,
                   max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature)

    def chat_stream(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        from langchain_core.messages import HumanMessage, SystemMessage

        lc_messages = [SystemMessage(m["content"]) if m["role"] == "system" else HumanMessage(m["content"])
                       for m in messages]
        try:
            for chunk in self.chat_model.stream(lc_messages):
                text = chunk.content if isinstance(chunk.content, str) else "".join(
                    p.get("text", "") if isinstance(p, dict) else str(p) for p in chunk.content)
                meta = getattr(chunk, "usage_metadata", None) or {}
                if meta:
                    usage["prompt_tokens"] = meta.get("input_tokens")
                    usage["completion_tokens"] = meta.get("output_tokens")
                if text:
                    yield text
        except BackendError:
            raise
        except Exception as e:  # any provider error becomes a BackendError (the guard falls back)
            raise BackendError(f"The LangChain chat model {type(self.chat_model).__name__} failed: {e}",
                               "Check the chat model's settings and that its service is reachable.") from None
