"""Output files: formula-safe cells on every line, quoted line breaks, no silent overwrite."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from library_fixtures import NOW, build_workspace, intent_by_key
from mine_fixtures import write_chat_log
from scoring_fixtures import add_answers, build_quiz
from typer.testing import CliRunner

from scriptlab.cells import csv_text, safe_cell, unsafe_cell
from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.files import MANIFEST, OverwriteRefused, write_files
from scriptlab.library import approval
from scriptlab.library.publish import publish
from scriptlab.scoring.export import write_exports
from scriptlab.scoring.scorer import score_quiz

runner = CliRunner()


@pytest.mark.parametrize(("value", "guarded"), [
    ("=1+1", "'=1+1"),
    ("亲，\r=1+1 …", "亲，\r'=1+1 …"),
    ("第一行\n+86 138\r\n@sum\n-1", "第一行\n'+86 138\r\n'@sum\n'-1"),
    ("\r\n=cmd", "'\r\n'=cmd"),
    ("\tx", "'\tx"),
    # Full-width starts: a Chinese IME types them and spreadsheets may fold them to ASCII.
    ("＝1+1", "'＝1+1"), ("＋86", "'＋86"), ("－1", "'－1"), ("＠x", "'＠x"),
    ("亲，7天无理由退换哦-", "亲，7天无理由退换哦-"),  # a sign inside a line is text
    ("165/88A", "165/88A"),
])
def test_guard_applies_after_every_line_break(value: str, guarded: str) -> None:
    assert safe_cell(value) == guarded
    assert unsafe_cell(guarded) == value
    assert safe_cell(guarded) == guarded  # guarding twice changes nothing


def test_csv_quotes_cr_and_lf_so_rows_stay_rows() -> None:
    text = csv_text([["id", "answer"], [1, "亲，\r=1+1 …"], [2, "a\nb"], [3, "plain"]])
    assert text.splitlines()[0] == "id,answer"
    assert '"亲，\r\'=1+1 …"' in text and '"a\nb"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["id", "answer"], ["1", "亲，\r'=1+1 …"], ["2", "a\nb"], ["3", "plain"]]


def test_score_csv_keeps_a_cr_answer_in_its_cell(workspace, tmp_path: Path) -> None:
    built = build_quiz(workspace)
    add_answers(workspace, built, {(1, "kf_01"): "亲，\r=1+1 付款后48小时内发货",
                                   (1, "kf_02"): "不知道"})
    paths = write_exports(score_quiz(workspace, "2026-W48"), tmp_path)
    for path in paths[:2]:
        raw = path.read_bytes().decode("utf-8-sig")
        assert "\r=1+1" not in raw  # no bare CR followed by a formula
        rows = list(csv.DictReader(io.StringIO(raw, newline="")))
        assert all(row[next(iter(row))] for row in rows)  # no row starts inside a cell
    answers = list(csv.DictReader(io.StringIO(paths[0].read_bytes().decode("utf-8-sig"), newline="")))
    assert len(answers) == 2
    assert "亲，\r'=1+1 付款后48小时内发货" in {r["answer"] for r in answers}


def test_write_files_refuses_a_foreign_file_and_says_which(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OverwriteRefused) as err:
        write_files(tmp_path, {"notes.txt": "new", "other.txt": "x"})
    assert str(err.value) == (
        f"{tmp_path} already holds notes.txt, not written by scriptlab (or changed since); "
        "nothing was written. Choose another folder or file, remove them, or add --force to "
        "replace them.")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "other.txt").exists()
    write_files(tmp_path, {"notes.txt": "new"}, force=True)
    write_files(tmp_path, {"notes.txt": "newer"})  # ours now: replaced without --force
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "newer"
    (tmp_path / "notes.txt").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(OverwriteRefused):
        write_files(tmp_path, {"notes.txt": "again"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST, "notes.txt"]  # no temps


def test_publish_out_refuses_another_folders_files(workspace, tmp_path: Path) -> None:
    built = build_workspace(workspace, (intent_by_key("ship_time"),))
    approval.approve(workspace, built.topic["ship_time"], by="lead", now=NOW)
    theirs = tmp_path / "site"
    theirs.mkdir()
    (theirs / "index.html").write_text("<h1>our shop's page</h1>", encoding="utf-8")
    (theirs / "faq.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        publish(workspace, out=theirs, force=True)
    assert str(err.value) == (
        f"{theirs} already holds faq.json, index.html, not written by scriptlab (or changed "
        "since); nothing was written. Choose another folder or file, remove them, or give "
        "another folder with --out DIR.")
    assert (theirs / "index.html").read_text(encoding="utf-8") == "<h1>our shop's page</h1>"
    from scriptlab.library.publish import list_versions
    assert list_versions(workspace) == []  # the version was not recorded either
    result = runner.invoke(app, ["publish", "--force", "--out", str(tmp_path / "ours"),
                                 "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["publish", "--force", "--out", str(tmp_path / "ours"),
                                "-w", str(workspace.root)])
    assert again.exit_code == 0, again.output  # our own folder: replaced


def test_mine_assignments_refuses_an_existing_file_before_mining(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=60)
    existing = tmp_path / "existing.txt"
    existing.write_text("important", encoding="utf-8")
    result = runner.invoke(app, ["mine", str(log), "-w", str(ws), "--assignments",
                                 str(existing)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {tmp_path} already holds existing.txt, not written by scriptlab (or changed "
        "since); nothing was written. Choose another folder or file, remove them, or add "
        "--force to replace them.")
    assert existing.read_text(encoding="utf-8") == "important"
    assert not (ws / "reports").exists()  # refused before mining
    forced = runner.invoke(app, ["mine", str(log), "-w", str(ws), "--assignments",
                                 str(existing), "--force"])
    assert forced.exit_code == 0, forced.output
    assert existing.read_text(encoding="utf-8-sig").startswith("message_id,session_id")
