"""Debian's Chromium for the browser tests: one path, one set of flags, one skip reason.

The flags keep headless Chromium off this machine's closed network (background networking,
component updates, sync) and let it run as root (--no-sandbox).
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install chromium); CI installs it"),
]
