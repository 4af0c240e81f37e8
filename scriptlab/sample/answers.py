"""Simulated quiz answers of known quality, and simulated reviewers who rate them.

The scoring stage is measured on this (see ``tests/test_scoring_quality.py``): every
answer carries a *true* quality per rubric dimension, built from the intent catalogue's
graded replies plus controlled degradations, so we can check that scores rank answers
the way the truth does.

Answers (per agent and question; better agents pick the model answer more often, with
the probabilities of `scriptlab.sample.generator.AGENTS`):

* the intent's model answer, then independently: key-fact clauses dropped (准确完整 down),
  a cold phrase added (热情友好 and 专业耐心 down), an over-promise added (诚实合规 down),
  politeness stripped, a closing offer of help added (up), paraphrase noise (neutral);
* one of the intent's mediocre replies (vague, short), sometimes made polite;
* one of its poor replies (cold, wrong or over-promising);
* rarely nothing at all (quality 0).

Reviewers see the true dimension qualities through their own habits: a lenient one adds
about a point, a harsh one takes one away, a noisy one is right on average but scatters.
A rating is ``round(1 + 4 × quality + bias + noise)`` clipped to 1-5.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scriptlab.sample.intents import INTENTS, Intent

# The default rubric of `scriptlab.scoring.settings` and its weights: true quality is the
# weighted mean of the dimension qualities.
DIMENSIONS = {"准确完整": 0.3, "热情友好": 0.2, "专业耐心": 0.2, "简洁清晰": 0.15, "诚实合规": 0.15}
ACC, WARM, PROF, CONCISE, HONEST = DIMENSIONS

COLD_PHRASES = ("这个我也不清楚，", "不知道的话自己看详情页。", "没办法，规定就是这样。",
                "这个不归我管，")
OVER_PROMISES = ("保证没问题！", "绝对不会出问题的！", "百分百让您满意！", "肯定没问题的！")
CLOSINGS = ("还有其他问题随时找我哦~", "有什么问题随时联系我们~", "还有什么可以帮您的吗？")
# Paraphrase noise: (from, to) swaps that keep the meaning.
PARAPHRASES = (("一般", "通常"), ("可以", "能"), ("哦~", "呢~"), ("即可", "就可以"),
               ("马上", "立刻"), ("为您", "给您"), ("麻烦您", "请您"), ("；", "，"),
               ("亲，", "亲亲，"), ("非常抱歉", "十分抱歉"), ("就能", "就可以"))
_FACT = re.compile(r"\d|[一两三四五六七八九十]+(?:天|小时|个工作日)|包邮|顺丰|中通|韵达|无理由|"
                   r"运费|保价|免息|花呗|满减|优惠券|发票|保修|质检|预售|定金|尾款")
_CLAUSE = re.compile(r"(?<=[，；。！,;!])")


@dataclass(frozen=True)
class ReviewerProfile:
    """How a simulated reviewer rates: `bias` points added, `noise` SD of scatter."""

    name: str
    bias: float
    noise: float


REVIEWERS: tuple[ReviewerProfile, ...] = (
    ReviewerProfile("lenient", 0.9, 0.45),
    ReviewerProfile("harsh", -0.9, 0.45),
    ReviewerProfile("noisy", 0.0, 1.2),
)


@dataclass(frozen=True)
class Skill:
    """How often an agent gives the model answer / a mediocre reply (else a poor one)."""

    p_good: float
    p_mediocre: float


def agent_skill(agent_id: str) -> Skill:
    """The chat-log generator's profile for known agents, else one derived from the id."""
    from scriptlab.sample.generator import AGENTS

    for profile in AGENTS:
        if profile.agent_id == agent_id:
            return Skill(profile.p_good, profile.p_mediocre)
    rng = random.Random(f"skill|{agent_id}")
    p_good = rng.uniform(0.15, 0.9)
    return Skill(p_good, (1 - p_good) * rng.uniform(0.4, 0.8))


def true_quality(dims: Mapping[str, float]) -> float:
    """Weighted mean of the dimension qualities (rubric weights)."""
    return sum(DIMENSIONS[d] * dims[d] for d in DIMENSIONS) / sum(DIMENSIONS.values())


def simulate_answer(intent: Intent, skill: Skill, rng: random.Random) -> tuple[str, str,
                                                                               dict[str, float]]:
    """One agent's answer to one intent: (text, kind, true quality per dimension)."""
    draw = rng.random()
    if draw < 0.03:
        return "", "empty", dict.fromkeys(DIMENSIONS, 0.0)
    if draw < 0.03 + 0.97 * skill.p_good:
        return _model_variant(intent, rng)
    if draw < 0.03 + 0.97 * (skill.p_good + skill.p_mediocre):
        return _mediocre(intent, rng)
    return _poor(intent, rng)


def _model_variant(intent: Intent, rng: random.Random) -> tuple[str, str, dict[str, float]]:
    text = intent.good_answer
    q = {ACC: 1.0, WARM: 0.85, PROF: 1.0, CONCISE: 0.9, HONEST: 1.0}
    kinds = ["model"]
    if rng.random() < 0.35:
        text, dropped = drop_facts(text, rng.choice((1, 2)), rng)
        if dropped:
            q[ACC] = max(0.1, q[ACC] - 0.3 * dropped)
            q[PROF] = max(0.1, q[PROF] - 0.1 * dropped)
            kinds.append(f"drop{dropped}")
    if rng.random() < 0.12:
        text = _insert(text, rng.choice(COLD_PHRASES), rng)
        q[WARM], q[PROF] = max(0.0, q[WARM] - 0.6), max(0.0, q[PROF] - 0.5)
        kinds.append("cold")
    if rng.random() < 0.12:
        text = _insert(text, rng.choice(OVER_PROMISES), rng)
        q[HONEST], q[ACC] = 0.15, max(0.0, q[ACC] - 0.1)
        kinds.append("overpromise")
    if rng.random() < 0.2:
        text = impolite(text)
        q[WARM] = max(0.0, q[WARM] - 0.35)
        kinds.append("impolite")
    if rng.random() < 0.4:
        text = text.rstrip("~") + "，" + rng.choice(CLOSINGS)
        q[WARM], q[PROF] = min(1.0, q[WARM] + 0.15), min(1.0, q[PROF] + 0.05)
        kinds.append("closing")
    if rng.random() < 0.7:
        text = paraphrase(text, rng)
    return text, "+".join(kinds), q


def _mediocre(intent: Intent, rng: random.Random) -> tuple[str, str, dict[str, float]]:
    text = rng.choice(intent.mediocre_answers)
    polite = text.startswith("亲")
    q = {ACC: 0.4, WARM: 0.65 if polite else 0.4, PROF: 0.4, CONCISE: 0.6, HONEST: 0.9}
    if not polite and rng.random() < 0.3:
        text, q[WARM] = "亲，" + text, 0.6
    if rng.random() < 0.2:
        text = text + "，" + rng.choice(CLOSINGS)
        q[WARM] = min(1.0, q[WARM] + 0.15)
    return text, "mediocre", q


def _poor(intent: Intent, rng: random.Random) -> tuple[str, str, dict[str, float]]:
    text = rng.choice(intent.poor_answers)
    promises = bool(re.search(r"保证|绝对|随便|肯定|随时", text))
    cold = bool(re.search(r"不知道|不清楚|自己|不归我管|管不了|爱买不买|拉倒|别买", text))
    q = {ACC: 0.1, WARM: 0.0 if cold else 0.15, PROF: 0.05 if cold else 0.15, CONCISE: 0.4,
         HONEST: 0.1 if promises else 0.6}
    return text, "poor", q


def drop_facts(text: str, k: int, rng: random.Random) -> tuple[str, int]:
    """Remove up to `k` clauses that carry facts (numbers, policy terms)."""
    clauses = [c for c in _CLAUSE.split(text) if c]
    candidates = [i for i, c in enumerate(clauses) if _FACT.search(c)]
    if len(candidates) <= 1:
        return text, 0
    chosen = set(rng.sample(candidates, min(k, len(candidates) - 1)))
    kept = "".join(c for i, c in enumerate(clauses) if i not in chosen)
    if kept.count("（") != kept.count("）"):  # a clause inside brackets was cut
        kept = kept.replace("（", "，").replace("）", "")
    return kept.strip("，；,;"), len(chosen)


def impolite(text: str) -> str:
    """Strip the politeness: 亲/哦/~ gone, 您 → 你, 请/麻烦 dropped."""
    for old, new in (("亲，", ""), ("亲亲，", ""), ("您", "你"), ("哦", ""), ("~", "。"),
                     ("麻烦", ""), ("请", ""), ("非常抱歉", ""), ("实在抱歉", "")):
        text = text.replace(old, new)
    return text.strip("，。")


def paraphrase(text: str, rng: random.Random) -> str:
    """Meaning-preserving wording changes."""
    for old, new in PARAPHRASES:
        if old in text and rng.random() < 0.5:
            text = text.replace(old, new, 1)
    return text


def _insert(text: str, phrase: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return phrase + text
    return text.rstrip("~。") + "，" + phrase


def simulate_answers(question_intents: Mapping[int, str], agent_ids: Sequence[str],
                     seed: int = 7) -> pd.DataFrame:
    """Answers of every agent to every question.

    Parameters
    ----------
    question_intents
        question_id -> intent key.

    Returns
    -------
    DataFrame: question_id, agent_id, intent, text, kind, quality, one column per dimension.
    """
    by_key = {intent.key: intent for intent in INTENTS}
    rows = []
    for question_id, key in question_intents.items():
        for agent_id in agent_ids:
            rng = random.Random(f"{seed}|{question_id}|{agent_id}")
            text, kind, dims = simulate_answer(by_key[key], agent_skill(agent_id), rng)
            rows.append({"question_id": question_id, "agent_id": agent_id, "intent": key,
                         "text": text, "kind": kind, "quality": true_quality(dims), **dims})
    return pd.DataFrame(rows)


def simulate_ratings(truth: pd.DataFrame, assignments: Mapping[str, Sequence],
                     reviewers: Sequence[ReviewerProfile] = REVIEWERS,
                     dimensions: Sequence[str] = tuple(DIMENSIONS),
                     seed: int = 7) -> pd.DataFrame:
    """Ratings of assigned answers by simulated reviewers.

    Parameters
    ----------
    truth
        Indexed by the answer key the assignments use (answer id or code), with one
        quality column per dimension (unknown dimensions use ``quality``).
    assignments
        reviewer name -> answer keys to rate.

    Returns
    -------
    DataFrame: key, reviewer, dimension, value.
    """
    profiles = {r.name: r for r in reviewers}
    rows = []
    for name, keys in assignments.items():
        profile = profiles[name]
        rng = np.random.default_rng(_stable_seed(seed, name))
        for key in keys:
            for dim in dimensions:
                q = truth.at[key, dim] if dim in truth.columns else truth.at[key, "quality"]
                value = round(1 + 4 * float(q) + profile.bias + rng.normal(0, profile.noise))
                rows.append({"key": key, "reviewer": name, "dimension": dim,
                             "value": int(min(5, max(1, value)))})
    return pd.DataFrame(rows, columns=["key", "reviewer", "dimension", "value"])


def _stable_seed(seed: int, name: str) -> int:
    """A seed that is the same in every process (unlike `hash`)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(f"{seed}|{name}".encode()).digest()[:4], "little")


def match_intents(questions: pd.DataFrame) -> dict[int, str]:
    """Guess each quiz question's intent from its wording and customer phrasings.

    Each wording of a question is compared (TF-IDF cosine) with every phrasing the intent
    grammars can produce; an intent scores the mean, over the question's wordings, of its
    best-matching phrasing.

    Parameters
    ----------
    questions
        Columns ``question_id``, ``question`` and ``phrasings`` (list of str).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    from scriptlab.sample.generator import phrasings
    from scriptlab.text.normalize import normalize_text
    from scriptlab.text.tokenize import BUILTIN_SYNONYMS, analyzer

    texts: list[str] = []
    owner: list[int] = []
    for index, intent in enumerate(INTENTS):
        for text in (intent.canonical, *phrasings(intent.key)):
            texts.append(text)
            owner.append(index)
    asked: list[int] = []
    for row, (question, wordings) in enumerate(zip(questions["question"],
                                                   questions["phrasings"], strict=True)):
        for text in (question, *list(wordings)):
            texts.append(text)
            asked.append(row)
    vectorizer = TfidfVectorizer(analyzer=lambda t: analyzer(t, BUILTIN_SYNONYMS),
                                 sublinear_tf=True)
    matrix = vectorizer.fit_transform([normalize_text(t) or t for t in texts])

    sims = (matrix[len(owner):] @ matrix[: len(owner)].T).toarray()
    starts = np.flatnonzero(np.r_[True, np.diff(owner) != 0])  # owner is sorted
    per_intent = np.maximum.reduceat(sims, starts, axis=1)  # wording × intent: best match
    scores = np.zeros((len(questions), len(INTENTS)))
    np.add.at(scores, np.asarray(asked), per_intent)
    best = scores.argmax(axis=1)
    return {int(qid): INTENTS[i].key for qid, i in zip(questions["question_id"], best,
                                                        strict=True)}


def write_answer_file(path: Path, week: str, questions: pd.DataFrame, agents: pd.DataFrame,
                      answers: pd.DataFrame) -> Path:
    """A filled answer workbook in the answer-template layout (a sheet per agent).

    Parameters
    ----------
    questions
        question_id, position, question, phrasings.
    agents
        agent_id, agent_name.
    answers
        question_id, agent_id, text.
    """
    from openpyxl import Workbook

    from scriptlab.quiz.template_columns import ANSWER_COLUMNS

    book = Workbook()
    book.remove(book.active)
    names = dict(zip(agents["agent_id"], agents["agent_name"], strict=True))
    by_key = {(r.question_id, r.agent_id): r.text for r in answers.itertuples()}
    for agent_id in agents["agent_id"]:
        sheet = book.create_sheet(str(agent_id)[:31])
        sheet.append(list(ANSWER_COLUMNS))
        for q in questions.sort_values("position").itertuples():
            text = by_key.get((q.question_id, agent_id))
            if text is None:
                continue
            row = {"quiz_week": week, "question_id": q.question_id, "question_no": q.position,
                   "question": q.question, "phrasings": "\n".join(q.phrasings),
                   "agent_id": agent_id, "agent_name": names[agent_id], "answer": text}
            sheet.append([row[c] for c in ANSWER_COLUMNS])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def fill_review_sheet(path: Path, values: Mapping[str, Mapping[str, int]],
                      comments: Mapping[str, str] | None = None) -> int:
    """Type ratings into a review sheet made by `scriptlab review sheet`, as a reviewer would.

    Parameters
    ----------
    values
        answer code -> {dimension: 1-5}.
    comments
        answer code -> comment.

    Returns
    -------
    How many rows were filled.
    """
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    filled = 0
    for row in sheet.iter_rows(min_row=2):
        code = row[0].value
        if code not in values:
            continue
        for dim, value in values[code].items():
            if dim in header:
                row[header.index(dim)].value = int(value)
        if comments and code in comments and "备注" in header:
            row[header.index("备注")].value = comments[code]
        filled += 1
    book.save(path)
    return filled
