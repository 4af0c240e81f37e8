/* The FAQ page: search as you type, category filter, copy buttons. The entries are already
   on the page (rendered and escaped by the template); this code only orders, hides and
   labels them, writing text only with textContent (no HTML parsing of data). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("faq-data").textContent);
  var cfg = data.search;
  var MAX_RESULTS = 10, NEAREST = 3;
  var docs = data.entries.map(function (e) {
    return {phrasings: [e.question].concat(e.variants), script: e.script};
  });
  var built = null;
  /* The search index, built on first use (or just after the page shows, see the end), so a
     library of thousands of entries appears at once and is searchable a moment later. */
  function index() {
    if (built === null) built = new ScriptlabSearch.SearchIndex(docs, cfg);
    return built;
  }
  var list = document.getElementById("entries");
  var byId = {};
  Array.prototype.forEach.call(list.children, function (article) {
    byId[article.dataset.id] = article;
  });
  var articles = data.entries.map(function (e) { return byId[String(e.id)]; });
  var current = data.entries.map(function (_, i) { return i; });  // shown, in page order
  var box = document.getElementById("q"), select = document.getElementById("category");
  var status = document.getElementById("status"), nomatch = document.getElementById("nomatch");

  window.scriptlabFaq = {
    search: function (query, top) { return index().search(query, top); },
    normalize: function (text) { return index().normalizer.normalize(text); }
  };

  function inCategory(i) {
    return !select.value || data.entries[i].category === select.value;
  }

  /* Show the entries `order` (indexes), in that order, with their scores and matched
     phrasings; only the entries shown before or now are touched, so typing stays fast on
     thousands of entries. */
  function show(order, scores, matched) {
    var next = new Set(order);
    current.forEach(function (i) {
      if (!next.has(i)) {
        articles[i].hidden = true;
        label(i, null, null);
      }
    });
    var same = !scores && order.length === current.length &&
      order.every(function (i, k) { return current[k] === i; });
    order.forEach(function (i) {
      if (!same) list.appendChild(articles[i]);
      articles[i].hidden = false;
      label(i, scores, matched);
    });
    current = order;
  }

  function label(i, scores, matched) {
    var article = articles[i];
    var badge = article.querySelector(".score"), hint = article.querySelector(".matched");
    badge.textContent = scores ? scores[i].toFixed(2) : "";
    badge.hidden = !scores;
    var text = matched && matched[i] && matched[i] !== data.entries[i].question ? matched[i] : "";
    hint.querySelector("span").textContent = text;
    hint.hidden = !text;
  }

  function update() {
    var query = box.value.trim();
    if (!query) {
      var all = [];
      data.entries.forEach(function (_, i) { if (inCategory(i)) all.push(i); });
      show(all, null, null);
      nomatch.hidden = true;
      status.textContent = all.length + " 条话术 entries";
      return;
    }
    var hits = index().search(query, cfg.candidates)
      .filter(function (h) { return inCategory(h.index); });
    var confident = hits.length > 0 && hits[0].score >= cfg.min_confidence;
    var keep = confident
      ? hits.filter(function (h) { return h.score >= cfg.min_confidence; }).slice(0, MAX_RESULTS)
      : hits.slice(0, NEAREST);
    var scores = {}, matched = {};
    keep.forEach(function (h) { scores[h.index] = h.score; matched[h.index] = h.matched; });
    show(keep.map(function (h) { return h.index; }), scores, matched);
    nomatch.hidden = confident;
    status.textContent = confident
      ? "找到 " + keep.length + " 条 matches"
      : (keep.length ? "最接近的 " + keep.length + " 条 nearest" : "没有匹配 No match");
  }

  /* Fill-in slots ({订单号}): what the agent types replaces the slot in the shown script, so
     the copied text is the filled one. A copy with empty slots asks for them first; a second
     click copies as it is. */
  function fillIn(input) {
    var article = input.closest("article"), name = input.dataset.var;
    article.querySelectorAll("mark.var").forEach(function (mark) {
      if (mark.dataset.var !== name) return;
      mark.textContent = input.value || "{" + name + "}";
      mark.classList.toggle("filled", !!input.value);
    });
    var button = article.querySelector("button.copy");
    if (button.dataset.warned === "1" && !unfilled(article).length) {
      button.dataset.warned = "";
      button.textContent = "复制 Copy";
    }
  }

  function unfilled(article) {
    return Array.prototype.filter.call(article.querySelectorAll(".fill input"),
      function (input) { return !input.value.trim(); });
  }

  function copy(button) {
    var article = button.closest("article");
    var empty = unfilled(article);
    if (empty.length && button.dataset.warned !== "1") {
      button.dataset.warned = "1";
      button.textContent = "先填写 Fill in " + empty.map(function (i) { return i.dataset.var; })
        .join("、");
      empty[0].focus();
      return;
    }
    button.dataset.warned = "";
    var text = article.querySelector(".script").textContent;
    function done(ok) {
      button.textContent = ok ? "已复制 Copied" : "请手动复制 Copy by hand";
      setTimeout(function () { button.textContent = "复制 Copy"; }, 1500);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  /* Stale marks: the file says which entries were due when published; an entry whose
     review date has passed since is marked too. */
  var today = new Date();
  data.entries.forEach(function (e, i) {
    var due = e.review_due ? new Date(e.review_due) : null;
    var mark = articles[i].querySelector(".stale");
    if (mark && (e.stale || (due && due <= today))) {
      mark.hidden = false;
      articles[i].classList.add("is-stale");
    }
  });

  list.addEventListener("input", function (event) {
    if (event.target.matches(".fill input")) fillIn(event.target);
  });
  box.addEventListener("input", update);
  select.addEventListener("change", update);
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) copy(button);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== box) { event.preventDefault(); box.focus(); }
    if (event.key === "Escape") { box.value = ""; update(); }
  });
  document.body.classList.add("js");
  update();
  setTimeout(function () { if (!box.value.trim()) index(); }, 0);
})();
