"""Render the quiz sheet (printable HTML, Markdown) from jinja2 templates.

Templates live in `scriptlab/quiz/templates/`; a shop overrides one by dropping a file
with the same name into `<workspace>/templates/`. Autoescaping is always on: the
questions are customer text, and a masked `<手机号>` must print, not vanish as a tag.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from scriptlab.errors import ScriptlabError
from scriptlab.quiz.quizzes import Quiz
from scriptlab.quiz.sheets import AgentSheet
from scriptlab.templating import environment

HTML_TEMPLATE = "quiz_sheet.html.j2"
MARKDOWN_TEMPLATE = "quiz_sheet.md.j2"


def template_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """Workspace templates first, then the built-in ones; autoescape on."""
    return environment("scriptlab.quiz", templates_dir)


def render_sheet(
    template: str,
    quiz: Quiz,
    sheets: Sequence[AgentSheet],
    *,
    answer_lines: int,
    templates_dir: Path | None = None,
) -> str:
    """Render one of the sheet templates (`HTML_TEMPLATE`, `MARKDOWN_TEMPLATE`).

    Parameters
    ----------
    template
        Template name, looked up in `templates_dir` first.
    quiz
        The stored quiz (week, team, id).
    sheets
        The sheets to print: one blank shared sheet, or one per agent.
    answer_lines
        Ruled lines under each question.
    templates_dir
        The workspace's template folder (overrides).
    """
    env = template_environment(templates_dir)
    try:
        tmpl = env.get_template(template)
        return tmpl.render(
            quiz=quiz, sheets=list(sheets), answer_lines=answer_lines,
            generated=quiz.created_at.strftime("%Y-%m-%d"),
        )
    except jinja2.TemplateError as exc:
        override = templates_dir / template if templates_dir is not None else None
        where = override if override is not None and override.exists() else template
        raise ScriptlabError(
            f"Template {where} failed: {exc}. Fix the template or remove it to use the "
            "built-in one."
        ) from exc
