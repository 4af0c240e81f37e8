"""Workspaces for the quiz tests, built by inserting rows straight into the tables.

The quiz stage reads other stages' tables (mining runs, scores, the library); building
them here keeps these tests independent of how those stages compute their rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from scriptlab.store import schema
from scriptlab.store.workspace import Workspace, init_workspace

NOW = datetime(2026, 11, 23, 9, 30)

AGENTS = [
    ("kf_01", "王小丽", "售前组", "wangxl@example.com"),
    ("kf_02", "李娜", "售前组", None),
    ("kf_03", "张伟", "售后组", None),
]


@dataclass(frozen=True)
class G:
    """A question group of a test mining run."""

    question: str
    count: int
    variants: tuple[tuple[str, int], ...] = ()
    replies: tuple[tuple[str, int], ...] = ()
    prev_count: int | None = None
    trend: float | None = None
    topic: int | None = None  # reuse a topic of an earlier run
    label: str | None = None


# The standard run: counts all different, so frequency order is unambiguous; about half of
# each group asked in the first half of the mined period (steady, no trend).
STANDARD_GROUPS = (
    G("什么时候发货？", 120,
      (("亲，什么时候发货呀", 40), ("今天能发货吗", 30), ("几天发货", 20), ("什么时候发货？", 10)),
      (("亲，在的", 50), ("亲，下单后48小时内发货哦，节假日顺延~", 30), ("好的", 5)),
      prev_count=60),
    G("有优惠券吗？", 100, (("能便宜点吗", 30), ("有没有优惠", 20)),
      (("亲，店铺首页可以领满199减20的券哦", 25),), prev_count=50),
    G("怎么退货？", 80, (("不想要了怎么退", 20), ("退货流程是什么", 10)),
      (("亲，在订单页点申请售后，选择退货退款即可", 12),), prev_count=40),
    G("快递到哪了？", 60, (("物流怎么不动了", 15), ("查一下快递 <订单号>", 9)), prev_count=30),
    G("尺码怎么选？", 40, (("175穿多大", 8),), prev_count=20),
    G("可以开发票吗？", 30, (("能开专票吗", 6),), prev_count=15),
    G("支持七天无理由吗？", 20, (("可以七天无理由退换吗", 4),), prev_count=10),
    G("有赠品吗？", 10, (("送什么赠品", 3),), prev_count=5),
    G("质量怎么样？", 2, (("质量好吗", 1),), prev_count=1),
)


@dataclass
class QuizWorkspace:
    """A workspace plus helpers that insert rows of every stage's tables."""

    ws: Workspace
    topics: dict[str, int] = field(default_factory=dict)  # question -> topic id
    groups: dict[tuple[int, str], int] = field(default_factory=dict)  # (run, question) -> id
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def create(cls, tmp_path: Path, *, settings: str = "") -> QuizWorkspace:
        root = tmp_path / "ws"
        if settings:
            root.mkdir(parents=True, exist_ok=True)
            (root / "scriptlab.toml").write_text(settings, encoding="utf-8")
        ws, _ = init_workspace(root)
        return cls(ws)

    # -- generic insert that survives other stages adding NOT NULL columns ----------------
    def insert(self, conn: sa.Connection, table: sa.Table, **values: Any) -> int:
        for column in table.columns:
            if (column.name in values or column.nullable or column.primary_key
                    or column.default is not None or column.server_default is not None):
                continue
            values[column.name] = self._filler(column)
        result = conn.execute(sa.insert(table).values(**values))
        key = result.inserted_primary_key
        return key[0] if key else None

    def _filler(self, column: sa.Column) -> Any:
        kind = getattr(column.type, "impl", column.type)  # a TypeDecorator's own type
        if isinstance(kind, sa.Boolean):
            return False
        if isinstance(kind, sa.Integer):
            return 0
        if isinstance(kind, sa.Float):
            return 0.0
        if isinstance(kind, sa.DateTime):
            return NOW
        if isinstance(kind, sa.JSON):
            return {}
        return f"x{next(self._counter)}"

    # -- agents --------------------------------------------------------------------------
    def add_agents(self, agents=AGENTS) -> None:
        with self.ws.engine.begin() as conn:
            for agent_id, name, team, email in agents:
                self.insert(conn, schema.agents, id=agent_id, name=name, team=team,
                            email=email, active=True, updated_at=NOW)

    # -- mining --------------------------------------------------------------------------
    def add_run(self, groups=STANDARD_GROUPS, *, created_at: datetime = NOW) -> int:
        """A mining run with its groups; a group's topic is reused when its question was
        seen in an earlier run (or `G.topic` says so)."""
        total = sum(g.count for g in groups) or 1
        with self.ws.engine.begin() as conn:
            run_id = self.insert(conn, schema.mine_runs, created_at=created_at,
                                 sources=["test"], stats={}, settings={})
            for rank, g in enumerate(groups, start=1):
                topic = g.topic or self.topics.get(g.question)
                if topic is None:
                    topic = self.insert(conn, schema.topics, label=g.label or g.question,
                                        created_at=created_at, first_run_id=run_id,
                                        last_run_id=run_id)
                    self.topics[g.question] = topic
                else:
                    conn.execute(sa.update(schema.topics).where(schema.topics.c.id == topic)
                                 .values(last_run_id=run_id))
                group_id = self.insert(
                    conn, schema.question_groups, run_id=run_id, topic_id=topic, rank=rank,
                    representative=g.question, count=g.count, sessions=g.count,
                    customers=g.count, share=g.count / total, prev_count=g.prev_count,
                    trend=g.trend, keywords=[],
                )
                self.groups[(run_id, g.question)] = group_id
                for text, count in g.variants:
                    self.insert(conn, schema.group_variants, group_id=group_id, text=text,
                                count=count)
                for text, count in g.replies:
                    self.insert(conn, schema.group_replies, group_id=group_id, text=text,
                                count=count, agents=["kf_01"])
        return run_id

    def add_empty_run(self) -> int:
        with self.ws.engine.begin() as conn:
            return self.insert(conn, schema.mine_runs, created_at=NOW, sources=["test"],
                               stats={}, settings={})

    # -- history: past quizzes with scores -------------------------------------------------
    def add_past_quiz(self, week: str, scores: dict[str, float | None], *,
                      team: str | None = None, run_id: int | None = None) -> int:
        """A quiz of `week` over the given questions; each with one answer by kf_01 scored
        `scores[question]` (None = answered but not scored yet)."""
        with self.ws.engine.begin() as conn:
            run_id = run_id or conn.execute(sa.select(sa.func.max(schema.mine_runs.c.id))
                                            ).scalar_one()
            quiz_id = self.insert(conn, schema.quizzes, week=week, team=team, run_id=run_id,
                                  seed=1, settings={}, created_at=NOW)
            import_id = self.insert(conn, schema.imports, kind="answers", source="test",
                                    sha256=f"{quiz_id:064d}", rows=0, skipped=0,
                                    imported_at=NOW)
            for position, (question, score) in enumerate(scores.items(), start=1):
                group_id = self.groups[(run_id, question)]
                qid = self.insert(conn, schema.quiz_questions, quiz_id=quiz_id,
                                  position=position, topic_id=self.topics[question],
                                  group_id=group_id, question=question, phrasings=[],
                                  reference=None, reason="test")
                answer_id = self.insert(conn, schema.answers, quiz_id=quiz_id,
                                        question_id=qid, agent_id="kf_01", text="答案",
                                        import_id=import_id, imported_at=NOW)
                if score is not None:
                    self.insert(conn, schema.scores, quiz_id=quiz_id, answer_id=answer_id,
                                total=score, components={}, rank=1, is_winner=True,
                                computed_at=NOW)
        return quiz_id

    # -- library ---------------------------------------------------------------------------
    def approve(self, question: str, script: str, *, status: str = "active") -> None:
        with self.ws.engine.begin() as conn:
            self.insert(conn, schema.library_entries, topic_id=self.topics[question],
                        question=question, variants=[], script=script, tags=[],
                        status=status, approved_by="组长", approved_at=NOW, updated_at=NOW)


def standard_workspace(tmp_path: Path, *, settings: str = "") -> QuizWorkspace:
    """Three agents in two teams and one mining run of `STANDARD_GROUPS`."""
    built = QuizWorkspace.create(tmp_path, settings=settings)
    built.add_agents()
    built.add_run()
    return built
