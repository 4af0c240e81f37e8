"""The library stage of `scriptlab demo`: approve the winners, publish, look one question up."""

from __future__ import annotations

import csv
from pathlib import Path

from scriptlab.demo import SAMPLE_DIR, DemoStep
from scriptlab.store.workspace import Workspace

DEMO_ACTOR = "demo"
HELDOUT_FILE = "sample_heldout.csv"
# Used when the sample's held-out file is not at hand: a wording the sample log never uses.
FALLBACK_QUERY = "付款后得等多少天才寄?"


def demo_query(sample_dir: Path = SAMPLE_DIR) -> str:
    """The first held-out phrasing of the sample (a wording the library has never seen)."""
    path = sample_dir / HELDOUT_FILE
    if path.exists():
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("query", "").strip():
                    return row["query"].strip()
    return FALLBACK_QUERY


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
    query = demo_query()
    found = Searcher(library).lookup(query, top=1)
    if found.matches:
        best = found.matches[0]
        verdict = "" if found.confident else ", below min_confidence: shown as nearest"
        answer = f"[{best.entry.category}] {best.entry.question} (score {best.score:.2f}{verdict})"
    else:
        answer = "no match"
    summary = (
        f"approved {len(changes)} winning answers, published library v{library.version} "
        f"({len(library.entries)} entries); lookup “{query}” → {answer}"
    )
    labels = {"faq.json": "library (JSON)", "index.html": "search page",
              "faq.md": "library (Markdown)", "faq.csv": "library (CSV)",
              "faq.xlsx": "library (Excel)"}
    return DemoStep("library", summary, [(labels.get(p.name, p.name), p) for p in result.files])
