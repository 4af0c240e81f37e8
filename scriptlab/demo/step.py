"""What every demo step shares: its result type and the bundled sample files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_DIR = Path("data")
SAMPLE_LOG = "sample_chats.csv"


@dataclass(frozen=True)
class DemoStep:
    """One stage's result: a one-line summary and the files it wrote."""

    stage: str
    summary: str
    outputs: list[tuple[str, Path | str]] = field(default_factory=list)  # files or links


def sample_log(workspace: Path) -> Path:
    """The bundled sample chat log; regenerated (same seed, same file) when not in ./data."""
    bundled = SAMPLE_DIR / SAMPLE_LOG
    if bundled.exists():
        return bundled
    from scriptlab.sample.files import write_sample

    return write_sample(workspace / "sample", n_messages=6000, seed=7, gbk_messages=0)[0]
