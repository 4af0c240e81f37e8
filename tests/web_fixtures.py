"""A workspace with a quiz and one user per role, and TestClients signed in as each.

Sign-in goes through the real routes (link → confirm page → POST), so every client holds
a real session cookie and CSRF token."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient
from scoring_fixtures import AGENTS, BuiltQuiz, build_quiz

from scriptlab.people.signin import invite_users
from scriptlab.people.users import add_user
from scriptlab.store.workspace import Workspace
from scriptlab.web.app import create_app

ROLES = ("agent", "reviewer", "trainer", "lead")
USERS = {"agent": "kf_01", "agent2": "kf_02", "reviewer": "评审甲", "reviewer2": "rev_b",
         "trainer": "trainer_wu", "lead": "lead_zhou"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Team:
    ws: Workspace
    quiz: BuiltQuiz
    app: object


def build_team(ws: Workspace) -> Team:
    """Quiz 2026-W48 (3 questions, agents kf_01..kf_04) and users for every role."""
    quiz = build_quiz(ws)
    add_user(ws, USERS["agent"], "agent")
    add_user(ws, USERS["agent2"], "agent")
    add_user(ws, USERS["reviewer"], "reviewer")
    add_user(ws, USERS["reviewer2"], "reviewer")
    add_user(ws, USERS["trainer"], "trainer")
    add_user(ws, USERS["lead"], "lead")
    return Team(ws, quiz, create_app(ws))


def link_token(ws: Workspace, name: str) -> str:
    return invite_users(ws, [name])[0].token


def signed_in(team: Team, who: str) -> TestClient:
    """A client signed in as USERS[who] (or anonymous for who == "anonymous")."""
    client = TestClient(team.app, follow_redirects=False)
    if who == "anonymous":
        return client
    token = link_token(team.ws, USERS[who])
    page = client.get(f"/signin/{token}")
    assert page.status_code == 200, page.text
    done = client.post(f"/signin/{token}", data={"csrf": CSRF.search(page.text).group(1)})
    assert done.status_code == 303, done.text
    return client


def csrf_of(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return CSRF.search(page.text).group(1)


AUTHORS = [s for pair in AGENTS for s in pair]  # every agent id and name
