// Cadran: the progress bar of a running import. Without this file the page
// refreshes itself (a <meta> refresh inside <noscript>).
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-import-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-template]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error(r.status);
      }
      return r.json();
    }).then(function (p) {
      if (p.state !== "running") {
        window.location.reload();
        return;
      }
      bar.max = Math.max(p.total, 1);
      bar.value = p.done;
      text.textContent = text.getAttribute("data-template").replace("__DONE__", p.done.toLocaleString(document.documentElement.lang)).replace("__TOTAL__", p.total.toLocaleString(document.documentElement.lang));
      window.setTimeout(poll, 1000);
    }).catch(function () {
      window.setTimeout(poll, 3000);
    });
  }
  window.setTimeout(poll, 500);
})();
