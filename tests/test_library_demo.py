"""The library step of `scriptlab demo`."""

from __future__ import annotations

import re

from library_fixtures import INTENTS, build_workspace

from scriptlab.demo.library import demo_step
from scriptlab.evaluation.lookup import heldout_pairs
from scriptlab.library import approval
from scriptlab.library.faq import FaqEntry, FaqLibrary
from scriptlab.sample.generator import phrasings
from scriptlab.sample.holdout import comparable, heldout_queries
from scriptlab.sample.intents import INTENTS as SAMPLE_INTENTS


def test_demo_step_approves_publishes_and_looks_up(workspace) -> None:
    build_workspace(workspace, INTENTS)
    step = demo_step(workspace)
    assert step.stage == "library"
    assert step.summary.startswith(
        f"approved {len(INTENTS)} winning answers, published library v1 ({len(INTENTS)} entries); "
        "lookup of ")
    counts = re.search(r"lookup of (\d+) unseen phrasings of those topics: top-1 (\d+)/\1, "
                       r"top-3 (\d+)/\1 \(of (\d+) from a disjoint grammar: top-1 (\d+), "
                       r"top-3 (\d+)\); e\.g\. “.+” → ", step.summary)
    assert counts is not None, step.summary
    assert int(counts[2]) <= int(counts[3]) <= int(counts[1])
    assert int(counts[5]) <= int(counts[6]) <= int(counts[4])
    assert [p.name for _, p in step.outputs] == ["faq.json", "index.html", "faq.md", "faq.csv",
                                                 "faq.xlsx", "quickreply-qianniu.xlsx",
                                                 "quickreply-feige.xlsx",
                                                 "quickreply-jingmai.xlsx"]
    assert all(p.exists() for _, p in step.outputs)
    assert {e.approved_by for e in approval.list_entries(workspace)} == {"demo"}


def test_demo_step_without_winners(workspace) -> None:
    build_workspace(workspace, INTENTS[:2], winners=False)
    assert demo_step(workspace).summary == "no winning answers to approve, nothing published"


def test_heldout_pairs_point_at_the_entry_of_the_same_intent() -> None:
    chosen = SAMPLE_INTENTS[:6]
    entries = tuple(
        FaqEntry(id=100 + n, topic_id=n, category=i.category, tags=(), question=i.canonical,
                 variants=phrasings(i.key)[:10], script=i.good_answer, author_agent_id=None,
                 author_agent_name=None, score=None, quiz_week=None, version=1,
                 approved_by="t", approved_at="2026-11-20", updated_at="2026-11-20")
        for n, i in enumerate(chosen))
    library = FaqLibrary(version=1, published_at="2026-11-20", published_by="t",
                         changelog={}, min_confidence=0.18, synonyms={}, entries=entries)
    pairs = heldout_pairs(library)
    heldout = heldout_queries()
    expected = {q: 100 + [i.key for i in chosen].index(k)
                for k, q in zip(heldout["intent"], heldout["query"], strict=True)
                if k in {i.key for i in chosen}}
    assert dict(pairs) == expected
    assert len(pairs) == 6 * 5
    unseen = heldout_pairs(library, disjoint=False)
    assert len(unseen) == 6 * 5
    for query, entry_id in unseen:
        intent = chosen[entry_id - 100]
        assert comparable(query) in {comparable(p) for p in phrasings(intent.key)}
        assert not any(comparable(query) in comparable(v)
                       for v in library.entries[entry_id - 100].variants)
