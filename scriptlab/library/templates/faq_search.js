/* Ranking for the published FAQ page: a line-by-line port of scriptlab/library/search.py.
   Keep the two in step (tests/test_browser_library.py compares them on the same queries).
   Word lists and weights come from the page's JSON data, written by Python, so only the
   method lives here. User text is only ever set as textContent. */
var ScriptlabSearch = (function () {
  "use strict";

  function codePoints(text) { return Array.from(text).length; }

  function stripChars(text, chars, left, right) {
    var start = 0, end = text.length;
    if (left) { while (start < end && chars.indexOf(text[start]) >= 0) start++; }
    if (right) { while (end > start && chars.indexOf(text[end - 1]) >= 0) end--; }
    return text.slice(start, end);
  }

  function Normalizer(cfg) {
    this.cfg = cfg;
    this.table = synonymTable(cfg.synonyms || {});
    var words = Object.keys(this.table).sort(function (a, b) {
      var d = codePoints(b) - codePoints(a);
      return d !== 0 ? d : (a < b ? -1 : a > b ? 1 : 0);
    });
    this.pattern = words.length ? new RegExp(words.map(escapeRegExp).join("|"), "gu") : null;
  }

  Normalizer.prototype.normalize = function (text) {
    var t2s = this.cfg.t2s || {}, out = "";
    for (var ch of text.normalize("NFKC")) out += Object.prototype.hasOwnProperty.call(t2s, ch) ? t2s[ch] : ch;
    text = out.toLowerCase().replace(/\[[^\[\]]{1,6}\]/gu, " ");
    text = stripSmallTalk(text, this.cfg);
    if (this.pattern) {
      var table = this.table;
      text = text.replace(this.pattern, function (m) { return table[m]; });
    }
    return text;
  };

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"); }

  function synonymTable(synonyms) {
    var table = {};
    Object.keys(synonyms).forEach(function (key) {
      var canonical = key.trim().toLowerCase();
      if (!canonical) return;
      if (!Object.prototype.hasOwnProperty.call(table, canonical)) table[canonical] = canonical;
      synonyms[key].forEach(function (word) {
        word = String(word).trim().toLowerCase();
        if (word && !Object.prototype.hasOwnProperty.call(table, word)) table[word] = canonical;
      });
    });
    return table;
  }

  function stripSmallTalk(text, cfg) {
    var punct = cfg.punctuation, core = stripChars(text, punct, true, true), changed = true;
    while (changed) {
      changed = false;
      var keepStart = cfg.keep_leading.some(function (w) { return core.startsWith(w); });
      for (var i = 0; i < (keepStart ? 0 : cfg.leading.length); i++) {
        var w = cfg.leading[i];
        if (core.startsWith(w) && codePoints(core) > codePoints(w)) {
          core = stripChars(core.slice(w.length), punct, true, false);
          changed = true;
          break;
        }
      }
      var keepEnd = cfg.keep_trailing.some(function (w) { return core.endsWith(w); });
      for (var j = 0; j < (keepEnd ? 0 : cfg.trailing.length); j++) {
        var t = cfg.trailing[j];
        if (core.endsWith(t) && codePoints(core) > codePoints(t)) {
          core = stripChars(core.slice(0, core.length - t.length), punct, false, true);
          changed = true;
          break;
        }
      }
    }
    return core;
  }

  function grams(text, cfg) {
    var out = [], runs = text.match(/[\u4e00-\u9fff]+|[a-z0-9]+/g) || [];
    runs.forEach(function (run) {
      if (run[0] < "\u4e00") { out.push(run); return; }
      cfg.gram_sizes.forEach(function (n) {
        for (var i = 0; i + n <= run.length; i++) out.push(run.slice(i, i + n));
      });
    });
    return out;
  }

  function gramWeight(gram, cfg) {
    if (gram[0] < "\u4e00") return 1.0;
    var w = cfg.gram_weights[String(gram.length)];
    return w === undefined ? 1.0 : w;
  }

  /* docs: [{phrasings: [question, ...variants], script: "..."}] */
  function SearchIndex(docs, cfg) {
    var self = this;
    this.cfg = cfg;
    this.normalizer = new Normalizer(cfg);
    this.docs = docs;
    var phrasingGrams = [], scriptGrams = [], df = new Map();
    docs.forEach(function (doc) {
      var per = doc.phrasings.map(function (p) { return grams(self.normalizer.normalize(p), cfg); });
      var script = doc.script ? grams(self.normalizer.normalize(doc.script), cfg) : [];
      phrasingGrams.push(per);
      scriptGrams.push(script);
      var seen = new Set(script);
      per.forEach(function (gs) { gs.forEach(function (g) { seen.add(g); }); });
      seen.forEach(function (g) { df.set(g, (df.get(g) || 0) + 1); });
    });
    var n = docs.length;
    this.idfUnseen = Math.log(n + 1) + 1.0;
    this.idf = new Map();
    df.forEach(function (c, g) { self.idf.set(g, Math.log((n + 1) / (c + 1)) + 1.0); });
    this.best = new Map(); this.linear = new Map();
    this.rowEntry = []; this.rowText = [];
    var wp = cfg.weights.pooled, ws = cfg.weights.script;
    docs.forEach(function (doc, index) {
      doc.phrasings.forEach(function (text, k) {
        var row = self.rowEntry.length;
        self.rowEntry.push(index);
        self.rowText.push(text);
        post(self.best, row, self.vector(phrasingGrams[index][k]));
      });
      var all = [];
      phrasingGrams[index].forEach(function (gs) { all.push.apply(all, gs); });
      var pooled = self.vector(all), script = self.vector(scriptGrams[index]);
      var keys = Array.from(pooled.keys());
      script.forEach(function (_, g) { if (!pooled.has(g)) keys.push(g); });
      keys.forEach(function (g) {
        var weight = wp * (pooled.has(g) ? pooled.get(g) : 0.0) + ws * (script.has(g) ? script.get(g) : 0.0);
        var list = self.linear.get(g);
        if (list === undefined) { list = []; self.linear.set(g, list); }
        list.push([index, weight]);
      });
    });
  }

  SearchIndex.prototype.vector = function (gs) {
    var counts = new Map(), vec = new Map(), self = this, norm = 0;
    gs.forEach(function (g) { counts.set(g, (counts.get(g) || 0) + 1); });
    counts.forEach(function (c, g) {
      var idf = self.idf.has(g) ? self.idf.get(g) : self.idfUnseen;
      vec.set(g, (1.0 + Math.log(c)) * idf * gramWeight(g, self.cfg));
    });
    vec.forEach(function (w) { norm += w * w; });
    norm = Math.sqrt(norm);
    var out = new Map();
    if (norm > 0) vec.forEach(function (w, g) { out.set(g, w / norm); });
    return out;
  };

  SearchIndex.prototype.search = function (query, top) {
    var cfg = this.cfg, self = this;
    var qvec = this.vector(grams(this.normalizer.normalize(query), cfg));
    var bestRows = dot(this.best, qvec), best = new Map();
    bestRows.forEach(function (value, row) {
      var entry = self.rowEntry[row], have = best.get(entry);
      if (have === undefined || value > have[0] || (value === have[0] && row < have[1])) {
        best.set(entry, [value, row]);
      }
    });
    var linear = dot(this.linear, qvec), hits = [];
    linear.forEach(function (value, entry) {
      var b = best.get(entry) || [0.0, -1];
      var score = cfg.weights.best * Math.max(b[0], 0.0) + value;
      var matched = b[1] >= 0 ? self.rowText[b[1]] : self.docs[entry].phrasings[0];
      hits.push({index: entry, score: Math.min(score, 1.0), matched: matched});
    });
    hits.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    return top === undefined ? hits : hits.slice(0, Math.max(top, 0));
  };

  function post(postings, row, vec) {
    vec.forEach(function (w, g) {
      var list = postings.get(g);
      if (list === undefined) { list = []; postings.set(g, list); }
      list.push([row, w]);
    });
  }

  function dot(postings, qvec) {
    var acc = new Map();
    qvec.forEach(function (qw, g) {
      var list = postings.get(g);
      if (list === undefined) return;
      for (var i = 0; i < list.length; i++) {
        var row = list[i][0];
        acc.set(row, (acc.get(row) || 0.0) + qw * list[i][1]);
      }
    });
    return acc;
  }

  return {SearchIndex: SearchIndex, Normalizer: Normalizer, grams: grams};
})();
