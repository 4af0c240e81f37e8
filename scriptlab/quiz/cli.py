"""`scriptlab agents ...` and `scriptlab quiz ...`: the roster and the weekly quiz sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

agents_app = App(help="The agents who take the quiz: import a roster (CSV/XLSX), list it.")
quiz_app = App(help="Weekly quiz sheets from the mined questions: create, list, show, render.")

TeamOption = Annotated[str | None, typer.Option("--team", "-t", help="Only this team.")]
WeekArg = Annotated[str, typer.Argument(metavar="WEEK", help="ISO week, e.g. 2026-W48.",
                                        show_default=False)]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Output folder (default: reports/quiz-<week>/).",
                 show_default=False),
]
ShuffleOption = Annotated[
    bool | None,
    typer.Option("--shuffle/--no-shuffle",
                 help="Give each agent their own question order "
                 "(default: shuffle in scriptlab.toml).",
                 show_default=False),
]
PerAgentOption = Annotated[bool, typer.Option(
    "--per-agent", help="Also write one answer workbook per agent "
    "(answers-<week>-<agent>.xlsx) to hand out; import any mix of them back.")]


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(agents_app, name="agents")
    app.add_typer(quiz_app, name="quiz")


@agents_app.command("import")
def agents_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Roster CSV/XLSX: 工号/agent_id, "
                                         "姓名/name, 组/team, 邮箱/email.", show_default=False)],
    deactivate_missing: Annotated[bool, typer.Option(
        "--deactivate-missing", help="Mark agents not in the file inactive (left the team).",
    )] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Add or update agents from a roster file (all rows or none).

    Example: scriptlab agents import data/sample_agents.csv
    """
    from scriptlab.quiz.agents import import_agents
    from scriptlab.store.workspace import open_workspace

    result = import_agents(open_workspace(workspace), file,
                           deactivate_missing=deactivate_missing)
    console.done(
        f"Imported {result.rows} agents from {result.source}: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.deactivated} marked inactive." if deactivate_missing else ".")
    )


@agents_app.command("stats")
def agents_stats(
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (whole day).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Service metrics per agent from the imported chat logs: response times, reply length,
    typing speed, sessions; bands from [service] in scriptlab.toml.

    Example: scriptlab agents stats --since 2026-11-01
    """
    from scriptlab.mine.workflow import parse_day
    from scriptlab.service.cli import SERVICE_COLUMNS, service_row
    from scriptlab.service.metrics import workspace_service
    from scriptlab.store.workspace import open_workspace

    found = workspace_service(open_workspace(workspace), parse_day(since, "--since"),
                              parse_day(until, "--until", end_of_day=True))
    if not found:
        console.info("No agent messages imported (in that range); import chat logs with: "
                     "scriptlab logs import chats.csv")
        return
    console.table([service_row(a.as_dict()) for a in found], SERVICE_COLUMNS,
                  title=f"Service by agent ({len(found)} agents)")
    console.info("first response: median s to a chat's first reply; avg response: mean s to "
                 "each reply; chars/min: estimated typing speed (— where the logs do not "
                 "allow it).")


@agents_app.command("list")
def agents_list(team: TeamOption = None, workspace: WorkspaceOption = None) -> None:
    """Show the agents, by team.

    Example: scriptlab agents list --team 售前组
    """
    from scriptlab.quiz.agents import list_agents
    from scriptlab.store.workspace import open_workspace

    frame = list_agents(open_workspace(workspace), team=team)
    if frame.empty:
        where = f" in team '{team}'" if team else ""
        console.info(f"No agents{where}; import them with `scriptlab agents import FILE`.")
        return
    frame["active"] = frame["active"].map({True: "yes", False: "no"})
    console.table(frame.to_dict("records"), ["agent_id", "name", "team", "email", "active"],
                  title=f"{len(frame)} agents")


@quiz_app.command("new")
def quiz_new(
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W48 (default: this "
                                             "week).", show_default=False)] = None,
    size: Annotated[int | None, typer.Option(help="Questions (default: size in "
                                             "scriptlab.toml).", min=1,
                                             show_default=False)] = None,
    team: TeamOption = None,
    from_run: Annotated[int | None, typer.Option("--from-run", help="Mining run id (default: "
                                                 "the latest).", show_default=False)] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed for ties and shuffling "
                                             "(default: from week and team).",
                                             show_default=False)] = None,
    shuffle: ShuffleOption = None,
    out: OutOption = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace this week's quiz (only "
                                          "while it has no answers).")] = False,
    per_agent: PerAgentOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Pick this week's questions, store the quiz and write the sheets and answer templates.

    Example: scriptlab quiz new --week 2026-W48 --size 15 --team 售前组
    """
    from scriptlab.quiz.new import new_quiz
    from scriptlab.store.workspace import open_workspace

    result = new_quiz(
        open_workspace(workspace), week=week, size=size, team=team, run_id=from_run, seed=seed,
        shuffle=shuffle, out_dir=out, replace=replace, per_agent_files=per_agent,
    )
    quiz = result.quiz
    console.table(
        [{"no": q.position, "question": q.question, "why": q.reason} for q in quiz.questions],
        ["no", "question", "why"], title=f"Quiz {quiz.label}",
    )
    if not result.skipped.empty:
        counts = result.skipped["rule"].value_counts()
        console.info("Skipped: " + ", ".join(f"{n} {rule}" for rule, n in counts.items())
                     + f" (see them with: scriptlab quiz show {quiz.week} --skipped)")
    for note in result.notes:
        console.warn(note)
    verb = "Replaced" if result.replaced else "Created"
    console.done(
        f"{verb} quiz {quiz.label}: {len(quiz.questions)} questions for {result.agents} agents "
        f"from mining run {quiz.run_id} (seed {quiz.seed}"
        + (", shuffled per agent)." if quiz.shuffle else ").")
    )
    for label, path in result.files.labelled():
        console.info(f"  {label}: {path}")


@quiz_app.command("list")
def quiz_list(workspace: WorkspaceOption = None) -> None:
    """Show every quiz, newest week first.

    Example: scriptlab quiz list
    """
    from scriptlab.quiz.quizzes import list_quizzes
    from scriptlab.store.workspace import open_workspace

    frame = list_quizzes(open_workspace(workspace))
    if frame.empty:
        console.info("No quizzes yet; create one with `scriptlab quiz new`.")
        return
    frame["team"] = frame["team"].fillna("(all)")
    frame["created_at"] = frame["created_at"].map(lambda t: t.strftime("%Y-%m-%d %H:%M"))
    console.table(frame.to_dict("records"),
                  ["week", "team", "questions", "answers", "run_id", "seed", "created_at"],
                  title=f"{len(frame)} quizzes")


@quiz_app.command("show")
def quiz_show(
    week: WeekArg,
    team: TeamOption = None,
    reference: Annotated[bool, typer.Option("--reference", help="Also show each question's "
                                            "reference answer (trainers only).")] = False,
    skipped: Annotated[bool, typer.Option("--skipped", help="Also show the groups the policy "
                                          "would skip now, and why.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show a quiz's questions and why each was picked.

    Example: scriptlab quiz show 2026-W48 --reference
    """
    from scriptlab.quiz.quizzes import get_quiz
    from scriptlab.quiz.weeks import parse_week
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    quiz = get_quiz(ws, parse_week(week), team)
    columns = ["no", "topic", "question", "why"] + (["reference"] if reference else [])
    rows = [{"no": q.position, "topic": q.topic_id, "question": q.question, "why": q.reason,
             "reference": q.reference or "(none: no approved script or usable reply)"}
            for q in quiz.questions]
    console.table(rows, columns, title=f"Quiz {quiz.label} · mining run {quiz.run_id} · "
                  f"seed {quiz.seed}" + (" · shuffled" if quiz.shuffle else ""))
    if skipped:
        skips = quiz.settings.get("skipped", [])
        if not skips:
            console.info("No group was skipped by the selection policy.")
        else:
            console.table(skips, ["group_id", "representative", "count", "reason"],
                          title="Skipped when the quiz was made")


@quiz_app.command("edit")
def quiz_edit(
    week: WeekArg,
    drop: Annotated[list[int] | None, typer.Option(
        "--drop", metavar="N", help="Drop question N (as numbered on the sheet); repeatable.")
    ] = None,
    add: Annotated[list[int] | None, typer.Option(
        "--add", metavar="TOPIC", help="Add the question of topic TOPIC; repeatable.")] = None,
    replace: Annotated[list[str] | None, typer.Option(
        "--replace", metavar="N:TOPIC", help="Put topic TOPIC in place of question N "
        "(N:TOPIC); repeatable.")] = None,
    team: TeamOption = None,
    out: OutOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change a quiz before answers are collected: drop, add or replace questions.

    Example: scriptlab quiz edit 2026-W48 --drop 3 --add 17 --replace 5:22
    """
    from scriptlab.errors import UsageError
    from scriptlab.quiz.edit import edit_quiz
    from scriptlab.store.workspace import open_workspace

    pairs = []
    for spec in replace or []:
        n, sep, topic = spec.replace(" ", ":").partition(":")
        if not sep or not n.isdigit() or not topic.isdigit():
            raise UsageError(f"--replace {spec!r}: give the question number and the topic, "
                             "e.g. --replace 5:22")
        pairs.append((int(n), int(topic)))
    result = edit_quiz(open_workspace(workspace), week, team=team, drop=drop or [],
                       add=add or [], replace=pairs, out_dir=out)
    for change in result.changes:
        console.info(f"  {change}")
    console.table(
        [{"no": q.position, "topic": q.topic_id, "question": q.question}
         for q in result.quiz.questions], ["no", "topic", "question"],
        title=f"Quiz {result.quiz.label}")
    console.done(f"Edited quiz {result.quiz.label}: {len(result.quiz.questions)} questions; "
                 "sheets and answer templates written again.")
    for label, path in result.files.labelled():
        console.info(f"  {label}: {path}")


@quiz_app.command("render")
def quiz_render(
    week: WeekArg,
    team: TeamOption = None,
    shuffle: ShuffleOption = None,
    out: OutOption = None,
    per_agent: PerAgentOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Write a stored quiz's sheets again (after changing a template or the roster).

    Example: scriptlab quiz render 2026-W48
    """
    from scriptlab.quiz.new import render_stored_quiz
    from scriptlab.store.workspace import open_workspace

    quiz, files = render_stored_quiz(open_workspace(workspace), week, team=team,
                                     shuffle=shuffle, out_dir=out,
                                     per_agent_files=per_agent)
    console.done(f"Rendered quiz {quiz.label} ({len(quiz.questions)} questions).")
    for label, path in files.labelled():
        console.info(f"  {label}: {path}")


@quiz_app.command("close")
def quiz_close(week: WeekArg, team: TeamOption = None,
               by: Annotated[str, typer.Option(help="Who closes it (for the record).")] = "cli",
               workspace: WorkspaceOption = None) -> None:
    """Close a quiz: the browser takes no more answers (imports still work).

    Example: scriptlab quiz close 2026-W48
    """
    from scriptlab.quiz.closing import close_quiz
    from scriptlab.quiz.quizzes import get_quiz
    from scriptlab.quiz.weeks import parse_week
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    quiz = get_quiz(ws, parse_week(week), team)
    if close_quiz(ws, quiz.id, by):
        console.done(f"Closed quiz {quiz.label}: answers in the browser can no longer change.")
    else:
        console.info(f"Quiz {quiz.label} was already closed.")


@quiz_app.command("reopen")
def quiz_reopen(week: WeekArg, team: TeamOption = None,
                workspace: WorkspaceOption = None) -> None:
    """Reopen a closed quiz for answers in the browser.

    Example: scriptlab quiz reopen 2026-W48
    """
    from scriptlab.quiz.closing import reopen_quiz
    from scriptlab.quiz.quizzes import get_quiz
    from scriptlab.quiz.weeks import parse_week
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    quiz = get_quiz(ws, parse_week(week), team)
    if reopen_quiz(ws, quiz.id):
        console.done(f"Reopened quiz {quiz.label}.")
    else:
        console.info(f"Quiz {quiz.label} was open.")
