"""PostgreSQL as the workspace store: URL, password, driver and server errors, dialect types."""

from __future__ import annotations

import sys
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.errors import ScriptlabError
from scriptlab.store import schema
from scriptlab.store.workspace import init_workspace, open_workspace

runner = CliRunner()
NO_SERVER = "postgresql://scriptlab@/shop?host=/nonexistent-socket-dir"


def test_missing_driver_is_one_line_with_the_install_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    result = runner.invoke(app, ["init", str(tmp_path / "shop"), "--db", NO_SERVER])
    assert result.exit_code == 1
    assert result.output == ('Error: PostgreSQL needs the psycopg driver: pip install '
                             '"scriptlab[postgres]".\n')
    assert not (tmp_path / "shop").exists()


def test_unreachable_server_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "shop"), "--db", NO_SERVER])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: Cannot use the PostgreSQL database {NO_SERVER}: "
                                    'connection to server on socket "/nonexistent-socket-dir/')
    assert result.output.endswith("Check that the server is running and [store] url in "
                                  "scriptlab.toml (password: $SCRIPTLAB_DB_PASSWORD or "
                                  "~/.pgpass).\n")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "shop").exists()


def test_a_password_in_the_url_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "shop"), "--db",
                                 "postgresql://lead:s3cret@db.example.com/shop"])
    assert result.exit_code == 1
    assert "The database URL holds a password; remove it from the URL and set it in the " \
           "environment instead (SCRIPTLAB_DB_PASSWORD=…)" in result.output
    assert "s3cret" not in result.output
    assert not (tmp_path / "shop").exists()


def test_a_password_written_into_scriptlab_toml_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    root.mkdir()
    (root / "scriptlab.toml").write_text(
        '[store]\nurl = "postgresql://lead:s3cret@db.example.com/shop"\n', encoding="utf-8")
    with pytest.raises(ScriptlabError, match="The database URL holds a password"):
        open_workspace(root)


def test_password_comes_from_the_environment_and_never_reaches_the_file(
        pg_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = pg_server.create_database()
    url = pg_server.url(name)
    try:
        monkeypatch.setenv("SHOP_DB_PASSWORD", "s3cret-from-env")
        root = tmp_path / "shop"
        root.mkdir()
        (root / "scriptlab.toml").write_text(
            f'[store]\nurl = "{url}"\npassword_env = "SHOP_DB_PASSWORD"\n', encoding="utf-8")
        ws = open_workspace(root)
        assert ws.engine.url.password == "s3cret-from-env"  # handed to libpq, not stored
        assert "s3cret" not in (root / "scriptlab.toml").read_text(encoding="utf-8")
        assert "s3cret" not in ws.display_db_url
        ws.engine.dispose()
    finally:
        pg_server.drop_database(name)


def test_init_with_db_writes_the_url_and_makes_the_tables(pg_server, tmp_path: Path) -> None:
    name = pg_server.create_database(migrated=False)
    url = pg_server.url(name)
    try:
        result = runner.invoke(app, ["init", str(tmp_path / "shop"), "--db", url])
        assert result.exit_code == 0, result.output
        assert f"data: {url}" in result.output
        text = (tmp_path / "shop" / "scriptlab.toml").read_text(encoding="utf-8")
        assert tomllib.loads(text)["store"] == {"url": url}  # only the URL, uncommented
        assert not (tmp_path / "shop" / "scriptlab.db").exists()
        ws = open_workspace(tmp_path / "shop")
        assert ws.engine.dialect.name == "postgresql"
        with ws.engine.connect() as conn:
            assert set(schema.metadata.tables) <= set(sa.inspect(conn).get_table_names())
        ws.engine.dispose()
        again = runner.invoke(app, ["init", str(tmp_path / "shop"), "--db", NO_SERVER])
        assert again.exit_code == 1
        assert f"already keeps its data in {url}; to move it, use: scriptlab workspace copy " \
               f"--to {NO_SERVER}" in again.output
    finally:
        pg_server.drop_database(name)


def test_instants_keep_their_moment_and_come_back_as_local_time(workspace) -> None:
    """`*_at` columns are timestamptz on PostgreSQL; stages put and get naive local times."""
    local = datetime(2026, 11, 23, 9, 30, 15, 123456)
    aware = datetime(2026, 11, 23, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    with workspace.engine.begin() as conn:
        conn.execute(sa.insert(schema.agents), [
            {"id": "kf_01", "name": "王小丽", "active": True, "updated_at": local},
            {"id": "kf_02", "name": "李娜", "active": True, "updated_at": aware},
        ])
    with workspace.engine.connect() as conn:
        got = dict(conn.execute(sa.select(schema.agents.c.id, schema.agents.c.updated_at)).all())
        column = sa.inspect(conn).get_columns("agents")
    assert got["kf_01"] == local and got["kf_01"].tzinfo is None
    if workspace.engine.dialect.name == "postgresql":
        assert got["kf_02"] == aware.astimezone().replace(tzinfo=None)  # 01:30 UTC in tests
        updated = next(c for c in column if c["name"] == "updated_at")
        assert updated["type"].timezone is True


def test_ids_are_numbered_by_the_database(workspace) -> None:
    row = {"kind": "chat_log", "source": "a.csv", "sha256": "0" * 64, "rows": 0, "skipped": 0,
           "imported_at": datetime(2026, 11, 23)}
    with workspace.engine.begin() as conn:
        first = conn.execute(sa.insert(schema.imports).values(**row)).inserted_primary_key[0]
        second = conn.execute(sa.insert(schema.imports).values(**row)).inserted_primary_key[0]
        columns = sa.inspect(conn).get_columns("imports")
    assert (first, second) == (1, 2)
    if workspace.engine.dialect.name == "postgresql":
        ident = next(c for c in columns if c["name"] == "id")
        assert ident["identity"]["always"] is False  # BY DEFAULT: a copy may keep its ids


def test_a_second_workspace_folder_shares_the_team_database(
        pg_server, tmp_path: Path) -> None:
    """Two team leads, two folders, one server: what one imports, the other sees."""
    from mine_fixtures import write_chat_log

    from scriptlab.logs.importer import import_chat_logs

    name = pg_server.create_database(migrated=False)
    url = pg_server.url(name)
    try:
        lead_a, _ = init_workspace(tmp_path / "a", db_url=url)
        lead_b, created = init_workspace(tmp_path / "b", db_url=url)
        assert created  # a new folder, the existing (already migrated) database
        write_chat_log(tmp_path / "chats.csv", sessions=20)
        import_chat_logs(lead_a, [tmp_path / "chats.csv"])
        (again,) = import_chat_logs(lead_b, [tmp_path / "chats.csv"])
        assert again.status == "already imported"
        with lead_b.engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(schema.messages)).scalar()
        assert count > 40
        lead_a.engine.dispose()
        lead_b.engine.dispose()
    finally:
        pg_server.drop_database(name)


def test_rows_come_back_in_sqlite_order_whatever_the_database_collation(
        workspace, pg_server, tmp_path: Path) -> None:
    """NULLs first, text by code point: on SQLite, and on PostgreSQL even where the database
    sorts the English way (an ICU en-US database puts 'a' before 'B' and NULLs last)."""
    from scriptlab.quiz.agents import list_agents

    name = f"{pg_server.template}_icu"
    pg_server.sql(f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                  "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
    try:
        icu, _ = init_workspace(tmp_path / "icu", db_url=pg_server.url(name))
        teams = ["b", "B", "a", None, "售后组", "_z"]
        results = []
        for ws in (workspace, icu):
            with ws.engine.begin() as conn:
                conn.execute(sa.insert(schema.agents), [
                    {"id": f"kf_{n}", "name": "王", "team": team, "active": True,
                     "updated_at": datetime(2026, 11, 23)} for n, team in enumerate(teams)])
            results.append(list_agents(ws)["team"].tolist())
        icu.engine.dispose()
    finally:
        pg_server.drop_database(name)
    assert results[0] == results[1] == [None, "B", "_z", "a", "b", "售后组"]
