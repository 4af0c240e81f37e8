"""The CLI skeleton: help, version, init, logs commands, exit codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from scriptlab import __version__
from scriptlab.cli import app

runner = CliRunner()


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "demo", "sample", "logs"):
        assert command in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"scriptlab {__version__}"


def test_init_then_import_and_check(tmp_path: Path) -> None:
    ws = tmp_path / "shop"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    log = tmp_path / "log.csv"
    pd.DataFrame([
        {"session_id": "a", "time": "2026-11-01 09:00", "role": "buyer", "text": "包邮吗"},
        {"session_id": "a", "time": "2026-11-01 09:01", "role": "seller", "text": "包邮的亲"},
        {"session_id": "a", "time": "2026-11-01 09:02", "role": "buyer", "text": ""},
    ]).to_csv(log, index=False)
    check = runner.invoke(app, ["logs", "check", str(log)])
    assert check.exit_code == 0, check.output
    assert "2 messages (1 customer, 1 agent), 1 sessions, 1 empty and 0 system rows" in check.output
    result = runner.invoke(app, ["logs", "import", str(log), "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert "log.csv: imported 2 messages (skipped 1 empty, 0 system)" in result.output
    again = runner.invoke(app, ["logs", "import", str(log), "-w", str(ws)])
    assert "log.csv: already imported, skipped" in again.output


def test_data_error_exits_1_with_one_line(tmp_path: Path) -> None:
    runner.invoke(app, ["init", str(tmp_path / "shop")])
    result = runner.invoke(app, ["logs", "import", str(tmp_path / "missing.csv"),
                                 "-w", str(tmp_path / "shop")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'missing.csv'}: no such file."
    assert "Traceback" not in result.output


def test_usage_error_exits_2(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["logs", "check", str(log), "--map", "txt=内容"])
    assert result.exit_code == 2
    assert "--map: unknown name 'txt'" in result.output


def test_no_workspace_tells_how_to_create(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["logs", "import", str(log), "-w", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "Create one with: scriptlab init" in result.output


def test_workspace_from_env(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SCRIPTLAB_WORKSPACE", str(tmp_path / "envws"))
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0
    assert (tmp_path / "envws" / "scriptlab.toml").exists()


def test_sample_command_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        result = runner.invoke(app, ["sample", "--out", str(tmp_path / name), "--messages", "300"])
        assert result.exit_code == 0, result.output
    first = (tmp_path / "a" / "sample_chats.csv").read_bytes()
    assert first == (tmp_path / "b" / "sample_chats.csv").read_bytes()
    assert (tmp_path / "a" / "sample_labels.csv").exists()


def test_demo_refuses_to_wipe_a_non_workspace(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_text("do not delete")
    result = runner.invoke(app, ["demo", str(precious)])
    assert result.exit_code == 1
    assert "is not a scriptlab workspace; the demo will not overwrite it" in result.output
    assert (precious / "thesis.docx").exists()


def test_dash_h_and_workspace_before_or_after_the_command(tmp_path) -> None:
    from typer.testing import CliRunner

    from scriptlab.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["-h"]).exit_code == 0
    assert "quiz new [OPTIONS]" in runner.invoke(app, ["quiz", "new", "-h"]).output
    ws = tmp_path / "shop"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    before = runner.invoke(app, ["-w", str(ws), "quiz", "list"])
    after = runner.invoke(app, ["quiz", "list", "-w", str(ws)])
    assert before.exit_code == after.exit_code == 0
    assert before.output == after.output == "No quizzes yet; create one with `scriptlab quiz new`.\n"
    usage = runner.invoke(app, ["answers", "import", "-h"], env={"COLUMNS": "100"}).output
    line = next(x for x in usage.splitlines() if "Usage:" in x)
    assert "FILE" in line and "list[" not in line and "Path" not in line
