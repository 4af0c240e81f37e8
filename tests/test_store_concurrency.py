"""Several commands on one workspace at once: writers take turns, nothing is lost, readers
never wait, and a writer that waits too long says so in one line.

The test holds the workspace's write lock itself (an open write transaction), starts real
`scriptlab` processes that must wait for it, and lets go once they are both waiting.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from mine_fixtures import write_chat_log
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.quiz.agents import list_agents
from scriptlab.store import schema
from scriptlab.store.workspace import open_workspace

runner = CliRunner()


@pytest.fixture
def postgres_workspace(workspace):
    if workspace.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's concurrent writers are tested in tests/test_faults.py")
    return workspace


@contextmanager
def holding_the_write_lock(ws) -> Iterator[sa.Connection]:
    """An open write transaction with an uncommitted row; rolled back at the end."""
    conn = ws.engine.connect()
    trans = conn.begin()
    conn.execute(sa.insert(schema.agents).values(id="kf_held", name="未提交", active=True,
                                                 updated_at=sa.func.now()))
    try:
        yield conn
    finally:
        trans.rollback()
        conn.close()


def wait_for_waiters(ws, n: int, timeout: float = 60.0) -> None:
    """Until `n` other sessions wait for the workspace's write lock (PostgreSQL's pg_locks)."""
    deadline = time.monotonic() + timeout
    query = sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    while time.monotonic() < deadline:
        with ws.engine.connect() as conn:
            if conn.execute(query).scalar() >= n:
                return
        time.sleep(0.05)
    raise AssertionError(f"{n} processes never queued for the write lock")


def start_import(ws, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scriptlab", "logs", "import", str(log), "-w", str(ws.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def counts(ws) -> tuple[int, int]:
    with ws.engine.connect() as conn:
        imports = conn.execute(sa.select(sa.func.count()).select_from(schema.imports)).scalar()
        messages = conn.execute(sa.select(sa.func.count()).select_from(schema.messages)).scalar()
    return imports, messages


def test_two_processes_importing_at_once_lose_nothing(postgres_workspace, tmp_path: Path) -> None:
    ws = postgres_workspace
    logs = [tmp_path / "monday.csv", tmp_path / "tuesday.csv"]
    for seed, log in enumerate(logs):
        write_chat_log(log, sessions=300, seed=seed)
    with holding_the_write_lock(ws):
        processes = [start_import(ws, log) for log in logs]
        wait_for_waiters(ws, 2)
    results = [finish(p) for p in processes]
    assert [code for code, _ in results] == [0, 0], results
    with ws.engine.connect() as conn:
        per_import = conn.execute(sa.select(schema.imports.c.source, schema.imports.c.rows)
                                  .order_by(schema.imports.c.source)).all()
        stored = conn.execute(sa.select(sa.func.count()).select_from(schema.messages)).scalar()
        held = conn.execute(sa.select(schema.agents.c.id)).all()
    assert [Path(source).name for source, _ in per_import] == ["monday.csv", "tuesday.csv"]
    assert stored == sum(rows for _, rows in per_import) > 1000
    for (_, rows), (_, output) in zip(per_import, results, strict=True):
        assert f"imported {rows} messages" in output
    assert held == []  # the test's own uncommitted row never landed


def test_the_same_file_from_two_processes_lands_once(postgres_workspace, tmp_path: Path) -> None:
    ws = postgres_workspace
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=200)
    with holding_the_write_lock(ws):
        processes = [start_import(ws, log), start_import(ws, log)]
        wait_for_waiters(ws, 2)
    outputs = sorted(output for _, output in (finish(p) for p in processes))
    assert "chats.csv: already imported, skipped" in outputs[0]
    assert "chats.csv: imported" in outputs[1]
    imports, messages = counts(ws)
    assert imports == 1 and messages > 400


def test_a_writer_waits_a_bounded_time_then_says_so_in_one_line(
        make_workspace, tmp_path: Path) -> None:
    ws = make_workspace(settings="[store]\nbusy_timeout = 0.5\n")
    if ws.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's concurrent writers are tested in tests/test_faults.py")
    log = tmp_path / "chats.csv"
    write_chat_log(log, sessions=20)
    started = time.monotonic()
    with holding_the_write_lock(ws):
        result = runner.invoke(app, ["logs", "import", str(log), "-w", str(ws.root)])
    waited = time.monotonic() - started
    assert result.exit_code == 1
    assert result.output == (
        "Error: another scriptlab command is writing to this workspace; try again when it has "
        f"finished (waited {ws.settings.store.busy_timeout:g} s; [store] busy_timeout in "
        "scriptlab.toml).\n")
    assert waited >= ws.settings.store.busy_timeout
    assert counts(ws) == (0, 0)


def test_readers_do_not_wait_for_a_writer_nor_see_its_uncommitted_rows(workspace) -> None:
    with workspace.engine.begin() as conn:
        conn.execute(sa.insert(schema.agents).values(id="kf_01", name="王小丽", active=True,
                                                     updated_at=sa.func.now()))
    with holding_the_write_lock(workspace):
        other = open_workspace(workspace.root)  # another command: its own connections
        started = time.monotonic()
        agents = list_agents(other)["agent_id"].tolist()
        assert time.monotonic() - started < 5  # far below the 30 s a writer would wait
        other.engine.dispose()
    assert agents == ["kf_01"]
