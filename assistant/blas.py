"""The learned heads' small numpy products (triage, aspects, names): one BLAS thread, and the MLP forward pass."""

from __future__ import annotations

from functools import cache


@cache
def _controller():
    """The threadpoolctl controller, found once (a scan of the loaded libraries costs ~3 ms)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread():
    """These products are tiny; on a small machine, waking OpenBLAS's thread pool right after torch has used the
    cores stalls a call for ~90 ms (bench/triage.py p50 104 ms -> 10 ms with one thread). The libraries are
    looked up once: ``threadpool_limits`` scans every loaded library on each call (about 3.5 ms, twice per
    triage)."""
    try:
        controller = _controller()
    except ImportError:  # pragma: no cover - a scikit-learn dependency
        from contextlib import nullcontext

        return nullcontext()
    return controller.limit(limits=1, user_api="blas")


def forward(layers, x):
    """An MLP's output: ``x`` through (weights (in, out), bias (out,)) layers with ReLU between them (float32)."""
    import numpy as np

    z = np.asarray(x, dtype=np.float32)
    for i, (w, b) in enumerate(layers):
        z = z @ w + b
        if i < len(layers) - 1:
            z = np.maximum(z, 0.0)
    return z
