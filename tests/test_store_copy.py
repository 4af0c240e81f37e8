"""`scriptlab workspace copy`: SQLite → PostgreSQL → SQLite, checked by counts and hashes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from library_fixtures import INTENTS, build_workspace
from mine_fixtures import write_chat_log
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.library import approval
from scriptlab.library.publish import publish
from scriptlab.logs.importer import import_chat_logs
from scriptlab.store import copy, schema
from scriptlab.store.workspace import init_workspace, open_workspace

runner = CliRunner()


def filled_workspace(root: Path, db_url: str | None = None):
    """A workspace with rows in every table: imported logs, a scored quiz, a published library."""
    ws, _ = init_workspace(root, db_url=db_url)
    write_chat_log(root.parent / "chats.csv", sessions=40)
    import_chat_logs(ws, [root.parent / "chats.csv"])
    built = build_workspace(ws, INTENTS[:3])
    for topic in built.topic.values():
        approval.approve(ws, topic, by="lead")
    publish(ws, by="lead")
    with ws.engine.begin() as conn:
        conn.execute(sa.insert(schema.group_replies).values(
            group_id=1, text="亲，48小时内发货哦", count=3, agents=["A01", "A02"]))
        conn.execute(sa.insert(schema.ratings).values(
            answer_id=built.answers[INTENTS[0].key][0], reviewer="R1", dimension="accuracy",
            value=5, comment="好", import_id=1))
    fill_empty_tables(ws)
    return ws


def fill_empty_tables(ws) -> None:
    """One row, every column set, in each table the steps above left empty (tables other
    stages add), so the round trip covers every table and every column type."""
    with ws.engine.begin() as conn:
        for table in copy.tables():
            if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
                continue
            values = {}
            for column in table.columns:
                if column.foreign_keys:
                    parent = next(iter(column.foreign_keys)).column
                    values[column.name] = conn.execute(sa.select(parent).limit(1)).scalar()
                elif not (column.primary_key and column.identity is not None):
                    values[column.name] = _sample_value(column)
            conn.execute(sa.insert(table).values(**values))


def _sample_value(column: sa.Column):
    if isinstance(column.type, sa.JSON):
        return {"键": [1, "二", None], "ok": True}
    kind = column.type.python_type
    if kind is str:
        length = getattr(column.type, "length", None) or 64
        return f"{column.table.name}-{column.name}-值"[:length]
    return {bool: True, int: 7, float: 0.25,
            datetime: datetime(2026, 11, 23, 9, 30, 15, 123456)}[kind]


def digests(ws) -> list[copy.TableDigest]:
    with ws.engine.connect() as conn:
        return copy.table_digests(conn)


def test_every_table_is_filled_by_the_test_workspace(tmp_path: Path) -> None:
    empty = [d.table for d in digests(filled_workspace(tmp_path / "shop")) if d.rows == 0]
    assert empty == []  # else the round trip below would not cover that table


def test_sqlite_to_postgresql_and_back_keeps_every_hash(pg_server, tmp_path: Path) -> None:
    ws = filled_workspace(tmp_path / "shop")
    before = digests(ws)
    name = pg_server.create_database(migrated=False)
    try:
        result = copy.copy_workspace(ws, pg_server.url(name))
        assert result.switched and result.tables == before
        on_pg = open_workspace(ws.root)
        assert on_pg.engine.dialect.name == "postgresql"
        assert digests(on_pg) == before
        back = f"sqlite:///{tmp_path / 'back.db'}"
        copy.copy_workspace(on_pg, back)
        on_sqlite = open_workspace(ws.root)
        assert on_sqlite.db_url == back and digests(on_sqlite) == before
        # New rows continue the copied ids (PostgreSQL's identities were moved past them).
        with on_pg.engine.begin() as conn:
            new_id = conn.execute(sa.insert(schema.agents).values(
                id="kf_99", name="新人", active=True,
                updated_at=sa.func.now())).inserted_primary_key[0]
            event = conn.execute(sa.insert(schema.library_events).values(
                entry_id=1, action="edit", actor="lead", at=sa.func.now())).inserted_primary_key[0]
        assert new_id == "kf_99"
        assert event == next(d.rows for d in before if d.table == "library_events") + 1
        on_pg.engine.dispose()
    finally:
        pg_server.drop_database(name)


def test_copy_into_a_database_with_data_is_refused_and_writes_nothing(
        workspace, tmp_path: Path) -> None:
    target = filled_workspace(tmp_path / "other" / "shop")
    before = digests(target)
    with pytest.raises(ScriptlabError, match="The target database already holds workspace "
                                             r"data \(in agents, imports"):
        copy.copy_workspace(workspace, target.db_url)
    assert digests(target) == before
    assert open_workspace(workspace.root).db_url == workspace.db_url  # not switched


def test_copy_to_itself_is_refused(workspace) -> None:
    with pytest.raises(ScriptlabError, match="The workspace already uses"):
        copy.copy_workspace(workspace, workspace.db_url)


def test_a_mismatch_rolls_the_whole_copy_back(
        new_store_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = filled_workspace(tmp_path / "shop")
    target_url = new_store_url(migrated=False) or f"sqlite:///{tmp_path / 'target.db'}"
    real = copy.table_digests
    monkeypatch.setattr(copy, "table_digests", lambda conn: [
        copy.TableDigest(d.table, d.rows - 1, d.sha256) if d.table == "messages" else d
        for d in real(conn)])
    with pytest.raises(ScriptlabError, match=r"does not match the source in messages \(\d+ rows"):
        copy.copy_workspace(ws, target_url)
    engine = sa.create_engine(target_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []  # tables too: one transaction
    engine.dispose()
    assert open_workspace(ws.root).db_url == ws.db_url


def test_cli_copy_reports_each_table(workspace, tmp_path: Path) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(sa.insert(schema.agents).values(id="kf_01", name="王小丽", active=True,
                                                     updated_at=sa.func.now()))
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    result = runner.invoke(app, ["workspace", "copy", "--to", target, "--no-switch",
                                 "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert "  schema_version             1 rows  sha256 " in result.output
    assert "  agents                     1 rows  sha256 " in result.output
    assert (f"Copied 2 rows in {len(schema.metadata.tables)} tables from "
            f"{workspace.display_db_url} to {target}; every table's row count and hash "
            "match.") in result.output
    assert open_workspace(workspace.root).db_url == workspace.db_url
    again = runner.invoke(app, ["workspace", "copy", "--to", target, "-w", str(workspace.root)])
    assert again.exit_code == 1
    assert again.output.startswith("Error: The target database already holds workspace data")
