"""The automatic signals, each on small hand-made Chinese examples."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from scriptlab.scoring.keypoints import (
    Fact,
    coverage_signal,
    digits,
    extract_facts,
    keypoint_signals,
)
from scriptlab.scoring.settings import ScoringSettings
from scriptlab.scoring.signal import Signal
from scriptlab.scoring.similarity import similarity_signals
from scriptlab.scoring.style import StyleRules, content_length, style_signal, style_signals

TERMS = ScoringSettings().policy_terms
REFERENCE = "亲，本店支持7天无理由退换，顺丰发货，付款后48小时内发出哦~"


def frame(*rows: tuple[int, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["question_id", "text"])


def refs(*rows: tuple[int, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["question_id", "text", "source"])


# -- signal shape ------------------------------------------------------------------------

def test_signal_is_frozen_and_checked() -> None:
    signal = Signal("style", 0.5, "polite")
    with pytest.raises(dataclasses.FrozenInstanceError):
        signal.value = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="outside 0-1"):
        Signal("style", 1.5, "too good")


# -- similarity --------------------------------------------------------------------------

def test_similarity_to_reference_ranks_close_paraphrase_first() -> None:
    answers = frame(
        (1, "亲，支持7天无理由退换，顺丰发货，付款后48小时内发出哦"),
        (1, "可以退的"),
        (1, "不知道"),
    )
    out = similarity_signals(answers, refs((1, REFERENCE, "library")), saturation=1.0)
    values = [s.value for s in out["reference"]]
    assert values[0] > 0.8 > values[1] >= values[2]
    assert out["reference"][0].reason.startswith("cosine 0.")
    assert out["reference"][0].reason.endswith("to the approved script")


def test_consensus_leaves_the_answer_itself_out() -> None:
    same = "亲，付款后48小时内发货哦"
    answers = frame((1, same), (1, same), (1, "亲，48小时内发货的"), (1, "自己看详情页"))
    out = similarity_signals(answers, refs(), saturation=1.0)
    consensus = [s.value for s in out["consensus"]]
    # A copied answer agrees with its twin and the paraphrase; the odd one out does not.
    assert consensus[0] == pytest.approx(consensus[1])
    assert consensus[0] > consensus[2] > consensus[3]
    assert out["consensus"][0].reason.endswith("to the other 3 answers (team consensus)")
    # No reference at all: the reference signal does not apply (weight goes elsewhere).
    assert not out["reference"][0].applies


def test_consensus_needs_other_answers_and_empty_answers_score_zero() -> None:
    answers = frame((1, "亲，48小时内发货"), (2, "亲，7天无理由"), (2, ""))
    out = similarity_signals(answers, refs((2, REFERENCE, "quiz")), saturation=1.0)
    assert not out["consensus"][0].applies
    assert out["consensus"][0].reason == "no other answers to compare with"
    assert out["reference"][2] == Signal("reference", 0.0, "no answer")
    assert out["consensus"][2] == Signal("consensus", 0.0, "no answer")


def test_logged_replies_count_by_frequency_and_other_questions_are_ignored() -> None:
    answers = frame((1, "亲，默认发中通，顺丰要补差价10元"), (1, "随便"))
    references = pd.DataFrame(
        [(1, "亲，默认发中通，顺丰要补差价10元", "logs", 9), (1, "随便", "logs", 1),
         (2, "随便", "quiz", 1)], columns=["question_id", "text", "source", "weight"])
    out = similarity_signals(answers, references, saturation=1.0)
    # The reference is what agents usually say: a poor reply logged once barely counts.
    assert out["reference"][0].value > 0.95
    assert out["reference"][1].value < 0.2
    assert out["reference"][0].reason.endswith("to the replies seen in the logs")


def test_saturation_caps_at_one() -> None:
    answers = frame((1, REFERENCE))
    out = similarity_signals(answers, refs((1, REFERENCE, "quiz")), saturation=0.5)
    assert out["reference"][0].value == 1.0


# -- key points --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("支持七天无理由退换，顺丰包邮", ["7天无理由", "顺丰", "包邮"]),
        ("48个小时内发货，一般三到五天到", ["48小时", "3-5天"]),
        ("一般两三天内会发货", ["2-3天"]),
        ("二十四小时内审核，1-3个工作日到账", ["24小时", "1-3工作日"]),
        ("满199减20元，会员9.5折", ["20元", "9.5折"]),
        ("当天16:00前付款当天发", ["16:00"]),
        ("15日内可以退", ["15天"]),
        ("11月11日活动", []),  # a date, not a time limit
    ],
)
def test_extract_facts(text: str, facts: list[str]) -> None:
    assert [f.text for f in extract_facts(text, TERMS)] == facts


def test_digits_reads_chinese_numerals_only_before_units() -> None:
    assert digits("七天无理由，一下就好") == "7天无理由,一下就好"  # also cleaned (NFKC)
    assert digits("一百零五元") == "105元"


def test_coverage_names_what_is_covered_missed_and_conflicting() -> None:
    keys = extract_facts(REFERENCE, TERMS)
    assert [k.text for k in keys] == ["7天无理由", "顺丰", "48小时"]
    full = coverage_signal("亲，七天无理由退换的，顺丰发，48小时内发出", keys, TERMS)
    assert full.value == 1.0
    assert full.reason == "covers 3/3 key points of the reference (7天无理由, 顺丰, 48小时)"
    partial = coverage_signal("亲，支持7天无理由哦", keys, TERMS)
    assert partial.value == pytest.approx(1 / 3)
    assert partial.reason.endswith("misses 顺丰, 48小时")
    wrong = coverage_signal("亲，付款后72小时内发出", keys, TERMS)
    assert wrong.value == 0.0
    assert wrong.reason.endswith("conflicts: says 72小时 where 48小时 is expected")


def test_no_key_points_means_not_applicable() -> None:
    signal = coverage_signal("亲，您好", [], TERMS)
    assert not signal.applies
    assert coverage_signal("", [Fact("48小时", "小时")], TERMS) == Signal("keypoints", 0.0,
                                                                          "no answer")


def test_consensus_facts_need_two_other_agents() -> None:
    answers = frame((1, "亲，满59元包邮"), (1, "满59元包邮哦"), (1, "满59元就包邮"),
                    (1, "包邮的，偏远地区补15元"))
    out = keypoint_signals(answers, refs(), policy_terms=TERMS, consensus_share=0.5)
    # 包邮 and 59元 are stated by most others (most first); 15元/偏远地区 by one agent.
    assert out[0].value == 1.0
    assert out[0].reason == "covers 2/2 key points of the team's answers (包邮, 59元)"
    assert out[3].reason.startswith("covers 1/2 key points of the team's answers (包邮)")


# -- style -------------------------------------------------------------------------------

RULES = StyleRules.from_settings(ScoringSettings())


def test_polite_complete_answer_scores_high() -> None:
    signal = style_signal("亲，您可以选择顺丰或者中通，顺丰补10元；还有其他问题随时找我哦~", RULES)
    assert signal.value == pytest.approx(1.0)
    assert "polite (亲, 您)" in signal.reason
    assert "offers more help (其他问题, 随时)" in signal.reason
    assert "offers a choice" in signal.reason


def test_cold_and_overpromising_phrases_are_penalised_and_named() -> None:
    base = style_signal("亲，付款后48小时内发货，请耐心等待哦", RULES)
    cold = style_signal("不知道，付款后48小时内发货，自己看物流吧", RULES)
    promise = style_signal("亲，付款后48小时内发货，保证明天到，绝对没问题", RULES)
    assert cold.value < base.value * 0.5
    assert "cold: 不知道, 自己看" in cold.reason
    assert promise.value < base.value
    assert "over-promises: 保证, 绝对" in promise.reason


def test_neutral_words_are_not_politeness_or_promises() -> None:
    signal = style_signal("在订单页申请售后，交保证金后处理", RULES)
    assert "no politeness marker" in signal.reason
    assert "over-promises" not in signal.reason


def test_length_bounds() -> None:
    short = style_signal("有的", RULES)
    assert "too short (2 < 15 characters)" in short.reason
    long = style_signal("亲，" + "这个商品质量非常好" * 20, RULES)
    assert "too long (181 > 150 characters)" in long.reason
    assert content_length("亲，48小时！") == 5


def test_style_rules_come_from_settings() -> None:
    settings = dataclasses.replace(ScoringSettings(), cold_phrases=("等着",), min_chars=2)
    out = style_signals(frame((1, "等着吧"), (1, "")), settings)
    assert "cold: 等着" in out[0].reason
    assert out[1] == Signal("style", 0.0, "no answer")
