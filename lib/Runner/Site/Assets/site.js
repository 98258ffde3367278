// Draws every chart of a lesson page from the plotly JSON stored beside it (site's own plotly.js, no CDN).
(function () {
  'use strict';
  document.querySelectorAll('.plotly-chart').forEach(function (div) {
    var source = document.getElementById(div.dataset.figure);
    try {
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
      Plotly.newPlot(div, { data: figure.data || [], layout: figure.layout || {}, frames: figure.frames, config: config });
    } catch (error) {
      div.textContent = 'This chart could not be drawn: ' + error;
      div.classList.add('chart-error');
      console.error(error);
    }
  });
})();
