"""Shared by bench/startup.py and bench/load.py: start `dermassist serve` the way `make run` does, wait
until it answers, stop it. Loopback only; the server runs in its own process group and is stopped by PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BENCH_HOME = REPO / ".cache" / "bench-home"  # gitignored; the index is built here once, logs stay out of .dermassist


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli() -> list[str]:
    exe = BIN / "dermassist"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "assistant.cli"]


def env(home: Path, port: int) -> dict[str, str]:
    e = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
             RAGAS_DO_NOT_TRACK="true", TOKENIZERS_PARALLELISM="false", DERMASSIST_HOME=str(home),
             DERMASSIST_PORT=str(port))
    e.pop("DERMASSIST_AUTH", None)
    return e


def start(home: Path, port: int, *, index: bool = True) -> subprocess.Popen:
    """`dermassist index --quiet && dermassist serve` (what `make run` runs), in a new process group."""
    exe = " ".join(cli())
    cmd = f"{exe} index --quiet && exec {exe} serve" if index else f"exec {exe} serve"
    return subprocess.Popen(["sh", "-c", cmd], cwd=REPO, env=env(home, port), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_ready(proc: subprocess.Popen, url: str, timeout: float = 300.0) -> float:
    """Seconds until GET url/config answers 200 (the page and its API are served)."""
    import httpx

    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}:\n{out[-3000:]}")
        try:
            if httpx.get(url + "config", timeout=2).status_code == 200:
                return time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"server not ready after {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
