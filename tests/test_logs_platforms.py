"""Platform exports read as they come: 千牛 txt, 京麦/咚咚, 抖店飞鸽, Zendesk, Freshdesk, Intercom."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.logs.platforms import check_preset, detect_platform, strip_html
from scriptlab.logs.readers import read_chat_log

DATA = Path(__file__).parent / "data" / "exports"
runner = CliRunner()


def messages(frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    return [(r.session_id, r.role, r.agent_id, r.text) for r in frame.itertuples()]


def test_qianniu_one_conversation() -> None:
    frame, stats = read_chat_log(DATA / "qianniu_one.txt")
    assert stats.platform == "qianniu"
    assert messages(frame) == [
        ("tb_buyer01#1", "customer", "", "在吗，什么时候发货"),
        ("tb_buyer01#1", "agent", "小美", "亲，付款后48小时内发货哦"),
        ("tb_buyer01#1", "customer", "", "13812345678 这是我电话"),
        ("tb_buyer01#1", "agent", "小美", "好的亲，已备注\n有问题随时找我"),
    ]
    assert frame["row"].tolist() == [3, 6, 8, 10]  # the line each message starts on
    assert str(frame["timestamp"].iloc[1]) == "2026-11-02 14:03:30"


def test_qianniu_merged_export_has_one_session_per_buyer() -> None:
    frame, _ = read_chat_log(DATA / "qianniu_merged.txt")
    assert frame.groupby("session_id")["role"].apply(list).to_dict() == {
        "tb_buyer02#1": ["customer", "agent", "customer"],
        "tb_buyer03#2": ["customer", "agent", "customer"],
    }
    assert set(frame.loc[frame.role == "agent", "agent_id"]) == {"阿杰", "小美"}


def test_qianniu_file_without_header_takes_the_buyer_from_the_first_nickname(
        tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("tb_x 2026-11-02 14:03:05\n在吗\n店:小美 2026-11-02 14:03:30\n在的亲\n",
                    encoding="utf-8")
    frame, _ = read_chat_log(path)
    assert frame["role"].tolist() == ["customer", "agent"]


def test_jd_sender_equal_to_the_agent_account_is_the_agent() -> None:
    frame, stats = read_chat_log(DATA / "jd_dongdong.csv")
    assert stats.platform == "jd"
    assert messages(frame) == [
        ("S1001", "customer", "", "请问这个床垫多久能到"),
        ("S1001", "agent", "暖居京东_小王", "您好，江浙沪一般次日达"),
        ("S1001", "customer", "", "订单号 312345678901 帮我看下"),
        ("S1002", "customer", "", "可以开专票吗"),
        ("S1002", "agent", "暖居京东_小李", "可以的，请提供开票信息"),
    ]
    assert stats.skipped_system == 1


def test_jd_without_a_customer_column_and_as_xlsx(tmp_path: Path) -> None:
    raw = pd.read_csv(DATA / "jd_no_customer_column.csv", dtype=str)
    path = tmp_path / "京麦导出.xlsx"
    raw.to_excel(path, index=False)
    frame, stats = read_chat_log(path)
    assert stats.platform == "jd"
    assert frame["role"].tolist() == ["customer", "agent", "customer", "agent"]


def test_role_patterns_name_accounts(tmp_path: Path) -> None:
    path = tmp_path / "pins.csv"
    path.write_text("会话,时间,发送方,内容\n"
                    "s1,2026-11-04 10:00:01,jd_7f3a21,多久到\n"
                    "s1,2026-11-04 10:00:30,暖居京东_小王,次日达\n", encoding="utf-8")
    with pytest.raises(ScriptlabError, match="unknown role value"):
        read_chat_log(path)
    frame, _ = read_chat_log(path, roles={"暖居京东_*": "agent", "*": "customer"})
    assert frame["role"].tolist() == ["customer", "agent"]


def test_doudian_nickname_is_the_agent_and_cards_are_marked() -> None:
    frame, stats = read_chat_log(DATA / "doudian_feige.csv")
    assert stats.platform == "doudian"
    assert messages(frame)[:3] == [
        ("D01", "customer", "", "这款有现货吗"),
        ("D01", "customer", "",
         "[商品卡片] https://haohuo.jinritemai.com/views/product/item?id=3601234567"),
        ("D01", "agent", "暖居-小美", "亲，有现货的，今天下单明天发"),
    ]
    assert stats.skipped_system == 1


def test_zendesk_requester_is_the_customer_and_internal_notes_are_dropped() -> None:
    frame, stats = read_chat_log(DATA / "zendesk_comments.csv")
    assert stats.platform == "zendesk"
    assert messages(frame) == [
        ("501", "customer", "", "How long until you ship my order?"),
        ("501", "agent", "222", "Hi! Orders ship within 2 business days."),
        ("502", "customer", "", "Can I return a worn jacket?"),
        ("502", "agent", "444", "Returns are accepted within 30 days if unworn."),
    ]
    assert stats.skipped_system == 1


def test_freshdesk_incoming_is_the_customer_and_private_notes_are_dropped() -> None:
    frame, stats = read_chat_log(DATA / "freshdesk_conversations.csv")
    assert stats.platform == "freshdesk"
    assert frame["role"].tolist() == ["customer", "agent", "customer", "agent"]
    assert frame["agent_id"].tolist() == ["", "6001", "", "6002"]
    assert stats.skipped_system == 1


def test_intercom_admin_is_the_agent_bots_and_notes_are_dropped_html_stripped() -> None:
    frame, stats = read_chat_log(DATA / "intercom_conversations.csv")
    assert stats.platform == "intercom"
    assert messages(frame) == [
        ("c_100", "customer", "", "how long until you ship"),
        ("c_100", "agent", "Sam", "Hi Alex! We ship within 48 hours."),
        ("c_101", "customer", "", "tracking number please"),
        ("c_101", "agent", "Kim", "Sure — it is in your confirmation email."),
    ]
    assert stats.skipped_system == 2


def test_intercom_epoch_times(tmp_path: Path) -> None:
    path = tmp_path / "intercom.csv"
    path.write_text("conversation_id,message_created_at,message_author_type,message_body\n"
                    "c1,1762693200,user,where is my parcel\n"
                    "c1,1762693260,admin,On its way!\n", encoding="utf-8")
    frame, _ = read_chat_log(path)
    assert str(frame["timestamp"].iloc[0]) == "2025-11-09 13:00:00"


def test_preset_names_the_platform_and_unknown_presets_are_one_line(tmp_path: Path) -> None:
    assert check_preset("千牛") == "qianniu"
    assert check_preset("JD") == "jd"
    with pytest.raises(UsageError, match="unknown platform 'wechat'; use one of qianniu"):
        check_preset("wechat")
    assert detect_platform(["session_id", "timestamp", "role", "text"]) is None
    # A merged 千牛 export saved as .csv: named with --preset.
    path = tmp_path / "record.txt"
    path.write_text("与 b1 的聊天记录\nb1 2026-11-02 14:03:05\n在吗\n", encoding="utf-8")
    frame, stats = read_chat_log(path, preset="qianniu")
    assert (stats.platform, len(frame)) == ("qianniu", 1)


def test_unknown_shape_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        read_chat_log(path)
    assert len(str(err.value).splitlines()) == 1
    assert "no column for session_id, timestamp, role, text" in str(err.value)


def test_strip_html() -> None:
    assert strip_html("<p>Hi<br>there &amp; bye</p>") == "Hi\nthere & bye"
    assert strip_html("5 &lt; 6") == "5 < 6"


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir()))
def test_every_fixture_imports_and_mines_with_no_options(workspace, name: str) -> None:
    root = str(workspace.root)
    checked = runner.invoke(app, ["logs", "check", str(DATA / name)])
    assert checked.exit_code == 0, checked.output
    imported = runner.invoke(app, ["logs", "import", str(DATA / name), "-w", root])
    assert imported.exit_code == 0, imported.output
    assert "imported" in imported.output


def test_the_labelled_intercom_export_imports_with_no_options(workspace) -> None:
    """tests/data/intercom_export.csv (hand-labelled, 40 conversations): no --map, no --roles."""
    path = Path(__file__).parent / "data" / "intercom_export.csv"
    labels = pd.read_csv(Path(__file__).parent / "data" / "intercom_labels.csv", dtype=str)
    frame, stats = read_chat_log(path)
    assert stats.platform == "intercom"
    assert frame["session_id"].nunique() == 40
    assert stats.customer == len(labels)  # every labelled customer message, nothing else
    assert set(frame.loc[frame.role == "agent", "agent_id"]) <= set(
        pd.read_csv(path, dtype=str).query("message_author_type == 'admin'")["message_author_name"])
    result = runner.invoke(app, ["logs", "import", str(path), "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
