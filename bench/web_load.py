"""Load on `scriptlab serve` over loopback: many agents answering while reviewers rate.

A real `scriptlab serve` process on 127.0.0.1 and a free port; one asyncio client process
(httpx) plays every person. Each agent signs in through their link, opens the quiz, and
for each question saves a draft and submits the answer, with a think time between
actions (people type); reviewers sign in and rate answers in their blind queue as fast as
they can until the agents are done. Afterwards the database is checked: every agent's
last answer to every question is stored exactly once, and every rating that was saved
is there. Bounded: fixed counts, a time limit, loopback only.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CODE = re.compile(r"<code>([2-9A-Z]{6})</code>")
TIME_LIMIT = 600.0  # seconds: the run stops by itself


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_workspace(ws_path: Path, chat_file: Path, n_agents: int, n_questions: int,
                    n_reviewers: int):
    """Mine a sample log, a roster of `n_agents`, a quiz, users and one link each."""
    import pandas as pd

    from scriptlab.mine.workflow import mine_into_workspace
    from scriptlab.people.signin import invite_users
    from scriptlab.people.users import add_user
    from scriptlab.quiz.agents import import_agents
    from scriptlab.quiz.new import new_quiz
    from scriptlab.store.workspace import open_workspace

    ws = open_workspace(ws_path)
    mine_into_workspace(ws, [chat_file])
    roster = ws_path / "agents.csv"
    ids = [f"kf_{i:03d}" for i in range(1, n_agents + 1)]
    pd.DataFrame({"工号": ids, "姓名": [f"客服{i:03d}" for i in range(1, n_agents + 1)]}
                 ).to_csv(roster, index=False)
    import_agents(ws, roster)
    quiz = new_quiz(ws, week="2026-W47", size=n_questions, replace=True).quiz
    reviewers = [f"rev_{i}" for i in range(1, n_reviewers + 1)]
    for agent_id in ids:
        add_user(ws, agent_id, "agent")
    for name in reviewers:
        add_user(ws, name, "reviewer")
    links = {i.user.name: i.token for i in invite_users(ws, ids + reviewers)}
    return ws, quiz, ids, reviewers, links


class Stats:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)

    async def call(self, kind: str, coro):
        """The response, or None after a transport error (counted, never retried)."""
        import httpx

        start = time.perf_counter()
        try:
            response = await coro
        except httpx.HTTPError as exc:
            self.errors[f"{kind} {type(exc).__name__}"] += 1
            return None
        self.times[kind].append(time.perf_counter() - start)
        if response.status_code >= 500 or (response.status_code >= 400 and kind != "rate"):
            self.errors[f"{kind} {response.status_code}"] += 1
        return response


async def sign_in(client, stats: Stats, token: str) -> bool:
    page = await stats.call("sign-in page", client.get(f"/signin/{token}"))
    if page is None or page.status_code != 200:
        return False
    csrf = CSRF.search(page.text).group(1)
    done = await stats.call("sign-in", client.post(f"/signin/{token}", data={"csrf": csrf}))
    return done is not None and done.status_code == 303


async def agent(base: str, token: str, agent_id: str, week: str, question_ids: list[int],
                stats: Stats, think: float, rng: random.Random, sent: dict) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60) as client:
        await asyncio.sleep(rng.uniform(0, think * 2))  # people arrive over a while
        if not await sign_in(client, stats, token):
            return
        page = await stats.call("quiz page", client.get(f"/quiz/{week}"))
        if page is None:
            return
        csrf = CSRF.search(page.text).group(1)
        # what a browser fetches with the page: the in-run peer (no database, no template)
        await stats.call("static file (peer)", client.get("/static/desk.css"))
        for qid in question_ids:
            text = f"亲，{agent_id} 对第{qid}题的回答，48小时内发货哦~"
            await asyncio.sleep(rng.expovariate(1 / think))
            await stats.call("draft", client.post(f"/quiz/{week}/draft", data={
                "csrf": csrf, "question_id": str(qid), "text": text[:10]}))
            await asyncio.sleep(rng.expovariate(1 / think))
            done = await stats.call("submit", client.post(f"/quiz/{week}", data={
                "csrf": csrf, f"answer_{qid}": text}))
            if done is not None and done.status_code == 303:
                sent[(agent_id, qid)] = text


async def reviewer(base: str, token: str, week: str, stats: Stats, stop: asyncio.Event,
                   rubric: int, saved: list, max_ratings: int, think: float,
                   rng: random.Random) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60) as client:
        if not await sign_in(client, stats, token):
            return
        rated: set[str] = set()
        while not stop.is_set() and len(rated) < max_ratings:
            queue = await stats.call("review queue", client.get(f"/review/{week}"))
            if queue is None:
                continue
            todo = [c for c in CODE.findall(queue.text) if c not in rated]
            if not todo:
                await asyncio.sleep(0.5)
                continue
            for code in todo[:10]:
                item = await stats.call("review item", client.get(f"/review/{week}/{code}"))
                if item is None or item.status_code != 200:
                    continue
                csrf = CSRF.search(item.text).group(1)
                await asyncio.sleep(rng.expovariate(1 / think))  # reading the answer
                values = {f"dim_{d}": str(1 + (hash(code) + d) % 5) for d in range(rubric)}
                done = await stats.call("rate", client.post(f"/review/{week}/{code}",
                                                            data={"csrf": csrf, **values}))
                if done is not None and done.status_code == 303:
                    rated.add(code)
                    saved.append(code)
                if stop.is_set() or len(rated) >= max_ratings:
                    break


async def drive(base: str, ids, reviewers, links, week, question_ids, rubric: int,
                think: float, seed: int):
    stats = Stats()
    sent: dict = {}
    saved: dict[str, list] = {r: [] for r in reviewers}
    stop = asyncio.Event()
    rng = random.Random(seed)
    agents = [asyncio.create_task(agent(base, links[a], a, week, question_ids, stats, think,
                                        random.Random(rng.random()), sent)) for a in ids]
    raters = [asyncio.create_task(reviewer(base, links[r], week, stats, stop, rubric,
                                           saved[r], len(ids) * len(question_ids),
                                           think / 2, random.Random(rng.random())))
              for r in reviewers]
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    await asyncio.wait_for(asyncio.gather(*agents), TIME_LIMIT)
    stop.set()
    await asyncio.wait_for(asyncio.gather(*raters), 60)
    stats.load = (load_before, os.getloadavg()[0])
    return stats, sent, saved, time.perf_counter() - start


def check_store(ws, quiz_id: int, sent: dict, saved: dict[str, list], rubric: int) -> dict:
    import sqlalchemy as sa

    from scriptlab.store import schema

    a, r = schema.answers, schema.ratings
    with ws.engine.connect() as conn:
        stored = conn.execute(sa.select(a.c.agent_id, a.c.question_id, a.c.text)
                              .where(a.c.quiz_id == quiz_id)).all()
        ratings = conn.execute(sa.select(r.c.reviewer, sa.func.count())
                               .group_by(r.c.reviewer)).all()
    keys = [(row.agent_id, row.question_id) for row in stored]
    texts = {(row.agent_id, row.question_id): row.text for row in stored}
    return {
        "answers sent": len(sent), "answers stored": len(stored),
        "duplicates": len(keys) - len(set(keys)),
        "lost": sum(1 for k in sent if k not in texts),
        "wrong text": sum(1 for k, t in sent.items() if texts.get(k) not in (None, t)),
        "ratings saved": sum(len(v) for v in saved.values()) * rubric,
        "ratings stored": sum(n for _, n in ratings),
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_serve(ws_path: Path, chat_file: Path, *, n_agents: int, n_questions: int,
                n_reviewers: int, think: float, seed: int = 3, store: str = "SQLite in WAL",
                summary: dict | None = None) -> list[str]:
    """Run the load; `store` names the database in the report, `summary` (if given) gets
    the headline figures for a side-by-side table."""
    ws, quiz, ids, reviewers, links = build_workspace(ws_path, chat_file, n_agents,
                                                      n_questions, n_reviewers)
    question_ids = [q.id for q in quiz.questions]
    rubric = len(ws.settings.scoring.rubric)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = ws_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "scriptlab", "serve", "-w",
                                   str(ws_path), "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=out, stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        _wait_up(base, server)
        stats, sent, saved, wall = asyncio.run(drive(base, ids, reviewers, links, quiz.week,
                                                     question_ids, rubric, think, seed))
    finally:
        server.terminate()
        server.wait(timeout=20)
    check = check_store(ws, quiz.id, sent, saved, rubric)
    every = [t for ts in stats.times.values() for t in ts]
    if summary is not None:
        summary.update(wall=wall, requests=len(every), rate=len(every) / wall,
                       p50={k: statistics.median(v) for k, v in stats.times.items()},
                       p99={k: percentile(v, 0.99) for k, v in stats.times.items()},
                       all=(statistics.median(every), percentile(every, 0.99)),
                       check=check, errors=dict(stats.errors))
    lines = ["", f"## `scriptlab serve` under load ({store.split(' ')[0]})", "",
             f"{n_agents} agents each submitting {n_questions} answers (a draft save before "
             f"each, think time exponential with mean {think:g} s between actions) while "
             f"{n_reviewers} reviewers rate (half that think time per answer); one "
             f"`scriptlab serve` process (uvicorn, one worker, {store}) and one asyncio "
             "client process on the same "
             f"2 cores, over 127.0.0.1. Wall {wall:.1f} s, {len(every):,} requests, "
             f"{len(every) / wall:.0f} requests/s. Machine load average (1 min) "
             f"{stats.load[0]:.1f} at the start, {stats.load[1]:.1f} at the end (other "
             "work shares these 2 cores).", "",
             "| request | count | p50 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for kind, times in [*sorted(stats.times.items()), ("all", every)]:
        lines.append(f"| {kind} | {len(times):,} | {1000 * statistics.median(times):.1f} | "
                     f"{1000 * percentile(times, 0.99):.1f} | {1000 * max(times):.1f} |")
    peer = statistics.median(stats.times["static file (peer)"])
    lines += ["", "Against the in-run peer (a static file, no database or template): "
              + ", ".join(f"{k} ×{statistics.median(v) / peer:.1f}"
                          for k, v in sorted(stats.times.items()) if "peer" not in k)
              + " (median latency ratios)."]
    lines += ["", "Check afterwards (database): " + ", ".join(f"{k} {v:,}"
                                                          for k, v in check.items())
              + "; errors: " + (", ".join(f"{k} ×{v}" for k, v in stats.errors.items())
                                or "none") + ". Goal: p99 ≤ 300 ms, nothing lost or duplicated.",
              ""]
    print("\n".join(lines), flush=True)
    intact = (check["lost"] == check["duplicates"] == check["wrong text"] == 0
              # a submit whose reply got lost may be stored without the client knowing
              and check["answers sent"] <= check["answers stored"] <= len(question_ids) * n_agents
              and check["ratings stored"] >= check["ratings saved"])
    if not intact:  # what the server said it stored is not what is there
        raise RuntimeError("serve load: answers or ratings lost or duplicated:\n"
                           + "\n".join(lines))
    if stats.errors or check["answers sent"] < n_agents * n_questions:
        print("serve load: some requests failed (see errors above)", flush=True)
    return lines


def _wait_up(base: str, server: subprocess.Popen) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("scriptlab serve did not start") from None
            time.sleep(0.2)
