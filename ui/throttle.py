"""Throttle failed staff logins, per client address and per user name (an ASGI middleware around /staff/login).

After ``FREE_FAILURES`` failed logins within ``WINDOW_S`` seconds from one address or for one user name, the
next attempts are refused with HTTP 429 and a plain message saying how long to wait; the wait doubles with
every further failure, up to ``MAX_WAIT_S``. A successful login clears the counts for that address and user.
The counts live in memory only (a restart clears them) and nothing is logged but the address being locked.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

log = logging.getLogger("dermassist.ui")

FREE_FAILURES = 5
WINDOW_S = 15 * 60
FIRST_WAIT_S = 30.0
MAX_WAIT_S = 15 * 60.0


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self.records: dict[str, _Record] = {}

    def wait_s(self, keys: list[str]) -> float:
        """Seconds the caller must still wait (0 when a login may be tried)."""
        now = self.clock()
        with self.lock:
            return max([0.0] + [self.records[k].locked_until - now for k in keys if k in self.records])

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        with self.lock:
            for k in keys:
                rec = self.records.setdefault(k, _Record())
                rec.failures = [t for t in rec.failures if now - t < WINDOW_S] + [now]
                extra = len(rec.failures) - FREE_FAILURES
                if extra >= 0:
                    rec.locked_until = now + min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** extra)
                    if extra == 0 and k.startswith("ip:"):
                        log.warning("staff login locked for %s after %d failed attempts", k[3:], FREE_FAILURES)

    def succeeded(self, keys: list[str]) -> None:
        with self.lock:
            for k in keys:
                self.records.pop(k, None)


def _keys(scope, body: bytes) -> list[str]:
    client = scope.get("client") or ("unknown", 0)
    keys = [f"ip:{client[0]}"]
    try:
        form = parse_qs(body.decode("utf-8", "replace"))
        user = (form.get("username") or [""])[0].strip().lower()
    except Exception:  # a malformed body: the address alone counts
        user = ""
    if user:
        keys.append(f"user:{user[:200]}")
    return keys


class ThrottleLogins:
    """ASGI middleware: wraps POST requests to ``path`` (the mounted app's /login)."""

    def __init__(self, app, path: str, throttle: LoginThrottle | None = None) -> None:
        self.app = app
        self.path = path
        self.throttle = throttle or LoginThrottle()

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http" or scope.get("method") != "POST" or scope.get("path") != self.path:
            return await self.app(scope, receive, send)
        chunks, more = [], True
        while more:  # read the whole (small) form body, then replay it to the app
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)[:20_000]
        keys = _keys(scope, body)
        wait = self.throttle.wait_s(keys)
        if wait > 0:
            minutes = int(wait // 60)
            text = f"{minutes} min {int(wait % 60)} s" if minutes else f"{int(wait) + 1} s"
            payload = json.dumps({"detail": f"Too many failed logins. Please wait {text} and try again."}).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", str(int(wait) + 1).encode())]})
            await send({"type": "http.response.body", "body": payload})
            return
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        if status.get("code") == 200:
            self.throttle.succeeded(keys)
        elif status.get("code") in (400, 401, 403):
            self.throttle.failed(keys)
