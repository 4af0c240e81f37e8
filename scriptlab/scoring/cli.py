"""Commands of the scoring stage: `answers import`, `review sheet`, `ratings import`, `score`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

LEADERBOARD_ROWS = 20  # agents shown on the console; the report lists everyone

answers_app = App(help="Import the answer templates agents filled in.")
review_app = App(help="Blind review: sheets for reviewers to rate the answers.")
ratings_app = App(help="Import the review sheets reviewers filled in.")

FilesArg = Annotated[list[Path], typer.Argument(metavar="FILE",
                                                help="Filled files (.xlsx or .csv).",
                                                show_default=False)]
ReplaceOption = Annotated[bool, typer.Option(
    "--replace", help="Let a later file overwrite answers/ratings already given.")]
QuizOption = Annotated[str, typer.Option("--quiz", "-q", help="Quiz week, e.g. 2026-W48.",
                                         show_default=False)]
TeamOption = Annotated[str | None, typer.Option("--team", help="Team of the quiz (default: the "
                                                "shop-wide quiz).")]
OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default: "
                                                "the workspace's reports/).")]


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(answers_app, name="answers")
    app.add_typer(review_app, name="review")
    app.add_typer(ratings_app, name="ratings")
    app.command("score")(score)


AnswerReplaceOption = Annotated[list[str] | None, typer.Option(
    "--replace", metavar="AGENT:QUESTION",
    help="Confirm a changed answer (old → new is shown first): agent:question, repeatable "
         "or comma-separated; 'all' confirms every change. Blanks never overwrite answers.")]


@answers_app.command("import")
def answers_import(files: FilesArg, replace: AnswerReplaceOption = None,
                   workspace: WorkspaceOption = None) -> None:
    """Import filled answer templates: any mix of per-agent copies and workbooks merges.

    Example: scriptlab answers import reports/quiz-2026-W48/answers-2026-W48-*.xlsx
    """
    from scriptlab.scoring.answer_import import import_answers, parse_replace
    from scriptlab.store.workspace import open_workspace

    result = import_answers(open_workspace(workspace), files,
                            replace=parse_replace(replace or []))
    for f in result.files:
        console.info(f"{f.source}: {f.rows} rows ({f.added} new, {f.updated} replaced, "
                     f"{f.unchanged} unchanged)")
    if result.agents:
        console.table(
            [{"agent": a.agent_id, "new": a.added, "updated": a.updated,
              "already in": a.unchanged, "blank rows": a.blank} for a in result.agents],
            ["agent", "new", "updated", "already in", "blank rows"], title="Per agent")
    for u in result.updates:
        console.info(f"  updated {u.agent_id}:{u.question_id}: {u.old!r} → {u.new!r}")
    quizzes = ", ".join(result.quizzes) or "no quiz"
    if result.added or result.updated:
        console.done(f"Imported {result.added} new and {result.updated} replaced answers for "
                     f"{quizzes} ({result.empty} without an answer, scored 0).")
    else:
        console.done(f"Nothing changed: every answer was already imported ({quizzes}).")
    if result.blank_kept:
        console.info(f"{result.blank_kept} blank rows left the answers already stored alone.")
    if result.ratings_dropped:
        console.warn(f"{result.ratings_dropped} ratings of replaced answers were dropped; "
                     "have them reviewed again.")


@review_app.command("sheet")
def review_sheet(
    quiz: QuizOption,
    reviewers: Annotated[str, typer.Option(help="Reviewer ids, comma-separated: r1,r2,r3.",
                                           show_default=False)],
    team: TeamOption = None,
    out: OutOption = None,
    seed: Annotated[int | None, typer.Option(help="Shuffling seed (default: the quiz's).")] = None,
    per_answer: Annotated[int | None, typer.Option(
        "--per-answer", help="Reviewers per answer (default: all); splits the work evenly.")
    ] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace sheets reviewers have filled in since (import them first).")
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Write one blind-review XLSX per reviewer (anonymised, shuffled, 1-5 per dimension).

    Example: scriptlab review sheet --quiz 2026-W48 --reviewers zhang,li,wang
    """
    from scriptlab.scoring.review_sheet import parse_reviewers, write_review_sheets
    from scriptlab.store.workspace import open_workspace

    names = parse_reviewers(reviewers)
    ws = open_workspace(workspace)
    result = write_review_sheets(ws, quiz, names, team=team, out_dir=out, seed=seed,
                                 per_answer=per_answer, force=force)
    need = ws.settings.scoring.min_ratings
    if (per_answer or len(names)) < need:
        console.warn(f"Each answer gets {per_answer or len(names)} reviewer(s) but a winner "
                     f"needs {need} ([scoring] min_ratings): winners will stay unreviewed.")
    for reviewer, path in result.paths.items():
        console.info(f"{path}  ({result.per_reviewer[reviewer]} answers for {reviewer})")
    console.done(f"Review sheets for {result.quiz.label}: {result.answers} answers, "
                 f"{len(result.paths)} reviewers"
                 + (f"; {result.skipped_empty} empty answers left out (scored 0)."
                    if result.skipped_empty else "."))


@ratings_app.command("import")
def ratings_import(
    files: FilesArg,
    replace: ReplaceOption = False,
    reviewer: Annotated[str | None, typer.Option(
        help="Reviewer id for CSV files without a reviewer column.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Import filled review sheets: checked, all files or none.

    Example: scriptlab ratings import reports/review-2026-W48-*.xlsx
    """
    from scriptlab.scoring.ratings_import import import_ratings
    from scriptlab.store.workspace import open_workspace

    result = import_ratings(open_workspace(workspace), files, replace=replace,
                            reviewer=reviewer)
    who = ", ".join(result.reviewers) or "nobody"
    if result.added or result.updated:
        console.done(f"Imported {result.added} new and {result.updated} changed ratings from "
                     f"{who} ({result.answers_rated} answers rated, {result.not_rated} rows "
                     "left blank).")
    else:
        console.done(f"Nothing changed: {result.unchanged} ratings already imported "
                     f"({result.not_rated} rows left blank).")


def score(
    quiz: QuizOption,
    team: TeamOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Score every answer, pick a winner per question, rank agents; write the report.

    Example: scriptlab score --quiz 2026-W48
    """
    from scriptlab.scoring.export import write_exports
    from scriptlab.scoring.report import write_report
    from scriptlab.scoring.scorer import score_quiz
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    result = score_quiz(ws, quiz, team)
    out_dir = out if out is not None else ws.reports_dir
    report = write_report(ws, result, out_dir)
    exports = write_exports(result, out_dir)
    if not result.reviewed:
        console.warn("No reviewer ratings yet: scores use the automatic signals only and the "
                     "winners are unreviewed.")
    board = result.leaderboard
    top = board.head(LEADERBOARD_ROWS)
    console.table(
        [{"#": r.rank, "agent": f"{r.agent_name} ({r.agent_id})", "score": f"{r.score:.3f}",
          "answered": f"{r.answered}/{r.questions}", "wins": r.wins}
         for r in top.itertuples()],
        ["#", "agent", "score", "answered", "wins"], title=f"Leaderboard {result.quiz.label}",
    )
    if len(board) > len(top):
        console.info(f"+{len(board) - len(top)} more agents in the report.")
    blanks = [f"{r.agent_id} {r.questions - r.answered} of {r.questions}"
              for r in board.itertuples() if r.answered < r.questions]
    if blanks:
        console.info("Blank or missing answers score 0 (the score is the mean over all "
                     f"questions): {', '.join(blanks)}.")
    winners = int(result.scored["is_winner"].sum())
    console.done(f"Scored {len(result.scored)} answers; {winners} winners. Report: {report}")
    for path in exports:
        console.info(f"    {path}")
