// Sorting and filtering of the index table. Without JavaScript the table is a plain list.
// Built to stay quick on a slow phone with thousands of rows: every row's keys are read once, on
// first use, from what the page already says (data-n: the number; data-o: the status's place in
// the lifecycle; cell text otherwise); a sort reorders the rows in one DocumentFragment.
(function () {
  "use strict";
  var table = document.getElementById("pep-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var statusSelect = document.getElementById("status-filter");
  var textInput = document.getElementById("text-filter");
  var countLabel = document.getElementById("filter-count");
  var texts = null;  // each row's text, lower case, for the filter: read on first use
  var statuses = rows.map(function (row) { return row.cells[2].textContent; });

  function params() { return new URLSearchParams(window.location.search); }

  function apply() {
    var status = statusSelect.value;
    var words = textInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length && texts === null) texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = (!status || statuses[i] === status);
      for (var w = 0; ok && w < words.length; w++) ok = texts[i].indexOf(words[w]) !== -1;
      if (rows[i].hidden === ok) rows[i].hidden = !ok;  // touch only the rows that change
      if (ok) shown += 1;
    }
    countLabel.textContent = shown + " of " + rows.length + " shown";
    var query = params();
    if (status) query.set("status", status); else query.delete("status");
    if (textInput.value) query.set("q", textInput.value); else query.delete("q");
    var search = query.toString();
    history.replaceState(null, "", (search ? "?" + search : window.location.pathname) + window.location.hash);
  }

  var initial = params();
  if (initial.get("status")) statusSelect.value = initial.get("status");
  if (initial.get("q")) textInput.value = initial.get("q");
  statusSelect.addEventListener("change", apply);
  textInput.addEventListener("input", apply);

  // The status links above the table filter it in place (without JavaScript they reload the page).
  Array.prototype.forEach.call(document.querySelectorAll(".status-nav a[data-status]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      statusSelect.value = link.getAttribute("data-status");
      apply();
      document.getElementById("all-peps").scrollIntoView();
      statusSelect.focus({ preventScroll: true });
    });
  });

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var keys = {};  // column -> each row's key, by the row's place in `rows`
  // Text keys are folded once (case and accents dropped), so that each of a sort's ten thousand
  // comparisons is a plain string comparison: a locale-aware compare per pair took a second.
  function fold(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
  function keysOf(column, kind) {
    if (keys[column]) return keys[column];
    var found = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (kind === "number") found[i] = +row.getAttribute("data-n");
      else if (kind === "lifecycle") found[i] = +row.getAttribute("data-o");
      else found[i] = fold(row.cells[column].textContent);
    }
    keys[column] = found;
    return found;
  }
  var numbers = null;
  headers.forEach(function (th, column) {
    th.tabIndex = 0;
    th.setAttribute("role", "columnheader button");
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var kind = th.getAttribute("data-sort");
      var key = keysOf(column, kind);
      numbers = numbers || keysOf(0, "number");
      var order = rows.map(function (row, i) { return i; });
      var textual = kind === "text";
      order.sort(function (a, b) {
        var c = textual ? (key[a] < key[b] ? -1 : key[a] > key[b] ? 1 : 0) : key[a] - key[b];
        if (c === 0) c = numbers[a] - numbers[b];  // ties (a status, an author) by number
        return ascending ? c : -c;
      });
      var fragment = document.createDocumentFragment();
      for (var i = 0; i < order.length; i++) fragment.appendChild(rows[order[i]]);
      body.appendChild(fragment);
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  if (statusSelect.value || textInput.value) apply();
  else countLabel.textContent = rows.length + " of " + rows.length + " shown";
})();
