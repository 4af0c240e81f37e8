"""Make this week's quiz: check the inputs, select questions, store them, render the files.

The quiz rows are written in one transaction that also renders every file in memory;
only when both succeed is anything committed and written to disk.
"""

from __future__ import annotations

import dataclasses
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.library.queries import approved_scripts
from scriptlab.quiz.output import QuizFiles, default_out_dir, render_quiz, write_quiz_files
from scriptlab.quiz.questions import context_phrasings, reference_answer
from scriptlab.quiz.quizzes import Quiz, delete_quiz, find_quiz_id, get_quiz, load_quiz, quiz_label
from scriptlab.quiz.select import Selection, check_policy, select_questions
from scriptlab.quiz.sheets import Agent
from scriptlab.quiz.source import MINE_HINT, load_groups, load_history, resolve_run
from scriptlab.quiz.weeks import current_week, parse_week
from scriptlab.store import schema
from scriptlab.store.topic_rules import banned_topics
from scriptlab.store.workspace import Workspace

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class NewQuiz:
    """A created quiz, why each question is in it, and where its files are."""

    quiz: Quiz
    picks: pd.DataFrame  # position, group_id, topic_id, kind, reason
    skipped: pd.DataFrame  # group_id, topic_id, representative, count, reason
    agents: int
    files: QuizFiles
    replaced: bool
    notes: tuple[str, ...] = ()


def default_seed(week: str, team: str | None) -> int:
    """A seed fixed by week and team, so leaving out --seed is reproducible too."""
    return zlib.crc32(f"{week}|{team or ''}".encode()) % 100_000


def roster(conn: Connection, team: str | None) -> list[Agent]:
    """The active agents a quiz is for (a team's, or everyone's), by id.

    Raises
    ------
    ScriptlabError
        Nobody to quiz: no agents imported, or none in that team.
    """
    a = schema.agents
    query = sa.select(a.c.id, a.c.name, a.c.team).where(a.c.active.is_(True)).order_by(a.c.id)
    if team is not None:
        query = query.where(a.c.team == team)
    agents = [Agent(id=r.id, name=r.name, team=r.team) for r in conn.execute(query)]
    if agents:
        return agents
    if team is None:
        raise ScriptlabError(
            "No agents in this workspace; import agents with `scriptlab agents import FILE` "
            "(columns: agent id, name, team)."
        )
    teams = conn.execute(
        sa.select(a.c.team).where(a.c.team.is_not(None), a.c.active.is_(True)).distinct()
        .order_by(a.c.team)
    ).scalars().all()
    known = f"teams in the roster: {', '.join(teams)}" if teams else "no agent has a team"
    raise ScriptlabError(
        f"No agents in team '{team}' ({known}). Check --team, or import the team's agents "
        "with `scriptlab agents import FILE`."
    )


def new_quiz(
    ws: Workspace,
    *,
    week: str | None = None,
    size: int | None = None,
    team: str | None = None,
    run_id: int | None = None,
    seed: int | None = None,
    shuffle: bool | None = None,
    out_dir: Path | None = None,
    replace: bool = False,
    now: datetime | None = None,
    per_agent_files: bool = False,
) -> NewQuiz:
    """Select, store and render a week's quiz.

    Parameters
    ----------
    ws
        The workspace (mining runs, agents, past quizzes and the library are read from it).
    week
        ISO week `YYYY-Www`; default the current week.
    size
        Number of questions; default `[quiz] size`.
    team
        Quiz only this team's agents (and keep its history apart); default everyone.
    run_id
        The mining run to take questions from; default the latest.
    seed
        Breaks frequency ties and shuffles; default derived from week and team.
    shuffle
        Per-agent question order; default `[quiz] shuffle`.
    out_dir
        Output folder; default `reports/quiz-<week>/`.
    replace
        Replace an existing quiz of the same week and team (only while it has no answers).
    now
        Creation time (tests pass a fixed one).
    per_agent_files
        Also write one answer workbook per agent (`answers-<week>-<agent>.xlsx`).

    Returns
    -------
    NewQuiz
    """
    cfg = ws.settings.quiz
    week = parse_week(week) if week is not None else current_week()
    policy = cfg if size is None else dataclasses.replace(cfg, size=size)
    check_policy(policy)
    shuffle = cfg.shuffle if shuffle is None else shuffle
    seed = default_seed(week, team) if seed is None else seed
    label = quiz_label(week, team)
    now = now or datetime.now()
    with ws.write() as conn:
        run = resolve_run(conn, run_id)
        agents = roster(conn, team)
        existing = find_quiz_id(conn, week, team)
        if existing is not None and not replace:
            raise ScriptlabError(
                f"A quiz for {label} already exists; use --replace to create it again "
                f"(or see it with: scriptlab quiz show {week}"
                + (f" --team {team})." if team else ").")
            )
        groups = load_groups(conn, run)
        if groups.empty:
            raise ScriptlabError(
                f"Mining run {run} found no question groups; import more chat logs and "
                f"{MINE_HINT.replace('first', 'again')}."
            )
        history = load_history(conn, team=team, exclude_quiz_id=existing)
        approved = approved_scripts(conn)
        selection = select_questions(groups, history, approved["topic_id"], week=week,
                                     policy=policy, seed=seed,
                                     banned_topics=banned_topics(conn))
        if selection.picks.empty:
            raise ScriptlabError(_nothing_eligible(selection, run))
        if existing is not None:
            delete_quiz(conn, existing, label)
        quiz_id = _store(conn, week=week, team=team, run=run, seed=seed, now=now,
                         settings={"policy": asdict(policy), "shuffle": shuffle,
                                   "phrasings": cfg.phrasings,
                                   "reference_min_chars": cfg.reference_min_chars,
                                   "skipped": _skip_records(selection)},
                         selection=selection, groups=groups, approved=approved,
                         phrasings=cfg.phrasings, min_chars=cfg.reference_min_chars)
        quiz = load_quiz(conn, quiz_id)
        contents = render_quiz(quiz, agents, shuffle=shuffle, answer_lines=cfg.answer_lines,
                               templates_dir=ws.templates_dir, per_agent_files=per_agent_files)
    files = write_quiz_files(out_dir or default_out_dir(ws, week, team), contents)
    notes: list[str] = []
    if len(selection.picks) < policy.size:
        notes.append(
            f"only {len(selection.picks)} of {policy.size} questions were eligible "
            f"(mining run {run} has {len(groups)} groups; {len(selection.skipped)} skipped)"
        )
    return NewQuiz(quiz=quiz, picks=selection.picks, skipped=selection.skipped,
                   agents=len(agents), files=files, replaced=existing is not None,
                   notes=tuple(notes))


def _skip_records(selection: Selection) -> list[dict]:
    """The policy's skips as JSON-ready records, kept with the quiz for `quiz show`."""
    return [
        {"group_id": int(r.group_id), "representative": str(r.representative),
         "count": int(r.count), "rule": r.rule, "reason": r.reason}
        for r in selection.skipped.itertuples(index=False)
    ]


def _nothing_eligible(selection: Selection, run: int) -> str:
    words = {"banned": "banned topics", "no_topic": "not linked to a topic",
             "same_topic": "duplicate topics",
             "min_count": "below min_count", "approved": "with an approved script",
             "recent": "quizzed recently", "max_refreshers": "over max_refreshers"}
    counts = selection.skipped["rule"].value_counts()
    summary = ", ".join(f"{n} {words.get(rule, rule)}" for rule, n in counts.items())
    return (
        f"No question of mining run {run} can be quizzed ({summary}). Relax the [quiz] "
        "settings in scriptlab.toml (min_count, skip_recent_weeks, refresh_approved) or mine "
        "newer chat logs."
    )


def _store(
    conn: Connection, *, week: str, team: str | None, run: int, seed: int, now: datetime,
    settings: dict, selection: Selection, groups: pd.DataFrame, approved: pd.DataFrame,
    phrasings: int, min_chars: int,
) -> int:
    quiz_id = conn.execute(
        sa.insert(schema.quizzes).values(week=week, team=team, run_id=run, seed=seed,
                                         settings=settings, created_at=now)
    ).inserted_primary_key[0]
    by_group = groups.set_index("group_id")
    scripts = dict(zip(approved["topic_id"], approved["script"], strict=True))
    rows = []
    for pick in selection.picks.itertuples(index=False):
        group = by_group.loc[pick.group_id]
        rows.append({
            "quiz_id": quiz_id, "position": int(pick.position), "topic_id": int(pick.topic_id),
            "group_id": int(pick.group_id), "question": group["representative"],
            "phrasings": context_phrasings(group["representative"], group["variants"],
                                           phrasings),
            "reference": reference_answer(group["replies"], scripts.get(int(pick.topic_id)),
                                         min_chars=min_chars),
            "reason": pick.reason,
        })
    conn.execute(sa.insert(schema.quiz_questions), rows)
    return quiz_id


def render_stored_quiz(
    ws: Workspace, week: str, *, team: str | None = None, shuffle: bool | None = None,
    out_dir: Path | None = None, per_agent_files: bool = False,
) -> tuple[Quiz, QuizFiles]:
    """Render an existing quiz's files again (after a template change or a roster import)."""
    quiz = get_quiz(ws, parse_week(week), team)
    with ws.engine.connect() as conn:
        agents = roster(conn, quiz.team)
    contents = render_quiz(
        quiz, agents, shuffle=quiz.shuffle if shuffle is None else shuffle,
        answer_lines=ws.settings.quiz.answer_lines, templates_dir=ws.templates_dir,
        per_agent_files=per_agent_files,
    )
    return quiz, write_quiz_files(out_dir or default_out_dir(ws, quiz.week, quiz.team), contents)
