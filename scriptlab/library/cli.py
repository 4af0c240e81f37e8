"""`scriptlab library ...`, `scriptlab publish` and `scriptlab lookup`.

`lookup` must start fast: only typer and the light `scriptlab.library.lookup` are imported
on its path; everything touching the database is imported inside the other commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption
from scriptlab.errors import UsageError

library_app = App(help="Approve winning answers into the script library, retire old scripts.")

ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who makes the change (default: your login name).",
                 show_default=False),
]


def _open(workspace: Path | None):
    from scriptlab.store.workspace import open_workspace

    return open_workspace(workspace)


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


@library_app.command()
def candidates(workspace: WorkspaceOption = None) -> None:
    """Winning answers not in the library yet, or better than the current script.

    Example: scriptlab library candidates
    """
    from scriptlab.library.approval import list_candidates

    found = list_candidates(_open(workspace))
    if not found:
        console.info("No candidates: every winning answer is in the library already "
                     "(or nothing has been scored yet).")
        return
    # One block per candidate: a header line, then the whole script wrapped at full width
    # (a table squeezes scripts into a 10-character column on an 80-column terminal).
    console.info(f"{len(found)} candidates")
    for c in found:
        w = c.winner
        flag = " (unreviewed: check it)" if w.basis == "unreviewed" else ""
        console.block(
            f"topic {w.topic_id} · {w.question}",
            f"answer {w.answer_id} by {w.agent_name or w.agent_id} · score {_score(w.score)} · "
            f"{w.quiz_week} · {c.reason}{flag}",
            w.text,
        )
    console.info("Approve one with: scriptlab library approve TOPIC   (all: --all-winners)")


@library_app.command()
def approve(
    group: Annotated[
        int | None,
        typer.Argument(metavar="TOPIC", help="The question's topic number, as `candidates`, "
                       "`quiz show` and `topics list` print it.", show_default=False),
    ] = None,
    answer: Annotated[
        int | None, typer.Option("--answer", help="Approve this answer instead of the winner.",
                                 show_default=False),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Edit the script in $EDITOR first.")] = False,
    text: Annotated[
        str | None, typer.Option("--text", help="Publish this text as the script.",
                                 show_default=False),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="Set the category (物流, 售后 …).",
                                 show_default=False),
    ] = None,
    all_winners: Annotated[
        bool, typer.Option("--all-winners", help="Approve every candidate at once."),
    ] = False,
    by: ByOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Put a group's winning answer in the library (or replace its current script).

    Example: scriptlab library approve 12 --by 张三
    """
    from scriptlab.library import approval

    if all_winners:
        if group is not None or answer is not None or edit or text is not None or category:
            raise UsageError("--all-winners approves every candidate as it is; do not combine "
                             "it with TOPIC, --answer, --edit, --text or --category.")
        changes = approval.approve_all_winners(_open(workspace), by=by)
        if not changes:
            console.info("No candidates to approve: every winning answer is in the library.")
        for change in changes:
            console.info(f"{change.action}: topic {change.topic_id} (entry {change.entry_id}) "
                         f"{_short(change.question)}")
        if changes:
            console.done(f"Approved {len(changes)} scripts by {changes[0].actor}. "
                         "Publish them with: scriptlab publish")
        return
    if group is None:
        raise UsageError("Give the TOPIC to approve (see `scriptlab library candidates`), "
                         "or --all-winners.")
    ws = _open(workspace)
    if edit:
        text = _edit_script(ws, group, answer, text)
    change = approval.approve(ws, group, answer_id=answer, text=text, category=category, by=by)
    verb = {"approve": "Approved", "replace": "Replaced the script of",
            "edit": "Edited"}[change.action]
    console.done(f"{verb} topic {change.topic_id} (library entry {change.entry_id}): "
                 f"{_short(change.question)} — by {change.actor}. Publish with: scriptlab publish")


def _edit_script(ws, group: int, answer: int | None, text: str | None) -> str:
    """Open $EDITOR on the script about to be approved; an unsaved edit keeps it as is."""
    from scriptlab.library.approval import draft_script
    from scriptlab.library.editor import edit_text

    start = text if text is not None else draft_script(ws, group, answer)
    edited = edit_text(start)
    return start if edited is None else edited.strip()


@library_app.command()
def retire(
    topic: Annotated[int | None, typer.Argument(
        metavar="TOPIC", help="The topic whose script to retire (see `scriptlab library list`).",
        show_default=False)] = None,
    entry: Annotated[int | None, typer.Option(
        "--entry", help="Retire this library entry number instead (when a topic has several).",
        show_default=False)] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (kept in the history).",
                                 show_default=False),
    ] = None,
    by: ByOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Take an entry out of the library; it disappears from the next published version.

    Example: scriptlab library retire 7 --reason "活动已结束"
    """
    from scriptlab.library.approval import entry_of_topic
    from scriptlab.library.approval import retire as retire_entry

    if (topic is None) == (entry is None):
        raise UsageError("Give the TOPIC to retire, or --entry N (not both).")
    ws = _open(workspace)
    entry_id = entry if entry is not None else entry_of_topic(ws, int(topic))  # type: ignore[arg-type]
    change = retire_entry(ws, entry_id, by=by, reason=reason)
    console.done(f"Retired topic {change.topic_id} (library entry {change.entry_id}): "
                 f"{_short(change.question)} — by {change.actor}. Publish with: scriptlab publish")


@library_app.command("list")
def list_command(
    all_entries: Annotated[bool, typer.Option("--all", help="Include retired entries.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The library's entries (active ones unless --all).

    Example: scriptlab library list --all
    """
    from scriptlab.library.approval import list_entries

    entries = list_entries(_open(workspace), include_retired=all_entries)
    if not entries:
        console.info("The library is empty. Approve scripts with: scriptlab library candidates")
        return
    rows = [
        {"entry": e.id, "code": e.code or "", "topic": e.topic_id, "category": e.category,
         "status": e.status,
         "question": _short(e.question, 24), "script": _short(e.script), "score": _score(e.score),
         "week": e.quiz_week, "approved": f"{e.approved_by} {e.approved_at:%Y-%m-%d}"}
        for e in entries
    ]
    columns = ["topic", "entry", "code", "category", "question", "script", "score", "week",
               "approved"]
    if all_entries:
        columns.insert(4, "status")
    console.table(rows, columns, title=f"{len(rows)} entries")


@library_app.command()
def due(workspace: WorkspaceOption = None) -> None:
    """Scripts to re-check: not reviewed within [library] review_days, or asked differently.

    Example: scriptlab library due
    """
    from scriptlab.library.freshness import due_entries

    found = due_entries(_open(workspace))
    if not found:
        console.info("Nothing is due for review: every entry was reviewed recently and no "
                     "mining run since found new wordings or a rising question.")
        return
    rows = [
        {"topic": r.topic_id, "entry": r.entry_id, "question": _short(r.question, 24),
         "reviewed": f"{r.reviewed_at:%Y-%m-%d}", "due": f"{r.due_at:%Y-%m-%d}",
         "why": "; ".join(r.reasons)}
        for r in found
    ]
    console.table(rows, ["topic", "entry", "question", "reviewed", "due", "why"],
                  title=f"{len(rows)} due for review")
    console.info("Still right? Mark it with: scriptlab library reviewed TOPIC   "
                 "(or change it: scriptlab library approve TOPIC --edit)")


def _entry_id(ws, topic: int | None, entry: int | None) -> int:
    """The library entry a command means: the topic's active one, or --entry N."""
    from scriptlab.library.approval import entry_of_topic

    if (topic is None) == (entry is None):
        raise UsageError("Give the TOPIC, or --entry N (not both).")
    return entry if entry is not None else entry_of_topic(ws, int(topic))  # type: ignore[arg-type]


EntryOption = Annotated[
    int | None,
    typer.Option("--entry", help="This library entry number instead of a topic.",
                 show_default=False),
]


@library_app.command()
def reviewed(
    topic: Annotated[int | None, typer.Argument(
        metavar="TOPIC", help="The topic whose script is still right (see `library due`).",
        show_default=False)] = None,
    entry: EntryOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="What was checked (kept in the history).",
                                 show_default=False),
    ] = None,
    by: ByOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Confirm a script is still right; its review interval starts again.

    Example: scriptlab library reviewed 7 --note "运费规则未变"
    """
    from scriptlab.library.freshness import mark_reviewed

    ws = _open(workspace)
    state = mark_reviewed(ws, _entry_id(ws, topic, entry), by=by, note=note)
    left = f" Still flagged: {'; '.join(state.reasons)}." if state.stale else ""
    console.done(f"Reviewed topic {state.topic_id} (library entry {state.entry_id}): "
                 f"{_short(state.question)}; next review due {state.due_at:%Y-%m-%d}.{left} "
                 "Publish with: scriptlab publish")


@library_app.command()
def code(
    new_code: Annotated[str, typer.Argument(metavar="CODE",
                                            help="The quick-reply code agents type, e.g. fh1.")],
    topic: Annotated[int | None, typer.Option(
        "--topic", "-t", help="The topic whose script gets the code (see `library list`).",
        show_default=False)] = None,
    entry: EntryOption = None,
    by: ByOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Set a script's quick-reply code (快捷编码) in the 千牛/飞鸽/京麦 files.

    Example: scriptlab library code fh1 --topic 7
    """
    from scriptlab.library.codes import set_code

    ws = _open(workspace)
    change = set_code(ws, _entry_id(ws, topic, entry), new_code, by=by)
    console.done(f"Topic {change.topic_id} (library entry {change.entry_id}, "
                 f"{_short(change.question)}) now has code {new_code.strip()}. "
                 "Publish with: scriptlab publish")


@library_app.command()
def history(
    entry: Annotated[
        int | None, typer.Argument(metavar="ENTRY", help="Only this library entry.",
                                   show_default=False)
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Who approved, replaced, edited or retired what, and when.

    Example: scriptlab library history 7
    """
    from scriptlab.library.approval import history as read_history

    events = read_history(_open(workspace), entry)
    if not events:
        console.info("No library changes recorded yet.")
        return
    rows = [
        {"when": f"{e.at:%Y-%m-%d %H:%M}", "entry": e.entry_id, "action": e.action,
         "by": e.actor, "detail": _detail(e.detail)}
        for e in events
    ]
    console.table(rows, ["when", "entry", "action", "by", "detail"])


def _detail(detail: dict) -> str:
    parts = []
    if detail.get("answer_id") is not None:
        parts.append(f"answer {detail['answer_id']} ({_score(detail.get('score'))}, "
                     f"{detail.get('quiz_week') or '-'})")
    if detail.get("edited"):
        parts.append("edited")
    if detail.get("reinstated"):
        parts.append("reinstated")
    if detail.get("reason"):
        parts.append(f"reason: {detail['reason']}")
    return "; ".join(parts)


@library_app.command()
def versions(workspace: WorkspaceOption = None) -> None:
    """Published library versions and their changelogs.

    Example: scriptlab library versions
    """
    from scriptlab.library.publish import list_versions

    found = list_versions(_open(workspace))
    if not found:
        console.info("Nothing published yet. Publish with: scriptlab publish")
        return
    rows = [
        {"version": f"v{v.version}", "published": f"{v.created_at:%Y-%m-%d %H:%M}",
         "by": v.created_by, "entries": len(v.entries),
         "added": len(v.changelog.get("added", [])),
         "changed": len(v.changelog.get("changed", [])),
         "retired": len(v.changelog.get("retired", []))}
        for v in found
    ]
    console.table(rows, ["version", "published", "by", "entries", "added", "changed", "retired"])


def publish(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: reports/library-v<N>/).",
                     show_default=False),
    ] = None,
    by: ByOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Publish a new version even if nothing changed."),
    ] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Publish the library as a new version: faq.json, index.html, faq.md, faq.csv, faq.xlsx.

    Example: scriptlab publish --by 张三
    """
    from scriptlab.library.publish import publish as publish_library

    result = publish_library(_open(workspace), out=out, by=by, force=force)
    if not result.created:
        prev = result.previous
        console.info(f"Nothing changed since v{prev.version} (published "
                     f"{prev.created_at:%Y-%m-%d %H:%M} by {prev.created_by}); no new version. "
                     "Use --force to publish anyway.")
        return
    lib, log = result.library, result.library.changelog
    console.done(
        f"Published library v{lib.version}: {len(lib.entries)} entries (added "
        f"{len(log['added'])}, changed {len(log['changed'])}, retired {len(log['retired'])}) "
        f"by {lib.published_by}"
    )
    for path in result.files:
        console.info(f"    {path}")
    for q in result.quick_replies:
        console.info(f"{q.layout.title}: {q.written} of {len(lib.entries)} scripts in {q.path.name}"
                     + (f"; {len(q.with_variables)} with fill-in variables" if q.with_variables
                        else ""))
        for entry_id, code, length in q.too_long:
            console.warn(f"    entry {entry_id} (code {code}) left out of {q.path.name}: "
                         f"{length} characters, over {q.layout.title}'s "
                         f"{q.layout.max_length}. Shorten it (scriptlab library approve --edit) "
                         "or raise [library] quick_replies max_length if the platform allows.")


def lookup(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="The customer's words, as typed.")],
    top: Annotated[int, typer.Option("--top", "-n", help="How many entries to show.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    library: Annotated[
        Path | None,
        typer.Option("--library", "-l", help="A faq.json, or a workspace folder (default: the "
                     "workspace's newest published version).", show_default=False),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option("--min-confidence", help="Below this score (0-1) say there is no good "
                     "match (default: the library's setting).", show_default=False),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Find the approved script for what a customer wrote.

    Example: scriptlab lookup "亲，拍下后几天能发货？"
    """
    from scriptlab.library.lookup import lookup as find

    result = find(query, library, workspace=workspace, top=top, min_confidence=min_confidence)
    if as_json:
        import json

        typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    if not result.matches:
        typer.secho(f"No good match for “{query}”: no entry shares any words with it.",
                    fg=typer.colors.YELLOW)
    elif not result.confident:
        typer.secho(f"No good match for “{query}” (best score {result.matches[0].score:.2f} "
                    f"< {result.min_confidence:.2f}). Nearest entries:", fg=typer.colors.YELLOW)
    for m in result.matches:
        e = m.entry
        category = f"[{e.category}] " if e.category else ""
        typer.secho(f"{m.rank}. {category}{e.question}   score {m.score:.2f}   #{e.id}",
                    bold=result.confident and m.rank == 1)
        typer.echo("   " + "\n   ".join(e.script.splitlines() or [""]))
        if m.matched != e.question:
            typer.secho(f"   (matched “{m.matched}”)", dim=True)
    lib = result.library
    published = f" ({lib.published_at[:10]})" if lib.published_at else ""
    typer.secho(f"library v{lib.version}{published}: {lib.source}", dim=True, err=True)


def register(app: typer.Typer) -> None:
    """Add this stage's commands to the main app."""
    app.add_typer(library_app, name="library")
    app.command()(publish)
    app.command()(lookup)
