"""Streaming chat: LLM answers reach the chat sentence by sentence through the guard, then the final Answer."""

from typing import Iterator

import pytest

from assistant.llm.base import Generation, GenerationRequest, Generator
from assistant.llm.chat import ChatGenerator


class StreamingFake(Generator):
    """Has the guarded generator's ``stream_events`` shape: text pieces, then the final Generation."""

    name = "streaming-fake"

    def __init__(self, pieces: list[str]):
        self.pieces = pieces
        self.requests: list[GenerationRequest] = []

    def generate(self, request):
        return list(self.stream_events(request))[-1]

    def stream_events(self, request) -> Iterator[str | Generation]:
        self.requests.append(request)
        yield from self.pieces
        yield Generation(text=" ".join(self.pieces), cited=[1], backend=self.name)


class CannedChat(ChatGenerator):
    """An 'LLM' that replies with canned text in small pieces, the way a token stream arrives."""

    name = "canned"

    def __init__(self, reply: str):
        super().__init__()
        self.reply = reply

    def chat_stream(self, messages, usage):
        for i in range(0, len(self.reply), 7):
            yield self.reply[i:i + 7]


def _services(settings, generator):
    from assistant.answer import Assistant
    from ui.services import Services

    return Services(settings, Assistant(settings, generator=generator))


def test_llm_answer_streams_sentence_by_sentence(fake_assistant, fake_settings):
    pieces = ["Psoriasis is not contagious [1].", "You cannot catch it from another person [1]."]
    gen = StreamingFake(pieces)
    events = list(_services(fake_settings, gen).stream_answer("Is psoriasis contagious?"))
    partial = [text for text, final in events if final is None]
    assert partial == ["Psoriasis is not contagious.",
                       "Psoriasis is not contagious. You cannot catch it from another person."]
    text, answer = events[-1]
    assert answer is not None and answer.backend == "streaming-fake" and "[1]" in answer.text
    assert answer.citations and answer.citations[0].doc_id == "psoriasis"
    assert len(gen.requests) == 1 and gen.requests[0].question == "Is psoriasis contagious?"


def test_streaming_keeps_triage_first(fake_assistant, fake_settings):
    gen = StreamingFake(["This must never be shown."])
    events = list(_services(fake_settings, gen).stream_answer(
        "My lips and tongue are swelling and I cannot breathe after a new cream"))
    assert len(events) == 1 and events[0][1].triage.label == "emergency"
    assert gen.requests == []  # short-circuited before any generation


def test_guarded_llm_stream_shows_only_verified_sentences(fake_assistant, fake_settings):
    from assistant.llm.guarded import GuardedGenerator

    reply = ("Psoriasis is not contagious [1]. You cannot catch Psoriasis from another person [1]. "
             "Psoriasis is cured by drinking 5 litres of vinegar daily [1].")
    guarded = GuardedGenerator.wrap(CannedChat(reply), fake_settings, embedder=fake_assistant.embedder)
    events = list(_services(fake_settings, guarded).stream_answer("Is psoriasis contagious?"))
    shown = " ".join(text for text, final in events)
    assert "vinegar" not in shown
    partial = [text for text, final in events if final is None]
    assert partial == ["Psoriasis is not contagious.",
                       "Psoriasis is not contagious. You cannot catch Psoriasis from another person."]
    answer = events[-1][1]
    assert answer is not None and "vinegar" not in answer.text and answer.citations
    assert any("left out" in n for n in answer.notices)


def test_stream_errors_reach_the_caller(fake_settings, fake_assistant):
    class Broken(StreamingFake):
        def stream_events(self, request):
            yield "One sentence [1]."
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        list(_services(fake_settings, Broken([])).stream_answer("Is psoriasis contagious?"))


def test_chat_turn_survives_a_failing_backend(fake_settings, fake_assistant):
    from ui.chat_tab import chat_turn

    class Broken(StreamingFake):
        def stream_events(self, request):
            raise RuntimeError("secret internal detail")
            yield  # pragma: no cover

    outs = list(chat_turn(_services(fake_settings, Broken([])), "Is psoriasis contagious?", [], []))
    box, history, sources, grade, banner, turns = outs[-1]
    assert "something went wrong" in history[-1]["content"] and "secret" not in history[-1]["content"]
    assert turns == [] and history[0]["content"] == "Is psoriasis contagious?"


def test_the_answer_picker_leaves_out_help_now_replies_and_rates_the_chosen_answer(fake_settings, fake_assistant):
    from ui.chat_tab import LATEST, answer_choices, send_feedback

    turns = [{"question": "Is eczema contagious?", "answer": "No.", "help_now": False},
             {"question": "I cannot breathe", "answer": "Call 999.", "help_now": True},
             {"question": "What triggers psoriasis? " + "x" * 80, "answer": "Stress.", "help_now": False}]
    choices = answer_choices(turns)
    assert choices[0] == ("The latest answer", LATEST) and [v for _, v in choices[1:]] == [2, 0]
    assert choices[1][0].startswith("3. What triggers psoriasis?") and choices[1][0].endswith("…")
    assert answer_choices([turns[1]]) == []  # a help-now reply alone: nothing to rate

    saved = []

    class Services:
        def save_feedback(self, **kw):
            saved.append(kw)

    assert "of answer 1 was saved" in send_feedback(Services(), "up", "", turns, 0)
    assert "of the latest answer was saved" in send_feedback(Services(), "down", "", turns, LATEST)
    assert "of the latest answer" in send_feedback(Services(), "down", "", turns, 1)  # not the help-now reply
    assert [s["question"] for s in saved] == ["Is eczema contagious?"] + [turns[2]["question"]] * 2
    assert "Ask a question first" in send_feedback(Services(), "up", "", [turns[1]])
