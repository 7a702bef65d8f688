"""Faithfulness is measured independently of the answer guard: switching the guard off for an LLM backend that
invents a sentence must lower the reported figure (with the guard on, the invented sentence is dropped)."""

import json
import re

from assistant.answer import Assistant
from assistant.embeddings import get_embedder
from assistant.index import build_index
from assistant.llm.base import Generation, GenerationRequest, Generator, split_sentences
from assistant.llm.grounded import GroundedGenerator
from assistant.llm.guarded import GuardedGenerator
from assistant.guard.support import SupportScorer
from eval.runner import RunOptions, run_eval

INVENTED = "Drinking three litres of celery juice a day cures it within 12 days [1]."


class InventingLLM(Generator):
    """Copies the first sentence of the first passage, then adds a claim no passage makes."""

    name = "inventing"

    def generate(self, request: GenerationRequest) -> Generation:
        first = split_sentences(request.passages[0].text)[0].rstrip(".")
        text = f"{first} [1]. {INVENTED}"
        return Generation(text=text, cited=sorted({int(n) for n in re.findall(r"\[(\d+)\]", text)}), backend=self.name)


QUESTIONS = [("pso", "Is psoriasis contagious?", "Psoriasis is not contagious."),
             ("ad", "Can you catch atopic dermatitis from someone?", "Atopic dermatitis is not contagious."),
             ("ros", "What triggers rosacea?", "Stress and cold weather can trigger rosacea."),
             ("tcs", "How are topical corticosteroids used?", "They are applied thinly once or twice a day.")]


def _faithfulness(settings, generator, out):
    data = out.parent / "qa.jsonl"
    data.write_text("".join(json.dumps({"id": i, "question": q, "reference_answer": a}) + "\n"
                            for i, q, a in QUESTIONS))
    assistant = Assistant(settings, generator=generator)
    outcome = run_eval(settings, RunOptions(datasets=[str(data)], out=out, progress=False), assistant=assistant)
    return outcome.summary["metrics"]["faithfulness"], outcome.results


def test_switching_the_guard_off_lowers_faithfulness(fake_settings, tmp_path):
    embedder = get_embedder("fake")
    build_index(fake_settings, embedder, progress=False)
    guarded = GuardedGenerator(InventingLLM(), GroundedGenerator(embedder=embedder), SupportScorer(embedder))
    with_guard, guarded_results = _faithfulness(fake_settings, guarded, tmp_path / "guarded")
    without, raw_results = _faithfulness(fake_settings, InventingLLM(), tmp_path / "raw")
    answered = [r for r in raw_results if r.output and r.output.get("status") == "answered"]
    assert answered and all("celery" in r.output["text"] for r in answered)
    assert not any("celery" in (r.output or {}).get("text", "") for r in guarded_results)
    assert with_guard["n"] and without["n"]
    assert without["value"] <= 0.6 < 0.9 <= with_guard["value"], (without, with_guard)
    # the invented sentence is the one marked unsupported, with the number the passages lack as the reason
    reasons = [row["reason"] for r in answered for row in r.details["faithfulness"]]
    assert reasons and all("12" in reason or "not stated" in reason for reason in reasons)
