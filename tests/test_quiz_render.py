"""Quiz sheet rendering: golden HTML/Markdown, per-agent sheets, template overrides.

Regenerate the golden files after an intended change with:
    SCRIPTLAB_REGEN_GOLDEN=1 pytest tests/test_quiz_render.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from quiz_fixtures import NOW, G, QuizWorkspace, standard_workspace

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.new import new_quiz
from scriptlab.quiz.output import render_quiz
from scriptlab.quiz.sheets import Agent
from scriptlab.templating import markdown_inline

GOLDEN = Path(__file__).parent / "golden" / "quiz"
AGENTS = [Agent("kf_01", "王小丽", "售前组"), Agent("kf_02", "李娜", "售前组")]


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SCRIPTLAB_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with SCRIPTLAB_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


@pytest.fixture
def quiz(tmp_path: Path):
    built = standard_workspace(tmp_path)
    built.add_run((
        G("什么时候发货？", 120, (("亲，什么时候发货呀", 40), ("今天能发货吗", 30),
                              ("几天发货", 20), ("明天能到吗", 5))),
        G("能便宜点吗？<script>", 90, (("有 *优惠* 吗 & 券", 9), ("# 满减_活动", 3))),
        G("查一下快递 <订单号>", 50),
    ))
    return new_quiz(built.ws, week="2026-W48", size=3, seed=11, now=NOW).quiz


def render(quiz, shuffle: bool, templates_dir: Path | None = None) -> dict[str, str]:
    files = render_quiz(quiz, AGENTS, shuffle=shuffle, answer_lines=3,
                        templates_dir=templates_dir)
    return {name: data.decode("utf-8") for name, data in files.items()
            if name.endswith((".html", ".md"))}


def test_golden_shared_sheet(quiz) -> None:
    files = render(quiz, shuffle=False)
    check_golden("sheet.html", files["quiz-2026-W48.html"])
    check_golden("sheet.md", files["quiz-2026-W48.md"])


def test_golden_shuffled_per_agent_sheets(quiz) -> None:
    files = render(quiz, shuffle=True)
    check_golden("sheet_per_agent.html", files["quiz-2026-W48.html"])
    check_golden("sheet_per_agent.md", files["quiz-2026-W48.md"])


def test_sheet_content_and_escaping(quiz) -> None:
    html = render(quiz, shuffle=False)["quiz-2026-W48.html"]
    assert "size: A4;" in html and "@page {" in html
    assert "姓名 Name" in html and "工号 Agent ID" in html
    assert html.count('<li class="q"') == 3
    assert html.count("<div></div>") == 9  # 3 ruled lines per question
    # Customer text is escaped: masks print, markup never runs.
    assert "查一下快递 &lt;订单号&gt;" in html
    assert "<script>" not in html and "能便宜点吗？&lt;script&gt;" in html
    # At most `phrasings` (3) real customer wordings per question.
    assert "明天能到吗" not in html and "几天发货" in html
    md = render(quiz, shuffle=False)["quiz-2026-W48.md"]
    assert r"有 \*优惠\* 吗 &amp; 券" in md and r"\# 满减\_活动" in md


def test_shuffled_sheets_are_per_agent_and_stable(quiz) -> None:
    html = render(quiz, shuffle=True)["quiz-2026-W48.html"]
    assert html.count('<section class="sheet">') == 2
    assert ">王小丽<" in html and ">kf_02<" in html
    assert render(quiz, shuffle=True)["quiz-2026-W48.html"] == html


def test_workspace_template_overrides_the_builtin(quiz, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "quiz_sheet.md.j2").write_text(
        "# {{ shop }}{{ quiz.week }}\n{% for q in sheets[0].questions %}{{ q.no }}|{{ q.question }}\n"
        "{% endfor %}".replace("{{ shop }}", "本店 "),
        encoding="utf-8",
    )
    files = render(quiz, shuffle=False, templates_dir=templates)
    assert files["quiz-2026-W48.md"] == (
        "# 本店 2026-W48\n1|什么时候发货？\n2|能便宜点吗？&lt;script&gt;\n3|查一下快递 &lt;订单号&gt;\n"
    )
    assert files["quiz-2026-W48.html"].startswith("<!doctype html>")  # built-in still used


def test_broken_override_is_a_clear_error(quiz, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "quiz_sheet.html.j2").write_text("{{ nonsense.field }}", encoding="utf-8")
    with pytest.raises(ScriptlabError) as err:
        render(quiz, shuffle=False, templates_dir=templates)
    assert str(err.value) == (
        f"Template {templates / 'quiz_sheet.html.j2'} failed: 'nonsense' is undefined. "
        "Fix the template or remove it to use the built-in one."
    )


def test_override_used_by_quiz_new(tmp_path: Path) -> None:
    built = standard_workspace(tmp_path)
    built.ws.templates_dir.mkdir()
    (built.ws.templates_dir / "quiz_sheet.html.j2").write_text(
        "<h1>{{ quiz.week }}</h1>", encoding="utf-8")
    result = new_quiz(built.ws, week="2026-W48", now=NOW)
    assert result.files.html.read_text(encoding="utf-8") == "<h1>2026-W48</h1>"


def test_markdown_inline_filter() -> None:
    assert str(markdown_inline("a_b *c*\n[d] <e>")) == r"a\_b \*c\* \[d\] &lt;e&gt;"


def test_empty_workspace_builder_is_independent(tmp_path: Path) -> None:
    # Guard for the fixture itself: ids start at 1 in every fresh workspace (golden files rely
    # on it).
    built = QuizWorkspace.create(tmp_path)
    assert built.add_run(()) == 1
