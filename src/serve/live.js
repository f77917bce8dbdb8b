// boardpress serve: added to pages by the preview server only, never to the
// built site. Reloads the page when a rebuild changed the site (keeping the
// reader's place), and shows a failed rebuild's errors over the last good
// page until a save fixes them.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me && me.getAttribute("data-version"));
  var key = "boardpress-scroll:" + location.pathname + location.search;

  // Where the reader is: the last element with an id at or above the top
  // of the window and how far above it sits, so that a reload puts that
  // place back even when something above it grew or shrank.
  function place() {
    var at = { y: window.scrollY, id: null, top: 0 };
    var all = document.querySelectorAll("main [id]");
    for (var i = 0; i < all.length; i++) {
      var top = all[i].getBoundingClientRect().top;
      if (top > 1) break;
      at.id = all[i].id;
      at.top = top;
    }
    return JSON.stringify(at);
  }

  function goTo(saved) {
    var at = JSON.parse(saved);
    var el = at.id && document.getElementById(at.id);
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - at.top);
    else window.scrollTo(0, at.y);
  }

  // A place still to be restored: if another rebuild reloads the page
  // before it has loaded (a long page, or two rebuilds close together), the
  // reader's place is this, not wherever the half-loaded page is.
  var pending = sessionStorage.getItem(key);
  if (pending !== null) {
    sessionStorage.removeItem(key);
    var restore = function () {
      try { goTo(pending); } catch (e) { /* an older page's number */ }
      pending = null;
    };
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }

  var panel = null;

  function hideErrors() {
    if (panel) panel.remove();
    panel = null;
  }

  function showErrors(text) {
    hideErrors();
    panel = document.createElement("section");
    panel.id = "boardpress-errors";
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "boardpress-errors-title");
    var s = panel.style;
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0";
    s.zIndex = "2147483647"; s.maxHeight = "70vh"; s.overflow = "auto";
    s.background = "#ffffff"; s.color = "#0b0c0c"; s.borderTop = "6px solid #d4351c";
    s.padding = "16px 20px"; s.boxShadow = "0 -2px 12px rgba(0,0,0,.3)";
    s.font = "16px/1.4 system-ui, sans-serif";

    var title = document.createElement("h2");
    title.id = "boardpress-errors-title";
    title.textContent = "The site could not be rebuilt";
    title.style.margin = "0 0 8px"; title.style.fontSize = "20px";
    var help = document.createElement("p");
    help.textContent = "Fix the file named below and save it: this message goes as soon as the site builds again. Behind it is the last version that built.";
    help.style.margin = "0 0 12px";
    var pre = document.createElement("pre");
    pre.textContent = text;
    pre.style.whiteSpace = "pre-wrap"; pre.style.margin = "0";
    pre.style.font = "14px/1.4 ui-monospace, Consolas, monospace";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.marginTop = "12px"; close.style.font = "inherit";
    close.addEventListener("click", hideErrors);

    panel.append(title, help, pre, close);
    document.body.appendChild(panel);
  }

  function reload() {
    sessionStorage.setItem(key, pending !== null ? pending : place());
    location.reload();
  }

  var events = new EventSource("/__boardpress/events");
  events.onmessage = function (message) {
    var status = JSON.parse(message.data);
    if (status.error) {
      showErrors(status.error);
    } else if (status.version !== version) {
      reload();
    } else {
      hideErrors();
    }
  };
})();
