"""`scriptlab ratings import`: read filled review sheets back, with the same rules as
answers: every problem reported at once (file, row, column, fix), all files in one
transaction, the same content twice changes nothing, and a changed rating overwrites a
stored one only with ``replace=True``. A blank row is "not rated"; a partly filled row
keeps the dimensions given. Comments are masked like answers."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from scriptlab.errors import ScriptlabError
from scriptlab.files import file_sha256
from scriptlab.io.spreadsheet import Table, Workbook, read_workbook
from scriptlab.scoring.answer_codes import normalise_code
from scriptlab.scoring.review_sheet import COMMENT_HEADER, HEADERS, REVIEW_FORMAT
from scriptlab.store import schema
from scriptlab.store.imports import record_import
from scriptlab.store.workspace import Workspace
from scriptlab.text.mask import mask_text

MAX_PROBLEMS = 15
BASE_ALIASES: dict[str, tuple[str, ...]] = {
    "code": (HEADERS["code"], "answer_code", "编号", "回答编号"),
    "comment": (COMMENT_HEADER, "comments", "评语", "意见"),
    "reviewer": ("评审人", "评审", "评分人"),
}


@dataclass(frozen=True)
class _Rating:
    where: str
    source: str
    answer_id: int
    reviewer: str
    values: dict[str, int]
    comment: str | None


@dataclass(frozen=True)
class RatingsImport:
    """What `import_ratings` did."""

    files: list[str]
    reviewers: list[str]
    answers_rated: int  # answer × reviewer pairs in the files with at least one rating
    not_rated: int  # rows left blank
    added: int  # rating values (answer × reviewer × dimension)
    updated: int
    unchanged: int


def import_ratings(ws: Workspace, paths: Sequence[Path | str], *, replace: bool = False,
                   reviewer: str | None = None) -> RatingsImport:
    """Check and store filled review sheets, all or nothing.

    Parameters
    ----------
    paths
        Review sheets written by `scriptlab review sheet` (or CSV with the same columns
        plus a reviewer column).
    replace
        Let a later rating (later file or row) overwrite an earlier or stored one.
    reviewer
        Reviewer id for files that don't say (CSV without a reviewer column).
    """
    rubric = list(ws.settings.scoring.rubric)
    files = [Path(p) for p in paths]
    read = [_read(p, rubric) for p in files]
    books = [(_Source(p.name, str(p), file_sha256(p)), book)
             for p, book in zip(files, read, strict=True)]
    return _import_books(ws, books, rubric, replace, reviewer)


def import_rating_rows(ws: Workspace, source: str, reviewer: str,
                       rows: Sequence[Mapping[str, str]], *, quiz_id: int | None = None,
                       replace: bool = True) -> RatingsImport:
    """Store ratings given as review-sheet rows ({code, <dimension>..., comment}), e.g.
    from the browser, under exactly the rules of `import_ratings`."""
    import json

    rubric = list(ws.settings.scoring.rubric)
    cells = [{k: str(v) for k, v in row.items()} for row in rows]
    columns = {k: k for k in (*BASE_ALIASES, *rubric)}
    table = Table(source=source, sheet=None, header_row=1, columns=columns, extra=(),
                  rows=[(number, row) for number, row in enumerate(cells, start=2)])
    meta = {"reviewer": reviewer}
    digest = hashlib.sha256(json.dumps([reviewer, cells], ensure_ascii=False,
                                       sort_keys=True).encode()).hexdigest()
    book = Workbook([table], meta)
    return _import_books(ws, [(_Source(source, source, digest), book)], rubric, replace,
                         reviewer, quiz_id=quiz_id)


@dataclass(frozen=True)
class _Source:
    """Where rows came from: `name` in messages, `label` and `sha256` in ``imports``."""

    name: str
    label: str
    sha256: str


def _import_books(ws: Workspace, books: Sequence[tuple[_Source, Workbook]], rubric: list[str],
                  replace: bool, reviewer: str | None, *,
                  quiz_id: int | None = None) -> RatingsImport:
    problems: list[str] = []
    with ws.write() as conn:
        codes = _codes(conn)
        quizzes = _quizzes(conn)
        found: list[_Rating] = []
        not_rated = 0
        for source, book in books:
            dims = rubric
            if book.meta.get("format") == REVIEW_FORMAT and book.meta.get("rubric"):
                dims = [d for d in book.meta["rubric"].split(",") if d]
            book_quiz = _meta_quiz(source.name, book, quizzes, problems)
            book_quiz = quiz_id if book_quiz is None else book_quiz
            for table in book.tables:
                dims_here = [d for d in dims if d in table.columns]
                if not dims_here:
                    problems.append(f"{source.name}: no rating columns ({', '.join(dims)}); "
                                    "keep the header row of the review sheet as it was.")
                    continue
                for number, cells in table.rows:
                    rating = _check_row(table, number, cells, dims_here, book, reviewer,
                                        book_quiz, codes, problems)
                    if rating == "blank":
                        not_rated += 1
                    elif rating is not None:
                        found.append(rating)
        latest = _dedupe(found, replace, problems)
        stored = _stored(conn, {r.answer_id for r in latest.values()})
        changes = _compare(latest, stored, replace, problems)
        if problems:
            shown = problems[:MAX_PROBLEMS]
            more = [f"  … and {len(problems) - MAX_PROBLEMS} more"] if len(problems) > \
                MAX_PROBLEMS else []
            raise ScriptlabError("\n".join(
                [f"Nothing imported: {len(problems)} problem{'s' * (len(problems) > 1)} in "
                 "the review sheets:", *(f"  {p}" for p in shown), *more]))
        added, updated, unchanged = _store(conn, [s for s, _ in books], found, latest, stored,
                                           changes)
    return RatingsImport(
        files=[s.name for s, _ in books],
        reviewers=sorted({r.reviewer for r in latest.values()}),
        answers_rated=len(latest), not_rated=not_rated,
        added=added, updated=updated, unchanged=unchanged,
    )


def _read(path: Path, rubric: list[str]) -> Workbook:
    aliases = dict(BASE_ALIASES)
    aliases.update({d: () for d in rubric})
    book = read_workbook(path, aliases, ["code"], what="a review sheet")
    meta_dims = book.meta.get("rubric", "")
    extra = [d for d in meta_dims.split(",") if d and d not in aliases]
    if extra:  # the sheet was made with another rubric: read its own dimensions
        aliases.update({d: () for d in extra})
        book = read_workbook(path, aliases, ["code"], what="a review sheet")
    return book


def _codes(conn: Connection) -> dict[str, list[tuple[int, int]]]:
    """Answer code -> [(quiz id, answer id)] (codes are unique within a quiz)."""
    a = schema.answers
    out: dict[str, list[tuple[int, int]]] = {}
    for r in conn.execute(sa.select(a.c.code, a.c.quiz_id, a.c.id).where(a.c.text != "")):
        out.setdefault(r.code, []).append((r.quiz_id, r.id))
    return out


def _quizzes(conn: Connection) -> dict[int, str]:
    q = schema.quizzes
    return {r.id: r.week for r in conn.execute(sa.select(q.c.id, q.c.week))}


def _meta_quiz(name: str, book: Workbook, quizzes: dict[int, str],
               problems: list[str]) -> int | None:
    raw = book.meta.get("quiz_id", "")
    if not raw:
        return None
    week = book.meta.get("quiz_week", "?")
    try:
        quiz_id = int(float(raw))
    except ValueError:
        quiz_id = -1
    if quiz_id not in quizzes or quizzes[quiz_id] != week:
        problems.append(f"{name}: this review sheet is for quiz {week}, which does not "
                        "exist in this workspace; import it into the workspace that made it.")
    return quiz_id


def _check_row(table: Table, number: int, cells: dict[str, str], dims: list[str],
               book: Workbook, reviewer: str | None, quiz_id: int | None,
               codes: dict[str, list[tuple[int, int]]], problems: list[str]):
    """A checked rating, "blank" for a row left empty, or None after a problem."""
    where = table.where(number)
    before = len(problems)
    values: dict[str, int] = {}
    for dim in dims:
        raw = cells.get(dim, "")
        if raw == "":
            continue
        try:
            number_value = float(raw)
        except ValueError:
            number_value = float("nan")
        if not number_value.is_integer() or not 1 <= number_value <= 5:
            problems.append(f"{where}, column {dim}: '{raw}' is not a rating; enter a whole "
                            "number from 1 to 5.")
            continue
        values[dim] = int(number_value)
    comment = mask_text(cells.get("comment", "")) or None  # reviewers may quote a phone no.
    if not values and len(problems) == before:
        if comment:
            problems.append(f"{where}: a comment but no rating; rate at least one dimension "
                            "or delete the comment.")
            return None
        return "blank"
    who = _reviewer(book, cells, reviewer)
    if not who:
        problems.append(f"{where}: no reviewer; use the review sheet made by scriptlab review "
                        "sheet, or pass --reviewer NAME.")
    code = normalise_code(cells.get("code", ""))
    candidates = [c for c in codes.get(code, []) if quiz_id is None or c[0] == quiz_id]
    if not code:
        problems.append(f"{where}: no answer code; keep the {HEADERS['code']} column as it was.")
    elif not candidates:
        problems.append(f"{where}: unknown answer code '{code}'; keep the "
                        f"{HEADERS['code']} column as it was.")
    elif len(candidates) > 1:
        problems.append(f"{where}: answer code '{code}' exists in several quizzes; import "
                        "the review sheet made by scriptlab review sheet (it names the quiz).")
    if len(problems) > before:
        return None
    return _Rating(where, table.source, candidates[0][1], who, values, comment)


def _reviewer(book: Workbook, cells: dict[str, str], given: str | None) -> str:
    return book.meta.get("reviewer") or cells.get("reviewer", "") or (given or "")


def _dedupe(found: list[_Rating], replace: bool,
            problems: list[str]) -> dict[tuple[int, str], _Rating]:
    latest: dict[tuple[int, str], _Rating] = {}
    for rating in found:
        key = (rating.answer_id, rating.reviewer)
        earlier = latest.get(key)
        if earlier is not None and not replace and (earlier.values, earlier.comment) != (
                rating.values, rating.comment):
            problems.append(f"{rating.where}: reviewer {rating.reviewer} already rated this "
                            f"answer at {earlier.where}; delete one of the two rows, or pass "
                            "--replace to keep the later one.")
            continue
        latest[key] = rating
    return latest


def _stored(conn: Connection, answer_ids: set[int]) -> dict[tuple[int, str, str],
                                                            tuple[int, int, str | None]]:
    """(answer, reviewer, dimension) -> (rating id, value, comment)."""
    r = schema.ratings
    out: dict[tuple[int, str, str], tuple[int, int, str | None]] = {}
    ids = sorted(answer_ids)
    for start in range(0, len(ids), 500):
        for row in conn.execute(sa.select(r).where(r.c.answer_id.in_(ids[start:start + 500]))):
            out[(row.answer_id, row.reviewer, row.dimension)] = (row.id, row.value, row.comment)
    return out


def _compare(latest: dict[tuple[int, str], _Rating],
             stored: dict[tuple[int, str, str], tuple[int, int, str | None]], replace: bool,
             problems: list[str]) -> dict[tuple[int, str, str], str]:
    changes: dict[tuple[int, str, str], str] = {}
    for (answer_id, reviewer), rating in latest.items():
        differs = []
        for dim, value in rating.values.items():
            key = (answer_id, reviewer, dim)
            old = stored.get(key)
            if old is None:
                changes[key] = "added"
            elif (old[1], old[2]) == (value, rating.comment):
                changes[key] = "unchanged"
            else:
                changes[key] = "updated"
                differs.append(dim)
        if differs and not replace:
            problems.append(f"{rating.where}: reviewer {reviewer} already has different ratings "
                            f"of this answer in the workspace ({', '.join(differs)}); pass "
                            "--replace to overwrite them.")
    return changes


def _store(conn: Connection, files: list[_Source], found: list[_Rating],
           latest: dict[tuple[int, str], _Rating],
           stored: dict[tuple[int, str, str], tuple[int, int, str | None]],
           changes: dict[tuple[int, str, str], str]) -> tuple[int, int, int]:
    r = schema.ratings
    now = datetime.now()
    by_file: dict[str, int] = {}
    for (answer_id, reviewer, _dim), change in changes.items():
        if change != "unchanged":
            source = latest[(answer_id, reviewer)].source
            by_file[source] = by_file.get(source, 0) + 1
    import_ids: dict[str, int] = {}
    for path in files:
        if by_file.get(path.name):
            rows = sum(1 for f in found if f.source == path.name)
            import_ids[path.name] = record_import(
                conn, kind="ratings", source=path.label, sha256=path.sha256, rows=rows,
                detail={"values": by_file[path.name]}, at=now)
    inserts = []
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for (answer_id, reviewer, dim), change in sorted(changes.items()):
        counts[change] += 1
        rating = latest[(answer_id, reviewer)]
        if change == "added":
            inserts.append({"answer_id": answer_id, "reviewer": reviewer, "dimension": dim,
                            "value": rating.values[dim], "comment": rating.comment,
                            "import_id": import_ids[rating.source]})
        elif change == "updated":
            conn.execute(sa.update(r).where(r.c.id == stored[(answer_id, reviewer, dim)][0])
                         .values(value=rating.values[dim], comment=rating.comment,
                                 import_id=import_ids[rating.source]))
    if inserts:
        conn.execute(sa.insert(r), inserts)
    return counts["added"], counts["updated"], counts["unchanged"]
