"""Recognise column names and role values of chat exports, in Chinese and English."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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
    "agent_id": ("agent", "agent_id", "staff", "staff_id", "客服", "客服id", "客服账号", "客服名",
                 "客服昵称", "admin_name", "assignee", "assignee_name"),
}
REQUIRED = ("session_id", "timestamp", "role", "text")

# Role value -> standard role (compared after `_key`). None = ignore (system, bot).
_CUSTOMER_VALUES = (
    "买家", "買家", "客户", "客戶", "顾客", "顧客", "用户", "用戶", "访客", "訪客",
    "customer", "buyer", "user", "client", "c2b", "c", "in", "inbound",
    "end-user", "end_user", "enduser", "requester", "lead", "contact", "visitor",
)
_AGENT_VALUES = (
    "客服", "卖家", "賣家", "商家", "店家", "售前", "售后", "售後",
    "agent", "seller", "staff", "service", "support", "b2c", "b", "out", "outbound",
    "admin", "operator", "teammate", "assignee", "rep", "representative",
)
_IGNORED_VALUES = (
    "系统", "系統", "系统消息", "機器人", "机器人", "自动回复", "自動回覆",
    "system", "bot", "robot", "auto", "fin", "workflow", "note", "internal",
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


@dataclass(frozen=True)
class RoleTable:
    """Role values → standard role: exact values (compared loosely), then patterns.

    Patterns are `--roles` keys with ``*`` or ``?`` (shell-style, case-insensitive), tried
    in the order given, so ``暖居京东_*=agent,*=customer`` names the agent accounts and
    makes everyone else a customer.
    """

    exact: dict[str, str | None]
    patterns: tuple[tuple[str, str | None], ...] = field(default_factory=tuple)

    def lookup(self, value: object) -> tuple[bool, str | None]:
        """(known?, role or None for ignored)."""
        key = _key(value)
        if key in self.exact:
            return True, self.exact[key]
        text = str(value).strip().lower()
        for pattern, role in self.patterns:
            if fnmatch.fnmatchcase(text, pattern):
                return True, role
        return False, None

    def advice(self, unknown: Sequence[str], distinct: int) -> str:
        """How to tell scriptlab what unknown role values are (never a guess)."""
        if distinct > 8:  # many values: the column holds account names, not roles
            return ("The column holds account names: name the agent accounts with a pattern, "
                    "e.g. --roles '店铺名_*=agent,*=customer', or point agent_id at the "
                    "export's agent-account column (--map agent_id=客服账号) so a sender equal "
                    "to it is the agent.")
        values = ",".join(f"{v}=<customer|agent|ignore>" for v in unknown[:3])
        return (f"Tell scriptlab what they are: --roles '{values}' (patterns such as "
                "'kf_*=agent' work too).")


def role_table(role_map: Mapping[str, str]) -> RoleTable:
    """The role alias table, extended by user-given `value=customer|agent|ignore` pairs."""
    table = dict(ROLE_ALIASES)
    patterns: list[tuple[str, str | None]] = []
    for value, role in role_map.items():
        if role not in (*ROLES, "ignore"):
            raise UsageError(
                f"--roles: '{value}={role}': the role must be customer, agent or ignore."
            )
        mapped = None if role == "ignore" else role
        if any(ch in value for ch in "*?["):
            patterns.append((value.strip().lower(), mapped))
        else:
            table[_key(value)] = mapped
    return RoleTable(table, tuple(patterns))


def role_key(value: object) -> str:
    """How role values are compared (case, spaces and punctuation ignored)."""
    return _key(value)
