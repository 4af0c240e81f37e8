"""Settings of the `[logs]` section of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

from scriptlab.setting import setting


@dataclass(frozen=True)
class LogsSettings:
    """How chat logs are read."""

    max_message_chars: int = setting(
        2000,
        "Longest message kept, in characters; longer ones are cut to this and counted. Keeps "
        "every later step (masking, mining, reports) bounded whatever a file holds.",
    )
