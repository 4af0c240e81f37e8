"""Mining, question detection and lookup on real text, each next to a baseline in the same run.

Reads the real development sets from ``../shared/data/real/`` (see its README) and says so
when they are absent; nothing of them is copied into the repository. Sections:

- **ATEC pairs** (``atec-dev-pairs.tsv``): the pairs become a chat log as
  ``../shared/tools/pairs_eval.py chatlog`` writes it (every distinct sentence in its own
  session, followed by one identical holding reply), mined with ``scriptlab mine
  --assignments`` in a child process (wall and CPU seconds, peak RSS); pair precision,
  recall and F1 over the labelled pairs, on all pairs and on the two halves by pair id
  (odd/even: nothing was tuned on either, both are shown). Baselines: character 1-2gram
  TF-IDF cosine at its best threshold chosen on the same pairs (an oracle, as the shared
  tool's ``baseline``) and everything in one group.
- **Taobao dialogues** (``taobao-dialogues-train.csv`` with ``bench/data/taobao_labels.csv``):
  question detection precision/recall on the labelled customer turns, against a question
  mark / final particle rule; grouping pair F1 over the labelled question turns (same
  intent = same question), against TF-IDF at its oracle threshold with perfect detection.
- **English helpdesk** (``tests/data/intercom_export.csv`` with its labels, shipped):
  detection precision/recall against a question-mark rule.
- **Lookup** (``bench/real_lookup.py``'s ``lookup_rows``, when that module is present).

    python bench/real_text.py [--copies 2]

``--copies 2`` also mines a log twice the size (a second copy of every question with a
"我想问下" in front, in sessions of its own: the issue's 155k-message scale) for cost only.
Prints one markdown table.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REAL = REPO.parent / "shared" / "data" / "real"
PAIRS = REAL / "atec-dev-pairs.tsv"
TAOBAO = REAL / "taobao-dialogues-train.csv"
TAOBAO_LABELS = HERE / "data" / "taobao_labels.csv"
INTERCOM = REPO / "tests" / "data" / "intercom_export.csv"
INTERCOM_LABELS = REPO / "tests" / "data" / "intercom_labels.csv"
HOLDING_REPLY = "您好，请稍等，我帮您查询一下。"
NAIVE_QUESTION = r"[?？]|[吗呢么][\s。！!~]*$"

sys.path.insert(0, str(HERE))


# -- ATEC pairs -----------------------------------------------------------------------------


def read_pairs(path: Path) -> pd.DataFrame:
    """id, a, b, y as ``pairs_eval.py`` reads them."""
    frame = pd.read_csv(path, sep="\t", header=None, names=["id", "a", "b", "y"], quoting=3,
                        encoding="utf-8-sig", dtype=str)
    for column in "ab":
        frame[column] = frame[column].str.replace("\ufeff", "").str.strip()
    frame["y"] = frame["y"].astype(int)
    return frame


def sentences(pairs: pd.DataFrame) -> list[str]:
    return list(pd.unique(pd.concat([pairs["a"], pairs["b"]])))


def write_chat_log(texts: list[str], path: Path, copies: int = 1) -> None:
    """``pairs_eval.py chatlog``'s log; copies after the first ask with 我想问下 in front."""
    rows = []
    start = pd.Timestamp("2026-11-16 09:00")
    for copy in range(copies):
        prefix = "" if copy == 0 else "我想问下"
        for i, text in enumerate(texts):
            ts = start + pd.Timedelta(days=20 * copy, seconds=37 * i)
            session = f"s{i}" if copy == 0 else f"c{copy}-{i}"
            rows.append((session, ts, "customer", "", prefix + text))
            rows.append((session, ts + pd.Timedelta(seconds=20), "agent", f"a{i % 7}",
                         HOLDING_REPLY))
    pd.DataFrame(rows, columns=["session_id", "timestamp", "role", "agent_id", "text"]).to_csv(
        path, index=False)


def mine_log(log: Path, work: Path) -> tuple[pd.DataFrame, dict]:
    """Run ``scriptlab mine --assignments`` in a child process; (assignments, cost)."""
    ws = work / f"ws-{log.stem}"
    subprocess.run([sys.executable, "-m", "scriptlab", "init", str(ws)], check=True,
                   capture_output=True)
    out = work / f"assign-{log.stem}.csv"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scriptlab", "mine", "-w", str(ws), str(log),
                           "--assignments", str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"scriptlab mine failed on {log}:\n{done.stdout}\n{done.stderr}")
    cost = {"wall_s": round(wall, 1),
            "cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1),
            "peak_rss_mb": round(after.ru_maxrss / 1024)}
    return pd.read_csv(out, dtype=str, keep_default_na=False), cost


def pair_scores(same: np.ndarray, y: np.ndarray) -> dict:
    tp = int((same & (y == 1)).sum())
    fp = int((same & (y == 0)).sum())
    fn = int((~same & (y == 1)).sum())
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def oracle_tfidf(a: list[str], b: list[str], y: np.ndarray, corpus: list[str]) -> dict:
    """Character 1-2gram TF-IDF cosine, at the threshold best on these very pairs."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import precision_recall_curve

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    vectorizer.fit(corpus)
    sims = np.asarray(vectorizer.transform(a).multiply(vectorizer.transform(b)).sum(1)).ravel()
    p, r, _ = precision_recall_curve(y, sims)
    f1 = 2 * p * r / np.maximum(p + r, 1e-9)
    best = int(np.argmax(f1))
    return {"precision": float(p[best]), "recall": float(r[best]), "f1": float(f1[best])}


def atec_rows(work: Path, copies: int) -> list[dict]:
    pairs = read_pairs(PAIRS)
    texts = sentences(pairs)
    log = work / "atec-dev.csv"
    write_chat_log(texts, log)
    assignments, cost = mine_log(log, work)
    session_group = dict(zip(assignments["session_id"], assignments["group"], strict=True))
    group = {t: session_group.get(f"s{i}", "") for i, t in enumerate(texts)}
    ga, gb = pairs["a"].map(group), pairs["b"].map(group)
    same = (ga.ne("") & ga.eq(gb)).to_numpy()
    y = pairs["y"].to_numpy()
    grouped = [g for g in group.values() if g]
    sizes = pd.Series(grouped).value_counts()
    note = (f"{len(grouped)}/{len(texts)} sentences taken as questions, {len(sizes)} groups, "
            f"largest {int(sizes.max()) if len(sizes) else 0}; {cost['wall_s']} s wall, "
            f"{cost['cpu_s']} s CPU, peak RSS {cost['peak_rss_mb']} MB")
    rows = [_row("ATEC dev pairs", "scriptlab mine", pair_scores(same, y), note)]
    odd = (pairs["id"].astype(int) % 2).to_numpy() == 1
    for name, part in (("odd ids", odd), ("even ids", ~odd)):
        rows.append(_row(f"ATEC dev pairs, {name}", "scriptlab mine",
                         pair_scores(same[part], y[part]), f"{int(part.sum())} pairs"))
    rows.append(_row("ATEC dev pairs", "TF-IDF char 1-2gram, oracle threshold",
                     oracle_tfidf(pairs["a"].tolist(), pairs["b"].tolist(), y, texts),
                     "threshold chosen on the same pairs"))
    rows.append(_row("ATEC dev pairs", "everything one group",
                     pair_scores(np.ones(len(y), bool), y), ""))
    if copies > 1:
        big = work / f"atec-dev-x{copies}.csv"
        write_chat_log(texts, big, copies=copies)
        _, cost = mine_log(big, work)
        messages = 2 * copies * len(texts)
        rows.append({"set": f"ATEC log x{copies} ({messages:,} messages)",
                     "method": "scriptlab mine (cost only)",
                     "note": f"{cost['wall_s']} s wall, {cost['cpu_s']} s CPU, "
                             f"peak RSS {cost['peak_rss_mb']} MB"})
    return rows


# -- Taobao dialogues and English helpdesk ---------------------------------------------------


def _prepared(texts: pd.Series) -> pd.DataFrame:
    from scriptlab.mine.pipeline import prepare_texts

    return prepare_texts(texts.astype(str).reset_index(drop=True))


def detection_scores(found: np.ndarray, truth: np.ndarray) -> dict:
    tp = int((found & truth).sum())
    p = tp / max(int(found.sum()), 1)
    r = tp / max(int(truth.sum()), 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-9)}


def taobao_rows(work: Path) -> list[dict]:
    chats = pd.read_csv(TAOBAO, dtype=str, keep_default_na=False)
    chats["turn"] = chats.groupby("session_id", sort=False).cumcount()
    chats["row"] = np.arange(len(chats))
    labels = pd.read_csv(TAOBAO_LABELS, dtype={"session_id": str, "intent": str},
                         keep_default_na=False)
    turns = labels.merge(chats, on=["session_id", "turn"], how="left", validate="one_to_one")
    truth = turns["is_question"].eq(1).to_numpy()
    found = _prepared(turns["text"])["is_question"].to_numpy(dtype=bool)
    naive = turns["text"].str.contains(NAIVE_QUESTION, regex=True).to_numpy()
    n = f"{len(turns)} customer turns, {int(truth.sum())} questions"
    rows = [_row("Taobao dialogues: detection", "scriptlab", detection_scores(found, truth), n),
            _row("Taobao dialogues: detection", "question mark or final 吗/呢/么",
                 detection_scores(naive, truth), "")]
    # Grouping: the mined groups of the labelled question turns, pairs of all of them.
    assignments, _ = mine_log(TAOBAO, work)
    by_row = dict(zip(assignments["message_id"].str.rsplit(":", n=1).str[-1].astype(int) - 2,
                      assignments["group"], strict=True))
    questions = turns[truth].reset_index(drop=True)
    group = questions["row"].map(by_row).fillna("").to_numpy()
    i, j = np.triu_indices(len(questions), k=1)
    y = (questions["intent"].to_numpy()[i] == questions["intent"].to_numpy()[j]).astype(int)
    same = (group[i] != "") & (group[i] == group[j])
    rows.append(_row("Taobao dialogues: grouping", "scriptlab mine", pair_scores(same, y),
                     f"{len(questions)} labelled questions, {int(y.sum())} same-intent pairs"))
    texts = questions["text"].tolist()
    rows.append(_row("Taobao dialogues: grouping", "TF-IDF char 1-2gram, oracle threshold, "
                     "perfect detection",
                     oracle_tfidf([texts[k] for k in i], [texts[k] for k in j], y, texts), ""))
    return rows


def intercom_rows() -> list[dict]:
    export = pd.read_csv(INTERCOM, dtype=str, keep_default_na=False)
    export["message_index"] = export.groupby("conversation_id", sort=False).cumcount()
    labels = pd.read_csv(INTERCOM_LABELS, dtype={"conversation_id": str})
    turns = labels.merge(export, on=["conversation_id", "message_index"], how="left",
                         validate="one_to_one")
    truth = turns["is_question"].eq(1).to_numpy()
    found = _prepared(turns["message_body"])["is_question"].to_numpy(dtype=bool)
    naive = turns["message_body"].str.contains(r"\?", regex=True).to_numpy()
    n = f"{len(turns)} customer messages, {int(truth.sum())} questions (a shipped fixture)"
    return [_row("English helpdesk: detection", "scriptlab", detection_scores(found, truth), n),
            _row("English helpdesk: detection", "question mark", detection_scores(naive, truth),
                 "")]


def lookup_section() -> list[dict]:
    try:
        from real_lookup import lookup_rows
    except ImportError:
        return [{"set": "ATEC lookup", "method": "-",
                 "note": "bench/real_lookup.py is absent: no lookup figures"}]
    rows = []
    for row in lookup_rows():
        rows.append({"set": "ATEC lookup (hit@1, hit@3)", "method": row["method"],
                     "hit@1": row["hit@1"], "hit@3": row["hit@3"],
                     "note": f"{row['n']} queries"})
    return rows


# -- the table ------------------------------------------------------------------------------


def _row(set_name: str, method: str, scores: dict, note: str) -> dict:
    return {"set": set_name, "method": method, **{k: round(v, 3) for k, v in scores.items()},
            "note": note}


COLUMNS = ["set", "method", "precision", "recall", "f1", "hit@1", "hit@3", "note"]


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        cells = []
        for column in COLUMNS:
            value = row.get(column, "")
            cells.append(f"{value:.3f}" if isinstance(value, float) else str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1,
                        help="Also mine the ATEC log this many times over (cost only).")
    args = parser.parse_args()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if PAIRS.exists():
            rows += atec_rows(work, args.copies)
        else:
            print(f"{PAIRS} is absent: no ATEC mining figures (see its README).")
        if TAOBAO.exists() and TAOBAO_LABELS.exists():
            rows += taobao_rows(work)
        else:
            print(f"{TAOBAO} or {TAOBAO_LABELS} is absent: no Taobao figures.")
        rows += intercom_rows()
        if PAIRS.exists():
            rows += lookup_section()
    print(markdown(rows))


if __name__ == "__main__":
    main()
