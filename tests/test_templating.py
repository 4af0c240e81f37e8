"""Workspace template overrides: sandboxed, and never read from outside the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.templating import TemplateRefused, environment

runner = CliRunner()
POPEN = "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "ws" / "templates"
    folder.mkdir(parents=True)
    return folder


@pytest.mark.parametrize("payload", [
    POPEN,
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].system('true') }}",
])
def test_override_cannot_reach_python_internals(templates: Path, payload: str) -> None:
    (templates / "page.j2").write_text(payload, encoding="utf-8")
    with pytest.raises(TemplateRefused) as err:
        environment("scriptlab.mine", templates).get_template("page.j2").render()
    assert str(err.value).startswith("A template tried something templates may not do (")
    assert str(err.value).endswith("templates render in a sandbox. Remove that from the "
                                   "workspace template.")


def test_ordinary_override_still_renders(templates: Path) -> None:
    (templates / "page.j2").write_text("{% for x in items %}{{ x|upper }}{% endfor %} "
                                       "{{ '<b>' }} {{ d.items()|list|length }}",
                                       encoding="utf-8")
    out = environment("scriptlab.mine", templates).get_template("page.j2").render(
        items=["a", "b"], d={"k": 1})
    assert out == "AB &lt;b&gt; 1"


def test_symlink_out_of_the_workspace_is_refused(templates: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", encoding="utf-8")
    (templates / "mine_report.html.j2").symlink_to(secret)
    with pytest.raises(TemplateRefused) as err:
        environment("scriptlab.mine", templates).get_template("mine_report.html.j2")
    assert str(err.value) == (
        f"Template {templates / 'mine_report.html.j2'} leads outside the workspace (to "
        f"{secret.resolve()}); templates must be files inside {templates.parent.resolve()}. "
        "Copy the file there instead of linking to it.")


def test_symlink_inside_the_workspace_is_fine(templates: Path) -> None:
    shared = templates.parent / "shared.j2"
    shared.write_text("ok {{ n }}", encoding="utf-8")
    (templates / "page.j2").symlink_to(shared)
    assert environment("scriptlab.mine", templates).get_template("page.j2").render(n=1) == "ok 1"


def test_cli_reports_a_sandbox_breach_in_one_line(tmp_path: Path) -> None:
    from mine_fixtures import write_chat_log

    ws = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(ws)]).exit_code == 0
    (ws / "templates").mkdir()
    (ws / "templates" / "mine_report.html.j2").write_text(POPEN, encoding="utf-8")
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=40)
    result = runner.invoke(app, ["mine", str(log), "-w", str(ws)])
    assert result.exit_code == 1
    assert "pwned" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: A template tried something")
