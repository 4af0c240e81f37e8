"""`scriptlab mine` end to end through the real CLI, including every bad-input message."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from mine_fixtures import write_chat_log
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.mine.runs import load_groups, load_run

runner = CliRunner()


@pytest.fixture
def ws_path(workspace) -> Path:
    return workspace.root


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "chats.csv"
    write_chat_log(path, sessions=120)
    return path


def mine(*args: str):
    return runner.invoke(app, ["mine", *args])


def test_mine_files(ws_path: Path, log: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "assign.csv"
    result = mine(str(log), "-w", str(ws_path), "--assignments", str(out), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Top questions, run 1" in result.output
    assert "什么时候发货" in result.output
    assert f"report: {ws_path / 'reports' / 'mine-1.html'}" in result.output
    for suffix in ("html", "csv", "json"):
        assert (ws_path / "reports" / f"mine-1.{suffix}").exists()
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["message_id", "session_id", "timestamp", "text", "is_question",
                             "group", "reported", "group_id", "group_rank"]
    questions = [r for r in rows if r["is_question"] == "yes"]
    assert questions and all(r["is_question"] in ("yes", "no") for r in rows)
    grouped = {int(r["group_id"]) for r in questions if r["group_id"]}
    assert grouped == set(load_groups(_ws(ws_path))["group_id"])
    assert not any(r["group_id"] or r["group"] or r["reported"]
                   for r in rows if r["is_question"] == "no")
    assert len(load_groups(_ws(ws_path))) == 5
    # Every question has its group, reported or not; a group is reported all or nothing.
    assert all(r["group"] and r["reported"] in ("yes", "no") for r in questions)
    reported = {r["group"]: r["reported"] for r in questions}
    assert all(reported[r["group"]] == r["reported"] for r in questions)
    assert {r["group"] for r in questions if r["reported"] == "yes"} != {r["group"]
                                                                         for r in questions}
    assert all(bool(r["group_id"]) == (r["reported"] == "yes") for r in questions)


def _ws(path: Path):
    from scriptlab.store.workspace import open_workspace

    return open_workspace(path)


def test_mine_imported_messages(ws_path: Path, log: Path) -> None:
    assert runner.invoke(app, ["logs", "import", str(log), "-w", str(ws_path)]).exit_code == 0
    result = mine("-w", str(ws_path), "--since", "2026-11-05", "--until", "2026-11-12")
    assert result.exit_code == 0, result.output
    run = load_run(_ws(ws_path))
    assert run["sources"] == ["workspace"]
    assert run["first_ts"].date().isoformat() >= "2026-11-05"
    assert run["last_ts"].date().isoformat() <= "2026-11-12"


def test_date_range_is_applied_to_files(ws_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(ws_path), "--since", "2026-11-10")
    assert result.exit_code == 0, result.output
    stats = load_run(_ws(ws_path))["stats"]
    assert stats["out_of_range"] > 0 and stats["first_ts"] >= "2026-11-10"


def test_no_files_and_nothing_imported(ws_path: Path) -> None:
    result = mine("-w", str(ws_path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: No chat logs given and none imported into the workspace {ws_path}. Give "
        "files (scriptlab mine chats.csv) or import them first: scriptlab logs import chats.csv"
    )


def test_missing_file(ws_path: Path, tmp_path: Path) -> None:
    result = mine(str(tmp_path / "nope.csv"), "-w", str(ws_path))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope.csv'}: no such file."


def test_folder_and_unreadable_file(ws_path: Path, tmp_path: Path) -> None:
    result = mine(str(tmp_path), "-w", str(ws_path))
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path} is a folder; give the chat-log files inside it.")
    bad = tmp_path / "chats.csv"
    bad.write_text("消息ID,内容\n1,你好\n", encoding="utf-8")
    result = mine(str(bad), "-w", str(ws_path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: no column for session_id, timestamp, role.")


def test_since_after_until(ws_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(ws_path), "--since", "2026-11-10", "--until",
                  "2026-11-01")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --since 2026-11-10 is after --until 2026-11-01; give the earlier day first.")


def test_bad_date(ws_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(ws_path), "--until", "2026-13-45")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --until: '2026-13-45' is not a date; use YYYY-MM-DD (e.g. 2026-11-02) or "
        "'YYYY-MM-DD HH:MM'.")


def test_empty_result(ws_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(ws_path), "--since", "2030-01-01")
    assert result.exit_code == 1
    assert "Error: No messages between 2030-01-01 and … (" in result.output
    assert result.output.strip().endswith("outside it). Widen --since/--until.")
    assert not (ws_path / "reports" / "mine-1.html").exists()


def test_empty_result_from_the_workspace(ws_path: Path, log: Path) -> None:
    assert runner.invoke(app, ["logs", "import", str(log), "-w", str(ws_path)]).exit_code == 0
    result = mine("-w", str(ws_path), "--until", "2020-01-01")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: No messages between … and 2020-01-01. Widen --since/--until.")


def test_nothing_reaches_min_count(ws_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(ws_path), "--min-count", "10000")
    assert result.exit_code == 0
    assert "No question group reached the minimum count" in result.output


def test_map_and_roles(ws_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "conv,when,who,words\n"
        "a,2026-11-01 10:00,访客,亲，什么时候发货？\na,2026-11-01 10:01,小二,48小时内发货\n"
        "b,2026-11-02 10:00,访客,啥时候发货啊\nb,2026-11-02 10:01,小二,48小时内发货\n"
        "c,2026-11-03 10:00,访客,什么时候能发货\nc,2026-11-03 10:01,小二,48小时内发货\n",
        encoding="utf-8")
    result = mine(str(path), "-w", str(ws_path), "--map",
                  "session_id=conv,timestamp=when,role=who,text=words",
                  "--roles", "访客=customer,小二=agent")
    assert result.exit_code == 0, result.output
    groups = load_groups(_ws(ws_path))
    assert groups.iloc[0]["count"] == 3 and groups.iloc[0]["replies"] == [("48小时内发货", 3)]
    bad = mine(str(path), "-w", str(ws_path), "--map", "text")
    assert bad.exit_code == 2
    assert "--map: 'text' should look like name=value" in bad.output


def test_no_workspace(tmp_path: Path, log: Path) -> None:
    result = mine(str(log), "-w", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "No scriptlab workspace at" in result.output
