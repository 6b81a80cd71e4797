/* The council meeting's live part: every 10 s, fetch the quorum-and-tally fragment the page
   names (data-live) and put it in place. Without JavaScript the page shows it as loaded. */
(function () {
  "use strict";
  var live = document.getElementById("council-live");
  if (!live || !live.dataset.live || !window.fetch) { return; }
  function refresh() {
    if (document.hidden) { return; }
    fetch(live.dataset.live, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { return null; }  /* signed out: keep what is shown */
        return response.text();
      })
      .then(function (html) { if (html !== null && html !== live.innerHTML) { live.innerHTML = html; } })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  window.setInterval(refresh, 10000);
})();
