"""`scriptlab demo`: every stage, end to end, on the bundled sample data.

Each stage adds a step here, so the README's quick start always shows the whole product.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scriptlab.errors import ScriptlabError
from scriptlab.settings import SETTINGS_FILE

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


def fresh_workspace(directory: Path) -> Path:
    """Empty `directory` for the demo, refusing to wipe anything that isn't a workspace."""
    if directory.exists():
        if not directory.is_dir() or (
            any(directory.iterdir()) and not (directory / SETTINGS_FILE).exists()
        ):
            raise ScriptlabError(
                f"{directory} exists and is not a scriptlab workspace; the demo will not "
                "overwrite it. Give another folder: scriptlab demo OTHER_FOLDER"
            )
        shutil.rmtree(directory)
    return directory


def run_demo(directory: Path) -> Iterator[DemoStep]:
    """Create a fresh workspace in `directory` and run each stage, yielding as it goes."""
    from scriptlab.library.demo import demo_step as library_step
    from scriptlab.logs.importer import import_chat_logs
    from scriptlab.mine.demo import demo_step as mine_step
    from scriptlab.quiz.demo import demo_step as quiz_step
    from scriptlab.scoring.demo import demo_step as scoring_step
    from scriptlab.store.workspace import init_workspace
    from scriptlab.web.demo import demo_step as serve_step

    ws, _ = init_workspace(fresh_workspace(directory))
    yield DemoStep("init", f"workspace {ws.root}", [("settings", ws.root / SETTINGS_FILE)])

    log = sample_log(ws.root)
    (imported,) = import_chat_logs(ws, [log])
    s = imported.stats
    yield DemoStep(
        "logs",
        f"imported {s.messages} messages from {log} ({s.customer} customer, {s.agent} agent; "
        f"skipped {s.skipped_system} system, {s.skipped_empty} empty)",
    )
    yield mine_step(ws, log)
    yield quiz_step(ws)
    yield scoring_step(ws)
    yield library_step(ws)
    yield serve_step(ws)
