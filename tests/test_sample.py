"""Tests of the seeded chat-log generator (scriptlab.sample)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd
import pytest

from scriptlab.sample import (
    AGENTS,
    INTENTS,
    LOG_COLUMNS,
    NONE_LABEL,
    TRENDING,
    NoiseLevels,
    generate_chat_log,
    heldout_queries,
    intent_ranks,
    phrasings,
    write_chat_log,
)
from scriptlab.sample.__main__ import main
from scriptlab.sample.generator import phrase_sampler
from scriptlab.sample.grammar import GrammarError, expand
from scriptlab.sample.holdout import comparable, log_wordings, unseen_queries

DATA = Path(__file__).resolve().parents[1] / "data"
# The command documented in data/README.md (run from the repository root).
DOCUMENTED_ARGS = ["--messages", "6000", "--seed", "7"]
KEYS = {intent.key for intent in INTENTS}


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    return generate_chat_log(6000, seed=7)


@pytest.fixture(scope="module")
def big() -> tuple[pd.DataFrame, pd.DataFrame]:
    return generate_chat_log(40_000, seed=11)


def buyer_texts_with_labels(logs: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    return logs.merge(labels, left_on="消息ID", right_on="message_id", how="inner")


# --- grammar -------------------------------------------------------------------------------


def test_expand_enumerates_alternatives_optional_groups_and_slots() -> None:
    out = expand("{x}[能|可以]发[货|]吗", {"x": ("这件", "[那|这]个")})
    assert set(out) == {
        f"{a}{b}发{c}吗"
        for a in ("这件", "那个", "这个") for b in ("能", "可以") for c in ("货", "")
    }
    assert sum(out.values()) == pytest.approx(1.0)
    # Uniform at each choice point: "这件" is one of two slot values, "那个" one of four.
    assert out["这件能发货吗"] == pytest.approx(0.5 * 0.5 * 0.5)
    assert out["那个能发货吗"] == pytest.approx(0.25 * 0.5 * 0.5)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("[a|b", "missing ']' in '[a|b'"),
        ("a]b", "unbalanced ']' in 'a]b'"),
        ("{nope}吗", "unknown slot {nope} in '{nope}吗'"),
        ("{x", "missing '}' in '{x'"),
    ],
)
def test_expand_rejects_malformed_templates(template: str, message: str) -> None:
    with pytest.raises(GrammarError) as excinfo:
        expand(template, {"x": ("a",)})
    assert str(excinfo.value) == message


# --- catalogue -----------------------------------------------------------------------------


def test_catalogue_has_45_or_more_complete_intents() -> None:
    assert len(INTENTS) >= 45
    assert len(KEYS) == len(INTENTS)
    for intent in INTENTS:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", intent.key), intent.key
        assert intent.category in {"售前", "售后", "物流", "支付", "商品", "订单", "活动"}
        assert 2 <= len(intent.mediocre_answers) <= 4, intent.key
        assert 2 <= len(intent.poor_answers) <= 3, intent.key
        # The model answer is polite and concrete (a number: time limit, price, size ...).
        assert intent.good_answer.startswith("亲"), intent.key
        assert re.search(r"\d", intent.good_answer), intent.key
        assert len(intent.good_answer) > 2 * max(map(len, intent.mediocre_answers))
        assert intent.attach in {"", "order", "address"}
        assert not set(intent.log_templates) & set(intent.heldout_templates)


def test_every_intent_has_at_least_30_distinct_log_phrasings_reachable() -> None:
    sampler = phrase_sampler("log")
    rng = random.Random(0)
    for index, intent in enumerate(INTENTS):
        assert len(phrasings(intent.key)) >= 30, intent.key
        drawn = {sampler.sample(index, rng) for _ in range(1500)}
        assert len(drawn) >= 30, (intent.key, len(drawn))
        assert drawn <= set(phrasings(intent.key))
        # Different templates, not one template with different product names.
        assert len(intent.log_templates) >= 5, intent.key


def test_no_log_phrasing_belongs_to_two_intents() -> None:
    owner: dict[str, str] = {}
    for intent in INTENTS:
        for text in phrasings(intent.key):
            key = comparable(text)
            assert owner.setdefault(key, intent.key) == intent.key, (text, owner[key])


def test_heldout_grammar_never_reproduces_a_log_phrasing() -> None:
    blocked = log_wordings()
    for intent in INTENTS:
        overlap = {t for t in phrasings(intent.key, "heldout") if comparable(t) in blocked}
        assert not overlap, (intent.key, overlap)


def test_phrasings_rejects_unknown_intent() -> None:
    with pytest.raises(KeyError, match="unknown intent 'nope'"):
        phrasings("nope")


# --- generated log -------------------------------------------------------------------------


def test_same_seed_gives_identical_frames_and_other_seed_differs() -> None:
    logs_a, labels_a = generate_chat_log(800, seed=3)
    logs_b, labels_b = generate_chat_log(800, seed=3)
    pd.testing.assert_frame_equal(logs_a, logs_b)
    pd.testing.assert_frame_equal(labels_a, labels_b)
    logs_c, labels_c = generate_chat_log(800, seed=4)
    assert logs_c["内容"].tolist() != logs_a["内容"].tolist()
    assert labels_c["intent"].tolist() != labels_a["intent"].tolist()


def test_log_shape_columns_and_exact_count(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    logs, _ = sample
    assert tuple(logs.columns) == LOG_COLUMNS
    assert len(logs) == 6000
    assert logs["消息ID"].tolist() == list(range(1, 6001))
    assert set(logs["发送方"]) == {"买家", "客服", "系统"}
    assert logs["时间"].min() >= pd.Timestamp("2026-10-05")
    assert logs["时间"].max() < pd.Timestamp("2026-11-17")
    sessions = logs["会话ID"].nunique()
    assert 700 < sessions < 2000
    assert logs.groupby("会话ID")["内容"].size().max() > 6  # genuinely multi-turn
    for n in (0, 1, 37):
        assert len(generate_chat_log(n, seed=1)[0]) == n


def test_agent_ids_only_on_agent_rows(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    logs, _ = sample
    agent_rows = logs["发送方"] == "客服"
    assert (logs.loc[~agent_rows, "客服ID"] == "").all()
    assert set(logs.loc[agent_rows, "客服ID"]) == {a.agent_id for a in AGENTS}
    assert logs.loc[logs["发送方"] == "系统", "内容"].str.startswith("系统消息：").all()


def test_labels_cover_exactly_the_buyer_messages(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    logs, labels = sample
    assert list(labels.columns) == ["message_id", "intent"]
    buyer_ids = logs.loc[logs["发送方"] == "买家", "消息ID"]
    assert labels["message_id"].tolist() == buyer_ids.tolist()
    assert set(labels["intent"]) <= KEYS | {NONE_LABEL}
    share_none = (labels["intent"] == NONE_LABEL).mean()
    assert 0.2 < share_none < 0.5


def test_non_questions_are_labelled_none(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    merged = buyer_texts_with_labels(*sample)
    labelled = dict(zip(merged["内容"], merged["intent"], strict=True))
    for text in ("好的", "谢谢", "在吗", "嗯嗯"):
        assert labelled[text] == NONE_LABEL
    assert merged.loc[merged["内容"].str.startswith("地址发你了"), "intent"].eq(NONE_LABEL).all()


def test_timestamps_increase_within_sessions_and_rows_are_in_time_order(
    sample: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    logs, _ = sample
    assert logs["时间"].is_monotonic_increasing
    steps = logs.groupby("会话ID")["时间"].diff().dropna()
    assert (steps > pd.Timedelta(0)).all()
    # Sessions interleave like a real export: rows of one session are not all adjacent.
    assert (logs["会话ID"] != logs["会话ID"].shift()).sum() > logs["会话ID"].nunique()


def test_intent_frequencies_are_zipf_like(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, labels = big
    counts = labels.loc[labels["intent"] != NONE_LABEL, "intent"].value_counts()
    assert set(counts.index) == KEYS  # every intent occurs
    assert counts.iloc[0] > 10 * counts.median()
    assert counts.index[0] == intent_ranks(11)[0]
    top5 = set(intent_ranks(11)[:5])
    bottom = set(intent_ranks(11)[-10:])
    assert counts[list(top5)].min() > counts[list(bottom)].max()


def test_trending_intents_rise_in_the_last_week(big: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    merged = buyer_texts_with_labels(*big)
    questions = merged[merged["intent"] != NONE_LABEL]
    last_week = questions["时间"] >= pd.Timestamp("2026-11-09")
    before, after = questions[~last_week], questions[last_week]
    for key in TRENDING:
        share_before = (before["intent"] == key).mean()
        share_after = (after["intent"] == key).mean()
        assert share_after > 2.5 * share_before, key
    stable = intent_ranks(11)[0]
    assert (after["intent"] == stable).mean() < 1.2 * (before["intent"] == stable).mean()


def test_buyer_messages_carry_noise(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    merged = buyer_texts_with_labels(*sample)
    questions = merged.loc[merged["intent"] != NONE_LABEL, "内容"]
    found = {
        "order number": questions.str.contains(r"(?<!\d)\d{18,19}(?!\d)").sum(),
        "phone": questions.str.contains(r"(?<!\d)1[3-9]\d{9}(?!\d)").sum(),
        "traditional": questions.str.contains("[麼這發嗎們貨號嗎錢運]").sum(),
        "emoji": questions.str.contains("[😊🙏😭👍😅🤔😂🥺]").sum(),
        "half-width ?": questions.str.contains(r"\?").sum(),
        "full-width ？": questions.str.contains("？").sum(),
        "no punctuation": (~questions.str.contains(r"[？?。!！~]")).sum(),
        "greeting": questions.str.match("(亲|在吗|你好|hello|客服在不在)").sum(),
        "address": questions.str.contains("[路街]\\d+号").sum(),
        "pinyin": questions.str.contains("kuaidi|sku|fahuo|size|quan|dizhi").sum(),
        "typo": questions.str.contains("神马|什木|木有|嘛").sum(),
    }
    assert all(count >= 5 for count in found.values()), found
    # Far from trivially identical: many distinct question texts.
    assert questions.nunique() > 0.6 * len(questions)


def test_without_noise_buyer_questions_are_grammar_phrasings() -> None:
    logs, labels = generate_chat_log(1500, seed=5, noise=NoiseLevels.off())
    merged = buyer_texts_with_labels(logs, labels)
    questions = merged[merged["intent"] != NONE_LABEL]
    assert len(questions) > 300
    for text, key in zip(questions["内容"], questions["intent"], strict=True):
        assert text.rstrip("？?。~！") in phrasings(key), (text, key)


def test_agent_replies_come_from_the_catalogue(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    logs, _ = sample
    graded = {a for i in INTENTS for a in (i.good_answer, *i.mediocre_answers, *i.poor_answers)}
    replies = logs.loc[logs["发送方"] == "客服", "内容"]
    assert replies.isin(graded).mean() > 0.75
    # Agents differ in quality: kf_01 gives the model answer far more often than kf_08.
    good = {i.good_answer for i in INTENTS}
    by_agent = logs[logs["发送方"] == "客服"].groupby("客服ID")["内容"]
    share_good = by_agent.apply(lambda s: s.isin(good).mean())
    assert share_good["kf_01"] > 2 * share_good["kf_08"]


# --- held-out queries ----------------------------------------------------------------------


def test_heldout_queries_shape_and_determinism() -> None:
    heldout = heldout_queries()
    assert list(heldout.columns) == ["intent", "query"]
    assert heldout["intent"].value_counts().to_dict() == {i.key: 5 for i in INTENTS}
    assert heldout["query"].is_unique
    pd.testing.assert_frame_equal(heldout, heldout_queries())
    assert heldout_queries(seed=1)["query"].tolist() != heldout["query"].tolist()
    assert len(heldout_queries(n_per_intent=2)) == 2 * len(INTENTS)


def test_heldout_queries_never_appear_in_the_logs(
    sample: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    logs, _ = sample
    heldout = heldout_queries()
    buyer = logs.loc[logs["发送方"] == "买家", "内容"]
    assert not set(heldout["query"]) & set(buyer)
    buyer_wordings = {comparable(t) for t in buyer}
    assert not {comparable(q) for q in heldout["query"]} & buyer_wordings
    blocked = log_wordings()
    assert not {comparable(q) for q in heldout["query"]} & blocked


def test_heldout_rejects_more_queries_than_the_grammar_has() -> None:
    with pytest.raises(ValueError, match=r"intent \w+ has only \d+ held-out phrasings"):
        heldout_queries(n_per_intent=10_000)
    with pytest.raises(ValueError, match="n_per_intent must be >= 1, not 0"):
        heldout_queries(n_per_intent=0)


def test_unseen_queries_are_log_phrasings_the_library_does_not_hold() -> None:
    first, second = INTENTS[0].key, INTENTS[1].key
    held = list(phrasings(first))[:-3]  # all but three phrasings of the first intent
    library = {first: ["亲，" + p + "呀？" for p in held], second: []}
    queries = unseen_queries(library, n_per_intent=5)
    assert queries.columns.tolist() == ["intent", "query"]
    mine = queries[queries["intent"] == first]["query"].map(comparable).tolist()
    left = [comparable(p) for p in phrasings(first)[-3:]]
    # Only phrasings outside the library, and none that a held phrasing contains (一般几天发货
    # is in 你家一般几天发货).
    expected = [p for p in left if not any(p in comparable(h) for h in held)]
    assert expected and sorted(mine) == sorted(expected)
    theirs = queries[queries["intent"] == second]["query"].map(comparable)
    assert len(theirs) == 5 and set(theirs) <= {comparable(p) for p in phrasings(second)}
    assert set(queries["intent"]) == {first, second}  # intents not in the library: none
    pd.testing.assert_frame_equal(queries, unseen_queries(library, n_per_intent=5))
    assert unseen_queries(library, seed=1)["query"].tolist() != queries["query"].tolist()
    with pytest.raises(ValueError, match="n_per_intent must be >= 1, not 0"):
        unseen_queries(library, n_per_intent=0)


# --- files ---------------------------------------------------------------------------------


def test_streamed_csv_equals_in_memory_frames(tmp_path: Path) -> None:
    chats, labels_path = write_chat_log(tmp_path / "x_chats.csv", 1500, seed=5)
    assert labels_path == tmp_path / "x_labels.csv"
    logs, labels = generate_chat_log(1500, seed=5)
    read = pd.read_csv(chats, dtype={"会话ID": str, "客服ID": str, "内容": str},
                       keep_default_na=False, parse_dates=["时间"])
    assert read["内容"].tolist() == logs["内容"].tolist()
    assert read["时间"].tolist() == logs["时间"].tolist()
    assert read["客服ID"].tolist() == logs["客服ID"].tolist()
    assert read["会话ID"].tolist() == logs["会话ID"].tolist()
    assert pd.read_csv(labels_path).equals(labels)
    assert not list(tmp_path.glob("*.tmp"))


def test_committed_sample_matches_the_documented_command(tmp_path: Path) -> None:
    assert main([*DOCUMENTED_ARGS, "--out", str(tmp_path)]) == 0
    for name in ("sample_chats.csv", "sample_labels.csv", "sample_heldout.csv",
                 "sample_chats_gbk.csv"):
        committed = DATA / name
        assert committed.exists(), f"{committed} is missing; regenerate it (see data/README.md)"
        assert committed.read_bytes() == (tmp_path / name).read_bytes(), (
            f"{committed} differs from the generator; regenerate it (see data/README.md)"
        )
    assert (DATA / "sample_chats.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    header = (DATA / "sample_chats.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == ",".join(LOG_COLUMNS)


def test_gbk_sample_is_gb18030_with_english_columns() -> None:
    raw = (DATA / "sample_chats_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = pd.read_csv(DATA / "sample_chats_gbk.csv", encoding="gb18030", keep_default_na=False)
    assert list(frame.columns) == ["session_id", "time", "role", "agent", "message"]
    assert set(frame["role"]) == {"customer", "agent"}
    assert 250 <= len(frame) <= 300


def test_bad_arguments_have_clear_errors() -> None:
    with pytest.raises(ValueError, match="weeks must be >= 1, not 0"):
        generate_chat_log(10, weeks=0)
    with pytest.raises(ValueError, match="start must be a date like 2026-10-05, not 'soon'"):
        generate_chat_log(10, start="soon")
    with pytest.raises(ValueError, match="n_messages must be >= 0, not -1"):
        generate_chat_log(-1)
