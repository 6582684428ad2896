/* Admin Markdown fields: text pasted from Word or Google Docs keeps its form as Markdown.

   The clipboard's HTML is read in an inert document (DOMParser: nothing runs, nothing loads), tidied of what
   Word and Google Docs add — Word's lists are paragraphs marked «mso-list», Google Docs wraps everything in a
   <b> that is not bold and writes bold and italic as styles, tables have no heading row — and turned into
   Markdown by turndown with its GFM tables (static/vendor/turndown/, MIT): headings, bold and italic, links,
   bulleted and numbered lists, tables and line breaks. Images are not published: they are left out and the
   editor is told so. Plain text pastes as it always did; without JavaScript the field works as before. */
(function () {
  "use strict";

  function unwrap(node) {
    while (node.firstChild) { node.parentNode.insertBefore(node.firstChild, node); }
    node.remove();
  }

  function wrapIn(node, tag) {
    var outer = node.ownerDocument.createElement(tag);
    node.parentNode.insertBefore(outer, node);
    outer.appendChild(node);
  }

  // Word: <p style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">1.<span> </span></span>Texto</p>
  function wordLists(body) {
    var doc = body.ownerDocument;
    var stack = [];
    Array.prototype.slice.call(body.querySelectorAll("p")).forEach(function (p) {
      var style = p.getAttribute("style") || "";
      var match = /mso-list:\s*(l\d+)\s+level(\d+)/i.exec(style);
      if (!match) { return; }
      var level = parseInt(match[2], 10);
      var marker = "";
      p.querySelectorAll("span").forEach(function (span) {
        if (/mso-list:\s*Ignore/i.test(span.getAttribute("style") || "")) {
          marker = marker || span.textContent.trim();
          span.remove();
        }
      });
      var ordered = /^[0-9a-zA-Z]{1,4}[.)]$/.test(marker);
      if (!stack.length || p.previousElementSibling !== stack[0] || stack.id !== match[1]) {
        stack = []; // a new list
        stack.id = match[1];
      }
      while (stack.length > level) { stack.pop(); }
      while (stack.length < level) {
        var list = doc.createElement(ordered ? "ol" : "ul");
        if (stack.length) {
          var parentList = stack[stack.length - 1];
          var lastItem = parentList.lastElementChild || parentList.appendChild(doc.createElement("li"));
          lastItem.appendChild(list);
        } else {
          p.parentNode.insertBefore(list, p);
        }
        stack.push(list);
      }
      var li = doc.createElement("li");
      while (p.firstChild) { li.appendChild(p.firstChild); }
      stack[stack.length - 1].appendChild(li);
      p.remove();
    });
  }

  // Google Docs: <b style="font-weight:normal" id="docs-internal-guid-…">, <span style="font-weight:700">.
  function googleDocs(body) {
    body.querySelectorAll("b[id^='docs-internal-guid']").forEach(unwrap);
    body.querySelectorAll("span[style]").forEach(function (span) {
      var style = span.getAttribute("style");
      if (/font-weight:\s*(bold|[6-9]00)/i.test(style)) { wrapIn(span, "strong"); }
      if (/font-style:\s*italic/i.test(style)) { wrapIn(span, "em"); }
    });
    // A nested list written as a sibling of its parent item goes inside it.
    body.querySelectorAll("ul > ul, ul > ol, ol > ol, ol > ul").forEach(function (list) {
      var item = list.previousElementSibling;
      if (item && item.tagName === "LI") { item.appendChild(list); }
    });
    // Paragraphs inside list items and table cells are lines, not blocks.
    body.querySelectorAll("li > p").forEach(unwrap);
  }

  function tables(body) {
    body.querySelectorAll("table").forEach(function (table) {
      table.querySelectorAll("colgroup").forEach(function (node) { node.remove(); });
      table.querySelectorAll("td, th").forEach(function (cell) {
        cell.querySelectorAll("br").forEach(function (br) { br.replaceWith(" "); });
        cell.querySelectorAll("p, div").forEach(function (block) { block.append(" "); unwrap(block); });
      });
      var first = table.rows[0];
      if (!first || first.parentNode.tagName === "THEAD") { return; }
      Array.prototype.slice.call(first.cells).forEach(function (cell) {
        if (cell.tagName === "TD") {
          var th = table.ownerDocument.createElement("th");
          while (cell.firstChild) { th.appendChild(cell.firstChild); }
          cell.replaceWith(th);
        }
      });
    });
  }

  function imagesOut(body) {
    var images = body.querySelectorAll("img, picture, svg, imagedata, [style*='mso-image']");
    images.forEach(function (node) { node.remove(); });
    return images.length;
  }

  function toMarkdown(html) {
    var body = new DOMParser().parseFromString(html, "text/html").body;
    body.querySelectorAll("style, script, meta, link, title, o\\:p").forEach(function (node) {
      if (node.tagName.toLowerCase() === "o:p") { unwrap(node); } else { node.remove(); }
    });
    var images = imagesOut(body);
    googleDocs(body);
    wordLists(body);
    tables(body);
    var service = new TurndownService({
      headingStyle: "atx",
      bulletListMarker: "-",
      emDelimiter: "*",
      strongDelimiter: "**",
      codeBlockStyle: "fenced"
    });
    service.use(turndownPluginGfm.tables);
    var markdown = service.turndown(body.innerHTML)
      .replace(/\u00a0/g, " ")
      .replace(/^[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return { markdown: markdown, images: images };
  }

  function tell(textarea, text) {
    var anchor = textarea.closest(".markdown-editor") || textarea.parentNode;
    var box = anchor.querySelector(".paste-notice");
    if (!box) {
      box = document.createElement("p");
      box.className = "paste-notice errornote";
      box.setAttribute("role", "alert");
      anchor.insertBefore(box, textarea);
    }
    box.textContent = text;
  }

  function setup(textarea) {
    textarea.addEventListener("paste", function (event) {
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (!html || typeof TurndownService === "undefined") { return; }
      var result = toMarkdown(html);
      if (!result.markdown && !result.images) { return; }
      event.preventDefault();
      textarea.setRangeText(result.markdown, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      if (result.images) {
        tell(textarea, result.images === 1
          ? "Se pegó el texto sin su imagen: los textos del portal no publican imágenes."
          : "Se pegó el texto sin sus " + result.images + " imágenes: los textos del portal no publican imágenes.");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.markdown-input").forEach(setup);
  });
  window.portalPasteToMarkdown = toMarkdown; // for the browser tests and the field trial
})();
