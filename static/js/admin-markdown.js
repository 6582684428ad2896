/* Admin: a "Vista previa" button under each Markdown field. The server turns the text into the
   sanitised HTML of the public page (Markdown + nh3, markers filled) and answers a page with the
   public stylesheet, shown in a frame under the field: the preview looks as the public page will. */
(function () {
  "use strict";
  var count = 0;
  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function fit(frame) {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = doc.documentElement.scrollHeight + 4 + "px";
      }
    } catch (error) { /* not same-origin: keep the default height */ }
  }
  function setup(textarea) {
    count += 1;
    var name = "markdown-preview-" + count;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = "Vista previa";
    var frame = document.createElement("iframe");
    frame.name = name;
    frame.className = "markdown-preview";
    frame.title = "Vista previa";
    frame.hidden = true;
    frame.addEventListener("load", function () { fit(frame); });
    // A form of its own (forms cannot nest), posting the text to the preview into the frame.
    var form = document.createElement("form");
    form.method = "post";
    form.action = textarea.dataset.previewUrl;
    form.target = name;
    form.hidden = true;
    var text = document.createElement("textarea");
    text.name = "text";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    form.appendChild(text);
    form.appendChild(token);
    document.body.appendChild(form);
    var anchor = textarea.closest(".markdown-editor") || textarea;
    anchor.appendChild(button);
    anchor.appendChild(frame);
    button.addEventListener("click", function () {
      text.value = textarea.value;
      token.value = csrfToken(textarea.form);
      frame.hidden = false;
      form.submit();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-preview-url]").forEach(setup);
  });
})();
