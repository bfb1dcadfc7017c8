// Client-side search over titles and text, from search-index.json (built with the site).
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  var docs = null;
  var loading = null;

  function tokens(text) {
    return (text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) || []);
  }

  function load() {
    if (!loading) {
      loading = fetch("search-index.json").then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (data) {
        docs = data.docs.map(function (d) {
          return { url: d[0], pep: d[1], title: d[2], status: d[3], summary: d[4],
                   titleText: (" " + d[1] + " " + d[2] + " ").toLowerCase(), words: " " + d[5] + " " };
        });
        return docs;
      });
    }
    return loading;
  }

  function run() {
    var query = input.value.trim();
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
    history.replaceState(null, "", url.pathname + url.search);
    list.textContent = "";
    if (!query) { status.textContent = "Type words from a PEP's title or text."; return; }
    var terms = tokens(query);
    var number = query.match(/^(?:pep[- ]?)?0*(\d{1,5})$/i);
    status.textContent = "Searching…";
    load().then(function () {
      var hits = [];
      docs.forEach(function (d) {
        var score = 0;
        for (var i = 0; i < terms.length; i++) {
          var t = terms[i];
          var inTitle = d.titleText.indexOf(t) !== -1;
          var exact = d.words.indexOf(" " + t + " ") !== -1;
          var prefix = exact || d.words.indexOf(" " + t) !== -1;
          if (!inTitle && !prefix) return;
          score += (inTitle ? 10 : 0) + (exact ? 2 : 1);
        }
        if (number && parseInt(d.pep.replace(/\D/g, ""), 10) === parseInt(number[1], 10)) score += 100;
        hits.push({ doc: d, score: score });
      });
      hits.sort(function (a, b) { return b.score - a.score || (a.doc.pep < b.doc.pep ? -1 : 1); });
      status.textContent = hits.length === 1 ? "1 PEP found." : hits.length + " PEPs found.";
      var fragment = document.createDocumentFragment();
      hits.slice(0, 200).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = h.doc.url;
        a.textContent = h.doc.pep + ": " + h.doc.title;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        var badge = document.createElement("span");
        badge.className = "badge status-" + h.doc.status.toLowerCase().replace(/[^a-z0-9]+/g, "-");
        badge.textContent = h.doc.status;
        li.appendChild(badge);
        if (h.doc.summary) {
          var p = document.createElement("p");
          p.textContent = h.doc.summary;
          li.appendChild(p);
        }
        fragment.appendChild(li);
      });
      list.appendChild(fragment);
    }).catch(function (err) {
      status.textContent = "The search index could not be loaded (" + err.message + ").";
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 150); });
  input.closest("form").addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; run(); }
  else status.textContent = "Type words from a PEP's title or text.";
})();
