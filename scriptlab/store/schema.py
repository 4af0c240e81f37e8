"""Database tables (SQLAlchemy Core), one block per pipeline stage.

The schema is versioned by `scriptlab.store.migrations`: a new database gets
these tables as they are now; an older database is brought forward by the
migrations listed there. Changing a table here means adding a migration.

Free text stored here (messages, answers) is always masked first: no phone,
order or ID number ever reaches the database.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


# -- bookkeeping ---------------------------------------------------------------------------

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

imports = sa.Table(
    "imports",
    metadata,
    _id(),
    sa.Column("kind", sa.String(32), nullable=False),  # chat_log, agents, answers, ratings
    sa.Column("source", sa.Text, nullable=False),  # file name as given
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False, default=0),
    sa.Column("detail", sa.JSON, nullable=True),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.Index("ix_imports_kind_sha", "kind", "sha256"),
)

# -- logs: imported chat messages (masked) -------------------------------------------------

messages = sa.Table(
    "messages",
    metadata,
    _id(),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("message_id", sa.Text, nullable=False),
    sa.Column("session_id", sa.Text, nullable=False),
    sa.Column("ts", sa.DateTime, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),  # customer | agent
    sa.Column("agent_id", sa.Text, nullable=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index("ix_messages_ts", "ts"),
    sa.Index("ix_messages_session", "session_id", "ts"),
)

# -- mine: mining runs and question groups -------------------------------------------------

mine_runs = sa.Table(
    "mine_runs",
    metadata,
    _id(),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("sources", sa.JSON, nullable=False),  # list of file names (or "workspace")
    sa.Column("since", sa.DateTime, nullable=True),
    sa.Column("until", sa.DateTime, nullable=True),
    sa.Column("first_ts", sa.DateTime, nullable=True),
    sa.Column("last_ts", sa.DateTime, nullable=True),
    sa.Column("stats", sa.JSON, nullable=False),  # messages read / skipped / questions / groups
    sa.Column("settings", sa.JSON, nullable=False),
)

# A topic is a question's identity across mining runs: each run's groups are matched to
# existing topics, so quizzes and the library can say "this question was asked before".
topics = sa.Table(
    "topics",
    metadata,
    _id(),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("first_run_id", sa.Integer, sa.ForeignKey("mine_runs.id"), nullable=True),
    sa.Column("last_run_id", sa.Integer, sa.ForeignKey("mine_runs.id"), nullable=True),
    # The trainer's decisions (`scriptlab topics ...`), kept across runs: a banned topic is
    # never quizzed; a merged one counts as `merged_into` wherever it turns up again.
    sa.Column("status", sa.String(16), nullable=False, default="active",
              server_default="active"),  # active | banned
    sa.Column("merged_into", sa.Integer, nullable=True),
    # Phrasings split off into this topic, and phrasings split away from it (JSON lists).
    sa.Column("phrasings", sa.JSON, nullable=True),
    sa.Column("excluded", sa.JSON, nullable=True),
)

question_groups = sa.Table(
    "question_groups",
    metadata,
    _id(),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("mine_runs.id"), nullable=False),
    sa.Column("topic_id", sa.Integer, sa.ForeignKey("topics.id"), nullable=True),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("representative", sa.Text, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("sessions", sa.Integer, nullable=False),
    sa.Column("customers", sa.Integer, nullable=False),
    sa.Column("share", sa.Float, nullable=False),
    sa.Column("prev_count", sa.Integer, nullable=True),
    sa.Column("trend", sa.Float, nullable=True),  # growth vs the previous period
    sa.Column("keywords", sa.JSON, nullable=False),
    sa.Index("ix_groups_run", "run_id", "rank"),
)

group_variants = sa.Table(
    "group_variants",
    metadata,
    _id(),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("question_groups.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index("ix_variants_group", "group_id"),
)

group_replies = sa.Table(
    "group_replies",
    metadata,
    _id(),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("question_groups.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("agents", sa.JSON, nullable=False),  # agent ids who sent this reply
    sa.Index("ix_replies_group", "group_id"),
)

# -- quiz: agents and weekly quizzes -------------------------------------------------------

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("team", sa.Text, nullable=True),
    sa.Column("email", sa.Text, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

quizzes = sa.Table(
    "quizzes",
    metadata,
    _id(),
    sa.Column("week", sa.String(16), nullable=False),  # ISO week, e.g. 2026-W48
    sa.Column("team", sa.Text, nullable=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("mine_runs.id"), nullable=False),
    sa.Column("seed", sa.Integer, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("week", "team", name="uq_quiz_week_team"),
)

quiz_questions = sa.Table(
    "quiz_questions",
    metadata,
    _id(),
    sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # 1-based question number
    sa.Column("topic_id", sa.Integer, sa.ForeignKey("topics.id"), nullable=False),
    sa.Column("group_id", sa.Integer, sa.ForeignKey("question_groups.id"), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("phrasings", sa.JSON, nullable=False),  # real customer phrasings shown as context
    sa.Column("reference", sa.Text, nullable=True),  # approved script, else best logged reply
    sa.Column("reason", sa.Text, nullable=False),  # why the selection policy picked it
    sa.UniqueConstraint("quiz_id", "position", name="uq_quiz_position"),
)

# -- scoring: answers, ratings, scores -----------------------------------------------------

answers = sa.Table(
    "answers",
    metadata,
    _id(),
    sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id"), nullable=False),
    sa.Column("question_id", sa.Integer, sa.ForeignKey("quiz_questions.id"), nullable=False),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # masked; empty string = no answer
    # Opaque code shown to reviewers instead of the agent (blind review), unique per quiz.
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("question_id", "agent_id", name="uq_answer_agent_question"),
    sa.UniqueConstraint("quiz_id", "code", name="uq_answer_code"),
)

ratings = sa.Table(
    "ratings",
    metadata,
    _id(),
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False),
    sa.Column("reviewer", sa.String(64), nullable=False),
    sa.Column("dimension", sa.String(64), nullable=False),
    sa.Column("value", sa.Integer, nullable=False),  # 1-5
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("answer_id", "reviewer", "dimension", name="uq_rating"),
)

scores = sa.Table(
    "scores",
    metadata,
    _id(),
    sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id"), nullable=False),
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=False),
    sa.Column("total", sa.Float, nullable=False),
    # signal name -> {value, weight, contribution, reason}; see scriptlab/scoring/combine.py
    sa.Column("components", sa.JSON, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),  # within its question, 1 = best
    sa.Column("is_winner", sa.Boolean, nullable=False),
    # Winners only: "reviewed" (had >= min_ratings reviewers) or "unreviewed" (no answer to
    # the question had enough ratings, so the automatic score chose it: confirm before use).
    sa.Column("winner_basis", sa.String(16), nullable=True),
    sa.Column("automatic", sa.Float, nullable=False),  # automatic signals only, 0-1
    sa.Column("rating", sa.Float, nullable=True),  # bias-corrected rating score 0-1, if rated
    sa.Column("reviewers", sa.Integer, nullable=False),  # how many reviewers rated it
    sa.Column("computed_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("answer_id", name="uq_score_answer"),
    sa.Index("ix_scores_quiz", "quiz_id"),
)

# -- library: approved scripts and published versions --------------------------------------

library_entries = sa.Table(
    "library_entries",
    metadata,
    _id(),
    sa.Column("topic_id", sa.Integer, sa.ForeignKey("topics.id"), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("variants", sa.JSON, nullable=False),
    sa.Column("script", sa.Text, nullable=False),
    sa.Column("category", sa.Text, nullable=True),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("answer_id", sa.Integer, sa.ForeignKey("answers.id"), nullable=True),
    sa.Column("author_agent_id", sa.String(64), nullable=True),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("quiz_week", sa.String(16), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),  # active | retired
    sa.Column("approved_by", sa.Text, nullable=False),
    sa.Column("approved_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    # The quick-reply code agents type in 千牛/飞鸽/京麦 (unique; kept across versions, editable
    # with `scriptlab library code`), and when a lead last confirmed the script is still right.
    sa.Column("short_code", sa.String(32), nullable=True),
    sa.Column("reviewed_at", sa.DateTime, nullable=True),
    sa.Index("ix_library_entries_short_code", "short_code", unique=True),
)

library_events = sa.Table(
    "library_events",
    metadata,
    _id(),
    sa.Column("entry_id", sa.Integer, sa.ForeignKey("library_entries.id"), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # approve|replace|edit|retire|review|code
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("detail", sa.JSON, nullable=True),
)

library_versions = sa.Table(
    "library_versions",
    metadata,
    _id(),
    sa.Column("version", sa.Integer, nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("changelog", sa.JSON, nullable=False),  # {added: [...], changed: [...], retired: []}
    sa.Column("snapshot", sa.JSON, nullable=False),  # the published entries
)

# -- people: who signs in to `scriptlab serve`, and the quiz as answered in the browser -----

users = sa.Table(
    "users",
    metadata,
    _id(),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),  # trainer | lead | reviewer | agent
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# One-time sign-in links; only the SHA-256 of the token is kept.
sign_in_links = sa.Table(
    "sign_in_links",
    metadata,
    _id(),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("used_at", sa.DateTime, nullable=True),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
)

# Browser sessions; the cookie holds the token, the table its SHA-256 and the CSRF token.
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    _id(),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("revoked_at", sa.DateTime, nullable=True),
)

# What an agent has typed but not submitted (masked like answers).
answer_drafts = sa.Table(
    "answer_drafts",
    metadata,
    _id(),
    sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id"), nullable=False),
    sa.Column("question_id", sa.Integer, sa.ForeignKey("quiz_questions.id"), nullable=False),
    sa.Column("agent_id", sa.String(64), sa.ForeignKey("agents.id"), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("question_id", "agent_id", name="uq_draft_agent_question"),
)

# A closed quiz takes no more answers from the browser.
quiz_closures = sa.Table(
    "quiz_closures",
    metadata,
    sa.Column("quiz_id", sa.Integer, sa.ForeignKey("quizzes.id"), primary_key=True),
    sa.Column("closed_at", sa.DateTime, nullable=False),
    sa.Column("closed_by", sa.Text, nullable=False),
)
