"""A local Hugging Face model in this process: a model folder, or a GGUF file (``gguf_file``).

The chat template comes from the tokenizer; ``device="auto"`` picks CUDA when present, else CPU.
Greedy by default. Tokens stream through ``TextIteratorStreamer`` from a generation thread. The model
loads lazily, once per process (shared by every generator with the same model, file and device).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterator

from ..errors import BackendError, ConfigError
from .chat import ChatGenerator

MODEL_FIX = ("Pass --model with a local model folder, or a .gguf file (or --model FOLDER --gguf-file NAME). "
             "The test model is fetched by `make models` into .cache/models/.")
_LOADED: dict[tuple[str, str | None, str], tuple[object, object]] = {}
_LOAD_LOCK = threading.Lock()


def resolve_model(model: str | None, gguf_file: str | None) -> tuple[str, str | None]:
    """(folder, gguf file name or None). ``model`` may be a folder or a path to a .gguf file."""
    if not model:
        raise ConfigError("The 'transformers' backend needs a model.", MODEL_FIX)
    path = Path(model).expanduser()
    if path.is_file() and path.suffix == ".gguf":
        return str(path.parent), path.name
    if not path.is_dir():
        raise ConfigError(f"Model path {path} does not exist (models are never downloaded at run time).", MODEL_FIX)
    if gguf_file and not (path / gguf_file).is_file():
        raise ConfigError(f"GGUF file {gguf_file} is not in {path}.", MODEL_FIX)
    if not gguf_file and not (path / "config.json").is_file():
        ggufs = sorted(p.name for p in path.glob("*.gguf"))
        if len(ggufs) != 1:
            raise ConfigError(f"{path} has no config.json and {len(ggufs)} .gguf files.", MODEL_FIX)
        gguf_file = ggufs[0]
    return str(path), gguf_file


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class TransformersGenerator(ChatGenerator):
    name = "transformers"

    def __init__(self, model: str | None, gguf_file: str | None = None, *, device: str = "auto",
                 max_tokens: int = 256, temperature: float = 0.0, timeout: float = 120.0) -> None:
        super().__init__(max_tokens=max_tokens, temperature=temperature)
        self.model_dir, self.gguf_file = resolve_model(model, gguf_file)
        self.device = device
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings, **kwargs) -> "TransformersGenerator":
        return cls(settings.model, settings.gguf_file, device=settings.llm_device,
                   max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature,
                   timeout=max(settings.request_timeout, 60.0))

    def load(self) -> tuple[object, object]:
        """(tokenizer, model), loaded once per process."""
        with _LOAD_LOCK:
            device = pick_device(self.device)
            key = (self.model_dir, self.gguf_file, device)
            if key not in _LOADED:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                kw = {"gguf_file": self.gguf_file} if self.gguf_file else {}
                try:
                    tokenizer = AutoTokenizer.from_pretrained(self.model_dir, **kw)
                    model = AutoModelForCausalLM.from_pretrained(self.model_dir, **kw).to(device).eval()
                except (OSError, ValueError, RuntimeError) as e:
                    raise BackendError(f"Could not load the model from {self.model_dir}: {e}", MODEL_FIX) from None
                _LOADED[key] = (tokenizer, model)
            return _LOADED[key]

    def warm_up(self) -> None:
        self.load()

    def chat_stream(self, messages: list[dict[str, str]], usage: dict[str, int]) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer

        class _Cancelled(StoppingCriteria):  # the caller stopped reading: end the generation thread too
            def __call__(self, input_ids, scores, **kwargs):
                return torch.full((input_ids.shape[0],), cancelled.is_set(), dtype=torch.bool, device=input_ids.device)

        tokenizer, model = self.load()
        inputs = tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                               return_dict=True).to(model.device)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=self.timeout)
        sampling = {"do_sample": True, "temperature": self.temperature} if self.temperature > 0 else {
            "do_sample": False, "temperature": None, "top_p": None, "top_k": None}
        errors: list[BaseException] = []
        result: dict[str, object] = {}
        cancelled = threading.Event()

        def run() -> None:
            try:
                with torch.inference_mode():
                    result["ids"] = model.generate(**inputs, streamer=streamer, max_new_tokens=self.max_tokens,
                                                   pad_token_id=tokenizer.eos_token_id,
                                                   stopping_criteria=StoppingCriteriaList([_Cancelled()]), **sampling)
            except BaseException as e:  # reported to the caller below, never lost in the thread
                errors.append(e)
                streamer.end()

        thread = threading.Thread(target=run, name="dermassist-generate", daemon=True)
        thread.start()
        try:
            yield from streamer
        except Exception as e:  # the streamer's queue timed out
            raise BackendError(f"The local model produced no token for {self.timeout:g} s ({type(e).__name__}).",
                               "Use a smaller model, a GPU, or lower llm_max_tokens.") from None
        finally:
            cancelled.set()
        thread.join(self.timeout)
        if errors:
            raise BackendError(f"The local model failed while generating: {errors[0]}",
                               "Check the model files; see the log for details.")
        n_prompt = int(inputs["input_ids"].shape[-1])
        usage["prompt_tokens"] = n_prompt
        if "ids" in result:
            usage["completion_tokens"] = int(result["ids"].shape[-1]) - n_prompt
