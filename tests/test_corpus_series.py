"""Series detection on the real General Assembly corpus: a dozen series checked by hand.

Reads ``shared/corpus/ga-akn`` beside the project (real UN resolutions in Akoma
Ntoso, sessions 74-78; see its README) and is skipped when it is not there. Each
chain below was checked by reading the texts: the "Recalling/Reaffirming its
resolution ..." paragraph of each version names the one before it (oceans,
fisheries, girl child, ICC, disabilities convention), or the titles and wording
agree (IAEA, host country, right to food, Durban follow-up), or the title
drifted while the recall chain holds (Year of the Family, Crimea). The versions
that must stay apart were read too: 77/5 (plenary meetings on oceans, which
recalls 76/72 but is no oceans resolution), 76/264 (food insecurity, which
recalls 76/166) and the child-marriage resolutions that alternate with "The girl
child". Only the files these series need are imported, so the test is quick;
the whole corpus is imported by ``tests/bench_store.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import series_fixtures as sf
from resdiff.metadata import parse_meta
from resdiff.store.records import Received
from resdiff.store import Store
from resdiff.symbols import parse_symbol

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "ga-akn"
pytestmark = pytest.mark.skipif(not (CORPUS / "en" / "78").is_dir(), reason="shared/corpus/ga-akn is not beside the project")

CHAINS = {
    "oceans-and-the-law-of-the-sea": ["74/19", "75/239", "76/72", "77/248", "78/69"],
    "sustainable-fisheries-including-through-the-1995-agreement": ["74/18", "75/89", "76/71", "77/118", "78/68"],
    "the-girl-child": ["74/134", "76/146", "78/188"],
    "child-early-and-forced-marriage": ["75/167", "77/202"],
    "report-of-the-international-atomic-energy-agency": ["74/8", "75/6", "76/9", "77/9", "78/8"],
    "report-of-the-international-criminal-court": ["74/6", "75/3", "76/5", "77/6", "78/6"],
    "report-of-the-committee-on-relations-with-the-host-country": ["74/195", "75/146", "76/122", "77/114", "78/116"],
    "the-right-to-food": ["74/149", "75/179", "76/166", "77/217", "78/198"],
    "preparations-for-and-observance-of-the-thirtieth-anniversary": ["74/124", "75/153", "76/139", "77/191", "78/176"],
    "situation-of-human-rights-in-the-temporarily-occupied": ["74/168", "75/192", "76/179", "77/229", "78/221"],
    "follow-up-to-nuclear-disarmament-obligations-agreed-to-at": ["74/36", "76/31", "78/30"],
    "a-global-call-for-concrete-action-for-the-elimination": ["74/137", "75/237", "76/226", "77/205", "78/234"],
    "implementation-of-the-convention-on-the-rights-of-persons": ["74/144", "76/154", "78/195"],
    # Two budget resolutions of every session, each recalling the other's predecessors: generic titles that
    # differ in more than their year ("Questions ..." / "Special subjects ...") are two series, not one.
    "questions-relating-to-the-proposed-programme-budget-for-2024": ["74/262", "75/252", "76/245", "77/262", "78/252"],
    "special-subjects-relating-to-the-proposed-programme-budget": ["74/263", "75/253", "76/246", "77/263", "78/253"],
}
APART = ["77/5", "76/264", "76/253", "78/279"]
"""Each of these recalls a member of a chain above (or, 78/279, the one before it here), yet is another
resolution: a series of its own. 78/279 (International Year of the Woman Farmer, 2026) recalls 76/253
(International Year of Rangelands and Pastoralists, 2026): their titles share only "International Year",
and "2026"."""
_NAME = re.compile(r"(?:A_RES_)?(7\d)_(\d+)(?: ?([A-C](?:-[A-C])?))?(?=[-_.])")


def corpus_file(short: str) -> Path:
    session, number = short.split("/")
    for path in sorted((CORPUS / "en" / session).iterdir()):
        m = _NAME.match(path.name)
        if m and m.group(1) == session and m.group(2) == number and not m.group(3) and not path.name.endswith("_F.xml"):
            return path
    raise AssertionError(f"{short}: not in the corpus")


@pytest.fixture(scope="module")
def wanted() -> list[Path]:
    return [corpus_file(s) for chain in CHAINS.values() for s in chain] + [corpus_file(s) for s in APART]


@pytest.fixture(scope="module")
def store(tmp_path_factory, wanted) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "store"
    meta = parse_meta((CORPUS / "meta" / "78.json").read_text(encoding="utf-8"), name="78.json")
    with Store.open(path, seed=False) as opened:
        filed = opened.file([Received(p.read_bytes(), str(p)) for p in wanted], meta=meta, workers=2)
    assert filed.count("added") == len(wanted)
    return path


def test_hand_checked_series_hold_exactly_their_versions_in_adoption_order(store):
    with Store.open(store) as opened:
        series = {name: [v.symbol.short for v in vs] for name, vs in opened.catalogue().items()}
    for name, chain in CHAINS.items():
        assert series.get(name) == chain, (name, series.get(name), [n for n, s in series.items() if chain[0] in s])
    for short in APART:
        assert [s for s in series.values() if short in s] == [[short]], short


def test_votes_from_the_metadata_file_reach_the_versions(store):
    with Store.open(store) as opened:
        _, icc = opened.require(parse_symbol("ga:78/6"))
        _, iaea = opened.require(parse_symbol("ga:78/8"))
        _, earlier = opened.require(parse_symbol("ga:77/6"))
    assert icc.votes.summary == "115-6-31" and len(icc.votes.members_in_favour) == 115
    assert iaea.votes is not None and earlier.votes is None, "only the 78th session's metadata was given"


def test_the_same_files_in_any_order_and_batches_give_the_same_store(tmp_path, store, wanted):
    shuffled = wanted[:]
    random.Random(78).shuffle(shuffled)
    meta = parse_meta((CORPUS / "meta" / "78.json").read_text(encoding="utf-8"), name="78.json")
    with Store.open(tmp_path / "other", seed=False) as opened:
        for batch in (shuffled[:20], shuffled[20:41], shuffled[41:]):
            opened.file([Received(p.read_bytes(), str(p)) for p in batch], meta=meta)
    assert sf.all_refs(tmp_path / "other") == sf.all_refs(store)
