"""The mine stage's step of `scriptlab demo`: mine the sample chat log into the workspace."""

from __future__ import annotations

from pathlib import Path

from scriptlab.demo.step import DemoStep
from scriptlab.mine.workflow import mine_into_workspace
from scriptlab.store.workspace import Workspace


def demo_step(ws: Workspace, log_path: Path) -> DemoStep:
    """Mine `log_path`, store the run and write its report; summarise what came out."""
    outcome = mine_into_workspace(ws, [Path(log_path)])
    s = outcome.result.stats
    groups = outcome.result.groups
    top = ", ".join(f"{g.representative} ({g.count})" for g in groups.head(3).itertuples())
    service = "; ".join(
        f"{a['agent_id']} first reply {a['first_response_s']:.0f} s ({a['first_response_band']})"
        + (f", {a['chars_per_minute']:.0f} chars/min ({a['typing_band']})"
           if a["chars_per_minute"] is not None else "")
        for a in s.service[:3] if a["first_response_s"] is not None)
    return DemoStep(
        "mine",
        f"run {outcome.run_id}: {s.questions} questions in {s.messages} messages, "
        f"{len(groups)} groups kept; top: {top}"
        + (f"\n    service ({len(s.service)} agents, all in the report): {service}"
           if service else ""),
        [("report", outcome.files.html), ("groups CSV", outcome.files.csv),
         ("groups JSON", outcome.files.json)],
    )
