"""Errors that tell the user what went wrong and exactly how to fix it."""

from __future__ import annotations


class DermassistError(Exception):
    """Base error. ``fix`` says what the user should do next."""

    def __init__(self, message: str, fix: str = "") -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message}\nHow to fix: {fix}" if fix else message)


class ConfigError(DermassistError):
    """A setting, backend name or config file is wrong."""


class KnowledgeBaseError(DermassistError):
    """A knowledge-base file is invalid."""


class IndexNotReadyError(DermassistError):
    """The search index is missing, stale, mismatched or corrupted."""

    def __init__(self, message: str, fix: str = "Run `dermassist index` (or `make index`) to rebuild it.") -> None:
        super().__init__(message, fix)


class InputError(DermassistError):
    """User input cannot be processed as given."""


class BackendError(DermassistError):
    """An LLM backend failed (unreachable, timeout, bad output)."""


class MissingDependencyError(DermassistError, ImportError):
    """An optional dependency is not installed."""

    def __init__(self, package: str, feature: str) -> None:
        DermassistError.__init__(
            self, f"{feature} needs the Python package '{package}', which is not installed.",
            f"pip install '{package}'",
        )
