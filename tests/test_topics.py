"""The trainer's topics: ban and merge hold over two weekly mining runs; quizzes can be edited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from mine_fixtures import mined_workspace, write_chat_log
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.mine.workflow import mine_into_workspace
from scriptlab.quiz.edit import edit_quiz
from scriptlab.quiz.new import new_quiz
from scriptlab.quiz.source import load_groups
from scriptlab.store import schema
from scriptlab.topics.decisions import list_topics, merge_topics, set_banned, split_topic

runner = CliRunner()


def _agents(ws) -> None:
    with ws.engine.begin() as conn:
        conn.execute(sa.insert(schema.agents), [
            {"id": f"kf_0{i}", "name": f"客服{i}", "updated_at": datetime(2026, 11, 1)}
            for i in (1, 2)])


def _topic_of(ws, word: str) -> int:
    return next(t.id for t in list_topics(ws) if word in t.representative)


@pytest.fixture
def week1(tmp_path: Path):
    ws, _, _ = mined_workspace(tmp_path)
    _agents(ws)
    return ws


def test_ban_and_merge_hold_over_two_weekly_runs(week1, tmp_path: Path) -> None:
    ws = week1
    invoice, delivery, shipping = (_topic_of(ws, "发票"), _topic_of(ws, "几天"),
                                   _topic_of(ws, "发货"))
    set_banned(ws, [invoice], True)
    merge_topics(ws, [delivery], shipping)
    first = new_quiz(ws, week="2026-W46", size=8, out_dir=tmp_path / "q1").quiz
    assert invoice not in {q.topic_id for q in first.questions}
    assert delivery not in {q.topic_id for q in first.questions}
    # Next week: new logs, a new mining run; the decisions still hold.
    log = tmp_path / "week2.csv"
    write_chat_log(log, sessions=160, seed=4, start=datetime(2026, 11, 16, 9, 0))
    second_run = mine_into_workspace(ws, [log]).run_id
    with ws.engine.connect() as conn:
        groups = load_groups(conn, second_run)
    by_topic = groups.groupby("topic_id")["representative"].apply(list).to_dict()
    assert any("发票" in text for text in by_topic.get(invoice, []))  # recognised again …
    assert delivery not in by_topic  # … and the merged topic counts as the one it joined
    assert any("几天" in t or "多久能到" in t for t in by_topic[shipping])
    result = new_quiz(ws, week="2026-W47", size=8, out_dir=tmp_path / "q2")
    topics = [q.topic_id for q in result.quiz.questions]
    assert invoice not in topics and delivery not in topics
    assert topics.count(shipping) <= 1
    skipped = result.skipped.set_index("topic_id")["rule"]
    assert "banned" in set(skipped[skipped.index == invoice])


def test_split_phrasings_go_to_the_new_topic_next_run(week1, tmp_path: Path) -> None:
    ws = week1
    invoice = _topic_of(ws, "发票")
    new = split_topic(ws, invoice, ["能开专票吗"], label="专票")
    assert [t.label for t in list_topics(ws) if t.id == new] == ["专票"]
    with ws.engine.connect() as conn:
        row = conn.execute(sa.select(schema.topics).where(schema.topics.c.id == invoice)).one()
    assert row.excluded == ["能开专票吗"]
    with pytest.raises(UsageError):
        split_topic(ws, invoice, [" "])


def test_quiz_edit_drop_add_replace_then_refused_once_answered(week1, tmp_path: Path) -> None:
    ws = week1
    quiz = new_quiz(ws, week="2026-W46", size=3, out_dir=tmp_path / "q").quiz
    with ws.engine.connect() as conn:
        groups = load_groups(conn, quiz.run_id)
    in_quiz = {q.topic_id for q in quiz.questions}
    spare = [int(t) for t in groups["topic_id"] if t not in in_quiz][:2]
    edited = edit_quiz(ws, "2026-W46", drop=[1], add=[spare[0]],
                       replace=[(3, spare[1])], out_dir=tmp_path / "q")
    topics = [q.topic_id for q in edited.quiz.questions]
    assert topics == [quiz.questions[1].topic_id, spare[1], spare[0]]
    assert [q.position for q in edited.quiz.questions] == [1, 2, 3]
    assert edited.quiz.questions[2].reason == "chosen by the trainer (quiz edit)"
    assert edited.files.xlsx.exists()
    with pytest.raises(UsageError, match="has no question 9"):
        edit_quiz(ws, "2026-W46", drop=[9])
    with pytest.raises(UsageError, match="already in quiz"):
        edit_quiz(ws, "2026-W46", add=[spare[0]])
    set_banned(ws, [quiz.questions[0].topic_id], True)
    with pytest.raises(ScriptlabError, match="is banned; unban it first"):
        edit_quiz(ws, "2026-W46", add=[quiz.questions[0].topic_id])
    with ws.engine.begin() as conn:
        imp = conn.execute(sa.insert(schema.imports).values(
            kind="answers", source="x", sha256="0" * 64, rows=1, skipped=0,
            imported_at=datetime(2026, 11, 20))).inserted_primary_key[0]
        conn.execute(sa.insert(schema.answers).values(
            quiz_id=edited.quiz.id, question_id=edited.quiz.questions[0].id, agent_id="kf_01",
            text="好", code="AAAAAA", import_id=imp, imported_at=datetime(2026, 11, 20)))
    with pytest.raises(ScriptlabError, match="can no longer be edited"):
        edit_quiz(ws, "2026-W46", drop=[1])


def test_topics_cli(week1, tmp_path: Path) -> None:
    root = str(week1.root)
    invoice = _topic_of(week1, "发票")
    listed = runner.invoke(app, ["topics", "list", "-w", root])
    assert listed.exit_code == 0, listed.output
    banned = runner.invoke(app, ["topics", "ban", str(invoice), "-w", root])
    assert f"Banned topic {invoice}" in banned.output
    assert "banned" in runner.invoke(app, ["topics", "list", "-w", root]).output
    renamed = runner.invoke(app, ["topics", "rename", str(invoice), "发票", "-w", root])
    assert renamed.exit_code == 0, renamed.output
    missing = runner.invoke(app, ["topics", "ban", "999", "-w", root])
    assert missing.exit_code == 1
    assert "No topic 999; see the topic numbers with: scriptlab topics list" in missing.output
    self_merge = runner.invoke(app, ["topics", "merge", "3", "--into", "3", "-w", root])
    assert self_merge.exit_code == 2
    edit = runner.invoke(app, ["quiz", "edit", "2026-W46", "--replace", "x", "-w", root])
    assert edit.exit_code == 2
