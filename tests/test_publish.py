"""`publish`: versions, changelog, and every output format (schema-checked JSON, parsed HTML,
Markdown, formula-safe CSV/XLSX)."""

from __future__ import annotations

import csv
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from library_fixtures import NOW, build_workspace, intent_by_key, later

from scriptlab.errors import ScriptlabError
from scriptlab.library import approval
from scriptlab.library.faq import SCHEMA_FILE, load_faq
from scriptlab.library.publish import list_versions, publish

GOLDEN = Path(__file__).parent / "golden" / "library"
EVIL = '<script>alert("x")</script> & </script><!-- =1+1'
THREE = tuple(intent_by_key(k) for k in ("ship_time", "invoice", "return"))


@pytest.fixture
def approved(workspace):
    """A workspace with three approved entries (fixed times)."""
    built = build_workspace(workspace, THREE, scripts={"return": EVIL})
    for key in ("ship_time", "invoice", "return"):
        approval.approve(workspace, built.topic[key], by="lead", now=NOW)
    return workspace, built


def validate(path: Path) -> dict:
    doc = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    return doc


def test_first_publish_writes_every_file_and_version_1(approved) -> None:
    ws, built = approved
    result = publish(ws, by="lead", now=later(1))
    assert result.created
    out = ws.reports_dir / "library-v1"
    assert result.out_dir == out.resolve()
    assert [p.name for p in result.files] == ["faq.json", "index.html", "faq.md", "faq.csv",
                                              "faq.xlsx", "quickreply-qianniu.xlsx",
                                              "quickreply-feige.xlsx", "quickreply-jingmai.xlsx"]
    assert all(p.exists() for p in result.files)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temp left
    doc = validate(out / "faq.json")
    assert doc["schema_version"] == 1
    assert doc["library"]["version"] == 1
    assert doc["library"]["published_by"] == "lead"
    assert doc["library"]["published_at"] == later(1).astimezone().isoformat()
    assert len(doc["library"]["changelog"]["added"]) == 3
    entry = next(e for e in doc["entries"] if e["topic_id"] == built.topic["ship_time"])
    intent = intent_by_key("ship_time")
    assert entry["script"] == intent.script
    assert entry["variants"] == list(intent.variants)
    assert (entry["author_agent_id"], entry["author_agent_name"]) == ("A01", "小美")
    assert (entry["score"], entry["quiz_week"], entry["version"]) == (0.8, "2026-W48", 1)
    assert (entry["approved_by"], entry["approved_at"]) == ("lead", NOW.astimezone().isoformat())
    # The newest version is also where `lookup` looks by default.
    latest = ws.reports_dir / "library-latest" / "faq.json"
    assert latest.read_bytes() == (out / "faq.json").read_bytes()
    (version,) = list_versions(ws)
    assert (version.version, version.created_by, len(version.entries)) == (1, "lead", 3)


def test_changelog_and_entry_versions(approved) -> None:
    ws, built = approved
    publish(ws, by="lead", now=later(1))
    ship = approval.list_entries(ws)
    ship_id = next(e.id for e in ship if e.topic_id == built.topic["ship_time"])
    invoice_id = next(e.id for e in ship if e.topic_id == built.topic["invoice"])
    approval.approve(ws, built.topic["ship_time"], text="48小时内发货", by="lead", now=later(2))
    approval.retire(ws, invoice_id, by="lead", now=later(2))
    new = build_workspace(ws, (intent_by_key("courier"),), week="2026-W49", created=later(3))
    approval.approve(ws, new.topic["courier"], by="lead", now=later(3))
    result = publish(ws, by="王五", now=later(4))
    log = result.library.changelog
    courier_id = next(e.id for e in approval.list_entries(ws)
                      if e.topic_id == new.topic["courier"])
    assert log == {
        "added": [{"id": courier_id, "question": "发什么快递？"}],
        "changed": [{"id": ship_id, "question": "下单后多久发货？"}],
        "retired": [{"id": invoice_id, "question": "可以开发票吗？"}],
    }
    versions = {e.id: e.version for e in result.library.entries}
    assert versions[ship_id] == 2 and versions[courier_id] == 2
    assert [v for i, v in versions.items() if i not in (ship_id, courier_id)] == [1]
    assert result.out_dir.name == "library-v2"
    assert validate(result.out_dir / "faq.json")["library"]["entry_count"] == 3


def test_nothing_changed_means_no_new_version_unless_forced(approved) -> None:
    ws, _ = approved
    publish(ws, by="lead", now=later(1))
    result = publish(ws, by="lead", now=later(2))
    assert (result.created, result.previous.version, result.files) == (False, 1, ())
    assert not (ws.reports_dir / "library-v2").exists()
    forced = publish(ws, by="lead", force=True, now=later(2))
    assert forced.created and forced.library.version == 2
    assert forced.library.changelog == {"added": [], "changed": [], "retired": []}


def test_a_big_library_is_published_with_its_search_index(approved, monkeypatch) -> None:
    from scriptlab.library import publish as module
    from scriptlab.library.lookup import Searcher, lookup

    ws, _ = approved
    monkeypatch.setattr(module, "SAVE_INDEX_FROM", 3)  # three entries count as big here
    result = publish(ws, by="lead", now=later(1))
    assert [p.name for p in result.files][-1] == "faq.index"
    latest = ws.reports_dir / "library-latest"
    assert (latest / "faq.index").read_bytes() == (result.out_dir / "faq.index").read_bytes()
    fresh = Searcher(result.library).lookup("几天能发货")
    assert lookup("几天能发货", latest).matches == fresh.matches
    monkeypatch.setattr(module, "SAVE_INDEX_FROM", 4)  # a smaller library: no index
    smaller = publish(ws, by="lead", force=True, now=later(2))
    assert "faq.index" not in [p.name for p in smaller.files]
    assert not (latest / "faq.index").exists()


def test_empty_library_cannot_be_published(workspace) -> None:
    with pytest.raises(ScriptlabError) as err:
        publish(workspace, by="lead")
    assert str(err.value) == (
        "The library is empty: nothing to publish. Approve scripts first: see `scriptlab "
        "library candidates`, then `scriptlab library approve GROUP` (or --all-winners)."
    )


def test_out_dir_and_latest_copy(approved, tmp_path: Path) -> None:
    ws, _ = approved
    result = publish(ws, out=tmp_path / "share" / "faq", by="lead")
    assert result.out_dir == (tmp_path / "share" / "faq").resolve()
    assert (tmp_path / "share" / "faq" / "index.html").exists()
    assert (ws.reports_dir / "library-latest" / "index.html").exists()


def test_out_must_be_a_folder(approved, tmp_path: Path) -> None:
    ws, _ = approved
    (tmp_path / "file").write_text("x")
    with pytest.raises(ScriptlabError) as err:
        publish(ws, out=tmp_path / "file", by="lead")
    assert str(err.value) == f"{tmp_path / 'file'} is a file; give a folder with --out DIR."
    assert list_versions(ws) == []


class PageParser(HTMLParser):
    """Collects what the structural checks need from index.html."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None
        self.text: dict[str, list[str]] = {}
        self._classes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._script = attrs
            self.scripts.append((attrs, ""))
        self._classes.append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if self._classes:
            self._classes.pop()

    def handle_data(self, data):
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        for cls in self._classes:
            for name in cls.split():
                self.text.setdefault(name, []).append(data)


def test_html_is_one_self_contained_escaped_page(approved) -> None:
    ws, built = approved
    result = publish(ws, by="lead", now=later(1))
    html = (result.out_dir / "index.html").read_text(encoding="utf-8")
    page = PageParser()
    page.feed(html)
    # No external resources: no src/href to anything, no <link>, inline CSS and JS only.
    assert not [t for t, a in page.tags if t == "link"]
    assert not [a for t, a in page.tags if a.get("src") or (a.get("href") or "#").strip("#")]
    assert "http://" not in html and "https://" not in html
    # The script text is on the page as text, never as markup.
    assert EVIL not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;/script&gt;" in html
    assert EVIL in "".join(page.text["script"])
    # Two script blocks: the JSON data and the code.
    (data_attrs, data), (code_attrs, code) = page.scripts
    assert data_attrs == {"type": "application/json", "id": "faq-data"}
    assert "<" not in data and ">" not in data and "&" not in data
    doc = json.loads(data)
    assert doc["library"]["version"] == 1
    assert EVIL in [e["script"] for e in doc["entries"]]
    assert doc["search"]["min_confidence"] == ws.settings.library.min_confidence
    assert "ScriptlabSearch" in code and "innerHTML" not in code
    # Controls, version and date, one article per entry, a copy button each.
    ids = {a.get("id") for _, a in page.tags}
    assert {"q", "category", "entries", "status", "nomatch", "version", "published"} <= ids
    articles = [a for t, a in page.tags if t == "article"]
    assert sorted(int(a["data-id"]) for a in articles) == sorted(
        e.id for e in result.library.entries)
    assert len([a for t, a in page.tags if t == "button" and a.get("class") == "copy"]) == 3
    options = [a.get("value") for t, a in page.tags if t == "option"]
    assert options == ["", "物流", "售后", "支付"]
    version = html.split('id="version">', 1)[1].split("<", 1)[0]
    published = html.split('id="published">', 1)[1].split("<", 1)[0]
    assert (version, published) == ("v1", later(1).strftime("%Y-%m-%d %H:%M"))


def test_markdown_csv_and_xlsx(approved) -> None:
    ws, _ = approved
    result = publish(ws, by="lead", now=later(1))
    md = (result.out_dir / "faq.md").read_text(encoding="utf-8")
    assert md.startswith("# 话术库 FAQ script library v1\n")
    assert "### 下单后多久发货？" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    raw = (result.out_dir / "faq.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 3
    ship = next(r for r in rows if r["question"] == "下单后多久发货？")
    assert ship["variants"].split(" | ")[0] == "几天能发货"
    evil = next(r for r in rows if r["question"] == "可以退货吗？")
    assert evil["script"] == EVIL  # starts with '<': harmless, kept as is
    from openpyxl import load_workbook

    sheet = load_workbook(result.out_dir / "faq.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["id", "category", "question", "script"]
    assert sheet.max_row == 4


def test_formula_injection_is_neutralised(workspace) -> None:
    formulas = {"ship_time": "=HYPERLINK(\"http://x\")", "invoice": "+1-2", "return": "@SUM(A1)"}
    built = build_workspace(workspace, THREE, scripts=formulas)
    for key in formulas:
        approval.approve(workspace, built.topic[key], category="-cat", by="=lead", now=NOW)
    result = publish(workspace, by="lead", now=later(1))
    rows = list(csv.DictReader(
        (result.out_dir / "faq.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted(r["script"] for r in rows) == sorted("'" + f for f in formulas.values())
    assert {r["category"] for r in rows} == {"'-cat"}
    assert {r["approved_by"] for r in rows} == {"'=lead"}
    from openpyxl import load_workbook

    sheet = load_workbook(result.out_dir / "faq.xlsx").active
    scripts = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(scripts) == sorted("'" + f for f in formulas.values())
    assert all(row[3].data_type == "s" for row in sheet.iter_rows(min_row=2))


def test_workspace_template_overrides_the_page(approved) -> None:
    ws, _ = approved
    ws.templates_dir.mkdir()
    (ws.templates_dir / "faq.md.j2").write_text(
        "Custom v{{ library.version }}: {% for e in entries %}{{ e.script }};{% endfor %}\n",
        encoding="utf-8")
    result = publish(ws, by="lead")
    md = (result.out_dir / "faq.md").read_text(encoding="utf-8")
    assert md.startswith("Custom v1: ")
    assert "&lt;script&gt;" in md  # autoescape applies to overrides too


def test_broken_override_is_reported_and_nothing_published(approved) -> None:
    ws, _ = approved
    ws.templates_dir.mkdir()
    (ws.templates_dir / "faq.md.j2").write_text("{{ nope }}\n", encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        publish(ws, by="lead")
    assert str(err.value) == (
        f"Template faq.md.j2: 'nope' is undefined. Fix or remove the override "
        f"{ws.templates_dir / 'faq.md.j2'}."
    )
    assert list_versions(ws) == []
    assert not (ws.reports_dir / "library-v1").exists()


def test_golden_outputs(approved) -> None:
    """faq.json and faq.md for a fixed workspace; regenerate with SCRIPTLAB_REGEN_GOLDEN=1."""
    ws, _ = approved
    result = publish(ws, by="lead", now=later(1))
    for name in ("faq.json", "faq.md"):
        got = (result.out_dir / name).read_text(encoding="utf-8")
        golden = GOLDEN / name
        if os.environ.get("SCRIPTLAB_REGEN_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(got, encoding="utf-8")
        assert got == golden.read_text(encoding="utf-8"), f"{name} differs from {golden}"
    assert load_faq(GOLDEN / "faq.json").version == 1


def test_workspace_synonyms_travel_with_the_library(make_workspace) -> None:
    from scriptlab.library.lookup import lookup

    ws = make_workspace(
        settings='[library]\nmin_confidence = 0.2\nsynonyms = { "包邮" = ["免邮费", "不要邮费"] }\n')
    built = build_workspace(ws, (intent_by_key("ship_time"),))
    approval.approve(ws, built.topic["ship_time"], by="lead")
    result = publish(ws, by="lead")
    doc = validate(result.out_dir / "faq.json")
    assert doc["search"] == {"min_confidence": 0.2, "synonyms": {"包邮": ["免邮费", "不要邮费"]}}
    found = lookup("免邮费吗", result.out_dir / "faq.json")
    assert found.min_confidence == 0.2


def test_bad_category_setting_is_explained(make_workspace) -> None:
    ws = make_workspace(settings='[library]\ncategories = { "物流" = "发货" }\n')
    built = build_workspace(ws, (intent_by_key("ship_time"),))
    with pytest.raises(ScriptlabError) as err:
        approval.approve(ws, built.topic["ship_time"], by="lead")
    assert str(err.value) == (
        'scriptlab.toml: [library] categories should be a table of name = ["word", ...], '
        'e.g. categories = { "物流" = ["发货", "快递"] }.'
    )
