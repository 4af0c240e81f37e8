"""The noise layer: what real buyers do to a clean phrasing before pressing send.

Greetings glued to the question, traditional characters, half-/full-width punctuation, repeated
punctuation, emoji, typos and homophones, pinyin/English bits, and personal details (order
numbers, phone numbers, addresses, names) that a mining system has to mask or ignore.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields

# Typos and homophones (first occurrence replaced).
TYPOS = (("在", "再"), ("的", "得"), ("吗", "嘛"), ("么", "木"), ("没有", "木有"),
         ("什么", "神马"), ("呢", "捏"), ("知道", "造"), ("一下", "一哈"))
# Pinyin / English-ish words buyers type instead of the Chinese.
LATIN = (("快递", "kuaidi"), ("规格", "sku"), ("尺码", "size"), ("颜色", "color"),
         ("优惠券", "quan"), ("地址", "dizhi"), ("发货", "fahuo"), ("好的", "ok"),
         ("退款", "tk"), ("客服", "kf"))
GREETING_PREFIXES = ("亲", "在吗", "你好", "hello", "客服在不在", "老板", "亲亲", "您好", "hi",
                     "在不在")
GREETING_SEPARATORS = ("，", " ", ",", "~", "！", "？")
EMOJI = ("😊", "🙏", "😭", "👍", "😅", "🤔", "😂", "🥺")
REPEATED_ENDINGS = ("？？？", "???", "!!!", "！！", "。。。", "？？", "?!")
# Terminal punctuation and its cumulative probability (the rest: no punctuation at all).
ENDINGS = (("？", 0.45), ("?", 0.57), ("。", 0.60), ("~", 0.64), ("！", 0.66))

ORDER_PREFIXES = ("2385", "2391", "1907", "3368", "4102", "2276", "1688")
ORDER_FORMS = ("订单号{}", "订单号：{}", "单号{}", "订单{}", "{}")
WAYBILL_PREFIXES = ("SF", "YT", "ZTO", "JT")
PHONE_FORMS = ("电话{}", "手机{}", "手机号：{}", "{}")
CITIES = (
    ("浙江省", "杭州市", "西湖区"), ("浙江省", "杭州市", "余杭区"), ("江苏省", "南京市", "鼓楼区"),
    ("广东省", "深圳市", "南山区"), ("广东省", "广州市", "天河区"), ("上海市", "", "浦东新区"),
    ("北京市", "", "朝阳区"), ("四川省", "成都市", "武侯区"), ("湖北省", "武汉市", "洪山区"),
    ("山东省", "济南市", "历下区"), ("福建省", "厦门市", "思明区"), ("陕西省", "西安市", "雁塔区"),
)
ROADS = ("文三路", "学院路", "中山路", "解放路", "人民路", "建设路", "科技园南路", "天府大道",
         "长江路", "五一路", "幸福街", "和平里大街")
COMPOUNDS = ("", "", "阳光小区", "金色家园", "翠苑二区", "滨江花园", "万科城")
ADDRESS_FORMS = ("寄到{}", "地址：{}", "新地址{}", "收货地址改成{}", "{}")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱")
GIVEN_NAMES = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "杰",
               "婷婷", "子涵", "浩然")
NAME_FORMS = ("收件人{}", "我是{}", "名字写{}", "收件人改成{}")

_TO_HALF = str.maketrans(
    {"，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")"}
)
_TO_FULL = str.maketrans({",": "，", "?": "？", "!": "！", ":": "：", ";": "；"})
_FULL_MARKS = frozenset("，？！：；（）")
_END_MARKS = frozenset("？?。!！~")

_converter = None


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional with OpenCC (``s2t``)."""
    global _converter
    if _converter is None:
        import opencc

        _converter = opencc.OpenCC("s2t")
    return _converter.convert(text)


@dataclass(frozen=True)
class NoiseLevels:
    """Probability of each noise operation on a buyer message.

    ``order_number`` applies to order-related intents (others get a tenth of it); ``address``,
    ``phone`` and ``name`` apply to address-related intents (others get a fortieth).
    """

    greeting: float = 0.15
    traditional: float = 0.06
    width: float = 0.15
    repeat_punct: float = 0.07
    emoji: float = 0.08
    typo: float = 0.08
    latin: float = 0.05
    order_number: float = 0.30
    address: float = 0.35
    phone: float = 0.20
    name: float = 0.15

    @classmethod
    def off(cls) -> NoiseLevels:
        """No noise at all: buyer messages are the clean grammar phrasings."""
        return cls(**{f.name: 0.0 for f in fields(cls)})


class Noiser:
    """Applies ``NoiseLevels`` to messages, drawing from one shared ``random.Random``."""

    def __init__(self, rng: random.Random, levels: NoiseLevels) -> None:
        self.rng = rng
        self.levels = levels

    def pick(self, options: tuple[str, ...]) -> str:
        """One element of ``options`` (``random.choice`` without its per-call overhead)."""
        return options[int(self.rng.random() * len(options))]

    # --- personal details ------------------------------------------------------------------

    def order_number(self) -> str:
        """An 18- or 19-digit Taobao-like order number."""
        rnd = self.rng.random
        prefix = self.pick(ORDER_PREFIXES)
        digits = 14 if rnd() < 0.5 else 15
        return f"{prefix}{int(rnd() * 10**digits):0{digits}d}"

    def waybill(self) -> str:
        """A courier waybill number such as ``SF1234567890123``."""
        return f"{self.pick(WAYBILL_PREFIXES)}{int(self.rng.random() * 10**13):013d}"

    def phone(self) -> str:
        """A mainland mobile number ``1[3-9]x xxxx xxxx``."""
        rnd = self.rng.random
        return f"1{3 + int(rnd() * 7)}{int(rnd() * 10**9):09d}"

    def address(self, masked: bool = False) -> str:
        """A street address; ``masked`` hides the house number like a privacy-masked export."""
        rnd = self.rng.random
        province, city, district = self.pick(CITIES)
        road = self.pick(ROADS)
        compound = self.pick(COMPOUNDS)
        if masked:
            return f"{province}{city}{district}{road}***号"
        house = f"{1 + int(rnd() * 899)}号"
        if compound:
            house += f"{compound}{1 + int(rnd() * 20)}栋{1 + int(rnd() * 30)}0{1 + int(rnd() * 4)}"
        # Buyers often drop the province.
        head = f"{city}{district}" if city and rnd() < 0.5 else f"{province}{city}{district}"
        return f"{head}{road}{house}"

    def name(self) -> str:
        """A Chinese personal name."""
        return self.pick(SURNAMES) + self.pick(GIVEN_NAMES)

    # --- message-level noise ---------------------------------------------------------------

    def _replace_one(self, text: str, table: tuple[tuple[str, str], ...]) -> str:
        start = int(self.rng.random() * len(table))
        for k in range(len(table)):
            old, new = table[(start + k) % len(table)]
            if old in text:
                return text.replace(old, new, 1)
        return text

    def question(self, text: str, attach: str) -> str:
        """Turn a clean phrasing into a realistic buyer message.

        Parameters
        ----------
        text : str
            A clean phrasing without terminal punctuation.
        attach : str
            The intent's ``attach`` kind (``order``, ``address`` or ``""``).

        Returns
        -------
        str
            The noisy message.
        """
        rnd = self.rng.random
        lv = self.levels
        if rnd() < lv.typo:
            text = self._replace_one(text, TYPOS)
        if rnd() < lv.latin:
            text = self._replace_one(text, LATIN)
        if rnd() < lv.repeat_punct:
            text += self.pick(REPEATED_ENDINGS)
        else:
            u = rnd()
            for mark, cumulative in ENDINGS:
                if u < cumulative:
                    text += mark
                    break
        # Personal details, before or after the question.
        extras: list[str] = []
        if rnd() < (lv.order_number if attach == "order" else lv.order_number / 10):
            extras.append(self.pick(ORDER_FORMS).format(self.order_number()))
        if attach == "order" and rnd() < lv.order_number / 5:
            extras.append("运单号" + self.waybill())
        scale = 1.0 if attach == "address" else 1 / 40
        if rnd() < lv.address * scale:
            extras.append(self.pick(ADDRESS_FORMS).format(self.address()))
        if rnd() < lv.name * scale:
            extras.append(self.pick(NAME_FORMS).format(self.name()))
        if rnd() < lv.phone * scale:
            extras.append(self.pick(PHONE_FORMS).format(self.phone()))
        if extras:
            joined = self.pick(("，", " ", ",")).join(extras)
            if rnd() < 0.3:
                text = f"{joined} {text}"
            elif text[-1] in _END_MARKS:
                text = f"{text}{self.pick(('', ' '))}{joined}"
            else:
                text = f"{text}{self.pick(('', ' ', '，'))}{joined}"
        return self._decorate(text, lv.greeting, lv.emoji)

    def small_talk(self, text: str) -> str:
        """Lighter noise for greetings, thanks and statements (no greeting prefix, no typos)."""
        return self._decorate(text, 0.0, self.levels.emoji / 2)

    def _decorate(self, text: str, p_greeting: float, p_emoji: float) -> str:
        rnd = self.rng.random
        lv = self.levels
        if rnd() < p_emoji:
            emoji = self.pick(EMOJI) * (1 + (rnd() < 0.2))
            text = f"{emoji}{text}" if rnd() < 0.15 else f"{text}{emoji}"
        if rnd() < p_greeting:
            text = f"{self.pick(GREETING_PREFIXES)}{self.pick(GREETING_SEPARATORS)}{text}"
        if rnd() < lv.width:
            if any(ch in _FULL_MARKS for ch in text):
                text = text.translate(_TO_HALF)
            else:
                text = text.translate(_TO_FULL)
        if rnd() < lv.traditional:
            text = to_traditional(text)
        return text
