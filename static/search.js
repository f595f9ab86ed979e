/* Summit Watch search: reads window.summitSearch (search/index.js, made by summitsite/search.py)
   and the query (?q=), shows the matching articles and statements. Every query word must match
   the start of an indexed word; title matches rank first. No dependencies, works from file://. */
(function () {
  "use strict";
  var LIMIT = 50;
  var form = document.querySelector("form.search");
  var index = window.summitSearch;
  if (!form || !index) return;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search__status");
  var list = document.querySelector(".search__results");
  var words = Object.keys(index.words);

  function tokens(text) {
    var found = text.normalize("NFC").toLowerCase().replace(/ё/g, "е").match(/[\p{L}\p{N}_]+/gu) || [];
    return found.filter(function (w) { return w.length > 1 || /^\d$/.test(w); });
  }

  function scoresFor(query) {
    var scores = new Map();
    tokens(query).forEach(function (token, position) {
      var hits = new Map();
      words.forEach(function (word) {
        if (word.lastIndexOf(token, 0) !== 0) return;
        var exact = word === token ? 1 : 0;
        index.words[word].forEach(function (entry) {
          var doc = entry < 0 ? -entry - 1 : entry;
          var score = (entry < 0 ? 10 : 1) + exact;
          hits.set(doc, Math.max(hits.get(doc) || 0, score));
        });
      });
      if (position === 0) { scores = hits; return; }
      var both = new Map();
      scores.forEach(function (score, doc) { if (hits.has(doc)) both.set(doc, score + hits.get(doc)); });
      scores = both;
    });
    return scores;
  }

  function item(doc) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "search__kind";
    kind.textContent = form.dataset[doc[0] === "quote" ? "statement" : doc[0]];
    var link = document.createElement("a");
    link.href = doc[2];
    link.textContent = doc[1];
    var snippet = document.createElement("p");
    if (doc[0] !== "event") snippet.lang = doc[3];
    snippet.textContent = doc[4];
    var outlet = document.createElement("span");
    outlet.className = "search__outlet";
    outlet.textContent = doc[5];
    li.append(kind, " ", link, " ", outlet, snippet);
    return li;
  }

  function run(query) {
    list.textContent = "";
    if (!tokens(query).length) { status.textContent = ""; return; }
    var ranked = Array.from(scoresFor(query)).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    ranked.slice(0, LIMIT).forEach(function (pair) { list.append(item(index.docs[pair[0]])); });
    status.textContent = ranked.length
      ? form.dataset.found.replace("{shown}", Math.min(LIMIT, ranked.length)).replace("{total}", ranked.length)
      : form.dataset.none;
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  run(query);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url);
    run(input.value);
  });
})();
