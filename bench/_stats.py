"""The one percentile helper of the bench scripts (each imports it as ``from _stats import percentile``: a bench
script runs with bench/ on its path)."""

from __future__ import annotations

import math


def percentile(values, p: float) -> float:
    """The ``p``-th percentile (0-100) by the nearest rank on the sorted values; NaN for no values."""
    xs = sorted(values)
    if not xs:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
