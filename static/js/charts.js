/*
 * Draws each chart over the data table it comes from.
 * The page is complete without this script: every <figure data-chart-url> holds its
 * data as an HTML table inside a .chart-frame. When a chart comes near the screen we load
 * Chart.js (its URL is this script's data-chartjs), fetch the same data as Chart.js JSON
 * (django-chartjs views) and draw it in the frame, which keeps the height it had: nothing
 * below the chart moves. A "Ver los datos" button shows the table again in the same frame.
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
    "percent": function (v) { return pctFormat.format(v) + " %"; },
    "rate": function (v) { return (v < 0 ? "−" : "") + pctFormat.format(Math.abs(v)); }
  };
  var english = lang.indexOf("en") === 0;
  var text = {
    showData: english ? "Show the data" : "Ver los datos",
    showChart: english ? "Show the chart" : "Ver el gráfico",
    png: english ? "Download PNG" : "Descargar PNG"
  };
  var INK = "#1b1f23";

  function button(label, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button-secondary " + className;
    element.textContent = label;
    return element;
  }

  function pngButton(figure, chart) {
    var element = button(text.png, "chart-png");
    element.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = chart.toBase64Image("image/png", 1);
      link.download = (figure.id || "grafico") + ".png";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    return element;
  }

  function dataButton(box, table) {
    var element = button(text.showData, "chart-toggle");
    element.setAttribute("aria-pressed", "false");
    element.addEventListener("click", function () {
      var showTable = table.hidden;
      table.hidden = !showTable;
      box.hidden = showTable;
      element.setAttribute("aria-pressed", String(showTable));
      element.textContent = showTable ? text.showChart : text.showData;
    });
    return element;
  }

  // Values written at the end of each bar when they fit inside the chart area.
  var valueLabels = {
    id: "value-labels",
    afterDatasetsDraw: function (chart, args, options) {
      if (chart.config.type !== "bar") { return; }
      var ctx = chart.ctx;
      var area = chart.chartArea;
      var horizontal = chart.options.indexAxis === "y";
      ctx.save();
      ctx.font = "12px " + Chart.defaults.font.family;
      ctx.fillStyle = INK;
      chart.data.datasets.forEach(function (dataset, index) {
        var meta = chart.getDatasetMeta(index);
        if (meta.hidden) { return; }
        meta.data.forEach(function (bar, i) {
          var label = options.format(dataset.data[i]);
          var width = ctx.measureText(label).width;
          var props = bar.getProps(["x", "y", "base", "height", "width"], true);
          var negative = dataset.data[i] < 0;  // the value's sign, not pixels: a tiny bar ends on its base
          if (horizontal) {
            if (props.height < 11) { return; }
            var x = negative ? props.x - 4 - width : props.x + 4;
            var fits = function (left) { return left >= area.left && left + width <= area.right; };
            if (!fits(x)) {
              if (Math.abs(props.x - props.base) >= width + 8) {
                x = negative ? props.x + 4 : props.x - 4 - width;  // inside the bar's other end
                ctx.fillStyle = "#ffffff";
              } else {
                x = negative ? props.base + 4 : props.base - 4 - width;  // beyond the zero line
                if (!fits(x)) { return; }
              }
            }
            ctx.textBaseline = "middle";
            ctx.fillText(label, x, props.y);
            ctx.fillStyle = INK;
          } else {
            if (props.width < width + 2) { return; }
            ctx.textBaseline = negative ? "top" : "bottom";
            ctx.fillText(label, props.x - width / 2, negative ? props.y + 3 : props.y - 3);
          }
        });
      });
      ctx.restore();
    }
  };

  var whiteBackground = {
    id: "white-background",  // so that the downloaded PNG is not transparent
    beforeDraw: function (c) {
      var ctx = c.canvas.getContext("2d");
      ctx.save();
      ctx.globalCompositeOperation = "destination-over";
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.restore();
    }
  };

  // Chart.js (60 KB) is fetched only when a chart comes near the screen: pages open without it.
  var chartjs = null;
  function loadChartjs() {
    if (!chartjs) {
      chartjs = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = script.dataset.chartjs;
        tag.onload = function () {
          Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
          Chart.defaults.color = INK;
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
    var years = figure.hasAttribute("data-chart-years");
    var frame = figure.querySelector(".chart-frame");
    var table = figure.querySelector(".chart-data");
    var tools = figure.querySelector(".chart-tools");

    Promise.all([
      fetch(figure.dataset.chartUrl, { headers: { "Accept": "application/json" } }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      }),
      loadChartjs()
    ])
      .then(function (results) { return results[0]; })
      .then(function (data) {
        var narrow = frame.clientWidth < 560;
        frame.style.height = frame.offsetHeight + "px";  // the table's height: the chart takes its place
        var box = document.createElement("div");
        box.className = "chart-canvas";
        var canvas = document.createElement("canvas");
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", figure.dataset.chartTitle + ". " +
          (figure.querySelector(".chart-summary") || {}).textContent);
        box.appendChild(canvas);
        table.hidden = true;
        frame.insertBefore(box, table);

        var valueAxis = horizontal ? "x" : "y";
        var categoryAxis = horizontal ? "y" : "x";
        var scales = {};
        if (kind !== "doughnut") {
          scales[valueAxis] = {
            title: { display: true, text: figure.dataset.chartAxis, font: { weight: "bold" } },
            // Five round ticks on a phone: with four, Chart.js stretched the saldo axis to −2,000,000 … 4,000,000.
            // Chart.js then leaves out every other label when they would come closer than autoSkipPadding
            // (0 1,000,000 2,000,000 3,000,000 ran together on a phone): fewer labels, never touching.
            ticks: {
              callback: function (v) { return format(v); },
              maxTicksLimit: narrow ? 5 : 8,
              autoSkip: true,
              autoSkipPadding: narrow ? 14 : 10,
              maxRotation: horizontal ? 0 : 50
            },
            grace: "8%"
          };
          scales[categoryAxis] = {
            ticks: horizontal ? { autoSkip: false } : { autoSkip: false, maxRotation: narrow ? 60 : 0 },
            grid: { display: false }
          };
        }
        if (years) {
          // Census years to scale: a linear x axis ({x: year, y: value} points), 1940→1961 twice as wide as
          // 2007→2017; one tick at each census year, written as a year (1940, not 1,940).
          var censusYears = data.labels.map(Number);
          scales.x = {
            type: "linear",
            min: censusYears[0] - 2,
            max: censusYears[censusYears.length - 1] + 2,
            afterBuildTicks: function (axis) {
              axis.ticks = censusYears.map(function (year) { return { value: year }; });
            },
            // Close census years (1972, 1981) on a phone: the labels are turned so that they never touch.
            ticks: {
              autoSkip: false,
              callback: function (v) { return String(v); },
              minRotation: narrow ? 60 : 0,
              maxRotation: narrow ? 60 : 0
            },
            grid: { display: false }
          };
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
              "value-labels": { format: format },
              legend: { display: data.datasets.length > 1 || kind === "doughnut", position: "bottom" },
              tooltip: {
                callbacks: {
                  title: function (items) {
                    // On the years axis the census year, as a year (Chart.js would write 1,940).
                    return years && items.length ? String(items[0].parsed.x) : undefined;
                  },
                  label: function (ctx) {
                    var value = ctx.parsed && typeof ctx.parsed === "object" ? ctx.parsed[valueAxis] : ctx.parsed;
                    var name = kind === "doughnut" ? ctx.label : ctx.dataset.label;
                    return (name ? name + ": " : "") + format(value);
                  }
                }
              }
            }
          },
          plugins: [valueLabels, whiteBackground]
        });
        tools.insertBefore(pngButton(figure, chart), tools.firstChild);
        tools.insertBefore(dataButton(box, table), tools.firstChild);
      })
      .catch(function () {
        // The data table stays (or comes back): nothing is lost.
        var box = frame.querySelector(".chart-canvas");
        if (box) { box.remove(); }
        table.hidden = false;
        frame.style.height = "";
      });
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
