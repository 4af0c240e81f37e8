"""`scriptlab library ...`, `publish` and `lookup` through the real command line."""

from __future__ import annotations

import json
import sys

import pytest
from library_fixtures import INTENTS, build_workspace, intent_by_key
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.library import approval, editor
from scriptlab.library.settings import LibrarySettings

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def ws(workspace):
    build_workspace(workspace, INTENTS[:4])
    return workspace


def w(ws) -> list[str]:
    return ["-w", str(ws.root)]


def test_candidates_approve_publish_lookup(ws) -> None:
    result = run("library", "candidates", *w(ws))
    assert result.exit_code == 0, result.output
    assert "4 candidates" in result.output and "new" in result.output
    result = run("library", "approve", "1", "--by", "张三", *w(ws))
    assert result.exit_code == 0, result.output
    assert "Approved topic 1 (library entry 1): 下单后多久发货？ — by 张三." in result.output
    result = run("library", "approve", "--all-winners", "--by", "张三", *w(ws))
    assert result.exit_code == 0, result.output
    assert "Approved 3 scripts by 张三." in result.output
    result = run("library", "candidates", *w(ws))
    assert "No candidates" in result.output
    result = run("library", "list", *w(ws))
    assert result.exit_code == 0 and "4 entries" in result.output
    result = run("publish", "--by", "张三", *w(ws))
    assert result.exit_code == 0, result.output
    assert "Published library v1: 4 entries (added 4, changed 0, retired 0) by 张三" in (
        result.output)
    assert str(ws.reports_dir / "library-v1" / "index.html") in result.output
    result = run("publish", *w(ws))
    assert result.exit_code == 0
    assert "Nothing changed since v1" in result.output and "Use --force" in result.output
    result = run("lookup", "付了款一般几天发出去", *w(ws))
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("1. [物流] 下单后多久发货？   score ")
    result = run("lookup", "快递是哪家的", "--json", "--top", "1", *w(ws))
    doc = json.loads(result.stdout)
    assert doc["matches"][0]["entry"]["question"] == "发什么快递？"
    assert len(doc["matches"]) == 1
    result = run("library", "versions", *w(ws))
    assert "v1" in result.output and "张三" in result.output


def test_lookup_from_faq_json_alone_and_no_match(ws, tmp_path) -> None:
    approval.approve_all_winners(ws, by="lead")
    run("publish", "--out", str(tmp_path / "share"), *w(ws))
    result = run("lookup", "今天天气怎么样", "--library", str(tmp_path / "share" / "faq.json"),
                 "-w", str(tmp_path / "no-workspace-here"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("No good match for “今天天气怎么样” (best score ")
    assert "Nearest entries:" in result.output


def test_edit_opens_the_editor_with_the_winner(ws, monkeypatch) -> None:
    seen = {}

    def fake_edit(text, extension=".txt"):
        seen["text"] = text
        return text + "\n祝您购物愉快~\n"

    monkeypatch.setattr(editor, "edit_text", fake_edit)
    result = run("library", "approve", "1", "--edit", "--by", "lead", *w(ws))
    assert result.exit_code == 0, result.output
    assert seen["text"] == intent_by_key("ship_time").script
    (entry,) = approval.list_entries(ws)
    assert entry.script == intent_by_key("ship_time").script + "\n祝您购物愉快~"


def test_unsaved_edit_keeps_the_text(ws, monkeypatch) -> None:
    monkeypatch.setattr(editor, "edit_text", lambda text, extension=".txt": None)
    result = run("library", "approve", "2", "--edit", "--text", "默认中通", "--by", "lead", *w(ws))
    assert result.exit_code == 0, result.output
    assert approval.list_entries(ws)[0].script == "默认中通"


def test_text_category_retire_history(ws) -> None:
    result = run("library", "approve", "3", "--text", "麻烦发下订单号", "--category", "物流",
                 "--by", "lead", *w(ws))
    assert result.exit_code == 0, result.output
    # The topic number approves and retires: entry 1 of topic 3 is retired by "3".
    result = run("library", "retire", "3", "--reason", "过时", "--by", "王五", *w(ws))
    assert result.exit_code == 0, result.output
    assert "Retired topic 3 (library entry 1): 我的快递到哪了？ — by 王五." in result.output
    again = run("library", "retire", "--entry", "1", *w(ws))
    assert "Library entry 1 is already retired" in again.stderr
    result = run("library", "list", "--all", *w(ws))
    assert "retir" in result.output  # the status column (may wrap in a narrow table)
    result = run("library", "history", "1", *w(ws))
    assert result.exit_code == 0
    assert "approve" in result.output and "retire" in result.output and "王五" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["library", "approve"], 2,
         "Give the TOPIC to approve (see `scriptlab library candidates`), or --all-winners."),
        (["library", "approve", "1", "--all-winners"], 2,
         "--all-winners approves every candidate as it is; do not combine it with TOPIC, "
         "--answer, --edit, --text or --category."),
        (["library", "approve", "99"], 1, "Unknown topic 99."),
        (["library", "retire", "42"], 1, "Topic 42 has no active script in the library."),
        (["library", "retire", "--entry", "42"], 1, "Unknown library entry 42."),
        (["library", "retire"], 2, "Give the TOPIC to retire, or --entry N (not both)."),
        (["publish"], 1, "The library is empty: nothing to publish."),
        (["lookup", " "], 2, "The query is empty"),
        (["lookup", "几天发货", "--top", "0"], 2, "--top must be at least 1, got 0."),
    ],
)
def test_bad_input_one_red_line(ws, args: list[str], code: int, message: str) -> None:
    result = run(*args, *w(ws))
    assert result.exit_code == code
    assert result.stderr.startswith("Error: " + message)
    assert "Traceback" not in result.output


def test_lookup_without_a_published_library(ws) -> None:
    result = run("lookup", "几天发货", *w(ws))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: No published library in workspace {ws.root}")


def test_lookup_with_an_invalid_file(tmp_path) -> None:
    bad = tmp_path / "faq.json"
    bad.write_text('{"schema_version": 1}', encoding="utf-8")
    result = run("lookup", "几天发货", "--library", str(bad))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {bad}: not a valid scriptlab faq.json (missing field "
                             "'entries'). Publish it again with: scriptlab publish\n")


def test_lookup_with_a_shops_own_minimal_file(tmp_path) -> None:
    """A hand-written faq.json needs only schema_version and id, question, script."""
    own = tmp_path / "faq.json"
    own.write_text(json.dumps({"schema_version": 1, "entries": [
        {"id": 7, "question": "包邮吗？", "script": "亲，满59元包邮哦"},
        {"id": 8, "question": "几天发货？", "variants": ["多久能发"], "script": "48小时内发货"},
    ]}, ensure_ascii=False), encoding="utf-8")
    result = run("lookup", "拍下后多久能发出", "--library", str(own), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [m["entry"]["id"] for m in doc["matches"]][:1] == [8]
    assert doc["min_confidence"] == LibrarySettings.min_confidence
    plain = run("lookup", "要付运费吗", "--library", str(own))
    assert plain.exit_code == 0
    assert plain.stdout.startswith("1. 包邮吗？   score ")  # no category: none shown
    assert plain.stderr == f"library v1: {own}\n"
    own.write_text('{"schema_version": 1, "library": [], "entries": []}', encoding="utf-8")
    assert run("lookup", "包邮吗", "--library", str(own)).stderr == (
        f"Error: {own}: not a valid scriptlab faq.json ('library' must be an object). "
        "Publish it again with: scriptlab publish\n")


def test_editor_runs_editor_from_the_environment(tmp_path, monkeypatch) -> None:
    script = tmp_path / "append.py"
    script.write_text("import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('哦')\n",
                      encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    assert editor.edit_text("好的") == "好的哦"
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c pass")
    assert editor.edit_text("好的") is None


def test_editor_failures_are_explained(monkeypatch) -> None:
    from scriptlab.errors import ScriptlabError

    monkeypatch.setenv("VISUAL", "/no/such/editor")
    with pytest.raises(ScriptlabError) as err:
        editor.edit_text("x")
    assert str(err.value) == ("Cannot start the editor '/no/such/editor' (No such file or "
                              "directory). Set $EDITOR to your editor, or give the script with "
                              "--text.")
    monkeypatch.setenv("VISUAL", f"{sys.executable} -c 'raise SystemExit(3)'")
    with pytest.raises(ScriptlabError) as err:
        editor.edit_text("x")
    assert str(err.value) == f"The editor {sys.executable!r} exited with code 3; nothing was approved."


def test_candidates_show_whole_scripts_at_80_columns(ws) -> None:
    from rich.cells import cell_len

    result = runner.invoke(app, ["library", "candidates", *w(ws)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    flat = "".join(line.strip() for line in lines)
    for c in approval.list_candidates(ws):
        assert f"topic {c.winner.topic_id} · " in result.output
        assert "".join(c.winner.text.split()) in "".join(flat.split())
