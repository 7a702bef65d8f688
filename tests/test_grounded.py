from assistant.embeddings import get_embedder
from assistant.llm import GenerationRequest, get_generator
from assistant.llm.base import split_sentences
from assistant.llm.fake import ScriptedGenerator
from assistant.llm.grounded import GroundedGenerator, build_units
from assistant.question_types import question_types
from assistant.types import Hit

import pytest
from assistant.errors import ConfigError


def hit(n, text, heading="What it is", doc="doc"):
    return Hit(chunk_id=f"{doc}#{n}", doc_id=doc, title=doc.title(), kind="condition", heading=heading, text=text,
               dense_score=0.5, bm25_score=1.0, score=0.1, rank=n)


def test_split_sentences_handles_bullets_and_prose():
    assert split_sentences("One here. Two there!\n- Bullet three\n1. Four") == ["One here.", "Two there!",
                                                                             "Bullet three", "Four"]


def test_question_types():
    assert "contagious" in question_types("Can I catch psoriasis from my wife?")
    assert "treatment" in question_types("what cream helps eczema")
    assert "pregnancy" in question_types("Is it safe when pregnant?")


def test_grounded_answer_only_uses_passage_sentences_and_cites_them():
    passages = [
        hit(1, "Psoriasis is not contagious. You cannot catch psoriasis by touching someone.", "Is it contagious?",
            "psoriasis"),
        hit(2, "Psoriasis causes thick red plaques with silvery scale. Elbows and knees are common sites.",
            "Symptoms", "psoriasis"),
        hit(3, "The tax office sets the deadline for filing returns every year in April.", "Taxes", "tax"),
    ]
    gen = GroundedGenerator(embedder=get_embedder("fake"))
    out = gen.generate(GenerationRequest(question="Is psoriasis contagious?", passages=passages))
    assert out.text.startswith("Psoriasis is not contagious.")
    assert "[1]" in out.text and out.cited[0] == 1
    body = out.text
    for marker in ("[1]", "[2]", "[3]"):
        body = body.replace(marker, "")
    all_sentences = {s for p in passages for s in split_sentences(p.text)}
    for s in split_sentences(body):
        assert s.strip() in all_sentences


def test_word_budget_respected():
    text = " ".join(f"Eczema fact number {i} is about dry itchy skin and flares." for i in range(40))
    gen = GroundedGenerator(embedder=get_embedder("fake"))
    out = gen.generate(GenerationRequest(question="eczema facts", passages=[hit(1, text)], max_words=60))
    assert len(out.text.split()) <= 62


def test_registry_and_scripted_fake(fake_settings):
    with pytest.raises(ConfigError) as e:
        get_generator("gpt-17", fake_settings)
    assert "grounded" in e.value.fix and "fake" in e.value.fix
    fake = ScriptedGenerator().enqueue("Answer one [1].", "Answer two [2].")
    req = GenerationRequest(question="q", passages=[])
    assert fake.generate(req).cited == [1]
    assert "".join(fake.stream(req)).strip() == "Answer two [2]."
    assert len(fake.history) == 2


def test_dependent_sentences_travel_with_their_antecedent_and_orphans_are_dropped():
    text = ("Use them often, even when the skin is clear. Moisturisers are the base of eczema care. "
            "Use them twice a day. But they do not replace steroid creams. Steroid creams calm flares.")
    units = build_units(1, text, "Treatment")
    assert [u.sentences for u in units] == [
        ["Moisturisers are the base of eczema care.", "Use them twice a day.", "But they do not replace steroid creams."],
        ["Steroid creams calm flares."],
    ]


def test_answer_never_starts_with_an_orphan_pronoun_sentence():
    passages = [hit(1, "Use them often and in large amounts. Steroid creams on the face need a mild strength. "
                       "They are used for short spells.", "How it is used", "topical-corticosteroids")]
    gen = GroundedGenerator(embedder=get_embedder("fake"))
    out = gen.generate(GenerationRequest(question="how do I use steroid cream on my face", passages=passages))
    assert out.text.startswith("Steroid creams on the face need a mild strength. They are used for short spells.")
    assert "Use them often" not in out.text


def test_consecutive_chunks_of_one_section_count_as_one_passage_when_selecting():
    """'Can I take methotrexate while pregnant': the section's next chunk ('can cause miscarriage...') scores
    below the window but belongs to the section already cited, so it tops up the short answer."""
    import numpy as np

    from assistant.llm.grounded import GroundedGenerator, Unit

    units = [Unit(1, 0, ["If you become pregnant while taking it, call your doctor."], "Pregnancy"),
             Unit(2, 0, ["It can cause miscarriage and serious birth defects."], "Pregnancy")]
    from assistant.llm.grounded import SCORE_WINDOW

    scores = np.array([1.0, 1.0 - 1.5 * SCORE_WINDOW], dtype=np.float32)  # below the window, above twice it
    vecs = np.eye(2, dtype=np.float32)
    assert GroundedGenerator._select(units, scores, vecs, 160) == [0]
    same = {1: ("methotrexate", "Pregnancy"), 2: ("methotrexate", "Pregnancy")}
    assert GroundedGenerator._select(units, scores, vecs, 160, same) == [0, 1]
    other = {1: ("methotrexate", "Pregnancy"), 2: ("ciclosporin", "Pregnancy")}
    assert GroundedGenerator._select(units, scores, vecs, 160, other) == [0]


def test_a_list_item_carries_the_line_that_introduces_it():
    from assistant.llm.grounded import join_units

    text = ("Topical steroids are safe for most people.\n\nUsing a strong steroid for a long time can cause:\n\n"
            "- Thin skin that bruises easily.\n- Acne or a rash around the mouth, when used on the face.\n\n"
            "Mild creams rarely cause problems.")
    units = build_units(1, text, "Side effects")
    lead = "Using a strong steroid for a long time can cause:"
    assert [(u.lead, u.sentences) for u in units] == [
        ("", ["Topical steroids are safe for most people."]),
        (lead, ["Thin skin that bruises easily."]),
        (lead, ["Acne or a rash around the mouth, when used on the face."]),
        ("", ["Mild creams rarely cause problems."]),
    ]
    assert units[2].text.startswith(lead)  # scored and counted with its introduction
    # the introduction is shown once, on its own line, with the chosen items as bullets under it
    assert join_units([units[1], units[2]]) == (f"{lead}\n- Thin skin that bruises easily.\n- Acne or a rash "
                                                "around the mouth, when used on the face.")
    assert join_units([units[0], units[2], units[3]]) == (
        f"Topical steroids are safe for most people.\n\n{lead}\n- Acne or a rash around the mouth, when used on "
        "the face.\n\nMild creams rarely cause problems.")
    # items whose introduction was cut off by chunking stand alone; a bare introduction is never a unit
    cut = build_units(1, "- Thin skin that bruises easily.\n- Stretch marks that fade slowly.\n\nIt can cause:", "x")
    assert [(u.lead, u.sentences) for u in cut] == [("", ["Thin skin that bruises easily."]),
                                                    ("", ["Stretch marks that fade slowly."])]


@pytest.mark.slow
def test_the_learned_aspect_gives_the_matching_section_the_heading_bonus_the_rules_miss(minilm, monkeypatch):
    """'What checks will I need on hydroxychloroquine' names no rule question type; the aspect head reads
    'monitoring', so a sentence under Monitoring outscores the same sentence under another heading."""
    text = "You will have an eye check within the first year and then yearly after five years."
    passages = [hit(1, text, "What it is", "hcq"), hit(2, text, "Monitoring", "hcq")]
    question = "what checks will I need while on hydroxychloroquine"
    assert question_types(question) == []
    from assistant.llm import grounded

    gen = GroundedGenerator(embedder=minilm)
    req = GenerationRequest(question=question, passages=passages)
    units = [u for n, h in enumerate(passages, start=1) for u in build_units(n, h.text, h.heading)]
    monkeypatch.setattr(grounded, "SAYS", 0.0)  # the heading bonus alone, without the sentence's own reading
    scores, _ = gen._score(req, units)
    assert scores[1] - scores[0] > 0.15  # the 0.25 heading bonus, less the small rank bonus of passage 1
    monkeypatch.setattr(grounded, "SAYS", 0.3)
    scores, _ = gen._score(req, units)
    # the sentence reads as monitoring under either heading, but its reading is worth less than the heading's fit
    assert 0.0 < scores[1] - scores[0] < 0.15
    monkeypatch.setattr("assistant.aspects.head_for", lambda name: None)  # the rules alone
    scores, _ = gen._score(req, units)
    assert scores[1] < scores[0]


def test_split_sentences_ends_a_sentence_before_a_lower_case_stage_code():
    from assistant.llm.base import split_sentences

    assert split_sentences("Breslow thickness 0.6 mm. pT1a without ulceration. Margins clear.") == [
        "Breslow thickness 0.6 mm.", "pT1a without ulceration.", "Margins clear."]
    assert split_sentences("Seen at 3 mm. ypT2 after treatment.") == ["Seen at 3 mm.", "ypT2 after treatment."]



def test_a_brand_name_counts_as_the_medicine_the_passage_names(minilm):
    # "Piriton" is chlorphenamine (the synonym table): the sentence about it outscores one about another
    # antihistamine, which the embedder alone prefers
    text = ("Cetirizine and loratadine rarely make people sleepy. "
            "Chlorphenamine often makes people sleepy, so do not drive after taking it.")
    gen = GroundedGenerator(embedder=minilm)
    units = build_units(1, text, "Side effects")
    request = GenerationRequest(question="does piriton make you drowsy?", passages=[hit(1, text)], max_words=20)
    scores, _ = gen._score(request, units)
    assert "Chlorphenamine" in units[int(scores.argmax())].text


@pytest.mark.slow
def test_an_outlook_question_is_answered_from_the_outlook_section(minilm):
    """Every condition document has an "Outlook: what to expect" section (2026-12-07): "will he grow out of it?"
    is answered from it, not from the treatment list or the lead of "Who gets it"."""
    treatment = ("Emollients are the base of treatment. Steroid creams calm flares. Immune-calming tablets, such as "
                 "ciclosporin, can help severe eczema. Biologic injections are another option for severe eczema.")
    who = "Atopic dermatitis most often starts in babies and young children. It is more likely if a parent has eczema."
    outlook = ("Atopic dermatitis is long-term, but it often gets milder with age. Many children grow out of it by "
               "their teens. It can come back later, for example as hand eczema.")
    passages = [hit(1, treatment, "Treatment", "atopic-dermatitis"), hit(2, who, "Who gets it", "atopic-dermatitis"),
                hit(3, outlook, "Outlook: what to expect", "atopic-dermatitis")]
    request = GenerationRequest(question="my son has eczema, will he grow out of it?", passages=passages,
                                aspects=["outlook_cure"], max_words=30)
    out = GroundedGenerator(embedder=minilm).generate(request)
    assert "grow out of it" in out.text and 3 in out.cited
    assert "Biologic" not in out.text and "ciclosporin" not in out.text


@pytest.mark.slow
def test_a_sentence_that_says_the_outlook_is_read_as_the_outlook_wherever_its_section_is(minilm, monkeypatch):
    """Where no retrieved section is headed by the aspect asked, a sentence under another heading ("Some children
    grow out of it" under "Who gets it") is read by the aspect head (trained on questions) as the outlook, and the
    reading lifts it above the treatment sentences."""
    from assistant.llm import grounded

    treatment = ("Emollients are the base of treatment. Steroid creams calm flares. Immune-calming tablets, such as "
                 "ciclosporin, can help severe eczema. Biologic injections are another option for severe eczema.")
    who = ("Atopic dermatitis most often starts in babies and young children. It is more likely if a parent has "
           "eczema. Some children grow out of it, and others keep it as adults.")
    passages = [hit(1, treatment, "Treatment", "atopic-dermatitis"), hit(2, who, "Who gets it", "atopic-dermatitis")]
    request = GenerationRequest(question="my son has eczema, will he grow out of it?", passages=passages,
                                aspects=["outlook_cure"], max_words=30)
    gen = GroundedGenerator(embedder=minilm)
    units = [u for n, h in enumerate(passages, start=1) for u in build_units(n, h.text, h.heading)]
    says = gen._says(gen._vectors("x", [u.text for u in units])[1], ["outlook_cure"])[:, 0]
    outlook = next(i for i, u in enumerate(units) if "grow out of it" in u.text)
    assert says[outlook] > 0.5 and says[outlook] == says.max()  # read as the outlook; the treatment units are not
    with_reading, _ = gen._score(request, units)
    monkeypatch.setattr(grounded, "SAYS", 0.0)
    without, _ = gen._score(request, units)

    def rank(scores):
        return int((scores > scores[outlook]).sum())

    assert rank(with_reading) < rank(without)


@pytest.mark.slow
def test_each_part_of_a_two_part_question_is_seeded_by_a_unit_that_answers_it(minilm):
    """'Is vitiligo catching, and will it ever go away?': the contagious part by its section, the outlook part by a
    sentence the aspect head reads as the outlook (no outlook section among the passages)."""
    contagious = "Vitiligo is not contagious. You cannot catch it from someone by touch."
    what = ("Vitiligo is a long-term condition where patches of skin lose their colour. It has no cure, but "
            "treatment can bring back some colour in many people.")
    passages = [hit(1, contagious, "Is it contagious?", "vitiligo"), hit(2, what, "What it is", "vitiligo")]
    request = GenerationRequest(question="is vitiligo catching? and will it ever go away", passages=passages,
                                aspects=["contagious", "outlook_cure"], max_words=25)
    gen = GroundedGenerator(embedder=minilm)
    units = [u for n, h in enumerate(passages, start=1) for u in build_units(n, h.text, h.heading)]
    scores, vecs = gen._score(request, units)
    seeds = gen._seeds(request, units, scores, gen._says(vecs, request.aspects))
    assert [units[i].heading for i in seeds] == ["Is it contagious?", "What it is"]
    assert "no cure" in units[seeds[1]].text
