// Typesets every formula of a lesson page with the site's own KaTeX (no CDN). The element's text is the TeX source;
// throwOnError false: a bad formula shows its source in red instead of stopping the other formulas.
(function () {
  'use strict';
  document.querySelectorAll('.math-inline, .math-display').forEach(function (element) {
    katex.render(element.textContent, element, {
      displayMode: element.classList.contains('math-display'),
      throwOnError: false,
    });
  });
})();
