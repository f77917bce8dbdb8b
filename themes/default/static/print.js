// A document page's "Print this page" button: shown only when this script
// runs, so a reader without scripts sees the hint instead. Printing itself
// needs no script: print.css lays the page out for paper.
(function () {
  function ready() {
    var button = document.getElementById('print-button');
    var hint = document.querySelector('.print-link__hint');
    if (!button || typeof window.print !== 'function') return;
    button.hidden = false;
    if (hint) hint.hidden = true;
    button.addEventListener('click', function () { window.print(); });
  }
  // Browsers that cannot show a closed disclosure's contents on paper
  // (no ::details-content) get the charts' data tables opened for printing
  // and closed again after.
  var opened = [];
  var css = window.CSS;
  if (!(css && css.supports && css.supports('selector(::details-content)'))) {
    window.addEventListener('beforeprint', function () {
      opened = Array.prototype.filter.call(
        document.querySelectorAll('details.chart__data:not([open])'),
        function (d) { d.open = true; return true; });
    });
    window.addEventListener('afterprint', function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
