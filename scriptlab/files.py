"""Writing output files: whole or not at all, and never over a file scriptlab did not write.

Every file goes to a temporary name in its folder first and is renamed into place, so a
crash or a full disk leaves the old file (or none), never half a file. Each folder scriptlab
writes into keeps a small manifest (`MANIFEST`: file name → SHA-256 of what scriptlab
wrote); a file that is not in it, or changed since, belongs to someone else and is only
replaced when the caller says so (``force``, the CLI's ``--force``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from scriptlab.errors import ScriptlabError

MANIFEST = ".scriptlab-files.json"


class OverwriteRefused(ScriptlabError):
    """The target folder holds files scriptlab did not write."""


def os_problem(exc: OSError, target: Path | str | None = None) -> ScriptlabError:
    """One line naming the folder and the fix for a failed write (read-only, full, denied)."""
    where = Path(target or exc.filename or ".")
    folder = where if where.is_dir() else where.parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "the disk is full; free some space there and run the command again"
    elif exc.errno == errno.EROFS:
        fix = "the disk is mounted read-only; remount it read-write or choose another folder"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        fix = "permission denied; make it writable (chmod u+w) or choose another folder"
    else:
        fix = f"{exc.strerror or exc}; check the folder or choose another one"
    return ScriptlabError(f"Cannot write to {folder}: {fix}. Nothing was written there.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def foreign_files(folder: Path, names: Sequence[str]) -> list[str]:
    """Those of `names` that exist in `folder` but are not scriptlab's latest output there."""
    known = _manifest(folder)
    foreign = []
    for name in names:
        path = folder / name
        if path.exists() and (not path.is_file() or known.get(name) != file_sha256(path)):
            foreign.append(name)
    return foreign


def check_replaceable(folder: Path, names: Sequence[str], *, force: bool = False,
                      force_hint: str = "add --force to replace them") -> None:
    """Refuse (before anything is written) to replace files scriptlab did not write."""
    if force:
        return
    foreign = foreign_files(folder, names)
    if foreign:
        listed = ", ".join(foreign)
        raise OverwriteRefused(
            f"{folder} already holds {listed}, not written by scriptlab (or changed since); "
            f"nothing was written. Choose another folder or file, remove them, or {force_hint}."
        )


def write_files(folder: Path, contents: Mapping[str, bytes | str], *, force: bool = False,
                force_hint: str = "add --force to replace them") -> list[Path]:
    """Write `contents` (name → bytes, or text as UTF-8) into `folder`, all or none.

    Refuses files scriptlab did not write unless `force`; records what it wrote in the
    folder's manifest. A write error (disk full, read-only) removes the temporary files and
    raises one `ScriptlabError` naming the folder.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_problem(exc, folder) from None
    check_replaceable(folder, list(contents), force=force, force_hint=force_hint)
    temps: list[tuple[Path, Path]] = []
    digests: dict[str, str] = {}
    try:
        for name, data in contents.items():
            raw = data.encode("utf-8") if isinstance(data, str) else data
            temp = folder / f".{name}.{os.getpid()}.tmp"
            temps.append((temp, folder / name))
            with open(temp, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            digests[name] = hashlib.sha256(raw).hexdigest()
        _save_manifest(folder, {**_manifest(folder), **digests})
        for temp, final in temps:
            os.replace(temp, final)
    except OSError as exc:
        for temp, _final in temps:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        raise os_problem(exc, folder) from None
    return [final for _temp, final in temps]


def move_files(paths: Sequence[Path], folder: Path, *, force: bool = False,
               force_hint: str = "add --force to replace them") -> list[Path]:
    """Rename finished files (on the same disk) into `folder`, recording them as written."""
    names = [p.name for p in paths]
    check_replaceable(folder, names, force=force, force_hint=force_hint)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _save_manifest(folder, {**_manifest(folder), **{p.name: file_sha256(p) for p in paths}})
        moved = []
        for path in paths:
            target = folder / path.name
            os.replace(path, target)
            moved.append(target)
    except OSError as exc:
        raise os_problem(exc, folder) from None
    return moved


def forget(folder: Path, name: str) -> None:
    """Remove a file scriptlab wrote earlier (and its manifest line); others stay."""
    path = folder / name
    if path.exists() and not foreign_files(folder, [name]):
        path.unlink()
        known = _manifest(folder)
        known.pop(name, None)
        _save_manifest(folder, known)


def _save_manifest(folder: Path, known: dict[str, str]) -> None:
    temp = folder / f".{MANIFEST}.{os.getpid()}.tmp"
    try:
        temp.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temp, folder / MANIFEST)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
