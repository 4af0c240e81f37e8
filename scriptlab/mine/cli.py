"""`scriptlab mine`: find the questions customers ask most, grouped across phrasings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import WorkspaceOption
from scriptlab.logs.cli import MapOption, PresetOption, RolesOption

SHOWN = 20  # groups printed in the terminal; the report has them all


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.command("mine")(mine_command)


def mine_command(
    logs: Annotated[
        list[Path] | None,
        typer.Argument(help="Chat-log files (CSV, TSV, JSONL, XLSX, 千牛 TXT). None: the "
                       "messages imported with `scriptlab logs import`.", show_default=False,
                       metavar="FILE"),
    ] = None,
    since: Annotated[str | None, typer.Option(
        help="First day to mine, YYYY-MM-DD (or 'YYYY-MM-DD HH:MM').")] = None,
    until: Annotated[str | None, typer.Option(
        help="Last day to mine, YYYY-MM-DD (the whole day counts).")] = None,
    top: Annotated[int | None, typer.Option(
        help="How many groups to keep (default: setting 'top', 50).", min=1)] = None,
    min_count: Annotated[int | None, typer.Option(
        help="Smallest group reported, in messages (default: setting 'min_count', 3).",
        min=1)] = None,
    map_spec: MapOption = None,
    roles_spec: RolesOption = None,
    preset: PresetOption = None,
    assignments: Annotated[Path | None, typer.Option(
        help="Also write one CSV row per customer message: its group, or why none.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace the --assignments file even if scriptlab did not write it."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Mine frequent customer questions from chat logs, store the run, write a report.

    Personal data is masked before anything is stored or shown.

    Example: scriptlab mine data/sample_chats.csv --top 30
    """
    from scriptlab.errors import UsageError
    from scriptlab.logs.cli import parse_read_options
    from scriptlab.mine.pipeline import MineOptions
    from scriptlab.mine.workflow import mine_into_workspace, parse_day
    from scriptlab.store.workspace import open_workspace

    start = parse_day(since, "--since")
    end = parse_day(until, "--until", end_of_day=True)
    if start and end and start > end:
        raise UsageError(f"--since {since} is after --until {until}; give the earlier day "
                         "first.")
    read = parse_read_options(map_spec, roles_spec, preset)
    ws = open_workspace(workspace)
    options = MineOptions(since=start, until=end, top=top, min_count=min_count,
                          columns=read["columns"], roles=read["roles"],
                          preset=read["preset"])
    with console.progress("Reading messages") as advance:
        outcome = mine_into_workspace(ws, logs or [], options, assignments=assignments,
                                      force=force, on_progress=advance)
    _print_outcome(outcome)


def _print_outcome(outcome) -> None:  # noqa: ANN001 - scriptlab.mine.workflow.MiningOutcome
    s = outcome.result.stats
    groups = outcome.result.groups
    rows = [
        {"#": int(g.rank), "question": g.representative, "messages": int(g.count),
         "share": f"{100 * g.share:.1f}%", "customers*": int(g.customers),
         "trend": _trend(g.trend, g.prev_count), "keywords": " ".join(g.keywords[:3])}
        for g in groups.head(SHOWN).itertuples(index=False)
    ]
    if rows:
        console.table(rows, ["#", "question", "messages", "share", "customers*", "trend",
                             "keywords"], title=f"Top questions, run {outcome.run_id}")
        if len(groups) > SHOWN:
            console.info(f"… {len(groups) - SHOWN} more groups in the report.")
        console.info("* sessions stand in for customers (the logs have no customer id)")
    elif s.questions == 0:
        console.warn(f"No customer questions among the {s.customer} customer messages read.")
    else:
        console.warn("No question group reached the minimum count; lower --min-count or "
                     "mine more logs.")
    console.done(
        f"Run {outcome.run_id}: {s.messages} messages read ({s.skipped} skipped, "
        f"{s.out_of_range} outside the dates), {s.questions} questions, "
        f"{s.groups} groups, {len(groups)} kept, in {s.seconds:.1f} s."
    )
    if s.service:
        from scriptlab.service.cli import SERVICE_COLUMNS, service_row

        console.table([service_row(a) for a in s.service], SERVICE_COLUMNS,
                      title="Service by agent (bands: \\[service] in scriptlab.toml)")
    if s.not_questions:
        console.info("Not questions: " + ", ".join(
            f"{n} {NOISE_SHORT.get(reason, reason)}" for reason, n in s.not_questions.items()))
    for label, path in (("report", outcome.files.html), ("groups CSV", outcome.files.csv),
                        ("groups JSON", outcome.files.json),
                        ("assignments", outcome.assignments)):
        if path is not None:
            console.info(f"  {label}: {path}")


NOISE_SHORT = {"personal": "personal data only", "order_number": "order/waybill numbers only",
               "link": "links only", "card": "product/order cards", "sticker": "stickers/media",
               "system": "system notices"}


def _trend(trend: float | None, prev_count: float | None) -> str:
    import math

    if trend is None or (isinstance(trend, float) and math.isnan(trend)):
        return "new" if prev_count == 0 else "—"
    return f"{100 * trend:+.0f}%"
