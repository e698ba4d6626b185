// Cadran: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="...">.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
    }
  });
  // Submit a filter form when one of its menus changes: <form data-autosubmit>.
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    if (form && form.hasAttribute("data-autosubmit") && e.target.tagName === "SELECT") {
      form.submit();
    }
  });
  // Propose the next document code as the kind and unit change:
  // <form data-propose-code="/documents/next-code">.
  document.addEventListener("change", function (e) {
    var form = e.target.form;
    var url = form && form.getAttribute("data-propose-code");
    if (!url || (e.target.name !== "kind" && e.target.name !== "unit_id")) {
      return;
    }
    var q = "?kind=" + encodeURIComponent(form.elements.kind.value) + "&unit=" + encodeURIComponent(form.elements.unit_id.value);
    fetch(url + q, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : "";
    }).then(function (code) {
      if (code) {
        form.elements.code.placeholder = code;
      }
    });
  });
  // In a form with a searchable picker (<div class="picker">), Enter in
  // the picker's search field runs its search; Enter elsewhere submits the
  // form itself rather than the first picker's search button.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || t.tagName !== "INPUT" || !t.form || !t.form.querySelector(".picker")) {
      return;
    }
    var picker = t.type === "search" && t.closest(".picker");
    var button = picker ? picker.querySelector("button[formmethod]") : t.form.querySelector("button[type=submit]:not([formmethod])");
    if (button) {
      e.preventDefault();
      button.click();
    }
  });
})();
