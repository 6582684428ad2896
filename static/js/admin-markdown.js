/* Admin: a "Vista previa" button under each Markdown field, showing the sanitised HTML
   exactly as the public page will render it (server-side Markdown + nh3). */
(function () {
  "use strict";
  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function setup(textarea) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = "Vista previa";
    var preview = document.createElement("div");
    preview.className = "markdown-preview";
    preview.setAttribute("aria-live", "polite");
    preview.hidden = true;
    textarea.insertAdjacentElement("afterend", preview);
    textarea.insertAdjacentElement("afterend", button);
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form) }
      })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) { preview.innerHTML = html; preview.hidden = false; })
        .catch(function () { preview.textContent = "No se pudo generar la vista previa."; preview.hidden = false; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]").forEach(setup);
  });
})();
