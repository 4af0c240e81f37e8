"""Queries a FAQ library has not seen, for measuring lookup.

Two kinds, from the two grammars of each intent (``Intent.log_templates`` and
``Intent.heldout_templates``):

- ``unseen_queries``: phrasings the log grammar produces that a given library does not hold
  (the library was built from the log, these are other ways the same customers ask);
- ``heldout_queries``: phrasings of the second, disjoint grammar only, with any phrasing the
  log grammar could also produce (even after a typo or pinyin substitution of the noise
  layer) dropped: a stress test of wording that shares almost nothing with the log.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from scriptlab.sample.generator import phrase_sampler, phrasings
from scriptlab.sample.intents import INTENTS
from scriptlab.sample.noise import LATIN, TYPOS

if TYPE_CHECKING:
    import pandas as pd

HELDOUT_COLUMNS = ("intent", "query")
_PUNCTUATION = re.compile(r"[\s，,。.？?！!~、：:；;]+")
# Terminal punctuation of held-out queries and its cumulative probability.
_ENDINGS = (("？", 0.6), ("", 0.9), ("?", 1.0))


def comparable(text: str) -> str:
    """The text without whitespace and punctuation, for "same wording" comparisons."""
    return _PUNCTUATION.sub("", text)


def log_wordings() -> frozenset[str]:
    """``comparable`` forms of every log-grammar phrasing, plus its typo/pinyin variants."""
    out: set[str] = set()
    for tables in phrase_sampler("log").tables:
        for table in tables:
            for text in table.phrasings:
                out.add(comparable(text))
                for old, new in TYPOS + LATIN:
                    if old in text:
                        out.add(comparable(text.replace(old, new, 1)))
    return frozenset(out)


def _ending(rng: random.Random) -> str:
    """A query's terminal punctuation, drawn from `_ENDINGS`."""
    u = rng.random()
    return next(mark for mark, cumulative in _ENDINGS if u < cumulative)


def unseen_queries(
    library: Mapping[str, Iterable[str]], n_per_intent: int = 5, seed: int = 99
) -> pd.DataFrame:
    """Log-grammar phrasings of each intent that its library entry does not hold.

    Parameters
    ----------
    library : Mapping[str, Iterable[str]]
        Intent key → the phrasings its entry holds (question and variants). A phrasing is
        held if it appears, punctuation aside, inside one of them ("亲，付款后几天发货呀" holds
        付款后几天发货). Intents not in the mapping get no queries.
    n_per_intent : int
        Queries per intent (fewer if the grammar has fewer unseen phrasings).
    seed : int
        Seed of the choice; the same arguments always give the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``intent, query`` in catalogue order, clean text ending in ？, ? or nothing.
    """
    import pandas as pd

    if n_per_intent < 1:
        raise ValueError(f"n_per_intent must be >= 1, not {n_per_intent}")
    rng = random.Random(f"scriptlab.sample:{seed}:unseen")
    rows: list[tuple[str, str]] = []
    for intent in INTENTS:
        if intent.key not in library:
            continue
        held = [comparable(p) for p in library[intent.key]]
        pool = [p for p in phrasings(intent.key, "log")
                if not any(comparable(p) in h for h in held)]
        for text in rng.sample(pool, min(n_per_intent, len(pool))):
            rows.append((intent.key, text + _ending(rng)))
    return pd.DataFrame(rows, columns=list(HELDOUT_COLUMNS))


def heldout_queries(n_per_intent: int = 5, seed: int = 99) -> pd.DataFrame:
    """Fresh phrasings of every intent, from the held-out half of the grammar.

    Parameters
    ----------
    n_per_intent : int
        Queries per intent (distinct; spread over the intent's held-out templates).
    seed : int
        Seed of the choice; the same arguments always give the same frame.

    Returns
    -------
    pandas.DataFrame
        Columns ``intent, query``, ``n_per_intent`` rows per intent in catalogue order.
        Queries are clean (no noise layer), ending in ？, ? or nothing.
    """
    import pandas as pd

    if n_per_intent < 1:
        raise ValueError(f"n_per_intent must be >= 1, not {n_per_intent}")
    rng = random.Random(f"scriptlab.sample:{seed}:heldout")
    blocked = log_wordings()
    taken: set[str] = set()
    rows: list[tuple[str, str]] = []
    sampler = phrase_sampler("heldout")
    for intent, tables in zip(INTENTS, sampler.tables, strict=True):
        pools = []
        for table in tables:
            pool = [t for t in table.phrasings if comparable(t) not in blocked]
            rng.shuffle(pool)
            pools.append(pool)
        rng.shuffle(pools)
        chosen: list[str] = []
        while len(chosen) < n_per_intent and any(pools):
            for pool in pools:
                while pool and len(chosen) < n_per_intent:
                    text = pool.pop()
                    if comparable(text) not in taken:
                        taken.add(comparable(text))
                        chosen.append(text)
                        break
        if len(chosen) < n_per_intent:
            raise ValueError(
                f"intent {intent.key} has only {len(chosen)} held-out phrasings; "
                f"ask for at most that many per intent"
            )
        for text in chosen:
            rows.append((intent.key, text + _ending(rng)))
    return pd.DataFrame(rows, columns=list(HELDOUT_COLUMNS))
