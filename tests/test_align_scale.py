"""Alignment on a long constructed text (300 operative paragraphs of random words from
2003/73's vocabulary; not a UN document) where the true correspondence is known."""

import random
import re

import pytest

from conftest import REAL_2003_73
from resdiff.compare import compare_texts

VOCAB = sorted(set(re.findall(r"[a-z]{4,}", REAL_2003_73.read_text().lower())))


def make(seed: int = 3):
    rng = random.Random(seed)
    paras = [(f"id{k}", "Requests " + " ".join(rng.choice(VOCAB) for _ in range(40)) + ";") for k in range(300)]
    new = list(paras)
    edited = set()
    for k in rng.sample(range(300), 10):
        pid, text = new[k]
        words = text.split()
        words[5:8] = ["strongly", "urges", "all"]
        new[k] = (pid, " ".join(words))
        edited.add(pid)
    deleted = {new[k][0] for k in rng.sample(range(300), 5)}
    new = [p for p in new if p[0] not in deleted]
    moved = set()
    for _ in range(6):
        p = new.pop(rng.randrange(len(new)))
        new.insert(rng.randrange(len(new)), p)
        moved.add(p[0])
    added = []
    for n in range(4):
        text = "Decides " + " ".join(rng.choice(VOCAB) for _ in range(40)) + ";"
        new.insert(rng.randrange(len(new)), (f"new{n}", text))
        added.append(f"new{n}")
    return paras, new, edited, deleted, moved, added


def doc(paras):
    return "The General Assembly,\n\n" + "\n\n".join(f"{n}. {t}" for n, (_, t) in enumerate(paras, 1)) + "\n"


@pytest.mark.parametrize("seed", range(6))
def test_known_correspondence_is_recovered(seed):
    old, new, edited, deleted, moved, added = make(seed)
    c = compare_texts(doc(old), doc(new))
    old_id = {f"OP{n}": pid for n, (pid, _) in enumerate(old, 1)}
    new_id = {f"OP{n}": pid for n, (pid, _) in enumerate(new, 1)}
    body = [p for p in c.pairs if p.sections == ("operative",)]
    for p in body:
        if p.old_labels and p.new_labels:
            assert [old_id[l] for l in p.old_labels] == [new_id[l] for l in p.new_labels]
    assert {old_id[p.old_labels[0]] for p in body if p.status.value == "deleted"} == deleted
    assert {new_id[p.new_labels[0]] for p in body if p.status.value == "added"} == set(added)
    assert {old_id[p.old_labels[0]] for p in body if p.status.value == "modified"} == edited
    assert {old_id[p.old_labels[0]] for p in body if p.moved} == moved
