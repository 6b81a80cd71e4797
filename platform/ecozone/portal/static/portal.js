// Progressive enhancement only: every page works without this file.
// Search as you type: a form with data-live-search="<id>" refreshes that region from the same
// URL the form would submit (the server answers the region alone for X-Portal-Fragment).
(function () {
  "use strict";
  document.querySelectorAll("form[data-live-search]").forEach(function (form) {
    var region = document.getElementById(form.getAttribute("data-live-search"));
    if (!region || !window.fetch) return;
    var timer = null, latest = 0;
    function refresh() {
      // only the filled fields, as short links as the server's own (deleting while iterating
      // a URLSearchParams skips every other entry)
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { if (value) params.append(key, value); });
      var query = params.toString();
      var url = form.getAttribute("action") + (query ? "?" + query : "");
      var ticket = ++latest;
      fetch(url, { headers: { "X-Portal-Fragment": "1" } }).then(function (response) {
        if (!response.ok) return null;
        return response.text();
      }).then(function (html) {
        if (html === null || ticket !== latest) return;  // an older answer arriving late
        region.innerHTML = html;
        history.replaceState(null, "", url);
      }).catch(function () { /* offline: the form still submits */ });
    }
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    form.addEventListener("change", function () { clearTimeout(timer); refresh(); });
  });
})();
