"""The web app's step of `scriptlab demo`: one person of each role and their sign-in
links, so the demo workspace can be opened in the browser right away."""

from __future__ import annotations

import sqlalchemy as sa

from scriptlab.demo.step import DemoStep
from scriptlab.people.signin import invite_users
from scriptlab.people.users import add_user
from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

PEOPLE = (("trainer", "培训师"), ("lead", "王组长"), ("reviewer", "质检"))


def demo_step(ws: Workspace) -> DemoStep:
    """Users trainer, lead, reviewer and the first roster agent, with one link each."""
    with ws.engine.connect() as conn:
        agent_id = conn.execute(sa.select(schema.agents.c.id).order_by(schema.agents.c.id)
                                .limit(1)).scalar()
    names = []
    for role, name in PEOPLE:
        add_user(ws, name, role)
        names.append(name)
    if agent_id:
        names.append(add_user(ws, agent_id, "agent", agent_id=agent_id).name)
    invites = invite_users(ws, names, days=ws.settings.web.link_days)
    base = ws.settings.web.base_url
    return DemoStep(
        "serve",
        f"open the demo in the browser: scriptlab serve -w {ws.root}, then one of these "
        "one-time sign-in links",
        [(f"{i.user.role} {i.user.name}", i.url(base)) for i in invites],
    )
