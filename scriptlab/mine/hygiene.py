"""Message hygiene before question detection: what a customer sends that is not a question.

A message that is only masked personal data ("<手机号> 这是我电话"), only an order or
waybill number, only a link, a product or order card, a sticker or picture, or a platform's
system notice says nothing the shop could answer with a script. Such messages are never
questions, whatever detection makes of them; each gets a reason, and the mining report
counts them by reason. This runs on masked text (after `scriptlab.text.mask`), apart from
detection itself (`scriptlab.mine.detect`).
"""

from __future__ import annotations

import re

import pandas as pd

# Reason -> label shown in the report.
REASONS: dict[str, str] = {
    "personal": "only personal data (phone, address, name …)",
    "order_number": "only an order or waybill number",
    "link": "only a link",
    "card": "a product or order card",
    "sticker": "a sticker, picture or other media",
    "system": "a system notice",
}

_PERSONAL_TOKENS = ("<手机号>", "<电话>", "<地址>", "<姓名>", "<身份证号>", "<邮箱>", "<账号>",
                    "<号码>")
_ORDER_TOKENS = ("<订单号>", "<运单号>")
_TOKEN = re.compile(r"<[^<>\s]{1,6}>")
# Words that only introduce what was pasted ("这是我电话", "订单号：…", "my phone is").
_FILLER = re.compile(
    r"(?:这是|这个是|这个|我的|我|是|的|了|吧|呢|哦|噢|哈|亲|您好|你好|请|麻烦|"
    r"新|收货|联系|方式|电话|手机号码|手机号|手机|号码|号|地址|姓名|名字|身份证|邮箱|微信|"
    r"快递单号|快递单|运单号|运单|物流单号|单号|订单编号|订单号|订单|"
    r"my|phone|number|is|order|tracking|address|email|here|it|the|this|no\.?|#)",
    re.IGNORECASE)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_MEDIA = re.compile(r"^\s*[\[【](?:表情|图片|视频|语音|文件|动画表情|emoji|sticker|image|photo|"
                    r"picture|video|voice|file)[\]】]\s*$", re.IGNORECASE)
_CARD = re.compile(r"^\s*[\[【](?:商品卡片|商品|订单卡片|订单|卡片|链接|宝贝|商品链接|"
                   r"product|order|card)[\]】]", re.IGNORECASE)
_BRACKET_EMOTICONS = re.compile(r"^(?:\s*\[[^\[\]]{1,4}\]\s*)+$")  # [微笑][呲牙]
_SYSTEM = re.compile(
    r"^\s*(?:\[?系统(?:消息|提示|通知)?\]?|会话已?(?:结束|关闭|超时)|用户已(?:评价|离开|读)|"
    r"对方已读|.{0,12}撤回了一条消息|.{0,12}(?:已|正在)(?:为您)?(?:转接|接入).{0,12}|"
    r"邀请.{0,6}评价.*|系统自动.*|this conversation (?:was|has been) (?:closed|ended).*|"
    r".{0,20} (?:joined|left) the conversation)\s*$", re.IGNORECASE)


def _rest(text: str) -> str:
    """What is left once mask tokens, filler words and punctuation are taken out."""
    return _PUNCT.sub("", _FILLER.sub("", _TOKEN.sub("", text)))


def noise_reason(masked: str) -> str:
    """The reason a masked message is not a question, or "" when it may be one."""
    text = masked.strip()
    if not text:
        return ""
    if _MEDIA.match(text) or _BRACKET_EMOTICONS.match(text):
        return "sticker"
    if _CARD.match(text):
        return "card"
    if _SYSTEM.match(text):
        return "system"
    if not re.search(r"[\w\u4e00-\u9fff]", text.replace("<", "").replace(">", "")):
        return "sticker"  # emoji or symbols only
    tokens = _TOKEN.findall(text)
    if not tokens or _rest(text):
        return ""
    if any(t in _PERSONAL_TOKENS for t in tokens):
        return "personal"
    if any(t in _ORDER_TOKENS for t in tokens):
        return "order_number"
    if "<链接>" in tokens:
        return "link"
    return ""


def noise_reasons(masked: pd.Series) -> pd.Series:
    """`noise_reason` per message (object Series, "" for messages that may be questions)."""
    return pd.Series([noise_reason(t) for t in masked], index=masked.index, dtype=object)
