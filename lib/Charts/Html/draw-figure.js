// Draws one course figure into its <div>. plotly.js is shared by every figure on the page (window.Plotly):
// the first figure that needs it asks for it once, every figure waits until it is there, then draws.
// Arguments: the plotly figure {data, layout, frames, config}, the div's id, the URL to load plotly.js from
// (null: another script or output provides it), and a hint shown when plotly.js never arrives.
(function (figure, elementId, plotlyUrl, missingHint) {
  "use strict";
  // Ids come from the figure's content, so one figure shown twice on a page gives two divs with one id:
  // take the first of them that no script has claimed yet.
  var target = null, candidates = document.querySelectorAll('[id="' + elementId + '"]');
  for (var i = 0; i < candidates.length && !target; i++)
    if (!candidates[i].hasAttribute("data-course-drawn")) target = candidates[i];
  if (!target) return;
  target.setAttribute("data-course-drawn", "");

  function fail(message) {
    var note = document.createElement("pre");
    note.className = "course-figure-error";
    note.style.color = "#b00020";                      // dark red on its own light red: readable on light and dark themes
    note.style.background = "#fdecea";
    note.style.padding = "6px 8px";
    note.style.whiteSpace = "pre-wrap";
    note.textContent = message;
    target.replaceChildren(note);
  }

  function draw(Plotly) {
    Plotly.newPlot(target, figure.data, figure.layout || {}, figure.config || {})
      .then(function () { return figure.frames ? Plotly.addFrames(target, figure.frames) : undefined; })
      .catch(function (error) { fail("The figure could not be drawn: " + error); });
  }

  function requestPlotly(url) {
    var state = window.__coursePlotly = window.__coursePlotly || {};
    if (state.requested) return;
    state.requested = url;
    if (typeof window.define === "function" && window.define.amd && typeof window.require === "function") {
      // Pages with require.js (Jupyter's classic notebook): a plain <script> would register an anonymous
      // module and never set window.Plotly, so load it as a named module instead.
      window.require.config({ paths: { "course-plotly": url.replace(/\.js$/, "") } });
      window.require(["course-plotly"], function (Plotly) { window.Plotly = window.Plotly || Plotly; },
        function () { state.failed = url; });
      return;
    }
    var script = document.createElement("script");
    script.src = url;
    script.onerror = function () { state.failed = url; };
    document.head.appendChild(script);
  }

  function whenPlotly(then) {
    var waited = 0, step = 50, limit = 60000;
    (function poll() {
      if (window.Plotly) { then(window.Plotly); return; }
      var failed = (window.__coursePlotly || {}).failed;
      if (failed) { fail("plotly.js could not be loaded from " + failed + ". " + missingHint); return; }
      if ((waited += step) > limit) { fail("plotly.js did not arrive. " + missingHint); return; }
      setTimeout(poll, step);
    })();
  }

  if (!window.Plotly && plotlyUrl) requestPlotly(plotlyUrl);
  whenPlotly(draw);
})
