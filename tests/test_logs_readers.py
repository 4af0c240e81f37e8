"""Chat-log readers: every format and encoding, column/role detection, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.io.encoding import detect_encoding
from scriptlab.logs import read_chat_log
from scriptlab.logs.columns import parse_mapping

DATA = Path(__file__).resolve().parents[1] / "data"

ROWS_ZH = [
    {"会话ID": "s1", "时间": "2026-11-02 10:00:01", "发送方": "买家", "客服": "", "内容": "亲，在吗？"},
    {"会话ID": "s1", "时间": "2026-11-02 10:00:05", "发送方": "系统", "客服": "", "内容": "买家已付款"},
    {"会话ID": "s1", "时间": "2026-11-02 10:00:09", "发送方": "買家", "客服": "", "内容": "這件衛衣什麼時候發貨？"},
    {"会话ID": "s1", "时间": "2026-11-02 10:00:30", "发送方": "客服", "客服": "kf_01",
     "内容": "亲，48小时内发货哦"},
    {"会话ID": "s2", "时间": "2026-11-02 11:00:00", "发送方": "顾客", "客服": "", "内容": "  "},
    {"会话ID": "s2", "时间": "2026-11-02 11:00:03", "发送方": "买家", "客服": "", "内容": "包邮吗"},
]


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", sep: str = ",") -> Path:
    pd.DataFrame(rows).to_csv(path, index=False, encoding=encoding, sep=sep)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    rows = [dict(r, 发送方=r["发送方"].replace("買家", "买家")) for r in ROWS_ZH]  # GBK-safe
    path = write_csv(tmp_path / "log.csv", rows, encoding=encoding)
    frame, stats = read_chat_log(path)
    assert list(frame["text"]) == ["亲，在吗？", "這件衛衣什麼時候發貨？", "亲，48小时内发货哦", "包邮吗"]
    assert list(frame["role"]) == ["customer", "customer", "agent", "customer"]
    assert stats.skipped_system == 1 and stats.skipped_empty == 1
    assert stats.messages == 4 and stats.customer == 3 and stats.agent == 1
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030"}
    assert stats.encoding == expected[encoding]


def test_detects_gbk_over_a_long_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", [dict(ROWS_ZH[5], 内容="请问包邮吗" * 30)] * 20000,
                     encoding="gbk")
    assert detect_encoding(path) == "gb18030"


def test_tsv_jsonl_json_and_xlsx_read_the_same(tmp_path: Path) -> None:
    rows = [
        {"session_id": "a", "time": "2026-11-01T09:00:00", "sender": "customer", "agent": "",
         "message": "what is the shipping time?"},
        {"session_id": "a", "time": "2026-11-01T09:01:00", "sender": "agent", "agent": "kf_02",
         "message": "Within 48 hours."},
    ]
    tsv = write_csv(tmp_path / "log.tsv", rows, sep="\t")
    jsonl = tmp_path / "log.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n")
    as_json = tmp_path / "log.json"
    as_json.write_text(json.dumps({"messages": rows}, ensure_ascii=False))
    xlsx = tmp_path / "log.xlsx"
    pd.DataFrame(rows).to_excel(xlsx, index=False)
    frames = [read_chat_log(p)[0] for p in (tsv, jsonl, as_json, xlsx)]
    for frame in frames:
        assert list(frame["text"]) == ["what is the shipping time?", "Within 48 hours."]
        assert list(frame["role"]) == ["customer", "agent"]
        assert list(frame["agent_id"]) == ["", "kf_02"]
        assert frame["timestamp"].iloc[1] == pd.Timestamp("2026-11-01 09:01:00")
    assert list(frames[1]["row"]) == [1, 2]  # JSONL: line numbers
    assert list(frames[3]["row"]) == [2, 3]  # XLSX: spreadsheet rows, header is row 1


def test_message_id_defaults_to_file_and_row(tmp_path: Path) -> None:
    frame, _ = read_chat_log(write_csv(tmp_path / "log.csv", ROWS_ZH))
    assert frame["message_id"].iloc[0] == "log.csv:2"
    assert frame["source"].iloc[0] == "log.csv"


def test_epoch_timestamps(tmp_path: Path) -> None:
    rows = [{"conversation": "c", "timestamp": "1762074000000", "role": "buyer", "content": "hi?"}]
    frame, _ = read_chat_log(write_csv(tmp_path / "e.csv", rows))
    assert frame["timestamp"].iloc[0] == pd.Timestamp("2025-11-02 09:00:00")


def test_explicit_column_and_role_mapping(tmp_path: Path) -> None:
    rows = [{"对话": "x", "when": "2026-11-02 10:00", "who": "访客", "words": "能开发票吗"},
            {"对话": "x", "when": "2026-11-02 10:01", "who": "小二", "words": "可以的"}]
    path = write_csv(tmp_path / "custom.csv", rows)
    frame, stats = read_chat_log(
        path,
        columns={"session_id": "对话", "timestamp": "when", "role": "who", "text": "words"},
        roles={"访客": "customer", "小二": "agent"},
    )
    assert list(frame["role"]) == ["customer", "agent"]
    assert stats.columns["text"] == "words"


def test_missing_column_names_columns_and_fix(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nocol.csv", [{"会话ID": "s", "时间": "2026-11-02", "内容": "x"}])
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert str(err.value) == (
        f"{path}: no column for role. Columns in the file: 会话ID, 时间, 内容. "
        "Name them with --map role=<column>."
    )


def test_map_to_a_column_that_does_not_exist(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "log.csv", ROWS_ZH)
    with pytest.raises(ScriptlabError, match=r"--map says text=正文, but there is no column"):
        read_chat_log(path, columns={"text": "正文"})


def test_unknown_roles_listed_with_row_and_fix(tmp_path: Path) -> None:
    rows = [dict(ROWS_ZH[0]), dict(ROWS_ZH[5], 发送方="路人"), dict(ROWS_ZH[5], 发送方="小二")]
    path = write_csv(tmp_path / "roles.csv", rows)
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert str(err.value) == (
        f"{path} row 3: unknown role value(s) '路人', '小二' in column '发送方'. Tell scriptlab "
        "what they are: --roles '路人=<customer|agent|ignore>,小二=<customer|agent|ignore>' "
        "(patterns such as 'kf_*=agent' work too)."
    )


def test_bad_timestamp_names_row(tmp_path: Path) -> None:
    rows = [dict(ROWS_ZH[0]), dict(ROWS_ZH[5], 时间="昨天下午")]
    path = write_csv(tmp_path / "t.csv", rows)
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert str(err.value) == (
        f"{path} row 3: cannot read the time '昨天下午' in column '时间'. "
        "Use a date-time like 2026-11-02 14:03:05."
    )


def test_missing_session_id(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [dict(ROWS_ZH[0], 会话ID="")])
    with pytest.raises(ScriptlabError, match=r"s.csv row 2: no session id in column '会话ID'"):
        read_chat_log(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "the file is empty. Export the chat log again."),
        ("header.csv", "会话ID,时间,发送方,内容\n".encode(), "has a header but no messages."),
        ("log.pdf", b"%PDF", "unsupported file type '.pdf'"),
        ("bad.jsonl", b'{"session_id": 1}\n{oops\n', "line 2: not valid JSON"),
        ("bad.json", b'{"a": 1}', "expected a JSON list of message objects"),
        ("latin.csv", "session,time,role,text\ns,2026-11-02,buyer,caf\xe9\n".encode("utf-16-le")
         [:0] + bytes(range(128, 256)) * 40, "cannot tell the text encoding"),
        ("broken.xlsx", b"not a zip", "cannot open as an Excel workbook"),
    ],
)
def test_bad_files_give_one_clear_error(tmp_path: Path, name: str, content: bytes,
                                        message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScriptlabError, match="no such file"):
        read_chat_log(tmp_path / "nope.csv")


def test_parse_mapping_rejects_unknown_names() -> None:
    assert parse_mapping("text=内容, role=发送方", ["text", "role"], "--map") == {
        "text": "内容", "role": "发送方"}
    with pytest.raises(UsageError, match="--map: unknown name 'txt'; use one of text, role"):
        parse_mapping("txt=内容", ["text", "role"], "--map")
    with pytest.raises(UsageError, match="should look like name=value"):
        parse_mapping("text", ["text"], "--map")


def test_bundled_samples_read_cleanly() -> None:
    frame, stats = read_chat_log(DATA / "sample_chats.csv")
    assert stats.encoding == "utf-8-sig"
    assert stats.columns == {"message_id": "消息ID", "session_id": "会话ID", "timestamp": "时间",
                             "role": "发送方", "text": "内容", "agent_id": "客服ID"}
    assert stats.skipped_system > 0 and stats.customer > 3000
    gbk, gbk_stats = read_chat_log(DATA / "sample_chats_gbk.csv")
    assert gbk_stats.encoding == "gb18030"
    assert set(gbk["role"]) == {"customer", "agent"}
