"""Any OpenAI-compatible chat server: vLLM, TGI, Ollama, llama.cpp server, `transformers serve`.

Streams ``/chat/completions`` over httpx with a time limit for the whole reply, bounded retries with
exponential backoff for connection failures and 429/5xx answers (never after text has arrived), and a
process-wide circuit breaker per server so a dead server fails fast. The API key comes from the
environment only (DERMASSIST_LLM_API_KEY, else OPENAI_API_KEY), never from a config file.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Iterator
from urllib.parse import urlparse

from ..errors import BackendError, ConfigError
from .breaker import CircuitBreaker, breaker_for
from .chat import ChatGenerator

RETRY_STATUS = {429, 500, 502, 503, 504}
API_KEY_VARS = ("DERMASSIST_LLM_API_KEY", "OPENAI_API_KEY")
BASE_URL_FIX = ("Pass the server's OpenAI-compatible base URL, e.g. --base-url http://127.0.0.1:8000/v1 "
                "(vLLM, transformers serve) or http://127.0.0.1:11434/v1 (Ollama).")


def normalise_base_url(url: str) -> str:
    """``http://host:port`` -> ``http://host:port/v1``; a URL that already has a path is kept as given."""
    parsed = urlparse((url or "").strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"'{url}' is not an http(s) URL.", BASE_URL_FIX)
    path = parsed.path.rstrip("/") or "/v1"
    return f"{parsed.scheme}://{parsed.netloc}{path}"


class OpenAICompatGenerator(ChatGenerator):
    name = "openai"

    def __init__(self, base_url: str, model: str | None = None, *, api_key: str | None = None,
                 timeout: float = 30.0, retries: int = 2, backoff: float = 0.5, max_tokens: int = 256,
                 temperature: float = 0.0, breaker: CircuitBreaker | None = None,
                 breaker_failures: int = 3, breaker_cooldown: float = 30.0) -> None:
        super().__init__(max_tokens=max_tokens, temperature=temperature)
        self.base_url = normalise_base_url(base_url)
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.breaker = breaker or breaker_for(self.base_url, breaker_failures, breaker_cooldown)
        self._client = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, **kwargs) -> "OpenAICompatGenerator":
        if not settings.base_url:
            raise ConfigError("The 'openai' backend needs the server's base URL.", BASE_URL_FIX)
        api_key = next((os.environ[v] for v in API_KEY_VARS if os.environ.get(v)), None)
        return cls(settings.base_url, settings.model, api_key=api_key, timeout=settings.request_timeout,
                   retries=settings.llm_retries, max_tokens=settings.llm_max_tokens,
                   temperature=settings.llm_temperature, breaker_failures=settings.llm_breaker_failures,
                   breaker_cooldown=settings.llm_breaker_cooldown)

    @property
    def client(self):
        with self._lock:
            if self._client is None:
                import httpx

                headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
                self._client = httpx.Client(base_url=self.base_url, headers=headers,
                                            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0)))
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def warm_up(self) -> None:
        self.model_name(time.monotonic() + self.timeout)

    # -- requests -------------------------------------------------------------------------------------
    def _send(self, method: str, path: str, deadline: float, payload: dict | None = None):
        """Send with retries for connection failures and 429/5xx; return an open streaming response."""
        import httpx

        last, attempts = "", 0
        while attempts <= self.retries:
            if attempts:
                time.sleep(min(self.backoff * 2 ** (attempts - 1), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
            attempts += 1
            try:
                request = self.client.build_request(method, path, json=payload)
                response = self.client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as e:
                last = f"cannot connect ({type(e).__name__})"
                continue
            if response.status_code in RETRY_STATUS:
                last = f"HTTP {response.status_code}"
                response.close()
                continue
            if response.status_code >= 400:
                detail = response.read().decode("utf-8", "replace")[:300]
                response.close()
                raise BackendError(f"The LLM server at {self.base_url} answered HTTP {response.status_code}: "
                                   f"{detail}", "Check --model (see the server's /v1/models) and the API key.")
            return response
        if not last:
            raise BackendError(f"The LLM server at {self.base_url} did not reply within {self.timeout:g} s.",
                               "Use a faster model or server, or raise request_timeout.")
        raise BackendError(f"The LLM server at {self.base_url} is unreachable ({last}) after {attempts} "
                           "attempt(s).", "Start the server, or check --base-url and that the port is right.")

    def model_name(self, deadline: float) -> str:
        """The configured model, else the first model the server lists at /models."""
        if not self.model:
            response = self._send("GET", "/models", deadline)
            try:
                self.model = json.loads(response.read())["data"][0]["id"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise BackendError(f"{self.base_url}/models did not list any model.",
                                   "Pass --model with the name the server expects.") from None
            finally:
                response.close()
        return self.model

    def chat_stream(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        import httpx

        self.breaker.before_call()
        deadline = time.monotonic() + self.timeout
        done = False
        try:
            payload = {"model": self.model_name(deadline), "messages": messages, "max_tokens": self.max_tokens,
                       "temperature": self.temperature, "stream": True, "stream_options": {"include_usage": True}}
            response = self._send("POST", "/chat/completions", deadline, payload)
            try:
                yield from self._read_events(response, deadline, usage)
            finally:
                response.close()
            done = True
        except BackendError:
            self.breaker.record_failure()
            raise
        except httpx.TimeoutException:
            self.breaker.record_failure()
            raise BackendError(f"The LLM server at {self.base_url} did not reply within {self.timeout:g} s.",
                               "Use a faster model or server, or raise request_timeout.") from None
        except httpx.HTTPError as e:
            self.breaker.record_failure()
            raise BackendError(f"The connection to the LLM server at {self.base_url} broke mid-reply "
                               f"({type(e).__name__}).", "Check that the server is still running.") from None
        finally:
            if not done:
                self.breaker.release()
        self.breaker.record_success()

    def _read_events(self, response, deadline: float, usage: dict[str, int]) -> Iterator[str]:
        events = 0
        for line in response.iter_lines():
            if time.monotonic() > deadline:
                raise BackendError(f"The LLM server at {self.base_url} took longer than {self.timeout:g} s.",
                                   "Use a faster model or server, lower llm_max_tokens, or raise request_timeout.")
            if not line.startswith("data:"):
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                break
            try:
                chunk = json.loads(data)
                events += 1
                if chunk.get("usage"):
                    usage["prompt_tokens"] = chunk["usage"].get("prompt_tokens")
                    usage["completion_tokens"] = chunk["usage"].get("completion_tokens")
                piece = (chunk.get("choices") or [{}])[0].get("delta", {}).get("content")
            except (ValueError, AttributeError, IndexError, TypeError):
                raise BackendError(f"The LLM server at {self.base_url} sent something that is not an OpenAI "
                                   f"chat stream: {data[:120]!r}", "Check that --base-url points at an "
                                   "OpenAI-compatible /v1 endpoint.") from None
            if piece:
                yield piece
        if not events:
            raise BackendError(f"The LLM server at {self.base_url} sent no chat stream events.",
                               "Check that --base-url points at an OpenAI-compatible /v1 endpoint.")
