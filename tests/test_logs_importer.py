"""Importing chat logs into the workspace: masked, atomic, idempotent."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from scriptlab.errors import ScriptlabError
from scriptlab.logs.importer import import_chat_logs
from scriptlab.store import schema


def chat(path: Path, texts: list[str], session: str = "s1") -> Path:
    rows = [
        {"会话ID": session, "时间": f"2026-11-02 10:00:{i:02d}", "发送方": "买家", "内容": t}
        for i, t in enumerate(texts)
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def count(ws, table: sa.Table) -> int:
    with ws.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_import_masks_personal_data(workspace, tmp_path: Path) -> None:
    path = chat(tmp_path / "a.csv", ["我电话13812345678，订单238512345678901234怎么还没发", "好的"])
    (result,) = import_chat_logs(workspace, [path])
    assert result.status == "imported" and result.stats.messages == 2
    with workspace.engine.connect() as conn:
        texts = conn.execute(sa.select(schema.messages.c.text)).scalars().all()
    assert texts[0] == "我电话<手机号>，订单<订单号>怎么还没发"
    assert not any("13812345678" in t or "2385123456" in t for t in texts)


def test_same_file_twice_is_a_no_op(workspace, tmp_path: Path) -> None:
    path = chat(tmp_path / "a.csv", ["包邮吗", "几天到"])
    import_chat_logs(workspace, [path])
    (again,) = import_chat_logs(workspace, [path])
    assert again.status == "already imported"
    assert count(workspace, schema.messages) == 2
    assert count(workspace, schema.imports) == 1


def test_a_bad_file_rolls_back_the_whole_import(workspace, tmp_path: Path) -> None:
    good = chat(tmp_path / "good.csv", ["包邮吗", "几天到", "能开发票吗"])
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{"会话ID": "s", "时间": "not a time", "发送方": "买家", "内容": "x"}]).to_csv(
        bad, index=False)
    with pytest.raises(ScriptlabError, match="cannot read the time 'not a time'"):
        import_chat_logs(workspace, [good, bad])
    assert count(workspace, schema.messages) == 0
    assert count(workspace, schema.imports) == 0


def test_a_failure_mid_file_leaves_nothing(workspace, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a file that breaks after some chunks were written leaves no trace."""
    import scriptlab.logs.importer as importer

    path = chat(tmp_path / "a.csv", [f"问题{i}吗" for i in range(50)])
    original = importer.iter_chat_log

    def chunks_then_fail(*args, **kwargs):
        kwargs["chunksize"] = 10
        for n, chunk in enumerate(original(*args, **kwargs)):
            if n == 3:
                raise ScriptlabError("disk on fire")
            yield chunk

    monkeypatch.setattr(importer, "iter_chat_log", chunks_then_fail)
    with pytest.raises(ScriptlabError, match="disk on fire"):
        import_chat_logs(workspace, [path])
    assert count(workspace, schema.messages) == 0
