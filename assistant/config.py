"""One Settings object, built once (``load_settings``) and passed down. No globals."""

from __future__ import annotations

import contextvars
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .errors import ConfigError

_FILE_VALUES: contextvars.ContextVar[dict[str, Any]] = contextvars.ContextVar("_file_values", default={})


def default_kb_path() -> Path:
    """The knowledge base next to the checkout, or the copy shipped inside the wheel."""
    checkout = Path(__file__).resolve().parents[1] / "knowledge_base"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "kb_data"


class _FileSource(PydanticBaseSettingsSource):
    """Values read from the TOML config file (lowest priority after defaults)."""

    def get_field_value(self, field, field_name):  # pragma: no cover - unused by __call__
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_FILE_VALUES.get())


class Settings(BaseSettings):
    """All dermassist settings. Env vars use the prefix ``DERMASSIST_`` (e.g. DERMASSIST_TOP_K=8)."""

    model_config = SettingsConfigDict(env_prefix="DERMASSIST_", extra="forbid", validate_assignment=True)

    kb_path: Path = Field(default_factory=default_kb_path, description="knowledge-base folder")
    home: Path = Field(default=Path(".dermassist"), description="index, feedback and run outputs")
    embedder: str = Field(default="minilm", description="embedder name: minilm | fake")
    backend: str = Field(default="grounded", description="answer generator name")
    index_type: Literal["flat", "hnsw"] = "flat"
    chunk_size: int = Field(default=900, ge=200, le=4000)
    chunk_overlap: int = Field(default=120, ge=0, le=1000)
    top_k: int = Field(default=5, ge=1, le=50)
    min_dense_score: float = Field(default=0.32, ge=-1, le=1, description="abstain below this cosine")
    min_lexical_hits: int = Field(default=1, ge=0, description="abstain if fewer query words match the best passage")
    unknown_word_min_dense: float = Field(default=0.47, ge=-1, le=1, description=(
        "abstain below this cosine when the question has a word the knowledge base never uses"))
    unanchored_unknown_word_min_dense: float = Field(default=0.65, ge=-1, le=1, description=(
        "the same, when the question names no condition, medicine or term the knowledge base covers"))
    unanchored_min_dense: float = Field(default=0.55, ge=-1, le=1, description=(
        "abstain below this cosine when the question names no condition, medicine or term the knowledge base covers"))
    rare_word_min_dense: float = Field(default=0.50, ge=-1, le=1, description=(
        "abstain below this cosine when a rare knowledge-base word of the question is in no retrieved passage"))
    defined_only_min_dense: float = Field(default=0.60, ge=-1, le=1, description=(
        "abstain below this cosine (best non-glossary passage) when the question asks how to treat, how long, "
        "why... about something only the glossary defines"))
    rare_word_max_docs: int = Field(default=3, ge=0, description="a word in this many documents or fewer is rare")
    answer_max_words: int = Field(default=200, ge=30, le=600)
    max_question_chars: int = Field(default=2000, ge=50)
    require_approved: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=0, le=65535)
    # LLM backends (used by non-grounded generators)
    model: str | None = None
    gguf_file: str | None = None
    base_url: str | None = None
    request_timeout: float = Field(default=30.0, gt=0)
    llm_device: str = Field(default="auto", description="transformers backend: auto (CUDA if present) | cpu | cuda")
    llm_max_tokens: int = Field(default=256, ge=1, le=4096, description="new tokens per LLM reply")
    llm_temperature: float = Field(default=0.0, ge=0, le=2, description="0 = greedy")
    llm_retries: int = Field(default=2, ge=0, le=10, description="openai backend: retries on connect errors/5xx")
    llm_breaker_failures: int = Field(default=3, ge=1, description="failures in a row that open the breaker")
    llm_breaker_cooldown: float = Field(default=30.0, ge=0, description="seconds a dead server is not called")
    langchain_model: str | None = Field(default=None, description="'package.module:ChatModelClass'")
    langchain_kwargs: dict[str, Any] = Field(default_factory=dict, description="keyword arguments for it")
    guard_max_removed_share: float = Field(default=0.5, ge=0, le=1,
                                           description="fall back to grounded if more LLM sentences are removed")

    @field_validator("chunk_overlap")
    @classmethod
    def _overlap_below_size(cls, v: int, info) -> int:
        size = info.data.get("chunk_size", 900)
        if v >= size:
            raise ValueError(f"chunk_overlap ({v}) must be smaller than chunk_size ({size})")
        return v

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return init_settings, env_settings, _FileSource(settings_cls)

    @property
    def index_dir(self) -> Path:
        return self.home / "index"


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings: explicit overrides > DERMASSIST_* env vars > TOML file > defaults.

    The TOML file is ``config_file`` or the path in DERMASSIST_CONFIG. ``None`` overrides are ignored.
    """
    path = config_file or os.environ.get("DERMASSIST_CONFIG")
    values: dict[str, Any] = {}
    if path:
        p = Path(path)
        try:
            values = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"Config file {p} does not exist.", "Check the path, or unset DERMASSIST_CONFIG.")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"Config file {p} is not valid TOML: {e}", "Fix the file; see README 'Settings'.")
        values = values.get("dermassist", values)
    token = _FILE_VALUES.set(values)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as e:
        problems = "; ".join(f"{'.'.join(map(str, err['loc'])) or '?'}: {err['msg']}" for err in e.errors())
        known = ", ".join(Settings.model_fields)
        raise ConfigError(f"Invalid settings: {problems}", f"Known settings are: {known}.") from None
    finally:
        _FILE_VALUES.reset(token)
