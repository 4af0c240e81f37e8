"""`scriptlab topics list|ban|unban|merge|split|rename`: the trainer's control over topics."""

from __future__ import annotations

from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

topics_app = App(help="The topics mined questions belong to: list, ban, merge, split, rename "
                 "(remembered across runs).")

TopicsArg = Annotated[list[int], typer.Argument(metavar="TOPIC...", help="Topic numbers "
                                                "(as `scriptlab topics list` shows them).",
                                                show_default=False)]
TopicArg = Annotated[int, typer.Argument(metavar="TOPIC", help="A topic number.",
                                         show_default=False)]


def register(app: typer.Typer) -> None:
    """Add the topics commands to the main app."""
    app.add_typer(topics_app, name="topics")


@topics_app.command("list")
def topics_list(
    all_: Annotated[bool, typer.Option("--all", help="Also list topics merged into others.")]
    = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show every topic with its number, label, status and latest count.

    Example: scriptlab topics list
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import list_topics

    rows = list_topics(open_workspace(workspace), include_merged=all_)
    if not rows:
        console.info("No topics yet; mine some chat logs first: scriptlab mine chats.csv")
        return
    console.table(
        [{"topic": r.id, "label": r.label, "status": r.status + (
            f" → {r.merged_into}" if r.merged_into else ""),
          "latest run": r.last_run_id or "", "messages": r.last_count} for r in rows],
        ["topic", "label", "status", "latest run", "messages"], title=f"{len(rows)} topics")


@topics_app.command("ban")
def topics_ban(topics: TopicsArg, workspace: WorkspaceOption = None) -> None:
    """Never quiz these topics again (a phone number mined as a question, …).

    Example: scriptlab topics ban 12 31
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import set_banned

    labels = set_banned(open_workspace(workspace), topics, True)
    console.done("Banned " + ", ".join(f"topic {t} ({label})"
                                       for t, label in zip(topics, labels, strict=True))
                 + "; later quizzes leave them out.")


@topics_app.command("unban")
def topics_unban(topics: TopicsArg, workspace: WorkspaceOption = None) -> None:
    """Let banned topics be quizzed again.

    Example: scriptlab topics unban 12
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import set_banned

    labels = set_banned(open_workspace(workspace), topics, False)
    console.done("Unbanned " + ", ".join(f"topic {t} ({label})"
                                         for t, label in zip(topics, labels, strict=True)) + ".")


@topics_app.command("merge")
def topics_merge(
    topics: TopicsArg,
    into: Annotated[int, typer.Option("--into", metavar="TOPIC", help="The topic they become.",
                                      show_default=False)],
    workspace: WorkspaceOption = None,
) -> None:
    """Merge topics into one; later mining runs keep them merged.

    Example: scriptlab topics merge 8 14 --into 3
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import merge_topics

    label = merge_topics(open_workspace(workspace), topics, into)
    console.done(f"Merged topic(s) {', '.join(map(str, topics))} into topic {into} ({label}).")


@topics_app.command("split")
def topics_split(
    topic: TopicArg,
    phrasings: Annotated[list[str], typer.Argument(metavar="PHRASING...", help="Customer "
                                                   "phrasings that belong to a new topic.",
                                                   show_default=False)],
    label: Annotated[str | None, typer.Option(help="Label of the new topic (default: the "
                                              "first phrasing).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Split phrasings off a topic into a new one; later runs follow.

    Example: scriptlab topics split 7 "能开专票吗" "增值税发票怎么开" --label 专票
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import split_topic

    new = split_topic(open_workspace(workspace), topic, phrasings, label)
    console.done(f"New topic {new} ({label or phrasings[0]}) split off topic {topic}; the "
                 "next mining run matches those phrasings to it.")


@topics_app.command("rename")
def topics_rename(topic: TopicArg,
                  label: Annotated[str, typer.Argument(metavar="LABEL", help="The new label.",
                                                       show_default=False)],
                  workspace: WorkspaceOption = None) -> None:
    """Give a topic a clearer label.

    Example: scriptlab topics rename 7 发票
    """
    from scriptlab.store.workspace import open_workspace
    from scriptlab.topics.decisions import rename_topic

    old = rename_topic(open_workspace(workspace), topic, label)
    console.done(f"Topic {topic}: {old} → {label}")
