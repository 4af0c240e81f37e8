"""Quick-reply import files (千牛, 抖店飞鸽, 京麦): read back with each layout's columns;
codes stable across versions and editable; long scripts reported, not cut; settings."""

from __future__ import annotations

import pytest
from library_fixtures import NOW, build_workspace, intent_by_key, later
from openpyxl import load_workbook
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.library import approval
from scriptlab.library.codes import set_code
from scriptlab.library.publish import publish
from scriptlab.library.quickreply import LAYOUTS, layouts
from scriptlab.settings import settings_from_dict

THREE = tuple(intent_by_key(k) for k in ("ship_time", "invoice", "return"))
LONG = "亲，" + "关于退货的详细说明如下。" * 50  # 602 characters


def read_back(path, layout) -> list[dict[str, str]]:
    """The sheet as dicts keyed by role, found by the layout's header names."""
    sheet = load_workbook(path, read_only=True)[layout.sheet]
    table = [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]
    header = table[0]
    assert header == list(layout.columns.values())
    where = {role: header.index(name) for role, name in layout.columns.items()}
    return [{role: row[i] for role, i in where.items()} for row in table[1:]]


@pytest.fixture
def approved(workspace):
    built = build_workspace(workspace, THREE)
    for key in ("ship_time", "invoice", "return"):
        approval.approve(workspace, built.topic[key], by="lead", now=NOW)
    return workspace, built


def test_publish_writes_three_quick_reply_files_read_back_by_their_columns(approved) -> None:
    ws, built = approved
    result = publish(ws, by="lead", now=later(1))
    entries = {e.id: e for e in result.library.entries}
    assert [q.layout.key for q in result.quick_replies] == ["qianniu", "feige", "jingmai"]
    for q in result.quick_replies:
        assert q.path == result.out_dir / LAYOUTS[q.layout.key].file
        assert q.path.exists() and q.written == 3 and q.too_long == ()
        got = read_back(q.path, q.layout)
        expected = [{"group": e.category, "code": e.code, "text": e.script}
                    for e in result.library.entries]
        assert got == expected
    assert sorted(e.code for e in entries.values()) == ["001", "002", "003"]
    assert {e.category for e in entries.values()} >= {"物流"}


def test_codes_are_stable_across_versions_and_editable(approved) -> None:
    ws, built = approved
    first = publish(ws, by="lead", now=later(1))
    codes = {e.id: e.code for e in first.library.entries}
    ship = next(e.id for e in first.library.entries if e.topic_id == built.topic["ship_time"])
    approval.approve(ws, built.topic["ship_time"], text="亲，48小时内发货哦", by="lead",
                     now=later(2))
    second = publish(ws, by="lead", now=later(3))
    assert {e.id: e.code for e in second.library.entries} == codes  # script changed, code kept

    set_code(ws, ship, "fh1", by="lead", now=later(4))
    third = publish(ws, by="lead", now=later(5))
    assert third.created  # a new code is a change agents see
    assert [c["id"] for c in third.library.changelog["changed"]] == [ship]
    rows = read_back(third.quick_replies[0].path, third.quick_replies[0].layout)
    assert {r["code"] for r in rows} == {"fh1", *(c for i, c in codes.items() if i != ship)}
    history = approval.history(ws, ship)
    assert history[-1].action == "code"
    assert history[-1].detail == {"code": "fh1", "previous_code": codes[ship]}


def test_code_must_be_unique_and_usable(approved) -> None:
    ws, _ = approved
    ids = [e.id for e in approval.list_entries(ws)]
    with pytest.raises(ScriptlabError) as err:
        set_code(ws, ids[0], "002")
    assert str(err.value) == ("Quick-reply code '002' belongs to entry 2; codes are unique. "
                              "Choose another, or change that one first.")
    with pytest.raises(ScriptlabError, match="not usable: give 1-16 letters"):
        set_code(ws, ids[0], "fa huo")
    runner = CliRunner()
    result = runner.invoke(app, ["library", "code", "a b", "--entry", str(ids[0]),
                                 "-w", str(ws.root)])
    assert result.exit_code == 2
    assert "not usable" in result.output and "Traceback" not in result.output
    topic = approval.list_entries(ws)[0].topic_id
    result = runner.invoke(app, ["library", "code", "fh1", "--topic", str(topic),
                                 "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert {e.topic_id: e.code for e in approval.list_entries(ws)}[topic] == "fh1"


def test_default_code_skips_a_code_a_lead_took(workspace) -> None:
    built = build_workspace(workspace, THREE)
    first = approval.approve(workspace, built.topic["ship_time"], by="lead", now=NOW)
    set_code(workspace, first.entry_id, "002")  # what entry 2 would get by default
    second = approval.approve(workspace, built.topic["invoice"], by="lead", now=NOW)
    assert {e.id: e.code for e in approval.list_entries(workspace)} == {
        first.entry_id: "002", second.entry_id: "002a"}


def test_long_script_is_left_out_and_reported_not_cut(workspace) -> None:
    built = build_workspace(workspace, THREE, scripts={"return": LONG})
    for key in ("ship_time", "invoice", "return"):
        approval.approve(workspace, built.topic[key], by="lead", now=NOW)
    result = publish(workspace, by="lead", now=later(1))
    long_entry = next(e for e in result.library.entries if e.script == LONG)
    for q in result.quick_replies:
        assert q.too_long == ((long_entry.id, long_entry.code, len(LONG)),)
        texts = [r["text"] for r in read_back(q.path, q.layout)]
        assert q.written == len(texts) == 2
        assert not any(t.startswith(LONG[:20]) for t in texts)  # not cut either


def test_cli_publish_reports_left_out_scripts(workspace) -> None:
    built = build_workspace(workspace, THREE, scripts={"return": LONG})
    for key in ("ship_time", "invoice", "return"):
        approval.approve(workspace, built.topic[key], by="lead", now=NOW)
    result = CliRunner().invoke(app, ["publish", "--by", "lead", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "千牛 快捷短语: 2 of 3 scripts in quickreply-qianniu.xlsx" in result.output
    assert (f"left out of quickreply-jingmai.xlsx: {len(LONG)} characters, over 京麦 快捷回复's "
            "500.") in " ".join(result.output.split())


def test_settings_change_columns_limit_placeholder_and_switch_off(approved) -> None:
    ws, built = approved
    approval.approve(ws, built.topic["ship_time"], text="{买家昵称}您好，订单{订单号}48小时内发货",
                     by="lead", now=later(1))
    settings = settings_from_dict({"library": {"quick_replies": {
        "qianniu": {"columns": {"group": "分组", "text": "内容"}, "placeholder": "#{name}#"},
        "feige": {"enabled": False},
        "jingmai": {"max_length": 10, "file": "jd.xlsx"},
    }}, "store": {"url": ws.settings.store.url}})  # keep the test's database
    ws = type(ws)(root=ws.root, settings=settings)
    result = publish(ws, by="lead", now=later(2))
    assert [q.layout.key for q in result.quick_replies] == ["qianniu", "jingmai"]
    qianniu, jingmai = result.quick_replies
    assert qianniu.layout.columns == {"group": "分组", "code": "快捷编码", "text": "内容"}
    texts = [r["text"] for r in read_back(qianniu.path, qianniu.layout)]
    assert "#买家昵称#您好，订单#订单号#48小时内发货" in texts
    assert len(qianniu.with_variables) == 1
    assert jingmai.path.name == "jd.xlsx" and jingmai.written == 0
    assert len(jingmai.too_long) == 3
    assert not (result.out_dir / "quickreply-feige.xlsx").exists()


@pytest.mark.parametrize(("raw", "message"), [
    ({"taobao": {}}, "unknown platform 'taobao'; known: qianniu, feige, jingmai."),
    ({"qianniu": {"width": 3}}, "unknown setting 'width' in [library] quick_replies.qianniu"),
    ({"qianniu": {"max_length": 0}}, "max_length should be a whole number of characters ≥ 1"),
    ({"qianniu": {"placeholder": "$x"}}, "placeholder should contain {name}"),
    ({"qianniu": {"columns": {"title": "标题"}}}, "columns has unknown role 'title'"),
    ({"qianniu": {"columns": {"group": "内容", "text": "内容"}}}, "two roles the same header"),
    ({"qianniu": {"file": "../x.xlsx"}}, "file should be a plain file name ending in .xlsx"),
])
def test_bad_quick_reply_settings_name_the_setting(raw, message) -> None:
    with pytest.raises(ScriptlabError) as err:
        layouts(raw)
    assert message in str(err.value)
