"""`scriptlab answers import`: read filled answer templates (XLSX/CSV) into the workspace.

Every file is checked before anything is written: unknown agents or questions and quizzes
that do not exist are reported at once (repeats of one mistake summarised with a count).
Files merge: any mix of per-agent copies, whole workbooks and CSVs can come in together or
one after another, and a blank cell never overwrites an answer. An answer that differs from
one already given is an update: it is shown old → new and goes in only when the trainer
confirms that answer (``replace``: a set of ``agent:question`` keys, or True for all);
the ratings of an updated answer are dropped (they judged the old text). Answers are
masked like chat logs; a question nobody filled in is kept as "no answer" (scored 0).
Importing the same content again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.files import file_sha256
from scriptlab.io.spreadsheet import Table, Workbook, read_workbook
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
    """What one file contributed (a row counts where its answer finally came from)."""

    source: str
    rows: int
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class AgentOutcome:
    """What came in for one agent: new answers (incl. filled blanks), confirmed updates,
    answers already stored, and blank rows (never stored over an answer)."""

    agent_id: str
    added: int
    updated: int
    unchanged: int
    blank: int


@dataclass(frozen=True)
class Update:
    """A confirmed change of a stored answer, for the summary."""

    agent_id: str
    question_id: int
    old: str
    new: str


@dataclass(frozen=True)
class _Problem:
    kind: str  # rows with the same kind and advice are summarised together
    where: str
    text: str
    advice: str = ""


_Confirm = Callable[[AnswerRow], bool]


@dataclass(frozen=True)
class AnswersImport:
    """What `import_answers` did, over all files."""

    files: list[FileOutcome]
    added: int
    updated: int
    unchanged: int
    empty: int  # "no answer" rows among those added
    ratings_dropped: int
    quizzes: list[str]
    agents: list[AgentOutcome] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    blank_kept: int = 0  # blank rows that left a stored answer alone


@dataclass(frozen=True)
class _Known:
    """Workspace facts rows are checked against."""

    questions: dict[int, tuple[int, str, str | None]]  # id -> (quiz_id, week, team)
    weeks: dict[str, list[int]]  # week -> quiz ids
    agents: set[str]
    seeds: dict[int, int]  # quiz id -> seed


def import_answers(ws: Workspace, paths: Sequence[Path | str], *,
                   replace: bool | Collection[str] = False) -> AnswersImport:
    """Check and store filled answer files, all or nothing.

    Parameters
    ----------
    paths
        XLSX (one sheet per agent) and/or CSV files in the answer-template layout.
    replace
        Answers the trainer confirmed may change: ``agent_id:question_id`` keys, or True
        for every answer. A blank never replaces an answer, confirmed or not.

    Raises
    ------
    ScriptlabError
        Listing every problem found, with file, sheet and row; nothing is written.
    """
    files = [Path(p) for p in paths]
    read = [read_workbook(p, ANSWER_ALIASES, REQUIRED, what="an answer file") for p in files]
    books = [(_Source(p.name, str(p), file_sha256(p)), book)
             for p, book in zip(files, read, strict=True)]
    return _import_books(ws, books, replace)


def import_answer_rows(ws: Workspace, source: str, rows: Sequence[Mapping[str, str]], *,
                       replace: bool | Collection[str] = True) -> AnswersImport:
    """Store answers given as template rows ({quiz_week, question_id, agent_id, answer}),
    e.g. typed in the browser, under exactly the rules of `import_answers`.

    `source` names the rows in messages and in ``imports`` (say ``web:kf_01``).
    """

    cells = [{k: str(v) for k, v in row.items()} for row in rows]
    table = Table(source=source, sheet=None, header_row=1,
                  columns={k: k for k in ANSWER_ALIASES}, extra=(),
                  rows=list(enumerate(cells, start=2)))
    digest = hashlib.sha256(json.dumps(cells, ensure_ascii=False, sort_keys=True)
                            .encode()).hexdigest()
    return _import_books(ws, [(_Source(source, source, digest), Workbook([table], {}))], replace)


@dataclass(frozen=True)
class _Source:
    """Where rows came from: `name` in messages, `label` and `sha256` in ``imports``."""

    name: str
    label: str
    sha256: str


def _import_books(ws: Workspace, books: Sequence[tuple[_Source, Workbook]],
                  replace: bool | Collection[str]) -> AnswersImport:
    with ws.write() as conn:
        known = _known(conn)
        problems: list[_Problem] = []
        rows: list[AnswerRow] = []
        for source, book in books:
            sheet_agents = {r.get("sheet", ""): r.get("agent_id", "")
                            for r in book.meta_block("sheet", "agent_id")}
            for table in book.tables:
                for number, cells in table.rows:
                    row = _check_row(table, number, cells, known, sheet_agents, problems,
                                     source.name)
                    if row is not None:
                        rows.append(row)
        confirmed = _confirmer(replace)
        latest = _merge(rows, confirmed, problems)
        existing = _existing(conn, {r.question_id for r in latest.values()})
        changes = _compare(latest, existing, confirmed, problems, known)
        if problems:
            raise ScriptlabError(_problem_message(problems))
        return _store(conn, [s for s, _ in books], rows, latest, existing, changes, known)


def _confirmer(replace: bool | Collection[str]) -> _Confirm:
    if isinstance(replace, bool):
        return lambda row: replace
    keys = {k.strip() for k in replace}
    return lambda row: f"{row.agent_id}:{row.question_id}" in keys


def parse_replace(values: Sequence[str]) -> bool | set[str]:
    """``--replace`` values: ``all``, or ``agent:question`` keys (comma-separated or repeated)."""
    keys = {k.strip() for v in values for k in v.split(",") if k.strip()}
    if "all" in keys:
        return True
    bad = sorted(k for k in keys if not re.fullmatch(r"[^:]+:\d+", k))
    if bad:
        raise UsageError(f"--replace takes agent:question pairs such as kf_01:12, or all; "
                         f"got {', '.join(bad)}.")
    return keys


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
               sheet_agents: dict[str, str], problems: list[_Problem],
               source: str) -> AnswerRow | None:
    """One row checked against the workspace; problems are appended, None returned."""
    where = table.where(number)
    before = len(problems)
    week = _normalise_week(cells.get("quiz_week", ""))
    if week and week not in known.weeks:
        listed = ", ".join(list(known.weeks)[-6:]) or "none yet"
        problems.append(_Problem("no_quiz", where, f"{where}: quiz {week} does not exist "
                                 f"(quizzes: {listed}); fix the quiz_week cell or create the "
                                 f"quiz with: scriptlab quiz new --week {week}"))
        return None
    question_id = _question_id(cells.get("question_id", ""), where, known, week, problems)
    agent_id = cells.get("agent_id", "") or sheet_agents.get(table.sheet or "", "")
    if not agent_id and table.sheet in known.agents:
        agent_id = table.sheet or ""
    if not agent_id:
        problems.append(_Problem("no_agent", where, f"{where}: no agent_id; fill in the "
                                 "agent_id column (or name the sheet after the agent id)."))
    elif agent_id not in known.agents:
        problems.append(_Problem("unknown_agent", where, f"{where}: unknown agent_id "
                                 f"'{agent_id}'; add the agent with scriptlab agents import, "
                                 "or fix the agent_id cell."))
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
                 problems: list[_Problem]) -> int | None:
    if not text:
        problems.append(_Problem("no_question", where, f"{where}: no question_id; keep the "
                                 "question_id column of the answer template as it was."))
        return None
    try:
        question_id = int(float(text))
    except ValueError:
        problems.append(_Problem("bad_question", where, f"{where}: question_id '{text}' is "
                                 "not a number; keep the question_id column of the answer "
                                 "template as it was."))
        return None
    if question_id not in known.questions:
        problems.append(_Problem("unknown_question", where, f"{where}: unknown question_id "
                                 f"{question_id}; use the answer template made by scriptlab "
                                 "quiz new without editing its question_id column."))
        return None
    quiz_week = known.questions[question_id][1]
    if week and week != quiz_week:
        problems.append(_Problem("other_quiz", where, f"{where}: question_id {question_id} "
                                 f"belongs to quiz {quiz_week}, not {week}; fix the quiz_week "
                                 "cell."))
        return None
    return question_id


def _merge(rows: list[AnswerRow], confirmed: _Confirm,
           problems: list[_Problem]) -> dict[tuple[int, str], AnswerRow]:
    """One row per (question, agent) over all files: a blank never beats a filled answer.

    Two different filled answers are a conflict unless the trainer confirmed that answer
    (`replace`); then the later one wins.
    """
    latest: dict[tuple[int, str], AnswerRow] = {}
    for row in rows:
        key = (row.question_id, row.agent_id)
        earlier = latest.get(key)
        if earlier is None or (earlier.text == "" and row.text):
            latest[key] = row
        elif row.text and row.text != earlier.text:
            if confirmed(row):
                latest[key] = row
            else:
                problems.append(_Problem(
                    "conflict", row.where,
                    f"{row.where}: agent {row.agent_id} answered question {row.question_id} "
                    f"differently at {earlier.where}: {_quote(earlier.text)} → "
                    f"{_quote(row.text)}; keep one of the two, or confirm the later one with "
                    f"--replace {row.agent_id}:{row.question_id}."))
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
             existing: dict[tuple[int, str], tuple[int, str]], confirmed: _Confirm,
             problems: list[_Problem], known: _Known) -> dict[tuple[int, str], str]:
    """added | filled | updated | unchanged | blank per key.

    A blank row never touches a stored answer ("blank"); filling a stored blank is
    "filled"; a different filled answer is "updated" only once the trainer confirmed it.
    """
    changes: dict[tuple[int, str], str] = {}
    for key, row in latest.items():
        stored = existing.get(key)
        if stored is None:
            changes[key] = "added"
        elif stored[1] == row.text:
            changes[key] = "unchanged"
        elif row.text == "":
            changes[key] = "blank"
        elif stored[1] == "":
            changes[key] = "filled"
        elif confirmed(row):
            changes[key] = "updated"
        else:
            week = known.questions[row.question_id][1]
            problems.append(_Problem(
                "changed", row.where,
                f"{row.where}: agent {row.agent_id} changed the answer to question "
                f"{row.question_id} (quiz {week}): {_quote(stored[1])} → {_quote(row.text)}; "
                f"confirm with --replace {row.agent_id}:{row.question_id} (or --replace all)."))
    return changes


def _quote(text: str, width: int = 30) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:width - 1]}…'" if len(flat) > width else f"'{flat}'"


def _store(conn: Connection, files: list[_Source], rows: list[AnswerRow],
           latest: dict[tuple[int, str], AnswerRow],
           existing: dict[tuple[int, str], tuple[int, str]],
           changes: dict[tuple[int, str], str], known: _Known) -> AnswersImport:
    now = datetime.now()
    a = schema.answers
    counted = {f.name: {"rows": 0, "added": 0, "updated": 0, "unchanged": 0} for f in files}
    per_agent: dict[str, Counter[str]] = {}
    for row in rows:
        counted[row.source]["rows"] += 1
        if not row.text:
            per_agent.setdefault(row.agent_id, Counter())["blank_rows"] += 1
    for key, row in latest.items():
        change = changes[key]
        bucket = {"filled": "added", "blank": "unchanged"}.get(change, change)
        counted[row.source][bucket] += 1
        tally = per_agent.setdefault(row.agent_id, Counter())
        if change in ("added", "filled") and row.text:
            tally["added"] += 1
        elif change == "updated":
            tally["updated"] += 1
        elif change == "unchanged" and row.text or change == "blank":
            tally["unchanged"] += 1
    import_ids: dict[str, int] = {}
    for path in files:
        c = counted[path.name]
        if c["added"] or c["updated"]:
            import_ids[path.name] = record_import(
                conn, kind="answers", source=path.label, sha256=path.sha256, rows=c["rows"],
                skipped=c["unchanged"], detail={"added": c["added"], "updated": c["updated"]},
                at=now)
    taken: dict[int, set[str]] = {}
    quiz_ids = {row.quiz_id for row in latest.values()}
    for quiz_id in quiz_ids:
        taken[quiz_id] = set(conn.execute(sa.select(a.c.code).where(a.c.quiz_id == quiz_id))
                             .scalars())
    inserts, changed_ids, updates, empty = [], [], [], 0
    for key, row in sorted(latest.items(), key=lambda kv: (kv[1].question_id, kv[1].agent_id)):
        change = changes[key]
        if change in ("unchanged", "blank"):
            continue
        if change == "added":
            empty += row.text == ""
            code = new_code(row.quiz_id, known.seeds[row.quiz_id], row.question_id,
                            row.agent_id, taken[row.quiz_id])
            inserts.append({"quiz_id": row.quiz_id, "question_id": row.question_id,
                            "agent_id": row.agent_id, "text": row.text, "code": code,
                            "import_id": import_ids[row.source], "imported_at": now})
            continue
        answer_id, old = existing[key]
        changed_ids.append(answer_id)
        if change == "updated":
            updates.append(Update(row.agent_id, row.question_id, old, row.text))
        conn.execute(sa.update(a).where(a.c.id == answer_id).values(
            text=row.text, import_id=import_ids[row.source], imported_at=now))
    if inserts:
        conn.execute(sa.insert(a), inserts)
    dropped = 0
    if changed_ids:
        dropped = conn.execute(sa.delete(schema.ratings)
                               .where(schema.ratings.c.answer_id.in_(changed_ids))).rowcount
        conn.execute(sa.delete(schema.scores).where(schema.scores.c.answer_id.in_(changed_ids)))
    outcomes = [FileOutcome(p.name, counted[p.name]["rows"], counted[p.name]["added"],
                            counted[p.name]["updated"], counted[p.name]["unchanged"])
                for p in files]
    agents = [AgentOutcome(agent, t["added"], t["updated"], t["unchanged"],
                           t["blank_rows"])
              for agent, t in sorted(per_agent.items())]
    labels = sorted({_label(known, row.question_id) for row in latest.values()})
    return AnswersImport(
        files=outcomes,
        added=sum(o.added for o in outcomes),
        updated=sum(o.updated for o in outcomes),
        unchanged=sum(o.unchanged for o in outcomes),
        empty=empty,
        ratings_dropped=int(dropped or 0),
        quizzes=labels,
        agents=agents,
        updates=updates,
        blank_kept=sum(1 for c in changes.values() if c == "blank"),
    )


def _label(known: _Known, question_id: int) -> str:
    _, week, team = known.questions[question_id]
    return f"{week} (team {team})" if team else week




# A mistake repeated on many rows is one mistake: said once, with a count and file-level advice.
GROUP_AT = 4
_GROUPED: dict[str, str] = {
    "unknown_question": "question_ids that no quiz of this workspace has; is this the answer "
                        "file of another workspace (pass it with -w) or an edited copy? Import "
                        "the template scriptlab quiz new wrote for this workspace.",
    "unknown_agent": "agent_ids not in the roster; add them with scriptlab agents import, or "
                     "fix the agent_id cells.",
    "no_question": "rows without a question_id; is this an answer template? Keep its "
                   "question_id column as it was.",
    "bad_question": "question_ids that are not numbers; is this an answer template? Keep its "
                    "question_id column as it was.",
    "no_agent": "rows without an agent_id; fill in the agent_id column (or name each sheet "
                "after its agent id).",
    "no_quiz": "rows of quizzes that do not exist here; fix the quiz_week cells or create the "
               "quiz with scriptlab quiz new.",
    "other_quiz": "rows whose question belongs to another quiz week; fix the quiz_week cells.",
}


def _problem_message(problems: list[_Problem]) -> str:
    lines = _summarise(problems)
    shown = lines[:MAX_PROBLEMS]
    more = len(lines) - len(shown)
    n = len(problems)
    head = f"Nothing imported: {n} problem{'s' if n > 1 else ''} in the answer files:"
    tail = [f"  … and {more} more"] if more else []
    return "\n".join([head, *(f"  {p}" for p in shown), *tail])


def _summarise(problems: list[_Problem]) -> list[str]:
    """One line per problem, except kinds repeated GROUP_AT+ times in one file: one line."""
    counts = Counter((p.kind, _file_of(p.where)) for p in problems)
    lines: list[str] = []
    said: set[tuple[str, str]] = set()
    for p in problems:
        key = (p.kind, _file_of(p.where))
        if counts[key] < GROUP_AT or p.kind not in _GROUPED:
            lines.append(p.text)
        elif key not in said:
            said.add(key)
            rows = [q.where for q in problems if (q.kind, _file_of(q.where)) == key]
            lines.append(f"{key[1]}: {len(rows)} {_GROUPED[p.kind]} (first at {_row_of(rows[0])}, "
                         f"last at {_row_of(rows[-1])})")
    return lines


def _file_of(where: str) -> str:
    return where.split(", ")[0]


def _row_of(where: str) -> str:
    return where.split(", ", 1)[-1]
