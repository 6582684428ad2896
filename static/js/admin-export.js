/* Admin export page: «Seleccionar todas» ticks or clears every column (no inline handler: strict CSP). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
      toggle.addEventListener("change", function () {
        document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
          box.checked = toggle.checked;
        });
      });
    });
  });
})();
