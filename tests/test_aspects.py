"""Question aspects (assistant/aspects.py): the heading map, the shipped head, and what it reads."""

import pytest

from tests.conftest import KB, REPO  # noqa: F401




def test_every_aspect_maps_to_a_knowledge_base_heading():
    from assistant.aspects import ASPECT_HEADINGS, aspect_names, heading_answers

    assert set(aspect_names(KB)) == set(ASPECT_HEADINGS)
    assert heading_answers("Monitoring", ["monitoring"]) and heading_answers("Causes and triggers", ["causes_triggers"])
    assert heading_answers("How it looks on brown and black skin", ["skin_of_colour"])
    assert not heading_answers("Side effects", ["pregnancy"])


@pytest.mark.slow
def test_the_shipped_aspect_head_is_current(minilm):
    from assistant.aspects import data_hash, load_head

    head = load_head()
    assert head is not None and head.embedder == minilm.name
    assert head.data_hash == data_hash(KB), "aspect head is stale: run `dermassist aspects train`"


@pytest.mark.slow
def test_training_the_aspect_head_is_deterministic(tmp_path, minilm):
    import numpy as np

    from assistant.aspects import load_head, train

    new = train(KB, minilm, tmp_path / "a.npz", log=lambda *_: None)
    shipped = load_head()
    assert new.names == shipped.names and np.allclose(new.weights, shipped.weights, atol=2e-3)


@pytest.mark.slow
@pytest.mark.parametrize("question,aspect", [
    ("what monitoring does hydroxychloroquine need?", "monitoring"),
    ("can I get pregnant while on methotrexate", "pregnancy"),
    ("will my kids inherit my psoriasis", "inheritance"),
    ("how long before dupilumab starts working", "time_to_work"),
    ("what does vitiligo look like on dark skin", "skin_of_colour"),
])
def test_the_head_reads_the_aspect_asked(minilm, question, aspect):
    from assistant.aspects import load_head

    found = [a for a, _ in load_head().aspects(minilm.embed([question], kind="query")[0])]
    assert aspect in found[:2], found
