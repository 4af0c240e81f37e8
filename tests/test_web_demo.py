"""The web step of `scriptlab demo`: one working sign-in link per role."""

from __future__ import annotations

from fastapi.testclient import TestClient
from scoring_fixtures import build_quiz

from scriptlab.demo.serve import demo_step
from scriptlab.web.app import create_app


def test_demo_prints_a_working_link_per_role(workspace) -> None:
    build_quiz(workspace)
    step = demo_step(workspace)
    assert step.stage == "serve" and f"scriptlab serve -w {workspace.root}" in step.summary
    assert [label.split()[0] for label, _ in step.outputs] == ["trainer", "lead", "reviewer",
                                                                "agent"]
    client = TestClient(create_app(workspace))
    for _, link in step.outputs:
        assert link.startswith("http://127.0.0.1:8000/signin/")
        page = client.get(link.removeprefix("http://127.0.0.1:8000"))
        assert page.status_code == 200 and "登录" in page.text
