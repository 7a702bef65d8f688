"""Builders for small, valid knowledge-base files used by unit tests."""

from __future__ import annotations

from pathlib import Path

from assistant.knowledge import CONDITION_SECTIONS, TREATMENT_SECTIONS

SOURCES = """sources:
  - title: Test guideline one
    publisher: Test Society
    year: 2024
    url: https://example.org/one
  - title: Test guideline two
    publisher: Test Institute
    year: 2023
    identifier: "doi:10.0000/test"
"""

SECTION_TEXT = {
    "What it is": "{name} is a long-lasting skin condition that causes {feature}. Many people live well with {name}.",
    "Who gets it": "{name} can start at any age. It often runs in families.",
    "Symptoms": "The main symptoms of {name} are {feature} and itch. Symptoms come and go in flares.",
    "How it looks on brown and black skin": "On brown and black skin {name} can look dark brown, purple or grey.",
    "Causes and triggers": "{name} is caused by the immune system. Stress and cold weather can trigger it.",
    "Is it contagious?": "{name} is not contagious. You cannot catch {name} from another person.",
    "How it is diagnosed": "A doctor diagnoses {name} by looking at the skin. A biopsy is rarely needed.",
    "Treatment": "Treatment for {name} starts with moisturisers and creams. Tablets or injections help severe cases.",
    "Self-care and living with it": "Daily skin care helps with {name}. Avoid your known triggers.",
    "Outlook: what to expect": "{name} often comes and goes over the years. There is no cure, but it can be controlled.",
    "Linked conditions and complications": "People with {name} may get skin infections more often.",
    "When to get urgent help": "Get urgent help if {name} spreads fast with fever.",
    "Questions to ask your doctor": "Ask your doctor which treatment for {name} suits you best.",
    "What it treats": "{name} treats inflamed, itchy skin such as eczema and psoriasis.",
    "How it is used": "{name} is applied thinly to the affected skin once or twice a day.",
    "How long until it works": "{name} usually helps within one to two weeks.",
    "Side effects": "Side effects of {name} include stinging and, with long use, thinner skin.",
    "Monitoring": "Most people using {name} do not need blood tests.",
    "Pregnancy and breastfeeding": "{name} is often used in pregnancy after talking to a doctor.",
    "Vaccines and infections": "{name} does not stop vaccines from working.",
}


def doc_text(doc_id: str, name: str, kind: str = "condition", feature: str = "dry, red patches",
             extra: str = "") -> str:
    sections = CONDITION_SECTIONS if kind == "condition" else TREATMENT_SECTIONS
    body = "\n\n".join(f"## {h}\n{SECTION_TEXT[h].format(name=name, feature=feature)}" for h in sections)
    return (f"---\nid: {doc_id}\ntitle: {name}\nkind: {kind}\nconditions: [{name.lower()}]\naudience: patient\n"
            f"{SOURCES}review:\n  status: sourced\nupdated: 2026-11-30\n---\n# {name}\n\n{body}\n{extra}")


def write_doc(kb: Path, doc_id: str, name: str, kind: str = "condition", **kw) -> Path:
    folder = kb / ("conditions" if kind == "condition" else "treatments")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_id}.md"
    path.write_text(doc_text(doc_id, name, kind, **kw), encoding="utf-8")
    return path


def make_tiny_kb(kb: Path) -> Path:
    write_doc(kb, "atopic-dermatitis", "Atopic dermatitis", feature="dry, itchy, inflamed skin")
    write_doc(kb, "psoriasis", "Psoriasis", feature="thick, scaly plaques on elbows and knees")
    write_doc(kb, "rosacea", "Rosacea", feature="facial flushing, redness and bumps on the cheeks")
    write_doc(kb, "topical-corticosteroids", "Topical corticosteroids", kind="treatment")
    return kb
