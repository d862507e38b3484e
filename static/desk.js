// The desk's one script; pages work without it. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // A form marked data-once sends once: a second click while the first is under way
  // does nothing (the server also makes one request of two, by the form's key).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.setAttribute("aria-disabled", "true");
    });
  });
  // A print button: the receipt of a voucher sale.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) {
      window.print();
    }
  });
  // After a form came back with errors, the summary takes the focus so a screen
  // reader reads it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("fouten");
    if (summary) summary.focus();
  });
})();
