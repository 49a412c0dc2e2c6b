/* The archive's scalable search (builder/outputs/search.py writes the index it reads).
 *
 * The index is a set of small scripts under assets/archive-search/ that each call
 * __archiveSearch.load(key, data); they are loaded on demand with <script> tags, which
 * browsers allow from file:// (fetch and XHR of local files are refused). Scoring is BM25
 * over weighted fields with a bonus for a title that holds the word, as in
 * builder/outputs/search.py. Article text is data: everything shown is inserted with
 * textContent, never as HTML.
 *
 * Typing: every keystroke starts a search, and a newer keystroke cancels it at its next step
 * (a generation counter: a cancelled search loads no articles and shows nothing). Loaded parts
 * are kept by key and decoded once, so a later keystroke reuses what an earlier one loaded.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var BASE = script ? script.src.replace(/assets\/javascripts\/archive-search\.js(?:[?#].*)?$/, "") : "";
  var INDEX = BASE + "assets/archive-search/";
  var PAGE = 10;                 // results shown at first, and added by "more"
  var PREFIX_TERMS = 12;         // completions of the word being typed (4 for 2 letters, 8 for 3)
  var PREFIX_WEIGHT = 0.5;       // a completion or a typo correction counts half an exact match
  var TYPO_MIN = 5;              // words this long get edit-distance-1 corrections when unknown

  var data = {};                 // key -> loaded data
  var pending = {};              // key -> Promise

  function load(key) {
    if (data[key]) return Promise.resolve(data[key]);
    if (pending[key]) return pending[key];
    pending[key] = new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = INDEX + key + ".js";
      el.charset = "utf-8";
      el.async = true;
      el.onload = function () {
        el.remove();
        if (data[key]) resolve(data[key]);
        else reject(new Error("search index part " + key + " did not load"));
      };
      el.onerror = function () {
        el.remove();
        delete pending[key];
        reject(new Error("search index part " + key + " is missing"));
      };
      document.head.appendChild(el);
    });
    return pending[key];
  }

  // ---------------------------------------------------------------------------------
  // text: the same folding and tokens as builder/outputs/search.py
  // ---------------------------------------------------------------------------------

  var LETTERS = { "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d" };

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[łøđßæœıþð]/g, function (c) { return LETTERS[c]; });
  }

  function tokens(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }

  function groupOf(term) {
    return Array.from(term).slice(0, 2).join("");
  }

  function groupFile(key) {
    return Array.from(key).map(function (c) { return c.codePointAt(0).toString(16); }).join("-");
  }

  /* '"no-fly zone" nato sto' -> {words: ["nato", "sto"], phrases: [["no","fly","zone"]], prefix: true} */
  function parse(query) {
    var phrases = [], words = [];
    var rest = query.replace(/["\u201c\u201d]([^"\u201c\u201d]*)["\u201c\u201d]?/g, function (_, inner) {
      var t = tokens(inner);
      if (t.length > 1) phrases.push(t);
      else if (t.length === 1) words.push(t[0]);
      return " ";
    });
    var open = (query.match(/["\u201c\u201d]/g) || []).length % 2 === 1;
    words = words.concat(tokens(rest));
    var prefix = !open && /[\p{L}\p{N}]$/u.test(query) && !/["\u201c\u201d]\s*$/.test(query);
    return { words: words, phrases: phrases, prefix: prefix && tokens(rest).length > 0 };
  }

  // ---------------------------------------------------------------------------------
  // the index
  // ---------------------------------------------------------------------------------

  function manifest() {
    return load("manifest").then(function (m) {
      if (!m.groupSet) {
        m.groupSet = new Set(m.groups);
      }
      return m;
    });
  }

  function lowerBound(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function dictionary(m, term) {
    var g = groupOf(term);
    if (Array.from(g).length < 2 && Array.from(term).length >= 2) return Promise.resolve(null);
    if (!m.groupSet.has(g)) return Promise.resolve(null);
    return load("k/" + groupFile(g));
  }

  function shardOf(m, term) {
    var i = lowerBound(m.shards, term);
    if (i < m.shards.length && m.shards[i] === term) return i;
    return i - 1;
  }

  /* term -> Map(doc -> value) where value = weighted tf * 4 + (2 if in the title) + (1 if only in
     comments); decoded once, then kept with the shard */
  function postings(m, term) {
    var i = shardOf(m, term);
    if (i < 0) return Promise.resolve(null);
    return load("t/" + i).then(function (shard) {
      var flat = shard[term];
      if (!flat) return null;
      if (!flat.decoded) {
        var map = new Map(), doc = 0;
        for (var j = 0; j < flat.length; j += 2) {
          doc += flat[j];
          map.set(doc, flat[j + 1]);
        }
        flat.decoded = map;
      }
      return flat.decoded;
    });
  }

  /* term -> Map(doc -> Set of positions); decoded once, then kept with the shard */
  function positions(m, term) {
    var i = shardOf(m, term);
    return Promise.all([load("t/" + i), load("p/" + i)]).then(function (parts) {
      var flat = parts[0][term], lists = parts[1][term];
      if (!flat) return new Map();
      if (lists.decoded) return lists.decoded;
      var out = new Map(), doc = 0;
      for (var j = 0; j < flat.length; j += 2) {
        doc += flat[j];
        var list = lists[j / 2], p = 0, set = new Set();
        for (var k = 0; k < list.length; k++) { p += list[k]; set.add(p); }
        out.set(doc, set);
      }
      lists.decoded = out;
      return out;
    });
  }

  function editDistanceOne(a, b) {
    if (a === b) return false;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;                  // substitution
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);  // transposition
    }
    if (la > lb) return a.slice(i + 1) === b.slice(i);                     // deletion
    return a.slice(i) === b.slice(i + 1);                                   // insertion
  }

  /* How many completions a prefix gets: a short one's are many words spread over many shards, and
     the next key replaces them, so fewer are loaded (each loads its postings shard). */
  function completions(prefix) {
    return Math.min(PREFIX_TERMS, 4 * (Array.from(prefix).length - 1));
  }

  /* A word -> [[term, weight]]: the word itself, its completions when it is being typed, and
     corrections at edit distance 1 when it is long and not in the index. */
  function expand(m, word, isPrefix) {
    return dictionary(m, word).then(function (dict) {
      var out = [[word, 1]];
      if (!dict) return out;
      var i = lowerBound(dict.t, word), exact = dict.t[i] === word;
      if (isPrefix) {
        var more = [];
        for (var j = exact ? i + 1 : i; j < dict.t.length && dict.t[j].startsWith(word); j++) {
          more.push([dict.t[j], dict.f[j]]);
        }
        more.sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
        more.slice(0, completions(word)).forEach(function (t) { out.push([t[0], PREFIX_WEIGHT]); });
      }
      if (!exact && out.length === 1 && word.length >= TYPO_MIN) {
        var near = [];
        for (var k = 0; k < dict.t.length; k++) {
          if (editDistanceOne(word, dict.t[k])) near.push([dict.t[k], dict.f[k]]);
        }
        near.sort(function (a, b) { return b[1] - a[1]; });
        near.slice(0, 5).forEach(function (t) { out.push([t[0], PREFIX_WEIGHT]); });
      }
      return out;
    });
  }

  /* A term's scorer: (posting value, doc) -> BM25 of its weighted tf, plus the title bonus (the
     most BM25 gives one term, times m.tb) when the title holds it: builder/outputs/search.py's bm25.
     Only a word the reader typed gets the bonus, not its completions or corrections. */
  function scorer(m, df, typed) {
    var idf = Math.log(1 + (m.n - df + 0.5) / (df + 0.5)), top = idf * (m.k1 + 1);
    var bonus = typed ? (m.tb || 0) * top : 0, norm = m.k1 * (1 - m.b), slope = m.k1 * m.b / m.avgdl;
    return function (value, doc) {
      var tf = (value >> 2) / 2;
      return top * tf / (tf + norm + slope * m.dl[doc]) + ((value & 2) ? bonus : 0);
    };
  }

  var CANCELLED = new Error("cancelled: a newer query replaced this one");

  /* -> a function that throws CANCELLED once the search is stale (a newer keystroke arrived) */
  function guard(options) {
    var stale = options.stale;
    return function (value) {
      if (stale && stale()) throw CANCELLED;
      return value;
    };
  }

  /* Score every matching document: words are OR-ed (BM25 sums them), phrases are required. */
  function run(query, options) {
    options = options || {};
    var q = parse(query), live = guard(options);
    return manifest().then(live).then(function (m) {
      var matched = new Set();          // terms to highlight
      var clauses = q.words.map(function (w, i) {
        var isPrefix = options.prefix !== false && q.prefix && i === q.words.length - 1;
        return expand(m, w, isPrefix).then(live).then(function (terms) {
          return Promise.all(terms.map(function (t) {
            return postings(m, t[0]).then(function (p) { return [t[0], t[1], p]; });
          }));
        });
      });
      var phraseClauses = q.phrases.map(function (words) {
        return Promise.all(words.map(function (w) {
          return Promise.all([postings(m, w), positions(m, w)]);
        }));
      });
      return Promise.all([Promise.all(clauses), Promise.all(phraseClauses)]).then(live).then(function (parts) {
        var scores = new Map(), comments = new Map();
        parts[0].forEach(function (terms) {
          var best = new Map();
          terms.forEach(function (t) {
            var p = t[2];
            if (!p) return;
            matched.add(t[0]);
            var score = scorer(m, p.size, t[1] === 1);
            p.forEach(function (value, doc) {
              var s = t[1] * score(value, doc);
              if (!best.has(doc) || best.get(doc) < s) best.set(doc, s);
              comments.set(doc, (comments.has(doc) ? comments.get(doc) : true) && (value & 1) === 1);
            });
          });
          best.forEach(function (s, doc) { scores.set(doc, (scores.get(doc) || 0) + s); });
        });
        var required = null;
        parts[1].forEach(function (words, pi) {
          if (words.some(function (w) { return !w[0]; })) { required = new Set(); return; }
          var first = words[0][1], hits = new Map();
          first.forEach(function (starts, doc) {
            if (required && !required.has(doc)) return;
            for (var i = 1; i < words.length; i++) if (!words[i][1].has(doc)) return;
            for (var start of starts) {
              var ok = true;
              for (var j = 1; j < words.length && ok; j++) ok = words[j][1].get(doc).has(start + j);
              if (ok) { hits.set(doc, true); break; }
            }
          });
          required = new Set(hits.keys());
          q.phrases[pi].forEach(function (w) { matched.add(w); });
          words.forEach(function (w) {
            var p = w[0], score = scorer(m, p.size, true);
            hits.forEach(function (_, doc) {
              var value = p.get(doc);
              scores.set(doc, (scores.get(doc) || 0) + score(value, doc));
              comments.set(doc, (comments.has(doc) ? comments.get(doc) : true) && (value & 1) === 1);
            });
          });
        });
        var docs = [];
        scores.forEach(function (s, doc) {
          if (required && !required.has(doc)) return;
          if (options.allow && !options.allow(doc)) return;
          docs.push([doc, s]);
        });
        docs.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; });
        return { query: q, docs: docs, matched: matched, commentsOnly: comments, manifest: m };
      });
    });
  }

  function facets() { return load("facets"); }

  function allow(f, filters) {
    var keys = Object.keys(filters).filter(function (k) { return filters[k] !== ""; });
    if (!keys.length) return null;
    return function (doc) {
      var d = f.doc[doc];
      return keys.every(function (k) {
        var v = +filters[k];
        if (k === "source") return d[0] === v;
        if (k === "year") return d[1] === v;
        if (k === "person") return d[2].indexOf(v) >= 0;
        return d[3].indexOf(v) >= 0;
      });
    };
  }

  /* query text + filters -> result object (docs sorted); filters alone list newest first;
     stale: a function that says the caller no longer wants this search (it then rejects with CANCELLED) */
  function search(query, filters, stale) {
    filters = filters || {};
    var active = Object.keys(filters).some(function (k) { return filters[k] !== ""; });
    var f = active ? facets() : Promise.resolve(null);
    return f.then(function (fc) {
      var test = fc ? allow(fc, filters) : null;
      var q = parse(query);
      if (!q.words.length && !q.phrases.length) {
        if (!test) return null;
        return manifest().then(function (m) {
          var docs = [];
          for (var d = m.n - 1; d >= 0; d--) if (test(d)) docs.push([d, 0]);
          return { query: q, docs: docs, matched: new Set(), commentsOnly: new Map(), manifest: m };
        });
      }
      return run(query, { allow: test, stale: stale });
    });
  }

  // ---------------------------------------------------------------------------------
  // the user interface, in Material's markup
  // ---------------------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* text -> nodes with the words whose tokens were matched in <mark> (text nodes only) */
  function highlight(parent, text, matched) {
    var re = /[\p{L}\p{N}\p{M}]+/gu, last = 0, m;
    while ((m = re.exec(text))) {
      var hit = tokens(m[0]).some(function (t) { return matched.has(t); });
      if (!hit) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      parent.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  function excerpt(doc, matched) {
    var best = null, bestHits = -1, inComments = false;
    var paragraphs = doc.b.map(function (p) { return [p, false]; })
      .concat(doc.c.map(function (p) { return [p, true]; }));
    paragraphs.forEach(function (pair) {
      var seen = new Set();
      tokens(pair[0]).forEach(function (t) { if (matched.has(t)) seen.add(t); });
      if (seen.size > bestHits) { best = pair[0]; bestHits = seen.size; inComments = pair[1]; }
    });
    if (best === null) return { text: "", comments: false };
    var text = best;
    if (bestHits > 0 && text.length > 260) {
      var re = /[\p{L}\p{N}\p{M}]+/gu, m, at = 0;
      while ((m = re.exec(text))) {
        if (tokens(m[0]).some(function (t) { return matched.has(t); })) { at = m.index; break; }
      }
      var start = Math.max(0, at - 80);
      if (start > 0) start = text.indexOf(" ", start) + 1;
      text = (start > 0 ? "… " : "") + text.slice(start);
    }
    if (text.length > 280) text = text.slice(0, text.lastIndexOf(" ", 280)) + " …";
    return { text: text, comments: inComments && bestHits > 0 };
  }

  function resultItem(doc, matched, onlyComments) {
    var li = el("li", "md-search-result__item");
    var a = el("a", "md-search-result__link");
    a.href = BASE + doc.u;
    a.tabIndex = -1;
    var art = el("article", "md-search-result__article md-typeset");
    art.appendChild(el("div", "md-search-result__icon md-icon"));
    art.appendChild(highlight(el("h1"), doc.t, matched));
    var meta = doc.k === "page" ? "Page" : [doc.d, doc.s].filter(Boolean).join(" · ");
    var people = doc.p.map(function (p) { return p[0]; }).join(", ");
    art.appendChild(el("p", "archive-search-meta", meta + (people ? " · " + people : "")));
    var ex = excerpt(doc, matched);
    if (ex.text) art.appendChild(highlight(el("p", "archive-search-excerpt"), ex.text, matched));
    if (onlyComments) {
      art.appendChild(el("p", "archive-search-comments", "Found only in reader comments"));
    }
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  function nameItem(kind, name, url, count) {
    var li = el("li", "md-search-result__item archive-search-name");
    var a = el("a", "md-search-result__link");
    a.href = BASE + url;
    a.tabIndex = -1;
    var art = el("article", "md-search-result__article md-typeset");
    art.appendChild(el("div", "md-search-result__icon md-icon"));
    art.appendChild(el("h1", null, name));
    art.appendChild(el("p", "archive-search-meta", kind + " · " + count + (count === 1 ? " article" : " articles")));
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  /* the tokens of each name and spelling of a facet list, made once per loaded list */
  function nameTokens(list, spellingsAt) {
    if (!list.tokens) {
      list.tokens = list.map(function (entry) {
        return [entry[0]].concat(spellingsAt != null ? entry[spellingsAt] : []).map(tokens);
      });
    }
    return list.tokens;
  }

  /* people, tags and sources whose names hold every word of the query (the last as a prefix) */
  function names(fc, q, counts) {
    var words = q.words.concat([].concat.apply([], q.phrases));
    if (!words.length) return [];
    var out = [];
    function test(kind, list, key, spellingsAt) {
      var forms = nameTokens(list, spellingsAt);
      list.forEach(function (entry, i) {
        if (!entry[1]) return;
        var ok = forms[i].some(function (t) {
          return words.every(function (w, wi) {
            var last = q.prefix && wi === words.length - 1;
            return t.some(function (x) { return last ? x.startsWith(w) : x === w; });
          });
        });
        if (ok) out.push([kind, entry[0], entry[1], counts[key][i] || 0]);
      });
    }
    test("Person", fc.people, "person", 2);
    test("Tag", fc.tags, "tag", null);
    test("Source", fc.sources, "source", null);
    out.sort(function (a, b) { return b[3] - a[3]; });
    return out.slice(0, 5);
  }

  function countFacets(fc, docs) {
    var c = { person: {}, tag: {}, source: {}, year: {} };
    docs.forEach(function (pair) {
      var d = fc.doc[pair[0]];
      if (d[0] >= 0) c.source[d[0]] = (c.source[d[0]] || 0) + 1;
      if (d[1] >= 0) c.year[d[1]] = (c.year[d[1]] || 0) + 1;
      d[2].forEach(function (p) { c.person[p] = (c.person[p] || 0) + 1; });
      d[3].forEach(function (t) { c.tag[t] = (c.tag[t] || 0) + 1; });
    });
    return c;
  }

  function allCounts(fc) {
    var c = { person: {}, tag: {}, source: {}, year: {} };
    fc.doc.forEach(function (d) {
      if (d[0] >= 0) c.source[d[0]] = (c.source[d[0]] || 0) + 1;
      if (d[1] >= 0) c.year[d[1]] = (c.year[d[1]] || 0) + 1;
      d[2].forEach(function (p) { c.person[p] = (c.person[p] || 0) + 1; });
      d[3].forEach(function (t) { c.tag[t] = (c.tag[t] || 0) + 1; });
    });
    return c;
  }

  function setup(root) {
    var input = root.querySelector(".md-search__input");
    var form = root.querySelector("form");
    var meta = root.querySelector(".md-search-result__meta");
    var list = root.querySelector(".md-search-result__list");
    var filterBox = root.querySelector(".archive-search-filters");
    var toggle = document.getElementById("__search");
    var selects = {};
    filterBox.querySelectorAll("select").forEach(function (s) { selects[s.name] = s; });
    var seq = 0, shown = 0, current = null;

    function open() { if (toggle && !toggle.checked) toggle.click(); }
    function close() { if (toggle && toggle.checked) toggle.click(); input.blur(); }

    function filters() {
      var out = {};
      Object.keys(selects).forEach(function (k) { out[k] = selects[k].value; });
      return out;
    }

    function fillSelect(select, label, values, counts, labelOf) {
      var chosen = select.value;
      var order = values.map(function (_, i) { return i; })
        .filter(function (i) { return counts[i] || String(i) === chosen; })
        .sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || a - b; })
        .slice(0, 60);
      if (chosen !== "" && order.indexOf(+chosen) < 0) order.push(+chosen);
      select.textContent = "";
      select.appendChild(new Option(label, ""));
      order.forEach(function (i) {
        select.appendChild(new Option(labelOf(values[i]) + " (" + (counts[i] || 0) + ")", String(i)));
      });
      select.value = chosen;
    }

    function showFacets(result) {
      facets().then(function (fc) {
        var counts = result ? countFacets(fc, result.docs) : allCounts(fc);
        fillSelect(selects.person, "All people", fc.people, counts.person, function (p) { return p[0]; });
        fillSelect(selects.tag, "All tags", fc.tags, counts.tag, function (t) { return t[0]; });
        fillSelect(selects.source, "All sources", fc.sources, counts.source, function (s) { return s[0]; });
        fillSelect(selects.year, "All years", fc.years, counts.year, function (y) { return y; });
        filterBox.hidden = false;
        if (result && result.query && seq === result.seq) {
          var found = names(fc, result.query, counts);
          var before = list.firstChild;
          found.forEach(function (n) { list.insertBefore(nameItem(n[0], n[1], n[2], n[3]), before); });
          if (S.last && S.last.seq === result.seq) S.last.complete = true;
        }
      }).catch(function () {});
    }

    function renderMore(result) {
      if (result.seq !== seq) return Promise.resolve();     // a newer query: load nothing for this one
      var slice = result.docs.slice(shown, shown + PAGE);
      return Promise.all(slice.map(function (pair) { return load("d/" + pair[0]); })).then(function (docs) {
        if (result.seq !== seq) return;
        var more = list.querySelector(".archive-search-more");
        if (more) more.remove();
        docs.forEach(function (doc, i) {
          list.appendChild(resultItem(doc, result.matched, result.commentsOnly.get(slice[i][0]) === true));
        });
        shown += slice.length;
        if (shown < result.docs.length) {
          var li = el("li", "md-search-result__item archive-search-more");
          var button = el("button", "md-search-result__more", "Show " + Math.min(PAGE, result.docs.length - shown) + " more");
          button.type = "button";
          button.addEventListener("click", function () { renderMore(result); });
          li.appendChild(button);
          list.appendChild(li);
        }
      });
    }

    function update() {
      var my = ++seq;
      var started = performance.now();
      var value = input.value;
      return search(value, filters(), function () { return my !== seq; }).then(function (result) {
        if (my !== seq) return;
        list.textContent = "";
        shown = 0;
        current = result;
        if (!result) {
          meta.textContent = "Type to start searching";
          showFacets(null);
          return;
        }
        result.seq = my;
        var n = result.docs.length;
        meta.textContent = n === 0 ? "No matching documents" : n === 1 ? "1 matching document" : n.toLocaleString("en") + " matching documents";
        return renderMore(result).then(function () {
          if (my !== seq) return;
          S.last = { query: value, ms: performance.now() - started, results: n, seq: my, complete: false };
          root.dispatchEvent(new CustomEvent("archive-search:results", { detail: S.last }));
          showFacets(result);
        });
      }).catch(function (e) {
        if (my === seq && e !== CANCELLED) meta.textContent = "Search is unavailable: " + e.message;
      });
    }

    input.addEventListener("focus", function () { open(); manifest().catch(function () {}); });
    input.addEventListener("input", function () { open(); update(); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", update); });
    if (toggle) {
      toggle.addEventListener("change", function () { if (toggle.checked && document.activeElement !== input) input.focus(); });
    }

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link, .archive-search-more button")); }

    root.addEventListener("keydown", function (e) {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      var items = links(), at = items.indexOf(document.activeElement);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (e.target.tagName === "SELECT") return;
        e.preventDefault();
        var next = at + (e.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else if (next < items.length) items[next].focus();
      } else if (e.key === "Enter" && e.target === input) {
        e.preventDefault();
        if (items.length) items[0].click();
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key !== "/" && e.key !== "s" && e.key !== "f") return;
      var t = e.target;
      // typing into a field is not a shortcut; a radio button or checkbox (the palette toggle) has focus harmlessly
      var typing = /^(TEXTAREA|SELECT)$/.test(t && t.tagName) ||
        (t && t.tagName === "INPUT" && !/^(radio|checkbox|button|submit|reset)$/.test(t.type));
      if (t && (t.isContentEditable || typing)) return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      e.preventDefault();
      open();
      input.focus();
    });
  }

  var S = window.__archiveSearch = {
    load: function (key, value) { data[key] = value; },
    search: search,
    run: run,
    parse: parse,
    tokens: tokens,
    fold: fold,
    doc: function (n) { return load("d/" + n); },
    facets: facets,
    /* the people, tags and sources a result shows first: [kind, name, page, articles] */
    names: function (fc, result) { return names(fc, result.query, countFacets(fc, result.docs)); },
    last: null
  };

  function start() {
    document.querySelectorAll(".archive-search").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
