"""Patient chat tab: streaming answers, triage banner, citations, reading grade, examples, feedback, clear.

Per-session data only: the chat history lives in the browser's Chatbot value and the list of this
session's answers (for feedback) in a ``gr.State``. Nothing user-specific is kept on the server object.
"""

from __future__ import annotations

import logging
from typing import Any

from assistant.errors import DermassistError

from .render import answer_markdown, esc, grade_badge, h, pinned, render_sources, triage_banner
from .services import Services

log = logging.getLogger("dermassist.ui")

EXAMPLES = [
    "Is eczema contagious?",
    "What triggers a psoriasis flare?",
    "What is hidradenitis suppurativa?",
    "Are steroid creams safe to use on my face?",
    "What does 'margins clear' mean on my biopsy report?",
]
ANSWER_GROUP = "answer"
RATINGS = {"👍 Helpful": "up", "👎 Not helpful": "down"}
MAX_COMMENT_CHARS = 2000
MAX_TURNS_KEPT = 50
MAX_HISTORY_MESSAGES = 200  # older messages drop off the top of a very long chat
WELCOME_MD = ("**Welcome to dermassist.** Ask about eczema, psoriasis, acne, hives, skin cancer, a biopsy result "
              "and other skin, hair or nail conditions. Answers come from vetted guidance, in plain words, and show "
              "where they come from.\n\nIt cannot diagnose you, look at photos or tell you your own medicine dose. "
              "**In an emergency call your local emergency number.**\n\nType a question below, or try an example.")
DISCLAIMER_MD = ("_dermassist gives general education, not a diagnosis. Talk to your own doctor or nurse about your "
                 "skin. In an emergency call your local emergency number._")


QUIET = {"api_name": False, "show_progress": "hidden"}  # bookkeeping steps: no progress timers on screen
# writing the browser copy, Forget and New chat run one at a time, in the order they were queued, so a copy
# queued just before Forget is written before Forget's empty one (and one queued after it finds no turns)
COPY_GROUP = {"concurrency_id": "browser-copy", "concurrency_limit": 1}
# after an answer: bring a safety card into view (it sits just above the input) and move focus to it
SCROLL_TO_CARD = ("() => { const c = document.querySelector('#triage-banner .safety-card');"
                  " if (c) { c.scrollIntoView({block: 'center'}); c.focus({preventScroll: true}); } }")


def _turn(question: str, answer: Any, exchange_id: str | None) -> dict:
    triage = getattr(answer, "triage", None)
    return {"question": question, "answer": answer.text, "status": answer.status, "backend": answer.backend,
            "triage": getattr(triage, "label", None), "doc_ids": [c.doc_id for c in answer.citations],
            "exchange_id": exchange_id, "rated": None, "help_now": pinned(triage)}


def chat_turn(services: Services, question: str, history: list | None, turns: list | None, card: str = ""):
    """Generator for the chat event: (box, history, sources, grade, card, turns) after each sentence.

    ``card`` is the pinned safety card on screen: it stays until dismissed, and a new emergency or crisis reply
    replaces it. Other notices are gentler cards inside the answer."""
    card = card if isinstance(card, str) else ""
    history = list(history or [])
    turns = list(turns or [])
    history = history[-MAX_HISTORY_MESSAGES:]  # older messages drop off (turns are capped lower still)
    question = question if isinstance(question, str) else ""
    shown = question.strip()
    if len(shown) > 4000:
        shown = shown[:4000] + " …"
    # the conversation so far, as typed (the Chatbot holds escaped Markdown): follow-ups continue its topic
    conversation = [m for t in turns for m in ({"role": "user", "content": t.get("question", "")},
                                               {"role": "assistant", "content": t.get("answer", "")})]
    history.append({"role": "user", "content": esc(shown)})
    history.append({"role": "assistant", "content": "…"})
    yield "", history, "", "", card, turns
    answer = None
    try:
        for text, final in services.stream_answer(question, history=conversation):
            if final is not None:
                answer = final
                break
            history[-1] = {"role": "assistant", "content": answer_markdown(None, partial_text=text)}
            yield "", history, "", "", card, turns
    except DermassistError as e:
        history[-1] = {"role": "assistant", "content": esc(f"Sorry, something went wrong: {e.message} {e.web_fix}")}
        yield "", history, "", "", card, turns
        return
    except Exception:  # never a crash in the chat: the details go to the server log only
        log.exception("answering failed")
        history[-1] = {"role": "assistant", "content": "Sorry, something went wrong on our side. Please try again."}
        yield "", history, "", "", card, turns
        return
    if answer is None:  # a streamer that ended without its final Answer
        history[-1] = {"role": "assistant", "content": "Sorry, no answer was produced. Please try again."}
        yield "", history, "", "", card, turns
        return
    if answer.question:
        history[-2] = {"role": "user", "content": esc(answer.question)}
    history[-1] = {"role": "assistant", "content": answer_markdown(answer)}
    exchange_id = services.log_exchange(question, answer)
    turns = (turns + [_turn(question, answer, exchange_id)])[-MAX_TURNS_KEPT:]
    banner = triage_banner(getattr(answer, "triage", None)) or card
    yield "", history, render_sources(answer), grade_badge(answer), banner, turns


def saved_copy(history: list | None, turns: list | None) -> dict:
    """What the browser keeps of the conversation (localStorage, this browser only): the messages and turns
    with personal details removed from what the user typed, so a reload restores the chat without them.

    ``turns`` is session state that the server reads when this step runs, while ``history`` is what the page
    sent when the step was queued: no turns means the conversation was forgotten (or cleared) in between, so
    the copy is empty and a late write cannot bring a forgotten conversation back."""
    from assistant.phi import redact

    if not turns:
        return {}

    def clean(text: str) -> str:
        return redact(text or "").text if text else ""

    def text_of(content) -> str:  # gradio 6 gives a message's content as a list of parts
        if isinstance(content, list):
            return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
        return content if isinstance(content, str) else ""

    messages = [{"role": m.get("role"), "content": clean(text_of(m.get("content"))) if m.get("role") == "user"
                 else text_of(m.get("content"))} for m in (history or []) if isinstance(m, dict)]
    kept = [{**t, "question": clean(t.get("question", "")), "exchange_id": None} for t in (turns or [])]
    return {"version": 1, "history": messages[-MAX_HISTORY_MESSAGES:], "turns": kept[-MAX_TURNS_KEPT:]}


def restored(saved: dict | None) -> tuple[list, list]:
    """(history, turns) from the browser's copy; anything malformed gives an empty chat."""
    if not isinstance(saved, dict) or saved.get("version") != 1:
        return [], []
    history = [m for m in saved.get("history") or [] if isinstance(m, dict)
               and m.get("role") in ("user", "assistant") and isinstance(m.get("content"), str)]
    turns = [t for t in saved.get("turns") or [] if isinstance(t, dict) and isinstance(t.get("question"), str)]
    return history[-MAX_HISTORY_MESSAGES:], turns[-MAX_TURNS_KEPT:]


def live_region(turns: list | None) -> str:
    """A polite live region with the last answer as plain text, so a screen reader reads it once it is in."""
    from assistant.guard.answer import strip_markers

    text = strip_markers(turns[-1].get("answer", "") or "") if turns else ""
    return f'<div class="sr-only" aria-live="polite" role="status">{h("New answer: " + text) if text else ""}</div>'


LATEST = -1  # "the latest answer" in the answer picker


def rateable(turns: list | None) -> list[int]:
    """Indexes of the answers that can be rated: every answer but the help-now safety replies."""
    return [i for i, t in enumerate(turns or []) if isinstance(t, dict) and not t.get("help_now")]


def answer_choices(turns: list | None) -> list[tuple[str, int]]:
    """The answer picker's choices, newest first: "the latest answer", then each answer by its question."""
    picks = rateable(turns)
    out = [("The latest answer", LATEST)] if picks else []
    for i in reversed(picks):
        q = " ".join(str(turns[i].get("question", "")).split())
        out.append((f"{i + 1}. {q[:60] + '…' if len(q) > 60 else q}", i))
    return out


def send_feedback(services: Services, rating: str | None, comment: str | None, turns: list | None,
                  which: int | None = LATEST) -> str:
    """Save a rating (+ optional comment) for one answer: ``which`` (an index into the turns) or the latest."""
    turns = list(turns or [])
    picks = rateable(turns)
    if not picks:
        return "Ask a question first, then rate the answer."
    value = RATINGS.get(rating or "", rating if rating in ("up", "down") else None)
    if value is None:
        return "Choose 👍 Helpful or 👎 Not helpful first."
    try:
        index = int(which) if which not in (None, "") else LATEST
    except (TypeError, ValueError):
        index = LATEST
    index = index if index in picks else picks[-1]
    turn = turns[index]
    comment = (comment if isinstance(comment, str) else "")[:MAX_COMMENT_CHARS]
    try:
        services.save_feedback(rating=value, comment=comment, question=turn["question"], answer_text=turn["answer"],
                               exchange_id=turn.get("exchange_id"),
                               meta={k: turn.get(k) for k in ("status", "backend", "triage", "doc_ids")})
    except DermassistError as e:
        return f"Feedback not saved: {e.message}"
    turn["rated"] = value
    label = "helpful" if value == "up" else "not helpful"
    which_words = "the latest answer" if index == picks[-1] else f"answer {index + 1}"
    return f"Thank you: your rating ({label}) of {which_words} was saved, without personal details."


def build_chat_tab(services: Services) -> None:
    """Add the patient chat components and events to the current Blocks context."""
    import gradio as gr

    turns = gr.State([])
    card_state = gr.State("")  # the pinned safety card, kept until dismissed
    # one feedback control (below), so the chat messages have no thumbs: not on safety messages either
    chatbot = gr.Chatbot(label="Chat", show_label=False, height=440, sanitize_html=True, render_markdown=True,
                         elem_id="chatbot", feedback_options=None, buttons=["copy"], placeholder=WELCOME_MD)
    # the dock stays at the bottom of the screen: the pinned safety card (emergency, crisis) and the input
    with gr.Column(elem_id="dock"):
        banner = gr.HTML(elem_id="triage-banner")
        dismiss = gr.Button("Dismiss this message", size="sm", visible=False, elem_id="dismiss-card")
        live = gr.HTML(elem_id="answer-live")  # screen readers hear each new answer (visually hidden)
        with gr.Row(elem_id="ask-row"):
            box = gr.Textbox(placeholder="Ask about a skin, hair or nail condition...", label="Your question",
                             show_label=False, scale=5, max_lines=6, elem_id="question",
                             max_length=services.settings.max_question_chars * 4)
            send = gr.Button("Ask", variant="primary", scale=1, min_width=64, elem_id="ask")
    with gr.Row(elem_id="examples"):  # example questions: a click sends the question
        chips = [gr.Button(q, size="sm", elem_classes=["example-chip"]) for q in EXAMPLES]
    grade = gr.HTML(elem_id="grade")
    with gr.Accordion("Sources", open=True):
        sources = gr.HTML(elem_id="sources")
    with gr.Accordion("Was an answer helpful?", open=True, elem_id="feedback"):
        which = gr.Dropdown(choices=[("The latest answer", LATEST)], value=LATEST, label="Which answer",
                            allow_custom_value=True, elem_id="rate-which")
        rating = gr.Radio(list(RATINGS), show_label=False, elem_id="rating")
        comment = gr.Textbox(label="Comment (optional; please leave out names and other personal details)", lines=2,
                             max_length=MAX_COMMENT_CHARS, elem_id="feedback-comment")
        fb_send = gr.Button("Send feedback", size="sm", elem_id="send-feedback")
        fb_status = gr.Markdown(elem_id="feedback-status")
    saved = gr.BrowserState({}, storage_key="dermassist-conversation")
    with gr.Row():
        clear = gr.Button("New chat", elem_id="clear", size="sm")
        forget = gr.Button("Forget this conversation", elem_id="forget", size="sm")
    forget_status = gr.Markdown(elem_id="forget-status")
    gr.Markdown(DISCLAIMER_MD + "\n\n_This conversation is kept in this browser only (personal details removed), "
                "so it is still here after a reload. \"Forget this conversation\" removes it._")

    def pinning(steps):  # the card on screen is also kept in the session, so it stays until dismissed
        for out in steps:
            yield (*out, out[4])

    def chat(question: str, history: list, session_turns: list, card: str):
        yield from pinning(chat_turn(services, question, history, session_turns, card))

    def feedback(rating_value: str, comment_value: str, session_turns: list, which_value: int = LATEST) -> str:
        return h(send_feedback(services, rating_value, comment_value, session_turns, which_value))

    def picker(session_turns: list):
        return gr.update(choices=answer_choices(session_turns) or [("The latest answer", LATEST)], value=LATEST)

    outputs = [box, chatbot, sources, grade, banner, turns, card_state]
    # one concurrency group for every answering event (at most <cores> answers are computed at once)
    def asker(question: str):
        def ask_example(history: list, session_turns: list, card: str):
            yield from pinning(chat_turn(services, question, history, session_turns, card))
        return ask_example

    def after_answer(event) -> None:
        """What follows every answer: the safety card into view, the browser copy, the screen-reader notice."""
        event.then(dismiss_shown, [card_state], [dismiss], **QUIET).then(None, None, None, js=SCROLL_TO_CARD).then(
            saved_copy, [chatbot, turns], [saved], **QUIET, **COPY_GROUP).then(
            live_region, [turns], [live], **QUIET).then(picker, [turns], [which], **QUIET)

    def dismiss_shown(card: str):
        return gr.update(visible=bool(card))

    for trigger, api in ((send.click, "chat"), (box.submit, False)):
        after_answer(trigger(chat, [box, chatbot, turns, card_state], outputs, api_name=api,
                             concurrency_id=ANSWER_GROUP))
    for chip, question in zip(chips, EXAMPLES):
        after_answer(chip.click(asker(question), [chatbot, turns, card_state], outputs, api_name=False,
                                concurrency_id=ANSWER_GROUP))
    no_card = ("", "", gr.update(visible=False))
    dismiss.click(lambda: no_card, None, [banner, card_state, dismiss], api_name=False,
                  js="() => { document.querySelector('#question textarea')?.focus(); }")
    forget.click(lambda: ([], "", "", [], {}, "Forgotten: this browser no longer keeps this conversation.", *no_card),
                 None, [chatbot, sources, grade, turns, saved, forget_status, banner, card_state, dismiss],
                 api_name=False, **COPY_GROUP).then(picker, [turns], [which], **QUIET)
    # on page load only (gr.on with inputs would also fire whenever the browser copy changes)
    from gradio.context import get_blocks_context

    get_blocks_context().root_block.load(restored, [saved], [chatbot, turns], api_name=False).then(
        picker, [turns], [which], **QUIET)
    fb_send.click(feedback, [rating, comment, turns, which], [fb_status], api_name="feedback")
    clear.click(lambda: ([], "", "", "", [], None, "", "", {}), None,
                [chatbot, sources, grade, banner, turns, rating, comment, fb_status, saved], api_name="clear",
                **COPY_GROUP).then(
        lambda: no_card[1:], None, [card_state, dismiss], api_name=False).then(picker, [turns], [which], **QUIET)
    chatbot.clear(lambda: ("", "", "", [], None, "", "", *no_card[1:]), None,  # the chat's own trash button
                  [sources, grade, banner, turns, rating, comment, fb_status, card_state, dismiss], api_name=False
                  ).then(picker, [turns], [which], **QUIET)
