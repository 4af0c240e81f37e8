"""Shared test data for the library stage: a hand-written mini FAQ with held-out paraphrases,
and a builder that fills a workspace's tables (topics → groups → quiz → answers → scores)
the way the mining, quiz and scoring stages would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

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


def faq_document(entries: list[dict], min_confidence: float = 0.12,
                 synonyms: dict | None = None) -> dict:
    """A valid faq.json document around `entries`."""
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
    from scriptlab.mine.mask import mask_text
    from scriptlab.sample import INTENTS as CATALOGUE

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
