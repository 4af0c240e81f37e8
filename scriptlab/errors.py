"""The one exception family users see.

Everything a user can cause (bad file, unknown id, missing workspace) raises a
`ScriptlabError` whose message says what is wrong *and* how to fix it. The CLI
turns it into one red line and an exit code; nothing else is shown.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, kept in one place."""

    OK = 0
    DATA_ERROR = 1  # the input or the workspace has a problem
    USAGE_ERROR = 2  # the command line itself is wrong


class ScriptlabError(Exception):
    """A problem the user can fix: bad input data, missing workspace, unknown id."""

    exit_code: ExitStatus = ExitStatus.DATA_ERROR


class UsageError(ScriptlabError):
    """The command line is wrong (bad option value, conflicting options)."""

    exit_code = ExitStatus.USAGE_ERROR
