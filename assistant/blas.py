"""The learned heads' small numpy products (triage, aspects, names): one BLAS thread, and the MLP forward pass."""

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


def forward(layers, x):
    """An MLP's output: ``x`` through (weights (in, out), bias (out,)) layers with ReLU between them (float32)."""
    import numpy as np

    z = np.asarray(x, dtype=np.float32)
    for i, (w, b) in enumerate(layers):
        z = z @ w + b
        if i < len(layers) - 1:
            z = np.maximum(z, 0.0)
    return z
