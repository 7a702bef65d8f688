"""Hybrid retrieval: BM25 + dense (FAISS) fused by reciprocal rank fusion, with synonyms and abstention."""

from __future__ import annotations

import re
import time

import numpy as np
from pydantic import BaseModel

from .abstention import Vocabulary, decide, kb_topics
from .config import Settings
from .embeddings import Embedder, get_embedder
from .index import SearchIndex
from .question_types import heading_fits, question_types

RRF_K = 60
HEADING_BONUS = 1.0 / (RRF_K + 1)  # a section whose heading fits the question type moves up
# Abbreviations and lay words -> the terms the knowledge base uses. Keys match whole words,
# case-insensitively, except the upper-case-only ones in _CASE_SENSITIVE.
SYNONYMS: dict[str, str] = {
    "eczema": "atopic dermatitis", "ad": "atopic dermatitis", "atopic eczema": "atopic dermatitis",
    "hs": "hidradenitis suppurativa", "acne inversa": "hidradenitis suppurativa",
    "pso": "psoriasis", "psa": "psoriatic arthritis", "bcc": "basal cell carcinoma",
    "scc": "squamous cell carcinoma", "ak": "actinic keratosis", "dif": "direct immunofluorescence",
    "mtx": "methotrexate", "tcs": "topical corticosteroids", "steroid cream": "topical corticosteroids",
    "tci": "topical calcineurin inhibitors", "hives": "urticaria", "csu": "chronic spontaneous urticaria",
    "sle": "systemic lupus erythematosus", "dle": "discoid lupus", "ccle": "cutaneous lupus",
    "bp": "bullous pemphigoid", "pv": "pemphigus vulgaris", "lp": "lichen planus", "ls": "lichen sclerosus",
    "aa": "alopecia areata", "nbuvb": "narrowband UVB phototherapy", "uv": "ultraviolet phototherapy",
    "jak": "janus kinase", "ssc": "systemic sclerosis", "scleroderma": "systemic sclerosis morphea",
    "dm": "dermatomyositis", "pn": "prurigo nodularis", "seb derm": "seborrheic dermatitis",
    "dandruff": "seborrheic dermatitis", "cradle cap": "seborrheic dermatitis", "mole": "naevus",
    "moles": "naevi", "nevus": "naevus", "nevi": "naevi", "hcq": "hydroxychloroquine",
    "plaquenil": "hydroxychloroquine", "accutane": "isotretinoin", "roaccutane": "isotretinoin",
    "dupixent": "dupilumab", "humira": "adalimumab", "xolair": "omalizumab", "protopic": "tacrolimus",
    "elidel": "pimecrolimus", "opzelura": "ruxolitinib", "catching": "contagious", "spread to others": "contagious",
    # brand names and short forms patients use -> the medicine's name in the knowledge base
    "tremfya": "guselkumab", "stelara": "ustekinumab", "skyrizi": "risankizumab", "ilumya": "tildrakizumab",
    "ilumetri": "tildrakizumab", "cosentyx": "secukinumab", "taltz": "ixekizumab", "kyntheum": "brodalumab",
    "siliq": "brodalumab", "bimzelx": "bimekizumab", "enbrel": "etanercept", "remicade": "infliximab",
    "cimzia": "certolizumab", "amgevita": "adalimumab", "rinvoq": "upadacitinib", "cibinqo": "abrocitinib",
    "olumiant": "baricitinib", "litfulo": "ritlecitinib", "sotyktu": "deucravacitinib", "adbry": "tralokinumab",
    "adtralza": "tralokinumab", "ebglyss": "lebrikizumab", "nemluvio": "nemolizumab", "eucrisa": "crisaborole",
    "zoryve": "roflumilast", "vtama": "tapinarof", "imuran": "azathioprine", "aza": "azathioprine",
    "cellcept": "mycophenolate", "mmf": "mycophenolate", "myfortic": "mycophenolate", "neoral": "ciclosporin",
    "cyclosporine": "ciclosporin", "cyclosporin": "ciclosporin", "rituxan": "rituximab", "mabthera": "rituximab",
    "otezla": "apremilast", "neotigason": "acitretin", "soriatane": "acitretin",
    "black box": "boxed warning", "box": "boxed warning", "condom": "contraception", "condoms": "contraception",
    "the pill": "contraception", "birth control": "contraception", "zits": "spots acne", "pimple": "spots acne",
    "pimples": "spots acne", "hsp": "IgA vasculitis Henoch-Schonlein purpura",
    "pred": "prednisolone steroid tablets", "prednisone": "prednisolone steroid tablets",
    "jdm": "juvenile dermatomyositis", "mirvaso": "brimonidine", "nizoral": "ketoconazole", "efudix": "fluorouracil",
    "betnovate": "betamethasone topical corticosteroids", "dermovate": "clobetasol topical corticosteroids",
    "eumovate": "topical corticosteroids", "elocon": "mometasone topical corticosteroids",
    "dovobet": "calcipotriol betamethasone", "enstilar": "calcipotriol betamethasone",
    "aveeno": "emollient moisturiser", "epaderm": "emollient moisturiser", "diprobase": "emollient moisturiser",
    "e45": "emollient moisturiser", "cetraben": "emollient moisturiser", "doublebase": "emollient moisturiser",
    "hydromol": "emollient moisturiser", "zeroderm": "emollient moisturiser",
    "suncream": "sunscreen", "sun cream": "sunscreen", "sunblock": "sunscreen", "sun block": "sunscreen",
    "spf": "sunscreen",
}
# Medicine names -> the knowledge-base document that covers their class.
DRUG_CLASSES: dict[str, list[str]] = {
    "biologics for eczema and itch": ["dupilumab", "tralokinumab", "lebrikizumab", "nemolizumab"],
    "TNF inhibitors": ["adalimumab", "etanercept", "infliximab", "certolizumab"],
    "IL-17 inhibitors": ["secukinumab", "ixekizumab", "brodalumab", "bimekizumab"],
    "IL-23 and IL-12/23 inhibitors": ["guselkumab", "risankizumab", "tildrakizumab", "ustekinumab"],
    "JAK and TYK2 inhibitors": ["upadacitinib", "abrocitinib", "baricitinib", "ritlecitinib", "deucravacitinib",
                                "tofacitinib"],
    "topical calcineurin inhibitors": ["tacrolimus", "pimecrolimus"],
    "newer topical treatments": ["crisaborole", "roflumilast", "tapinarof", "ruxolitinib"],
    "topical corticosteroids": ["hydrocortisone", "betamethasone", "clobetasol", "mometasone", "fluticasone"],
    "antibiotics for skin disease": ["doxycycline", "lymecycline", "minocycline", "clindamycin", "rifampicin"],
}
for _cls, _names in DRUG_CLASSES.items():
    for _name in _names:
        SYNONYMS.setdefault(_name, _cls)
_CASE_SENSITIVE = {"bp", "pv", "dm", "pn", "ls", "lp", "aa", "ad", "uv"}
_SYN_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b", re.I)


def _synonym_matches(query: str):
    """The abbreviations and lay words of the query that SYNONYMS maps (upper-case-only keys as capitals only)."""
    for m in _SYN_RE.finditer(query):
        word = m.group(1)
        if word.lower() in _CASE_SENSITIVE and word != word.upper():
            continue
        yield word


def expand_query(query: str) -> str:
    """Append the knowledge base's own terms for abbreviations and lay words found in the query."""
    extra = [SYNONYMS[w.lower()] for w in _synonym_matches(query) if SYNONYMS[w.lower()].lower() not in query.lower()]
    return query if not extra else f"{query} ({'; '.join(dict.fromkeys(extra))})"


def synonym_words(query: str) -> set[str]:
    """The query's words that ``expand_query`` maps to knowledge-base terms ("seb derm", "humira", "mtx")."""
    return {part for w in _synonym_matches(query) for part in w.lower().split()}


class Hit(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    kind: str
    heading: str
    text: str
    dense_score: float
    bm25_score: float
    score: float
    rank: int


class SearchResult(BaseModel):
    query: str
    expanded_query: str
    hits: list[Hit]
    abstain: bool
    reason: str = ""
    abstain_rule: str = ""  # which abstention rule fired (assistant.abstention)
    abstain_words: list[str] = []  # the question's words the knowledge base does not cover
    suggestions: list[str] = []  # when abstaining: titles of documents about what the question names
    seconds: float = 0.0


class Retriever:
    """Loads lazily; ``search`` returns fused hits and whether the evidence is too weak to answer."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None, index: SearchIndex | None = None):
        self.settings = settings
        self.embedder = embedder or get_embedder(settings.embedder)
        self._index = index

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex.load(self.settings, self.embedder)
        return self._index

    def warm_up(self) -> None:
        self.embedder.warm_up()
        _ = self.vocabulary
        self.embedder.embed(["warm up"], kind="query")

    def search(self, query: str, top_k: int | None = None, *, pool: int | None = None) -> SearchResult:
        t0 = time.perf_counter()
        k = top_k or self.settings.top_k
        index = self.index
        expanded = expand_query(query)
        n = len(index.chunks)
        pool = min(n, pool or max(4 * k, 30))
        if n == 0:
            return SearchResult(query=query, expanded_query=expanded, hits=[], abstain=True,
                                reason="the index is empty", seconds=time.perf_counter() - t0)
        qv = self.embedder.embed([expanded], kind="query")
        dense_scores, dense_ids = index.faiss.search(qv, pool)
        dense = {int(i): float(s) for i, s in zip(dense_ids[0], dense_scores[0]) if i >= 0}
        bm = index.bm25.scores(expanded)
        bm_ids = np.argsort(-bm)[:pool]
        bm_ids = [int(i) for i in bm_ids if bm[i] > 0]
        fused: dict[int, float] = {}
        for rank, i in enumerate(sorted(dense, key=dense.get, reverse=True)):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        for rank, i in enumerate(bm_ids):
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
        types = question_types(query)
        if types:
            for i in fused:
                if heading_fits(index.chunks[i].heading, types):
                    fused[i] += HEADING_BONUS
        order = sorted(fused, key=fused.get, reverse=True)[:k]
        missing = [i for i in order if i not in dense]
        if missing:  # exact cosine for BM25-only hits
            vecs = np.stack([index.faiss.reconstruct(i) for i in missing])
            dense.update({i: float(s) for i, s in zip(missing, vecs @ qv[0])})
        hits = []
        for rank, i in enumerate(order):
            c = index.chunks[i]
            hits.append(Hit(chunk_id=c.chunk_id, doc_id=c.doc_id, title=c.title, kind=c.kind, heading=c.heading,
                            text=c.text, dense_score=dense[i], bm25_score=float(bm[i]), score=fused[i], rank=rank + 1))
        decision = decide(query, hits, self.vocabulary, self.settings, expanded=expanded)
        return SearchResult(query=query, expanded_query=expanded, hits=hits, abstain=decision.abstain,
                            reason=decision.reason, abstain_rule=decision.rule, abstain_words=decision.words,
                            suggestions=decision.suggestions,
                            seconds=time.perf_counter() - t0)

    @property
    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words and topics (for abstention), built once per loaded index."""
        index = self.index
        if index.vocabulary is None:
            from .knowledge import check_knowledge_base

            docs, _ = check_knowledge_base(self.settings.kb_path)
            index.vocabulary = Vocabulary(index.chunks, kb_topics(docs))
        return index.vocabulary


def as_langchain_retriever(retriever: Retriever, top_k: int | None = None):
    """The same hybrid search as a LangChain ``BaseRetriever`` (documents carry doc id, heading, scores)."""
    from langchain_core.documents import Document as LCDocument
    from langchain_core.retrievers import BaseRetriever

    class DermassistRetriever(BaseRetriever):
        k: int | None = None

        def _get_relevant_documents(self, query: str, *, run_manager=None) -> list[LCDocument]:
            result = retriever.search(query, self.k)
            return [LCDocument(page_content=h.text, metadata=h.model_dump(exclude={"text"})) for h in result.hits]

    return DermassistRetriever(k=top_k)
