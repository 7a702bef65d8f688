"""Staff sessions end on their own: a login is good for ``DERMASSIST_SESSION_HOURS`` hours (8 by default).

gradio keeps its logins in memory (``App.tokens``: token -> user) with no expiry. This ASGI middleware around
the staff app notes when each token was issued (from the login response's cookie) and, on any later request
with a token older than the limit, removes the token, so gradio answers as for a visitor who is not logged in
(the login page; 401 for the API). A restart of the server ends every session as before.
"""

from __future__ import annotations

import os
import threading
import time
from http.cookies import SimpleCookie
from typing import Callable

from assistant.errors import ConfigError

ENV_VAR = "DERMASSIST_SESSION_HOURS"
DEFAULT_HOURS = 8.0
COOKIE_PREFIX = "access-token-"


def session_hours(value: str | None = None) -> float:
    """Hours a staff login lasts: ``value`` or DERMASSIST_SESSION_HOURS, else 8."""
    raw = value if value is not None else os.environ.get(ENV_VAR)
    if raw is None or not str(raw).strip():
        return DEFAULT_HOURS
    try:
        hours = float(raw)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 24 * 30:
        raise ConfigError(f"{ENV_VAR}={raw!r} is not a number of hours between 0 and 720.",
                          f"Set {ENV_VAR} to how long a staff login lasts, e.g. 8 (or unset it for 8 hours).")
    return hours


def _tokens_in(headers: list[tuple[bytes, bytes]], name: bytes) -> list[str]:
    """Values of the gradio login cookies in the ``Cookie`` (name=b"cookie") or ``Set-Cookie`` headers."""
    found = []
    for key, value in headers:
        if key.lower() != name:
            continue
        jar = SimpleCookie()
        try:
            jar.load(value.decode("latin-1"))
        except Exception:  # a malformed cookie header: nothing to read
            continue
        found += [m.value for k, m in jar.items() if k.startswith(COOKIE_PREFIX) and m.value]
    return found


class ExpireSessions:
    """ASGI middleware for requests under ``prefix``: logins older than ``max_age_s`` are logged out."""

    def __init__(self, app, prefix: str, tokens: Callable[[], dict], max_age_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")
        self.tokens = tokens
        self.max_age_s = max_age_s
        self.clock = clock
        self.issued: dict[str, float] = {}
        self.lock = threading.Lock()

    def _check(self, scope) -> None:
        live = self.tokens()
        now = self.clock()
        for token in _tokens_in(scope.get("headers") or [], b"cookie"):
            with self.lock:
                issued = self.issued.setdefault(token, now)  # a token from before a restart of this check
                if now - issued > self.max_age_s:
                    live.pop(token, None)
                    self.issued.pop(token, None)
        with self.lock:  # forget tokens gradio no longer knows (logged out)
            for token in [t for t in self.issued if t not in live]:
                self.issued.pop(token, None)

    async def __call__(self, scope, receive, send):
        path = scope.get("path") or ""
        if scope.get("type") not in ("http", "websocket") or not (path == self.prefix
                                                                  or path.startswith(self.prefix + "/")):
            return await self.app(scope, receive, send)
        self._check(scope)

        async def note_login(message):
            if message["type"] == "http.response.start":
                for token in _tokens_in(message.get("headers") or [], b"set-cookie"):
                    with self.lock:
                        self.issued[token] = self.clock()
            await send(message)

        await self.app(scope, receive, note_login)
