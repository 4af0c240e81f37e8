"""Recognise column names and role values of chat exports, in Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from scriptlab.errors import ScriptlabError, UsageError

# Standard column -> names seen in exports (compared after `_key`).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "message_id": ("message_id", "msg_id", "messageid", "消息id", "消息编号", "id"),
    "session_id": ("session_id", "session", "conversation", "conversation_id", "chat_id",
                   "dialog_id", "会话id", "会话", "会话编号", "对话id", "咨询id"),
    "timestamp": ("timestamp", "time", "datetime", "date", "created_at", "sent_at", "时间",
                  "发送时间", "消息时间", "日期时间"),
    "role": ("role", "sender", "sender_role", "speaker", "from", "direction", "角色", "发送方",
             "发送者", "说话人", "身份", "发送人"),
    "text": ("text", "content", "message", "msg", "body", "内容", "消息", "消息内容", "聊天内容",
             "文本"),
    "agent_id": ("agent", "agent_id", "staff", "staff_id", "客服", "客服id", "客服账号", "客服名"),
}
REQUIRED = ("session_id", "timestamp", "role", "text")

# Role value -> standard role (compared after `_key`). None = ignore (system, bot).
_CUSTOMER_VALUES = (
    "买家", "買家", "客户", "客戶", "顾客", "顧客", "用户", "用戶", "访客", "訪客",
    "customer", "buyer", "user", "client", "c2b", "c", "in", "inbound",
)
_AGENT_VALUES = (
    "客服", "卖家", "賣家", "商家", "店家", "售前", "售后", "售後",
    "agent", "seller", "staff", "service", "support", "b2c", "b", "out", "outbound",
)
_IGNORED_VALUES = (
    "系统", "系統", "系统消息", "機器人", "机器人", "自动回复", "自動回覆",
    "system", "bot", "robot", "auto",
)
ROLE_ALIASES: dict[str, str | None] = {
    **dict.fromkeys(_CUSTOMER_VALUES, "customer"),
    **dict.fromkeys(_AGENT_VALUES, "agent"),
    **dict.fromkeys(_IGNORED_VALUES, None),
}
ROLES = ("customer", "agent")


def _key(name: object) -> str:
    return re.sub(r"[\s_\-()（）:：]+", "_", str(name).strip().lower().lstrip("\ufeff")).strip("_")


def parse_mapping(spec: str | None, valid: Iterable[str], what: str) -> dict[str, str]:
    """Parse `a=b,c=d` from the command line into a dict, checking the keys."""
    if not spec:
        return {}
    valid = tuple(valid)
    out: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(f"{what}: '{part}' should look like name=value (e.g. text=内容).")
        if valid and key not in valid:
            raise UsageError(f"{what}: unknown name '{key}'; use one of {', '.join(valid)}.")
        out[key] = value
    return out


def resolve_columns(header: list[str], mapping: Mapping[str, str], source: str) -> dict[str, str]:
    """Map standard column -> column in the file, by explicit mapping first, then aliases."""
    by_key = {_key(h): h for h in header}
    resolved: dict[str, str] = {}
    for standard, given in mapping.items():
        if given not in header and _key(given) not in by_key:
            raise ScriptlabError(
                f"{source}: --map says {standard}={given}, but there is no column '{given}'. "
                f"Columns in the file: {', '.join(map(str, header))}."
            )
        resolved[standard] = given if given in header else by_key[_key(given)]
    taken = set(resolved.values())
    for standard, aliases in COLUMN_ALIASES.items():
        if standard in resolved:
            continue
        for alias in aliases:
            column = by_key.get(_key(alias))
            if column is not None and column not in taken:
                resolved[standard] = column
                taken.add(column)
                break
    missing = [c for c in REQUIRED if c not in resolved]
    if missing:
        hint = ",".join(f"{c}=<column>" for c in missing)
        raise ScriptlabError(
            f"{source}: no column for {', '.join(missing)}. Columns in the file: "
            f"{', '.join(map(str, header))}. Name them with --map {hint}."
        )
    return resolved


def role_table(role_map: Mapping[str, str]) -> dict[str, str | None]:
    """The role alias table, extended by user-given `value=customer|agent|ignore` pairs."""
    table = dict(ROLE_ALIASES)
    for value, role in role_map.items():
        if role not in (*ROLES, "ignore"):
            raise UsageError(
                f"--roles: '{value}={role}': the role must be customer, agent or ignore."
            )
        table[_key(value)] = None if role == "ignore" else role
    return table


def role_key(value: object) -> str:
    """How role values are compared (case, spaces and punctuation ignored)."""
    return _key(value)
