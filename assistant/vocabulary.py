"""The knowledge base's vocabulary: which documents use each word, and what the KB is *about* (its topic names).

A ``Vocabulary`` is built once per loaded index from the chunks and ``kb_topics`` (document titles, their
``conditions`` and glossary terms). It maps a question's words to the KB's own (typing slips, spellings by ear,
British and American forms) and says which documents a question names (``topic_matches``), best first. The
abstention step (``assistant.abstention``), the query (``assistant.query``) and the answer plan use it."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from .bm25 import _stem, tokenize
from .text.numbers import NUMBER_WORDS

GLOSSARY_DOC = "glossary"
SPECIFIC_MAX_DOCS = 8
TITLE_WORD_MAX_DOCS = 15  # a title word used more widely is an everyday word ("light", "care")
_SPLIT_TOPIC = re.compile(r"[(),;/]| and | or | for | on | of | in | with | to ", re.I)
_WORD = re.compile(r"[a-z]+")
_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.I | re.S)


class WordSets(NamedTuple):
    """The abstention's word lists (knowledge_base/lexicon/abstention_words.yaml, read once on first use):
    ``generic`` words never name what a question is about; ``topic_stop`` words name no topic on their own
    ("hair" in "patchy hair loss"); ``title_stop`` title words are too common to point at one document."""

    generic: frozenset[str]
    topic_stop: frozenset[str]
    title_stop: frozenset[str]


@functools.lru_cache(maxsize=1)
def word_sets() -> WordSets:
    """From the shipped knowledge base (they are the product's own lists, whatever ``kb_path`` is set)."""
    from .kb_lexicons import ABSTENTION_WORDS, load_word_lists

    words = load_word_lists(ABSTENTION_WORDS)
    return WordSets(frozenset(words["generic"]), frozenset(tokenize(" ".join(words["topic_stop"]))),
                    frozenset(tokenize(" ".join(words["title_word_stop"]))))


def spelling_variant(stem: str) -> str:
    """One spelling for British and American forms of a medical word: "oe" and "ae" become "e" in words of six or
    more letters ("seborrhoeic" -> "seborrheic", "haemangioma" -> "hemangioma")."""
    return stem.replace("oe", "e").replace("ae", "e") if len(stem) >= 6 else stem


def phrase_inside(short: Sequence[str], long: Sequence[str]) -> bool:
    """The words of ``short`` in a row inside ``long``."""
    short, long, n = tuple(short), tuple(long), len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


def sound_key(stem: str) -> str:
    """A word as it sounds, for spellings by ear: "ph" is "f" and a doubled letter is one, so "pemfigus" is
    "pemphigus". Only these two changes: other slips are left to ``closest``."""
    return re.sub(r"(.)\1", r"\1", stem.replace("ph", "f"))


def _similar(a: str, b: str, cutoff: float = 0.8) -> bool:
    """Two words one slip apart (rapidfuzz ratio, as ``closest``)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= cutoff * 100


def closest(word: str, candidates, cutoff: float) -> str | None:
    """The candidate most like ``word`` (similarity ratio 0-1, at least ``cutoff``), as difflib's
    get_close_matches(n=1) chooses it (ties go to the alphabetically last word), with rapidfuzz: 20-24x faster
    and the same word for 998 of 1,000 test lookups (the other 2 were ties; bench/library_compare.py)."""
    from rapidfuzz import fuzz, process

    best = None
    for candidate, score, _ in process.extract_iter(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff * 100):
        if best is None or (score, candidate) > best:
            best = (score, candidate)
    return best[1] if best else None


def title_head(title: str) -> str:
    """What a document's title names, without its gloss, subtitle or purpose: "Melasma (dark patches on the face)"
    -> "Melasma"; "Fungal skin infections: ringworm, ..." -> "Fungal skin infections"; "Isotretinoin capsules for
    acne" -> "Isotretinoin capsules"; "Actinic keratosis on a biopsy report" -> "Actinic keratosis"."""
    head = re.sub(r" (?:on a|in) (?:skin )?biopsy reports?\b", "", title).split(" (")[0].split(":")[0]
    return head.partition(" for ")[0]


def kb_topics(docs: Sequence) -> list[tuple[str, str, int]]:
    """(name, document id, rank) for what the KB is about: document titles (rank 0), their ``conditions``
    (rank 1) and glossary terms with their synonyms (rank 2, pointing at the glossary)."""
    names = []
    for d in docs:
        # "Isotretinoin tablets for acne": the document is about isotretinoin; acne is what it is for (rank 1).
        # "Actinic keratosis on a biopsy report", "Certainty words in skin biopsy reports": about the first part only.
        title, _, used_for = re.sub(r" (?:on a|in) (?:skin )?biopsy reports?\b", "", d.meta.title).partition(" for ")
        used_for, paren, rest = used_for.partition("(")
        names += [(title + (paren + rest if paren else ""), d.id, 0), *((n, d.id, 1) for n in d.meta.conditions)]
        names += [(used_for, d.id, 1)] if used_for.strip() else []
        names += [(n, d.id, 2) for t in d.terms for n in (t.term, *t.synonyms)]
    return names


def _siblings(topics: Sequence[tuple[str, str, int]], kinds: dict[str, str]) -> dict[str, list[str]]:
    """Report-reading document -> the condition documents about the same disease: "Basal cell carcinoma on a
    biopsy report" -> the basal cell carcinoma condition document (its title or first ``conditions`` entry names it)."""
    def norm(name: str) -> str:
        return " ".join(tokenize(name))

    names: dict[str, set[str]] = defaultdict(set)
    heads: dict[str, str] = {}
    first_condition: set[str] = set()
    for name, doc_id, rank in topics:
        if rank == 0:
            heads.setdefault(doc_id, norm(name.split(" (")[0]))
            names[doc_id].add(norm(name.split(" (")[0]))
        elif rank == 1 and doc_id not in first_condition:  # a document's main condition is listed first
            first_condition.add(doc_id)
            names[doc_id].add(norm(name))
    return {doc_id: sorted(d for d in names if kinds.get(d) == "condition" and head in names[d])
            for doc_id, head in heads.items() if kinds.get(doc_id) == "pathology" and head
            and any(kinds.get(d) == "condition" and head in names[d] for d in names)}


@dataclass
class _Focus:
    word: str  # as typed
    stem: str | None  # the KB's stem (after fixing a typing slip), None if the KB never uses it
    docs: frozenset[str]  # KB documents that use it


class Vocabulary:
    """The KB's stemmed words, which documents use each, and its topic words (the words of document titles,
    ``conditions`` and glossary terms: what the KB is *about*); built once per loaded index (~0.1 s)."""

    def __init__(self, chunks: Sequence, topics: Sequence[tuple[str, str, int]] = ()) -> None:
        docs: dict[str, set[str]] = defaultdict(set)
        self.titles: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # document id -> kind (condition, treatment, pathology...)
        for c in chunks:
            self.titles.setdefault(c.doc_id, c.title)
            self.kinds.setdefault(c.doc_id, getattr(c, "kind", ""))
            for t in set(tokenize(f"{c.title} {c.heading} {c.text}")):
                docs[t].add(c.doc_id)
        self.docs = {t: frozenset(d) for t, d in docs.items()}
        self.siblings = _siblings(topics, self.kinds)
        # topic phrase (stems) -> {document id: rank}; the best (lowest) rank wins
        phrases: dict[tuple[str, ...], dict[str, int]] = defaultdict(dict)
        words = word_sets()
        GENERIC, TOPIC_STOP, TITLE_WORD_STOP = words.generic, words.topic_stop, words.title_stop  # noqa: N806

        def add(phrase: tuple[str, ...], doc_id: str, rank: int) -> None:
            phrases[phrase][doc_id] = min(rank, phrases[phrase].get(doc_id, rank))

        for name, doc_id, rank in topics:
            for part in _SPLIT_TOPIC.split(f" {name} "):
                phrase = tuple(tokenize(part))
                if phrase and not set(phrase) <= GENERIC | TOPIC_STOP:
                    add(phrase, doc_id, rank)
        # A specific word of a topic name is a topic too ("hidradenitis"), a widely used one is not ("cancer").
        for phrase, ids in list(phrases.items()):
            for t in phrase:
                if len(phrase) > 1 and t not in GENERIC | TOPIC_STOP and len(self.docs.get(t, ())) <= SPECIFIC_MAX_DOCS:
                    for doc_id, rank in ids.items():
                        add((t,), doc_id, rank + 1)
        # ...and so is a word of a document's title that only one or two titles use, however many documents
        # mention it ("pemphigoid" names the bullous pemphigoid document although ten others mention it).
        titled: dict[str, set[str]] = defaultdict(set)
        for phrase, ids in phrases.items():
            for doc_id, rank in ids.items():
                if rank == 0:
                    for t in phrase:
                        titled[t].add(doc_id)
        # ...and two neighbouring specific words of a longer title ("biopsy report" in "How to read a skin biopsy
        # report"), when at most two titles have them
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for phrase, ids in phrases.items():
            if len(phrase) >= 3:
                for doc_id, rank in ids.items():
                    if rank == 0:
                        for a, b in zip(phrase, phrase[1:]):
                            if not {a, b} & (GENERIC | TITLE_WORD_STOP) and not {a, b} <= TOPIC_STOP:
                                pairs[(a, b)].add(doc_id)
        # (sorted: a set's order changes from run to run, and the order of documents decides ties later)
        for pair, ids in pairs.items():
            if len(ids) <= 2:
                for doc_id in sorted(ids):
                    add(pair, doc_id, 1)
        for t, ids in titled.items():
            if (len(ids) <= 2 and t not in GENERIC | TOPIC_STOP | TITLE_WORD_STOP and len(t) >= 6
                    and len(self.docs.get(t, ())) <= TITLE_WORD_MAX_DOCS):
                for doc_id in sorted(ids):
                    add((t,), doc_id, 1)
        # British and American spellings name the same thing ("seborrhoeic" / "seborrheic", "oedema" / "edema")
        for phrase, ids in list(phrases.items()):
            other = tuple(spelling_variant(t) for t in phrase)
            if other != phrase:
                for doc_id, rank in ids.items():
                    add(other, doc_id, rank)
        # A word many documents use names a document only when it heads the document's title ("acne"), not when
        # it is a bracketed gloss or what the document is for: "face" (melasma, "dark patches on the face"),
        # "scalp" (tinea), "biopsy" (wound care), "itch" (antihistamines) are what questions mention in passing.
        # ("Skin conditions on brown and black skin" is headed by "skin conditions": "brown" alone is not its name)
        heads = {d: {spelling_variant(t) for t in tokenize(title_head(title).split(" on ")[0])}
                 for d, title in self.titles.items()}
        for phrase, ids in phrases.items():
            if len(phrase) == 1 and (phrase[0].isdigit() or phrase[0] in NUMBER_WORDS):
                # "17" of "IL-17" is as often someone's age, "TEN" of "SJS/TEN" "ten years ago"
                for doc_id in [d for d in ids if d != GLOSSARY_DOC]:
                    del ids[doc_id]
            elif len(phrase) == 1 and len(self.docs.get(phrase[0], ())) > TITLE_WORD_MAX_DOCS:
                for doc_id in [d for d in ids if d != GLOSSARY_DOC and phrase[0] not in heads.get(d, ())]:
                    del ids[doc_id]
        self.topics = {phrase: dict(ids) for phrase, ids in phrases.items() if ids}
        self._by_len: dict[int, list[str]] = defaultdict(list)
        for t in self.docs:
            self._by_len[len(t)].append(t)
        self._fixed: dict[str, str | None] = {}
        self._sounds: dict[str, str] | None = None  # sound_key(word) -> the KB word ("pemfigu" -> "pemphigu")
        self._one_off: dict | None = None  # a topic phrase with one word blanked -> the phrases (see near_phrases)

    def lookup(self, stem: str) -> str | None:
        """The KB stem for a question stem: itself, or the closest KB word for a typing slip (5+ letters)."""
        if stem in self.docs:
            return stem
        if stem not in self._fixed:
            match = None
            if self._sounds is None:
                self._sounds = {}
                for w in sorted(self.docs):
                    self._sounds.setdefault(sound_key(w), w)
            heard = self._sounds.get(sound_key(stem)) if len(stem) >= 5 else None
            if heard:  # spelt as heard ("pemfigus")
                match = heard
            elif len(stem) >= 5:
                near = [w for n in range(len(stem) - 2, len(stem) + 3) for w in self._by_len.get(n, ())]
                match = closest(stem, near, cutoff=0.84)
            self._fixed[stem] = match
        return self._fixed[stem]

    def used_by(self, stem: str) -> frozenset[str]:
        """Documents that use a word or, for a word only the glossary uses, a spelling variant of it
        ("moisturizer" is a glossary synonym; the documents say "moisturiser")."""
        docs = self.docs.get(stem, frozenset())
        if docs == {GLOSSARY_DOC} and len(stem) >= 6:
            near = [w for n in range(len(stem) - 1, len(stem) + 2) for w in self._by_len.get(n, ())
                    if w != stem and self.docs[w] != {GLOSSARY_DOC}]
            match = closest(stem, near, cutoff=0.88)
            docs = docs.union(self.docs[match]) if match else docs
        return docs

    def topic_matches(self, question: str) -> dict[str, tuple[int, tuple[str, ...]]]:
        """Document id -> (rank, the phrase of the question that names it) for the things the question names
        (whole titles, conditions or glossary phrases); rank 0 means the document is titled after it."""
        stems = [spelling_variant(self.lookup(t) or t) for t in tokenize(question)]
        # document -> (rank, documents its phrase names, the phrase): lower is better
        found: dict[str, tuple[int, int, tuple[str, ...]]] = {}
        for n in (4, 3, 2, 1):
            for i in range(len(stems) - n + 1):
                phrase = tuple(stems[i:i + n])
                names = self.topics.get(phrase, {})
                count = self.distinct(d for d in names if d != GLOSSARY_DOC)
                for doc_id, rank in names.items():
                    # the best rank wins; of two phrases of that rank, the one naming fewer documents says more:
                    # "skin biopsy report" is the report-reading guide through "biopsy report", not any biopsy
                    # document through "skin biopsy"; a part of a longer phrase of that rank found already is not
                    # another phrase ("Stevens-Johnson" in "Stevens-Johnson syndrome")
                    old = found.get(doc_id)
                    if old is None or rank < old[0] or ((rank, count) < old[:2] and not phrase_inside(phrase, old[2])):
                        found[doc_id] = (rank, count, phrase)
        for phrase, doc_id, rank in self.near_phrases(stems):
            old = found.get(doc_id)
            if old is None or rank < old[0] or len(phrase) > len(old[2]):
                found[doc_id] = (rank, 0, phrase)
        return dict(sorted(((d, (rank, phrase)) for d, (rank, _, phrase) in found.items()),
                           key=lambda kv: (kv[1][0], -len(kv[1][1]))))

    def distinct(self, doc_ids) -> int:
        """How many things the documents are about: a report document and its condition twin are one
        ("squamous cell carcinoma" names the SCC document and the SCC-on-a-report document: one disease)."""
        ids = set(doc_ids)
        return len(ids) - sum(1 for d in ids if any(s in ids for s in self.siblings.get(d, ())))

    def near_phrases(self, stems: Sequence[str]) -> list[tuple[tuple[str, ...], str, int]]:
        """(the question's phrase, document id, rank) for a name of two or three words written with one word
        slipped into another word: "lichen sclerosis" is lichen sclerosus, not systemic sclerosis, although
        "sclerosis" is spelt right. The other words must match exactly; the slipped word has 5+ letters."""
        if self._one_off is None:
            self._one_off = defaultdict(list)
            for phrase, ids in self.topics.items():
                if 2 <= len(phrase) <= 3:
                    for j, w in enumerate(phrase):
                        if len(w) >= 5:
                            self._one_off[(*phrase[:j], "*", *phrase[j + 1:])].append((phrase, j))
        out = []
        for n in (3, 2):
            for i in range(len(stems) - n + 1):
                window = tuple(stems[i:i + n])
                if window in self.topics:
                    continue
                for j in range(n):
                    for phrase, _ in self._one_off.get((*window[:j], "*", *window[j + 1:]), ()):
                        if len(window[j]) >= 5 and _similar(window[j], phrase[j]):
                            out += [(window, doc_id, rank) for doc_id, rank in self.topics[phrase].items()]
        return out

    def topic_docs(self, question: str) -> list[str]:
        """Documents about what the question names, the documents titled after it first."""
        return list(self.topic_matches(question))

    def names_a_topic(self, question: str) -> bool:
        """Does the question name something the KB is about (a whole title, condition or glossary phrase)?"""
        return bool(self.topic_docs(question))

    def focus(self, question: str) -> list[_Focus]:
        """The question's focus words; names, numbers and other identifiers are redacted first (a patient's
        name is not what the question is about)."""
        from .phi import redact

        out: dict[str, _Focus] = {}
        GENERIC = word_sets().generic  # noqa: N806
        text = _MARKUP.sub(" ", question)  # pasted HTML is not what the question is about
        for word in _WORD.findall(redact(text).text.lower()):
            if len(word) < 3 or word in GENERIC or _stem(word) in GENERIC or word in out:
                continue
            stem = self.lookup(_stem(word))
            if stem in GENERIC:  # a slip of a generic word ("diffrence")
                continue
            out[word] = _Focus(word, stem, self.used_by(stem) if stem else frozenset())
        return list(out.values())
