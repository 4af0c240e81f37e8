"""Fill-in variables in reply scripts: ``{买家昵称}``, ``{订单号}``, ``{发货时间}`` …

A script may leave a slot for what differs per customer. Slots are written in braces, apart
from masked personal data (``<订单号>``, see `scriptlab.text.mask`); masking and the formula
guard leave them as they are. Scoring ignores them when comparing texts, the search page
highlights them and asks for their values before copying, and quick-reply exports rewrite
them in a platform's own placeholder syntax where it has one. (Scoring and the library both
use this, so it lives below both.)
"""

from __future__ import annotations

import re

# A slot: 1-16 letters, digits or CJK characters in ASCII or full-width braces.
VARIABLE = re.compile(r"[{｛](\w{1,16})[}｝]")
# In a platform's placeholder setting, where the variable's name goes.
NAME_FIELD = "{name}"


def variables(text: str) -> list[str]:
    """The variable names a script uses, in first-seen order, each once."""
    return list(dict.fromkeys(m.group(1) for m in VARIABLE.finditer(text)))


def convert(text: str, placeholder: str) -> str:
    """Rewrite every ``{name}`` in `text` as `placeholder` with the name put in.

    `placeholder` is a pattern such as ``"#{name}#"`` or ``"【{name}】"`` (``{name}`` becomes
    the variable's name, braces included: ``"【{name}】"`` gives ``【订单号】``); an empty one
    keeps the slots as written (``{买家昵称}``), to be filled in by the agent.
    """
    if not placeholder:
        return VARIABLE.sub(lambda m: "{" + m.group(1) + "}", text)
    return VARIABLE.sub(lambda m: placeholder.replace(NAME_FIELD, m.group(1)), text)


def without_variables(text: str) -> str:
    """`text` with the slots taken out: they stand for values, not for words of the reply."""
    return VARIABLE.sub("", text)
