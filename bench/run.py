"""Benchmarks: mining at scale, lookup latency, scoring throughput.

    python bench/run.py            # full: mine 100k/1M/5M, lookup 500/5,000, score 200×20×3
    python bench/run.py --quick    # smoke test (CI): tiny sizes, one run each
    python bench/run.py --only mine --sizes 100000,1000000
    python bench/run.py --only serve   # 200 agents × 15 answers while 3 reviewers rate

Inputs come from the sample generator (`scriptlab.sample`), cached under bench/out/.
Each figure is the median of `--repeat` runs (default 3) with min–max. Full runs write
bench/RESULTS.md; quick runs write bench/out/RESULTS-quick.md (CI must not touch the
committed results).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Run, machine, run_measured, spread  # noqa: E402

OUT = HERE / "out"
SCRIPTLAB = [sys.executable, "-m", "scriptlab"]
TARGETS = {
    "mine_1m_seconds": 30.0, "mine_1m_rss_mb": 1536.0, "mine_5m_seconds": 150.0,
    "lookup_p99_ms": 10.0, "lookup_cold_s": 1.0, "score_seconds": 10.0,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument("--only", default="mine,lookup,score,serve",
                        help="comma-separated sections: mine, lookup, score, serve")
    parser.add_argument("--sizes", default=None, help="mining sizes, e.g. 100000,1000000")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 3)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else [20_000] if args.quick else [100_000, 1_000_000, 5_000_000])
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    OUT.mkdir(parents=True, exist_ok=True)

    lines = ["# Benchmark results", "", f"Run {time.strftime('%Y-%m-%d %H:%M')} with "
             f"`python bench/run.py {' '.join(argv if argv is not None else sys.argv[1:])}`"
             f"; each figure is the median of {repeat} run(s), (min–max).", "", "## Machine", ""]
    lines += machine()
    runners = {
        "mine": lambda: bench_mine(sizes, repeat),
        "lookup": lambda: bench_lookup([100, 500] if args.quick else [500, 5_000], repeat,
                                       queries=500 if args.quick else 10_000),
        "score": lambda: bench_score((10, 5, 3) if args.quick else (200, 20, 3), repeat),
        "serve": lambda: bench_serve_section(args.quick),
    }
    for name, runner in runners.items():
        saved = OUT / f"section-{name}.md"
        if name in sections:
            section = runner()
            if not args.quick:  # a later run of other sections keeps this one
                saved.write_text("\n".join(section), encoding="utf-8")
        elif saved.exists() and not args.quick:
            section = saved.read_text(encoding="utf-8").splitlines()
        else:
            continue
        lines += section
    target = OUT / "RESULTS-quick.md" if args.quick else HERE / "RESULTS.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwrote {target}")
    return 0


# -- mining ---------------------------------------------------------------------------------


def chat_file(n: int) -> Path:
    """A generated chat log of `n` messages (cached; the generator is deterministic)."""
    from scriptlab.sample.generator import write_chat_log

    path = OUT / "cache" / f"chats-{n}.csv"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"generating {n:,} messages …", flush=True)
        write_chat_log(path, n, seed=11, weeks=6, labels_path=path.with_suffix(".labels.csv"))
    return path


def fresh_workspace(name: str, db_url: str | None = None) -> Path:
    from scriptlab.store.workspace import init_workspace

    ws = OUT / "ws" / name
    if ws.exists():
        shutil.rmtree(ws)
    init_workspace(ws, db_url=db_url)
    return ws


def bench_mine(sizes: list[int], repeat: int) -> list[str]:
    lines = ["", "## `scriptlab mine`, end to end", "",
             "Read → normalise → mask → detect → group → rank → store → report, as one process "
             "(`scriptlab mine FILE -w WS`, fresh workspace each run). Peak RSS is that process's "
             "(and its worker processes', which are counted separately by the OS: the figure is "
             "the largest single process).", "",
             "| messages | wall s | peak RSS MB | messages/s | target |",
             "|---:|---:|---:|---:|---|"]
    timings: dict[int, dict] = {}
    for n in sizes:
        path = chat_file(n)
        runs: list[Run] = []
        for i in range(repeat):
            ws = fresh_workspace(f"mine-{n}-{i}")
            runs.append(run_measured([*SCRIPTLAB, "mine", str(path), "-w", str(ws)]))
            timings[n] = stage_timings(ws)
        secs = [r.seconds for r in runs]
        rss = [r.peak_rss_mb for r in runs]
        target = ("≤ 30 s, ≤ 1.5 GB" if n == 1_000_000 else "≤ 150 s, flat memory"
                  if n == 5_000_000 else "")
        lines.append(f"| {n:,} | {spread(secs)} | {spread(rss, '{:.0f}')} | "
                     f"{statistics.median(n / s for s in secs):,.0f} | {target} |")
        print(lines[-1], flush=True)
    lines += ["", "Where the time goes (seconds per stage, last run of each size, as recorded "
              "by the pipeline in the run's stats):", ""]
    order = ["read+clean+detect", "group", "rank", "store", "report"]
    found = {k for t in timings.values() for k in t}
    stages = [s for s in order if s in found] + sorted(found - set(order))
    if stages:
        lines += ["| messages | " + " | ".join(stages) + " |",
                  "|---:|" + "---:|" * len(stages)]
        for n, t in timings.items():
            lines.append(f"| {n:,} | " + " | ".join(f"{t.get(s, 0):.2f}" for s in stages) + " |")
    else:
        lines.append("(the pipeline recorded no per-stage timings)")
    return lines


def stage_timings(ws: Path) -> dict[str, float]:
    """Per-stage seconds stored with the workspace's latest mining run, if any."""
    import sqlalchemy as sa

    from scriptlab.store import schema
    from scriptlab.store.workspace import open_workspace

    workspace = open_workspace(ws)
    with workspace.engine.connect() as conn:
        stats = conn.execute(sa.select(schema.mine_runs.c.stats)
                             .order_by(schema.mine_runs.c.id.desc()).limit(1)).scalar()
    workspace.engine.dispose()
    return dict((stats or {}).get("timings", {}))


# -- lookup ---------------------------------------------------------------------------------


def synthetic_library(n_entries: int, seed: int = 5):
    """A library of `n_entries` distinct entries: intents × products, as a big shop has."""
    from scriptlab.library.faq import FaqEntry, FaqLibrary
    from scriptlab.sample.generator import phrasings
    from scriptlab.sample.intents import INTENTS

    rng = random.Random(seed)
    products = [f"{a}{b}" for a in ("加绒", "纯棉", "真丝", "羊毛", "北欧", "日式", "儿童",
                                     "男士", "女士", "便携", "大号", "迷你")
                for b in ("卫衣", "毛衣", "衬衫", "收纳盒", "台灯", "抱枕", "床单", "拖鞋",
                          "围巾", "水杯", "地毯", "雨伞")]
    entries = []
    queries = []
    for i in range(n_entries):
        intent = INTENTS[i % len(INTENTS)]
        product = products[(i // len(INTENTS)) % len(products)]
        pool = list(phrasings(intent.key, "log"))
        rng.shuffle(pool)
        variants = tuple(f"{product}{p}" for p in pool[:12])
        queries += [f"{product}{p}" for p in pool[12:14]]
        entries.append(FaqEntry(
            id=i + 1, topic_id=i + 1, category=intent.category, tags=(product,),
            question=variants[0], variants=variants[1:], script=intent.good_answer,
            author_agent_id="kf_01", author_agent_name="王小丽", score=0.8,
            quiz_week="2026-W47", version=1, approved_by="bench", approved_at="2026-11-20",
            updated_at="2026-11-20"))
    library = FaqLibrary(version=1, published_at="2026-11-20T00:00:00", published_by="bench",
                         changelog={"added": [], "changed": [], "retired": []},
                         min_confidence=0.12, synonyms={}, entries=tuple(entries))
    return library, queries


def bench_lookup(sizes: list[int], repeat: int, queries: int) -> list[str]:
    from scriptlab.library.lookup import Searcher

    lines = ["", "## Lookup", "",
             f"In-process `Searcher.lookup(query, top=3)` over {queries:,} queries (customer "
             "phrasings of the entries' intents, with product names), after the index is built; "
             "and `scriptlab lookup` as a whole process (cold start) on the same faq.json.", "",
             "| entries | index build ms | p50 ms | p99 ms | CLI cold start s | first lookup "
             "without saved index s | target |",
             "|---:|---:|---:|---:|---:|---:|---|"]
    for n in sizes:
        library, pool = synthetic_library(n)
        rng = random.Random(n)
        sample = [rng.choice(pool) for _ in range(queries)]
        builds, p50s, p99s = [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            searcher = Searcher(library)
            builds.append((time.perf_counter() - start) * 1000)
            times = []
            for query in sample:
                t = time.perf_counter()
                searcher.lookup(query, top=3)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p50s.append(times[len(times) // 2])
            p99s.append(times[min(len(times) - 1, int(len(times) * 0.99))])
        faq = OUT / f"faq-{n}.json"
        faq.write_text(json.dumps(library.to_json(), ensure_ascii=False), encoding="utf-8")
        faq.with_suffix(".index").unlink(missing_ok=True)
        lookup = [sys.executable, "-m", "scriptlab", "lookup"]
        # The first lookup of a faq.json without its saved index builds and saves it
        # (`scriptlab publish` writes the index, so agents normally never pay this).
        first = run_measured([*lookup, sample[0], "--library", str(faq)]).seconds
        cold = [run_measured([*lookup, sample[i], "--library", str(faq)]).seconds
                for i in range(1, max(repeat, 3) + 1)]
        target = "p99 ≤ 10 ms, cold ≤ 1.0 s" if n == 5_000 else ""
        lines.append(f"| {n:,} | {spread(builds, '{:.0f}')} | {spread(p50s)} | {spread(p99s)} | "
                     f"{spread(cold)} | {first:.2f} | {target} |")
        print(lines[-1], flush=True)
    return lines


# -- scoring --------------------------------------------------------------------------------


def bench_score(shape: tuple[int, int, int], repeat: int) -> list[str]:
    n_agents, n_questions, n_reviewers = shape
    ws_path = fresh_workspace(f"score-{n_agents}")
    ws, week = score_workspace(ws_path, n_agents, n_questions)
    runs = [run_measured([*SCRIPTLAB, "score", "--quiz", week, "-w", str(ws_path)])
            for _ in range(repeat)]
    import sqlalchemy as sa

    from scriptlab.store import schema

    with ws.engine.connect() as conn:
        answers = conn.execute(sa.select(sa.func.count()).select_from(schema.answers)).scalar()
        ratings = conn.execute(sa.select(sa.func.count()).select_from(schema.ratings)).scalar()
    lines = ["", "## `scriptlab score`", "",
             f"{n_agents} agents × {n_questions} questions × {n_reviewers} reviewers "
             f"({answers:,} answers, {ratings:,} ratings): the whole `scriptlab score --quiz "
             f"{week}` process (signals, bias correction, agreement, winners, report, "
             "CSV/XLSX exports).", "",
             "| answers | ratings | wall s | peak RSS MB | target |", "|---:|---:|---:|---:|---|",
             f"| {answers:,} | {ratings:,} | {spread([r.seconds for r in runs])} | "
             f"{spread([r.peak_rss_mb for r in runs], '{:.0f}')} | ≤ 10 s |"]
    print(lines[-1], flush=True)
    return lines


def score_workspace(ws_path: Path, n_agents: int, n_questions: int):
    """Mine a sample, import a roster, make a quiz, then answer, review and rate it."""
    import pandas as pd

    from scriptlab.demo.scoring import demo_step
    from scriptlab.mine.workflow import mine_into_workspace
    from scriptlab.quiz.agents import import_agents
    from scriptlab.quiz.new import new_quiz
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(ws_path)
    mine_into_workspace(ws, [chat_file(30_000)])
    roster = ws_path / "agents.csv"
    pd.DataFrame({"工号": [f"kf_{i:03d}" for i in range(1, n_agents + 1)],
                  "姓名": [f"客服{i:03d}" for i in range(1, n_agents + 1)]}).to_csv(
        roster, index=False)
    import_agents(ws, roster)
    quiz = new_quiz(ws, week="2026-W47", size=n_questions, replace=True).quiz
    demo_step(ws)  # simulated answers + 3 reviewers' sheets, imported through the real code
    return ws, quiz.week


def bench_serve_section(quick: bool) -> list[str]:
    """200 agents × 15 answers while 3 reviewers rate (quick: 10 × 3, 1 reviewer).

    With $SCRIPTLAB_BENCH_PG (a PostgreSQL admin URL, e.g. the one `.ci/pg-cluster start`
    prints as SCRIPTLAB_TEST_PG) the same load runs again on a fresh PostgreSQL database,
    and a side-by-side table follows.
    """
    from web_load import bench_serve

    shape = (10, 3, 1) if quick else (200, 15, 3)
    load = {"n_agents": shape[0], "n_questions": shape[1], "n_reviewers": shape[2],
            "think": 0.2 if quick else 3.0}
    sqlite: dict = {}
    lines = bench_serve(fresh_workspace(f"serve-{shape[0]}"), chat_file(30_000), **load,
                        summary=sqlite)
    admin = os.environ.get("SCRIPTLAB_BENCH_PG")
    if not admin:
        return lines + ["PostgreSQL: not run (set SCRIPTLAB_BENCH_PG to a server URL).", ""]
    postgres: dict = {}
    lines += bench_serve(fresh_workspace(f"serve-{shape[0]}-pg", pg_database(admin)),
                         chat_file(30_000), **load, summary=postgres,
                         store="PostgreSQL 15 on a Unix socket, psycopg 3")
    return lines + serve_side_by_side(sqlite, postgres)


def pg_database(admin_url: str) -> str:
    """A fresh database on the server (dropped first if a previous run left it)."""
    import sqlalchemy as sa

    from scriptlab.store.postgres import parse_url

    url = parse_url(admin_url)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS scriptlab_bench_serve WITH (FORCE)")
        conn.exec_driver_sql("CREATE DATABASE scriptlab_bench_serve")
    engine.dispose()
    return url.set(drivername="postgresql", database="scriptlab_bench_serve").render_as_string(
        hide_password=False)


def serve_side_by_side(sqlite: dict, postgres: dict) -> list[str]:
    lines = ["", "### Side by side: the same load on SQLite and on PostgreSQL", "",
             "| | SQLite p50 ms | SQLite p99 ms | PostgreSQL p50 ms | PostgreSQL p99 ms |",
             "|---|---:|---:|---:|---:|"]
    for kind in sorted(sqlite["p50"]):
        lines.append(f"| {kind} | {1000 * sqlite['p50'][kind]:.1f} | "
                     f"{1000 * sqlite['p99'][kind]:.1f} | "
                     f"{1000 * postgres['p50'].get(kind, float('nan')):.1f} | "
                     f"{1000 * postgres['p99'].get(kind, float('nan')):.1f} |")
    lines.append(f"| all | {1000 * sqlite['all'][0]:.1f} | {1000 * sqlite['all'][1]:.1f} | "
                 f"{1000 * postgres['all'][0]:.1f} | {1000 * postgres['all'][1]:.1f} |")
    lines += ["", f"Requests/s: SQLite {sqlite['rate']:.0f}, PostgreSQL {postgres['rate']:.0f}; "
              f"lost/duplicated: SQLite {sqlite['check']['lost']}/"
              f"{sqlite['check']['duplicates']}, PostgreSQL {postgres['check']['lost']}/"
              f"{postgres['check']['duplicates']}.", ""]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
