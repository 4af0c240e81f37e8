"""Storing runs, reading them back, and topics that carry over between runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from mine_fixtures import mined_workspace, write_chat_log

from scriptlab.errors import ScriptlabError
from scriptlab.mine.runs import GROUP_COLUMNS, latest_run_id, load_groups, load_run
from scriptlab.mine.workflow import mine_into_workspace
from scriptlab.store import schema


def test_store_and_load(tmp_path: Path) -> None:
    ws, _, outcome = mined_workspace(tmp_path)
    assert latest_run_id(ws) == outcome.run_id == 1
    groups = load_groups(ws)
    assert list(groups.columns) == GROUP_COLUMNS
    assert groups["rank"].tolist() == list(range(1, len(groups) + 1))
    assert len(groups) == len(outcome.result.groups)
    first = groups.iloc[0]
    assert first["representative"] == outcome.result.groups.iloc[0]["representative"]
    assert first["variants"] and isinstance(first["variants"][0], tuple)
    assert first["replies"][0][0].startswith("亲")
    assert groups["topic_id"].notna().all()
    run = load_run(ws)
    assert run["stats"]["questions"] == outcome.result.stats.questions
    assert run["sources"] == [str(tmp_path / "chats.csv")]


def test_topics_carry_over_between_runs(tmp_path: Path) -> None:
    ws, _, first = mined_workspace(tmp_path)
    other = tmp_path / "next-week.csv"
    write_chat_log(other, sessions=160, seed=4)  # same questions, other phrasings mix
    second = mine_into_workspace(ws, [other])
    assert second.run_id == 2
    before = load_groups(ws, 1).set_index("topic_id")["representative"]
    after = load_groups(ws, 2).set_index("topic_id")["representative"]
    shared = set(before.index) & set(after.index)
    assert len(shared) >= len(before) // 2  # most questions are recognised again
    assert second.stored.new_topics < len(after)
    with ws.engine.connect() as conn:
        topics = conn.execute(sa.select(schema.topics)).all()
    assert all(t.first_run_id in (1, 2) for t in topics)
    assert {t.last_run_id for t in topics if t.id in shared} == {2}
    assert len(set(after.index)) == len(after)  # one group per topic per run


def test_no_run_yet(workspace) -> None:
    assert latest_run_id(workspace) is None
    with pytest.raises(ScriptlabError) as err:
        load_groups(workspace)
    assert str(err.value) == (
        f"No mining run in the workspace {workspace.root}. Run one first: scriptlab mine "
        "chats.csv (or scriptlab logs import chats.csv, then scriptlab mine)."
    )


def test_unknown_run(tmp_path: Path) -> None:
    ws, _, _ = mined_workspace(tmp_path)
    with pytest.raises(ScriptlabError) as err:
        load_groups(ws, 7)
    assert str(err.value) == "No mining run 7 in the workspace; the latest is 1."


def test_same_logs_again_means_the_same_topics(tmp_path: Path) -> None:
    ws, log, first = mined_workspace(tmp_path)
    again = mine_into_workspace(ws, [log])
    assert again.stored.new_topics == 0
    before = load_groups(ws, first.run_id)[["rank", "topic_id"]]
    after = load_groups(ws, again.run_id)[["rank", "topic_id"]]
    assert before.equals(after)
