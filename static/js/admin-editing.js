/* Admin change forms: what an editor types is not lost.

   - A copy of the form's fields is kept in this browser (localStorage, per address) while the editor types.
     When the form opens again with other values — after the session expired and the log-in page came, after
     the «El formulario no se pudo enviar» page and a reload, after closing the tab — it offers it back.
     The copy carries the version the text was typed on (history_version): saving it over newer work is
     refused by the server, which says what changed. It is dropped when the form shows the same values.
   - Leaving a changed form asks first (the browser's own «¿Salir del sitio?»).
   - While the editor types, the session is renewed every few minutes (POST to the keep-alive address):
     a working editor is not signed out mid-text; if the session ended anyway, the page says so at once.
   Without JavaScript the forms work as before. */
(function () {
  "use strict";
  var PREFIX = "portal-form:";
  var KEEP_DAYS = 14;
  var PING_MINUTES = 5;
  var script = document.currentScript;
  var keepaliveUrl = script && script.dataset.keepaliveUrl;

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken" || el.name.indexOf("__prefix__") !== -1) {
        return false;
      }
      if (el.type === "hidden") { return /(^|-)history_version$/.test(el.name); }
      return !/^(submit|button|file|password|reset|image)$/.test(el.type);
    });
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked; }
    if (el.type === "select-multiple") {
      return Array.prototype.filter.call(el.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; }).join("\n");
    }
    return el.value;
  }

  function snapshot(form) {
    var values = {};
    fields(form).forEach(function (el) {
      var key = el.type === "radio" ? el.name + "=" + el.value : el.name;
      values[key] = valueOf(el);
    });
    return values;
  }

  function sameText(a, b) {
    // The versions differ after a conflict; what counts is the text typed.
    return Object.keys(a).every(function (key) {
      return /history_version$/.test(key) || !(key in b) || String(a[key]) === String(b[key]);
    });
  }

  function restore(form, values) {
    fields(form).forEach(function (el) {
      var key = el.type === "radio" ? el.name + "=" + el.value : el.name;
      if (!(key in values)) { return; }
      var value = values[key];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = value === true;
      } else if (el.type === "select-multiple") {
        var chosen = String(value).split("\n");
        Array.prototype.forEach.call(el.options, function (o) { o.selected = chosen.indexOf(o.value) !== -1; });
      } else if (el.type === "select-one" && !Array.prototype.some.call(el.options, function (o) { return o.value === value; })) {
        return; // an autocomplete's choice that is not drawn on this page
      } else {
        el.value = value;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function read(key) {
    try {
      var stored = JSON.parse(window.localStorage.getItem(key) || "null");
      if (stored && Date.now() - stored.saved < KEEP_DAYS * 864e5) { return stored; }
      window.localStorage.removeItem(key);
    } catch (error) { /* storage refused (private mode): the form works as before */ }
    return null;
  }

  function write(key, values) {
    try {
      window.localStorage.setItem(key, JSON.stringify({ saved: Date.now(), values: values }));
    } catch (error) { /* full or refused: nothing else to do */ }
  }

  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (error) { /* refused */ }
  }

  function notice(form, className, text) {
    var box = document.createElement("div");
    box.className = "editing-notice " + className;
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    form.parentNode.insertBefore(box, form);
    return box;
  }

  function button(box, text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    box.appendChild(b);
    return b;
  }

  function offer(form, key, stored) {
    var when = new Date(stored.saved).toLocaleString("es-PE", { dateStyle: "medium", timeStyle: "short" });
    var box = notice(form, "editing-recover",
      "Este navegador guardó lo que escribió en este formulario el " + when + " y no llegó a guardarse en el portal.");
    button(box, "Recuperar lo que escribí", function () {
      restore(form, stored.values);
      box.querySelector("p").textContent = "Texto recuperado. Revíselo y pulse «Guardar».";
      box.querySelectorAll("button").forEach(function (b) { b.remove(); });
      form.dataset.dirty = "1";
    });
    button(box, "Descartarlo", function () { forget(key); box.remove(); });
  }

  function keepAlive(form, state) {
    if (!keepaliveUrl) { return; }
    window.setInterval(function () {
      if (!state.typedSincePing) { return; }
      state.typedSincePing = false;
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(keepaliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        if (response.status === 401 || response.status === 403) {
          if (!state.endedNotice) {
            state.endedNotice = notice(form, "editing-session-ended",
              "Su sesión terminó. Lo que escribió está guardado en este navegador: inicie sesión en otra pestaña " +
              "y vuelva a pulsar «Guardar» aquí (o recupérelo al volver a abrir este formulario).");
            var link = document.createElement("a");
            link.href = keepaliveUrl.replace(/sesion-activa\/$/, "login/");
            link.target = "_blank";
            link.rel = "noopener";
            link.textContent = "Iniciar sesión en otra pestaña";
            state.endedNotice.appendChild(link);
          }
          state.typedSincePing = true; // try again at the next round
          return null;
        }
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data && data.csrf_token) {
          if (token) { token.value = data.csrf_token; }
          if (state.endedNotice) { state.endedNotice.remove(); state.endedNotice = null; }
        }
      }).catch(function () { state.typedSincePing = true; });
    }, PING_MINUTES * 60000);
  }

  function setup(form) {
    var key = PREFIX + window.location.pathname;
    var initial = snapshot(form);
    var stored = read(key);
    if (document.querySelector(".errornote")) {
      // Sent and refused (an error, another editor's change): what is shown is not saved yet.
      form.dataset.dirty = "1";
      write(key, initial);
    } else if (stored && !sameText(stored.values, initial)) {
      offer(form, key, stored);
    } else if (stored) {
      forget(key); // saved, or typed back as it was
    }
    var state = { typedSincePing: false, endedNotice: null };
    var timer = null;
    function changed() {
      state.typedSincePing = true;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var now = snapshot(form);
        if (sameText(now, initial) && sameText(initial, now)) {
          form.dataset.dirty = "";
          forget(key);
        } else {
          form.dataset.dirty = "1";
          write(key, now);
        }
      }, 500);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      window.clearTimeout(timer);
      if (form.dataset.dirty) { write(key, snapshot(form)); } // kept until the portal says it is saved
      try { window.sessionStorage.setItem(PREFIX + "sent", key); } catch (error) { /* refused */ }
      form.dataset.submitting = "1";
    });
    window.addEventListener("beforeunload", function (event) {
      if (form.dataset.dirty && !form.dataset.submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    keepAlive(form, state);
  }

  document.addEventListener("DOMContentLoaded", function () {
    try {
      var sent = window.sessionStorage.getItem(PREFIX + "sent");
      if (sent && document.querySelector(".messagelist .success")) { forget(sent); } // saved
      if (sent && !document.querySelector("#login-form")) { window.sessionStorage.removeItem(PREFIX + "sent"); }
    } catch (error) { /* refused */ }
    document.querySelectorAll("#content-main form[method=post]").forEach(function (form) {
      if (form.querySelector("input[name=_save]")) { setup(form); }
    });
  });
})();
