"""The library stage of `scriptlab demo`: approve the winners, publish, look one question up."""

from __future__ import annotations

from scriptlab.demo.step import DemoStep
from scriptlab.evaluation.lookup import heldout_pairs, hits
from scriptlab.library.lookup import Searcher
from scriptlab.store.workspace import Workspace

DEMO_ACTOR = "demo"


def demo_step(ws: Workspace) -> DemoStep:
    """Approve every winning answer (by "demo"), publish v1 and run one lookup.

    Returns
    -------
    DemoStep
        Stage "library"; its outputs are the published files.
    """
    from scriptlab.library.approval import approve_all_winners
    from scriptlab.library.publish import publish

    changes = approve_all_winners(ws, by=DEMO_ACTOR)
    if not changes:
        return DemoStep("library", "no winning answers to approve, nothing published")
    result = publish(ws, by=DEMO_ACTOR, force=True)
    library = result.library
    assert library is not None  # forced: always a new version
    searcher = Searcher(library)
    unseen, disjoint = heldout_pairs(library, disjoint=False), heldout_pairs(library)
    hit1, hit3 = hits(searcher, unseen)
    far1, far3 = hits(searcher, disjoint)
    example, _ = unseen[0] if unseen else ("付款后多久发货", 0)
    found = searcher.lookup(example, top=1)
    best = f"{found.matches[0].entry.question} ({found.matches[0].score:.2f})" \
        if found.matches else "no match"
    summary = (
        f"approved {len(changes)} winning answers, published library v{library.version} "
        f"({len(library.entries)} entries); lookup of {len(unseen)} unseen phrasings of "
        f"those topics: top-1 {hit1}/{len(unseen)}, top-3 {hit3}/{len(unseen)} (of "
        f"{len(disjoint)} from a disjoint grammar: top-1 {far1}, top-3 {far3}); "
        f"e.g. “{example}” → {best}"
    )
    labels = {"faq.json": "library (JSON)", "index.html": "search page",
              "faq.md": "library (Markdown)", "faq.csv": "library (CSV)",
              "faq.xlsx": "library (Excel)",
              "quickreply-qianniu.xlsx": "千牛 quick replies",
              "quickreply-feige.xlsx": "抖店飞鸽 quick replies",
              "quickreply-jingmai.xlsx": "京麦 quick replies"}
    return DemoStep("library", summary, [(labels.get(p.name, p.name), p) for p in result.files])
