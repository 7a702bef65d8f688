"""Plain site names (issue 14 section 3): the table, how sites are read from a report, and how they are shown."""

from __future__ import annotations

import pytest
import yaml

from assistant.reports.explain import Explainer
from assistant.reports.parse import _AMBIGUOUS_SITE_WORDS, find_site
from assistant.reports.sites import plain_site, site_table
from tests.conftest import KB

TABLE = yaml.safe_load((KB / "lexicon" / "sites.yaml").read_text(encoding="utf-8"))


def test_the_table_has_at_least_80_sites_with_sources_and_unique_names():
    rows = TABLE["sites"]
    assert len(rows) >= 80
    assert len(TABLE["sources"]) >= 2
    names = [n.lower() for r in rows for n in [r["site"], *r.get("also", [])]]
    assert len(names) == len(set(names))
    for r in rows:
        assert r["plain"].replace("{side}", "").strip() and "(" not in r["plain"], r


@pytest.mark.parametrize("site, side, shown", [
    ("dorsal hand", "right", "back of the right hand (right dorsal hand)"),
    ("left axilla", None, "left armpit (left axilla)"),
    ("pretibial", "left", "front of the left shin (left pretibial)"),
    ("malar cheek", "right", "right cheek, over the cheekbone (right malar cheek)"),
    ("vertex", None, "top of the scalp (vertex)"),
    ("volar forearm", "left", "palm side of the left forearm (left volar forearm)"),
    ("plantar", "right", "sole of the right foot (right plantar)"),
    ("periungual", None, "skin around the nail (periungual)"),
    ("Lt helix", None, "outer rim of the left ear (Lt helix)"),
    ("nasal ala", "left", "side of the left nostril (left nasal ala)"),
    ("philtrum", None, "groove between the nose and the upper lip (philtrum)"),
    ("inguinal", "bilateral", "groin, both sides (bilateral inguinal)"),
    ("sacral", None, "bottom of the spine above the buttocks (sacral)"),
    ("right upper dorsal hand", None, "upper back of the right hand (right upper dorsal hand)"),
])
def test_plain_name_comes_first_and_the_report_words_stay(site, side, shown):
    assert plain_site(site, side) == shown


@pytest.mark.parametrize("site, side, shown", [
    ("upper back", "right", "right upper back"),      # already plain: no brackets, side not repeated
    ("right cheek", "right", "right cheek"),
    ("left zorbular ridge", None, "left zorbular ridge"),  # unknown: the words as written, nothing invented
    (None, "left", None),
])
def test_plain_or_unknown_sites_are_shown_as_written(site, side, shown):
    assert plain_site(site, side) == shown


def test_every_table_name_is_read_as_a_site_from_a_report_line():
    missed = []
    for name in site_table():
        if name in _AMBIGUOUS_SITE_WORDS:
            continue
        got, lat = find_site(f"Specimen: skin, right {name}, shave biopsy")
        if got != f"right {name}" or lat != "right":
            missed.append((name, got, lat))
    assert not missed


def test_everyday_words_are_not_read_as_sites():
    assert find_site("History of mental health problems; digital photographs taken.")[0] is None


def test_the_explanation_shows_the_plain_site_with_the_report_words():
    md = Explainer(kb_path=KB).explain(
        "Specimen: Skin, right dorsal hand, shave biopsy.\nDiagnosis: Seborrheic keratosis.").to_markdown()
    assert "back of the right hand (right dorsal hand)" in md
    assert "right right" not in md
