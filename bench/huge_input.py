"""Huge-input benchmark: pathological files cost about what an ordinary peer file costs.

Each case runs the real CLI on a pathological file and on a peer file of ordinary shape in
the same run, and asserts the ratio of their wall times (not an absolute time, so a slow
or busy machine does not fail it):

- a log with one 5,000,000-character message (cut to [logs] max_message_chars) vs the same
  log with that message ordinary: `logs import` and `mine FILE`;
- a 200 MB file on one line vs a small chat log: `logs check` refuses it in one line.

    python bench/huge_input.py            # prints a Markdown table, exit 1 if a bound fails
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BOUND = 3.0  # pathological / peer wall time
HUGE_CHARS = 5_000_000
ONE_LINE_BYTES = 200_000_000


def scriptlab(*args: str) -> tuple[float, int, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "scriptlab", *args], capture_output=True,
                          text=True, env=env)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def chat_log(path: Path, last_text: str) -> Path:
    lines = ["message_id,session_id,time,role,text"]
    for n in range(3000):
        lines.append(f"{n},S{n // 3},2026-11-01 {10 + n // 3600:02d}:{n // 60 % 60:02d}:"
                     f"{n % 60:02d},{'customer' if n % 3 else 'agent'},请问什么时候发货{n % 17}")
    lines.append(f"9999,S9999,2026-11-02 10:00:00,customer,{last_text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def one_line(path: Path) -> Path:
    block = ",".join(f"列{n}" for n in range(100_000)).encode("utf-8")
    with open(path, "wb") as fh:
        written = 0
        while written < ONE_LINE_BYTES:
            fh.write(block + b",")
            written += len(block) + 1
    return path


def measure(tmp: Path) -> list[tuple[str, float, float]]:
    huge = chat_log(tmp / "huge.csv", "发货要多久" * (HUGE_CHARS // 5))
    peer = chat_log(tmp / "peer.csv", "发货要多久")
    rows = []
    for name, args in (("logs import", ("logs", "import")), ("mine FILE", ("mine",))):
        times = {}
        for label, path in (("huge", huge), ("peer", peer)):
            ws = tmp / f"ws-{label}-{args[0]}"
            scriptlab("init", str(ws))
            seconds, code, output = scriptlab(*args, str(path), "-w", str(ws))
            assert code == 0, output
            times[label] = seconds
        rows.append((f"{name}: one {HUGE_CHARS:,}-character message", times["huge"],
                     times["peer"]))
    big = one_line(tmp / "oneline.csv")
    seconds, code, output = scriptlab("logs", "check", str(big))
    assert code == 1 and len(output.strip().splitlines()) == 1, output
    peer_seconds, code, output = scriptlab("logs", "check", str(peer))
    assert code == 0, output
    rows.append((f"logs check: {ONE_LINE_BYTES // 1_000_000} MB on one line (refused)", seconds,
                 peer_seconds))
    return rows


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="scriptlab-huge-") as tmp:
        rows = measure(Path(tmp))
    print("| case | wall s | peer wall s | ratio | bound |")
    print("|---|---:|---:|---:|---:|")
    failed = False
    for case, seconds, peer in rows:
        ratio = seconds / peer
        failed |= ratio > BOUND
        print(f"| {case} | {seconds:.2f} | {peer:.2f} | {ratio:.2f} | ≤ {BOUND:g} |")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
