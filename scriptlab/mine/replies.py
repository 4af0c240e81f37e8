"""Find the agent reply that followed each customer message in its chat session.

The reply to a customer message is the next agent message in the same session (by time,
then by order in the file). Several customer messages in a row ("在吗" … "什么时候发货")
share the reply that follows them. These replies become candidate reference answers.
"""

from __future__ import annotations

import numpy as np


def next_agent_message(
    session: np.ndarray, timestamp: np.ndarray, order: np.ndarray, is_agent: np.ndarray
) -> np.ndarray:
    """For every message, the index of the next agent message in its session, else -1.

    Parameters
    ----------
    session
        Integer session code per message.
    timestamp
        Sortable time per message (e.g. int64 nanoseconds).
    order
        Tie-breaker for equal times: position in the input.
    is_agent
        True for agent messages.

    Returns
    -------
    numpy.ndarray
        int64 index into the inputs (-1 when no agent spoke after the message).

    Examples
    --------
    >>> next_agent_message(np.array([1, 1, 1, 2]), np.array([1, 2, 3, 1]),
    ...                    np.arange(4), np.array([False, False, True, False]))
    array([ 2,  2, -1, -1])
    """
    n = session.size
    result = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return result
    sorted_idx = np.lexsort((order, timestamp, session))
    s_session = session[sorted_idx]
    s_agent = is_agent[sorted_idx]
    # Walking backwards, remember the nearest later agent message (in sorted positions).
    positions = np.where(s_agent, np.arange(n), n)
    # Next agent strictly after position i: shift by one, then take a reverse running min.
    later = np.empty(n, dtype=np.int64)
    later[:-1] = positions[1:]
    later[-1] = n
    nearest = np.minimum.accumulate(later[::-1])[::-1]
    valid = nearest < n
    same = np.zeros(n, dtype=bool)
    same[valid] = s_session[nearest[valid]] == s_session[valid]
    found = valid & same
    result[sorted_idx[found]] = sorted_idx[nearest[found]]
    return result


class ReplyLinker:
    """Link questions to replies while chunks stream in, keeping only open questions.

    Exports list each session's messages in time order, so the next agent message of a
    session *in the file* is its next one in time: per session only the questions still
    waiting for an answer are kept. Once a session's message comes earlier in time than
    one already seen for it, `in_order` turns False and linking stops (the caller then
    falls back to `next_agent_message` over all messages).
    """

    def __init__(self) -> None:
        self.in_order = True
        self.sessions = np.zeros(0, np.uint64)  # sorted
        self.last_ts = np.zeros(0, np.int64)  # latest time seen per session
        self.open_session = np.zeros(0, np.uint64)  # questions without a reply yet
        self.open_key = np.zeros(0, np.int64)

    def add(
        self, session: np.ndarray, ts: np.ndarray, is_agent: np.ndarray, key: np.ndarray,
        text: np.ndarray, agent: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Questions answered in this chunk: (question key, reply text, reply agent).

        The inputs are one chunk's messages in file order: uint64 `session`, int64 `ts`,
        `is_agent`, `key` (question key, unused for agent messages), agent `text` and
        `agent` codes (unused for questions).
        """
        empty = np.zeros(0, np.int64)
        if not self.in_order or session.size == 0:
            return empty, empty, empty
        self._check_order(session, ts)
        if not self.in_order:
            return empty, empty, empty
        n_open = self.open_session.size
        all_session = np.concatenate([self.open_session, session])
        all_agent = np.concatenate([np.zeros(n_open, bool), is_agent])
        position = np.arange(all_session.size)
        reply = next_agent_message(all_session, position, position, all_agent)
        question = ~all_agent
        all_key = np.concatenate([self.open_key, key.astype(np.int64)])
        answered = question & (reply >= 0)
        waiting = question & (reply < 0)
        self.open_session = all_session[waiting]
        self.open_key = all_key[waiting]
        chunk_reply = reply[answered] - n_open
        return (all_key[answered], text[chunk_reply].astype(np.int64),
                agent[chunk_reply].astype(np.int64))

    def _check_order(self, session: np.ndarray, ts: np.ndarray) -> None:
        """Clear `in_order` when a session's times go back; remember each one's latest."""
        idx = np.argsort(session, kind="stable")
        s_session, s_ts = session[idx], ts[idx]
        same = s_session[1:] == s_session[:-1]
        if (same & (s_ts[1:] < s_ts[:-1])).any():
            self.in_order = False
            return
        starts = np.flatnonzero(np.r_[True, ~same])
        ends = np.r_[starts[1:], s_session.size] - 1
        chunk_sessions = s_session[starts]
        pos = np.searchsorted(self.sessions, chunk_sessions)
        known = pos < self.sessions.size
        known[known] = self.sessions[pos[known]] == chunk_sessions[known]
        if (s_ts[starts][known] < self.last_ts[pos[known]]).any():
            self.in_order = False
            return
        self.last_ts[pos[known]] = s_ts[ends][known]
        new = ~known
        self.sessions = np.insert(self.sessions, pos[new], chunk_sessions[new])
        self.last_ts = np.insert(self.last_ts, pos[new], s_ts[ends][new])
