"""Write a mining run's documents: HTML report, CSV and JSON of the groups, assignments.

The HTML report is the jinja2 template ``mine_report.html.j2`` (autoescaped; a shop can
drop its own copy in ``<workspace>/templates/``). CSV cells that a spreadsheet would run
as a formula (starting with = + - @) are prefixed with ``'``. Every file is written to a
temporary name and renamed, so a failure never leaves half a report behind.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scriptlab import cells
from scriptlab.files import write_files
from scriptlab.mine.hygiene import REASONS as NOISE_LABELS
from scriptlab.mine.pipeline import MineResult

TEMPLATE = "mine_report.html.j2"
CSV_COLUMNS = ["rank", "group_id", "topic_id", "representative", "count", "sessions",
               "customers", "share", "prev_count", "trend", "keywords", "variants", "replies"]
ASSIGNMENT_COLUMNS = ["message_id", "session_id", "timestamp", "text", "is_question",
                      "group", "reported", "group_id", "group_rank"]


@dataclass(frozen=True)
class ReportFiles:
    """Where a run's documents were written."""

    html: Path
    csv: Path
    json: Path


def report_payload(
    result: MineResult, run_id: int, cluster_to_id: Mapping[int, int],
    topic_ids: Mapping[int, int] | None = None, created_at: datetime | None = None,
) -> dict:
    """The run and its groups as plain JSON-ready data (what the JSON file holds)."""
    created = (created_at or datetime.now()).replace(microsecond=0)
    groups = []
    for row in result.groups.itertuples(index=False):
        group_id = cluster_to_id.get(int(row.group))
        groups.append({
            "rank": int(row.rank),
            "group_id": group_id,
            "topic_id": (topic_ids or {}).get(group_id) if group_id is not None else None,
            "representative": row.representative,
            "count": int(row.count),
            "sessions": int(row.sessions),
            "customers": int(row.customers),
            "share": round(float(row.share), 6),
            "prev_count": None if pd.isna(row.prev_count) else int(row.prev_count),
            "trend": None if row.trend is None or pd.isna(row.trend) else round(row.trend, 4),
            "keywords": list(row.keywords),
            "variants": [{"text": t, "count": int(n)} for t, n in row.variants],
            "replies": [{"text": t, "count": int(n), "agents": list(a)}
                        for (t, n), a in zip(row.replies, row.reply_agents, strict=True)],
        })
    return {
        "run": {
            "id": run_id,
            "created_at": created.isoformat(sep=" "),
            "sources": list(result.stats.sources),
            "stats": result.stats.as_dict(),
            "settings": dict(result.settings.__dict__),
            "vocabulary": list(result.vocabulary_sources),
            "customers_are_sessions": True,
        },
        "groups": groups,
    }


def write_reports(
    ws,  # noqa: ANN001 - scriptlab.store.workspace.Workspace
    result: MineResult,
    run_id: int,
    cluster_to_id: Mapping[int, int],
    *,
    topic_ids: Mapping[int, int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    out_dir: Path | None = None,
) -> ReportFiles:
    """Write ``mine-<run>.html``, ``.csv`` and ``.json`` (default folder: the reports dir)."""
    out_dir = Path(out_dir or ws.reports_dir)
    payload = report_payload(result, run_id, cluster_to_id, topic_ids)
    files = ReportFiles(html=out_dir / f"mine-{run_id}.html",
                        csv=out_dir / f"mine-{run_id}.csv",
                        json=out_dir / f"mine-{run_id}.json")
    html = render_html(ws, payload, result, since=since, until=until)
    write_files(out_dir, {files.json.name: json.dumps(payload, ensure_ascii=False, indent=2),
                          files.csv.name: groups_csv(payload["groups"]),
                          files.html.name: html})
    return files


def render_html(
    ws,  # noqa: ANN001
    payload: dict,
    result: MineResult,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> str:
    """The HTML report (template overridable from the workspace)."""
    from scriptlab.templating import environment

    env = environment("scriptlab.mine", ws.templates_dir)
    groups = payload["groups"]
    run = dict(payload["run"])
    run["since"] = since.strftime("%Y-%m-%d %H:%M") if since else None
    run["until"] = until.strftime("%Y-%m-%d %H:%M") if until else None
    return env.get_template(TEMPLATE).render(
        run=run,
        stats=payload["run"]["stats"],
        settings=result.settings,
        groups=groups,
        max_count=max((g["count"] for g in groups), default=1),
        noise_labels=NOISE_LABELS,
        service=ws.settings.service,
    )


def groups_csv(groups: list[dict]) -> str:
    """One row per group; lists joined with " | " as ``text (count)``."""
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for g in groups:
        row = {**g,
               "keywords": " ".join(g["keywords"]),
               "variants": " | ".join(f"{v['text']} ({v['count']})" for v in g["variants"]),
               "replies": " | ".join(f"{r['text']} ({r['count']})" for r in g["replies"])}
        rows.append([row[c] for c in CSV_COLUMNS])
    return cells.csv_text(rows)


def write_assignments(
    path: Path, assignments: pd.DataFrame, cluster_to_id: Mapping[int, int],
    ranks: Mapping[int, int], *, force: bool = False,
) -> Path:
    """One row per customer message read: what it was taken as and which group got it.

    Every question has its ``group`` (this run's group number, 1 = the group with most
    messages), so a shop can audit the whole grouping; ``reported`` says whether that group
    is in the report. ``group_id`` (stored id) and ``group_rank`` are filled for reported
    groups only (the others are below --min-count or beyond --top). Messages that are not
    questions have an empty ``group`` and ``reported``. A file scriptlab did not write is
    only replaced with `force`.
    """
    frame = assignments.copy()
    question = frame["cluster"].ge(0) & frame["is_question"].astype(bool)
    frame["group"] = (frame["cluster"] + 1).where(question).astype("Int64")
    frame["group_id"] = frame["cluster"].map(cluster_to_id).astype("Int64")
    frame["group_rank"] = frame["cluster"].map(ranks).astype("Int64")
    frame["reported"] = np.where(question, np.where(frame["group_id"].notna(), "yes", "no"), "")
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    frame["is_question"] = frame["is_question"].map({True: "yes", False: "no"})
    frame = frame[ASSIGNMENT_COLUMNS]
    for column in ("message_id", "session_id", "text"):
        frame[column] = frame[column].astype(str)
    path = Path(path)
    text = cells.frame_csv(frame)
    write_files(path.parent, {path.name: text.encode("utf-8-sig")}, force=force)
    return path


def safe_cell(value: object) -> object:
    """`scriptlab.cells.safe_cell`, with a missing value as an empty cell."""
    return "" if value is None else cells.safe_cell(value)

