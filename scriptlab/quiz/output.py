"""Everything a quiz produces, rendered in memory first and then written all together.

Files go to `reports/quiz-<week>/` (`quiz-<week>-<team>/` for a team) unless another
folder is given. Each is written under a temporary name and renamed into place, so a
failed run never leaves a half-written sheet behind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scriptlab.files import write_files
from scriptlab.quiz.answer_template import answer_template_csv, answer_template_xlsx
from scriptlab.quiz.quizzes import Quiz
from scriptlab.quiz.render import HTML_TEMPLATE, MARKDOWN_TEMPLATE, render_sheet
from scriptlab.quiz.sheets import Agent, agent_sheet, agent_sheets
from scriptlab.store.workspace import Workspace

_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")


@dataclass(frozen=True)
class QuizFiles:
    """Paths of a quiz's outputs."""

    html: Path
    markdown: Path
    xlsx: Path
    csv: Path
    per_agent: tuple[Path, ...] = ()

    def labelled(self) -> list[tuple[str, Path]]:
        """(label, path) pairs, in the order they are printed."""
        return [("printable sheet", self.html), ("markdown sheet", self.markdown),
                ("answer template", self.xlsx), ("answer template (CSV)", self.csv),
                *(("answer template (one agent)", p) for p in self.per_agent)]


def default_out_dir(ws: Workspace, week: str, team: str | None) -> Path:
    """`reports/quiz-<week>/`, or `reports/quiz-<week>-<team>/` for a team's quiz."""
    name = f"quiz-{week}" + (f"-{_UNSAFE.sub('_', team).strip('_.')}" if team else "")
    return ws.reports_dir / name


def render_quiz(
    quiz: Quiz, agents: Sequence[Agent], *, shuffle: bool, answer_lines: int,
    templates_dir: Path | None, per_agent_files: bool = False,
) -> dict[str, bytes]:
    """File name -> content for the HTML and Markdown sheets and both answer templates.

    Without shuffling the sheet is one blank copy to print for everyone; with shuffling
    each agent gets a page with their name and their own question order. The answer
    templates always have one sheet (XLSX) or block of rows (CSV) per agent; with
    `per_agent_files` each agent also gets a workbook of their own,
    `answers-<week>-<agent id>.xlsx`, to hand out instead of copies of the whole one.
    """
    per_agent = agent_sheets(quiz, agents, shuffle)
    printed = per_agent if shuffle else [agent_sheet(quiz, None, False)]
    stem = f"quiz-{quiz.week}"
    return {
        f"{stem}.html": render_sheet(HTML_TEMPLATE, quiz, printed, answer_lines=answer_lines,
                                     templates_dir=templates_dir).encode("utf-8"),
        f"{stem}.md": render_sheet(MARKDOWN_TEMPLATE, quiz, printed, answer_lines=answer_lines,
                                   templates_dir=templates_dir).encode("utf-8"),
        f"answers-{quiz.week}.xlsx": answer_template_xlsx(quiz, per_agent),
        f"answers-{quiz.week}.csv": answer_template_csv(quiz, per_agent),
        **({agent_file_name(quiz.week, sheet.agent.id): answer_template_xlsx(quiz, [sheet])
            for sheet in per_agent if sheet.agent} if per_agent_files else {}),
    }


def agent_file_name(week: str, agent_id: str) -> str:
    """`answers-<week>-<agent id>.xlsx`, the id made safe for file names."""
    return f"answers-{week}-{_UNSAFE.sub('_', agent_id).strip('_.') or 'agent'}.xlsx"


def write_quiz_files(out_dir: Path, contents: dict[str, bytes]) -> QuizFiles:
    """Write rendered files (temporary names first, then renamed) and return their paths."""
    write_files(out_dir, contents, force_hint="choose another folder with --out")
    names = list(contents)
    by_suffix = {Path(name).suffix: out_dir / name for name in names[:4]}
    return QuizFiles(html=by_suffix[".html"], markdown=by_suffix[".md"],
                     xlsx=by_suffix[".xlsx"], csv=by_suffix[".csv"],
                     per_agent=tuple(out_dir / name for name in names[4:]))
