"""How the service metrics look on the console (`mine`, `agents stats`)."""

from __future__ import annotations

SERVICE_COLUMNS = ["agent", "sessions", "first response", "avg response", "reply chars",
                   "chars/min"]


def service_row(a: dict) -> dict:
    """One agent's service metrics as console cells (shared with `agents stats`)."""
    def timed(value: float | None, band: str) -> str:
        return "—" if value is None else f"{value:.0f} s {band}"

    return {"agent": a["agent_id"], "sessions": a["sessions"],
            "first response": timed(a["first_response_s"], a["first_response_band"]),
            "avg response": timed(a["response_s"], a["response_band"]),
            "reply chars": f"{a['reply_chars']:.0f}",
            "chars/min": "—" if a["chars_per_minute"] is None
            else f"{a['chars_per_minute']:.0f} {a['typing_band']}"}
