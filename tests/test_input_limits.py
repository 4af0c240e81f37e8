"""Unbounded and odd input: long messages cut and counted, NUL/BOM stripped and counted,
a huge first line refused at once, mixed encodings refused naming the line, header-only
answer files refused. (Time bounds live in bench/huge_input.py, not here.)"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.io.encoding import MAX_HEADER_BYTES
from scriptlab.logs.readers import ReadStats, read_chat_log
from scriptlab.store import schema

runner = CliRunner()
HEADER = "message_id,session_id,time,role,text\n"


def log(path: Path, body: str, encoding: str = "utf-8") -> Path:
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def test_long_message_is_cut_and_counted(workspace, tmp_path: Path) -> None:
    text = "发货要多久" * 1000  # 5,000 characters
    path = log(tmp_path / "long.csv", f"1,S1,2026-11-01 10:00:00,customer,{text}\n"
                                      "2,S1,2026-11-01 10:00:01,agent,亲，48小时内发货\n")
    result = runner.invoke(app, ["logs", "import", str(path), "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert ("long.csv: 1 messages longer than 2,000 characters cut ([logs] max_message_chars)."
            in result.output)
    with workspace.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.messages.c.text)
                              .order_by(schema.messages.c.id)).scalars().all()
    assert [len(t) for t in stored] == [2000, len("亲，48小时内发货")]


def test_max_message_chars_is_a_setting(tmp_path: Path) -> None:
    path = log(tmp_path / "long.csv", f"1,S1,2026-11-01 10:00:00,customer,{'好' * 50}\n")
    stats = ReadStats(source="long.csv")
    frame, _ = read_chat_log(path)
    assert len(frame["text"][0]) == 50
    from scriptlab.logs.readers import iter_chat_log
    cut = next(iter_chat_log(path, max_chars=20, stats=stats))
    assert len(cut["text"][0]) == 20 and stats.cut == 1


def test_nul_and_inner_bom_are_stripped_and_counted(tmp_path: Path) -> None:
    path = log(tmp_path / "nul.csv", "\ufeff3,S1,2026-11-01 10:00:00,customer,发货\x00要多久？\n"
                                     "4,S1,2026-11-01 10:00:01,agent,亲\ufeff\n")
    frame, stats = read_chat_log(path)
    assert frame["message_id"].tolist() == ["3", "4"]
    assert frame["text"].tolist() == ["发货要多久？", "亲"]
    assert stats.stripped == 3
    result = runner.invoke(app, ["logs", "check", str(path)])
    assert "nul.csv: 3 NUL characters / stray byte-order marks removed." in result.output


def test_huge_first_line_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "oneline.csv"
    path.write_bytes(b"a," * (MAX_HEADER_BYTES // 2 + 10))
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert str(err.value) == (
        f"{path}: the first line is longer than 64 KB (the file has {path.stat().st_size:,} "
        "bytes and no line break there), so it is not a chat-log table. Export the chat log "
        "again as CSV with a header row and one message per row.")


def _mixed(path: Path, utf8_rows: int) -> Path:
    rows = [f"{n},S{n},2026-11-01 10:00:00,customer,请问什么时候发货呀{n}\n".encode()
            for n in range(utf8_rows)]
    rows.append("77,S77,2026-11-01 11:00:00,customer,能便宜点吗\n".encode("gbk"))
    rows.append("78,S77,2026-11-01 11:00:01,agent,亲不能哦\n".encode())
    path.write_bytes(HEADER.encode() + b"".join(rows))
    return path


@pytest.mark.parametrize("utf8_rows", [30, 40_000])  # GBK row inside / past the sniffed MB
def test_mixed_utf8_and_gbk_names_the_first_bad_line(tmp_path: Path, utf8_rows: int) -> None:
    path = _mixed(tmp_path / "mixed.csv", utf8_rows)
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    message = str(err.value)
    assert message.startswith(f"{path} line {utf8_rows + 2}: not valid UTF-8 at byte ")
    assert message.endswith("(the file mixes encodings, e.g. UTF-8 and GBK rows). Save the "
                            "whole file in one encoding (UTF-8) and try again.")


def test_pure_gbk_file_still_reads(tmp_path: Path) -> None:
    path = log(tmp_path / "gbk.csv", "1,S1,2026-11-01 10:00:00,customer,能便宜点吗\n", "gbk")
    frame, stats = read_chat_log(path)
    assert stats.encoding == "gb18030" and frame["text"].tolist() == ["能便宜点吗"]


def test_header_only_answer_file_is_an_error(workspace, tmp_path: Path) -> None:
    from scoring_fixtures import build_quiz

    from scriptlab.scoring.answer_import import import_answers

    build_quiz(workspace)
    path = tmp_path / "answers.csv"
    path.write_text("quiz_week,question_id,agent_id,answer\n", encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        import_answers(workspace, [path])
    assert str(err.value) == (
        "answers.csv: has the header row of an answer file but no rows below it; fill it in "
        "(or export it again) before importing.")
