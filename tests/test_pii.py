"""Personal data on every path: a corpus of 122 forms, masked in one place (scriptlab.text.mask)
and run end to end through the demo path; then every table and every written file is searched
for each raw value. Over-masking is measured on ordinary questions that must survive."""

from __future__ import annotations

import csv
import json
import unicodedata
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.text.mask import mask_text

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
runner = CliRunner()


def corpus() -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in (DATA / "pii_corpus.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, text, raw = line.split("\t")
            rows.append((kind, text, [v.strip() for v in raw.split("|")]))
    return rows


def ordinary() -> list[str]:
    hand = [line for line in (DATA / "ordinary_questions.txt").read_text(encoding="utf-8")
            .splitlines() if line and not line.startswith("#")]
    with open(REPO / "data" / "sample_heldout.csv", encoding="utf-8") as fh:
        return hand + [row["query"] for row in csv.DictReader(fh)]


def forms(value: str) -> set[str]:
    """The raw value as typed and with full-width characters folded."""
    return {value, unicodedata.normalize("NFKC", value)}


def digits(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())


CORPUS = corpus()


def test_corpus_covers_every_kind_the_issue_lists() -> None:
    kinds = {kind for kind, _, _ in CORPUS}
    assert len(CORPUS) >= 100
    assert kinds == {"phone", "landline", "id", "bank", "order", "waybill", "email", "wechat",
                     "qq", "alipay", "address", "name", "agent", "english"}


@pytest.mark.parametrize(("kind", "text", "raw"), CORPUS, ids=[t for _, t, _ in CORPUS])
def test_masking_removes_every_raw_value(kind: str, text: str, raw: list[str]) -> None:
    masked = mask_text(text)
    folded = unicodedata.normalize("NFKC", masked)
    for value in raw:
        assert not any(f in masked or f in folded for f in forms(value)), (kind, masked)
        if len(digits(value)) >= 7:
            assert digits(value) not in digits(masked), (kind, masked)


def test_ordinary_questions_survive_masking() -> None:
    """Over-masking: 0 of 345 ordinary questions changed (was 1: 我是新手 -> 我是<姓名>)."""
    questions = ordinary()
    changed = [(q, mask_text(q)) for q in questions if mask_text(q) != q]
    assert len(questions) >= 300
    assert changed == []


def _pii_log(path: Path) -> None:
    """The bundled sample plus one session per corpus form (agent forms as agent replies)."""
    import io

    out = io.StringIO()
    out.write((REPO / "data" / "sample_chats.csv").read_text(encoding="utf-8-sig"))
    writer = csv.writer(out, lineterminator="\n")
    for n, (kind, text, _raw) in enumerate(CORPUS * 3):
        session = f"SPII{n:04d}"
        stamp = f"2026-10-20 {10 + n // 360:02d}:{n // 6 % 60:02d}:{n % 6 * 10:02d}"
        ask = "亲，帮我改一下信息" if kind == "agent" else f"{text}，什么时候发货？"
        reply = text if kind == "agent" else "亲，付款后48小时内发货哦"
        writer.writerow([f"P{n}a", session, stamp, "买家", "", ask])
        writer.writerow([f"P{n}b", session, f"{stamp[:-1]}5", "客服", "kf_01", reply])
    path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")


def _file_texts(root: Path) -> dict[Path, str]:
    texts: dict[Path, str] = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"PK":  # XLSX: every part of the zip
            with zipfile.ZipFile(path) as book:
                texts[path] = "".join(book.read(n).decode("utf-8", "ignore")
                                      for n in book.namelist())
        else:
            texts[path] = data.decode("utf-8", "ignore")
    return texts


def test_no_raw_value_reaches_any_table_or_file(tmp_path: Path, monkeypatch) -> None:
    from scriptlab.demo import run_demo
    from scriptlab.store.workspace import open_workspace

    (tmp_path / "data").mkdir()
    _pii_log(tmp_path / "data" / "sample_chats.csv")
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "demo"
    steps = list(run_demo(root))
    assert [s.stage for s in steps][:2] == ["init", "logs"]
    # Paths besides the logs: the roster, approve --text, lookup's echo.
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,组\nkf_90,我叫张三丰13800138000,售后组\n", encoding="utf-8")
    assert runner.invoke(app, ["agents", "import", str(roster), "-w", str(root)]).exit_code == 0
    listed = runner.invoke(app, ["agents", "list", "-w", str(root)])
    lookup = runner.invoke(app, ["lookup", "我手机13800138000什么时候发货", "--json", "-w",
                                 str(root)])
    assert lookup.exit_code == 0, lookup.output
    assert json.loads(lookup.output)["query"] == "我手机<手机号>什么时候发货"
    outputs = {"agents list": listed.output, "lookup --json": lookup.output}
    raw_values = [v for _, _, raw in CORPUS for v in raw] + ["张三丰", "13800138000"]

    ws = open_workspace(root)
    with ws.engine.connect() as conn:
        tables = sa.inspect(conn).get_table_names()
        dump = {t: "\n".join(json.dumps(list(r), ensure_ascii=False, default=str)
                             for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"'))
                for t in tables}
    ws.engine.dispose()
    assert "<手机号>" in dump["messages"] and "<姓名>" in dump["messages"]
    leaks = []
    for where, text in [*dump.items(), *_file_texts(root).items(), *outputs.items()]:
        folded = unicodedata.normalize("NFKC", text)
        leaks += [(str(where), v) for v in raw_values
                  if any(f in text or f in folded for f in forms(v))]
    assert leaks == []
