"""One BLAS thread for the small numpy products of the learned heads (triage, aspects)."""

from __future__ import annotations


def one_blas_thread():
    """These products are tiny; on a small machine, waking OpenBLAS's thread pool right after torch has used the
    cores stalls a call for ~90 ms (bench/triage.py p50 104 ms -> 10 ms with one thread)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a scikit-learn dependency
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")
