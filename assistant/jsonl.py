"""Read a JSON-lines data file row by row; a bad line is an InputError naming the file and line, and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, TypeVar

from .errors import InputError

T = TypeVar("T")


def read_jsonl(path: Path, parse: Callable[[dict], T], *, what: str, shape: str,
               errors: tuple[type[Exception], ...] = (KeyError, TypeError),
               check: Callable[[T], tuple[str, str] | None] | None = None) -> list[T]:
    """``parse`` every non-blank line's JSON object (it may raise one of ``errors`` for a malformed row); ``check``
    returns (problem, fix) for a well-formed row that is still wrong (an unknown label)."""
    rows: list[T] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = parse(json.loads(line))
        except (json.JSONDecodeError, *errors) as e:
            raise InputError(f"{path}:{n} is not {what}: {e}", f"Each line must be JSON: {shape}.") from None
        problem = check(row) if check else None
        if problem:
            raise InputError(f"{path}:{n} {problem[0]}", problem[1])
        rows.append(row)
    return rows
