"""The bench scripts' one percentile helper (bench/_stats.py)."""

import math
import sys

import pytest

from tests.conftest import REPO


def test_percentile_nearest_rank():
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from _stats import percentile
    finally:
        sys.path.remove(str(REPO / "bench"))
    xs = [5, 1, 4, 2, 3]
    assert percentile(xs, 0) == 1 and percentile(xs, 50) == 3 and percentile(xs, 100) == 5
    assert percentile(list(range(1, 101)), 95) == 95 and percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(xs, 101)


def test_no_bench_script_keeps_its_own_percentile_helper():
    own = [p.name for p in (REPO / "bench").glob("*.py") if p.name != "_stats.py"
           and ("def pct(" in p.read_text() or "def _pct(" in p.read_text())]
    assert own == []
