"""Unit tests for the app's rendering and login parsing (no server, no gradio)."""

import re

import pytest

from assistant.answer import Answer, Citation
from assistant.safety import Triage
from assistant.errors import ConfigError
from ui import render
from ui.auth import make_checker, parse_auth

XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>',
       "javascript:alert(1)", "<a href='javascript:alert(1)'>x</a>"]


def _answer(text="Psoriasis is not contagious [1].", **kw) -> Answer:
    cite = Citation(n=1, doc_id="psoriasis", title="Psoriasis <b>", heading="Is it contagious?",
                    text="You cannot catch <script>x</script> psoriasis.", sources=["Test Society: <i>One</i> (2024)"])
    return Answer(question="q", text=text, citations=[cite], readability_grade=6.0, **kw)


@pytest.mark.parametrize("payload", XSS)
def test_user_and_model_text_never_becomes_markup(payload):
    answer = _answer(text=f"Answer {payload} [1].", notices=[payload])
    for html_out in (render.answer_markdown(answer), render.render_sources(answer),
                     render.highlight_placeholders(payload), render.error_box(payload, payload),
                     render.triage_banner({"label": "emergency", "action": "short_circuit", "message": payload,
                                           "notices": [payload]}),
                     render.notice_card({"label": "see_doctor_soon", "action": "answer_with_notice",
                                         "message": payload, "notices": [payload]}),
                     render.table([payload], [[payload]]), render.bullet_list([payload])):
        assert "<script" not in html_out and "<img" not in html_out and "<svg" not in html_out
        # the only links are the ones the app adds itself: [n] to the answer's own passage, and tel: help lines
        own = re.sub(r'<a class="cite-ref" href="#cite-[0-9a-f]{8}-\d+">|<a class="tel" href="tel:\d+">', "", html_out)
        assert "<a " not in own
    assert "&lt;script&gt;" in render.render_sources(answer)


def test_markdown_markers_are_neutralised_in_user_text():
    out = render.esc("**bold** _it_ `code` [link](http://x)")
    assert "*" not in out and "_" not in out and "`" not in out


def test_sources_expand_to_passage_title_and_source_list():
    out = render.render_sources(_answer())
    assert out.count("<details") == 1
    assert "[1] Psoriasis &lt;b&gt; — Is it contagious?" in out
    assert "You cannot catch &lt;script&gt;" in out and "Test Society: &lt;i&gt;One&lt;/i&gt; (2024)" in out
    assert render.render_sources(Answer(question="", text="x")) == ""


def test_grade_badge_flags_grades_above_target():
    assert "grade-ok" in render.grade_badge(_answer()) and "6.0" in render.grade_badge(_answer())
    high = _answer().model_copy(update={"readability_grade": 11.24})
    assert "grade-high" in render.grade_badge(high) and "11.2" in render.grade_badge(high)
    assert render.grade_badge(Answer(question="", text="x")) == ""


@pytest.mark.parametrize("label,tier,action,css", [("emergency", "get_help_now", "short_circuit", "banner-emergency"),
                                                  ("crisis", "get_help_now", "short_circuit", "banner-crisis")])
def test_get_help_now_replies_are_pinned_cards(label, tier, action, css):
    triage = {"label": label, "tier": tier, "action": action, "message": "Call 999 now.\n- line one\n- line two"}
    out = render.triage_banner(triage)
    assert css in out and 'role="alert"' in out and f'data-label="{label}"' in out and "safety-card" in out
    assert 'Call <a class="tel" href="tel:999">999</a> now.' in out  # tap to call
    assert render.notice_card(triage) == ""  # no second notice inside the answer
    # the reply itself, in the conversation, is a card with tap-to-call numbers, not a plain bubble
    reply = Answer(question="q", text="Call 999 now.", triage=Triage(label=label, action=action, tier=tier,
                                                                     message="Call 999 now."))
    md = render.answer_markdown(reply)
    assert md.startswith('<div class="notice-card ' + css) and 'href="tel:999"' in md


@pytest.mark.parametrize("label,tier,action,css,title", [
    ("see_doctor_soon", "none", "answer_with_notice", "banner-doctor", "Please see a doctor soon"),
    ("dosing", "none", "answer_with_notice", "banner-info", "About your own medicine dose"),
    ("crisis", "resources_first", "answer_with_notice", "banner-crisis", "Support is there if you need it"),
    ("emergency", "resources_first", "answer_with_notice", "banner-emergency", "If this could be urgent")])
def test_other_notices_are_a_gentler_card_above_the_answer(label, tier, action, css, title):
    triage = {"label": label, "tier": tier, "action": action, "message": "Call 988 or see your GP.", "notices": []}
    assert render.triage_banner(triage) == ""  # nothing pinned
    card = render.notice_card(triage)
    assert css in card and 'role="note"' in card and title in card and 'href="tel:988"' in card
    answer = _answer().model_copy(update={"triage": Triage(label=label, action=action, tier=tier,
                                                           message="Call 988 or see your GP.")})
    md = render.answer_markdown(answer)
    assert md.index("notice-card") < md.index("not contagious")  # above the answer


def test_no_banner_for_ordinary_or_missing_triage():
    assert render.triage_banner(None) == "" and render.notice_card(None) == ""
    assert render.triage_banner({"label": "ordinary", "message": ""}) == ""
    assert render.notice_card({"label": "dosing", "action": "answer_with_notice", "message": "", "notices": []}) == ""
    # a short-circuit reply that is itself the notice (out of scope, injection) gets no second copy
    assert render.notice_card({"label": "out_of_scope", "action": "short_circuit", "message": "Outside."}) == ""


def test_banner_keeps_list_structure_of_crisis_message():
    msg = "I'm sorry.\n\nIf you might act on it, call now.\n- US: call 988.\n- UK: 116 123.\n\nI'm here."
    out = render.triage_banner({"label": "crisis", "tier": "get_help_now", "message": msg})
    assert out.count("<li>") == 2 and '<li>US: call <a class="tel" href="tel:988">988</a>.</li>' in out and out.count("<p>") == 3


def test_placeholders_are_highlighted_and_everything_else_escaped():
    out = render.highlight_placeholders("Patient: [NAME] <b>x</b> MRN [MRN] [NOTAKIND]")
    assert out.count('<mark class="phi"') == 2 and 'data-kind="NAME"' in out and 'data-kind="MRN"' in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "[NOTAKIND]" in out


def test_redaction_summary_counts():
    assert "NAME: 2" in render.redaction_summary({"NAME": 2, "MRN": 1})
    assert "No personal details" in render.redaction_summary({})


def test_parse_auth_forms(tmp_path):
    assert parse_auth(None) is None and parse_auth("  ") is None
    assert parse_auth("alice:s3cr:et") == [("alice", "s3cr:et")]
    f = tmp_path / "logins.txt"
    f.write_text("# team\nalice:one\n\nbob:two\n", encoding="utf-8")
    assert parse_auth(str(f)) == [("alice", "one"), ("bob", "two")]


@pytest.mark.parametrize("bad", ["alice", "alice:", ":pw", "/no/such/file"])
def test_parse_auth_rejects_bad_values_with_a_fix(bad):
    with pytest.raises(ConfigError) as e:
        parse_auth(bad)
    assert "user:password" in e.value.fix


def test_parse_auth_rejects_bad_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    for path in (empty, binary):
        with pytest.raises(ConfigError):
            parse_auth(str(path))


def test_checker_compares_users_and_passwords():
    check = make_checker([("alice", "one"), ("bob", "two")])
    assert check("alice", "one") and check("bob", "two")
    assert not check("alice", "two") and not check("carol", "one") and not check("", "") and not check(None, None)


def test_typed_markdown_links_and_addresses_stay_text():
    for typed in ("see [my site](https://evil.example/x)", "go to www.evil.example now", "http://evil.example",
                  "<a href='https://evil.example'>x</a>"):
        out = render.answer_markdown(_answer(text=typed))
        assert "](" not in out.replace("&#93;(", "") and "://evil" not in out and "www.evil" not in out
        assert "evil.example" in out.replace("&#46;", ".").replace("&#58;", ":")  # still there, as text


def test_each_answer_carries_its_own_linked_passages_and_source_links():
    cite = Citation(n=1, doc_id="psoriasis", title="Psoriasis", heading="Treatment",
                    text="Options:\n- creams\n- light treatment", sources=["Society: Guide (2024)", "Other (2023)"],
                    source_urls=["https://example.org/guide", "javascript:alert(1)"])
    one = render.answer_markdown(Answer(question="q1", text="Creams help [1].", citations=[cite]))
    two = render.answer_markdown(Answer(question="q2", text="Light helps [1].", citations=[cite]))
    ref = re.search(r'<a class="cite-ref" href="#(cite-[0-9a-f]{8}-1)">\[1\]</a>', one)
    assert ref and f'id="{ref.group(1)}"' in one and ref.group(1) not in two  # each answer's own passages
    assert "<ul><li>creams</li><li>light treatment</li></ul>" in one  # the passage keeps its list
    assert '<a href="https://example.org/guide" target="_blank" rel="noopener noreferrer">' in one
    assert "javascript:" not in one and "<li>Other (2023)</li>" in one  # only https knowledge-base links
    assert "[2]" not in one and render.answer_markdown(Answer(question="q", text="No source [2].")).count("<a ") == 0


def test_plain_text_has_no_markdown_symbols():
    md = "# Your report\n\n## Summary\n**Basal cell carcinoma** on the _left_ forearm [1](https://x).\n- one\n* two\n"
    out = render.plain_text(md)
    assert out == "Your report\n\nSummary\nBasal cell carcinoma on the left forearm 1.\n\u2022 one\n\u2022 two"
    assert render.plain_text("Keep 5 * 3 and snake_case_words") == "Keep 5 * 3 and snake_case_words"


def test_the_browser_copy_of_the_chat_is_de_identified_and_restores():
    from ui.chat_tab import restored, saved_copy

    history = [{"role": "user", "content": [{"type": "text", "text": "I am Margaret Thornbury, is eczema contagious?"}]},
               {"role": "assistant", "content": "Eczema is not contagious [1]."}]
    turns = [{"question": "I am Margaret Thornbury, is eczema contagious?", "answer": "Eczema is not contagious [1].",
              "exchange_id": "abc", "message_index": 1}]
    kept = saved_copy(history, turns)
    assert "Thornbury" not in str(kept) and "[NAME]" in kept["history"][0]["content"]
    assert kept["turns"][0]["exchange_id"] is None  # nothing ties the copy to the server's logs
    h, t = restored(kept)
    assert [m["role"] for m in h] == ["user", "assistant"] and t[0]["answer"].startswith("Eczema")
    assert restored({"version": 2}) == ([], []) and restored("junk") == ([], [])


def test_a_late_browser_copy_after_forget_stays_empty():
    """The copy step can be queued with the page's old messages just before Forget runs; the server's turns are
    empty by then, so the copy written afterwards is empty too (a reload shows no forgotten conversation)."""
    from ui.chat_tab import restored, saved_copy

    history = [{"role": "user", "content": "Is eczema contagious?"}, {"role": "assistant", "content": "No [1]."}]
    assert saved_copy(history, []) == {} and restored(saved_copy(history, None)) == ([], [])


def test_cards_inside_chat_messages_are_inert_markdown():
    text = "Call 999. See [this](https://evil.example/x) or www.evil.example, **now** _please_"
    card = render.notice_card({"label": "see_doctor_soon", "action": "answer_with_notice", "message": text})
    reply = render.answer_markdown(Answer(question="q", text=text, triage=Triage(
        label="emergency", action="short_circuit", tier="get_help_now", message=text)))
    for out in (card, reply):
        assert 'href="tel:999"' in out and "](" not in out and "**" not in out and "://" not in out
        assert "www." not in out and "_please_" not in out
