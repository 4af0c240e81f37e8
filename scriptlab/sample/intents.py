"""The intent catalogue of the fictional Taobao shop 暖居小铺 (clothing + small home goods).

The catalogue is data (`intents.toml` next to this module); this module reads it into typed,
frozen values.

Every intent carries two disjoint phrasing grammars: ``log_templates`` feed the generated chat
logs, ``heldout_templates`` produce fresh wordings for testing FAQ lookup (see
``scriptlab.sample.holdout``). Templates use the syntax of ``scriptlab.sample.grammar``: ``[a|b]``
alternatives (an empty one makes the group optional) and ``{slot}`` references to ``SLOTS``.
Templates never end in punctuation; the generator adds (or omits) it.

Shop facts used by the model answers (kept consistent across intents):
48小时内发货 (16:00前付款当天发), 默认中通/韵达, 顺丰补差价10元, 满59元包邮 (偏远地区补15元),
7天无理由, 质量问题15天包退换且来回运费店铺承担, 满199减20/满299减40, 会员95折,
30天保价, 花呗满600元3期免息, 杭州发货, 小家电保修一年, 客服在线9:00-24:00.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib.resources import files
from types import MappingProxyType

_DATA = tomllib.loads(files(__package__).joinpath("intents.toml").read_text(encoding="utf-8"))

SHOP_NAME: str = _DATA["shop_name"]

#: Label of buyer messages that ask nothing (greetings, thanks, statements).
NONE_LABEL: str = _DATA["none_label"]

# Shared slots. Product mentions make phrasings differ the way real messages do.
SLOTS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {name: tuple(values) for name, values in _DATA["slots"].items()}
)


@dataclass(frozen=True)
class Intent:
    """One customer intent with its phrasing grammars and graded replies.

    Attributes
    ----------
    key : str
        ASCII identifier used in labels (e.g. ``ship_time``).
    name : str
        Short Chinese name (e.g. 发货时间).
    category : str
        售前, 售后, 物流, 支付, 商品, 订单 or 活动.
    canonical : str
        The question as an FAQ would title it.
    log_templates, heldout_templates : tuple[str, ...]
        Disjoint phrasing grammars: the first feeds chat logs, the second held-out queries.
    good_answer : str
        The approved-script quality reply.
    mediocre_answers, poor_answers : tuple[str, ...]
        Weaker replies agents give (vague / short, or cold / over-promising / wrong).
    attach : str
        Which personal details buyers tend to add: ``order`` (order numbers), ``address``
        (address, phone, name) or ``""``.
    """

    key: str
    name: str
    category: str
    canonical: str
    log_templates: tuple[str, ...]
    heldout_templates: tuple[str, ...]
    good_answer: str
    mediocre_answers: tuple[str, ...]
    poor_answers: tuple[str, ...]
    attach: str = ""


def _intent(row: dict) -> Intent:
    return Intent(**{f.name: tuple(row[f.name]) if isinstance(row.get(f.name), list)
                     else row[f.name] for f in fields(Intent) if f.name in row})


# The catalogue order is the prior popularity used (with seeded jitter) for Zipf ranks.
INTENTS: tuple[Intent, ...] = tuple(_intent(row) for row in _DATA["intents"])

INTENT_BY_KEY: MappingProxyType[str, Intent] = MappingProxyType({i.key: i for i in INTENTS})

#: Intents whose frequency rises in the last week of a generated log (multiplier on weight).
TRENDING: MappingProxyType[str, float] = MappingProxyType(
    {key: float(value) for key, value in _DATA["trending"].items()}
)


def _lines(name: str) -> tuple[str, ...]:
    return tuple(line.replace("{shop}", SHOP_NAME) for line in _DATA[name])


# --- Non-question buyer messages (label NONE_LABEL) and agent/system small talk -------------

GREETINGS = _lines("greetings")
ACKNOWLEDGEMENTS = _lines("acknowledgements")
STATEMENTS = _lines("statements")
NUDGES = _lines("nudges")

AGENT_GREETINGS = _lines("agent_greetings")
AGENT_CLOSINGS = _lines("agent_closings")
AGENT_ASK_ORDER = _lines("agent_ask_order")
AGENT_ADDRESS_ACK = _lines("agent_address_ack")

SYSTEM_OPENERS = _lines("system_openers")
SYSTEM_CLOSERS = _lines("system_closers")
