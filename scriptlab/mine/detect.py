"""Tell customer questions from other customer messages (thanks, order numbers, chat).

Rules on the normalised text, strongest first:

1. explicit questions: a question mark, a final question particle (吗, 么, 呢, 不, 没 …),
   an interrogative (怎么, 如何, 为什么, 多少, 几天, 哪, 谁, 什么时候, 是否 …), an
   A-not-A form (能不能, 有没有, 是不是, 可不可以) or an A-or-B one (我出还是你们出);
2. problems that ask for help without asking (还没发货, 一直不动, 发错了, 拍错了, 碎了);
3. otherwise plain statements (我已经付款了, 收到了) are not questions;
4. requests are implicit questions (催一下发货, 发票开一下, 我要退货, 帮我改地址,
   便宜点呗, 有优惠).

English messages (helpdesk exports) follow the same order with word rules: wh-questions
and inverted questions without a question mark (how long does it take, can i pay with
paypal, has my order shipped), problems (arrived broken, isnt working, still no refund)
and requests (tracking number please, i need an invoice, cancel my order); thanks and
confirmations (ok thanks, yes please, got it) are not questions.

A message that is only a placeholder (``<订单号>``: the customer sending a number) or
empty after removing small talk is not a question.
"""

from __future__ import annotations

import re

import pandas as pd

_END = r"[\s,.!~。，！…]*$"
EXPLICIT = re.compile(
    r"[?？]"
    rf"|(?:吗|么|嘛|呢|不|没|没有|否|咩|伐|不啦|没啦){_END}"
    r"|怎么|怎样|咋|如何|为什么|为啥|为何|干嘛|多少|多久|多长|多大|多重|多高|多宽|多厚|多远|多快"
    r"|几(?:天|个|号|点|时|件|次|块|元|岁|码|斤|公斤|米|寸|分钟|小时|月|年|日|种|款|色|折|号|位"
    r"|包|袋|盒|瓶|支|箱|张|份|克|套|罐|条|双)"
    r"|(?:是|对|的|会\w{0,4})吧$|有没(?!事|关系|问题)"
    r"|哪|啥|什么|甚么|是否|能否|可否|何时|有无|谁"
    r"|.还是(?![不没算先要])."
    r"|(.)[不没]\1|可不可以|(\w{2})[不没]\2|怎"
)
PROBLEM = re.compile(
    r"还没|还不|还是没|一直没|一直不|一直都|都没|没收到|没到|没发|没有发|没有到|没有收到|没人"
    r"|不动|没更新|不更新|坏了|破了|碎了|烂了|少了|漏发|少发|错发|发错|有问题|不能用|用不了"
    r"|打不开|不合适|不满意|不一样|不对|太慢|有色差|掉色|起球|过期|是假|假货|退不了|付不了"
    r"|丢了|丢件|卡在|停在|没变化|没动静|没拿到|差太多|差很多|裂|碎|变形|降价"
    r"|[拍选写填买下]错|对不上|不是我|并非|缺了|缺少|不符"
    r"|掉毛|不吸水|发漏|漏了|杂质|没减|没有减|过时间|打包的问题|\w不了"
)
STATEMENT = re.compile(r"^(?:我)?(?:已经|已|刚刚?|刚才|也|都)|(?:了|的|啦)$")
REQUEST = re.compile(
    r"[催查看改开发退换补寄送修备加删取核写登]一下|一下[催查看改开发退换补寄送修备加删取]"
    r"|帮我|帮忙|给我|麻烦|请|我要|我想|想要|需要|希望|申请|要求|能给|可以给|求|快点|尽快|赶紧|加急"
    r"|催|发票|开票|退货|退款|换货|补发|改地址|修改|备注|优惠券|运费险|价保|保价|拒收|取消"
    r"|联系方式|电话|地址|推荐|链接|尺码|发什么快递"
    r"|便宜|优惠|打折|打个折|折扣|少点|减点|抹零|抹个零|活动|免息|分期|包邮|批发|采购|赠品"
    r"|[点些]呗$|(?<![再去])看看|想[调改换退取修]|能用|可以用"
)
# "请问 / 问一下 / 麻烦问下 …" in front: whatever follows is asked, even a bare "快递".
ASKING = re.compile(
    r"^\W{0,3}(?:\w{0,4}?)(?:请问|问一下|问下|问一哈|想问|咨询一下|咨询下|打听一下)"
)
_ONLY_PLACEHOLDERS = re.compile(r"^(?:<[^<>]{1,6}>|[\s\W\d_])*$")

_EN_LEAD = r"^(?:(?:hi|hello|hey|ok|okay|and|so|but|also|sorry|oh|um|yeah|yes|no)\b[\s,.!]*)*"
_EN_SUBJECT = r"(?:i|you|we|it|my|this|that|these|those|they|there|the|your|u|he|she|anyone|a|an)"
EN_EXPLICIT = re.compile(
    _EN_LEAD + r"(?:how|what|whats|what's|when|where|which|who|whom|whose|why)\b"
    + r"|" + _EN_LEAD + r"(?:can|could|would|will|do|does|did|is|are|was|were|has|have|should"
    r"|shall|may|am|isnt|isn't|arent|aren't|doesnt|doesn't|dont|don't|didnt|didn't|wont|won't"
    r"|cant|can't)\s+" + _EN_SUBJECT + r"\b"
    r"|\b(?:will|can|could|would|should|does|did|is|are|has|have)\s+(?:it|i|you|we|they|there"
    r"|my)\b(?!\s*(?:[,.!]|$))"
)
EN_PROBLEM = re.compile(
    r"\b(?:broken|broke|snapped|missing|damaged|dented|crushed|cracked|torn|ripped|wrong"
    r"|declined|faulty|defective|leaking|stained|(?:isnt|isn't|not|wasnt|wasn't) working"
    r"|(?:doesnt|doesn't|dont|don't|didnt|didn't|wont|won't) (?:work|fit|arrive|come)"
    r"|hasnt|hasn't|havent|haven't|still (?:no|not|nothing|waiting)|never (?:arrived|came|got)"
    r"|(?:didnt|didn't) (?:get|receive)|(?:dont|don't|do not) have it)\b"
)
EN_REQUEST = re.compile(
    r"\b(?:please|pls|plz|need|want|wanna|would like|i'd like|id like|cancel|refund|return"
    r"|exchange|help|send|change|update|add|remove)\b"
)
# Thanks, confirmations and sign-offs: what is left once these words are gone.
_EN_CHAT = re.compile(
    r"\b(?:yes|yeah|yep|ok|okay|sure|please|pls|thanks|thank|you|thx|ty|great|perfect|cool"
    r"|fine|good|nice|got|it|alright|so|much|a|lot|awesome|amazing|wow)\b|[\s\W]")
_LATIN = re.compile(r"[a-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _is_english_question(text: str) -> bool:
    """The English rules (see the module notes) on a lower-cased message."""
    if EN_EXPLICIT.search(text) or EN_PROBLEM.search(text):
        return True
    return bool(EN_REQUEST.search(text)) and bool(_EN_CHAT.sub("", text))


def is_question(text: str) -> bool:
    """Whether one normalised customer message asks something (explicitly or implicitly)."""
    if not text or _ONLY_PLACEHOLDERS.match(text):
        return False
    if EXPLICIT.search(text) or PROBLEM.search(text):
        return True
    if _LATIN.search(text) and not _HAN.search(text):
        return _is_english_question(text)
    if STATEMENT.search(text):
        return False
    return bool(REQUEST.search(text))


def detect_questions(norm: pd.Series, cleaned: pd.Series | None = None) -> pd.Series:
    """`is_question` over a column of normalised texts (bool Series, same index).

    With `cleaned` (the same texts before small talk was stripped), a message that opens
    with an asking phrase (请问, 问一下 …) counts as a question whatever follows.
    """
    flags = [is_question(t) for t in norm.astype(str)]
    if cleaned is not None:
        flags = [f or (bool(n) and bool(ASKING.match(c)) and not _ONLY_PLACEHOLDERS.match(n))
                 for f, n, c in zip(flags, norm.astype(str), cleaned.astype(str), strict=True)]
    return pd.Series(flags, index=norm.index, dtype=bool)


def detect(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``is_question`` (bool) to a frame with a ``norm`` column (normalised text).

    Agent messages are never questions; only rows with ``role == "customer"`` (when a
    ``role`` column is present) can be.
    """
    flags = detect_questions(frame["norm"])
    if "role" in frame:
        flags &= frame["role"].eq("customer")
    return frame.assign(is_question=flags.to_numpy())
