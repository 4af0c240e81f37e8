"""Workspace creation, schema versioning and forward migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from scriptlab.errors import ScriptlabError
from scriptlab.store import migrations, schema
from scriptlab.store.workspace import init_workspace, open_workspace, resolve_root


def test_init_creates_settings_and_database(tmp_path: Path, new_store_url) -> None:
    url = new_store_url(migrated=False)  # PostgreSQL: a database without tables
    ws, created = init_workspace(tmp_path / "shop", db_url=url or None)
    assert created
    assert (tmp_path / "shop" / "scriptlab.toml").exists()
    assert (tmp_path / "shop" / "scriptlab.db").exists() == (not url)
    assert ws.settings.store.url == url
    with ws.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST_VERSION
        tables = set(sa.inspect(conn).get_table_names())
    assert set(schema.metadata.tables) <= tables


def test_init_twice_keeps_data(workspace) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(sa.insert(schema.agents).values(id="kf_01", name="小美", active=True,
                                                     updated_at=sa.func.now()))
    ws2, created = init_workspace(workspace.root)
    assert not created
    with ws2.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.agents)).scalar() == 1


def test_open_missing_workspace_says_how_to_create(tmp_path: Path) -> None:
    with pytest.raises(ScriptlabError) as err:
        open_workspace(tmp_path / "nowhere")
    assert str(err.value) == (
        f"No scriptlab workspace at {tmp_path / 'nowhere'} (no scriptlab.toml). "
        f"Create one with: scriptlab init {tmp_path / 'nowhere'}"
    )


def test_workspace_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCRIPTLAB_WORKSPACE", str(tmp_path / "env-ws"))
    assert resolve_root(None) == (tmp_path / "env-ws").resolve()
    assert resolve_root(tmp_path / "given") == (tmp_path / "given").resolve()


def test_forward_migrations_run_in_order(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace
    applied: list[int] = []

    def add_note_column(conn: sa.Connection) -> None:
        applied.append(2)
        conn.execute(sa.text("ALTER TABLE agents ADD COLUMN note TEXT"))

    start = migrations.LATEST_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, add_note_column])
    monkeypatch.setattr(migrations, "LATEST_VERSION", start + 1)
    assert migrations.migrate(ws.engine) == start
    assert migrations.migrate(ws.engine) == start + 1  # already there: nothing runs twice
    assert applied == [2]
    with ws.engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("agents")}
        assert "note" in columns
        assert migrations.current_version(conn) == start + 1


def test_version_1_database_gains_the_topic_decision_columns(workspace) -> None:
    ws = workspace
    with ws.engine.begin() as conn:  # make it a version-1 database again
        for column in ("status", "merged_into", "phrasings", "excluded"):
            conn.execute(sa.text(f"ALTER TABLE topics DROP COLUMN {column}"))
        _drop_library_codes(conn)
        conn.execute(sa.delete(schema.schema_version))
        conn.execute(sa.insert(schema.schema_version).values(version=1, applied_at=sa.func.now()))
        conn.execute(sa.text("INSERT INTO topics (label, created_at) VALUES ('发货', '2026-11-01')"))
    assert migrations.migrate(ws.engine) == 1
    with ws.engine.connect() as conn:
        row = conn.execute(sa.select(schema.topics)).one()
    assert (row.status, row.merged_into, row.phrasings) == ("active", None, None)


def test_failed_migration_leaves_version_unchanged(workspace,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspace

    def broken(conn: sa.Connection) -> None:
        conn.execute(sa.text("CREATE TABLE half_done (x INTEGER)"))
        raise RuntimeError("boom")

    start = migrations.LATEST_VERSION
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "LATEST_VERSION", start + 1)
    with pytest.raises(RuntimeError):
        migrations.migrate(ws.engine)
    with ws.engine.connect() as conn:
        assert migrations.current_version(conn) == start
        assert not sa.inspect(conn).has_table("half_done")


def test_newer_database_is_refused(workspace) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(sa.insert(schema.schema_version).values(version=99, applied_at=sa.func.now()))
    with pytest.raises(ScriptlabError, match="schema version 99, newer than this scriptlab"):
        open_workspace(workspace.root)


def _drop_library_codes(conn: sa.Connection) -> None:
    """Undo what migration v4 adds (library quick-reply codes, review times)."""
    conn.execute(sa.text("DROP INDEX IF EXISTS ix_library_entries_short_code"))
    conn.execute(sa.text("ALTER TABLE library_entries DROP COLUMN short_code"))
    conn.execute(sa.text("ALTER TABLE library_entries DROP COLUMN reviewed_at"))


def test_library_codes_migration_fills_existing_entries(workspace) -> None:
    """A version-3 database (no quick-reply codes, no review times) is brought forward: each
    existing entry gets its default code and counts as reviewed when it last changed."""
    from datetime import datetime

    ws = workspace
    when = datetime(2026, 5, 1, 9, 0)
    with ws.engine.begin() as conn:  # make it a version-3 database again
        _drop_library_codes(conn)
        conn.execute(sa.text("DELETE FROM schema_version"))
        conn.execute(sa.insert(schema.schema_version).values(version=3, applied_at=when))
        conn.execute(sa.insert(schema.mine_runs).values(
            id=1, created_at=when, sources=[], stats={}, settings={}))
        conn.execute(sa.insert(schema.topics).values(id=1, label="x", created_at=when))
        for entry_id in (3, 12):
            conn.execute(sa.text(
                "INSERT INTO library_entries (id, topic_id, question, variants, script, tags, "
                "status, approved_by, approved_at, updated_at) VALUES (:id, 1, '几天发货', '[]', "
                "'48小时内发货', '[]', 'active', 'lead', :at, :at)"), {"id": entry_id, "at": when})
    assert migrations.migrate(ws.engine) == 3
    with ws.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, short_code, reviewed_at FROM library_entries ORDER BY id")).all()
        assert migrations.current_version(conn) == migrations.LATEST_VERSION
    assert [(r.id, r.short_code) for r in rows] == [(3, "003"), (12, "012")]
    assert all(str(r.reviewed_at).startswith("2026-05-01 09:00") for r in rows)


def test_version_2_database_gains_the_people_tables(workspace) -> None:
    """A workspace made before `scriptlab serve` is brought forward by migration 3."""
    ws = workspace
    with ws.engine.begin() as conn:
        for table in ("quiz_closures", "answer_drafts", "web_sessions", "sign_in_links",
                      "users"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
        _drop_library_codes(conn)
        conn.execute(sa.text("UPDATE schema_version SET version = 2"))
    assert migrations.migrate(ws.engine) == 2
    with ws.engine.connect() as conn:
        assert sa.inspect(conn).has_table("users")
        assert sa.inspect(conn).has_table("answer_drafts")
        assert migrations.current_version(conn) == migrations.LATEST_VERSION
