"""How well lookup finds a published library's entries from wordings it has never seen,
measured with the sample generator's phrasings (the demo and bench/ report these)."""

from __future__ import annotations

from scriptlab.library.faq import FaqLibrary
from scriptlab.library.lookup import Searcher


def heldout_pairs(library: FaqLibrary, *, disjoint: bool = True) -> list[tuple[str, int]]:
    """(query, id of the entry it should find) for the published topics.

    Each entry's intent is recognised from its question and variants. The queries are
    wordings the library has never seen: with `disjoint`, the sample's held-out grammar
    (`heldout_queries`: almost no words in common with the log); without, phrasings of the
    log's own grammar that the entry does not hold (`unseen_queries`).
    """
    import pandas as pd

    from scriptlab.sample.answers import match_intents
    from scriptlab.sample.holdout import heldout_queries, unseen_queries

    entries = pd.DataFrame({
        "question_id": [e.id for e in library.entries],
        "question": [e.question for e in library.entries],
        "phrasings": [list(e.variants) for e in library.entries],
    })
    intent_of = match_intents(entries)
    entry_of = {intent: entry_id for entry_id, intent in intent_of.items()}
    if disjoint:
        queries = heldout_queries()
    else:
        by_id = {e.id: e for e in library.entries}
        queries = unseen_queries({intent: (by_id[entry_id].question, *by_id[entry_id].variants)
                                  for intent, entry_id in entry_of.items()})
    return [(q, entry_of[i]) for i, q in zip(queries["intent"], queries["query"], strict=True)
            if i in entry_of]


def hits(searcher: Searcher, pairs: list[tuple[str, int]]) -> tuple[int, int]:
    """How many of `pairs` find their entry first, and within the first three."""
    ranks = [[m.entry.id for m in searcher.lookup(q, top=3).matches] for q, _ in pairs]
    hit1 = sum(r[:1] == [want] for r, (_, want) in zip(ranks, pairs, strict=True))
    hit3 = sum(want in r for r, (_, want) in zip(ranks, pairs, strict=True))
    return hit1, hit3
