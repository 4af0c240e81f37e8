"""Users, sign-in links and sessions (scriptlab.people) and their commands."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from scoring_fixtures import build_quiz
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError, UsageError
from scriptlab.people.signin import (
    SignInError,
    invite_quiz,
    invite_users,
    redeem_link,
    session_user,
    token_hash,
)
from scriptlab.people.users import add_user, list_users, revoke_user
from scriptlab.store import schema

NOW = datetime(2026, 11, 27, 9, 0)


def test_agents_map_to_the_roster(workspace) -> None:
    build_quiz(workspace)
    by_id = add_user(workspace, "kf_01", "agent")
    by_name = add_user(workspace, "阿强", "agent")
    assert (by_id.agent_id, by_name.agent_id) == ("kf_01", "kf_02")
    with pytest.raises(ScriptlabError, match="no roster agent with id or name 路人; pass "
                       "--agent AGENT_ID"):
        add_user(workspace, "路人", "agent")
    with pytest.raises(ScriptlabError, match="Agent kf_01 already signs in as user kf_01"):
        add_user(workspace, "xiaomei", "agent", agent_id="kf_01")
    with pytest.raises(UsageError, match="--role: 'boss' is not a role; use one of trainer, "
                       "lead, reviewer, agent."):
        add_user(workspace, "boss", "boss")
    with pytest.raises(ScriptlabError, match="User kf_01 already exists"):
        add_user(workspace, "kf_01", "reviewer")
    with pytest.raises(UsageError, match="not a usable user name"):
        add_user(workspace, "two words", "reviewer")


def test_tokens_are_stored_hashed_and_work_once(workspace) -> None:
    user = add_user(workspace, "zhang", "reviewer")
    (invite,) = invite_users(workspace, ["zhang"], now=NOW)
    with workspace.engine.connect() as conn:
        stored = conn.execute(sa.select(schema.sign_in_links.c.token_hash)).scalars().all()
    assert stored == [token_hash(invite.token)] and invite.token not in stored
    session = redeem_link(workspace, invite.token, now=NOW + timedelta(hours=1))
    assert session.user == user
    assert session_user(workspace, session.token, now=NOW + timedelta(hours=2)).user == user
    with pytest.raises(SignInError) as used:
        redeem_link(workspace, invite.token, now=NOW + timedelta(hours=1))
    assert used.value.reason == "used"
    assert session_user(workspace, session.token, now=NOW + timedelta(days=30)) is None


def test_links_expire(workspace) -> None:
    add_user(workspace, "zhang", "reviewer")
    (invite,) = invite_users(workspace, ["zhang"], days=2, now=NOW)
    with pytest.raises(SignInError) as expired:
        redeem_link(workspace, invite.token, now=NOW + timedelta(days=2, seconds=1))
    assert expired.value.reason == "expired"
    assert str(expired.value) == "This sign-in link is expired; ask your trainer for a new one."


def test_quiz_invite_covers_the_quiz_agents_and_reviewers(workspace) -> None:
    quiz = build_quiz(workspace)
    add_user(workspace, "zhang", "reviewer")
    add_user(workspace, "wu", "trainer")
    invites = invite_quiz(workspace, quiz.quiz_id, now=NOW)
    assert sorted(i.user.name for i in invites) == ["kf_01", "kf_02", "kf_03", "kf_04", "zhang"]
    assert {u.role for u in list_users(workspace, "agent")} == {"agent"}
    again = invite_quiz(workspace, quiz.quiz_id, now=NOW)  # no second user per agent
    assert len(again) == 5 and len(list_users(workspace)) == 6


def test_revoke(workspace) -> None:
    add_user(workspace, "zhang", "reviewer")
    (first,) = invite_users(workspace, ["zhang"], now=NOW)
    (second,) = invite_users(workspace, ["zhang"], now=NOW)
    session = redeem_link(workspace, first.token, now=NOW)
    assert revoke_user(workspace, "zhang", now=NOW) == (1, 1)
    assert session_user(workspace, session.token, now=NOW) is None
    with pytest.raises(SignInError) as revoked:
        redeem_link(workspace, second.token, now=NOW)
    assert revoked.value.reason == "revoked"
    with pytest.raises(ScriptlabError, match="User zhang is revoked; let them back in with "
                       "scriptlab users restore NAME first."):
        invite_users(workspace, ["zhang"])


def test_cli_users_and_invite(workspace, tmp_path) -> None:
    build_quiz(workspace)
    runner = CliRunner()
    ws = ["-w", str(workspace.root)]
    added = runner.invoke(app, ["users", "add", "zhang", "--role", "reviewer", *ws])
    assert added.exit_code == 0, added.output
    assert "http://127.0.0.1:8000/signin/" in added.output
    bad = runner.invoke(app, ["users", "add", "x", "--role", "boss", *ws])
    assert bad.exit_code == 2 and "--role: 'boss' is not a role" in bad.output
    out = tmp_path / "links.csv"
    invited = runner.invoke(app, ["quiz", "invite", "2026-W48", "-o", str(out), *ws])
    assert invited.exit_code == 0, invited.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["name"] for r in rows] == ["kf_01", "kf_02", "kf_03", "kf_04", "zhang"]
    assert all(r["link"].startswith("http://127.0.0.1:8000/signin/") for r in rows)
    revoked = runner.invoke(app, ["users", "revoke", "zhang", *ws])
    assert revoked.exit_code == 0 and "Revoked zhang: 2 unused links" in revoked.output
    missing = runner.invoke(app, ["users", "revoke", "nobody", *ws])
    assert missing.exit_code == 1 and "No user nobody; see scriptlab users list." in \
        missing.output
    closed = runner.invoke(app, ["quiz", "close", "2026-W48", *ws])
    assert closed.exit_code == 0 and "Closed quiz 2026-W48" in closed.output
