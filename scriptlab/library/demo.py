"""The library stage of `scriptlab demo`: approve the winners, publish, look one question up."""

from __future__ import annotations

from scriptlab.demo import DemoStep
from scriptlab.library.faq import FaqLibrary
from scriptlab.store.workspace import Workspace

DEMO_ACTOR = "demo"


def heldout_pairs(library: FaqLibrary) -> list[tuple[str, int]]:
    """(held-out phrasing, id of the entry it should find) for the published topics.

    Each entry's intent is recognised from its question and variants; the queries are the
    sample's held-out phrasings of those intents: wordings the library has never seen.
    """
    import pandas as pd

    from scriptlab.sample.answers import match_intents
    from scriptlab.sample.holdout import heldout_queries

    entries = pd.DataFrame({
        "question_id": [e.id for e in library.entries],
        "question": [e.question for e in library.entries],
        "phrasings": [list(e.variants) for e in library.entries],
    })
    intent_of = match_intents(entries)
    entry_of = {intent: entry_id for entry_id, intent in intent_of.items()}
    queries = heldout_queries()
    return [(q, entry_of[i]) for i, q in zip(queries["intent"], queries["query"], strict=True)
            if i in entry_of]


def demo_step(ws: Workspace) -> DemoStep:
    """Approve every winning answer (by "demo"), publish v1 and run one lookup.

    Returns
    -------
    DemoStep
        Stage "library"; its outputs are the published files.
    """
    from scriptlab.library.approval import approve_all_winners
    from scriptlab.library.lookup import Searcher
    from scriptlab.library.publish import publish

    changes = approve_all_winners(ws, by=DEMO_ACTOR)
    if not changes:
        return DemoStep("library", "no winning answers to approve, nothing published")
    result = publish(ws, by=DEMO_ACTOR, force=True)
    library = result.library
    assert library is not None  # forced: always a new version
    searcher = Searcher(library)
    pairs = heldout_pairs(library)
    ranks = [[m.entry.id for m in searcher.lookup(q, top=3).matches] for q, _ in pairs]
    hit1 = sum(bool(r) and r[0] == want for r, (_, want) in zip(ranks, pairs, strict=True))
    hit3 = sum(want in r for r, (_, want) in zip(ranks, pairs, strict=True))
    example, _ = pairs[0] if pairs else ("付款后多久发货", 0)
    found = searcher.lookup(example, top=1)
    best = f"{found.matches[0].entry.question} ({found.matches[0].score:.2f})" \
        if found.matches else "no match"
    summary = (
        f"approved {len(changes)} winning answers, published library v{library.version} "
        f"({len(library.entries)} entries); lookup of {len(pairs)} held-out phrasings of "
        f"those topics: top-1 {hit1}/{len(pairs)}, top-3 {hit3}/{len(pairs)}; "
        f"e.g. “{example}” → {best}"
    )
    labels = {"faq.json": "library (JSON)", "index.html": "search page",
              "faq.md": "library (Markdown)", "faq.csv": "library (CSV)",
              "faq.xlsx": "library (Excel)"}
    return DemoStep("library", summary, [(labels.get(p.name, p.name), p) for p in result.files])
