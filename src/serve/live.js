// boardpress serve: added to pages by the preview server only, never to the
// built site. Reloads the page when a rebuild changed the site (keeping the
// scroll position), and shows a failed rebuild's errors over the last good
// page until a save fixes them.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me && me.getAttribute("data-version"));
  var key = "boardpress-scroll:" + location.pathname + location.search;

  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var restore = function () { window.scrollTo(0, Number(saved)); };
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
    sessionStorage.setItem(key, String(window.scrollY));
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
