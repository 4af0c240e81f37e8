"""`scriptlab quiz new/list/show/render` on workspaces built row by row (quiz_fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from quiz_fixtures import NOW, STANDARD_GROUPS, G, QuizWorkspace, standard_workspace
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.quiz.new import new_quiz
from scriptlab.quiz.quizzes import get_quiz, list_quizzes
from scriptlab.store import schema

runner = CliRunner(env={"COLUMNS": "200"})  # wide tables: no folded cells
WEEK = "2026-W48"


def questions(result) -> list[str]:
    return [q.question for q in result.quiz.questions]


def test_new_quiz_stores_questions_reasons_and_references(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    result = new_quiz(built.ws, week=WEEK, size=4, now=NOW)
    quiz = result.quiz
    assert (quiz.week, quiz.team, quiz.run_id, result.agents) == (WEEK, None, 1, 3)
    assert questions(result) == ["什么时候发货？", "有优惠券吗？", "怎么退货？", "快递到哪了？"]
    first = quiz.questions[0]
    assert first.reason == "frequent: rank 1, asked 120 times, 26.0% of questions"
    # Phrasings: the most frequent real wordings other than the representative itself.
    assert first.phrasings == ("亲，什么时候发货呀", "今天能发货吗", "几天发货")
    # Reference: the most common reply that says something ("亲，在的" is only small talk).
    assert first.reference == "亲，下单后48小时内发货哦，节假日顺延~"
    assert quiz.questions[3].reference is None  # no logged reply at all
    assert result.files.html == built.ws.reports_dir / "quiz-2026-W48" / "quiz-2026-W48.html"
    assert all(p.exists() for _label, p in result.files.labelled())
    assert not list(result.files.html.parent.glob(".*.tmp"))
    # Stored: `quiz show` sees the same.
    assert get_quiz(built.ws, WEEK) == quiz


def test_recent_quizzes_with_scores_drive_skip_and_retry(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    built.add_past_quiz("2026-W46", {"什么时候发货？": 0.91, "有优惠券吗？": 0.42})
    built.add_past_quiz("2026-W40", {"怎么退货？": 0.95})  # long ago: no effect
    result = new_quiz(built.ws, week=WEEK, size=3, now=NOW)
    assert questions(result) == ["有优惠券吗？", "怎么退货？", "快递到哪了？"]
    assert result.quiz.questions[0].reason.startswith(
        "retry: quizzed 2026-W46 with best score 0.42 < retry_below 0.60"
    )
    skip = result.skipped.set_index("representative")
    assert skip.at["什么时候发货？", "reason"] == (
        "quizzed 2026-W46 with best score 0.91 >= retry_below 0.60 (skip_recent_weeks = 4)"
    )
    assert result.quiz.settings["skipped"][0]["rule"] == "recent"


def test_best_score_is_the_max_over_answers(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    quiz_id = built.add_past_quiz("2026-W47", {"什么时候发货？": 0.3})
    with built.ws.engine.begin() as conn:  # a second, better answer to the same question
        qid, import_id = conn.execute(
            sa.select(schema.answers.c.question_id, schema.answers.c.import_id)
        ).one()
        built.insert(conn, schema.agents, id="kf_09", name="新人", active=True, updated_at=NOW)
        answer = built.insert(conn, schema.answers, quiz_id=quiz_id, question_id=qid,
                              agent_id="kf_09", text="答", import_id=import_id,
                              imported_at=NOW)
        built.insert(conn, schema.scores, quiz_id=quiz_id, answer_id=answer, total=0.8,
                     components={}, rank=1, is_winner=True, computed_at=NOW)
    result = new_quiz(built.ws, week=WEEK, size=2, now=NOW)
    assert "什么时候发货？" not in questions(result)


def test_team_history_is_its_own_plus_whole_shop_quizzes(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    built.add_past_quiz("2026-W47", {"什么时候发货？": 0.9}, team="售后组")
    built.add_past_quiz("2026-W47", {"有优惠券吗？": 0.9})  # whole shop
    presale = new_quiz(built.ws, week=WEEK, size=2, team="售前组", now=NOW)
    assert questions(presale) == ["什么时候发货？", "怎么退货？"]
    assert presale.agents == 2
    aftersale = new_quiz(built.ws, week=WEEK, size=2, team="售后组", now=NOW)
    assert questions(aftersale) == ["怎么退货？", "快递到哪了？"]
    assert aftersale.files.html.parent.name == "quiz-2026-W48-售后组"


def test_approved_library_scripts_skip_or_refresh(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    built.approve("什么时候发货？", "亲，48小时内发货哦")
    built.approve("有优惠券吗？", "旧话术", status="retired")  # retired: not approved any more
    assert questions(new_quiz(built.ws, week=WEEK, size=2, now=NOW)) == [
        "有优惠券吗？", "怎么退货？"]
    refresh = QuizWorkspace.create(tmp_path / "b", settings=(
        '[quiz]\nrefresh_approved = "include"\nmax_refreshers = 1\n'))
    refresh.add_agents()
    refresh.add_run()
    refresh.approve("可以开发票吗？", "亲，可以开电子发票的")
    result = new_quiz(refresh.ws, week=WEEK, size=3, now=NOW)
    assert questions(result) == ["什么时候发货？", "有优惠券吗？", "可以开发票吗？"]
    # The approved script is the reference answer.
    assert result.quiz.questions[2].reference == "亲，可以开电子发票的"
    assert result.quiz.questions[2].reason.startswith("refresher: ")


def test_new_and_rising_groups_of_a_later_run(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    later = STANDARD_GROUPS[:6] + (
        G("能用花呗吗？", 12),  # a topic never seen before
        G("支持七天无理由吗？", 11, prev_count=4, trend=0.75),  # 4 → 7
    )
    run = built.add_run(later)
    result = new_quiz(built.ws, week=WEEK, size=4, team="售前组", now=NOW)
    assert result.quiz.run_id == run
    assert questions(result) == ["什么时候发货？", "有优惠券吗？", "能用花呗吗？", "支持七天无理由吗？"]
    reasons = [q.reason for q in result.quiz.questions]
    assert reasons[2].startswith("new: first seen in this mining run; rank 7")
    assert reasons[3].startswith(
        "rising: +75% in the second half of the mined period (4 → 7)")
    # Next week, from the same run, the rise is old news: back to the recent-weeks rule.
    built.add_past_quiz("2026-W48", {"能用花呗吗？": 0.9, "支持七天无理由吗？": 0.3}, run_id=run)
    following = new_quiz(built.ws, week="2026-W49", size=4, now=NOW)
    assert "能用花呗吗？" not in questions(following)
    assert "支持七天无理由吗？" in questions(following)  # answered badly: rising + retry
    # --from-run picks an older run: there nothing is new.
    old = new_quiz(built.ws, week="2026-W52", size=4, run_id=1, now=NOW)
    assert all(q.reason.startswith("frequent") for q in old.quiz.questions)


def test_same_seed_same_quiz_and_shuffled_orders(tmp_path: Path) -> None:
    tied = tuple(G(f"问题{i}", 20, prev_count=20) for i in range(12))
    built = QuizWorkspace.create(tmp_path)
    built.add_agents()
    built.add_run(tied)
    first = new_quiz(built.ws, week=WEEK, size=5, seed=3, now=NOW)
    again = new_quiz(built.ws, week=WEEK, size=5, seed=3, replace=True, now=NOW)
    assert questions(first) == questions(again)
    assert again.replaced and len(list_quizzes(built.ws)) == 1
    seeds = {tuple(questions(new_quiz(built.ws, week=WEEK, size=5, seed=s, replace=True,
                                      now=NOW))) for s in range(4, 8)}
    assert len(seeds) > 1


def test_fewer_eligible_than_size_is_a_note(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    result = new_quiz(built.ws, week=WEEK, size=20, now=NOW)
    assert len(result.quiz.questions) == 8
    assert result.notes == (
        "only 8 of 20 questions were eligible (mining run 1 has 9 groups; 1 skipped)",
    )


# -- bad input --------------------------------------------------------------------------------

def test_bad_week(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    with pytest.raises(UsageError, match=r"Week '2026-48' is not an ISO week"):
        new_quiz(built.ws, week="2026-48")


def test_no_mining_run(tmp_path: Path) -> None:
    built = QuizWorkspace.create(tmp_path)
    built.add_agents()
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK)
    assert str(err.value) == (
        "No mining run in this workspace; run `scriptlab mine` first "
        "(after `scriptlab logs import`)."
    )


def test_empty_mining_run_and_unknown_run(tmp_path: Path) -> None:
    built = QuizWorkspace.create(tmp_path)
    built.add_agents()
    built.add_empty_run()
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK)
    assert str(err.value) == (
        "Mining run 1 found no question groups; import more chat logs and "
        "run `scriptlab mine` again."
    )
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK, run_id=7)
    assert str(err.value) == (
        "Mining run 7 does not exist; known runs: 1. Leave out --from-run to use the latest."
    )


def test_no_agents_and_unknown_team(tmp_path: Path) -> None:
    built = QuizWorkspace.create(tmp_path)
    built.add_run()
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK)
    assert str(err.value) == (
        "No agents in this workspace; import agents with `scriptlab agents import FILE` "
        "(columns: agent id, name, team)."
    )
    built.add_agents()
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK, team="夜班")
    assert str(err.value) == (
        "No agents in team '夜班' (teams in the roster: 售前组, 售后组). Check --team, or "
        "import the team's agents with `scriptlab agents import FILE`."
    )


def test_existing_quiz_needs_replace_and_answered_quiz_cannot_be_replaced(
    tmp_path: Path,
) -> None:
    built = standard_workspace(tmp_path)
    new_quiz(built.ws, week=WEEK, size=3, team="售前组", now=NOW)
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK, size=3, team="售前组")
    assert str(err.value) == (
        "A quiz for 2026-W48 (team 售前组) already exists; use --replace to create it again "
        "(or see it with: scriptlab quiz show 2026-W48 --team 售前组)."
    )
    built.add_past_quiz("2026-W47", {"什么时候发货？": 0.9})
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week="2026-W47", replace=True)
    assert str(err.value) == (
        "The quiz for 2026-W47 already has 1 imported answers, so it cannot be replaced. "
        "Create the new quiz for another week (--week) or team (--team)."
    )


def test_nothing_eligible(tmp_path: Path) -> None:
    built = QuizWorkspace.create(tmp_path, settings="[quiz]\nmin_count = 500\n")
    built.add_agents()
    built.add_run()
    with pytest.raises(ScriptlabError) as err:
        new_quiz(built.ws, week=WEEK)
    assert str(err.value) == (
        "No question of mining run 1 can be quizzed (9 below min_count). Relax the [quiz] "
        "settings in scriptlab.toml (min_count, skip_recent_weeks, refresh_approved) or mine "
        "newer chat logs."
    )
    assert list_quizzes(built.ws).empty


def test_show_unknown_week(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    with pytest.raises(ScriptlabError) as err:
        get_quiz(built.ws, WEEK)
    assert str(err.value) == (
        "No quiz for 2026-W48 (no quiz exists yet). Create it with: scriptlab quiz new "
        "--week 2026-W48"
    )
    new_quiz(built.ws, week=WEEK, team="售前组", now=NOW)
    new_quiz(built.ws, week=WEEK, team="售后组", now=NOW)
    with pytest.raises(ScriptlabError) as err:
        get_quiz(built.ws, WEEK)
    assert str(err.value) == (
        "Several teams have a quiz for 2026-W48: 售前组, 售后组. Choose one with --team."
    )


# -- CLI ----------------------------------------------------------------------------------------

def test_cli_new_list_show_render(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    ws = str(built.ws.root)
    out = tmp_path / "out"
    result = runner.invoke(app, ["quiz", "new", "--week", WEEK, "--size", "3", "--seed", "5",
                                 "--shuffle", "--out", str(out), "-w", ws])
    assert result.exit_code == 0, result.output
    assert ("Created quiz 2026-W48: 3 questions for 3 agents from mining run 1 "
            "(seed 5, shuffled per agent).") in result.output
    assert f"printable sheet: {out / 'quiz-2026-W48.html'}" in result.output
    assert f"answer template: {out / 'answers-2026-W48.xlsx'}" in result.output
    assert "frequent: rank 1" in result.output

    result = runner.invoke(app, ["quiz", "list", "-w", ws])
    assert result.exit_code == 0 and "2026-W48" in result.output and "(all)" in result.output

    result = runner.invoke(app, ["quiz", "show", "2026-w48", "--reference", "-w", ws])
    assert result.exit_code == 0, result.output
    assert "什么时候发货？" in result.output and "shuffled" in result.output
    assert "48小时内发货" in result.output

    result = runner.invoke(app, ["quiz", "show", WEEK, "--skipped", "-w", ws])
    assert result.exit_code == 0, result.output
    assert "Skipped when the quiz was made" in result.output
    assert "below min_count 3" in result.output

    result = runner.invoke(app, ["quiz", "render", WEEK, "--no-shuffle", "-w", ws])
    assert result.exit_code == 0, result.output
    assert (built.ws.reports_dir / "quiz-2026-W48" / "quiz-2026-W48.md").exists()


def test_cli_bad_input_exit_codes(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    ws = str(built.ws.root)
    result = runner.invoke(app, ["quiz", "new", "--week", "2026-W60", "-w", ws])
    assert result.exit_code == 2
    assert "Week '2026-W60' does not exist" in result.output
    result = runner.invoke(app, ["quiz", "new", "--week", WEEK, "--from-run", "9", "-w", ws])
    assert result.exit_code == 1
    assert "Mining run 9 does not exist" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["quiz", "show", "2026-W47", "-w", ws])
    assert result.exit_code == 1 and "No quiz for 2026-W47" in result.output
    result = runner.invoke(app, ["quiz", "list", "-w", ws])
    assert "No quizzes yet" in result.output
