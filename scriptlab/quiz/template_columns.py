"""The answer template's layout: the contract between `quiz new` and `answers import`.

`scriptlab quiz new` writes two equivalent files the agents fill in and hand back:

* `answers-<week>.xlsx`: one sheet per agent, named by agent id (characters Excel forbids
  in sheet names, ``[]:*?/\\``, become ``_``; cut to 31 characters). Row 1 holds exactly
  the `ANSWER_COLUMNS` names, then one row per question in that agent's order. Every
  cell is locked (sheet protection on, no password) except the `answer` column. A hidden
  sheet `META_SHEET` holds ``key | value`` rows (`format`, `version`, `quiz_id`,
  `quiz_week`, `team`, `seed`, `columns`) and, under a ``sheet | agent_id | agent_name``
  header row, which sheet belongs to which agent.
* `answers-<week>.csv`: the same columns, one row per agent × question (UTF-8 with BOM,
  so Excel opens the Chinese text correctly).

`question_id` is `quiz_questions.id`: it alone identifies quiz and question, whatever
order the agent saw (`question_no`). Text cells starting with = + - @ are prefixed with
``'`` so spreadsheets never run them as formulas.
"""

from __future__ import annotations

QUIZ_WEEK = "quiz_week"
QUESTION_ID = "question_id"
QUESTION_NO = "question_no"
QUESTION = "question"
PHRASINGS = "phrasings"
AGENT_ID = "agent_id"
AGENT_NAME = "agent_name"
ANSWER = "answer"

# Column order of both files.
ANSWER_COLUMNS: tuple[str, ...] = (
    QUIZ_WEEK, QUESTION_ID, QUESTION_NO, QUESTION, PHRASINGS, AGENT_ID, AGENT_NAME, ANSWER,
)
# The only column agents may edit.
EDITABLE_COLUMNS: tuple[str, ...] = (ANSWER,)

META_SHEET = "_meta"
TEMPLATE_FORMAT = "scriptlab-answer-template"
TEMPLATE_VERSION = 1
# How phrasings are joined in one cell (the XLSX shows them on separate lines).
PHRASINGS_SEPARATOR_CSV = " / "
PHRASINGS_SEPARATOR_XLSX = "\n"
