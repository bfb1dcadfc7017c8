// Draws the page's Mermaid diagrams with the Mermaid script served beside this one.
// Each diagram's source is read as text from its code block; Mermaid runs in its strict
// security level (no scripts, no click handlers, labels cleaned) and its SVG is parsed as
// XML, never as HTML. A diagram Mermaid cannot read keeps its source, with the reason.
(function () {
  "use strict";
  var mermaid = window.mermaid;
  var figures = document.querySelectorAll("figure.mermaid-diagram");
  if (!mermaid || !figures.length) return;
  var dark = document.documentElement.getAttribute("data-theme") === "dark" ||
    (!document.documentElement.getAttribute("data-theme") &&
      window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: dark ? "dark" : "default",
    htmlLabels: false,
    flowchart: { htmlLabels: false },
  });
  var count = 0;
  figures.forEach(function (figure) {
    var code = figure.querySelector("pre.mermaid-source code");
    if (!code) return;
    var source = code.textContent;
    var id = "mermaid-diagram-" + (count += 1);
    mermaid.render(id, source).then(function (result) {
      var parsed = new DOMParser().parseFromString(result.svg, "image/svg+xml");
      var svg = parsed.documentElement;
      if (!svg || svg.nodeName.toLowerCase() !== "svg") throw new Error("Mermaid gave no SVG");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "Diagram");
      var holder = document.createElement("div");
      holder.className = "mermaid-drawing";
      holder.appendChild(document.importNode(svg, true));
      figure.insertBefore(holder, figure.firstChild);
      figure.classList.add("drawn");
    }).catch(function (error) {
      var leftover = document.getElementById(id);  // Mermaid's own error drawing, if it left one
      if (leftover && !figure.contains(leftover)) leftover.remove();
      var note = figure.querySelector("figcaption");
      if (note) note.textContent = "Mermaid could not draw this diagram: " + (error && error.message ? error.message : error);
    });
  });
})();
