"""Opaque answer codes for blind review.

Reviewers see `K7M2PX`, never the agent. A code is a hash of quiz, quiz seed, question and
agent (so re-importing the same answer keeps its code), written in an alphabet without
look-alike characters (no 0/O, 1/I/L, U) so a reviewer can read it out in a meeting.
"""

from __future__ import annotations

import hashlib

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6


def answer_code(quiz_id: int, seed: int, question_id: int, agent_id: str, salt: int = 0) -> str:
    """The code of one answer (`salt` > 0 only to step around a collision)."""
    digest = hashlib.sha256(f"{quiz_id}|{seed}|{question_id}|{agent_id}|{salt}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def new_code(quiz_id: int, seed: int, question_id: int, agent_id: str,
             taken: set[str]) -> str:
    """A code not in `taken` (which it joins); deterministic given `taken`."""
    salt = 0
    while (code := answer_code(quiz_id, seed, question_id, agent_id, salt)) in taken:
        salt += 1
    taken.add(code)
    return code


def normalise_code(text: str) -> str:
    """A code as read back from a sheet: case and spaces ignored."""
    return "".join(text.split()).upper()
