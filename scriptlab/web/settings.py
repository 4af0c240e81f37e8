"""The `[ui]` and `[web]` sections of scriptlab.toml."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class UiSettings:
    """How pages speak."""

    # Page language: "zh" (Chinese, the default) or "en".
    language: str = "zh"


@dataclass(frozen=True)
class WebSettings:
    """`scriptlab serve` and the sign-in links."""

    # The address people open, as printed in sign-in links (behind a proxy: its https URL).
    base_url: str = "http://127.0.0.1:8000"
    # Days a sign-in link stays valid (it works once).
    link_days: int = 7
    # Hours a browser stays signed in.
    session_hours: int = 168
    # Failed sign-ins one address may make per 10 minutes before it is refused for a while.
    max_failed_signins: int = 10
