"""Optional login for the clinician and QA tabs: ``DERMASSIST_AUTH=user:password`` or a path to a file.

The file holds one ``user:password`` per line (blank lines and ``#`` comments ignored). Passwords are
compared in constant time. Nothing here is logged.
"""

from __future__ import annotations

import hmac
import os
from pathlib import Path
from typing import Callable

from assistant.errors import ConfigError

ENV_VAR = "DERMASSIST_AUTH"
_FIX = ("Set DERMASSIST_AUTH (or --auth) to 'user:password', or to the path of a file with one 'user:password' "
        "per line.")


def _pair(line: str, where: str) -> tuple[str, str]:
    user, sep, password = line.partition(":")
    user = user.strip()
    if not sep or not user or not password:
        raise ConfigError(f"Login setting {where} is not in the form user:password.", _FIX)
    return user, password


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """None/empty -> no login. A path to an existing file -> its lines; otherwise one 'user:password'."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    path = Path(value).expanduser()
    looks_like_path = ":" not in value or path.is_file()
    if looks_like_path:
        if not path.is_file():
            raise ConfigError(f"Login file {value!r} does not exist.", _FIX)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"Login file {value!r} cannot be read: {e.__class__.__name__}.", _FIX) from None
        pairs = [_pair(ln.strip(), f"in {path.name} line {i}") for i, ln in enumerate(text.splitlines(), 1)
                 if ln.strip() and not ln.strip().startswith("#")]
        if not pairs:
            raise ConfigError(f"Login file {value!r} has no 'user:password' lines.", _FIX)
        return pairs
    return [_pair(value, ENV_VAR)]


def auth_from_env(explicit: str | None = None) -> list[tuple[str, str]] | None:
    """``explicit`` (the --auth option) wins over the DERMASSIST_AUTH environment variable."""
    return parse_auth(explicit if explicit is not None else os.environ.get(ENV_VAR))


def make_checker(pairs: list[tuple[str, str]]) -> Callable[[str, str], bool]:
    """A gradio auth callable comparing in constant time."""
    table = {u: p.encode("utf-8") for u, p in pairs}

    def check(username: str, password: str) -> bool:
        expected = table.get(username or "")
        given = (password or "").encode("utf-8", "surrogatepass")
        if expected is None:
            hmac.compare_digest(given, given)  # same work whether or not the user exists
            return False
        return hmac.compare_digest(expected, given)

    return check
