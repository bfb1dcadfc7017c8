// Light or dark: the reader's choice (kept in localStorage), else the system's. Loaded in <head>,
// before anything is drawn, so a page never flashes in the other scheme.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "pepctl-theme";
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }  // storage may be off
  }
  root.className += " js";  // the toggle shows (by CSS, so nothing moves once the page is drawn)
  var chosen = stored();
  if (chosen === "light" || chosen === "dark") root.setAttribute("data-theme", chosen);

  function current() {
    var own = root.getAttribute("data-theme");
    if (own) return own;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    function label() { button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false"); }
    label();
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* the choice lasts for this page only */ }
      label();
    });
  });
})();
