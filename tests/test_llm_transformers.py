"""The in-process transformers backend: model resolution (unit) and SmolLM2-135M generation (integration)."""

import re
import threading
import time

import pytest

from assistant.guard.answer import strip_markers
from assistant.errors import ConfigError
from assistant.llm import GenerationRequest, get_generator
from assistant.llm.guarded import GuardedGenerator
from assistant.llm.transformers import TransformersGenerator, pick_device, resolve_model
from assistant.types import Hit
from tests.llm_servers import GGUF, require_test_model

PASSAGE = ("Atopic dermatitis (eczema) is not contagious. You cannot catch eczema from anyone or pass it on by "
           "touch, hugs, sharing towels or swimming.")


def req(question="Is eczema contagious?"):
    hit = Hit(chunk_id="ad#1", doc_id="atopic-dermatitis", title="Atopic dermatitis (eczema)", kind="condition",
              heading="Is it contagious?", text=PASSAGE, dense_score=0.6, bm25_score=2.0, score=0.1, rank=1)
    return GenerationRequest(question=question, passages=[hit], max_words=40)


def test_model_resolution_errors(tmp_path):
    with pytest.raises(ConfigError) as e:
        resolve_model(None, None)
    assert "--model" in e.value.fix and "make models" in e.value.fix
    with pytest.raises(ConfigError) as e:
        resolve_model(str(tmp_path / "nowhere"), None)
    assert "never downloaded" in e.value.message
    with pytest.raises(ConfigError):
        resolve_model(str(tmp_path), None)  # no config.json and no .gguf file
    with pytest.raises(ConfigError):
        resolve_model(str(tmp_path), "missing.gguf")
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_model(str(tmp_path), None) == (str(tmp_path), "m.gguf")
    assert resolve_model(str(tmp_path / "m.gguf"), None) == (str(tmp_path), "m.gguf")
    assert pick_device("cpu") == "cpu"


def test_registry_builds_a_guarded_transformers_backend(fake_settings, tmp_path):
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    s = fake_settings.model_copy(update={"model": str(tmp_path / "m.gguf"), "llm_max_tokens": 7})
    g = get_generator("transformers", s)  # nothing is loaded until the first request
    assert isinstance(g, GuardedGenerator) and g.llm.gguf_file == "m.gguf" and g.llm.max_tokens == 7


def test_unloadable_model_falls_back_to_grounded(fake_settings, tmp_path):
    (tmp_path / "broken.gguf").write_bytes(b"not a model")
    s = fake_settings.model_copy(update={"model": str(tmp_path / "broken.gguf")})
    out = get_generator("transformers", s).generate(req())
    assert out.fallback_reason.startswith("backend_error: Could not load the model")
    assert out.text.startswith("Atopic dermatitis (eczema) is not contagious.")


@pytest.mark.integration
def test_smollm2_in_process_generates_streams_and_is_guarded(fake_settings):
    require_test_model()
    raw = TransformersGenerator(str(GGUF), max_tokens=12)
    out = raw.generate(req())
    assert out.text and out.backend == "transformers"
    assert out.prompt_tokens > 50 and 0 < out.completion_tokens <= 12
    pieces = list(raw.stream(req()))
    assert len(pieces) > 1 and "".join(pieces).strip() == out.text  # greedy: the same text both ways
    again = TransformersGenerator(str(GGUF), max_tokens=12)
    assert again.load() is raw.load()  # loaded once per process

    long = TransformersGenerator(str(GGUF), max_tokens=4000)
    stream = long.stream(req())
    next(stream)
    stream.close()  # the reader went away: generation must stop instead of running to 4000 tokens
    for _ in range(600):
        if not any(t.name == "dermassist-generate" for t in threading.enumerate()):
            break
        time.sleep(0.1)
    assert not any(t.name == "dermassist-generate" for t in threading.enumerate())

    s = fake_settings.model_copy(update={"model": str(GGUF), "llm_max_tokens": 12})
    guarded = get_generator("transformers", s)
    final = guarded.generate(req())
    assert final.text  # verified sentences or the grounded answer, never an exception
    assert not re.search(r"\d", strip_markers(final.text))  # the passage has no numbers, so neither may the answer
    assert final.fallback_reason is None or final.notices
