"""`scriptlab demo`: every stage, end to end, on the bundled sample data.

The demo sits on the top floor: each stage's step is a module of this package
(`scriptlab.demo.mine` …) calling that stage's library, and no stage imports the demo. A new
stage adds a step here, so the README's quick start always shows the whole product.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from scriptlab.demo.step import DemoStep, sample_log
from scriptlab.errors import ScriptlabError
from scriptlab.settings import SETTINGS_FILE

__all__ = ["DemoStep", "fresh_workspace", "run_demo", "sample_log"]

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
    from scriptlab.demo.library import demo_step as library_step
    from scriptlab.demo.mine import demo_step as mine_step
    from scriptlab.demo.quiz import demo_step as quiz_step
    from scriptlab.demo.scoring import demo_step as scoring_step
    from scriptlab.demo.serve import demo_step as serve_step
    from scriptlab.logs.importer import import_chat_logs
    from scriptlab.store.workspace import init_workspace

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
