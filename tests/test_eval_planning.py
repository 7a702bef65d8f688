"""eval/metrics/planning.py: off-topic rate, aspect coverage and follow-ups, on hand-made results."""

from __future__ import annotations

from pathlib import Path

from eval.datasets import QAItem
from eval.metrics import planning
from eval.results import ItemResult

KB = Path(__file__).resolve().parents[1] / "knowledge_base"


def _result(question, doc_ids, cites, *, status="answered", aspects=(), history=()):
    return ItemResult(dataset="d", kind="qa", id=question[:20], output={"status": status, "text": "x", "citations": [
        {"doc_id": d, "heading": h, "text": t} for d, h, t in cites]}, input={
        "question": question, "doc_ids": list(doc_ids), "answerable": True, "aspects": list(aspects),
        "history": list(history)})


def test_a_passage_about_another_condition_is_off_topic_and_one_naming_the_topic_is_not():
    off = _result("what triggers psoriasis?", ["psoriasis"],
                  [("psoriasis", "Causes and triggers", "Strep throat can trigger it."),
                   ("rosacea", "Causes and triggers", "Spicy food and hot drinks.")])
    named = _result("what triggers psoriasis?", ["psoriasis"],
                    [("medicines-in-pregnancy", "Methotrexate", "Methotrexate for psoriasis must stop first.")])
    asked = _result("is humira the same as methotrexate?", ["tnf-inhibitors"],
                    [("methotrexate", "What it is", "A tablet or injection once a week.")])  # the question names it
    stats = planning.evaluate([off, named, asked], KB)
    assert off.scores["off_topic"] == 1.0 and off.details["off_topic_citations"] == ["rosacea > Causes and triggers"]
    assert named.scores["off_topic"] == 0.0 and asked.scores["off_topic"] == 0.0
    assert round(stats["off_topic_rate"].value, 3) == 0.333


def test_aspect_coverage_counts_each_part_answered_from_a_section_of_that_kind():
    r = _result("how long does isotretinoin take and what are the side effects?", ["isotretinoin"],
                [("isotretinoin", "How long until it works", "Months.")], aspects=["time_to_work", "side_effects"])
    stats = planning.evaluate([r], KB)
    assert r.scores["aspect_coverage"] == 0.5 and r.details["aspects_missed"] == ["side_effects"]
    assert stats["aspect_coverage"].value == 0.5


def test_a_follow_up_is_resolved_only_when_answered_from_the_conversation_topic():
    turn = [{"role": "user", "content": "what triggers rosacea?"}]
    good = _result("can others catch it?", ["rosacea"], [("rosacea", "Is it contagious?", "No.")], history=turn)
    declined = _result("can others catch it?", ["rosacea"], [], status="abstained", history=turn)
    wrong = _result("can others catch it?", ["rosacea"], [("impetigo", "Spread", "Yes, easily.")], history=turn)
    stats = planning.evaluate([good, declined, wrong], KB)
    assert [r.scores["follow_up_resolved"] for r in (good, declined, wrong)] == [1.0, 0.0, 0.0]
    assert round(stats["follow_up_resolved"].value, 3) == 0.333


def test_a_dataset_item_may_carry_history_and_aspects():
    item = QAItem(id="x", question="is it contagious?", history=[{"role": "user", "content": "what is rosacea?"}],
                  aspects=["contagious"])
    assert item.history[0].role == "user" and item.aspects == ["contagious"]
