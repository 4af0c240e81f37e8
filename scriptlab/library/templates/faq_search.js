/* Ranking for the published FAQ page: a line-by-line port of scriptlab/library/search.py.
   Keep the two in step (tests/test_browser_library.py compares them on the same queries).
   Word lists, regular expressions, the thesaurus and the weights come from the page's JSON
   data, written by Python (search.page_config), so only the method lives here; sums are
   taken in the same order as in Python so scores agree to the last bit. User text is only
   ever set as textContent. */
var ScriptlabSearch = (function () {
  "use strict";

  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

  function codePoints(text) { return Array.from(text).length; }

  function stripChars(text, chars, left, right) {
    var start = 0, end = text.length;
    if (left) { while (start < end && chars.indexOf(text[start]) >= 0) start++; }
    if (right) { while (end > start && chars.indexOf(text[end - 1]) >= 0) end--; }
    return text.slice(start, end);
  }

  function Normalizer(cfg) {
    var p = cfg.patterns;
    this.cfg = cfg;
    this.space = new RegExp(p.space, "gu");
    this.emote = new RegExp(p.emote, "gu");
    this.mask = new RegExp(p.mask, "gu");
    this.particle = new RegExp(p.particle, "gu");
    this.aNotA = new RegExp(p.a_not_a, "gu");
    this.run = new RegExp(p.run, "gu");
    this.concept = p.concept ? new RegExp(p.concept, "gu") : null;
    this.conceptTerms = {};
    var terms = this.conceptTerms;
    Object.keys(cfg.concepts).forEach(function (word) {
      terms[word] = cfg.concepts[word].map(function (name) { return cfg.concept_mark + name; });
    });
  }

  Normalizer.prototype.normalize = function (text) {
    var t2s = this.cfg.t2s || {}, out = "";
    text = text.normalize("NFKC").replace(this.space, " ");
    for (var ch of text) out += has(t2s, ch) ? t2s[ch] : ch;
    text = out.toLowerCase();
    text = text.replace(this.emote, " ").replace(this.mask, " ");
    text = stripSmallTalk(text, this.cfg);
    text = stripChars(text.replace(this.particle, " "), this.cfg.punctuation, true, true) || text;
    return text.replace(this.aNotA, "$1");
  };

  /* Grams, then concepts, repeats kept (search.Normalizer.terms). */
  Normalizer.prototype.terms = function (text) {
    var out = [], sizes = this.cfg.gram_sizes, runs = text.match(this.run) || [];
    runs.forEach(function (run) {
      if (run[0] < "\u4e00") { out.push(stem(run)); return; }
      sizes.forEach(function (n) {
        for (var i = 0; i + n <= run.length; i++) out.push(run.slice(i, i + n));
      });
    });
    if (this.concept) {
      var words = text.match(this.concept) || [], terms = this.conceptTerms;
      words.forEach(function (word) { out.push.apply(out, terms[word]); });
    }
    return out;
  };

  /* English suffixes stripped (search.stem): shipped, shipping → ship. */
  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    if (/ies$/.test(word) && word.length > 4) word = word.slice(0, -3) + "y";
    else if (/(sses|ches|shes|xes)$/.test(word)) word = word.slice(0, -2);
    else if (/ing$/.test(word) && word.length >= 6) word = undouble(word.slice(0, -3));
    else if (/ed$/.test(word) && word.length >= 5) word = undouble(word.slice(0, -2));
    else if (/s$/.test(word) && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    return /e$/.test(word) && word.length >= 4 ? word.slice(0, -1) : word;
  }

  function undouble(base) {
    var n = base.length;
    if (n >= 3 && base[n - 1] === base[n - 2] && "aeioulsz".indexOf(base[n - 1]) < 0) {
      return base.slice(0, -1);
    }
    return base;
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

  function termWeight(term, cfg) {
    if (term[0] === cfg.concept_mark) {
      return cfg.general_concepts.indexOf(term.slice(1)) >= 0 ? cfg.general_weight : cfg.concept_weight;
    }
    if (term[0] < "\u4e00") return cfg.latin_weight;
    var w = cfg.gram_weights[String(term.length)];
    return w === undefined ? 1.0 : w;
  }

  function idf(count, entries) { return Math.log(1.0 + (entries - count + 0.5) / (count + 0.5)); }

  /* docs: [{phrasings: [question, ...variants], script: "..."}]. Terms are numbered in a
     vocabulary, in order of first appearance, as in Python. */
  function SearchIndex(docs, cfg) {
    var self = this, n = docs.length;
    this.cfg = cfg;
    this.normalizer = new Normalizer(cfg);
    this.docs = docs;
    // Each distinct text is normalised once.
    var unique = new Map(), vocabulary = new Map(), terms = [], textTerms = [], textSets = [];
    function number(t) {
      var k = vocabulary.get(t);
      if (k === undefined) { k = terms.length; vocabulary.set(t, k); terms.push(t); }
      return k;
    }
    docs.forEach(function (doc) {
      doc.phrasings.concat([doc.script]).forEach(function (text) {
        if (unique.has(text)) return;
        var ids = self.normalizer.terms(self.normalizer.normalize(text)).map(number);
        unique.set(text, textTerms.length);
        textTerms.push(ids);
        textSets.push(Array.from(new Set(ids)));  // first-appearance order
      });
    });
    var size = terms.length, df = new Int32Array(size);
    var seen = new Int32Array(size).fill(-1), held = new Int32Array(size);
    var inScript = new Int32Array(size).fill(-1), scriptCount = new Int32Array(size);
    var entryTexts = [], heldTerms = [], heldCounts = [], scriptTerms = [], scriptCounts = [];
    var scriptLengths = [];
    docs.forEach(function (doc, index) {
      var ids = doc.phrasings.map(function (p) { return unique.get(p); }), touched = [];
      ids.forEach(function (k) {
        textSets[k].forEach(function (t) {
          if (seen[t] !== index) { seen[t] = index; held[t] = 0; touched.push(t); df[t]++; }
          held[t]++;
        });
      });
      var script = textTerms[unique.get(doc.script)], sTouched = [];
      script.forEach(function (t) {
        if (inScript[t] !== index) {
          inScript[t] = index; scriptCount[t] = 0; sTouched.push(t);
          if (seen[t] !== index) df[t]++;
        }
        scriptCount[t]++;
      });
      entryTexts.push(ids);
      heldTerms.push(touched);
      heldCounts.push(touched.map(function (t) { return held[t]; }));
      scriptTerms.push(sTouched);
      scriptCounts.push(sTouched.map(function (t) { return scriptCount[t]; }));
      scriptLengths.push(script.length);
    });
    this.vocabulary = vocabulary;
    this.df = df;
    this.idfUnseen = idf(0, n);
    var square = new Float64Array(size);
    for (var t = 0; t < size; t++) {
      var x = termWeight(terms[t], cfg) * idf(df[t], n);
      square[t] = x * x;
    }
    var norms = new Map(), avgRows = 0, avgScript = 0;
    entryTexts.forEach(function (ids) { avgRows += ids.length; });
    scriptLengths.forEach(function (len) { avgScript += len; });
    avgRows = (n ? avgRows / n : 1.0) || 1.0;
    avgScript = (n ? avgScript / n : 1.0) || 1.0;
    this.rows = entryTexts.map(function (ids) {
      return ids.map(function (k) {
        if (!norms.has(k)) {
          var sum = 0.0;
          textSets[k].forEach(function (t) { sum += square[t]; });
          norms.set(k, Math.sqrt(sum));
        }
        return [textSets[k], norms.get(k)];
      });
    });
    // Postings: term id → entries (increasing), weights.
    var postEntries = [], postWeights = [], wp = cfg.weights.phrasings, ws = cfg.weights.script;
    var sat = cfg.saturation, b = cfg.length_norm;
    for (var k = 0; k < size; k++) { postEntries.push([]); postWeights.push([]); }
    for (var index = 0; index < n; index++) {
      var rnorm = sat * (1.0 - b + b * entryTexts[index].length / avgRows);
      var snorm = sat * (1.0 - b + b * scriptLengths[index] / avgScript);
      var ts = heldTerms[index], cs = heldCounts[index], i, c, e;
      for (i = 0; i < ts.length; i++) {
        c = cs[i];
        postEntries[ts[i]].push(index);
        postWeights[ts[i]].push(wp * c / (c + rnorm));
      }
      ts = scriptTerms[index]; cs = scriptCounts[index];
      for (i = 0; i < ts.length; i++) {
        c = cs[i]; e = postEntries[ts[i]];
        if (e.length && e[e.length - 1] === index) {  // the term is in a phrasing too
          postWeights[ts[i]][e.length - 1] += ws * c / (c + snorm);
        } else {
          e.push(index);
          postWeights[ts[i]].push(ws * c / (c + snorm));
        }
      }
    }
    this.postEntries = postEntries;
    this.postWeights = postWeights;
  }

  /* The query's distinct terms → term weight × IDF, in order of first appearance. */
  SearchIndex.prototype.queryWeights = function (query) {
    var out = new Map(), self = this, n = this.docs.length;
    this.normalizer.terms(this.normalizer.normalize(query)).forEach(function (t) {
      if (out.has(t)) return;
      var k = self.vocabulary.get(t);
      out.set(t, termWeight(t, self.cfg) *
        (k === undefined ? self.cfg.unseen_weight * self.idfUnseen : idf(self.df[k], n)));
    });
    return out;
  };

  function byScore(a, b) { return b[1] - a[1] || a[0] - b[0]; }

  function bisectLeft(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  SearchIndex.prototype.search = function (query, top) {
    var cfg = this.cfg, self = this;
    if (top === undefined) top = this.docs.length;
    if (top <= 0) return [];
    var qw = this.queryWeights(query), total = 0;
    if (qw.size === 0) return [];
    qw.forEach(function (w) { total += w; });
    total = Math.max(total, cfg.query_floor * this.idfUnseen);
    // 1. The linear part over the weightiest terms' postings, up to the budget.
    var order = Array.from(qw.entries()).sort(function (a, b) {
      return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    });
    var partial = new Map(), rest = [], read = 0;
    order.forEach(function (item) {
      var k = self.vocabulary.get(item[0]);
      if (k === undefined) return;
      var entries = self.postEntries[k], weights = self.postWeights[k], w = item[1];
      if (read && read + entries.length > cfg.postings_budget) { rest.push([k, w]); return; }
      read += entries.length;
      for (var i = 0; i < entries.length; i++) {
        partial.set(entries[i], (partial.get(entries[i]) || 0.0) + w * weights[i]);
      }
    });
    var keep = Math.max(cfg.candidates, top);
    var candidates = Array.from(partial.entries()).sort(byScore).slice(0, keep)
      .map(function (item) { return item[0]; });
    // 2. Exact scores: the terms left out added, closest phrasing found.
    var value = new Map();
    candidates.forEach(function (entry) { value.set(entry, partial.get(entry)); });
    rest.forEach(function (item) {
      var entries = self.postEntries[item[0]], weights = self.postWeights[item[0]];
      candidates.forEach(function (entry) {
        var k = bisectLeft(entries, entry);
        if (k < entries.length && entries[k] === entry) {
          value.set(entry, value.get(entry) + item[1] * weights[k]);
        }
      });
    });
    var squares = new Map(), qnorm = 0;
    qw.forEach(function (w, t) {
      var k = self.vocabulary.get(t);
      if (k !== undefined) squares.set(k, w * w);
      qnorm += w * w;
    });
    qnorm = Math.sqrt(qnorm);
    var hits = candidates.map(function (entry) {
      var closest = self.closest(entry, squares, qnorm);
      var score = value.get(entry) / total + cfg.weights.best * closest[0];
      return {index: entry, score: Math.min(score, 1.0), matched: closest[1]};
    });
    hits.sort(function (a, b) { return b.score - a.score || a.index - b.index; });
    return hits.slice(0, top);
  };

  /* The highest cosine between the query and one of the entry's phrasings. */
  SearchIndex.prototype.closest = function (entry, squares, qnorm) {
    var best = 0.0, position = 0;
    this.rows[entry].forEach(function (item, k) {
      var row = item[0], norm = item[1];
      if (norm <= 0) return;
      var dot = 0.0;
      for (var i = 0; i < row.length; i++) {  // the phrasing's terms, first appearance first
        var square = squares.get(row[i]);
        if (square !== undefined) dot += square;
      }
      var value = dot / (qnorm * norm);
      if (value > best) { best = value; position = k; }
    });
    return [best, this.docs[entry].phrasings[position]];
  };

  return {SearchIndex: SearchIndex, Normalizer: Normalizer};
})();
