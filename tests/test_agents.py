"""`scriptlab agents import/list`: roster files in Chinese or English, validated as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.quiz.agents import import_agents, list_agents, read_roster
from scriptlab.store import schema

runner = CliRunner(env={"COLUMNS": "200"})  # wide tables: no folded cells
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_agents.csv"


@pytest.fixture
def ws(workspace):
    return workspace


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def test_chinese_headers_gbk_csv(ws, tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", "工号,姓名,组,邮箱\nkf_01,王小丽,售前组,wxl@example.com\n"
                 "0012,李娜,售后组,\n", encoding="gbk")
    result = import_agents(ws, path)
    assert (result.rows, result.added, result.updated) == (2, 2, 0)
    frame = list_agents(ws)
    assert frame.to_dict("records") == [
        {"agent_id": "kf_01", "name": "王小丽", "team": "售前组", "email": "wxl@example.com",
         "active": True},
        {"agent_id": "0012", "name": "李娜", "team": "售后组", "email": None, "active": True},
    ]


def test_english_headers_xlsx_and_optional_columns(ws, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Agent ID", "Name", "Team", "E-mail"])
    sheet.append(["kf_01", "Amy", "presale", "amy@example.com"])
    sheet.append([7, "Bob", None, None])  # numbers become text ids
    book.save(tmp_path / "roster.xlsx")
    import_agents(ws, tmp_path / "roster.xlsx")
    assert list_agents(ws)["agent_id"].tolist() == ["7", "kf_01"]  # no team sorts first

    # Team and e-mail columns are optional; 客服ID is another name for the id.
    write(tmp_path / "small.csv", "客服ID,name\nkf_09,小周\n")
    assert read_roster(tmp_path / "small.csv").to_dict("records") == [
        {"agent_id": "kf_09", "name": "小周", "team": None, "email": None}
    ]


def test_upsert_updates_changed_agents_only(ws, tmp_path: Path) -> None:
    import_agents(ws, write(tmp_path / "a.csv", "agent_id,name,team\nkf_01,王小丽,售前组\n"
                                              "kf_02,李娜,售前组\n"))
    result = import_agents(ws, write(tmp_path / "b.csv", "agent_id,name,team\n"
                                     "kf_01,王小丽,售后组\nkf_02,李娜,售前组\nkf_03,张伟,\n"))
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert list_agents(ws, team="售后组")["agent_id"].tolist() == ["kf_01"]
    with ws.engine.connect() as conn:
        kinds = conn.execute(sa.select(schema.imports.c.kind)).scalars().all()
    assert kinds == ["agents", "agents"]


def test_deactivate_missing_agents(ws, tmp_path: Path) -> None:
    import_agents(ws, write(tmp_path / "a.csv", "工号,姓名\nkf_01,王小丽\nkf_02,李娜\n"))
    result = import_agents(ws, write(tmp_path / "b.csv", "工号,姓名\nkf_01,王小丽\n"),
                           deactivate_missing=True)
    assert result.deactivated == 1
    assert list_agents(ws, active_only=True)["agent_id"].tolist() == ["kf_01"]
    assert list_agents(ws)["active"].tolist() == [True, False]


def test_missing_columns_error(ws, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", "工号,部门\nkf_01,客服部\n")
    with pytest.raises(ScriptlabError) as err:
        import_agents(ws, path)
    assert str(err.value) == (
        f"{path}: missing column(s) name (姓名/name). Columns in the file: 工号, 部门. "
        "Expected agent id, name, optional team (组/团队/team) and e-mail (邮箱/email)."
    )


def test_row_problems_are_all_reported_with_row_numbers_and_nothing_is_imported(
    ws, tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.csv", "工号,姓名,团队,email\nkf_01,王小丽,A,\n,李娜,A,\n"
                 "kf_01,张伟,B,\nkf_04,,B,x.example.com\n\n")
    with pytest.raises(ScriptlabError) as err:
        import_agents(ws, path)
    assert str(err.value) == (
        f"{path}: row 3: empty agent id; row 4: duplicate agent id 'kf_01' (also row 2); "
        "row 5: empty name; row 5: e-mail 'x.example.com' has no @. "
        "Fix the file and import it again (nothing was imported)."
    )
    assert list_agents(ws).empty


def test_unreadable_inputs(ws, tmp_path: Path) -> None:
    with pytest.raises(ScriptlabError, match="no such file"):
        import_agents(ws, tmp_path / "missing.csv")
    with pytest.raises(ScriptlabError, match=r"unsupported file type '\.json'"):
        import_agents(ws, write(tmp_path / "a.json", "{}"))
    with pytest.raises(ScriptlabError, match="no agent rows under the header"):
        import_agents(ws, write(tmp_path / "empty.csv", "工号,姓名\n"))


def test_sample_roster_matches_the_sample_chat_agents() -> None:
    roster = read_roster(SAMPLE)
    assert roster["agent_id"].tolist() == [f"kf_{i:02d}" for i in range(1, 9)]
    assert sorted(roster["team"].unique()) == ["售前组", "售后组"]


def test_cli_import_and_list(workspace) -> None:
    ws = workspace.root
    result = runner.invoke(app, ["agents", "import", str(SAMPLE), "-w", str(ws)])
    assert result.exit_code == 0, result.output
    assert "Imported 8 agents from sample_agents.csv: 8 added, 0 updated, 0 unchanged." in (
        result.output
    )
    result = runner.invoke(app, ["agents", "list", "--team", "售后组", "-w", str(ws)])
    assert result.exit_code == 0
    assert "kf_05" in result.output and "kf_01" not in result.output
    assert "4 agents" in result.output


def test_cli_errors_are_one_line(workspace, tmp_path: Path) -> None:
    ws = workspace.root
    bad = write(tmp_path / "bad.csv", "工号,姓名\n,李娜\n")
    result = runner.invoke(app, ["agents", "import", str(bad), "-w", str(ws)])
    assert result.exit_code == 1
    assert "row 2: empty agent id" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["agents", "list", "-w", str(ws)])
    assert "No agents; import them with `scriptlab agents import FILE`." in result.output
