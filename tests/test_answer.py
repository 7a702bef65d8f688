import pytest

from assistant.answer import ABSTAIN_TEXT, EMPTY_TEXT, Assistant, clean_question
from assistant.llm.fake import ScriptedGenerator


def test_answer_has_citations_grade_and_timings(fake_assistant):
    a = fake_assistant.ask("Is psoriasis contagious?")
    assert a.status == "answered"
    assert "not contagious" in a.text
    assert a.citations[0].doc_id == "psoriasis" and a.citations[0].n == 1
    assert a.citations[0].sources == ["Test Society: Test guideline one (2024)",
                                      "Test Institute: Test guideline two (2023)"]
    # the stages run one after another, so the total covers them all
    assert a.readability_grade is not None and a.timings["retrieve"] > 0 and a.timings["generate"] > 0
    assert a.timings["total"] >= a.timings["triage"] + a.timings["retrieve"] + a.timings["generate"]
    assert "[1]" in a.text and "Sources" in a.to_markdown()


@pytest.mark.parametrize("q", ["", "   \n\t ", None])
def test_empty_question_gets_a_prompt(fake_assistant, q):
    a = fake_assistant.ask(q)
    assert a.status == "empty" and a.text == EMPTY_TEXT and not a.citations


def test_huge_question_is_truncated_with_notice(fake_assistant):
    q = ("Is psoriasis contagious? " * 900)[:20_000]
    a = fake_assistant.ask(q)
    assert a.notices == ["Your message was 19,999 characters long, so only the first 2,000 were used."]
    assert len(a.question) <= fake_assistant.settings.max_question_chars
    assert a.status == "answered"


def test_control_characters_are_removed():
    text, notes = clean_question("is\x00 eczema\x07 contagious?\r\n", 100)
    assert text == "is eczema contagious?" and notes == []


def test_unrelated_question_abstains(fake_assistant):
    a = fake_assistant.ask("What is the best recipe for banana bread?")
    assert a.status == "abstained" and a.text == ABSTAIN_TEXT and not a.citations


def test_citation_markers_are_renumbered_and_invalid_ones_dropped(fake_settings, fake_assistant):
    gen = ScriptedGenerator().enqueue("Second passage says this [2]. Nonsense marker [9]. First passage [1].")
    a = Assistant(fake_settings, retriever=fake_assistant.retriever, generator=gen)
    ans = a.ask("Is psoriasis contagious?")
    assert ans.text == "Second passage says this [1]. Nonsense marker. First passage [2]."
    assert [c.n for c in ans.citations] == [1, 2]
    assert ans.citations[0].text == ans.retrieved[1].text


@pytest.mark.slow
def test_is_eczema_contagious_real(real_assistant):
    a = real_assistant.ask("Is eczema contagious?")
    assert a.status == "answered"
    assert "not contagious" in a.text.lower()
    assert a.citations[0].doc_id == "atopic-dermatitis"
    assert 20 <= len(a.text.split()) <= real_assistant.settings.answer_max_words + 10  # + the [n] markers
