"""`scriptlab answers import`: read filled answer templates (XLSX/CSV) into the workspace.

Every file is checked before anything is written: unknown agents or questions, quizzes
that do not exist, the same agent answering a question twice (within or between files, or
differently from what is already stored) are all reported at once, each with file, sheet,
row and the fix. Then all files go in one transaction. Answers are masked like chat logs;
an empty answer is kept as "no answer" (scored 0). Importing the same content again
changes nothing. With ``replace=True`` a later answer overwrites an earlier one, and the
ratings of an overwritten answer are dropped (they judged the old text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.io.spreadsheet import Table, read_workbook
from scriptlab.io.tables import file_sha256
from scriptlab.scoring.answer_codes import new_code
from scriptlab.store import schema
from scriptlab.store.imports import record_import
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_text

MAX_PROBLEMS = 15
# Field -> header variants accepted besides the template's own English names.
ANSWER_ALIASES: dict[str, tuple[str, ...]] = {
    "quiz_week": ("week", "周次", "测验周", "考试周", "答题周", "周"),
    "question_id": ("qid", "问题id", "题目id", "问题编号", "题目编号"),
    "question_no": ("no", "题号", "序号"),
    "question": ("问题", "题目"),
    "phrasings": ("顾客问法", "客户问法", "问法", "买家问法"),
    "agent_id": ("客服id", "工号", "客服工号", "客服账号", "客服编号"),
    "agent_name": ("客服姓名", "姓名", "客服名称", "客服"),
    "answer": ("回答", "答案", "你的回答", "我的回答", "回复", "话术"),
}
REQUIRED = ("question_id", "answer")


@dataclass(frozen=True)
class AnswerRow:
    """One checked answer, ready to store."""

    where: str
    source: str
    quiz_id: int
    question_id: int
    agent_id: str
    text: str  # masked; "" = no answer


@dataclass(frozen=True)
class FileOutcome:
    """What one file contributed."""

    source: str
    rows: int
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class AnswersImport:
    """What `import_answers` did, over all files."""

    files: list[FileOutcome]
    added: int
    updated: int
    unchanged: int
    empty: int  # "no answer" rows among those added or updated
    ratings_dropped: int
    quizzes: list[str]


@dataclass(frozen=True)
class _Known:
    """Workspace facts rows are checked against."""

    questions: dict[int, tuple[int, str, str | None]]  # id -> (quiz_id, week, team)
    weeks: dict[str, list[int]]  # week -> quiz ids
    agents: set[str]
    seeds: dict[int, int]  # quiz id -> seed


def import_answers(ws: Workspace, paths: Sequence[Path | str], *,
                   replace: bool = False) -> AnswersImport:
    """Check and store filled answer files, all or nothing.

    Parameters
    ----------
    paths
        XLSX (one sheet per agent) and/or CSV files in the answer-template layout.
    replace
        Let a later answer (later file, later row) overwrite an earlier or stored one.

    Raises
    ------
    ScriptlabError
        Listing every problem found, with file, sheet and row; nothing is written.
    """
    files = [Path(p) for p in paths]
    workbooks = [(p, read_workbook(p, ANSWER_ALIASES, REQUIRED, what="an answer file"))
                 for p in files]
    with ws.engine.begin() as conn:
        known = _known(conn)
        problems: list[str] = []
        rows: list[AnswerRow] = []
        for path, book in workbooks:
            sheet_agents = {r.get("sheet", ""): r.get("agent_id", "")
                            for r in book.meta_block("sheet", "agent_id")}
            for table in book.tables:
                for number, cells in table.rows:
                    row = _check_row(table, number, cells, known, sheet_agents, problems,
                                     path.name)
                    if row is not None:
                        rows.append(row)
        latest = _dedupe(rows, replace, problems)
        existing = _existing(conn, {r.question_id for r in latest.values()})
        changes = _compare(latest, existing, replace, problems, known)
        if problems:
            raise ScriptlabError(_problem_message(problems))
        return _store(conn, files, rows, latest, existing, changes, known)


def _known(conn: Connection) -> _Known:
    q, qq = schema.quizzes, schema.quiz_questions
    questions = {
        r.id: (r.quiz_id, r.week, r.team)
        for r in conn.execute(sa.select(qq.c.id, qq.c.quiz_id, q.c.week, q.c.team)
                              .select_from(qq.join(q, q.c.id == qq.c.quiz_id)))
    }
    weeks: dict[str, list[int]] = {}
    seeds: dict[int, int] = {}
    for r in conn.execute(sa.select(q.c.id, q.c.week, q.c.seed).order_by(q.c.week)):
        weeks.setdefault(r.week, []).append(r.id)
        seeds[r.id] = r.seed
    agents = set(conn.execute(sa.select(schema.agents.c.id)).scalars())
    return _Known(questions, weeks, agents, seeds)


def _check_row(table: Table, number: int, cells: dict[str, str], known: _Known,
               sheet_agents: dict[str, str], problems: list[str],
               source: str) -> AnswerRow | None:
    """One row checked against the workspace; problems are appended, None returned."""
    where = table.where(number)
    before = len(problems)
    week = _normalise_week(cells.get("quiz_week", ""))
    if week and week not in known.weeks:
        listed = ", ".join(list(known.weeks)[-6:]) or "none yet"
        problems.append(f"{where}: quiz {week} does not exist (quizzes: {listed}); fix the "
                        f"quiz_week cell or create the quiz with: scriptlab quiz new "
                        f"--week {week}")
        return None
    question_id = _question_id(cells.get("question_id", ""), where, known, week, problems)
    agent_id = cells.get("agent_id", "") or sheet_agents.get(table.sheet or "", "")
    if not agent_id and table.sheet in known.agents:
        agent_id = table.sheet or ""
    if not agent_id:
        problems.append(f"{where}: no agent_id; fill in the agent_id column (or name the "
                        "sheet after the agent id).")
    elif agent_id not in known.agents:
        problems.append(f"{where}: unknown agent_id '{agent_id}'; add the agent with "
                        "scriptlab agents import, or fix the agent_id cell.")
    if len(problems) > before or question_id is None:
        return None
    quiz_id = known.questions[question_id][0]
    text = mask_text(cells.get("answer", "").replace("\r\n", "\n").strip())
    return AnswerRow(where, source, quiz_id, question_id, agent_id, text)


def _normalise_week(text: str) -> str:
    from scriptlab.errors import UsageError
    from scriptlab.quiz.weeks import parse_week

    if not text:
        return ""
    try:
        return parse_week(text)
    except UsageError:
        return text.strip()


def _question_id(text: str, where: str, known: _Known, week: str,
                 problems: list[str]) -> int | None:
    if not text:
        problems.append(f"{where}: no question_id; keep the question_id column of the "
                        "answer template as it was.")
        return None
    try:
        question_id = int(float(text))
    except ValueError:
        problems.append(f"{where}: question_id '{text}' is not a number; keep the "
                        "question_id column of the answer template as it was.")
        return None
    if question_id not in known.questions:
        problems.append(f"{where}: unknown question_id {question_id}; use the answer "
                        "template made by scriptlab quiz new without editing its "
                        "question_id column.")
        return None
    quiz_week = known.questions[question_id][1]
    if week and week != quiz_week:
        problems.append(f"{where}: question_id {question_id} belongs to quiz {quiz_week}, "
                        f"not {week}; fix the quiz_week cell.")
        return None
    return question_id


def _dedupe(rows: list[AnswerRow], replace: bool,
            problems: list[str]) -> dict[tuple[int, str], AnswerRow]:
    """The last row per (question, agent); a repeat is a problem unless `replace`."""
    latest: dict[tuple[int, str], AnswerRow] = {}
    for row in rows:
        key = (row.question_id, row.agent_id)
        earlier = latest.get(key)
        if earlier is not None and not replace and earlier.text != row.text:
            problems.append(f"{row.where}: agent {row.agent_id} already answered question_id "
                            f"{row.question_id} at {earlier.where}; delete one of the two "
                            "rows, or pass --replace to keep the later one.")
            continue
        latest[key] = row
    return latest


def _existing(conn: Connection, question_ids: set[int]) -> dict[tuple[int, str], tuple[int, str]]:
    """Stored answers of these questions: (question, agent) -> (answer id, text)."""
    a = schema.answers
    out: dict[tuple[int, str], tuple[int, str]] = {}
    ids = sorted(question_ids)
    for start in range(0, len(ids), 500):
        for r in conn.execute(sa.select(a.c.id, a.c.question_id, a.c.agent_id, a.c.text)
                              .where(a.c.question_id.in_(ids[start:start + 500]))):
            out[(r.question_id, r.agent_id)] = (r.id, r.text)
    return out


def _compare(latest: dict[tuple[int, str], AnswerRow],
             existing: dict[tuple[int, str], tuple[int, str]], replace: bool,
             problems: list[str], known: _Known) -> dict[tuple[int, str], str]:
    """added | updated | unchanged per key; a changed stored answer needs `replace`."""
    changes: dict[tuple[int, str], str] = {}
    for key, row in latest.items():
        stored = existing.get(key)
        if stored is None:
            changes[key] = "added"
        elif stored[1] == row.text:
            changes[key] = "unchanged"
        elif replace:
            changes[key] = "updated"
        else:
            week = known.questions[row.question_id][1]
            problems.append(f"{row.where}: agent {row.agent_id} already has a different answer "
                            f"to question_id {row.question_id} (quiz {week}) in the workspace; "
                            "pass --replace to overwrite it with this one.")
    return changes


def _store(conn: Connection, files: list[Path], rows: list[AnswerRow],
           latest: dict[tuple[int, str], AnswerRow],
           existing: dict[tuple[int, str], tuple[int, str]],
           changes: dict[tuple[int, str], str], known: _Known) -> AnswersImport:
    now = datetime.now()
    a = schema.answers
    counted = {f.name: {"rows": 0, "added": 0, "updated": 0, "unchanged": 0} for f in files}
    for row in rows:
        counted[row.source]["rows"] += 1
    for key, row in latest.items():
        counted[row.source][changes[key]] += 1
    import_ids: dict[str, int] = {}
    for path in files:
        c = counted[path.name]
        if c["added"] or c["updated"]:
            import_ids[path.name] = record_import(
                conn, kind="answers", path=path, sha256=file_sha256(path), rows=c["rows"],
                skipped=c["unchanged"], detail={"added": c["added"], "updated": c["updated"]},
                at=now)
    taken: dict[int, set[str]] = {}
    quiz_ids = {row.quiz_id for row in latest.values()}
    for quiz_id in quiz_ids:
        taken[quiz_id] = set(conn.execute(sa.select(a.c.code).where(a.c.quiz_id == quiz_id))
                             .scalars())
    inserts, updated_ids, empty = [], [], 0
    for key, row in sorted(latest.items(), key=lambda kv: (kv[1].question_id, kv[1].agent_id)):
        change = changes[key]
        if change == "unchanged":
            continue
        empty += row.text == ""
        if change == "added":
            code = new_code(row.quiz_id, known.seeds[row.quiz_id], row.question_id,
                            row.agent_id, taken[row.quiz_id])
            inserts.append({"quiz_id": row.quiz_id, "question_id": row.question_id,
                            "agent_id": row.agent_id, "text": row.text, "code": code,
                            "import_id": import_ids[row.source], "imported_at": now})
        else:
            answer_id = existing[key][0]
            updated_ids.append(answer_id)
            conn.execute(sa.update(a).where(a.c.id == answer_id).values(
                text=row.text, import_id=import_ids[row.source], imported_at=now))
    if inserts:
        conn.execute(sa.insert(a), inserts)
    dropped = 0
    if updated_ids:
        dropped = conn.execute(sa.delete(schema.ratings)
                               .where(schema.ratings.c.answer_id.in_(updated_ids))).rowcount
        conn.execute(sa.delete(schema.scores).where(schema.scores.c.answer_id.in_(updated_ids)))
    outcomes = [FileOutcome(p.name, counted[p.name]["rows"], counted[p.name]["added"],
                            counted[p.name]["updated"], counted[p.name]["unchanged"])
                for p in files]
    labels = sorted({_label(known, row.question_id) for row in latest.values()})
    return AnswersImport(
        files=outcomes,
        added=sum(o.added for o in outcomes),
        updated=sum(o.updated for o in outcomes),
        unchanged=sum(o.unchanged for o in outcomes),
        empty=empty,
        ratings_dropped=int(dropped or 0),
        quizzes=labels,
    )


def _label(known: _Known, question_id: int) -> str:
    _, week, team = known.questions[question_id]
    return f"{week} (team {team})" if team else week




def _problem_message(problems: list[str]) -> str:
    shown = problems[:MAX_PROBLEMS]
    more = len(problems) - len(shown)
    head = (f"Nothing imported: {len(problems)} problem{'s' if len(problems) > 1 else ''} "
            "in the answer files:")
    tail = [f"  … and {more} more"] if more else []
    return "\n".join([head, *(f"  {p}" for p in shown), *tail])
