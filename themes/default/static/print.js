// The print version's "Print or save as PDF" button: shown only when this
// script runs, so a reader without scripts sees the hint instead.
(function () {
  var button = document.getElementById('print-button');
  var hint = document.querySelector('.print-toolbar__hint');
  if (!button || typeof window.print !== 'function') return;
  button.parentNode.hidden = false;
  if (hint) hint.hidden = true;
  button.addEventListener('click', function () { window.print(); });
})();
