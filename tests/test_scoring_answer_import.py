"""`scriptlab answers import`: validation, masking, idempotence, --replace."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from scoring_fixtures import WEEK, add_ratings, answer_csv, build_quiz, template_rows
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.scoring.answer_codes import ALPHABET
from scriptlab.scoring.answer_import import import_answers
from scriptlab.store import schema

runner = CliRunner()


@pytest.fixture
def quiz(workspace):
    return build_quiz(workspace)


def stored(ws) -> dict[tuple[int, str], str]:
    a = schema.answers
    with ws.engine.connect() as conn:
        return {(r.question_id, r.agent_id): r.text
                for r in conn.execute(sa.select(a.c.question_id, a.c.agent_id, a.c.text))}


def problems(ws, paths, **kwargs) -> list[str]:
    with pytest.raises(ScriptlabError) as err:
        import_answers(ws, paths, **kwargs)
    lines = str(err.value).splitlines()
    assert lines[0].startswith("Nothing imported: ")
    return [line.strip() for line in lines[1:]]


def test_csv_import_masks_keeps_empty_answers_and_is_idempotent(workspace, quiz,
                                                                tmp_path: Path) -> None:
    path = answer_csv(tmp_path / "answers.csv", template_rows(quiz, {
        (1, "kf_01"): "亲，48小时内发货，有问题打我电话13812345678",
        (1, "kf_02"): "",
        (2, "kf_01"): "支持7天无理由",
    }))
    result = import_answers(workspace, [path])
    assert (result.added, result.updated, result.unchanged, result.empty) == (3, 0, 0, 1)
    assert result.quizzes == [WEEK]
    texts = stored(workspace)
    assert texts[(quiz.question_ids[0], "kf_01")] == "亲，48小时内发货，有问题打我电话<手机号>"
    assert texts[(quiz.question_ids[0], "kf_02")] == ""
    again = import_answers(workspace, [path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    with workspace.engine.connect() as conn:
        imports = conn.execute(sa.select(sa.func.count()).select_from(schema.imports)
                               .where(schema.imports.c.kind == "answers")).scalar()
    assert imports == 1  # the second run wrote nothing at all


def test_answer_codes_are_opaque_stable_and_unique(workspace, quiz, tmp_path: Path) -> None:
    rows = template_rows(quiz, {(p, a): "亲，好的" for p in (1, 2, 3) for a in quiz.agents})
    import_answers(workspace, [answer_csv(tmp_path / "a.csv", rows)])
    with workspace.engine.connect() as conn:
        codes = conn.execute(sa.select(schema.answers.c.code)).scalars().all()
    assert len(set(codes)) == len(codes) == 12
    assert all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)


def test_xlsx_with_a_sheet_per_agent_chinese_headers_and_sheet_name_as_agent(
        workspace, quiz, tmp_path: Path) -> None:
    path = tmp_path / "answers.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"题目ID": quiz.question_ids[:2], "回答": ["亲，48小时内发货", "可以退"],
                      "备注": ["", ""]}).to_excel(writer, sheet_name="kf_03", index=False)
        pd.DataFrame({"说明": ["请在回答列填写"]}).to_excel(writer, sheet_name="说明",
                                                             index=False)
    result = import_answers(workspace, [path])
    assert result.added == 2
    assert stored(workspace)[(quiz.question_ids[1], "kf_03")] == "可以退"


def test_the_quiz_stage_template_round_trips(workspace, quiz, tmp_path: Path) -> None:
    """The contract: the XLSX `scriptlab quiz new` writes is what `answers import` reads."""
    from openpyxl import load_workbook

    from scriptlab.quiz.answer_template import answer_template_xlsx
    from scriptlab.quiz.new import roster
    from scriptlab.quiz.quizzes import load_quiz
    from scriptlab.quiz.sheets import agent_sheets

    with workspace.engine.connect() as conn:
        stored_quiz = load_quiz(conn, quiz.quiz_id)
        agents = [a for a in roster(conn, None) if a.id in ("kf_01", "kf_02")]
    path = tmp_path / "template.xlsx"
    path.write_bytes(answer_template_xlsx(stored_quiz, agent_sheets(stored_quiz, agents, True)))
    book = load_workbook(path)
    for sheet in book.worksheets:
        if sheet.title.startswith("kf_"):
            for row in sheet.iter_rows(min_row=2):
                row[-1].value = f"{sheet.title} 的回答 {row[2].value}"
    book.save(path)
    result = import_answers(workspace, [path])
    assert result.added == 6
    assert stored(workspace)[(quiz.question_ids[2], "kf_02")].startswith("kf_02 的回答")


def test_every_bad_row_is_reported_with_file_row_and_fix(workspace, quiz,
                                                         tmp_path: Path) -> None:
    q1, q2 = quiz.question_ids[:2]
    rows = [
        {"quiz_week": WEEK, "question_id": q1, "agent_id": "kf_99", "answer": "好"},
        {"quiz_week": WEEK, "question_id": 999, "agent_id": "kf_01", "answer": "好"},
        {"quiz_week": "2026-W50", "question_id": q1, "agent_id": "kf_01", "answer": "好"},
        {"quiz_week": WEEK, "question_id": "", "agent_id": "kf_01", "answer": "好"},
        {"quiz_week": WEEK, "question_id": "abc", "agent_id": "kf_01", "answer": "好"},
        {"quiz_week": WEEK, "question_id": q2, "agent_id": "", "answer": "好"},
    ]
    path = answer_csv(tmp_path / "bad.csv", rows, ["quiz_week", "question_id", "agent_id",
                                                   "answer"])
    assert problems(workspace, [path]) == [
        "bad.csv, row 2: unknown agent_id 'kf_99'; add the agent with scriptlab agents "
        "import, or fix the agent_id cell.",
        "bad.csv, row 3: unknown question_id 999; use the answer template made by scriptlab "
        "quiz new without editing its question_id column.",
        "bad.csv, row 4: quiz 2026-W50 does not exist (quizzes: 2026-W48); fix the quiz_week "
        "cell or create the quiz with: scriptlab quiz new --week 2026-W50",
        "bad.csv, row 5: no question_id; keep the question_id column of the answer template "
        "as it was.",
        "bad.csv, row 6: question_id 'abc' is not a number; keep the question_id column of "
        "the answer template as it was.",
        "bad.csv, row 7: no agent_id; fill in the agent_id column (or name the sheet after "
        "the agent id).",
    ]
    assert stored(workspace) == {}


def test_question_of_another_quiz(workspace, quiz, tmp_path: Path) -> None:
    other = build_quiz(workspace, week="2026-W47", agents=[("kf_01", "小美")])
    path = answer_csv(tmp_path / "a.csv", [
        {"quiz_week": WEEK, "question_id": other.question_ids[0], "agent_id": "kf_01",
         "answer": "好"}], ["quiz_week", "question_id", "agent_id", "answer"])
    assert problems(workspace, [path]) == [
        f"a.csv, row 2: question_id {other.question_ids[0]} belongs to quiz 2026-W47, not "
        "2026-W48; fix the quiz_week cell."]


def test_duplicates_within_and_between_files(workspace, quiz, tmp_path: Path) -> None:
    first = answer_csv(tmp_path / "first.csv", template_rows(quiz, {(1, "kf_01"): "亲，48小时"}))
    rows = template_rows(quiz, {(1, "kf_01"): "两天内发"})
    second = answer_csv(tmp_path / "second.csv", rows + rows[:1])
    q1 = quiz.question_ids[0]
    assert problems(workspace, [first, second]) == [
        f"second.csv, row {row}: agent kf_01 answered question {q1} differently at first.csv, "
        f"row 2: '亲，48小时' → '两天内发'; keep one of the two, or confirm the later one with "
        f"--replace kf_01:{q1}." for row in (2, 3)
    ]
    # The same answer twice is not a conflict.
    same = answer_csv(tmp_path / "same.csv", rows + rows)
    assert import_answers(workspace, [same]).added == 1
    # Confirming that one answer: the later file wins.
    result = import_answers(workspace, [first, second], replace={f"kf_01:{q1}"})
    assert (result.added, result.updated, result.unchanged) == (0, 0, 1)
    assert stored(workspace)[(q1, "kf_01")] == "两天内发"


def test_changed_answer_is_shown_and_needs_its_own_confirmation(workspace, quiz,
                                                                tmp_path: Path) -> None:
    q1, q2 = quiz.question_ids[:2]
    old = answer_csv(tmp_path / "old.csv", template_rows(quiz, {
        (1, "kf_01"): "亲，48小时", (2, "kf_01"): "支持7天无理由"}))
    new = answer_csv(tmp_path / "new.csv", template_rows(quiz, {
        (1, "kf_01"): "亲，两天", (2, "kf_01"): "支持七天无理由退货"}))
    import_answers(workspace, [old])
    with workspace.engine.connect() as conn:
        answer_id = conn.execute(sa.select(schema.answers.c.id)
                                 .where(schema.answers.c.question_id == q1)).scalar_one()
    add_ratings(workspace, [(answer_id, "zhang", "准确完整", 4)])
    assert problems(workspace, [new]) == [
        f"new.csv, row {row}: agent kf_01 changed the answer to question {q} (quiz "
        f"2026-W48): {was} → {now}; confirm with --replace kf_01:{q} (or --replace all)."
        for row, q, was, now in ((2, q1, "'亲，48小时'", "'亲，两天'"),
                                 (3, q2, "'支持7天无理由'", "'支持七天无理由退货'"))]
    # Confirming one answer is not enough: the other change still stops the import.
    assert len(problems(workspace, [new], replace={f"kf_01:{q1}"})) == 1
    result = import_answers(workspace, [new], replace={f"kf_01:{q1}", f"kf_01:{q2}"})
    assert (result.updated, result.ratings_dropped) == (2, 1)
    assert [(u.question_id, u.old, u.new) for u in result.updates] == [
        (q1, "亲，48小时", "亲，两天"), (q2, "支持7天无理由", "支持七天无理由退货")]
    assert stored(workspace)[(q1, "kf_01")] == "亲，两天"


def test_per_agent_copies_of_one_workbook_lose_nothing(workspace, quiz, tmp_path: Path) -> None:
    """The issue's case: each agent fills only their own sheet of a copy of the workbook;
    the copies come back together, then one by one, then again with --replace all."""
    from openpyxl import load_workbook

    from scriptlab.quiz.answer_template import answer_template_xlsx
    from scriptlab.quiz.new import roster
    from scriptlab.quiz.quizzes import load_quiz
    from scriptlab.quiz.sheets import agent_sheets

    with workspace.engine.connect() as conn:
        stored_quiz = load_quiz(conn, quiz.quiz_id)
        agents = roster(conn, None)
    blank = answer_template_xlsx(stored_quiz, agent_sheets(stored_quiz, agents, False))
    expected: dict[tuple[int, str], str] = {}
    copies = []
    for agent in quiz.agents:
        path = tmp_path / f"copy-{agent}.xlsx"
        path.write_bytes(blank)
        book = load_workbook(path)
        for row in book[agent].iter_rows(min_row=2):
            if agent == "kf_04" and row[2].value == 3:
                continue  # kf_04 left the last question blank
            row[-1].value = f"{agent} 的回答 {row[2].value}"
            expected[(row[1].value, agent)] = row[-1].value
        book.save(path)
        copies.append(path)
    all_at_once = import_answers(workspace, copies)
    assert all_at_once.added == 12 and all_at_once.empty == 1
    assert {k: v for k, v in stored(workspace).items() if v} == expected
    assert [(a.agent_id, a.added) for a in all_at_once.agents] == [
        ("kf_01", 3), ("kf_02", 3), ("kf_03", 3), ("kf_04", 2)]
    # One by one, and with every change confirmed: blanks still overwrite nothing.
    one_by_one = [import_answers(workspace, [path]) for path in copies]
    # kf_01's copy alone: the 8 blank rows of others' filled answers left them alone.
    assert one_by_one[0].blank_kept == 8 and one_by_one[0].updated == 0
    again = import_answers(workspace, list(reversed(copies)), replace=True)
    assert (again.added, again.updated) == (0, 0)
    assert {k: v for k, v in stored(workspace).items() if v} == expected


def test_per_agent_template_files_import_one_by_one(workspace, quiz, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from scriptlab.quiz.new import roster
    from scriptlab.quiz.output import render_quiz, write_quiz_files
    from scriptlab.quiz.quizzes import load_quiz

    with workspace.engine.connect() as conn:
        stored_quiz = load_quiz(conn, quiz.quiz_id)
        agents = roster(conn, None)
    files = write_quiz_files(tmp_path / "out", render_quiz(
        stored_quiz, agents, shuffle=True, answer_lines=2, templates_dir=None,
        per_agent_files=True))
    assert [p.name for p in files.per_agent] == [
        f"answers-{WEEK}-{a}.xlsx" for a in ("kf_01", "kf_02", "kf_03", "kf_04")]
    for path in files.per_agent:
        book = load_workbook(path)
        assert [s.title for s in book.worksheets] == [path.stem.rsplit("-", 1)[-1], "_meta"]
        for row in book.worksheets[0].iter_rows(min_row=2):
            row[-1].value = f"答 {row[1].value}"
        book.save(path)
    first = import_answers(workspace, files.per_agent[:1])
    assert [(a.agent_id, a.added) for a in first.agents] == [("kf_01", 3)]
    rest = import_answers(workspace, [files.xlsx, *files.per_agent[1:]])
    assert rest.added == 9 and rest.empty == 0
    assert len([v for v in stored(workspace).values() if v]) == 12


def test_a_blank_stored_first_is_filled_later_without_replace(workspace, quiz,
                                                               tmp_path: Path) -> None:
    q1 = quiz.question_ids[0]
    blank = answer_csv(tmp_path / "blank.csv", template_rows(quiz, {(1, "kf_02"): ""}))
    filled = answer_csv(tmp_path / "filled.csv", template_rows(quiz, {(1, "kf_02"): "亲，在的"}))
    assert import_answers(workspace, [blank]).empty == 1
    result = import_answers(workspace, [filled])
    assert (result.added, result.updated) == (1, 0)
    assert stored(workspace)[(q1, "kf_02")] == "亲，在的"
    assert import_answers(workspace, [blank]).blank_kept == 1
    assert stored(workspace)[(q1, "kf_02")] == "亲，在的"


def test_a_wrong_file_is_one_line_with_a_count(workspace, quiz, tmp_path: Path) -> None:
    rows = [{"quiz_week": "", "question_id": 500 + n, "agent_id": "kf_01", "answer": "好"}
            for n in range(120)]
    path = answer_csv(tmp_path / "other.csv", rows, ["quiz_week", "question_id", "agent_id",
                                                     "answer"])
    lines = problems(workspace, [path])
    assert lines == [
        "other.csv: 120 question_ids that no quiz of this workspace has; is this the answer "
        "file of another workspace (pass it with -w) or an edited copy? Import the template "
        "scriptlab quiz new wrote for this workspace. (first at row 2, last at row 121)"]


def test_parse_replace() -> None:
    from scriptlab.errors import UsageError
    from scriptlab.scoring.answer_import import parse_replace

    assert parse_replace([]) == set()
    assert parse_replace(["kf_01:3,kf_02:4", "kf_03:5"]) == {"kf_01:3", "kf_02:4", "kf_03:5"}
    assert parse_replace(["all"]) is True
    with pytest.raises(UsageError, match="got kf_01"):
        parse_replace(["kf_01"])


def test_unreadable_files(workspace, quiz, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    (tmp_path / "answers.pdf").write_bytes(b"%PDF")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    cases = {
        tmp_path / "missing.csv": f"{tmp_path / 'missing.csv'}: file not found. Check the path.",
        tmp_path / "answers.pdf": "answers.pdf: an answer file must be .xlsx or .csv, not '.pdf'.",
        tmp_path / "notes.txt": "notes.txt: no sheet has a header row with the columns "
                                "question_id, answer; is this an answer file? Keep the header "
                                "row of the template as it was.",
        tmp_path / "broken.xlsx": "broken.xlsx: cannot open as an Excel workbook "
                                  "(BadZipFile). Re-save it as .xlsx and try again.",
    }
    for path, message in cases.items():
        with pytest.raises(ScriptlabError) as err:
            import_answers(workspace, [path])
        assert str(err.value) == message


def test_cli_import_reports_and_exit_codes(workspace, quiz, tmp_path: Path) -> None:
    good = answer_csv(tmp_path / "a.csv", template_rows(quiz, {(1, "kf_01"): "亲，48小时内"}))
    args = ["answers", "import", str(good), "-w", str(workspace.root)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "a.csv: 1 rows (1 new, 0 replaced, 0 unchanged)" in result.output
    again = runner.invoke(app, args)
    assert "Nothing changed: every answer was already imported (2026-W48)." in again.output
    bad = answer_csv(tmp_path / "b.csv", template_rows(quiz, {(1, "kf_77"): "好"}))
    failed = runner.invoke(app, ["answers", "import", str(bad), "-w", str(workspace.root)])
    assert failed.exit_code == 1
    assert "Error: Nothing imported: 1 problem in the answer files:" in failed.output
    assert "Traceback" not in failed.output


def test_cli_shows_the_change_and_takes_a_per_answer_replace(workspace, quiz,
                                                             tmp_path: Path) -> None:
    q1 = quiz.question_ids[0]
    old = answer_csv(tmp_path / "old.csv", template_rows(quiz, {(1, "kf_01"): "亲，48小时"}))
    new = answer_csv(tmp_path / "new.csv", template_rows(quiz, {(1, "kf_01"): "亲，两天"}))
    base = ["answers", "import", "-w", str(workspace.root)]
    assert runner.invoke(app, [*base, str(old)]).exit_code == 0
    refused = runner.invoke(app, [*base, str(new)])
    assert refused.exit_code == 1
    assert "'亲，48小时' → '亲，两天'; confirm with --replace kf_01:" in refused.output
    done = runner.invoke(app, [*base, str(new), "--replace", f"kf_01:{q1}"])
    assert done.exit_code == 0, done.output
    assert f"updated kf_01:{q1}: '亲，48小时' → '亲，两天'" in done.output
    bad = runner.invoke(app, [*base, str(new), "--replace", "kf_01"])
    assert bad.exit_code == 2
    assert "--replace takes agent:question pairs" in bad.output
