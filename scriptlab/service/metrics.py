"""Per-agent service metrics from chat messages (the standard reader columns).

* **first response time**: per chat, from the first customer message to the first agent
  reply after it; the agent who replied gets it; median per agent.
* **average response time**: each run of customer messages to the agent reply that ends it
  (from the run's first message); mean per agent. Replies later than ``max_response_s``
  are chats picked up again (next morning), left out of both times.
* **reply length**: mean characters per agent message.
* **typing speed** (characters per minute, where the data allows): a reply's characters over
  the time since the message just before it in the chat, for gaps of at most
  ``typing_window_s`` seconds (longer ones measure waiting); median per agent, shown only
  with ``typing_min_samples`` such replies and timestamps that have seconds. It is an
  estimate: the agent may also have read or looked something up in that time.
* **sessions**: chats the agent sent at least one message in.

Each metric gets a band from `ServiceSettings` ("good", "pass" or "below").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from scriptlab.service.settings import ServiceSettings

METRIC_COLUMNS = ["agent_id", "sessions", "replies", "first_response_s", "response_s",
                  "reply_chars", "chars_per_minute", "first_response_band", "response_band",
                  "typing_band"]


@dataclass(frozen=True)
class AgentService:
    """One agent's metrics (None where the logs do not allow it)."""

    agent_id: str
    sessions: int
    replies: int
    first_response_s: float | None
    response_s: float | None
    reply_chars: float
    chars_per_minute: float | None
    first_response_band: str
    response_band: str
    typing_band: str

    def as_dict(self) -> dict:
        return asdict(self)


class ServiceCollector:
    """Keeps the few columns metrics need while chunks stream past (about 25 bytes a row)."""

    def __init__(self, since: datetime | None = None, until: datetime | None = None) -> None:
        self.since, self.until = since, until
        self.parts: list[pd.DataFrame] = []

    def wrap(self, chunks: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        """Yield the chunks unchanged, remembering session, time, role, agent and length."""
        for chunk in chunks:
            keep = np.ones(len(chunk), dtype=bool)
            if self.since is not None:
                keep &= (chunk["timestamp"] >= pd.Timestamp(self.since)).to_numpy()
            if self.until is not None:
                keep &= (chunk["timestamp"] <= pd.Timestamp(self.until)).to_numpy()
            part = chunk.loc[keep, ["session_id", "timestamp", "role", "agent_id", "text"]]
            self.parts.append(pd.DataFrame({
                "session": pd.util.hash_array(part["session_id"].astype(str).to_numpy()),
                "timestamp": part["timestamp"].to_numpy(),
                "agent": (part["role"] == "agent").to_numpy(),
                "agent_id": part["agent_id"].fillna("").astype("category"),
                "chars": part["text"].astype(str).str.len().astype(np.int32).to_numpy(),
            }))
            yield chunk

    def messages(self) -> pd.DataFrame:
        """Everything collected, as one frame (session, timestamp, agent, agent_id, chars)."""
        if not self.parts:
            return pd.DataFrame(columns=["session", "timestamp", "agent", "agent_id", "chars"])
        frame = pd.concat(self.parts, ignore_index=True)
        frame["agent_id"] = frame["agent_id"].astype(str)
        return frame


def service_metrics(messages: pd.DataFrame,
                    settings: ServiceSettings | None = None) -> list[AgentService]:
    """Per-agent metrics, most sessions first.

    Parameters
    ----------
    messages
        ``session``, ``timestamp``, ``agent`` (bool) and ``agent_id``, ``chars`` — as
        `ServiceCollector.messages` gives, or built from the reader's columns with
        `from_reader_frame`. Agent messages without an agent id count as "(unknown)".
    """
    settings = settings or ServiceSettings()
    if messages.empty or not messages["agent"].any():
        return []
    m = messages.sort_values(["session", "timestamp"], kind="stable").reset_index(drop=True)
    m["agent_id"] = m["agent_id"].astype(str).where(m["agent_id"].astype(str) != "",
                                                    "(unknown)")
    new_session = m["session"].ne(m["session"].shift())
    new_block = new_session | m["agent"].ne(m["agent"].shift())
    block = new_block.cumsum()
    blocks = m.groupby(block).agg(session=("session", "first"), agent=("agent", "first"),
                                  start=("timestamp", "first"), agent_id=("agent_id", "first"))
    nxt = blocks.shift(-1)
    answered = (~blocks["agent"]) & nxt["agent"].eq(True) & nxt["session"].eq(blocks["session"])
    pairs = pd.DataFrame({
        "session": blocks.loc[answered, "session"],
        "agent_id": nxt.loc[answered, "agent_id"],
        "seconds": (pd.to_datetime(nxt.loc[answered, "start"])
                    - blocks.loc[answered, "start"]).dt.total_seconds(),
    })
    first = pairs.drop_duplicates("session", keep="first")
    pairs = pairs[pairs["seconds"] <= settings.max_response_s]
    first = first[first["seconds"] <= settings.max_response_s]
    # Typing: each agent message over the gap since the message before it in the chat.
    gap = m["timestamp"].diff().dt.total_seconds()
    typing = m["agent"] & ~new_session & gap.gt(0) & gap.le(settings.typing_window_s)
    has_seconds = bool((m["timestamp"].dt.second != 0).any())
    cpm = (m.loc[typing, "chars"] / (gap[typing] / 60.0)).groupby(m.loc[typing, "agent_id"])
    agents = m[m["agent"]]
    out: list[AgentService] = []
    for agent_id, rows in agents.groupby("agent_id"):
        fr = first.loc[first["agent_id"] == agent_id, "seconds"]
        rs = pairs.loc[pairs["agent_id"] == agent_id, "seconds"]
        speeds = cpm.get_group(agent_id) if has_seconds and agent_id in cpm.groups else None
        speed = (float(speeds.median()) if speeds is not None
                 and len(speeds) >= settings.typing_min_samples else None)
        # Rounded: stored runs and reports never carry long digit runs (masking's promise).
        first_s = round(float(fr.median()), 1) if len(fr) else None
        resp_s = round(float(rs.mean()), 1) if len(rs) else None
        out.append(AgentService(
            agent_id=str(agent_id), sessions=int(rows["session"].nunique()), replies=len(rows),
            first_response_s=first_s, response_s=resp_s,
            reply_chars=round(float(rows["chars"].mean()), 1),
            chars_per_minute=None if speed is None else round(speed, 1),
            first_response_band=_lower_better(first_s, settings.first_response_good_s,
                                              settings.first_response_pass_s),
            response_band=_lower_better(resp_s, settings.response_good_s,
                                        settings.response_pass_s),
            typing_band=_higher_better(speed, settings.typing_good_cpm,
                                       settings.typing_pass_cpm),
        ))
    return sorted(out, key=lambda a: (-a.sessions, a.agent_id))


def from_reader_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The metrics' input from reader-shaped messages (session_id, timestamp, role, …)."""
    return pd.DataFrame({
        "session": frame["session_id"].astype(str).to_numpy(),
        "timestamp": pd.to_datetime(frame["timestamp"]).to_numpy(),
        "agent": (frame["role"] == "agent").to_numpy(),
        "agent_id": frame["agent_id"].fillna("").astype(str).to_numpy(),
        "chars": frame["text"].astype(str).str.len().to_numpy(),
    })


def _lower_better(value: float | None, good: float, passing: float) -> str:
    if value is None:
        return ""
    return "good" if value <= good else "pass" if value <= passing else "below"


def _higher_better(value: float | None, good: float, passing: float) -> str:
    if value is None:
        return ""
    return "good" if value >= good else "pass" if value >= passing else "below"


def workspace_service(ws, since: datetime | None = None,  # noqa: ANN001 - Workspace
                      until: datetime | None = None) -> list[AgentService]:
    """Metrics over the messages imported into the workspace (asked of the logs stage)."""
    from scriptlab.logs.queries import message_chunks

    collector = ServiceCollector()
    with ws.engine.connect() as conn:
        for _ in collector.wrap(message_chunks(conn, since=since, until=until)):
            pass
    return service_metrics(collector.messages(), ws.settings.service)
