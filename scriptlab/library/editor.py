"""Open the user's editor on a script before it is approved (`library approve --edit`).

Typer (0.29+) no longer ships click's `edit()`, so this is the small part of it we need:
write the text to a temp file, run $VISUAL / $EDITOR on it, read it back.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from scriptlab.errors import ScriptlabError


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else a platform default (notepad / vi)."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if command:
        return shlex.split(command, posix=os.name != "nt")
    return ["notepad"] if sys.platform.startswith("win") else ["vi"]


def edit_text(text: str, extension: str = ".txt") -> str | None:
    """The text after the user edited it; None if they saved no change."""
    fd, name = tempfile.mkstemp(prefix="scriptlab-", suffix=extension)
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        command = [*editor_command(), str(path)]
        try:
            done = subprocess.run(command, check=False)
        except OSError as exc:
            raise ScriptlabError(
                f"Cannot start the editor {command[0]!r} ({exc.strerror}). Set $EDITOR to your "
                "editor, or give the script with --text."
            ) from None
        if done.returncode != 0:
            raise ScriptlabError(f"The editor {command[0]!r} exited with code "
                                 f"{done.returncode}; nothing was approved.")
        edited = path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
    return None if edited == text else edited
