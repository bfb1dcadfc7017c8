// Sorting and filtering of the index table. Without JavaScript the table is a plain list.
(function () {
  "use strict";
  var table = document.getElementById("pep-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filters = document.getElementById("pep-filters");
  var statusSelect = document.getElementById("status-filter");
  var textInput = document.getElementById("text-filter");
  var countLabel = document.getElementById("filter-count");
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  filters.hidden = false;

  function params() { return new URLSearchParams(window.location.search); }

  function apply() {
    var status = statusSelect.value;
    var words = textInput.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var ok = (!status || row.getAttribute("data-status") === status) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    countLabel.textContent = shown + " of " + rows.length + " shown";
    var query = params();
    if (status) query.set("status", status); else query.delete("status");
    if (textInput.value) query.set("q", textInput.value); else query.delete("q");
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  var initial = params();
  if (initial.get("status")) statusSelect.value = initial.get("status");
  if (initial.get("q")) textInput.value = initial.get("q");
  statusSelect.addEventListener("change", apply);
  textInput.addEventListener("input", apply);

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    th.tabIndex = 0;
    th.setAttribute("role", "columnheader button");
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.getAttribute("data-sort") === "number";
      var keyed = rows.map(function (row, i) {
        var cell = row.cells[column];
        var key = numeric ? parseFloat(cell.getAttribute("data-value")) : cell.textContent.trim().toLowerCase();
        return { row: row, key: key, i: i };
      });
      keyed.sort(function (a, b) {
        var c = a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i;
        return ascending ? c : -c;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (k) { fragment.appendChild(k.row); });
      body.appendChild(fragment);
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  apply();
})();
