"""Corpus-level views: how much every series changed, step by step, for ``log`` of all series.

Owns the change statistics of each step of each series (a version against the
one before it), computed with ``history.change_stats`` over ``compare``, kept in
a cache keyed by the two texts' digests (so a step is compared once, whatever
series it ends up in), and spread over worker processes when many are missing;
and the churn of a series (words inserted plus deleted over all its steps).

Pure apart from the processes: the cache is a dict the caller loads and saves
(``store/api.py`` keeps it in ``.git/resdiff-stats.json``). Does not render
(``history_report.py``).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from hashlib import sha1

from .compare import compare
from .history import ChangeStats, Version, change_stats, document_of

_PARALLEL_FROM = 24
"""Fewer missing steps than this are compared in this process."""


def text_key(v: Version) -> str:
    return sha1(v.text.encode()).hexdigest()[:16]


def step_key(old: Version | None, new: Version) -> str:
    """Cache key of one step: the two texts (the first version of a series has no previous one)."""
    return f"{text_key(old) if old else '-'}:{text_key(new)}"


def series_stats(series: Mapping[str, Sequence[Version]], cache: MutableMapping[str, dict], *,
                 workers: int = 1) -> dict[str, tuple[ChangeStats, ...]]:
    """Per series, the statistics of each version against the previous one; fills ``cache`` with new steps."""
    steps = {step_key(old, new): (old, new) for vs in series.values() for old, new in zip((None, *vs), vs)}
    missing = [(k, old, new) for k, (old, new) in steps.items() if k not in cache]
    cache.update(_compute(missing, workers))
    return {name: tuple(ChangeStats(**cache[step_key(old, new)]) for old, new in zip((None, *vs), vs))
            for name, vs in series.items()}


def churn(stats: Sequence[ChangeStats]) -> int:
    """Words inserted plus deleted over every step of a series."""
    return sum(s.volume for s in stats[1:])


def _compute(missing: list[tuple[str, Version | None, Version]], workers: int) -> dict[str, dict]:
    if workers <= 1 or len(missing) < _PARALLEL_FROM:
        return {k: _stats(old, new) for k, old, new in missing}
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        done = pool.map(_stats_of, [(old, new) for _, old, new in missing], chunksize=8)
        return {k: s for (k, _, _), s in zip(missing, done)}


def _stats_of(pair: tuple[Version | None, Version]) -> dict:
    return _stats(*pair)


def _stats(old: Version | None, new: Version) -> dict:
    doc = document_of(new)
    return asdict(change_stats(doc, compare(document_of(old), doc) if old is not None else None))
