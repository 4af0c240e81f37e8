"""The run's documents: HTML report (structure, escaping, override), CSV (golden), JSON."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from mine_fixtures import mined_workspace

from scriptlab.mine.report import groups_csv, safe_cell
from scriptlab.mine.workflow import mine_into_workspace

GOLDEN = Path(__file__).parent / "golden" / "mine"


def test_report_files(tmp_path: Path) -> None:
    ws, _, outcome = mined_workspace(tmp_path)
    files = outcome.files
    assert files.html == ws.reports_dir / "mine-1.html"
    html = files.html.read_text(encoding="utf-8")
    groups = outcome.result.groups
    assert html.count('class="bar"') == len(groups)
    assert html.count("<details>") >= len(groups)
    assert groups.iloc[0]["representative"] in html
    text, count = groups.iloc[0]["variants"][1]
    assert f"<li>{text} <span class=\"agents\">× {count}</span></li>" in html
    reply, n = groups.iloc[0]["replies"][0]
    assert f"<li>{reply} <span class=\"agents\">× {n} · " in html
    assert "messages read" in html and "questions found" in html
    assert "distinct chat sessions stand in for distinct customers" in html
    data = json.loads(files.json.read_text(encoding="utf-8"))
    assert data["run"]["id"] == 1
    assert data["run"]["stats"]["questions"] == outcome.result.stats.questions
    assert [g["rank"] for g in data["groups"]] == list(range(1, len(groups) + 1))
    assert data["groups"][0]["variants"][0].keys() == {"text", "count"}
    assert data["groups"][0]["replies"][0].keys() == {"text", "count", "agents"}
    assert not list(ws.reports_dir.glob(".*.tmp"))


def test_groups_csv_golden(tmp_path: Path) -> None:
    _, _, outcome = mined_workspace(tmp_path)
    got = outcome.files.csv.read_text(encoding="utf-8")
    golden = GOLDEN / "groups.csv"
    if os.environ.get("SCRIPTLAB_REGEN_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_customer_text_is_escaped(tmp_path: Path) -> None:
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    log = tmp_path / "x.csv"
    rows = ["消息ID,会话ID,时间,发送方,客服ID,内容"]
    for i in range(4):
        rows.append(f"{i}a,S{i},2026-11-0{i + 1} 10:00:00,买家,,<b>什么时候发货</b>？")
        rows.append(f"{i}b,S{i},2026-11-0{i + 1} 10:01:00,客服,kf,<script>x</script>48小时内发")
    log.write_text("\n".join(rows), encoding="utf-8")
    html = mine_into_workspace(ws, [log]).files.html.read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "<b>什么时候" not in html and "&lt;b&gt;什么时候发货" in html


def test_template_override(tmp_path: Path) -> None:
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path / "ws")
    ws.templates_dir.mkdir()
    (ws.templates_dir / "mine_report.html.j2").write_text(
        "run {{ run.id }}: {% for g in groups %}{{ g.representative }};{% endfor %}",
        encoding="utf-8")
    from mine_fixtures import write_chat_log

    write_chat_log(tmp_path / "c.csv", sessions=40)
    html = mine_into_workspace(ws, [tmp_path / "c.csv"]).files.html.read_text(encoding="utf-8")
    assert html.startswith("run 1: ")


def test_formula_cells_are_neutralised() -> None:
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+86") == "'+86" and safe_cell("@x") == "'@x" and safe_cell("-1") == "'-1"
    assert safe_cell("什么时候发货") == "什么时候发货" and safe_cell(None) == ""
    text = groups_csv([{"rank": 1, "group_id": 1, "topic_id": 1, "representative": "=1+1",
                        "count": 3, "sessions": 3, "customers": 3, "share": 1.0,
                        "prev_count": None, "trend": None, "keywords": ["a"],
                        "variants": [{"text": "=1+1", "count": 3}], "replies": []}])
    row = list(csv.DictReader(text.splitlines()))[0]
    assert row["representative"] == "'=1+1" and row["prev_count"] == ""
