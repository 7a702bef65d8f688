"""Errors that tell the user what went wrong and exactly how to fix it."""

from __future__ import annotations


class DermassistError(Exception):
    """Base error. ``fix`` says what the user should do next; ``web_fix`` says it for a web-page user where the
    command-line words would not fit (it defaults to ``fix``)."""

    def __init__(self, message: str, fix: str = "", web_fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        self.web_fix = web_fix or fix
        super().__init__(f"{message}\nHow to fix: {fix}" if fix else message)


class ConfigError(DermassistError):
    """A setting, backend name or config file is wrong."""


class KnowledgeBaseError(DermassistError):
    """A knowledge-base file is invalid."""


class IndexNotReadyError(DermassistError):
    """The search index is missing, stale, mismatched or corrupted."""

    def __init__(self, message: str, fix: str = "Run `dermassist index` (or `make index`) to rebuild it.") -> None:
        super().__init__(message, fix, "Ask the administrator of this site to rebuild the search index.")


class InputError(DermassistError):
    """User input cannot be processed as given."""


class BackendError(DermassistError):
    """An LLM backend failed (unreachable, timeout, bad output)."""


class MissingDependencyError(DermassistError, ImportError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, feature: str) -> None:
        DermassistError.__init__(
            self, f"{feature} needs the Python package '{package}', which is not installed.",
            f"pip install '{package}'", f"Ask the administrator of this site to install '{package}'.",
        )
