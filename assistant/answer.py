"""Patient question -> (triage) -> retrieve -> generate -> Answer with citations, grade and timings."""

from __future__ import annotations

import re
import time
from typing import Iterator, Literal

from pydantic import BaseModel, Field

from . import DISCLAIMER
from .config import Settings
from .language import detect_language, not_english_message
from .embeddings import Embedder, get_embedder
from .llm import Generation, GenerationRequest, Generator, get_generator
from .readability import fkgl
from .planning import plan_passages
from .query import Query, build_query
from .retrieval import Retriever
from .types import Hit
from .safety import MAX_TRIAGE_CHARS, Triage, Triager, messages
from .text.citations import cited_numbers, renumber, strip_markers

ABSTAIN_TEXT = ("I don't have vetted information on that, so I won't guess. Try asking about a skin, hair or nail "
                "condition or its treatment (for example eczema, psoriasis, acne or hidradenitis suppurativa), "
                "or ask your doctor or nurse.")


def abstain_text(words: list[str] | None = None, rule: str = "", suggestions: list[str] | None = None) -> str:
    """The honest "no vetted information" reply. It never quotes the patient's words back (which word made it
    decline is often incidental: "afternoon", or "died" to a bereaved person; that stays in
    ``Answer.abstain_reason`` for QA); when the question names something the knowledge base is about, it offers
    the guidance it does have."""
    text = ABSTAIN_TEXT
    if rule == "glossary_only":
        text = text.replace("on that, so", "on that beyond a short definition, so", 1)
    if suggestions:
        text = text.split(" Try asking", 1)[0] + (" I do have vetted guidance on " + "; ".join(suggestions) +
                                                 ": ask about that, or ask your doctor or nurse.")
    return text


EMPTY_TEXT = "Please type a question about a skin, hair or nail condition or its treatment."


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    heading: str
    text: str
    sources: list[str] = Field(default_factory=list)
    source_urls: list[str] = Field(default_factory=list)  # the knowledge base's link for each source ("" if none)


class Answer(BaseModel):
    question: str
    text: str
    status: Literal["answered", "abstained", "empty", "triaged"] = "answered"
    citations: list[Citation] = Field(default_factory=list)
    retrieved: list[Hit] = Field(default_factory=list)
    readability_grade: float | None = None
    backend: str = "grounded"
    timings: dict[str, float] = Field(default_factory=dict)
    notices: list[str] = Field(default_factory=list)
    fallback_reason: str | None = None
    abstain_reason: str | None = None  # why retrieval declined (the abstention rule and the words that fired it)
    disclaimer: str = DISCLAIMER
    triage: Triage | None = None
    topics: list[str] = Field(default_factory=list)  # documents the question is about (assistant.query)
    aspects: list[str] = Field(default_factory=list)  # what it asks about them
    follow_up: bool = False  # the topic came from the conversation

    def to_markdown(self) -> str:
        lines = [self.text]
        if self.triage and self.triage.action != "short_circuit":  # safety notices come first, in bold
            top = [self.triage.message] if self.triage.action == "answer_with_notice" else []
            top = [f"**{n}**" for n in (*top, *self.triage.notices) if n]
            lines = [*top, "", self.text] if top else lines
        if self.notices:
            lines += ["", *[f"_{n}_" for n in self.notices]]
        if self.citations:
            lines += ["", "**Sources**"]
            lines += [f"[{c.n}] {c.title} — {c.heading}" for c in self.citations]
        lines += ["", f"_{self.disclaimer}_"]
        return "\n".join(lines)


def clean_question(raw: str, max_chars: int) -> tuple[str, list[str]]:
    """Normalise whitespace and control characters; truncate over-long input with a notice."""
    notices = []
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", raw or "")
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > max_chars:
        notices.append(f"Your message was {len(text):,} characters long, so only the first {max_chars:,} were used.")
        text = text[:max_chars].rsplit(" ", 1)[0]
    return text, notices


MAX_HISTORY_TURNS = 20


def check_history(history) -> list[dict]:
    """The conversation as a list of ``{"role", "content"}`` turns (the last ``MAX_HISTORY_TURNS``); a clear
    error for anything else."""
    if not history:
        return []
    from .errors import InputError

    if not isinstance(history, (list, tuple)):
        raise InputError("history must be a list of turns", 'Pass [{"role": "user", "content": "..."}, ...].')
    turns = []
    for n, turn in enumerate(history, start=1):
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant") \
                or not isinstance(turn.get("content", ""), str):
            raise InputError(f"history turn {n} is not a {{'role': 'user'|'assistant', 'content': str}} object",
                             'Pass [{"role": "user", "content": "..."}, {"role": "assistant", ...}, ...].')
        turns.append({"role": turn["role"], "content": turn.get("content", "")[:4000]})
    return turns[-MAX_HISTORY_TURNS:]


def _acknowledge(triage: Triage, text: str) -> str:
    """A short human line first when the message carries grief or distress (never on a help-now message)."""
    if triage.tier == "get_help_now":
        return text
    ack = (messages.ACK_GRIEF if "grief" in triage.flags else
           messages.ACK_DISTRESS if "distress" in triage.flags else "")
    return f"{ack}\n\n{text}" if ack and text else text


class Assistant:
    """The answering pipeline. Build once per process; every part loads lazily."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None, retriever: Retriever | None = None,
                 generator: Generator | None = None, triager: Triager | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or (retriever.embedder if retriever else get_embedder(settings.embedder))
        self.retriever = retriever or Retriever(settings, self.embedder)
        self.generator = generator or get_generator(settings.backend, settings, embedder=self.embedder)
        self.triager = triager or Triager(settings, self.embedder)
        self._sources: dict[str, list[str]] | None = None
        self._source_urls: dict[str, list[str]] = {}
        self._doc_kinds: dict[str, str] | None = None

    def warm_up(self) -> None:
        self.triager.warm_up()
        self.retriever.warm_up()
        self.generator.warm_up()

    def _doc_sources(self, doc_id: str) -> list[str]:
        if self._sources is None:
            from .knowledge import check_knowledge_base

            docs, _ = check_knowledge_base(self.settings.kb_path)
            self._sources = {d.id: [f"{s.publisher}: {s.title} ({s.year})" for s in d.meta.sources] for d in docs}
            self._source_urls = {d.id: [str(getattr(s, "url", "") or "") for s in d.meta.sources] for d in docs}
        return self._sources.get(doc_id, [])

    def _doc_source_urls(self, doc_id: str) -> list[str]:
        self._doc_sources(doc_id)
        return self._source_urls.get(doc_id, [])

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        """Answer one message. ``history``: the conversation so far, oldest first, as ``{"role": "user" |
        "assistant", "content": ...}``; a follow-up that names no topic ("how do I avoid them?") continues the
        last topic named. Safety triage reads the message itself, always."""
        steps = self._steps(question, history, stream=False)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[str | Answer]:
        """``ask`` for a screen that shows the answer as it comes: yields the guard's verified sentences (str,
        markers not yet renumbered) as an LLM backend writes them, then the final ``Answer``. The grounded
        backend and every triaged or declined reply yield the ``Answer`` alone."""
        answer = yield from self._steps(question, history, stream=True)
        yield answer

    def _steps(self, question: str, history: list[dict] | None, *, stream: bool):
        """The pipeline; a generator that yields verified sentences (when ``stream``) and returns the Answer."""
        t0 = time.perf_counter()
        history = check_history(history)
        text, notices = clean_question(question, self.settings.max_question_chars)
        if not text:
            return Answer(question="", text=EMPTY_TEXT, status="empty", notices=notices, backend=self.generator.name)
        # Safety first, before any retrieval, on the whole message (a crisis may come after the part answered).
        triage = self.triager.triage(clean_question(question, MAX_TRIAGE_CHARS)[0])
        if triage.short_circuit and triage.label in ("emergency", "crisis"):
            return self._triaged(text, triage, notices, t0)
        language = detect_language(text)
        if language != "English":  # the knowledge base and the safety rules are English only: say so
            return Answer(question=text, text=not_english_message(language), status="abstained", triage=triage,
                          abstain_reason=f"the message is not in English ({language})", notices=notices,
                          backend=self.generator.name, timings={"triage": triage.seconds,
                                                                "total": time.perf_counter() - t0})
        query = None
        if triage.short_circuit and triage.label == "out_of_scope" and history and "image_request" not in triage.flags:
            # "can it be caught by others?" names no skin topic on its own; the conversation does
            query = self.query(text, history)
            if query.follow_up:
                triage = triage.model_copy(update={"label": "ordinary", "action": "answer", "message": ""})
        if triage.short_circuit:
            return self._triaged(text, triage, notices, t0)
        asked = triage.question[: self.settings.max_question_chars] if triage.label == "injection" else text
        own_medicine = triage.label == "dosing" or "lost_leaflet" in triage.flags
        query = query or self.query(asked, history)
        answer = yield from self._grounded_answer(query, notices, t0, named_medicine_only=own_medicine, stream=stream)
        answer.topics, answer.aspects, answer.follow_up = query.topic_docs, query.aspects, query.follow_up
        if answer.status != "answered" and triage.tier == "resources_first":
            # A possible emergency or crisis: the resources, never a decline under them.
            return self._triaged(text, triage.model_copy(update={"action": "short_circuit"}), notices, t0)
        if answer.status != "answered" and triage.action == "answer_with_notice":  # no answer below the notice
            triage = triage.model_copy(update={"message": messages.without_lead_in(triage.message)})
        answer.text = _acknowledge(triage, answer.text)
        answer.question, answer.triage = text, triage
        answer.timings = {"triage": triage.seconds, **answer.timings}
        return answer

    def _triaged(self, text: str, triage: Triage, notices: list[str], t0: float) -> Answer:
        """Emergency, crisis and declined overrides get the standard message (with its notices, e.g. stop
        isotretinoin); out of scope abstains politely; a photo request is told plainly that it cannot see images."""
        out_of_scope = triage.label == "out_of_scope"
        image = "image_request" in triage.flags and triage.tier == "none"
        reply = triage.message if image or not out_of_scope else ABSTAIN_TEXT
        if triage.tier != "none" and triage.notices:
            reply = "\n\n".join([reply, *triage.notices])
        return Answer(question=text, text=_acknowledge(triage, reply), triage=triage,
                      status="abstained" if out_of_scope else "triaged", notices=notices, backend=self.generator.name,
                      timings={"triage": triage.seconds, "total": time.perf_counter() - t0})

    def query(self, text: str, history: list[dict] | None = None) -> Query:
        """The message's ``Query``: topics, aspects (the learned head backed by rules) and follow-up context."""
        return build_query(text, self.retriever.vocabulary, history=history, aspects_of=self._aspects_of)

    def _aspects_of(self, text: str) -> list[tuple[str, float]]:
        from .aspects import head_for

        head = head_for(self.embedder.name)
        return head.aspects(self.embedder.embed([text], kind="query")[0]) if head is not None else []

    def _grounded_answer(self, query: Query, notices: list[str], t0: float, *, named_medicine_only: bool = False,
                         stream: bool = False):
        """Retrieve, decide whether the evidence can answer, plan, generate, cite (after triage let the question
        through). For a question about one's own medicine (``named_medicine_only``), only passages from the named
        medicine's own document are used, so a schedule never mixes in another drug's."""
        text = query.text
        result = self.retriever.decide(self.retriever.retrieve(query.search_text))
        if named_medicine_only and not result.abstain:
            result = self._named_medicine_passages(query.search_text, result)
        timings = {"retrieve": result.seconds}
        if result.abstain:
            reply = abstain_text(result.abstain_words, result.abstain_rule, result.suggestions)
            return Answer(question=text, text=reply, status="abstained", retrieved=result.hits,
                          abstain_reason=result.reason, notices=notices, backend=self.generator.name,
                          timings={**timings, "total": time.perf_counter() - t0})
        vocabulary = self.retriever.vocabulary
        plan = plan_passages(query, result.hits, self.retriever.index.chunks, getattr(vocabulary, "siblings", {}),
                             getattr(vocabulary, "kinds", {}))
        if not plan.hits:  # it names a topic, and nothing found is from it or about it
            reply = abstain_text(suggestions=[t.title for t in query.topics])
            return Answer(question=text, text=reply, status="abstained", retrieved=result.hits,
                          abstain_reason="no passage found is from or about " + query.topics[0].title,
                          notices=notices, backend=self.generator.name,
                          timings={**timings, "total": time.perf_counter() - t0})
        if plan.definition_only and not ("meaning" in query.types or query.aspects[:1] == ["what_it_is"]):
            # the knowledge base only defines what the question asks to do something about
            return self._definition_only(query, plan.hits[0], result, notices, t0, timings)
        result = result.model_copy(update={"hits": plan.hits})
        t1 = time.perf_counter()
        request = GenerationRequest(question=query.search_text, passages=result.hits,
                                    max_words=self.settings.answer_max_words, aspects=query.aspects)
        events = getattr(self.generator, "stream_events", None) if stream else None
        if callable(events):  # an LLM backend: its guard's verified sentences go out as they come
            gen = None
            for event in events(request):
                if isinstance(event, Generation):
                    gen = event
                else:
                    yield str(event)
            if gen is None:
                raise RuntimeError(f"the {self.generator.name} backend's stream ended without its result")
        else:
            gen = self.generator.generate(request)
        timings["generate"] = time.perf_counter() - t1
        timings.update({f"generate_{k}": v for k, v in gen.timings.items()})
        notices = notices + gen.notices
        answer_text, citations = self._renumber(gen.text, result.hits)
        if answer_text and plan.gaps:  # say plainly what the guidance does not cover (what is closest follows)
            notices = [plan.gap_note(query.topics[0].title), *notices]
        if answer_text and plan.inferred:  # nothing was named: say which condition the answer is about
            notices = [f"Your message names no condition or medicine, so this answer keeps to the closest "
                       f"guidance: {plan.inferred}.", *notices]
        if not answer_text:
            return Answer(question=text, text=ABSTAIN_TEXT, status="abstained", retrieved=result.hits,
                          notices=notices, backend=gen.backend, timings={**timings, "total": time.perf_counter() - t0})
        timings["total"] = time.perf_counter() - t0
        return Answer(question=text, text=answer_text, citations=citations, retrieved=result.hits,
                      readability_grade=fkgl(strip_markers(answer_text)), backend=gen.backend,
                      timings=timings, notices=notices, fallback_reason=gen.fallback_reason)

    def _definition_only(self, query: Query, hit: Hit, result, notices: list[str], t0: float,
                         timings: dict[str, float]) -> Answer:
        """The glossary's definition of the term, labelled as a definition only, then the honest decline."""
        body = re.sub(rf"^\s*{re.escape(hit.heading)}\s*:\s*", "", hit.text.strip(), flags=re.I)
        definition = f"**{hit.heading}** (a definition only): {body} [1]"
        text = f"{definition}\n\n{abstain_text(rule='glossary_only')}"
        citation = Citation(n=1, doc_id=hit.doc_id, title=hit.title, heading=hit.heading, text=hit.text,
                            sources=self._doc_sources(hit.doc_id),
                            source_urls=self._doc_source_urls(hit.doc_id))
        return Answer(question=query.text, text=text, status="abstained", citations=[citation],
                      retrieved=result.hits, notices=notices, backend=self.generator.name,
                      abstain_reason=f"only the glossary defines {hit.heading!r}; no guidance beyond the definition",
                      timings={**timings, "total": time.perf_counter() - t0})

    def _named_medicine_passages(self, text: str, result):
        if self._doc_kinds is None:
            self._doc_kinds = {c.doc_id: c.kind for c in self.retriever.index.chunks}
        named = [d for d in self.retriever.vocabulary.topic_docs(text) if self._doc_kinds.get(d) == "treatment"]
        if not named:
            return result
        wide = self.retriever.search(text, top_k=40, pool=80)
        own = [h for h in wide.hits if h.doc_id in named][: self.settings.top_k]
        return result.model_copy(update={"hits": own}) if own else result

    def _renumber(self, text: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
        """Number cited passages 1..n in order of first citation; drop markers that point nowhere."""
        mapping: dict[int, int] = {}
        for n in cited_numbers(text):
            if 1 <= n <= len(hits) and n not in mapping:
                mapping[n] = len(mapping) + 1
        new_text = renumber(text, mapping)
        citations = []
        for old, new in sorted(mapping.items(), key=lambda kv: kv[1]):
            h = hits[old - 1]
            citations.append(Citation(n=new, doc_id=h.doc_id, title=h.title, heading=h.heading, text=h.text,
                                      sources=self._doc_sources(h.doc_id),
                                      source_urls=self._doc_source_urls(h.doc_id)))
        return new_text, citations
