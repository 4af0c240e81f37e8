"""Fault suite: concurrent processes, a read-only workspace, a full disk.

Each case runs the real CLI in separate processes (the way two trainers would), then checks
the three promises: one clear line, no traceback, nothing lost or half-written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from scriptlab.cli import app
from scriptlab.store import schema
from scriptlab.store.workspace import init_workspace, open_workspace

REPO = Path(__file__).resolve().parents[1]
CHATS = REPO / "data" / "sample_chats.csv"
BUSY = "another scriptlab command is writing to this workspace; try again"
runner = CliRunner()


def scriptlab(*args: str, timeout: float = 120) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "scriptlab", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


def message_count(root: Path) -> int:
    engine = open_workspace(root).engine
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(schema.messages)).scalar()
    engine.dispose()  # no open file left behind (a busy mount cannot be made read-only)
    return count


def chat_file(path: Path, rows: int, tag: str) -> Path:
    lines = ["message_id,session_id,time,role,text"]
    lines += [f"{tag}{n},{tag}S{n // 4},2026-11-0{1 + n % 9} 10:00:00,customer,什么时候发货{n}"
              for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def set_busy_timeout(root: Path, seconds: float) -> None:
    settings = root / "scriptlab.toml"
    text = settings.read_text(encoding="utf-8").replace("[store]\n",
                                                        f"[store]\nbusy_timeout = {seconds}\n")
    settings.write_text(text, encoding="utf-8")


HOLD_LOCK = """
import sys, time
from scriptlab.store.workspace import open_workspace
ws = open_workspace(sys.argv[1])
with ws.write() as conn:
    conn.exec_driver_sql("UPDATE schema_version SET applied_at = applied_at")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def hold_write_lock(root: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(root), str(seconds)],
                            stdout=subprocess.PIPE, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_parallel_imports_both_land(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "ws")
    files = [chat_file(tmp_path / f"log{n}.csv", 3000, f"p{n}") for n in range(3)]
    procs = [scriptlab("logs", "import", str(f), "-w", str(ws.root)) for f in files]
    results = [finish(p) for p in procs]
    for code, output in results:
        assert code == 0, output
        assert "Traceback" not in output
    assert message_count(ws.root) == 9000  # no write lost


def test_import_and_mine_at_once(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "ws")
    first = finish(scriptlab("logs", "import", str(CHATS), "-w", str(ws.root)))
    assert first[0] == 0, first[1]
    before = message_count(ws.root)
    mining = scriptlab("mine", "-w", str(ws.root))
    importing = scriptlab("logs", "import", str(chat_file(tmp_path / "new.csv", 2000, "n")),
                          "-w", str(ws.root))
    for code, output in (finish(mining), finish(importing)):
        assert code == 0, output
        assert "Traceback" not in output
    assert message_count(ws.root) == before + 2000
    with ws.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.mine_runs)).scalar() == 1


def test_second_writer_waits_then_says_busy_in_one_line(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "ws")
    set_busy_timeout(ws.root, 0.5)
    holder = hold_write_lock(ws.root, 240)
    try:
        code, output = finish(scriptlab("logs", "import", str(chat_file(tmp_path / "a.csv", 50,
                                                                         "a")),
                                        "-w", str(ws.root)))
        gave_up_first = holder.poll() is None  # it did not wait for the other command
    finally:
        holder.kill()
        holder.wait()
    assert code == 1
    assert "Traceback" not in output
    assert output.strip().splitlines() == [
        f"Error: {BUSY} when it has finished (waited 0.5 s; [store] busy_timeout in "
        "scriptlab.toml)."]
    assert gave_up_first
    assert message_count(ws.root) == 0  # nothing half-written


def test_second_writer_within_the_timeout_succeeds(tmp_path: Path) -> None:
    ws, _ = init_workspace(tmp_path / "ws")
    holder = hold_write_lock(ws.root, 1.5)
    code, output = finish(scriptlab("logs", "import", str(chat_file(tmp_path / "a.csv", 50, "a")),
                                    "-w", str(ws.root)))
    holder.wait()
    assert code == 0, output
    assert message_count(ws.root) == 50


def test_publish_and_publish_at_once(tmp_path: Path) -> None:
    demo = finish(scriptlab("demo", str(tmp_path / "demo")))
    assert demo[0] == 0, demo[1]
    root = tmp_path / "demo" / "workspace" if (tmp_path / "demo" / "workspace").exists() \
        else tmp_path / "demo"
    procs = [scriptlab("publish", "--force", "-w", str(root)) for _ in range(2)]
    for code, output in (finish(p) for p in procs):
        assert code == 0, output
        assert "Traceback" not in output
    with open_workspace(root).engine.connect() as conn:
        versions = conn.execute(sa.select(schema.library_versions.c.version)).scalars().all()
    assert sorted(versions) == list(range(1, len(versions) + 1)) and len(versions) >= 3


# --- read-only workspace and full disk -----------------------------------------------------

def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextlib.contextmanager
def read_only(root: Path) -> Iterator[None]:
    """Make the workspace read-only: remount its tmpfs (root) or drop write permission."""
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(root)], check=True)
    else:
        modes = {p: p.stat().st_mode for p in [root, *root.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() == 0 and not _can_mount():
        pytest.skip("root without mount: permissions do not stop root")
    if os.geteuid() != 0:
        root = tmp_path / "ws"
        root.mkdir()
        yield root
        return
    with tmpfs(tmp_path / "ws", "3m") as root:
        yield root


def test_read_only_workspace_one_line_per_command(small_disk: Path, tmp_path: Path) -> None:
    root = small_disk
    assert finish(scriptlab("init", str(root)))[0] == 0
    assert finish(scriptlab("logs", "import", str(CHATS), "-w", str(root)))[0] == 0
    before = message_count(root)
    with read_only(root):
        for command in (["logs", "import", str(chat_file(tmp_path / "x.csv", 20, "x"))],
                        ["mine"], ["publish"]):
            code, output = finish(scriptlab(*command, "-w", str(root)))
            assert code == 1, (command, output)
            assert "Traceback" not in output
            lines = output.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), (command, output)
            assert str(root) in lines[0] and "writable" in lines[0], (command, output)
    assert message_count(root) == before


def test_full_disk_import_one_line_nothing_stored(tmp_path: Path) -> None:
    if not _can_mount():
        pytest.skip("needs root to mount a small tmpfs (the ENOSPC simulation covers files)")
    with tmpfs(tmp_path / "ws", "400k") as root:
        assert finish(scriptlab("init", str(root)))[0] == 0
        big = tmp_path / "big.csv"
        chat_file(big, 20000, "b")
        code, output = finish(scriptlab("logs", "import", str(big), "-w", str(root)))
        assert code == 1, output
        assert "Traceback" not in output
        assert output.strip().splitlines() == [
            f"Error: The disk holding {root} is full (or failing); nothing was changed. Free "
            "some space there and run the command again."]
        assert message_count(root) == 0


def test_full_disk_report_files_simulated(workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC while writing report files: one line, no temporary or partial file left."""
    assert runner.invoke(app, ["logs", "import", str(CHATS), "-w", str(workspace.root)]
                         ).exit_code == 0
    real_replace = os.replace

    def full(src, dst):  # noqa: ANN001
        if str(dst).endswith(".html"):
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(app, ["mine", "-w", str(workspace.root)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: Cannot write to {workspace.reports_dir}: the disk is full; free some space "
        "there and run the command again. Nothing was written there.")
    leftovers = [p.name for p in workspace.reports_dir.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
