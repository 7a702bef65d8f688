"""Messages not in English get a clear English-only reply (with the emergency line), never a wrong answer."""

import pytest

from assistant.language import detect_language, not_english_message


@pytest.mark.parametrize("text, language", [
    ("¿La psoriasis es contagiosa?", "Spanish"),
    ("Ist Neurodermitis ansteckend?", "German"),
    ("Est-ce que l'eczéma est contagieux ?", "French"),
    ("Mijn kind heeft eczeem, wat kan ik doen?", "Dutch"),
    ("Minha pele coça muito, o que posso fazer?", "Portuguese"),
    ("Il mio eczema è peggiorato molto", "Italian"),
    ("湿疹会传染吗？", "Cjk script"),
    ("Моя экзема стала хуже", "Cyrillic script"),
    ("Is eczema contagious?", "English"),
    ("methotrexate", "English"),
    ("psoriasis scalp treatment options", "English"),
    ("can I die from pemphigus", "English"),
    ("ok so my derm says la roche posay cream is fine for my eczema, is it?", "English"),
    ("I had vitamin e oil on my face", "English"),
    ("12345 !!!", "English"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_message_names_the_language_and_the_emergency_line():
    assert "looks like it is in Spanish" in not_english_message("Spanish")
    assert "does not look like English" in not_english_message("Cjk script")
    assert "emergency number" in not_english_message("German")


def test_assistant_replies_in_plain_english_and_never_answers(fake_assistant):
    a = fake_assistant.ask("¿La psoriasis es contagiosa?")
    assert a.status == "abstained" and not a.citations and "only read and answer questions in English" in a.text
    assert a.abstain_reason == "the message is not in English (Spanish)"


def test_a_crisis_in_english_inside_other_text_still_gets_the_crisis_message(fake_assistant):
    a = fake_assistant.ask("I want to kill myself, je veux mourir, je ne peux plus")
    assert a.status == "triaged" and a.triage.label == "crisis"


def test_no_bundled_english_message_is_taken_for_another_language():
    """Every patient question and safety message in the bundled sets (typos, slang, brand names) is English."""
    import json

    from tests.conftest import REPO

    messages = []
    for name, key in (("eval/datasets/patient_qa.jsonl", "question"), ("eval/datasets/safety.jsonl", "message")):
        messages += [json.loads(line)[key] for line in (REPO / name).read_text(encoding="utf-8").splitlines() if line]
    assert len(messages) >= 600
    assert [m for m in messages if detect_language(m) != "English"] == []
