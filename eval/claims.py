"""Claims from reference answers, no LLM needed: split, match, find contradictions.

A reference answer is split into atomic claims: its sentences, with a coordinated list ("Treatments include
A, B and C.") or a bulleted list split into one claim per item (the lead-in kept: "Treatments include B.").
Sentences that only send the reader elsewhere ("Talk to your doctor about which treatment is right for
you.") are marked ``boilerplate``: they are listed but do not count in claim recall.

Each claim is then judged against an answer with the calibrated key-fact matcher (``eval/keyfacts.py``):

- ``stated``: the matcher finds it;
- ``contradicted``: not stated, and an answer unit that says nearly the same thing (combined score without
  the veto at least ``CONTRADICTION_MIN``) is vetoed for the opposite polarity, other numbers, another
  medicine or condition, or an antonym ("rare" vs "common", "stop" vs "continue");
- ``missed`` otherwise.

``CONTRADICTION_MIN`` was chosen together with the matcher's constants on the development half of
``eval/datasets/claim_calibration.jsonl``; ``tests/test_eval_claims.py`` re-runs the calibration and measures
agreement with the hand labels on the held-out half.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import text as tx
from .keyfacts import KeyFactMatcher

# the claim judge's own constants (not the key-fact matcher's): python -m eval.claims_calibration --search
CLAIM_THRESHOLD = 0.57
CLAIM_SEMANTIC_WEIGHT = 0.6
CONTRADICTION_MIN = 0.6
_CONSULT = re.compile(
    r"\b(?:talk|speak|check|consult|ask|see|visit|contact|call|tell)\b[^.]{0,40}\b(?:doctor|dermatologist|gp|"
    r"health ?care (?:provider|professional|team)|provider|pharmacist|nurse|specialist|physician)s?\b"
    r"|\bseek (?:medical )?(?:advice|help|care|attention)\b|\bfor more information\b"
    r"|\bif you (?:have|had) (?:any )?(?:questions|concerns)\b|\bgeneral information\b|\bnot (?:a )?medical advice\b",
    re.I)
_SPECIFIC = re.compile(r"\b(?:if|when|before|after|within|urgent(?:ly)?|immediately|right away|emergency|same day|"
                       r"straight away|fever|bleed\w*|spread\w*|pregnan\w*)\b|\d", re.I)
_LIST_HEAD = re.compile(r"^(?P<head>[^,;:]{3,120}?(?:\b(?:include|includes|including|such as)|:))\s+"
                        r"(?P<items>[^:;]+?)[.!?]?$", re.I)
# an item that starts like a clause ("so you cannot...", "which...") means the sentence is not a plain list
_NOT_ITEM = re.compile(r"^(?:so|you|it|they|this|that|which|who|because|but|if|when|while|including|not|no)\b",
                       re.I)
_ITEM_SPLIT = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d+[.)])\s+")


@dataclass(frozen=True)
class Claim:
    text: str
    boilerplate: bool = False


def is_boilerplate(sentence: str) -> bool:
    """Advice to ask someone else, or a disclaimer, with nothing specific (no condition, time or number)."""
    s = tx.strip_citations(sentence)
    generic = re.sub(r"\bif you (?:have|had) (?:any )?(?:questions|concerns)\b", "", s, flags=re.I)
    return bool(_CONSULT.search(s)) and not _SPECIFIC.search(generic)


def _list_items(sentence: str) -> list[str] | None:
    """A sentence that lists three or more short items after a lead-in, as one sentence per item."""
    m = _LIST_HEAD.match(sentence.strip())
    if not m:
        return None
    items = [i.strip(" ,;") for i in _ITEM_SPLIT.split(m.group("items")) if i.strip(" ,;")]
    if len(items) < 3 or any(len(i.split()) > 6 or _NOT_ITEM.match(i) for i in items) \
            or m.group("items").count(",") < 1:
        return None
    head = m.group("head").rstrip(":").rstrip()
    return [f"{head} {item}." for item in items]


def split_claims(reference: str) -> list[Claim]:
    """The atomic claims of a reference answer (sentences; listed items one by one; boilerplate marked)."""
    out: list[Claim] = []
    lead = ""
    for line in (reference or "").splitlines():
        if not line.strip():
            continue
        if _BULLET.match(line):  # a bulleted item completes the lead-in sentence before the list
            item = _BULLET.sub("", line).strip().rstrip(".")
            text = f"{lead}: {item}." if lead else f"{item}."
            out.append(Claim(text, is_boilerplate(text)))
            continue
        for s in tx.sentences(line):
            lead = s.rstrip(":").rstrip() if s.rstrip().endswith(":") else ""
            if lead:
                continue
            items = _list_items(s)
            for c in items or [s]:
                if len(tx.content_stems(c)) >= 2:  # "Yes." or "It can be." alone says nothing checkable
                    out.append(Claim(c, is_boilerplate(c)))
    return out


@dataclass
class ClaimVerdict:
    claim: str
    verdict: str  # stated | contradicted | missed
    score: float
    unit: str = ""
    why: str = ""


def claim_matcher(embed) -> KeyFactMatcher:
    """The key-fact matcher with the claim judge's own calibrated constants."""
    return KeyFactMatcher(embed, threshold=CLAIM_THRESHOLD, semantic_weight=CLAIM_SEMANTIC_WEIGHT)


class ClaimJudge:
    """Stated / contradicted / missed for a claim against an answer (the key-fact matcher plus a contradiction
    check on the units it vetoed)."""

    def __init__(self, matcher: KeyFactMatcher, contradiction_min: float = CONTRADICTION_MIN, head="shipped") -> None:
        self.matcher = matcher
        self.contradiction_min = contradiction_min
        if head == "shipped":
            from .claim_head import HEAD_FILE, load_head

            head = load_head() if HEAD_FILE.exists() else None
            if head is not None and head.embedder != getattr(matcher.embed.embedder, "name", None):
                # trained on MiniLM similarities and word pieces: with another embedder (the hash-seeded one of the
                # fast tests) its features mean something else, so the rules judge
                head = None
        self.head = head

    @property
    def method(self) -> str:
        return "learned head (eval/data/claim_head.json)" if self.head is not None else "rules"

    def judge(self, claim: str, answer: str) -> ClaimVerdict:
        rows = self.matcher.scores(claim, answer)
        if not rows:
            return ClaimVerdict(claim, "missed", 0.0)
        return self.verdict(claim, answer, rows)

    def verdict(self, claim: str, answer: str, rows) -> ClaimVerdict:
        best = max(rows, key=lambda r: self.matcher.combine(r[1], r[2], r[3]))
        best_score = self.matcher.combine(best[1], best[2], best[3])
        if self.head is not None:
            from .claim_head import features

            x = features(claim, answer, self.matcher, rows)
            verdict = self.head.predict(x)[0]
            raw = max(rows, key=lambda r: self.matcher.combine(r[1], r[2], None))
            unit = best[0] if verdict != "contradicted" else raw[0]
            return ClaimVerdict(claim, verdict, round(best_score, 4), unit,
                                (raw[3] or "") if verdict == "contradicted" else "")
        if best_score >= self.matcher.threshold:
            return ClaimVerdict(claim, "stated", round(best_score, 4), best[0])
        vetoed = [(self.matcher.combine(c, lx, None), u, v) for u, c, lx, v in rows if v]
        if vetoed:
            score, unit, why = max(vetoed, key=lambda r: r[0])
            if score >= self.contradiction_min:
                return ClaimVerdict(claim, "contradicted", round(score, 4), unit, why)
        return ClaimVerdict(claim, "missed", round(best_score, 4), best[0])


def supported(sentence: str, sources: list[str], matcher: KeyFactMatcher) -> tuple[bool, float, str]:
    """Whether one of ``sources`` states ``sentence`` (the matcher with the sentence as the fact), with no
    number or medicine the sources lack. Returns (supported, best score, why not)."""
    s = tx.strip_citations(sentence)
    if not sources:
        return False, 0.0, "no source"
    joined = " ".join(sources)
    extra_numbers = tx.numbers(s) - tx.numbers(joined)
    if extra_numbers:
        return False, 0.0, f"number not in the sources: {', '.join(sorted(extra_numbers))}"
    extra_drugs = tx.drug_names(s) - tx.drug_names(joined)
    if extra_drugs:
        return False, 0.0, f"medicine not in the sources: {', '.join(sorted(extra_drugs))}"
    best = None
    for src in sources:  # the first source that states it is enough
        m = matcher.match(s, src)
        if m.matched:
            return True, m.score, ""
        best = m if best is None or m.score > best.score else best
    return False, best.score, best.veto or "not stated in the sources"
