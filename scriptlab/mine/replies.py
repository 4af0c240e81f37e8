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
