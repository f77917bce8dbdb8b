// The board's search: elasticlunr.js indexes what search/index.js lists
// (window.boardpressSearch: link r, title t, text b, where w, excerpt x),
// loaded by script tags so that it works on any static host and from a
// folder opened from disk. The words searched for live in the address
// (?q=...), so a result list can be shared.
(function () {
  'use strict';
  var data = window.boardpressSearch;
  var form = document.querySelector('.search-form');
  var status = document.querySelector('.search-status');
  var list = document.querySelector('.search-results');
  var fallback = document.querySelector('.search-noscript');
  if (!data || !window.elasticlunr || !form || !window.URLSearchParams) return;
  fallback.hidden = true;
  var docs = {};
  var index = window.elasticlunr(function () {
    this.addField('title');
    this.addField('body');
    this.setRef('r');
    this.saveDocument(false);
  });
  data.forEach(function (e) {
    docs[e.r] = e;
    index.addDoc({ r: e.r, title: e.t, body: e.b });
  });
  var input = form.elements.namedItem('q');
  var LIMIT = 50;

  function item(ref) {
    var doc = docs[ref];
    var li = document.createElement('li');
    var a = document.createElement('a');
    a.href = '../' + ref;
    a.textContent = doc.t;
    var title = document.createElement('p');
    title.className = 'search-results__title';
    title.appendChild(a);
    var where = document.createElement('p');
    where.className = 'search-results__where muted';
    where.textContent = doc.w;
    li.appendChild(title);
    li.appendChild(where);
    if (doc.x) {
      var text = document.createElement('p');
      text.textContent = doc.x;
      li.appendChild(text);
    }
    return li;
  }

  function search(words, remember) {
    while (list.firstChild) list.removeChild(list.firstChild);
    words = words.trim();
    if (remember) {
      var url = location.pathname + (words ? '?q=' + encodeURIComponent(words) : '');
      try { history.replaceState(null, '', url); } catch (e) { /* opened from disk */ }
    }
    if (!words) {
      status.textContent = '';
      return;
    }
    // Every word must match (in a title or text); a word's start is enough.
    var found = index.search(words, { bool: 'AND', expand: true, fields: { title: { boost: 2 }, body: { boost: 1 } } });
    found.slice(0, LIMIT).forEach(function (r) { list.appendChild(item(r.ref)); });
    status.textContent = found.length === 0
      ? 'Nothing matches “' + words + '”.'
      : (found.length > LIMIT ? 'The first ' + LIMIT + ' of ' : '') + found.length + (found.length === 1 ? ' result' : ' results') + ' for “' + words + '”.';
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    search(input.value, true);
  });
  var asked = new URLSearchParams(location.search).get('q') || '';
  input.value = asked;
  if (asked) search(asked, false);
}());
