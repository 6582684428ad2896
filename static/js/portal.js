/*
 * Small enhancements for every page (the page works without them).
 * A table wider than its box fades at the edge that has more columns (data-overflow="left right"),
 * updated as the reader scrolls it, and the line above it (.scroll-hint) shows (CSS) exactly while that is so.
 */
(function () {
  "use strict";
  function update(box) {
    var more = [];
    if (box.scrollLeft > 1) { more.push("left"); }
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) { more.push("right"); }
    if (more.length && getComputedStyle(box).overflowX !== "visible") {
      box.setAttribute("data-overflow", more.join(" "));
    } else {
      box.removeAttribute("data-overflow");
    }
  }
  function updateAll() {
    document.querySelectorAll(".table-scroll").forEach(update);
  }
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    box.addEventListener("scroll", function () { update(box); }, { passive: true });
  });
  document.documentElement.classList.add("tables-measured");  // the hints follow data-overflow now
  window.addEventListener("resize", updateAll);
  document.addEventListener("click", function () { window.setTimeout(updateAll, 0); });
  updateAll();
})();

/*
 * The catalogue's filters (<details class="filter-panel">) are folded on phones; from 48rem the CSS shows them
 * anyway, so they are marked open there too (screen readers then say "expanded", as the page shows).
 */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function sync() {
    document.querySelectorAll("details.filter-panel").forEach(function (panel) {
      if (wide.matches) { panel.open = true; }
    });
  }
  wide.addEventListener("change", sync);
  sync();
})();

/*
 * Stacked tables (.stack-table: on phones each row is a card, CSS display: block/grid): some browsers then stop
 * announcing them as tables. Their parts get the table roles here, as a script, because the HTML standard does not
 * allow those roles written on a table's own rows and cells (the W3C checker refuses them).
 */
(function () {
  "use strict";
  var roles = { TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell" };
  document.querySelectorAll("table.stack-table").forEach(function (table) {
    [table].concat(Array.prototype.slice.call(table.querySelectorAll("thead, tbody, tfoot, tr, th, td")))
      .forEach(function (element) {
        var role = element.tagName === "TH"
          ? (element.getAttribute("scope") === "row" ? "rowheader" : "columnheader")
          : roles[element.tagName];
        element.setAttribute("role", role);
      });
  });
})();

/*
 * Search boxes (input[data-suggest]) suggest the departments as one types: when a box is first used, the names
 * are fetched once (a small public JSON file, data-suggest) into a <datalist> the browser shows under the box.
 * Without this script the box searches all the same (/buscar/ forgives typos).
 */
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-suggest]");
  if (!inputs.length || !window.fetch) { return; }
  var names = null;
  function load(url) {
    if (!names) {
      names = fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
    }
    return names;
  }
  inputs.forEach(function (input) {
    input.addEventListener("focus", function () {
      if (input.getAttribute("list")) { return; }
      load(input.dataset.suggest).then(function (departments) {
        var list = document.createElement("datalist");
        list.id = input.id + "-sugerencias";
        departments.forEach(function (department) {
          var option = document.createElement("option");
          option.value = department.name;
          list.appendChild(option);
        });
        input.parentNode.appendChild(list);
        input.setAttribute("list", list.id);
      }).catch(function () { names = null; });  // no suggestions: the search works without them
    });
  });
})();

/*
 * Sorting a table keeps the reader's place: the sort links (a[data-sort-link]) reload the page at the sorted
 * column's heading (#columna-…, without this script too); here the page comes back to the exact scroll position
 * (and the table's own sideways scroll) it had, and the focus is on the sorted column's link.
 */
(function () {
  "use strict";
  var KEY = "portal-sort-place";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-sort-link]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    var box = link.closest(".table-scroll");
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        url: link.href, y: window.scrollY, left: box ? box.scrollLeft : 0, column: link.closest("th").id
      }));
    } catch (error) { /* private mode: the heading anchor alone */ }
  });
  var place = null;
  try {
    place = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (error) { return; }
  if (!place || place.url !== location.href) { return; }
  var heading = document.getElementById(place.column);
  var link = heading && heading.querySelector("a[data-sort-link]");
  if (!link) { return; }
  // The heading's anchor has done its work: without it in the address the browser does not scroll there again.
  history.replaceState(history.state, "", location.pathname + location.search);
  var box = link.closest(".table-scroll");
  function restore() {
    if (box) { box.scrollLeft = place.left; }
    window.scrollTo(0, place.y);
  }
  restore();
  link.focus({ preventScroll: true });
  window.addEventListener("load", function () { if (document.activeElement === link) { restore(); } });
})();

/*
 * The map on a touch screen: a tap does not leave the page at once; it shows the department's value under the map
 * (.map-tap) with a link on to its profile, and marks the department. A second tap on it opens the profile. With a
 * mouse or the keyboard the links work as links (the value shows on hover and focus, CSS). Without this script a
 * tap opens the profile, which shows every value.
 */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "").indexOf("en") === 0;
  document.querySelectorAll("figure.map:not(.locator)").forEach(function (figure) {
    var panel = figure.querySelector(".map-tap");
    if (!panel) { return; }
    var touch = false;
    var selected = null;
    figure.addEventListener("pointerdown", function (event) { touch = event.pointerType === "touch"; });
    figure.addEventListener("click", function (event) {
      var region = event.target.closest && event.target.closest("svg a[data-value]");
      if (!region || !touch || region === selected) { return; }
      event.preventDefault();
      if (selected) { selected.classList.remove("selected"); }
      selected = region;
      region.classList.add("selected");
      var name = region.getAttribute("data-name");
      panel.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = name + ": ";
      var link = document.createElement("a");
      link.href = region.getAttribute("href");
      link.textContent = english ? "See the profile of " + name : "Ver la ficha de " + name;
      panel.append(strong, region.getAttribute("data-value") + ". ", link);
      panel.hidden = false;
    });
  });
})();
