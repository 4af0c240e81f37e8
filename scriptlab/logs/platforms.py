"""Platform exports as they come: recognise a helpdesk or shop-chat export by its header and
turn its rows into the standard columns before the generic reader sees them.

Each platform is a `Platform`: the header names that identify it and an `adapt` function
from the raw chunk (all cells text) to a chunk with ``session_id``, ``timestamp``,
``role`` ("customer" | "agent" | "system"), ``agent_id``, ``text`` and, when the export
has one, ``message_id``. Detection is by header only, so one chunk decides for the file;
``--preset NAME`` names the platform when detection needs a hint. The layouts and how
sure we are of each are in the README ("Platform exports").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

import pandas as pd

from scriptlab.errors import UsageError


def header_key(name: object) -> str:
    """Header names compared loosely (case, spaces, separators, BOM ignored)."""
    return re.sub(r"[\s_\-()（）:：]+", "_", str(name).strip().lower().lstrip("\ufeff")).strip("_")


@dataclass(frozen=True)
class Platform:
    """One export layout."""

    name: str
    label: str
    # Every group must have one of its header names in the file.
    signature: tuple[tuple[str, ...], ...]
    adapt: Callable[[pd.DataFrame], pd.DataFrame]

    def matches(self, header: Sequence[str]) -> bool:
        """Whether a header row looks like this platform's export."""
        keys = {header_key(h) for h in header}
        return all(any(header_key(n) in keys for n in group) for group in self.signature)


class _Columns:
    """Find a raw column by any of its names (loosely compared)."""

    def __init__(self, raw: pd.DataFrame) -> None:
        self.raw = raw
        self.by_key = {header_key(c): c for c in raw.columns}

    def get(self, *names: str) -> pd.Series | None:
        for name in names:
            column = self.by_key.get(header_key(name))
            if column is not None:
                return self.raw[column].fillna("").astype(str).str.strip()
        return None

    def text(self, *names: str) -> pd.Series:
        found = self.get(*names)
        return found if found is not None else pd.Series("", index=self.raw.index, dtype=object)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "p", "div", "li"):
            self.parts.append("\n")


def strip_html(text: str) -> str:
    """Message bodies of Intercom/Zendesk exports may be HTML: keep the words only."""
    if "<" not in text:
        return html.unescape(text)
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    return re.sub(r"[ \t]*\n\s*", "\n", "".join(parts for parts in parser.parts)).strip()


def _truthy(values: pd.Series) -> pd.Series:
    return values.str.lower().isin(("true", "1", "yes", "y", "是", "t"))


def _frame(raw: pd.DataFrame, **columns: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({k: v.to_numpy() for k, v in columns.items()}, index=raw.index)


# -- English helpdesks ---------------------------------------------------------------------

INTERCOM_ROLES = {"user": "customer", "lead": "customer", "contact": "customer",
                  "visitor": "customer", "admin": "agent", "teammate": "agent",
                  "team": "agent", "operator": "system", "bot": "system",
                  "fin": "system", "workflow": "system"}


# Part types that are actions or internal notes, not messages to or from the customer.
INTERCOM_SYSTEM_PARTS = ("note", "assignment", "close", "open", "snoozed", "unsnoozed",
                         "timer_unsnooze", "assign_and_reopen", "participant_added",
                         "away_mode_assignment", "default_assignment")


def _intercom(raw: pd.DataFrame) -> pd.DataFrame:
    c = _Columns(raw)
    author = c.text("message_author_type", "author_type", "part_author_type").str.lower()
    role = author.map(INTERCOM_ROLES).fillna(author)
    part = c.text("message_part_type", "part_type", "message_type").str.lower()
    role = role.mask(part.isin(INTERCOM_SYSTEM_PARTS), "system")
    name = c.text("message_author_name", "author_name", "admin_name", "message_author_id",
                  "author_id", "admin_id")
    return _frame(
        raw,
        message_id=c.text("message_id", "part_id", "conversation_part_id"),
        session_id=c.text("conversation_id", "conversation"),
        timestamp=c.text("message_created_at", "part_created_at", "created_at"),
        role=role,
        agent_id=name.where(role == "agent", ""),
        text=c.text("message_body", "body", "part_body").map(strip_html),
    )


ZENDESK_ROLES = {"end-user": "customer", "end_user": "customer", "enduser": "customer",
                 "requester": "customer", "user": "customer", "agent": "agent",
                 "admin": "agent", "light agent": "agent", "system": "system"}


def _zendesk(raw: pd.DataFrame) -> pd.DataFrame:
    c = _Columns(raw)
    author = c.text("author_id", "comment_author_id", "author")
    requester = c.get("requester_id", "ticket_requester_id", "requester")
    author_role = c.get("author_role", "author_type", "role")
    if author_role is not None:
        role = author_role.str.lower().map(ZENDESK_ROLES).fillna(author_role)
    elif requester is not None:
        role = pd.Series("agent", index=raw.index).mask(author.eq(requester), "customer")
    else:
        role = pd.Series("", index=raw.index)
    public = c.get("public", "is_public")
    if public is not None:
        role = role.mask(~_truthy(public) & public.ne(""), "system")  # internal notes
    body = c.get("plain_body", "body", "comment_body", "html_body")
    return _frame(
        raw,
        message_id=c.text("comment_id", "id"),
        session_id=c.text("ticket_id", "ticket"),
        timestamp=c.text("created_at", "comment_created_at"),
        role=role,
        agent_id=c.text("author_name", "author_id").where(role == "agent", ""),
        text=(body if body is not None else c.text()).map(strip_html),
    )


def _freshdesk(raw: pd.DataFrame) -> pd.DataFrame:
    c = _Columns(raw)
    incoming = _truthy(c.text("incoming"))
    private = _truthy(c.text("private"))
    role = pd.Series("agent", index=raw.index).mask(incoming, "customer").mask(private, "system")
    body = c.get("body_text", "body")
    return _frame(
        raw,
        message_id=c.text("id", "conversation_id"),
        session_id=c.text("ticket_id", "ticket"),
        timestamp=c.text("created_at"),
        role=role,
        agent_id=c.text("user_name", "user_id", "from_email").where(role == "agent", ""),
        text=(body if body is not None else c.text()).map(strip_html),
    )


# -- Chinese shop chat ---------------------------------------------------------------------

SENDER = ("发送人", "发送者", "发送方", "发送账号", "发送人账号", "发送方账号", "发言人",
          "说话人", "sender")
AGENT_ACCOUNT = ("客服账号", "客服pin", "客服昵称", "客服名称", "客服名", "客服", "接待客服",
                 "商家账号", "waiter")
CUSTOMER_ACCOUNT = ("顾客账号", "顾客pin", "客户账号", "客户pin", "用户pin", "用户账号",
                    "买家账号", "买家昵称", "用户昵称", "顾客昵称", "客户昵称", "customer")
SESSION = ("会话id", "会话编号", "会话", "咨询id", "对话id", "session_id", "sessionid")
TIME = ("发送时间", "消息时间", "时间", "日期时间", "time")
TEXT = ("消息内容", "聊天内容", "内容", "消息", "文本", "content")
MESSAGE_TYPE = ("消息类型", "内容类型", "msg_type", "message_type")
# Message types that carry no words of the customer's: kept as a bracketed marker so
# hygiene counts them and the miner never treats them as questions.
CARD_TYPES = {"商品卡片": "[商品卡片]", "商品": "[商品卡片]", "订单卡片": "[订单卡片]",
              "订单": "[订单卡片]", "图片": "[图片]", "表情": "[表情]", "视频": "[视频]",
              "语音": "[语音]", "链接": "[链接]", "卡片": "[卡片]", "文件": "[文件]"}
SYSTEM_TYPES = ("系统消息", "系统", "系统通知", "通知", "机器人", "自动回复")
SYSTEM_SENDERS = ("系统", "系统消息", "system", "机器人", "智能客服", "小蜜", "自动回复")
_ROLE_WORDS = {"客服": "agent", "商家": "agent", "卖家": "agent", "店铺": "agent",
               "顾客": "customer", "客户": "customer", "用户": "customer", "买家": "customer"}


def _shop_chat(raw: pd.DataFrame) -> pd.DataFrame:
    """京麦/咚咚 and 抖店飞鸽: the sender column holds account names or nicknames; the
    sender is the agent when it equals the row's agent-account (客服账号/客服昵称) column,
    the customer when it equals the customer-account column, else by its role word."""
    c = _Columns(raw)
    sender = c.text(*SENDER)
    agent = c.text(*AGENT_ACCOUNT)
    customer = c.get(*CUSTOMER_ACCOUNT)
    words = sender.map(_ROLE_WORDS)
    role = pd.Series("", index=raw.index, dtype=object)
    role = role.mask(sender.eq(agent) & agent.ne(""), "agent")
    if customer is not None:
        role = role.mask(role.eq("") & sender.eq(customer) & customer.ne(""), "customer")
    role = role.mask(role.eq("") & words.notna(), words)
    role = role.mask(sender.str.lower().isin(SYSTEM_SENDERS), "system")
    if customer is None or not sender.eq(customer).any():
        # Only agent accounts are named: any other sender of the chat is the customer.
        role = role.mask(role.eq("") & sender.ne("") & agent.ne(""), "customer")
    role = role.mask(role.eq(""), sender)  # left for --roles rules and the error message
    kind = c.text(*MESSAGE_TYPE)
    text = c.text(*TEXT)
    marker = kind.map(CARD_TYPES)
    text = text.mask(marker.notna(), marker.fillna("") + " " + text).str.strip()
    role = role.mask(kind.isin(SYSTEM_TYPES), "system")
    session = c.get(*SESSION)
    if session is None:  # no session column: one chat per customer account and agent
        session = (customer if customer is not None else sender) + "|" + agent
    return _frame(
        raw,
        message_id=c.text("消息id", "消息编号", "msg_id", "message_id"),
        session_id=session,
        timestamp=c.text(*TIME),
        role=role,
        agent_id=agent.where(role == "agent", sender.where(role == "agent", "")),
        text=text,
    )


PLATFORMS: dict[str, Platform] = {
    p.name: p for p in (
        Platform("intercom", "Intercom conversations CSV",
                 (("message_author_type", "author_type", "part_author_type"),
                  ("message_body", "part_body", "body"),
                  ("conversation_id",)), _intercom),
        Platform("zendesk", "Zendesk ticket comments CSV",
                 (("ticket_id",), ("author_id", "comment_author_id"),
                  ("plain_body", "body", "html_body", "comment_body")), _zendesk),
        Platform("freshdesk", "Freshdesk ticket conversations CSV",
                 (("ticket_id",), ("incoming",), ("body_text", "body")), _freshdesk),
        Platform("jd", "京麦/咚咚 chat export (CSV/XLSX)",
                 (SENDER, ("客服账号", "客服pin", "商家账号", "waiter"), TEXT), _shop_chat),
        Platform("doudian", "抖店飞鸽 chat export (XLSX/CSV)",
                 (("客服昵称", "接待客服"), TEXT, TIME), _shop_chat),
    )
}
TEXT_PRESETS = ("qianniu",)  # handled by the transcript reader, not by columns


def preset_names() -> tuple[str, ...]:
    """Every name `--preset` accepts."""
    return (*TEXT_PRESETS, *PLATFORMS)


def platform_label(name: str) -> str:
    """`Intercom conversations CSV` for `intercom`, for messages."""
    if name == "qianniu":
        return "千牛 chat-record text"
    return PLATFORMS[name].label if name in PLATFORMS else name


def check_preset(name: str | None) -> str | None:
    """The preset name, checked (one clear line when it is not one we know)."""
    if name is None:
        return None
    key = name.strip().lower()
    aliases = {"千牛": "qianniu", "taobao": "qianniu", "京东": "jd", "京麦": "jd", "咚咚": "jd",
               "jingdong": "jd", "抖店": "doudian", "飞鸽": "doudian", "douyin": "doudian"}
    key = aliases.get(key, key)
    if key not in preset_names():
        raise UsageError(f"--preset: unknown platform '{name}'; use one of "
                         f"{', '.join(preset_names())}.")
    return key


def detect_platform(header: Sequence[str], preset: str | None = None) -> Platform | None:
    """The platform whose export this header is (a preset wins), or None for plain tables."""
    if preset in PLATFORMS:
        return PLATFORMS[preset]
    if preset is not None:
        return None
    standard = {"session_id", "timestamp", "role", "text"}
    if standard <= {header_key(h) for h in header}:
        return None  # already in the standard shape
    return next((p for p in PLATFORMS.values() if p.matches(header)), None)
