"""Shared test data for the library stage: a hand-written mini FAQ with held-out paraphrases,
and a builder that fills a workspace's tables (topics → groups → quiz → answers → scores)
the way the mining, quiz and scoring stages would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from scriptlab.store import schema
from scriptlab.store.workspace import Workspace

NOW = datetime(2026, 11, 23, 10, 0, 0)


@dataclass(frozen=True)
class Intent:
    """One customer question: phrasings seen in logs, a model script, unseen paraphrases."""

    key: str
    question: str
    variants: tuple[str, ...]
    script: str
    heldout: tuple[str, ...]
    keywords: tuple[str, ...] = ()


# Written by hand (not by the sample generator): realistic Taobao-style phrasings.
INTENTS: tuple[Intent, ...] = (
    Intent(
        "ship_time", "下单后多久发货？",
        ("几天能发货", "今天拍的什么时候发", "亲，多久发货呀", "现在下单今天能发吗", "啥时候能发出"),
        "亲，现货商品下单后48小时内发货，预售商品以详情页时间为准哦~",
        ("我昨天付款的怎么还没发", "付了款一般几天发出去", "拍下以后多长时间寄出"),
        ("发货", "多久"),
    ),
    Intent(
        "courier", "发什么快递？",
        ("默认发什么快递", "能发顺丰吗", "用的哪家快递", "可以指定快递吗"),
        "默认发中通快递，需要顺丰可以补差价哦。",
        ("你们家走哪个物流", "可以给我发顺丰不", "快递是哪家的"),
        ("快递", "顺丰"),
    ),
    Intent(
        "where_parcel", "我的快递到哪了？",
        ("物流怎么不动了", "快递到哪里了", "查一下我的物流", "怎么还没收到货", "好几天了物流没更新"),
        "亲，麻烦提供一下订单号，我马上帮您查询物流进度并催促快递。",
        ("包裹三天没动静了", "我的货到哪了帮我看看", "物流信息一直不更新怎么回事"),
        ("物流", "到哪"),
    ),
    Intent(
        "return", "可以退货吗？",
        ("不喜欢可以退吗", "支持七天无理由吗", "怎么申请退货", "收到不合适能退不"),
        "支持七天无理由退换货，商品不影响二次销售即可，在订单页申请退货就行。",
        ("买了不想要了能不能退", "七天内可以无理由退货吗", "退货流程是怎样的"),
        ("退货", "七天无理由"),
    ),
    Intent(
        "refund_when", "退款多久到账？",
        ("退款什么时候到", "钱多久退回来", "退款怎么还没到账", "已经退货了钱呢"),
        "仓库签收退货后24小时内处理退款，原路退回，一般1-3个工作日到账。",
        ("我的退款啥时候能收到", "退的钱几天能到", "退款一直没到账怎么办"),
        ("退款", "到账"),
    ),
    Intent(
        "size", "尺码怎么选？",
        ("我160斤穿什么码", "尺码准不准", "平时穿L选什么码", "身高170体重65kg穿多大"),
        "亲，告诉我您的身高体重，我帮您推荐尺码；也可以参考详情页的尺码表哦。",
        ("175 140斤选哪个尺寸", "码数偏大还是偏小", "帮我推荐下穿几码"),
        ("尺码",),
    ),
    Intent(
        "invoice", "可以开发票吗？",
        ("能开发票吗", "发票怎么开", "可以开专票吗", "需要电子发票"),
        "可以开电子发票，确认收货后在订单详情里申请开票即可。",
        ("要报销，能不能给开票", "公司抬头的发票可以开吗", "我想要个发票"),
        ("发票",),
    ),
    Intent(
        "coupon", "有优惠券吗？",
        ("有没有优惠", "能便宜点吗", "现在有什么活动", "满减怎么用"),
        "店铺首页可以领满199减20的券，下单时会自动抵扣哦。",
        ("还能再便宜一些不", "有券可以领吗", "最近搞活动吗"),
        ("优惠", "活动"),
    ),
    Intent(
        "change_address", "怎么修改收货地址？",
        ("地址填错了", "能改地址吗", "帮我换个收货地址", "下单地址写错了怎么办"),
        "还没发货的话我这边可以帮您修改，请把新的收货地址发给我哦。",
        ("收件地址想改一下", "我地址写错了能改不", "换一个收货人地址可以吗"),
        ("地址", "修改"),
    ),
    Intent(
        "damaged", "收到的商品坏了怎么办？",
        ("收到东西是坏的", "包装破了里面也碎了", "有质量问题怎么处理", "用了一次就坏了"),
        "非常抱歉给您带来不便！请拍一下商品问题的照片发给我，我们核实后为您补发或退款。",
        ("到手发现是破的", "东西质量有问题", "刚收到就碎了怎么弄"),
        ("质量问题", "破损"),
    ),
    Intent(
        "authentic", "是正品吗？",
        ("保证是正品吗", "是不是正品", "会不会是假货", "有防伪码吗"),
        "本店所有商品均为品牌官方授权正品，支持专柜验货，假一赔十。",
        ("你家东西是真的吗", "怎么保证不是假的", "正版的吗"),
        ("正品",),
    ),
    Intent(
        "free_shipping", "包邮吗？",
        ("包不包邮", "运费多少", "偏远地区包邮吗", "新疆包邮吗"),
        "全国大部分地区包邮，新疆、西藏等偏远地区需补运费10元。",
        ("要不要邮费", "寄到西藏要加钱吗", "免运费吗"),
        ("包邮", "运费"),
    ),
    Intent(
        "cancel_order", "怎么取消订单？",
        ("不想要了怎么取消", "拍错了能取消吗", "帮我把订单取消了", "订单取消"),
        "未发货的订单可以直接在订单页申请退款取消，已发货的话需要拒收哦。",
        ("刚下的单我不要了", "我拍错了想撤销订单", "能帮我取消下刚才那单吗"),
        ("取消", "订单"),
    ),
    Intent(
        "stock", "还有货吗？",
        ("这个还有货吗", "什么时候补货", "没货了吗", "黑色M码有现货吗"),
        "亲，页面能拍下就是有现货的；缺货的颜色尺码我们会尽快补货哦。",
        ("白色的还有吗", "断货了吗多久补", "有现货吗"),
        ("有货", "补货"),
    ),
    Intent(
        "usage", "这个怎么使用？",
        ("怎么用", "使用方法是什么", "有说明书吗", "第一次用要注意什么"),
        "使用方法见包装内说明书，也可以看详情页的使用视频；有疑问随时问我哦。",
        ("不会用怎么办", "这个东西咋用啊", "有没有使用教程"),
        ("使用",),
    ),
)


def intent_by_key(key: str) -> Intent:
    return next(i for i in INTENTS if i.key == key)


@dataclass
class Built:
    """Ids of the rows `build_workspace` inserted, by intent key."""

    topic: dict[str, int] = field(default_factory=dict)
    question: dict[str, int] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)
    quiz_id: int = 0
    run_id: int = 0


def build_workspace(
    ws: Workspace,
    intents: tuple[Intent, ...] = INTENTS,
    week: str = "2026-W48",
    winners: bool = True,
    scripts: dict[str, str] | None = None,
    totals: dict[str, float] | None = None,
    topics: dict[str, int] | None = None,
    created: datetime = NOW,
) -> Built:
    """Insert one mining run, one quiz of `intents` and two scored answers per question.

    Agent A01 answers with the intent's model script (or `scripts[key]`), agent A02 with a
    poor reply. With `winners`, A01's answer wins with total `totals[key]` (default 0.8).
    Pass `topics` (key → topic id) to quiz existing topics again in a later week.
    """
    scripts = scripts or {}
    totals = totals or {}
    built = Built()
    with ws.engine.begin() as conn:
        _ensure_agents(conn, created)
        built.run_id = _insert(conn, schema.mine_runs, created_at=created, sources=["sample"],
                               stats={}, settings={})
        built.quiz_id = _insert(conn, schema.quizzes, week=week, team=None, run_id=built.run_id,
                                seed=1, settings={}, created_at=created)
        import_id = _insert(conn, schema.imports, kind="answers", source="answers.csv",
                            sha256=week.ljust(64, "0"), rows=0, skipped=0, imported_at=created)
        for position, intent in enumerate(intents, start=1):
            topic_id = (topics or {}).get(intent.key)
            if topic_id is None:
                topic_id = _insert(conn, schema.topics, label=intent.question,
                                   created_at=created, first_run_id=built.run_id,
                                   last_run_id=built.run_id)
            built.topic[intent.key] = topic_id
            group_id = _insert(
                conn, schema.question_groups, run_id=built.run_id, topic_id=topic_id,
                rank=position, representative=intent.question, count=10 * len(intent.variants),
                sessions=9, customers=9, share=0.05, keywords=list(intent.keywords),
            )
            for n, text in enumerate(intent.variants):
                _insert(conn, schema.group_variants, group_id=group_id, text=text, count=10 - n)
            question_id = _insert(
                conn, schema.quiz_questions, quiz_id=built.quiz_id, position=position,
                topic_id=topic_id, group_id=group_id, question=intent.question,
                phrasings=list(intent.variants[:3]), reference=None, reason="top",
            )
            built.question[intent.key] = question_id
            ids = []
            for agent, text, total in (
                ("A01", scripts.get(intent.key, intent.script), totals.get(intent.key, 0.8)),
                ("A02", "亲，稍等，我问一下。", 0.4),
            ):
                answer_id = _insert(conn, schema.answers, quiz_id=built.quiz_id,
                                    question_id=question_id, agent_id=agent, text=text,
                                    import_id=import_id, imported_at=created)
                _insert(
                    conn, schema.scores, quiz_id=built.quiz_id, answer_id=answer_id,
                    total=total, components={"test": {"value": total, "weight": 1.0}},
                    rank=1 if agent == "A01" else 2, is_winner=winners and agent == "A01",
                    computed_at=created,
                )
                ids.append(answer_id)
            built.answers[intent.key] = ids
    return built


_filler = itertools.count(1)


def _insert(conn: sa.Connection, table: sa.Table, **values) -> int | None:
    """Insert a row, filling NOT NULL columns this builder does not know about (columns other
    stages add to their tables) with a neutral value of the right type."""
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.default is not None or column.server_default is not None:
            continue
        values[column.name] = _neutral(column)
    result = conn.execute(sa.insert(table).values(**values))
    return result.inserted_primary_key[0] if result.inserted_primary_key else None


def _neutral(column: sa.Column):
    if isinstance(column.type, sa.JSON):
        return {}
    kind = column.type.python_type
    if kind is str:
        return f"{column.name}-{next(_filler)}"
    return {int: 0, float: 0.0, bool: False, datetime: NOW}.get(kind)


def _ensure_agents(conn: sa.Connection, when: datetime) -> None:
    have = set(conn.execute(sa.select(schema.agents.c.id)).scalars())
    for agent_id, name in (("A01", "小美"), ("A02", "小王")):
        if agent_id not in have:
            _insert(conn, schema.agents, id=agent_id, name=name, team="售前", active=True,
                    updated_at=when)


def later(days: int) -> datetime:
    return NOW + timedelta(days=days)


def entry_json(n: int, question: str, variants, script: str, category: str = "其他",
               tags=()) -> dict:
    """One faq.json entry with id `n` and neutral metadata."""
    return {
        "id": n, "topic_id": n, "category": category, "tags": list(tags), "question": question,
        "variants": list(variants), "script": script, "author_agent_id": "A01",
        "author_agent_name": "小美", "score": 0.8, "quiz_week": "2026-W48", "version": 1,
        "approved_by": "lead", "approved_at": NOW.isoformat(), "updated_at": NOW.isoformat(),
    }


def faq_entries(intents: tuple[Intent, ...] = INTENTS) -> list[dict]:
    """faq.json entries for the hand-written intents (ids 1…n), without a workspace."""
    return [entry_json(n, i.question, i.variants, i.script, tags=i.keywords)
            for n, i in enumerate(intents, start=1)]


def faq_document(entries: list[dict], min_confidence: float | None = None,
                 synonyms: dict | None = None) -> dict:
    """A valid faq.json document around `entries` (threshold: the settings' default)."""
    from scriptlab.library.settings import LibrarySettings

    if min_confidence is None:
        min_confidence = LibrarySettings.min_confidence
    return {
        "schema_version": 1,
        "library": {"version": 1, "published_at": NOW.isoformat(), "published_by": "lead",
                    "entry_count": len(entries),
                    "changelog": {"added": [], "changed": [], "retired": []}},
        "search": {"min_confidence": min_confidence, "synonyms": synonyms or {}},
        "entries": entries,
    }


def write_faq(path: Path, entries: list[dict] | None = None, **changes) -> Path:
    """A valid faq.json at `path` (for lookup tests that need no workspace)."""
    import json

    from scriptlab.library.settings import DEFAULT_SYNONYMS

    doc = faq_document(faq_entries() if entries is None else entries, synonyms=DEFAULT_SYNONYMS)
    doc.update(changes)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# -- the bundled sample as a library (quality bar) -----------------------------------------

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data"


def sample_library(max_variants: int = 20, min_confidence: float | None = None):
    """A `FaqLibrary` with one entry per intent of the bundled sample (entry id = position).

    Variants are the customer messages `data/sample_labels.csv` labels with the intent,
    masked like the mining stage stores them, most frequent first (ties: first seen), capped
    at `max_variants`; the question is the catalogue's canonical one, the script its model
    answer. `topic_id` stands for the intent's position in the catalogue.
    """
    import csv
    from collections import Counter

    from scriptlab.library.faq import FaqLibrary
    from scriptlab.library.settings import DEFAULT_SYNONYMS, LibrarySettings
    from scriptlab.sample import INTENTS as CATALOGUE
    from scriptlab.text.mask import mask_text

    with (SAMPLE_DIR / "sample_labels.csv").open(encoding="utf-8") as f:
        labels = {row["message_id"]: row["intent"] for row in csv.DictReader(f)}
    counts: dict[str, Counter] = {i.key: Counter() for i in CATALOGUE}
    with (SAMPLE_DIR / "sample_chats.csv").open(encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            intent = labels.get(row["消息ID"])
            if intent in counts:
                counts[intent][mask_text(row["内容"]).strip()] += 1
    entries = []
    for n, intent in enumerate(CATALOGUE, start=1):
        # Counter.most_common keeps first-seen order among equal counts.
        variants = [t for t, _ in counts[intent.key].most_common() if t][:max_variants]
        entries.append(entry_json(n, intent.canonical, variants, intent.good_answer,
                                  category=intent.category))
    from scriptlab.library.faq import parse_faq

    settings = LibrarySettings()
    library = parse_faq(faq_document(entries, min_confidence=(
        settings.min_confidence if min_confidence is None else min_confidence),
        synonyms=DEFAULT_SYNONYMS))
    assert isinstance(library, FaqLibrary)
    return library


def sample_heldout() -> list[tuple[int, str]]:
    """(expected entry id, query) for every row of `data/sample_heldout.csv`."""
    import csv

    from scriptlab.sample import INTENTS as CATALOGUE

    position = {i.key: n for n, i in enumerate(CATALOGUE, start=1)}
    with (SAMPLE_DIR / "sample_heldout.csv").open(encoding="utf-8") as f:
        return [(position[row["intent"]], row["query"]) for row in csv.DictReader(f)]


def sample_unseen(library) -> list[tuple[int, str]]:
    """(expected entry id, query): 5 log-grammar phrasings per intent that `library` (from
    `sample_library`) does not hold: the issue's protocol, the library built from one set of
    the generator's phrasings and queried with others."""
    from scriptlab.sample import INTENTS as CATALOGUE
    from scriptlab.sample.holdout import unseen_queries

    position = {i.key: n for n, i in enumerate(CATALOGUE, start=1)}
    held = {i.key: (library.entries[n - 1].question, *library.entries[n - 1].variants)
            for n, i in enumerate(CATALOGUE, start=1)}
    queries = unseen_queries(held)
    return [(position[k], q) for k, q in zip(queries["intent"], queries["query"], strict=True)]


# Other shops, hand-written by people who never saw the search code: FAQ libraries with
# question, two variants and a script per entry; dev queries beside them, the sealed test
# queries in a second file (only ever scored). "shops": electronics, beauty, food, home;
# "more": baby, pets, shoes, sports (written after the thesaurus covered the first four, and
# scored once before it covered these: test hit@1 0.713).
SHOPS_DIR = Path(__file__).resolve().parent / "data"
SHOP_FILES = {
    "shops": ("lookup_shops.json", "lookup_shops_test.json"),
    "more": ("lookup_shops_more.json", "lookup_shops_more_test.json"),
}


def shop_libraries(collection: str = "shops") -> dict[str, Any]:
    """Shop key → `FaqLibrary` of a collection's library file (entry ids as written)."""
    import json

    from scriptlab.library.faq import parse_faq
    from scriptlab.library.settings import DEFAULT_SYNONYMS

    path = SHOPS_DIR / SHOP_FILES[collection][0]
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {shop["key"]: parse_faq(faq_document(
        [entry_json(e["id"], e["question"], e["variants"], e["script"], e["category"])
         for e in shop["entries"]], synonyms=DEFAULT_SYNONYMS)) for shop in doc["shops"]}


def shop_queries(
    half: str, collection: str = "shops"
) -> dict[str, tuple[list[tuple[int, str]], list[str]]]:
    """Shop key → ((entry id, query) pairs, questions no entry answers) for "dev" or "test"."""
    import json

    name = SHOP_FILES[collection][{"dev": 0, "test": 1}[half]]
    doc = json.loads((SHOPS_DIR / name).read_text(encoding="utf-8"))
    out = {}
    for shop in doc["shops"]:
        rows = shop["entries"] if half == "dev" else shop["queries"]
        pairs = [(row["id"], q) for row in rows for q in row[half]]
        out[shop["key"]] = (pairs, list(shop[f"unanswerable_{half}"]))
    return out


@dataclass(frozen=True)
class ShopQuality:
    """Lookup quality over the four shops: answerable queries, and the no-match path."""

    quality: Quality
    unanswerable: int
    rejected: int  # unanswerable queries whose best score fell below min_confidence


def evaluate_shops(half: str, collection: str = "shops") -> ShopQuality:
    """hit@1 / hit@3 over every shop's `half` queries, each against its own library."""
    from scriptlab.library.lookup import Searcher

    libraries = shop_libraries(collection)
    reports, rejected, unanswerable = [], 0, 0
    for key, (pairs, others) in shop_queries(half, collection).items():
        searcher = Searcher(libraries[key])
        reports.append(evaluate(searcher, pairs))
        unanswerable += len(others)
        rejected += sum(not searcher.lookup(q, top=3).confident for q in others)
    n = sum(r.queries for r in reports)
    quality = Quality(
        n, sum(r.hit_at_1 * r.queries for r in reports) / n,
        sum(r.hit_at_3 * r.queries for r in reports) / n,
        sum(r.unconfident for r in reports), sum(r.unconfident_correct for r in reports),
        tuple(m for r in reports for m in r.misses))
    return ShopQuality(quality, unanswerable, rejected)


@dataclass(frozen=True)
class Quality:
    queries: int
    hit_at_1: float
    hit_at_3: float
    unconfident: int  # best score below min_confidence
    unconfident_correct: int  # ...although the first entry was the right one
    misses: tuple[str, ...]


def evaluate(searcher, queries: list[tuple[int, str]]) -> Quality:
    """hit@1 / hit@3 of `searcher` (a `scriptlab.library.lookup.Searcher`) on labelled queries."""
    h1 = h3 = unconfident = unconfident_correct = 0
    misses = []
    for expected, query in queries:
        result = searcher.lookup(query, top=3)
        ids = [m.entry.id for m in result.matches]
        h1 += ids[:1] == [expected]
        h3 += expected in ids
        if not result.confident:
            unconfident += 1
            unconfident_correct += ids[:1] == [expected]
        if ids[:1] != [expected]:
            got = ", ".join(f"{m.entry.question} {m.score:.2f}" for m in result.matches)
            want = searcher.library.entries[expected - 1].question
            misses.append(f"{query} → {got} (want {want})")
    n = len(queries)
    return Quality(n, h1 / n, h3 / n, unconfident, unconfident_correct, tuple(misses))


# Hand-written customer wordings (not from the sample generator, not read from its held-out
# grammar) for each intent of the bundled sample, keyed by intent key: realistic Taobao-style
# paraphrases a shop's own agents would see. The first two of each intent are the "dev" half
# (looked at while developing the search); the last two the "test" half (only ever scored).
SAMPLE_PARAPHRASES: dict[str, tuple[str, ...]] = {
    "ship_time": ("拍下以后几时给我寄出", "亲 今天付款明天能发走吗", "付完款多长时间出库呀",
                  "现在买的话什么时候能寄"),
    "track_package": ("我买的东西现在到哪儿了", "帮忙查查我的包裹走到哪了", "物流信息去哪里看",
                      "我的件现在什么情况了"),
    "free_shipping": ("邮费需要我自己出吗", "运费怎么算的呀", "免邮吗亲", "买一件要付快递费吗"),
    "return_exchange": ("衣服不合身想换个大一号的", "退货怎么操作", "申请售后在哪里点",
                        "收到不合适要怎么退"),
    "size_advice": ("我一米六五一百二十斤穿多大", "身高158体重90斤拿哪个号",
                    "平时穿S的这件要拿几码", "不知道选什么码帮我看看"),
    "urge_shipping": ("能不能快点发啊急着用", "拍了好几天了还不发", "麻烦帮我催一下仓库",
                      "我这单能不能加急先发"),
    "coupon": ("有没有能领的券", "有红包可以抵吗", "店铺券在哪里领取", "有没有满减券可以用"),
    "delivery_time": ("寄到北京要几天", "大概多久能收到货", "发货以后多久能到我手上",
                      "到广州快递要走几天"),
    "seven_day_return": ("买回去不喜欢可以退掉吗", "没拆吊牌能退吗", "七天内能无理由退吗",
                         "不满意可以退不"),
    "refund_progress": ("退款多久能到我账户", "钱什么时候退给我", "货已经寄回去了钱还没收到",
                        "退的款到哪一步了"),
    "stock": ("这个颜色没货了吗", "缺的码什么时候能补上", "断货的还会再上吗", "XL还有库存吗"),
    "bargain": ("能不能优惠一点", "价格还能再少点吗", "老客户有没有折扣", "太贵了能便宜些不"),
    "courier_choice": ("你们走什么物流", "能给我发顺丰吗", "可以改发韵达吗", "默认用哪家快递公司"),
    "quality_issue": ("衣服穿了两次就掉色了", "东西质量有问题怎么处理", "拉链才用几天就坏了",
                      "线头好多做工太差了"),
    "change_address": ("收件地址填错了怎么改", "能帮我改下收货地址吗", "我搬家了要换个地址",
                       "地址写错了还来得及改吗"),
    "invoice": ("可以开票吗", "需要增值税专用发票", "发票能开公司抬头吗", "电子发票在哪里下载"),
    "material": ("是什么面料做的", "是不是全棉的", "这个是什么料子", "穿着扎不扎人"),
    "color_diff": ("实物和图片颜色一样吗", "颜色跟照片差别大吗", "收到的颜色和图上不一样",
                   "图片有没有调色"),
    "logistics_stuck": ("物流三天都没动了", "快递一直显示运输中不更新", "包裹是不是弄丢了",
                        "显示签收了但我没拿到"),
    "shipping_insurance": ("退货运费谁来承担", "有没有退货险", "运费险怎么赔",
                           "寄回来的邮费能报销吗"),
    "cancel_order": ("不想要了帮我取消订单", "拍错了能撤单吗", "订单怎么取消", "刚下的单可以不要吗"),
    "modify_order": ("下单选错颜色了能改吗", "帮我把尺码改成L", "拍错码了还没发货能换吗",
                     "规格选错了怎么改"),
    "damaged": ("收到的时候盒子压坏了", "东西摔碎了", "快递送来就是破的", "外包装破了里面也裂了"),
    "washing": ("可以放洗衣机吗", "怎么清洗比较好", "能手洗吗", "可以干洗吗"),
    "gift": ("买了送什么小礼物", "有没有赠品", "赠品怎么没收到", "下单送东西吗"),
    "presale": ("预售的什么时候能发", "是现货还是预售", "尾款什么时候付", "付了定金多久发货"),
    "missing_item": ("少发了一件", "收到的数量不对", "买了两个只收到一个", "包裹里缺了一样东西"),
    "wrong_item": ("发来的颜色不对", "收到的尺码和我拍的不一样", "你们寄错东西了",
                   "我买的黑色寄来的是白色"),
    "thickness_warmth": ("这件暖和吗", "冬天穿会不会冷", "面料薄不薄", "里面有没有绒"),
    "promo_event": ("双十一几号开始", "双11有什么活动", "大促什么时候开始",
                    "今年双十一优惠力度大吗"),
    "price_protection": ("现在买双十一会不会更便宜", "价保多少天", "现在下单还是等活动",
                         "买了以后降价能保价吗"),
    "price_match": ("买完就降价了能补差价吗", "降价了退差价吗", "我刚买就便宜了二十",
                    "差价能退给我吗"),
    "merge_shipping": ("两个订单能一起寄吗", "分开拍的能合在一起发吗", "可以合并成一个包裹吗",
                       "我拍了三单能一块发吗"),
    "shrinkage": ("洗后会缩吗", "下水会变小吗", "缩水严重吗", "洗完会不会缩短"),
    "dimensions": ("这个多大尺寸", "长宽高是多少", "能放进衣柜里吗", "容量有多少升"),
    "return_address": ("退货寄到哪里", "退货地址发我一下", "寄回去的地址是什么", "退回的收件人和电话"),
    "authenticity": ("是正品吗", "会不会是假的", "有质检报告吗", "质量靠不靠谱"),
    "pickup_return": ("退货能上门来取吗", "快递员能上门收件吗", "没时间去寄能上门取吗",
                      "预约上门取件怎么弄"),
    "installment": ("可以花呗付款吗", "能分期吗", "支持信用卡吗", "分三期有免息吗"),
    "membership_points": ("积分能抵现吗", "怎么加入会员", "会员有什么优惠", "积分有什么用"),
    "refuse_delivery": ("快递到了我不要了能拒签吗", "拒收会扣钱吗", "可以直接拒收退款吗",
                        "不想要了拒签行吗"),
    "allergy_safety": ("敏感皮肤能穿吗", "有甲醛吗", "有没有味道", "孕妇能用吗"),
    "installation": ("怎么组装", "安装说明书在哪", "不会装怎么办", "安装需要工具吗"),
    "aftersale_phone": ("客服电话是多少", "有联系电话吗", "能打电话吗", "客服几点下班"),
    "gift_wrap": ("送人的可以包装一下吗", "有礼盒吗", "能帮忙写贺卡吗", "送礼能不放价格单吗"),
    "kids_fit": ("有儿童尺码吗", "小孩能穿吗", "给小朋友穿合适吗", "有亲子装吗"),
    "cod": ("能货到付款吗", "收到货再付钱可以吗", "支持到付吗", "可以先收货后付款吗"),
    "warranty": ("保修期多长", "坏了能免费修吗", "质保多久", "台灯不亮了能修吗"),
    "customization": ("可以刻名字吗", "能定做吗", "可以印logo吗", "杯子上能印字吗"),
    "wholesale": ("我们公司想大批量订购", "公司采购能便宜吗", "拿100件什么价", "有批发价吗"),
    "overseas": ("能寄到香港吗", "可以发国外吗", "台湾能收到吗", "能寄到美国吗"),
}


# Harder: wordings that avoid the words of each entry's question, variants and script where a
# customer plausibly would (the way real paraphrases drift from a library). First of each pair
# is "dev", second "test", as above.
SAMPLE_DISTANT_PARAPHRASES: dict[str, tuple[str, str]] = {
    "ship_time": ("东西拍下了大概啥时间能从仓库出来", "今天买了得等几日才寄"),
    "track_package": ("包裹现在在路上的哪个位置", "帮我瞅瞅我的件运到哪个城市了"),
    "free_shipping": ("快递钱要另算吗", "寄过来需要额外付钱吗"),
    "return_exchange": ("东西不合适怎么弄回去给你们", "想调换一个别的款要怎么操作"),
    "size_advice": ("我一百一十斤一米六拿多大合适", "我腰围二尺二穿哪个号"),
    "urge_shipping": ("都三天了还在等发货能不能快一些", "我着急用麻烦优先安排一下"),
    "coupon": ("有没有可以抵扣的红包", "店里有满减的券发放吗"),
    "delivery_time": ("从你们那寄到我这边一般要走几日", "大概啥时候能送到我家"),
    "seven_day_return": ("收到后不中意可以无条件退吗", "没穿过吊牌还在能退回去吗"),
    "refund_progress": ("退的钱怎么还没回到我卡上", "退款申请提交好久了钱呢"),
    "stock": ("这款还能买到吗卖光了没", "我要的尺码缺了什么时候再有"),
    "bargain": ("价格能再让一让吗", "这么贵能打个折吗"),
    "courier_choice": ("寄件用的是哪家公司", "可以帮我换成邮政寄吗"),
    "quality_issue": ("才穿一次就起毛了", "衣服上有个洞是质量问题吧"),
    "change_address": ("收件的位置要换一下", "我填的街道不对麻烦帮我更正"),
    "invoice": ("单位报销需要票据能给吗", "能给我开个带税号的票吗"),
    "material": ("这件是啥料的", "成分含量是多少"),
    "color_diff": ("收到的跟网上看的颜色有出入吗", "实际颜色会比图深吗"),
    "logistics_stuck": ("快递好几天都没挪地方", "单号查不到新的记录了"),
    "shipping_insurance": ("退回去的快递费会补给我吗", "买的时候有送退货保险吗"),
    "cancel_order": ("刚付款后悔了能撤回吗", "这单我不要了麻烦作废"),
    "modify_order": ("我想把刚买的白色换成黑色还来得及吗", "下单时号选小了能帮我调整吗"),
    "damaged": ("到手就裂了一道缝", "运过来的时候被压得变形了"),
    "washing": ("脏了怎么处理能直接丢洗衣机吗", "需要干洗还是水洗"),
    "gift": ("下单有啥附赠的吗", "买东西有送小玩意吗"),
    "presale": ("这个是要等一段时间才发的吗", "交了订金后面什么时候补款"),
    "missing_item": ("我买了三样只到了两样", "打开箱子发现缺了配件"),
    "wrong_item": ("拍的是大号给我寄了小号", "收到的东西跟我下单的不是同一个"),
    "thickness_warmth": ("零下能穿吗会不会透风", "这件衣服保暖效果怎么样"),
    "promo_event": ("今年大促几号开始抢", "双十一那天有多大折扣"),
    "price_protection": ("现在买了到时候更便宜怎么办", "你们有价格保护吗"),
    "price_match": ("刚下单就降了能把多的钱返给我吗", "买贵了能补偿吗"),
    "merge_shipping": ("我下了好几单能放一个箱子里寄吗", "分几次买的可以一起打包吗"),
    "shrinkage": ("过水以后会不会变短", "水洗会不会小一码"),
    "dimensions": ("这个东西长多少宽多少", "放在桌上占多大地方"),
    "return_address": ("东西要退给你们寄到什么地方", "退回去填哪个收件信息"),
    "authenticity": ("你们卖的是原厂的吗", "怎么证明不是高仿"),
    "pickup_return": ("退的时候能让快递小哥来家里拿吗", "不想自己跑快递点能上门吗"),
    "installment": ("可以分几个月付吗", "能用信用卡分期付款吗"),
    "membership_points": ("买东西攒的分怎么用", "成为你们家会员有什么好处"),
    "refuse_delivery": ("快递送到了我不签可以吗", "不想要了直接让快递退回去行吗"),
    "allergy_safety": ("皮肤容易痒穿这个有问题吗", "宝宝接触会不会有害"),
    "installation": ("拼起来难不难", "收到是散件要自己装吗"),
    "aftersale_phone": ("有没有能直接打过去的号码", "人工客服怎么联系"),
    "gift_wrap": ("想送朋友能包得好看点吗", "能不能加个精美的盒子"),
    "kids_fit": ("给五岁的小孩买有合适的吗", "有没有小一点的童款"),
    "cod": ("能先看货再给钱吗", "签收的时候再付款可以吗"),
    "warranty": ("用坏了你们管修吗", "质保期是多长时间"),
    "customization": ("能在上面加上我的名字吗", "可以按我给的图片做吗"),
    "wholesale": ("大批量拿货有什么价格", "单位要采购一批能优惠吗"),
    "overseas": ("寄去日本可以吗", "国外的地址能发货吗"),
}


def sample_paraphrases(half: str = "all", distant: bool = False) -> list[tuple[int, str]]:
    """(expected entry id, query) for `SAMPLE_PARAPHRASES` (or, with `distant`,
    `SAMPLE_DISTANT_PARAPHRASES`): their "dev" half, "test" half or "all" of them."""
    from scriptlab.sample import INTENTS as CATALOGUE

    source = SAMPLE_DISTANT_PARAPHRASES if distant else SAMPLE_PARAPHRASES
    size = 1 if distant else 2
    take = {"dev": slice(0, size), "test": slice(size, 2 * size), "all": slice(0, 2 * size)}[half]
    return [(n, q) for n, intent in enumerate(CATALOGUE, start=1)
            for q in source[intent.key][take]]
