/* The workspace inbox, live (issue 16): every 15 s while the tab is visible, ask
   /workspace/inbox/new for the notifications newer than the newest shown (same origin, the
   session cookie) and put them on top. The server renders the items; nothing here builds HTML
   from data. Without this script the page is the same, one reload behind. */
(function () {
  "use strict";
  var list = document.getElementById("inbox-list");
  if (!list || !list.getAttribute("data-poll") || !window.fetch || !document.createElement("template").content) return;
  var poll = list.getAttribute("data-poll");
  var status = document.getElementById("inbox-live");
  var every = 15000, waiting = every;

  function newest() {
    var first = list.querySelector("li[data-id]");
    return first ? first.getAttribute("data-id") : "";
  }

  function add(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var fresh = [];
    holder.content.querySelectorAll("li[data-id]").forEach(function (item) {
      var known = list.querySelectorAll("li[data-id]");
      for (var i = 0; i < known.length; i++) if (known[i].getAttribute("data-id") === item.getAttribute("data-id")) return;
      fresh.push(item);
    });
    for (var j = fresh.length - 1; j >= 0; j--) list.insertBefore(fresh[j], list.firstChild);
    if (fresh.length) {
      var empty = document.getElementById("inbox-empty");
      if (empty) empty.parentNode.removeChild(empty);
      if (status) status.textContent = status.getAttribute("data-template").replace("{count}", String(fresh.length));
    }
  }

  function ask() {
    if (document.hidden) { setTimeout(ask, every); return; }
    var url = poll + (poll.indexOf("?") < 0 ? "?" : "&") + "since=" + encodeURIComponent(newest());
    fetch(url, {credentials: "same-origin", headers: {"Accept": "text/html"}, redirect: "error"})
      .then(function (answer) {
        if (!answer.ok) throw new Error(String(answer.status));
        return answer.text();
      })
      .then(function (html) { add(html); waiting = every; setTimeout(ask, waiting); })
      .catch(function () { waiting = Math.min(waiting * 2, 300000); setTimeout(ask, waiting); });
  }

  setTimeout(ask, every);
})();
