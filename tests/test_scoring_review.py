"""Blind review sheets and `scriptlab ratings import`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from scoring_fixtures import AGENTS, add_answers, build_quiz
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.sample.answers import fill_review_sheet
from scriptlab.scoring.ratings_import import import_ratings
from scriptlab.scoring.review_sheet import assign, parse_reviewers, write_review_sheets
from scriptlab.store import schema

runner = CliRunner()
DIMS = ["准确完整", "热情友好", "专业耐心", "简洁清晰", "诚实合规"]
TEXTS = {
    (1, "kf_01"): "亲，付款后48小时内发货哦~", (1, "kf_02"): "不知道", (1, "kf_03"): "两天",
    (1, "kf_04"): "",
    (2, "kf_01"): "亲，支持7天无理由退换", (2, "kf_02"): "=1+1 可以退", (2, "kf_03"): "可以",
    (3, "kf_01"): "亲，默认中通，顺丰补10元", (3, "kf_02"): "中通",
}


@pytest.fixture
def quiz(workspace):
    built = build_quiz(workspace)
    add_answers(workspace, built, TEXTS)
    return built


def codes(ws) -> dict[str, int]:
    a = schema.answers
    with ws.engine.connect() as conn:
        return {r.code: r.id for r in conn.execute(sa.select(a.c.code, a.c.id))}


def sheet_rows(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="评分", dtype=str).fillna("")


def ratings(ws) -> list[tuple]:
    r = schema.ratings
    with ws.engine.connect() as conn:
        return conn.execute(sa.select(r.c.answer_id, r.c.reviewer, r.c.dimension, r.c.value,
                                      r.c.comment).order_by(r.c.id)).all()


def test_sheets_are_blind_shuffled_validated_and_locked(workspace, quiz, tmp_path) -> None:
    result = write_review_sheets(workspace, "2026-W48", ["zhang", "li"], out_dir=tmp_path)
    assert result.answers == 8 and result.skipped_empty == 1
    assert result.per_reviewer == {"zhang": 8, "li": 8}
    zhang, li = result.paths["zhang"], result.paths["li"]
    assert zhang.name == "review-2026-W48-zhang.xlsx"
    rows = sheet_rows(zhang)
    assert list(rows.columns) == ["答案编号", "题号", "问题", "顾客问法", "回答", *DIMS, "备注"]
    assert set(rows["答案编号"]) <= set(codes(workspace))
    # Blind: no agent id or name anywhere in the workbook.
    book = load_workbook(zhang)
    cells = " ".join(str(c.value) for ws_ in book.worksheets for row in ws_.iter_rows()
                     for c in row if c.value is not None)
    for agent_id, name in AGENTS:
        assert agent_id not in cells and name not in cells
    # Questions and customer phrasings shown; formula-like answers neutralised.
    assert "今天拍什么时候发\n几天能发货呀" in rows["顾客问法"].tolist()
    assert "'=1+1 可以退" in rows["回答"].tolist()
    # Each reviewer has their own order.
    assert rows["答案编号"].tolist() != sheet_rows(li)["答案编号"].tolist()
    assert sorted(rows["答案编号"]) == sorted(sheet_rows(li)["答案编号"])
    # 1-5 validation on the rating columns; only ratings and comment editable.
    sheet = book["评分"]
    (validation,) = sheet.data_validations.dataValidation
    assert (validation.type, validation.formula1, validation.formula2) == ("whole", "1", "5")
    assert str(validation.sqref) == "F2:J9"
    assert sheet.protection.sheet
    assert sheet["E2"].protection.locked and not sheet["F2"].protection.locked
    assert book["_meta"].sheet_state == "hidden"


def test_same_seed_same_sheets(workspace, quiz, tmp_path) -> None:
    first = write_review_sheets(workspace, "2026-W48", ["zhang"], out_dir=tmp_path / "a")
    second = write_review_sheets(workspace, "2026-W48", ["zhang"], out_dir=tmp_path / "b")
    other = write_review_sheets(workspace, "2026-W48", ["zhang"], out_dir=tmp_path / "c",
                                seed=99)
    order = sheet_rows(first.paths["zhang"])["答案编号"].tolist()
    assert order == sheet_rows(second.paths["zhang"])["答案编号"].tolist()
    assert order != sheet_rows(other.paths["zhang"])["答案编号"].tolist()


def test_split_work_is_balanced() -> None:
    shares = assign(list(range(10)), ["a", "b", "c"], 2, seed=1)
    assert sorted(len(v) for v in shares.values()) == [6, 7, 7]
    per_answer = Counter(a for v in shares.values() for a in v)
    assert set(per_answer.values()) == {2}
    assert all(len(set(v)) == len(v) for v in shares.values())


@pytest.mark.parametrize(("text", "message"), [
    ("", "--reviewers: give at least one reviewer id, comma-separated, e.g. --reviewers "
         "zhang,li,wang"),
    ("zhang,../x", "--reviewers: '../x' is not a usable reviewer id; use letters, digits, "
                   "Chinese characters, '.', '-' or '_' (no spaces or slashes)."),
    ("zhang,li,zhang", "--reviewers: zhang given twice; list each reviewer once."),
])
def test_bad_reviewer_lists(text: str, message: str) -> None:
    with pytest.raises(UsageError) as err:
        parse_reviewers(text)
    assert str(err.value) == message


def test_parse_reviewers_accepts_chinese_commas() -> None:
    assert parse_reviewers("张组长，李主管, wang") == ["张组长", "李主管", "wang"]


def test_review_needs_answers_and_a_sensible_split(workspace, tmp_path) -> None:
    build_quiz(workspace)
    with pytest.raises(ScriptlabError) as err:
        write_review_sheets(workspace, "2026-W48", ["zhang"], out_dir=tmp_path)
    assert str(err.value) == ("Quiz 2026-W48 has no answers yet; import the filled answer "
                              "files first: scriptlab answers import FILE...")
    with pytest.raises(ScriptlabError) as err:
        write_review_sheets(workspace, "2026-W01", ["zhang"], out_dir=tmp_path)
    assert str(err.value).startswith("No quiz for 2026-W01 (quizzes exist for 2026-W48).")


def test_per_answer_out_of_range(workspace, quiz, tmp_path) -> None:
    with pytest.raises(UsageError) as err:
        write_review_sheets(workspace, "2026-W48", ["a", "b"], out_dir=tmp_path, per_answer=3)
    assert str(err.value) == ("--per-answer must be between 1 and the number of reviewers (2), "
                              "got 3.")


# -- ratings import ------------------------------------------------------------------------

@pytest.fixture
def sheets(workspace, quiz, tmp_path):
    return write_review_sheets(workspace, "2026-W48", ["zhang", "li"], out_dir=tmp_path).paths


def fill_all(path: Path, value: int = 4, comment: str | None = None) -> None:
    rows = sheet_rows(path)
    fill_review_sheet(path, {c: dict.fromkeys(DIMS, value) for c in rows["答案编号"]},
                      {c: comment for c in rows["答案编号"]} if comment else None)


def test_round_trip_and_idempotent(workspace, sheets) -> None:
    fill_all(sheets["zhang"], 4, "不错")
    fill_all(sheets["li"], 2)
    result = import_ratings(workspace, [sheets["zhang"], sheets["li"]])
    assert (result.added, result.updated, result.unchanged) == (80, 0, 0)
    assert result.reviewers == ["li", "zhang"] and result.answers_rated == 16
    stored = ratings(workspace)
    assert {r.reviewer for r in stored} == {"zhang", "li"}
    assert {r.comment for r in stored if r.reviewer == "zhang"} == {"不错"}
    again = import_ratings(workspace, [sheets["zhang"], sheets["li"]])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 80)
    assert ratings(workspace) == stored


def test_blank_rows_are_skipped_and_partial_rows_kept(workspace, sheets) -> None:
    code = sheet_rows(sheets["zhang"])["答案编号"].iloc[0]
    fill_review_sheet(sheets["zhang"], {code: {"准确完整": 5}})
    result = import_ratings(workspace, [sheets["zhang"]])
    assert (result.added, result.not_rated) == (1, 7)


def edit(path: Path, row: int, column: str, value) -> None:
    book = load_workbook(path)
    sheet = book["评分"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1).value = value
    book.save(path)


def test_bad_values_and_codes_are_reported(workspace, sheets) -> None:
    path = sheets["zhang"]
    fill_all(path, 3)
    edit(path, 2, "准确完整", 6)
    edit(path, 3, "热情友好", "4.5")
    edit(path, 4, "专业耐心", "好")
    edit(path, 5, "答案编号", "ZZZZZZ")
    edit(path, 6, "答案编号", None)
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [path])
    name = path.name
    assert str(err.value).splitlines() == [
        "Nothing imported: 5 problems in the review sheets:",
        f"  {name}, sheet 评分, row 2, column 准确完整: '6' is not a rating; enter a whole "
        "number from 1 to 5.",
        f"  {name}, sheet 评分, row 3, column 热情友好: '4.5' is not a rating; enter a whole "
        "number from 1 to 5.",
        f"  {name}, sheet 评分, row 4, column 专业耐心: '好' is not a rating; enter a whole "
        "number from 1 to 5.",
        f"  {name}, sheet 评分, row 5: unknown answer code 'ZZZZZZ'; keep the 答案编号 column "
        "as it was.",
        f"  {name}, sheet 评分, row 6: no answer code; keep the 答案编号 column as it was.",
    ]
    assert ratings(workspace) == []


def test_duplicate_codes_and_changed_ratings_need_replace(workspace, sheets, tmp_path) -> None:
    path = sheets["zhang"]
    fill_all(path, 3)
    first_code = sheet_rows(path)["答案编号"].iloc[0]
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    edit(copy, 2, "准确完整", 5)
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [path, copy])
    assert str(err.value).splitlines()[1] == (
        f"  copy.xlsx, sheet 评分, row 2: reviewer zhang already rated this answer at "
        f"{path.name}, sheet 评分, row 2; delete one of the two rows, or pass --replace to "
        "keep the later one.")
    import_ratings(workspace, [path])
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [copy])
    assert str(err.value).splitlines()[1] == (
        "  copy.xlsx, sheet 评分, row 2: reviewer zhang already has different ratings of this "
        "answer in the workspace (准确完整); pass --replace to overwrite them.")
    result = import_ratings(workspace, [copy], replace=True)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 39)
    answer_id = codes(workspace)[first_code]
    assert [r.value for r in ratings(workspace)
            if r.answer_id == answer_id and r.dimension == "准确完整"] == [5]


def test_comments_are_masked(workspace, sheets) -> None:
    code = sheet_rows(sheets["li"])["答案编号"].iloc[0]
    fill_review_sheet(sheets["li"], {code: {"准确完整": 2}}, {code: "顾客电话13812345678别外传"})
    import_ratings(workspace, [sheets["li"]])
    assert [r.comment for r in ratings(workspace)] == ["顾客电话<手机号>别外传"]


def test_comment_without_rating(workspace, sheets) -> None:
    edit(sheets["li"], 2, "备注", "看不懂")
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [sheets["li"]])
    assert str(err.value).splitlines()[1] == (
        f"  {sheets['li'].name}, sheet 评分, row 2: a comment but no rating; rate at least one "
        "dimension or delete the comment.")


def test_sheet_of_a_quiz_that_does_not_exist(workspace, sheets) -> None:
    fill_all(sheets["zhang"])
    book = load_workbook(sheets["zhang"])
    book["_meta"]["B3"] = 99  # quiz_id
    book.save(sheets["zhang"])
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [sheets["zhang"]])
    assert str(err.value).splitlines()[1] == (
        f"  {sheets['zhang'].name}: this review sheet is for quiz 2026-W48, which does not "
        "exist in this workspace; import it into the workspace that made it.")


def test_csv_ratings_need_a_reviewer(workspace, quiz, tmp_path) -> None:
    code = next(iter(codes(workspace)))
    path = tmp_path / "ratings.csv"
    pd.DataFrame([{"答案编号": code, **dict.fromkeys(DIMS, 4)}]).to_csv(path, index=False)
    with pytest.raises(ScriptlabError) as err:
        import_ratings(workspace, [path])
    assert str(err.value).splitlines()[1] == (
        "  ratings.csv, row 2: no reviewer; use the review sheet made by scriptlab review "
        "sheet, or pass --reviewer NAME.")
    assert import_ratings(workspace, [path], reviewer="wang").added == 5


def test_cli_review_and_ratings(workspace, quiz, tmp_path) -> None:
    out = tmp_path / "sheets"
    result = runner.invoke(app, ["review", "sheet", "--quiz", "2026-W48", "--reviewers",
                                 "zhang,li", "--out", str(out), "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "Review sheets for 2026-W48: 8 answers, 2 reviewers; 1 empty answers left out" \
        in result.output
    path = out / "review-2026-W48-zhang.xlsx"
    fill_all(path, 5)
    imported = runner.invoke(app, ["ratings", "import", str(path), "-w", str(workspace.root)])
    assert imported.exit_code == 0, imported.output
    assert "Imported 40 new and 0 changed ratings from zhang" in imported.output
    split = runner.invoke(app, ["review", "sheet", "--quiz", "2026-W48", "--reviewers",
                                "zhang,li", "--per-answer", "1", "--out", str(out), "-w",
                                str(workspace.root)])
    assert split.exit_code == 1  # zhang's sheet was filled in: not replaced silently
    assert split.output.strip() == (
        f"Error: {out} already holds review-2026-W48-zhang.xlsx, not written by scriptlab "
        "(or changed since); nothing was written. Choose another folder or file, remove them, "
        "or add --force to replace them.")
    split = runner.invoke(app, ["review", "sheet", "--quiz", "2026-W48", "--reviewers",
                                "zhang,li", "--per-answer", "1", "--out", str(out), "-w",
                                str(workspace.root), "--force"])
    assert split.exit_code == 0, split.output
    assert ("Each answer gets 1 reviewer(s) but a winner needs 2 ([scoring] min_ratings): "
            "winners will stay unreviewed.") in split.output
    bad = runner.invoke(app, ["review", "sheet", "--quiz", "2026-W48", "--reviewers", "",
                              "-w", str(workspace.root)])
    assert bad.exit_code == 2
    assert "Error: --reviewers: give at least one reviewer id" in bad.output
