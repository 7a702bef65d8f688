"""A circuit breaker per LLM endpoint, so a dead server fails fast instead of stalling every request.

closed -> (``failures`` failures in a row) -> open: calls fail at once for ``cooldown`` seconds ->
half-open: one trial call; success closes the breaker, failure opens it again.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from ..errors import BackendError


class CircuitOpenError(BackendError):
    """The endpoint failed repeatedly and is not being called for a while."""


class CircuitBreaker:
    def __init__(self, name: str, failures: int = 3, cooldown: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self.failures = failures
        self.cooldown = cooldown
        self.clock = clock
        self.consecutive_failures = 0
        self.opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half-open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def before_call(self) -> None:
        """Raise CircuitOpenError while open; let one trial call through once the cooldown has passed."""
        with self._lock:
            state = self.state
            if state == "closed":
                return
            if state == "half-open" and not self._trial_running:
                self._trial_running = True
                return
            wait = max(0.0, self.opened_at + self.cooldown - self.clock()) if self.opened_at is not None else 0.0
            raise CircuitOpenError(
                f"The LLM server at {self.name} failed {self.consecutive_failures} times in a row, so it is not "
                f"being called for the next {wait:.0f} s.",
                "Check that the server is running and reachable (its /health or /v1/models URL), then retry.")

    def record_success(self) -> None:
        with self._lock:
            self.consecutive_failures = 0
            self.opened_at = None
            self._trial_running = False

    def release(self) -> None:
        """The call ended without a verdict (the caller stopped reading): let another trial through."""
        with self._lock:
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self.consecutive_failures += 1
            if self._trial_running or self.consecutive_failures >= self.failures:
                self.opened_at = self.clock()
            self._trial_running = False


_BREAKERS: dict[tuple[str, int, float], CircuitBreaker] = {}
_REGISTRY_LOCK = threading.Lock()


def breaker_for(endpoint: str, failures: int = 3, cooldown: float = 30.0) -> CircuitBreaker:
    """The process-wide breaker for an endpoint (shared by every generator that talks to it)."""
    with _REGISTRY_LOCK:
        key = (endpoint, failures, cooldown)
        if key not in _BREAKERS:
            _BREAKERS[key] = CircuitBreaker(endpoint, failures, cooldown)
        return _BREAKERS[key]
