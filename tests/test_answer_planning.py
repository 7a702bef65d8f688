"""Answer planning (issue 13) with the real MiniLM embedder and FAISS index: one test per failure class.

Assertions are on content (which document and section the answer cites, which facts it carries), never on
exact wording."""

from __future__ import annotations

import pytest

from assistant.planning import plan_passages
from assistant.query import Query, Topic, build_query, topics_of
from assistant.types import Hit


def _docs(answer) -> list[str]:
    return [c.doc_id for c in answer.citations]


def _headings(answer) -> list[str]:
    return [c.heading for c in answer.citations]


# ------------------------------------------------------------------------------------------ Query


def test_topics_prefer_the_document_titled_after_the_name(real_assistant):
    vocab = real_assistant.retriever.vocabulary
    assert [t.doc_id for t in topics_of("what triggers psoriasis flares?", vocab)] == ["psoriasis"]
    assert topics_of("is humira ok with a cold", vocab)[0].doc_id == "tnf-inhibitors"  # brand -> class document
    both = {t.doc_id for t in topics_of("how is pemphigus different from pemphigoid?", vocab)}
    assert both == {"pemphigus", "bullous-pemphigoid"}  # "pemphigoid" alone names its document
    assert topics_of("what is the weather like in Leeds", vocab) == []


def test_names_written_by_ear_or_one_word_off_find_their_document(real_assistant):
    """"lichen sclerosis" is lichen sclerosus although "sclerosis" alone names systemic sclerosis; "pemfigus" is
    pemphigus; a colour word of a title's qualifier ("brown" in "on brown and black skin") names nothing alone."""
    vocab = real_assistant.retriever.vocabulary
    assert [t.doc_id for t in topics_of("i have lichen sclerosis down below", vocab)] == ["lichen-sclerosus"]
    assert [t.doc_id for t in topics_of("is systemic sclerosis the same as morphea", vocab)] == [
        "morphea-and-systemic-sclerosis"]
    assert [t.doc_id for t in topics_of("they think it might be pemfigus", vocab)] == ["pemphigus"]
    assert topics_of("i have brown patches on my cheeks", vocab) == []
    assert "skin-of-colour" in {t.doc_id for t in topics_of("eczema on brown and black skin", vocab)}


def test_the_phrase_naming_fewest_documents_decides_the_topic(real_assistant):
    """"skin biopsy" is in three titles, "biopsy report" in one: a question about a biopsy report is about the
    report-reading guide, not wound care after a biopsy; a report's pattern name is the patterns document's."""
    vocab = real_assistant.retriever.vocabulary
    got = [t.doc_id for t in topics_of("I got my skin biopsy report on the app, how do I make sense of it", vocab)]
    assert got[0] == "reading-a-skin-biopsy-report" and "wound-care-after-skin-surgery" not in got
    assert topics_of("what does spongiotic dermatitis on my skin biopsy mean", vocab)[0].doc_id == (
        "inflammatory-patterns")
    # the best rank still wins over a longer phrase of a worse rank: "pityriasis lichenoides" is the title,
    # "pityriasis lichenoides chronica" only a condition the document lists
    assert topics_of("the biopsy said pityriasis lichenoides chronica", vocab)[0].doc_id == "pityriasis-lichenoides"
    # a title's own word stays a topic inside a longer name another document lists ("tinea capitis")
    got = [t.doc_id for t in topics_of("the derm said tinea capitis and gave us tablets", vocab)]
    assert got[0] == "tinea-fungal-infections" and "antifungals" in got
    # a disease's own document and its report twin count as one thing named, so the disease asked about leads
    got = [t.doc_id for t in topics_of("my father has squamous cell carcinoma on his ear, can it spread? the doctor "
                                       "said the BCC cannot", vocab)]
    assert got[:2] == ["squamous-cell-skin-cancer", "squamous-cell-carcinoma"]
    # a part of a longer name found already is not another name: Stevens-Johnson syndrome is the SJS/TEN document
    assert topics_of("our son had Stevens-Johnson syndrome last year", vocab)[0].doc_id == "sjs-ten-after-recovery"
    # a number word names nothing ("TEN" is also a document's abbreviation)
    assert "sjs-ten-after-recovery" not in {t.doc_id for t in topics_of("a kidney transplant ten years ago", vocab)}
    # a medicine named beside the condition it treats still comes first
    assert [t.doc_id for t in topics_of("methotrexate for psoriasis side effects", vocab)] == [
        "methotrexate", "psoriasis"]


def test_query_has_the_aspects_of_each_part(real_assistant):
    q = real_assistant.query("how long does isotretinoin take to work and what are the side effects?")
    assert q.topic_docs[0] == "isotretinoin"
    assert {"time_to_work", "side_effects"} <= set(q.aspects)


def test_a_follow_up_takes_the_topic_and_unclear_aspect_from_the_conversation(real_assistant):
    history = [{"role": "user", "content": "what triggers rosacea?"}, {"role": "assistant", "content": "..."}]
    q = real_assistant.query("and what about on my nails?", history)
    assert q.follow_up and q.topic_docs == ["rosacea"] and "Rosacea" in q.search_text
    # a message that names its own topic is not a follow-up
    assert not real_assistant.query("is psoriasis contagious?", history).follow_up
    # one that names only a cross-cutting guide asks it about the conversation's topic
    hives = [{"role": "user", "content": "I have chronic hives and sometimes my lips swell up"}]
    q = real_assistant.query("When should I be worried and get help fast?", hives)
    assert q.follow_up and q.topic_docs[:2] == ["chronic-urticaria-and-angioedema", "urgent-skin-symptoms"]


# ------------------------------------------------------------------------------------------ plans


def _hit(doc_id: str, heading: str, text: str, n: int, kind: str = "condition") -> Hit:
    return Hit(chunk_id=f"{doc_id}-{n}", doc_id=doc_id, title=doc_id, kind=kind, heading=heading, text=text,
               dense_score=0.5, bm25_score=1.0, score=0.1, rank=n)


def test_the_plan_drops_passages_about_another_condition_and_keeps_those_that_name_the_topic():
    query = Query(text="what triggers psoriasis flares?", search_text="what triggers psoriasis flares?",
                  topics=[Topic("psoriasis", "Psoriasis", 0, ("psoriasi",))], aspects=["causes_triggers"])
    hits = [_hit("rosacea", "Causes and triggers", "Spicy food and hot drinks can trigger rosacea.", 1),
            _hit("medicines-in-pregnancy", "Methotrexate", "Methotrexate for psoriasis must stop before pregnancy.", 2,
                 kind="safety"),
            _hit("psoriasis", "Causes and triggers", "Throat infections can start a psoriasis flare.", 3)]
    plan = plan_passages(query, hits, chunks=[])
    assert [h.doc_id for h in plan.hits] == ["medicines-in-pregnancy", "psoriasis"]
    assert plan.dropped == ["rosacea-1"]


def test_another_diseases_passage_is_dropped_even_where_it_names_the_topic():
    """Rosacea's diagnosis section names lupus as a look-alike: not an answer to how lupus is diagnosed. A passing
    word of the question ("bed") keeps nothing either. A medicine's question may use a disease passage naming it."""
    lupus = Query(text="how is skin lupus diagnosed? my husband worries about sharing the bed",
                  search_text="how is skin lupus diagnosed?", topics=[Topic("cutaneous-lupus", "Cutaneous lupus", 0,
                                                                           ("lupu",))],
                  aspects=["diagnosis"], named=[("lupu",), ("bed",)])
    hits = [_hit("cutaneous-lupus", "How it is diagnosed", "A skin biopsy helps confirm cutaneous lupus.", 1),
            _hit("rosacea", "How it is diagnosed", "Lupus can look like rosacea, so a biopsy may be needed.", 2),
            _hit("scabies-treatments", "How it is used", "Wash bed linen on a hot cycle.", 3, kind="treatment")]
    plan = plan_passages(lupus, hits, chunks=[])
    assert [h.doc_id for h in plan.hits] == ["cutaneous-lupus"]
    assert plan.dropped == ["rosacea-2", "scabies-treatments-3"]
    # a general guide's question (reading a biopsy report) is not answered from a disease's diagnosis section
    report = Query(text="what are the sections of my biopsy report for?", search_text="biopsy report sections",
                   topics=[Topic("reading-a-skin-biopsy-report", "How to read a skin biopsy report", 1,
                                 ("biopsy", "report"))], aspects=["what_it_is"])
    hits = [_hit("reading-a-skin-biopsy-report", "The diagnosis", "The diagnosis line is the biopsy report's answer.",
                 1, kind="pathology"),
            _hit("bullous-pemphigoid", "How it is diagnosed", "The biopsy report shows a split under the skin.", 2)]
    assert [h.doc_id for h in plan_passages(report, hits, chunks=[]).hits] == ["reading-a-skin-biopsy-report"]
    medicine = Query(text="does methotrexate help psoriasis", search_text="methotrexate",
                     topics=[Topic("methotrexate", "Methotrexate", 0, ("methotrexate",))], aspects=["treatment"])
    hits = [_hit("methotrexate", "What it treats", "Methotrexate is used for psoriasis.", 1, kind="treatment"),
            _hit("psoriasis", "Treatment", "Tablets such as methotrexate help severe psoriasis.", 2)]
    assert [h.doc_id for h in plan_passages(medicine, hits, chunks=[]).hits] == ["methotrexate", "psoriasis"]


def test_a_guide_not_laid_out_by_aspect_adds_no_section_on_top_of_the_one_that_answered():
    """"dark marks after spots on black skin": the skin-of-colour guide's dark-marks passage answers; its first
    "brown and black skin" section (skin cancer) is not added. A condition document's aspect section still is."""
    query = Query(text="dark marks after spots on black skin, do they fade?", search_text="dark marks black skin",
                  topics=[Topic("skin-of-colour", "Skin conditions on brown and black skin", 0, ("black", "skin"))],
                  aspects=["skin_of_colour"])
    found = _hit("skin-of-colour", "Dark marks after inflammation", "Dark marks fade slowly over months.", 1,
                 kind="safety")
    cancer = _hit("skin-of-colour", "Skin cancer on brown and black skin", "Melanoma can start on the soles.", 2,
                  kind="safety")
    plan = plan_passages(query, [found], chunks=[found, cancer])
    assert [h.chunk_id for h in plan.hits] == ["skin-of-colour-1"] and not plan.planned_sections
    acne = Query(text="do acne marks fade on black skin?", search_text="acne marks black skin",
                 topics=[Topic("acne", "Acne", 0, ("acne",))], aspects=["skin_of_colour"])
    cause = _hit("acne", "Causes and triggers", "Acne starts in blocked pores.", 1)
    section = _hit("acne", "How it looks on brown and black skin", "Dark marks can last for months.", 2)
    plan = plan_passages(acne, [cause], chunks=[cause, section])
    assert plan.planned_sections == [("acne", "How it looks on brown and black skin")]


def test_a_question_with_no_topic_keeps_to_the_best_passages_document():
    query = Query(text="tiny itchy blisters on my fingers", search_text="tiny itchy blisters on my fingers")
    hits = [_hit("hand-eczema", "Symptoms", "Tiny itchy blisters appear on the sides of the fingers.", 1),
            _hit("pemphigus", "Symptoms", "Blisters break easily and leave raw patches.", 2),
            _hit("glossary", "Pompholyx", "Pompholyx is a type of hand-eczema with blisters.", 3, kind="glossary"),
            _hit("hand-eczema", "Treatment", "Strong steroid creams calm a flare.", 4)]
    plan = plan_passages(query, hits, chunks=[])
    # the document of the best passage, and a passage that names its subject; never another condition's text
    assert [h.doc_id for h in plan.hits] == ["hand-eczema", "hand-eczema", "glossary"]  # its own passages first
    assert plan.dropped == ["pemphigus-2"] and plan.inferred == "hand-eczema"
    # nothing to drop: the passages stay as they were, and the answer still says which guidance it is
    same = plan_passages(query, [hits[0], hits[3]], chunks=[])
    assert [h.chunk_id for h in same.hits] == ["hand-eczema-1", "hand-eczema-4"] and same.inferred == "hand-eczema"


def test_the_closest_topic_is_the_document_its_passages_score_best_for():
    query = Query(text="painful red lumps on both shins", search_text="painful red lumps on both shins")
    hits = [_hit("glossary", "Erythema nodosum", "Tender red lumps, usually on the shins.", 1),
            _hit("sarcoidosis", "Symptoms", "Sore red lumps on the shins can come first.", 2),
            _hit("erythema-nodosum", "Symptoms", "Painful lumps appear on the front of both shins.", 3),
            _hit("erythema-nodosum", "Causes", "A sore throat often comes before it.", 4)]
    for h in hits[2:]:
        h.title = "Erythema nodosum and panniculitis"
    plan = plan_passages(query, hits, chunks=[])
    # two passages, and the glossary entry whose term names the document, outweigh the one best passage
    assert plan.inferred == "Erythema nodosum and panniculitis"
    assert [h.doc_id for h in plan.hits] == ["erythema-nodosum", "erythema-nodosum", "glossary"]


# ------------------------------------------------------------------------------------------ answers


def test_wrong_condition_never_answers_a_named_topic(real_assistant):
    a = real_assistant.ask("What triggers psoriasis flares?")
    assert a.status == "answered" and set(_docs(a)) == {"psoriasis"}
    assert "Causes and triggers" in _headings(a)
    assert "spicy" not in a.text.lower()  # rosacea's triggers, unlabelled, were the old failure


def test_a_treatment_question_gets_the_treatment_list(real_assistant):
    a = real_assistant.ask("what treatments exist for HS?")
    assert _docs(a)[0] == "hidradenitis-suppurativa" and "Treatment" in _headings(a)
    # any other document cited is there because its passage is about HS
    assert all(c.doc_id == "hidradenitis-suppurativa" or "hidradenitis" in c.text.lower() or " HS" in c.text
               for c in a.citations)
    assert "adalimumab" in a.text.lower() or "biologic" in a.text.lower()


def test_a_missed_aspect_is_planned_from_the_topic_section(real_assistant):
    a = real_assistant.ask("what monitoring does hydroxychloroquine need?")
    assert _docs(a) and set(_docs(a)) == {"hydroxychloroquine"} and "Monitoring" in _headings(a)
    assert "eye" in a.text.lower()


def test_a_multi_part_question_answers_each_part(real_assistant):
    a = real_assistant.ask("how long does isotretinoin take to work and what are the side effects?")
    assert set(_docs(a)) == {"isotretinoin"}
    assert any("How long" in h for h in _headings(a)) and "Side effects" in _headings(a)


def test_a_follow_up_in_a_chat_is_answered_about_the_earlier_topic(real_assistant):
    first = real_assistant.ask("what triggers rosacea?")
    history = [{"role": "user", "content": "what triggers rosacea?"}, {"role": "assistant", "content": first.text}]
    a = real_assistant.ask("can others catch it from me?", history=history)
    assert a.status == "answered" and a.follow_up and set(_docs(a)) == {"rosacea"}
    assert any("contagious" in h.lower() for h in _headings(a))
    # the same message with no conversation has nothing to be about
    assert real_assistant.ask("can others catch it from me?").status != "answered"


def test_an_aspect_the_guidance_lacks_is_said_plainly(real_assistant):
    # No document it names has a contagious section. (Basal cell carcinoma, the example before knowledge base v2,
    # now has a condition document that answers it.)
    a = real_assistant.ask("is inflammatory spongiotic dermatitis on my biopsy report contagious?")
    assert any("don't have vetted information on whether it is contagious" in n for n in a.notices)
    assert not any("contagious" in n for n in real_assistant.ask("is basal cell carcinoma contagious?").notices)


def test_stitches_after_a_mole_is_cut_out_are_answered_from_the_wound_care_guide(real_assistant):
    # the mole named the topic, so the answer was about why moles are removed (QA blind19-21, development data)
    a = real_assistant.ask("had a mole cut out today and got stitches, can i shower? and can i go swimming this weekend")
    assert a.status == "answered" and "wound-care-after-skin-surgery" in _docs(a)
    assert "swim" in a.text.lower() and "shower" in a.text.lower()


def test_accented_letters_do_not_split_a_name_into_words_that_name_another_topic(real_assistant):
    from assistant.bm25 import tokenize

    # "Behçet" was read as "beh" + "et", so the "et" of "pityriasis lichenoides et varioliformis acuta" (PLEVA)
    # named Behçet's disease and its outlook was appended, unlabelled, to an answer about PLEVA (QA blind22)
    assert tokenize("Behçet's Sézary") == tokenize("Behcet's Sezary") == ["behcet", "s", "sezary"]
    history = [{"role": "user", "content": "my son is 16 and got diagnosed with PLEVA today, spots all over his chest"}]
    a = real_assistant.ask("is it catching? should he stay off school", history=history)
    assert a.status == "answered" and set(_docs(a)) == {"pityriasis-lichenoides"}
    assert "behcets-disease" in _docs(real_assistant.ask("is behcets disease contagious?"))


def test_a_medicine_asked_about_through_its_condition_is_no_gap(real_assistant):
    # Pattern hair loss has no "How long until it works" heading, but its treatment section says how long minoxidil
    # takes: saying "I don't have vetted information on how long it takes to work" was untrue (QA blind22)
    a = real_assistant.ask("minoxidil thinning hair woman how long before it works")
    assert a.status == "answered" and not any("vetted information" in n for n in a.notices)
    assert "androgenetic-alopecia" in _docs(a) and "month" in a.text.lower()


def test_a_report_document_borrows_the_section_it_lacks_from_the_condition_document(real_assistant):
    # "Actinic keratosis on a biopsy report" has no contagious section; the actinic keratosis condition document has
    a = real_assistant.ask("is actinic keratosis on a biopsy report contagious?")
    assert a.status == "answered" and not a.notices
    assert a.citations[0].doc_id == "actinic-keratosis-and-field-change" and "not contagious" in a.text
    vocab = real_assistant.retriever.vocabulary
    assert vocab.siblings["basal-cell-carcinoma"] == ["basal-cell-skin-cancer"]
    assert "benign-skin-lesions" not in vocab.siblings  # several conditions: no single sibling


@pytest.mark.parametrize("history", ["not a list", [{"role": "robot", "content": "hi"}], [{"content": 3}]])
def test_a_malformed_history_gets_a_clear_error(real_assistant, history):
    from assistant.errors import InputError

    with pytest.raises(InputError, match="history"):
        real_assistant.ask("is it contagious?", history=history)


def test_build_query_without_a_head_uses_the_rules(real_assistant):
    q = build_query("is eczema contagious?", real_assistant.retriever.vocabulary)
    assert q.aspects == ["contagious"] and q.topic_docs == ["atopic-dermatitis"]


def test_the_chat_tab_passes_the_conversation(real_assistant, real_settings):
    from ui.chat_tab import chat_turn
    from ui.services import Services

    services = Services(real_settings, assistant=real_assistant)
    *_, (_, history, _, _, _, turns) = chat_turn(services, "what triggers rosacea?", [], [])
    *_, (_, history, sources, _, _, turns) = chat_turn(services, "can others catch it from me?", history, turns)
    assert turns[-1]["status"] == "answered" and set(turns[-1]["doc_ids"]) == {"rosacea"}
    assert "contagious" in history[-1]["content"].lower()


def test_a_term_only_the_glossary_knows_gets_its_definition_labelled_and_a_decline(real_assistant):
    # ("verruca removal" was the example before knowledge base v2 gave warts and verrucas their own document)
    a = real_assistant.ask("molluscum treatment")
    assert a.status == "abstained" and "(a definition only)" in a.text
    assert [c.doc_id for c in a.citations] == ["glossary"] and "pearly bumps" in a.text
    assert "beyond a short definition" in a.text
    # asked what it is, the definition is the answer
    b = real_assistant.ask("what is a Kogoj pustule?")
    assert b.status == "answered" and b.citations[0].doc_id == "glossary"


def test_british_and_american_spellings_name_the_same_topic(real_assistant):
    vocab = real_assistant.retriever.vocabulary
    assert topics_of("greasy flaky rash, seborrhoeic dermatitis they said", vocab)[0].doc_id == "seborrheic-dermatitis"
    assert "benign-skin-lesions" in [t.doc_id for t in topics_of("biopsy report says seborrhoeic keratosis", vocab)]


def test_a_mood_follow_up_goes_to_the_mental_health_guidance(real_assistant):
    earlier = ("Doctor, my psoriasis is making me very down, I am avoiding going out. Is this a mental health thing "
               "with skin disease?")
    q = real_assistant.query("is there any help for that side of it?", [{"role": "user", "content": earlier}])
    assert q.follow_up and q.topic_docs[0] == "mental-health-and-skin-disease"


def test_a_word_many_documents_use_names_no_document_unless_it_heads_a_title(real_assistant):
    vocab = real_assistant.retriever.vocabulary
    # "face" glosses melasma's title, "scalp" the fungal infections', "biopsy" is what wound care follows:
    # none of them makes a question about those documents
    assert topics_of("does seborrheic dermatitis on my face go away", vocab)[0].doc_id == "seborrheic-dermatitis"
    assert "melasma" not in [t.doc_id for t in topics_of("does seborrheic dermatitis on my face go away", vocab)]
    assert topics_of("what is on my scalp", vocab) == []
    biopsy = [t.doc_id for t in topics_of("what does my biopsy result mean", vocab)]
    assert "wound-care-after-skin-surgery" not in biopsy
    # a widely used word that heads its document's title still names it
    assert topics_of("does acne scar", vocab)[0].doc_id == "acne"


def test_a_short_message_that_points_back_is_about_the_conversation_first(real_assistant):
    earlier = "The consultant has prescribed ruxolitinib cream for the vitiligo on my face and neck."
    q = real_assistant.query("Would that be a steroid?", [{"role": "user", "content": earlier}])
    assert q.follow_up and q.topic_docs[0] == "newer-topical-treatments"
    earlier = "husband had a mole removed, report says 'compound naevus with moderate atypia'"
    q = real_assistant.query("does that mean he's going to get melanoma?", [{"role": "user", "content": earlier}])
    assert q.follow_up and q.topic_docs[0] != "melanoma"
    assert "melanoma" in q.topic_docs  # what the message names still counts, after the conversation's topic
    # a message that names its subject before "it" is its own question
    q = real_assistant.query("what is psoriasis and is it contagious", [{"role": "user", "content": earlier}])
    assert not q.follow_up and q.topic_docs == ["psoriasis"]


def test_an_answer_to_a_question_naming_nothing_says_which_guidance_it_keeps_to(real_assistant):
    a = real_assistant.ask("tiny itchy blisters on the sides of my fingers keep coming back every few weeks")
    assert a.status == "answered" and len(set(_docs(a)) - {"glossary"}) == 1
    doc = next(d for d in _docs(a) if d != "glossary")
    title = next(c.title for c in a.citations if c.doc_id == doc)
    assert any("closest guidance" in n and title in n for n in a.notices)


def test_a_passage_names_a_topic_only_with_its_words_in_a_row():
    from assistant.planning import names_topic

    scattered = _hit("apremilast", "Side effects", "A cold, a sore throat and headache are common.", 1)
    named = _hit("cold-sores", "Contagious", "Cold sores spread by kissing.", 2)
    assert not names_topic(scattered, [("cold", "sore")]) and names_topic(named, [("cold", "sore")])


def test_a_number_or_a_dosage_form_names_no_document(real_assistant):
    vocab = real_assistant.retriever.vocabulary
    docs = [t.doc_id for t in topics_of("Accutane starts next week for my 17 year old, what side effects?", vocab)]
    assert docs == ["isotretinoin"]  # not the IL-17 inhibitors
    assert topics_of("which shampoo and capsules are best", vocab) == []
