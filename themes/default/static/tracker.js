// The tracker's filters, applied in place. Without this script the page
// still works: its views are links the stylesheet shows by #view-KEY.
// The state lives in the URL's fragment (#status=KEY&lead=KEY...), which
// any static host and a page opened from disk both keep, so a shared link
// opens the same view. A query string (?status=KEY) is read too.
(function () {
  'use strict';
  var root = document.getElementById('tracker');
  if (!root || !window.URLSearchParams) return;
  var form = root.querySelector('.tracker-filters');
  var rows = Array.prototype.slice.call(root.querySelectorAll('tbody tr'));
  var count = root.querySelector('.tracker-count');
  var empty = root.querySelector('.tracker-empty');
  var names = ['status', 'lead', 'agency', 'document', 'priority', 'after', 'before', 'overdue'];

  function field(name) {
    return form.elements.namedItem(name);
  }

  // The filters' values, leaving out the empty ones.
  function current() {
    var state = {};
    names.forEach(function (name) {
      var el = field(name);
      if (!el) return;
      var value = el.type === 'checkbox' ? (el.checked ? '1' : '') : el.value;
      if (value) state[name] = value;
    });
    return state;
  }

  function set(state) {
    names.forEach(function (name) {
      var el = field(name);
      if (!el) return;
      var value = state[name] || '';
      if (el.type === 'checkbox') {
        el.checked = value === '1';
      } else if (el.tagName === 'SELECT') {
        // A value the list does not offer (an old link) means any.
        var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
        el.value = known ? value : '';
      } else {
        el.value = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
      }
    });
  }

  function has(list, key) {
    return (' ' + list + ' ').indexOf(' ' + key + ' ') !== -1;
  }

  function matches(tr, s) {
    var d = tr.dataset;
    if (s.status && d.status !== s.status) return false;
    if (s.lead && !has(d.leads, s.lead)) return false;
    if (s.agency && !has(d.agencies, s.agency)) return false;
    if (s.document && d.document !== s.document) return false;
    if (s.priority && d.priority !== s.priority) return false;
    // ISO dates compare as text; undated milestones match no date filter.
    if (s.after && !(d.due && d.due >= s.after)) return false;
    if (s.before && !(d.due && d.due <= s.before)) return false;
    if (s.overdue && !tr.hasAttribute('data-overdue')) return false;
    return true;
  }

  function apply(remember) {
    var s = current();
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = matches(tr, s);
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown === rows.length
      ? 'Showing all ' + rows.length + ' milestones.'
      : 'Showing ' + shown + ' of ' + rows.length + ' milestones.';
    empty.hidden = shown > 0;
    if (remember) {
      var fragment = new URLSearchParams(s).toString();
      var url = location.pathname + location.search + (fragment ? '#' + fragment : '');
      try {
        history.replaceState(null, '', url);
      } catch (e) {
        // Some browsers refuse history changes for pages opened from disk.
        location.replace('#' + fragment);
      }
    }
  }

  // A view's filter: "overdue", "status-KEY" or "document-FOLDER".
  function fromView(view) {
    if (view === 'overdue') return { overdue: '1' };
    var m = /^(status|document)-(.+)$/.exec(view);
    var state = {};
    if (m) state[m[1]] = m[2];
    return state;
  }

  // What the address asks for: a shared state, or a no-script view link.
  function requested() {
    var hash = location.hash.replace(/^#/, '');
    var view = /^view-(.+)$/.exec(hash);
    if (view) return fromView(view[1]);
    var state = {};
    [new URLSearchParams(location.search), new URLSearchParams(hash)].forEach(function (params) {
      names.forEach(function (name) {
        if (params.get(name)) state[name] = params.get(name);
      });
    });
    return state;
  }

  root.classList.add('tracker--live');
  form.hidden = false;
  form.addEventListener('change', function () { apply(true); });
  form.addEventListener('input', function (e) {
    if (e.target.type === 'date') apply(true);
  });
  form.addEventListener('reset', function () {
    setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  // The views become filters: choosing one sets the status (or overdue).
  Array.prototype.forEach.call(root.querySelectorAll('a[data-view]'), function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      set(fromView(a.getAttribute('data-view')));
      apply(true);
    });
  });
  count.setAttribute('tabindex', '-1');
  window.addEventListener('hashchange', function () {
    set(requested());
    apply(false);
  });
  set(requested());
  apply(false);
}());
