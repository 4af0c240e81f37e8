"""Measuring helpers for the benchmarks: wall time and peak RSS of a child process,
repeated runs summarised as median (min–max), and a description of the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PACKAGES = ("scriptlab", "pandas", "numpy", "scikit-learn", "scipy", "jieba", "opencc",
            "SQLAlchemy", "openpyxl", "typer", "jinja2", "krippendorff")


@dataclass(frozen=True)
class Run:
    """One measured run of a child process."""

    seconds: float
    peak_rss_mb: float
    output: str


def run_measured(cmd: Sequence[str], *, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Run:
    """Run `cmd`, returning its wall time and the peak RSS of that child alone (wait4)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output)


def repeat(times: int, func: Callable[[], Run], *, before: Callable[[], None] | None = None
           ) -> list[Run]:
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(func())
    return runs


def spread(values: Sequence[float], fmt: str = "{:.2f}") -> str:
    """`median (min–max)` as text."""
    return (f"{fmt.format(statistics.median(values))} "
            f"({fmt.format(min(values))}–{fmt.format(max(values))})")


def machine() -> list[str]:
    """Lines describing this machine and the package versions measured."""
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM: {mem_kb / 1024 / 1024:.1f} GiB",
        f"- Python {sys.version.split()[0]} on {platform.system()} {platform.release()}",
        f"- {', '.join(versions)}",
    ]
