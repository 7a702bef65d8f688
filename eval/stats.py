"""Aggregates with 95% bootstrap intervals (numpy, fixed seed, so the same results give the same interval)."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from pydantic import BaseModel

SEED = 20261130
N_RESAMPLES = 2000


class Stat(BaseModel):
    """A metric value with its 95% bootstrap interval and the number of items it is based on."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0

    def fmt(self, digits: int = 3) -> str:
        if self.value is None:
            return "n/a"
        if self.low is None or self.high is None or self.low == self.high:
            return f"{self.value:.{digits}f} (n={self.n})"
        return f"{self.value:.{digits}f} [{self.low:.{digits}f}, {self.high:.{digits}f}] (n={self.n})"


def _clean(values: Sequence[float | None]) -> np.ndarray:
    arr = np.array([v for v in values if v is not None], dtype=np.float64)
    return arr[np.isfinite(arr)]


def mean_ci(values: Sequence[float | None], *, seed: int = SEED, resamples: int = N_RESAMPLES) -> Stat:
    """Mean of the non-missing values with a percentile bootstrap interval."""
    arr = _clean(values)
    if arr.size == 0:
        return Stat(value=None, n=0)
    value = float(arr.mean())
    if arr.size == 1:
        return Stat(value=round(value, 6), low=round(value, 6), high=round(value, 6), n=1)
    rng = np.random.default_rng(seed)
    means = arr[rng.integers(0, arr.size, size=(resamples, arr.size))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return Stat(value=round(value, 6), low=round(float(lo), 6), high=round(float(hi), 6), n=int(arr.size))


def ratio_ci(numerator: Sequence[bool], denominator: Sequence[bool], *, seed: int = SEED,
             resamples: int = N_RESAMPLES) -> Stat:
    """sum(numerator) / sum(denominator) over items (e.g. precision), bootstrapped by resampling items."""
    num = np.asarray(numerator, dtype=np.float64)
    den = np.asarray(denominator, dtype=np.float64)
    n = int(den.sum())
    if num.size == 0 or n == 0:
        return Stat(value=None, n=n)
    value = float(num.sum() / den.sum())
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, num.size, size=(resamples, num.size))
    d = den[idx].sum(axis=1)
    ok = d > 0
    ratios = num[idx].sum(axis=1)[ok] / d[ok]
    lo, hi = np.percentile(ratios, [2.5, 97.5]) if ratios.size else (value, value)
    return Stat(value=round(value, 6), low=round(float(lo), 6), high=round(float(hi), 6), n=n)


def statistic_ci(n_items: int, statistic: Callable[[np.ndarray], float | None], *, seed: int = SEED,
                 resamples: int = 1000) -> tuple[float | None, float | None]:
    """Bootstrap interval of any statistic of item indices (for F1-style metrics)."""
    if n_items < 2:
        return None, None
    rng = np.random.default_rng(seed)
    vals = [statistic(rng.integers(0, n_items, size=n_items)) for _ in range(resamples)]
    vals = [v for v in vals if v is not None and np.isfinite(v)]
    if not vals:
        return None, None
    lo, hi = np.percentile(vals, [2.5, 97.5])
    return round(float(lo), 6), round(float(hi), 6)


def percentiles(values: Sequence[float | None]) -> dict[str, float | None]:
    arr = _clean(values)
    if arr.size == 0:
        return {"p50": None, "p95": None, "mean": None, "max": None, "n": 0}
    p50, p95 = np.percentile(arr, [50, 95])
    return {"p50": round(float(p50), 6), "p95": round(float(p95), 6), "mean": round(float(arr.mean()), 6),
            "max": round(float(arr.max()), 6), "n": int(arr.size)}


def means(named: dict[str, Sequence[float | None]]) -> dict[str, Stat]:
    """``mean_ci`` of every non-empty list, by name (metric families that report only what they measured)."""
    return {name: mean_ci(values) for name, values in named.items() if len(values)}
