"""The library step of `scriptlab demo`."""

from __future__ import annotations

from library_fixtures import INTENTS, build_workspace

from scriptlab.library import approval
from scriptlab.library.demo import FALLBACK_QUERY, demo_query, demo_step


def test_demo_step_approves_publishes_and_looks_up(workspace) -> None:
    build_workspace(workspace, INTENTS)
    step = demo_step(workspace)
    assert step.stage == "library"
    assert step.summary.startswith(
        f"approved {len(INTENTS)} winning answers, published library v1 ({len(INTENTS)} entries); "
        f"lookup “{demo_query()}” → ")
    assert [p.name for _, p in step.outputs] == ["faq.json", "index.html", "faq.md", "faq.csv",
                                                 "faq.xlsx"]
    assert all(p.exists() for _, p in step.outputs)
    assert {e.approved_by for e in approval.list_entries(workspace)} == {"demo"}


def test_demo_step_without_winners(workspace) -> None:
    build_workspace(workspace, INTENTS[:2], winners=False)
    assert demo_step(workspace).summary == "no winning answers to approve, nothing published"


def test_demo_query_falls_back(tmp_path) -> None:
    assert demo_query(tmp_path) == FALLBACK_QUERY
