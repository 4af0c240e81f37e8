"""`scriptlab users ...` and `scriptlab quiz invite`: who may sign in, and their links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scriptlab import console
from scriptlab.console import App, WorkspaceOption

users_app = App(help="People who sign in to scriptlab serve: add, list, link, revoke.")

NameArg = Annotated[str, typer.Argument(help="User name (letters, digits, Chinese, . - _).",
                                        show_default=False)]
DaysOption = Annotated[int | None, typer.Option(
    "--days", min=1, help="Days the link stays valid (default: [web] link_days).")]


def register(app: typer.Typer, quiz_app: typer.Typer) -> None:
    """Add `users` to the main app and `invite` to `quiz`."""
    app.add_typer(users_app, name="users")
    quiz_app.command("invite")(quiz_invite)


def _print_links(invites, base_url: str) -> None:
    console.table([{"name": i.user.name, "role": i.user.role, "link": i.url(base_url)}
                   for i in invites], ["name", "role", "link"], title="Sign-in links")


@users_app.command("add")
def users_add(
    name: NameArg,
    role: Annotated[str, typer.Option("--role", "-r", help="trainer, lead, reviewer or agent.",
                                      show_default=False)],
    agent: Annotated[str | None, typer.Option(
        "--agent", help="Roster agent id this user answers as (agents; default: the roster "
        "agent whose id or name is NAME).")] = None,
    link: Annotated[bool, typer.Option("--link/--no-link", help="Print a sign-in link.")] = True,
    days: DaysOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a person who signs in to the web app, and print their sign-in link.

    Example: scriptlab users add zhang --role reviewer
    """
    from scriptlab.people.signin import invite_users
    from scriptlab.people.users import add_user
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    user = add_user(ws, name, role, agent_id=agent)
    console.done(f"Added {user.role} {user.name}"
                 + (f" (agent {user.agent_id})." if user.agent_id else "."))
    if link:
        _print_links(invite_users(ws, [user.name], days=days or ws.settings.web.link_days),
                     ws.settings.web.base_url)


@users_app.command("list")
def users_list(role: Annotated[str | None, typer.Option("--role", "-r")] = None,
               workspace: WorkspaceOption = None) -> None:
    """List users and their roles.

    Example: scriptlab users list --role reviewer
    """
    from scriptlab.people.users import list_users
    from scriptlab.store.workspace import open_workspace

    users = list_users(open_workspace(workspace), role)
    console.table([{"name": u.name, "role": u.role, "agent": u.agent_id or "",
                    "active": "yes" if u.active else "revoked"} for u in users],
                  ["name", "role", "agent", "active"], title=f"{len(users)} users")


@users_app.command("link")
def users_link(names: Annotated[list[str], typer.Argument(help="User names.",
                                                          show_default=False)],
               days: DaysOption = None, workspace: WorkspaceOption = None) -> None:
    """Print a new one-time sign-in link for each user.

    Example: scriptlab users link zhang li
    """
    from scriptlab.people.signin import invite_users
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    _print_links(invite_users(ws, names, days=days or ws.settings.web.link_days),
                 ws.settings.web.base_url)


@users_app.command("revoke")
def users_revoke(name: NameArg, workspace: WorkspaceOption = None) -> None:
    """Stop a user signing in: their open links and sessions end now.

    Example: scriptlab users revoke kf_07
    """
    from scriptlab.people.users import revoke_user
    from scriptlab.store.workspace import open_workspace

    links, sessions = revoke_user(open_workspace(workspace), name)
    console.done(f"Revoked {name}: {links} unused links and {sessions} sessions ended.")


@users_app.command("restore")
def users_restore(name: NameArg, workspace: WorkspaceOption = None) -> None:
    """Let a revoked user sign in again (give them a new link with scriptlab users link).

    Example: scriptlab users restore kf_07
    """
    from scriptlab.people.users import reactivate_user
    from scriptlab.store.workspace import open_workspace

    user = reactivate_user(open_workspace(workspace), name)
    console.done(f"{user.name} may sign in again; print a link with: scriptlab users link "
                 f"{user.name}")


def quiz_invite(
    week: Annotated[str, typer.Argument(help="ISO week, e.g. 2026-W48.", show_default=False)],
    team: Annotated[str | None, typer.Option("--team", "-t", help="Team of the quiz.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="CSV of the links (default: "
                                             "reports/invite-<week>.csv).")] = None,
    days: DaysOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Personal sign-in links for the quiz's agents and the reviewers: printed and as CSV.

    The CSV holds working links: send each person only their own, then delete the file.

    Example: scriptlab quiz invite 2026-W48
    """
    from scriptlab.people.signin import invite_quiz, write_invites_csv
    from scriptlab.scoring.quiz_data import find_quiz
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(workspace)
    quiz = find_quiz(ws, week, team)
    invites = invite_quiz(ws, quiz.id, days=days or ws.settings.web.link_days)
    path = write_invites_csv(out or ws.reports_dir / f"invite-{quiz.slug}.csv", invites,
                             ws.settings.web.base_url)
    _print_links(invites, ws.settings.web.base_url)
    console.done(f"{len(invites)} sign-in links for quiz {quiz.label} written to {path} "
                 "(each works once; send each person only their own).")
