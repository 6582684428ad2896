/*
 * Draws each chart over the data table it comes from.
 * The page is complete without this script: every <figure data-chart-url> holds its
 * data as an HTML table. When a chart comes near the screen we load Chart.js (its URL is
 * this script's data-chartjs), fetch the same data as Chart.js JSON (django-chartjs
 * views), draw it on a canvas and fold the table into a "Ver los datos" disclosure.
 */
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure[data-chart-url]");
  var script = document.currentScript;
  if (!figures.length || !script || !script.dataset.chartjs || !window.fetch) { return; }

  var lang = document.documentElement.lang || "es-PE";
  var intFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  var pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var formatters = {
    "int": function (v) { return intFormat.format(v); },
    "signed": function (v) { return (v > 0 ? "+" : v < 0 ? "−" : "") + intFormat.format(Math.abs(v)); },
    "percent": function (v) { return pctFormat.format(v) + " %"; }
  };
  var english = lang.indexOf("en") === 0;
  var dataLabel = english ? "Show the data" : "Ver los datos";
  var pngLabel = english ? "Download PNG" : "Descargar PNG";

  function pngButton(figure, chart) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button-secondary chart-png";
    button.textContent = pngLabel;
    button.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = chart.toBase64Image("image/png", 1);
      link.download = (figure.id || "grafico") + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    return button;
  }

  // Chart.js (60 KB) is fetched only when a chart comes near the screen: pages open without it.
  var chartjs = null;
  function loadChartjs() {
    if (!chartjs) {
      chartjs = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = script.dataset.chartjs;
        tag.onload = function () {
          Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
          Chart.defaults.color = "#1b1f23";
          resolve();
        };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return chartjs;
  }

  function draw(figure) {
    var kind = figure.dataset.chartKind;
    var format = formatters[figure.dataset.chartFormat] || formatters["int"];
    var horizontal = figure.hasAttribute("data-chart-horizontal");
    var table = figure.querySelector(".chart-data");

    Promise.all([
      fetch(figure.dataset.chartUrl, { headers: { "Accept": "application/json" } }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }),
      loadChartjs()
    ])
      .then(function (results) { return results[0]; })
      .then(function (data) {
        var box = document.createElement("div");
        var rows = data.labels.length;
        box.className = "chart-canvas" + (horizontal && rows > 12 ? " tall" : kind === "doughnut" ? " short" : "");
        var canvas = document.createElement("canvas");
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", figure.dataset.chartTitle + ". " +
          (figure.querySelector(".chart-summary") || {}).textContent);
        box.appendChild(canvas);
        figure.insertBefore(box, table);

        var details = document.createElement("details");
        var summary = document.createElement("summary");
        summary.textContent = dataLabel;
        details.appendChild(summary);
        table.parentNode.insertBefore(details, table);
        details.appendChild(table);

        var valueAxis = horizontal ? "x" : "y";
        var scales = {};
        if (kind !== "doughnut") {
          scales[valueAxis] = { ticks: { callback: function (v) { return format(v); } } };
        }
        var chart = new Chart(canvas, {
          type: kind,
          data: data,
          options: {
            indexAxis: horizontal ? "y" : "x",
            maintainAspectRatio: false,
            animation: false,
            scales: scales,
            plugins: {
              legend: { display: data.datasets.length > 1 || kind === "doughnut", position: "bottom" },
              tooltip: {
                callbacks: {
                  label: function (ctx) {
                    var value = ctx.parsed && typeof ctx.parsed === "object" ? ctx.parsed[valueAxis] : ctx.parsed;
                    var name = kind === "doughnut" ? ctx.label : ctx.dataset.label;
                    return (name ? name + ": " : "") + format(value);
                  }
                }
              }
            }
          },
          plugins: [{
            id: "white-background",  // so that the downloaded PNG is not transparent
            beforeDraw: function (c) {
              var ctx = c.canvas.getContext("2d");
              ctx.save();
              ctx.globalCompositeOperation = "destination-over";
              ctx.fillStyle = "#ffffff";
              ctx.fillRect(0, 0, c.width, c.height);
              ctx.restore();
            }
          }]
        });
        box.insertAdjacentElement("afterend", pngButton(figure, chart));
      })
      .catch(function () { /* The data table stays visible: nothing is lost. */ });
  }

  if (!("IntersectionObserver" in window)) {
    figures.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    });
  }, { rootMargin: "300px 0px" });
  figures.forEach(function (figure) { observer.observe(figure); });
})();
