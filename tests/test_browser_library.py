"""The published index.html in a real browser (headless Debian Chromium, driven by Playwright):
search as you type, markup shown as text, category filter, copy button, and the JavaScript
ranking agreeing with `scriptlab lookup` on the same queries."""

from __future__ import annotations

import re

import pytest
from browser_fixtures import BROWSER_MARKS
from library_fixtures import INTENTS, NOW, build_workspace, intent_by_key

from scriptlab.library import approval
from scriptlab.library.lookup import Searcher
from scriptlab.library.publish import publish

EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'

pytestmark = BROWSER_MARKS

PARITY_QUERIES = [
    *[q for intent in INTENTS for q in intent.heldout],
    "亲，在吗？拍下后几天能发货呀", "請問可以開發票嗎", "ＳＦ顺丰能发吗？？？", "尺寸偏大吗[微笑]",
    "今天天气怎么样", "abc", "在吗", "谢谢", "XL码有货吗", "<script>", "退款 退货 七天",
    "亲子装有吗", "亲，这个适合送给母亲吗", "亲亲",
    "when will my order be shipped", "returning items", "sizes and prices", "boxes",
]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    from scriptlab.store.workspace import init_workspace

    ws, _ = init_workspace(tmp_path_factory.mktemp("browser") / "ws")
    built = build_workspace(ws, INTENTS, scripts={"usage": EVIL})
    for intent in INTENTS:
        approval.approve(ws, built.topic[intent.key], by="lead", now=NOW)
    return publish(ws, by="lead", now=NOW)


@pytest.fixture
def page(browser, published):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message),
                                      dialog.dismiss()))
    page.goto((published.out_dir / "index.html").as_uri())
    yield page
    assert errors == []
    context.close()


def visible_ids(page) -> list[int]:
    return [int(x) for x in page.eval_on_selector_all(
        "#entries article:not([hidden])", "els => els.map(e => e.dataset.id)")]


def entry_id(published, key: str) -> int:
    question = intent_by_key(key).question
    return next(e.id for e in published.library.entries if e.question == question)


def test_typing_a_paraphrase_puts_its_entry_first(page, published) -> None:
    assert len(visible_ids(page)) == len(INTENTS)
    assert page.text_content("#version") == "v1"
    page.fill("#q", "付了款一般几天发出去")
    assert visible_ids(page)[0] == entry_id(published, "ship_time")
    assert page.is_hidden("#nomatch")
    first = page.locator("#entries article:not([hidden])").first
    assert first.locator(".score").text_content() != ""
    page.fill("#q", "")
    assert len(visible_ids(page)) == len(INTENTS)


def test_markup_in_a_script_is_shown_as_text(page, published) -> None:
    usage = entry_id(published, "usage")
    script = page.locator(f'article[data-id="{usage}"] .script')
    assert script.text_content() == EVIL
    assert script.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_category_filter(page, published) -> None:
    page.select_option("#category", "支付")
    ids = visible_ids(page)
    assert ids and all(
        page.get_attribute(f'article[data-id="{i}"]', "data-category") == "支付" for i in ids)
    page.fill("#q", "能开发票吗")
    assert visible_ids(page)[0] == entry_id(published, "invoice")
    page.fill("#q", "多久发货")  # a 物流 question: filtered out
    assert entry_id(published, "ship_time") not in visible_ids(page)
    page.select_option("#category", "")
    assert visible_ids(page)[0] == entry_id(published, "ship_time")


def test_no_good_match_notice(page) -> None:
    page.fill("#q", "今天天气怎么样")
    assert page.is_visible("#nomatch")
    assert 0 < len(visible_ids(page)) <= 3


def test_copy_button(page) -> None:
    from playwright.sync_api import expect

    button = page.locator("#entries article button.copy").first
    button.click()
    # Copying is asynchronous (the clipboard API answers with a promise): wait for the label.
    expect(button).to_have_text(re.compile("已复制 Copied|请手动复制 Copy by hand"), timeout=1000)


def test_javascript_ranks_like_python(page, published) -> None:
    searcher = Searcher(published.library)
    for query in PARITY_QUERIES:
        js = page.evaluate("q => window.scriptlabFaq.search(q, 5)", query)
        py = searcher.index.search(query, 5)
        assert [h["index"] for h in js] == [h.index for h in py], query
        assert [round(h["score"], 9) for h in js] == [round(h.score, 9) for h in py], query
        assert [h["matched"] for h in js] == [h.matched for h in py], query
        assert page.evaluate("q => window.scriptlabFaq.normalize(q)", query) == (
            searcher.index.normalize(query)), query


def test_javascript_prunes_candidates_like_python(browser, tmp_path, monkeypatch) -> None:
    """On a bigger library with a tiny postings budget and candidate list, both sides take
    the same shortcut (the budgeted first pass, then exact scores of the best few)."""
    from library_fixtures import entry_json, faq_document

    from scriptlab.library import search
    from scriptlab.library.faq import parse_faq
    from scriptlab.library.render import HTML_TEMPLATE, render_template

    monkeypatch.setattr(search, "POSTINGS_BUDGET", 40)
    monkeypatch.setattr(search, "CANDIDATES", 4)
    entries = [entry_json(len(INTENTS) * k + n, i.question, i.variants[k:] + i.variants[:k],
                          i.script + ("" if k == 0 else f"（第{k}款）"))
               for k in range(4) for n, i in enumerate(INTENTS, start=1)]
    library = parse_faq(faq_document(entries))
    page_file = tmp_path / "index.html"
    page_file.write_text(render_template(HTML_TEMPLATE, library, None), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        index = Searcher(library).index
        for query in PARITY_QUERIES:
            js = page.evaluate("q => window.scriptlabFaq.search(q, 5)", query)
            py = index.search(query, 5)
            assert [(h["index"], round(h["score"], 9), h["matched"]) for h in js] == [
                (h.index, round(h.score, 9), h.matched) for h in py], query
    finally:
        context.close()
