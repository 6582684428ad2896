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
    png: english ? "Download PNG" : "Descargar PNG",
    svg: english ? "Download SVG" : "Descargar SVG"
  };
  var INK = "#1b1f23";

  function button(label, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "button button-secondary " + className;
    element.textContent = label;
    return element;
  }

  /*
   * Downloads that travel: the image holds the chart's title, its subtitle (place, census), the source line and the
   * terms of reuse the page shows, and the address of the exact view (this page, its query, the chart's anchor),
   * in the page's language; it is named after what it shows (data-chart-file). The PNG also carries them as
   * text chunks (iTXt: Title, Description, Source, Copyright, Comment), the SVG as text.
   */
  function about(figure) {
    var canonical = document.querySelector("link[rel=canonical]");
    var page = (canonical ? canonical.href : location.origin + location.pathname) + location.search;
    var source = figure.querySelector(".source");
    return {
      title: figure.dataset.chartTitle,
      subtitle: figure.dataset.chartSubtitle || "",
      source: source ? source.textContent.replace(/\s+/g, " ").trim() : "",
      licence: figure.dataset.chartLicence || "",
      link: page + "#" + figure.id,
      file: figure.dataset.chartFile || figure.id || "grafico"
    };
  }

  function wrap(ctx, words, width) {
    var lines = [];
    var line = "";
    words.split(" ").forEach(function (word) {
      var candidate = line ? line + " " + word : word;
      if (line && ctx.measureText(candidate).width > width) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  // The lines of text above and below the chart, each {text, size, bold, colour, link}, wrapped to the width.
  function layout(info, width, scale) {
    var measure = document.createElement("canvas").getContext("2d");
    var family = Chart.defaults.font.family;
    var blocks = [
      { text: info.title, size: 18, bold: true, colour: "#123f69", gap: 4 },
      { text: info.subtitle, size: 14, colour: "#4a5560", gap: 12 },
      null,  // the chart
      { text: info.source, size: 12, colour: "#1b1f23", gap: 2 },
      { text: info.licence + " · " + info.link, size: 12, colour: "#4a5560", gap: 0, link: info.link }
    ];
    var pad = 16 * scale;
    var lines = [];
    blocks.forEach(function (block) {
      if (!block) { lines.push(null); return; }
      if (!block.text) { return; }
      measure.font = (block.bold ? "bold " : "") + block.size * scale + "px " + family;
      wrap(measure, block.text, width - 2 * pad).forEach(function (text, index, all) {
        lines.push({ text: text, size: block.size * scale, bold: block.bold, colour: block.colour, link: block.link,
                     after: index === all.length - 1 ? block.gap * scale : 0 });
      });
    });
    return { lines: lines, pad: pad, family: family };
  }

  function composed(figure, chart) {
    var info = about(figure);
    var source = chart.canvas;
    var scale = chart.currentDevicePixelRatio || 1;
    var plan = layout(info, source.width, scale);
    var width = source.width + 2 * plan.pad;
    var y = plan.pad;
    var placed = [];
    plan.lines.forEach(function (line) {
      if (!line) { placed.push({ chart: true, y: y }); y += source.height + 12 * scale; return; }
      y += line.size * 1.3;
      placed.push({ line: line, y: y });
      y += line.after;
    });
    return { info: info, width: width, height: Math.ceil(y + plan.pad), placed: placed, plan: plan, source: source };
  }

  function toCanvas(picture) {
    var canvas = document.createElement("canvas");
    canvas.width = picture.width;
    canvas.height = picture.height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    picture.placed.forEach(function (item) {
      if (item.chart) { ctx.drawImage(picture.source, picture.plan.pad, item.y); return; }
      ctx.font = (item.line.bold ? "bold " : "") + item.line.size + "px " + picture.plan.family;
      ctx.fillStyle = item.line.colour;
      ctx.fillText(item.line.text, picture.plan.pad, item.y);
    });
    return canvas;
  }

  function escapeXml(text) {
    return String(text).replace(/[<>&"]/g, function (c) {
      return { "<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;" }[c];
    });
  }

  function toSvg(picture) {
    var parts = [
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="' + picture.width +
        '" height="' + picture.height + '" viewBox="0 0 ' + picture.width + " " + picture.height + '" lang="' +
        escapeXml(lang) + '">',
      "<title>" + escapeXml(picture.info.title) + "</title>",
      "<desc>" + escapeXml([picture.info.subtitle, picture.info.source, picture.info.licence].join(". ")) + "</desc>",
      '<rect width="100%" height="100%" fill="#ffffff"/>'
    ];
    picture.placed.forEach(function (item) {
      if (item.chart) {
        parts.push('<image x="' + picture.plan.pad + '" y="' + item.y + '" width="' + picture.source.width + '" height="' +
          picture.source.height + '" href="' + picture.source.toDataURL("image/png") + '"/>');
        return;
      }
      var text = '<text x="' + picture.plan.pad + '" y="' + item.y + '" font-family="' +
        escapeXml(picture.plan.family) + '" font-size="' + item.line.size + '" fill="' + item.line.colour + '"' +
        (item.line.bold ? ' font-weight="bold"' : "") + ">" + escapeXml(item.line.text) + "</text>";
      parts.push(item.line.link ? '<a href="' + escapeXml(item.line.link) + '">' + text + "</a>" : text);
    });
    parts.push("</svg>");
    return new Blob([parts.join("\n")], { type: "image/svg+xml" });
  }

  // PNG text chunks (iTXt, UTF-8): what the image shows, readable by image viewers and programs.
  var crcTable = null;
  function crc32(bytes) {
    if (!crcTable) {
      crcTable = [];
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; }
        crcTable[n] = c >>> 0;
      }
    }
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) { crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8); }
    return (crc ^ 0xffffffff) >>> 0;
  }

  function textChunk(keyword, text) {
    var encoder = new TextEncoder();
    var body = [].concat(Array.from(encoder.encode(keyword)), [0, 0, 0, 0, 0], Array.from(encoder.encode(text)));
    var typeAndBody = new Uint8Array(4 + body.length);
    typeAndBody.set(encoder.encode("iTXt"), 0);
    typeAndBody.set(body, 4);
    var chunk = new Uint8Array(12 + body.length);
    var view = new DataView(chunk.buffer);
    view.setUint32(0, body.length);
    chunk.set(typeAndBody, 4);
    view.setUint32(8 + body.length, crc32(typeAndBody));
    return chunk;
  }

  function withText(png, info) {
    var bytes = new Uint8Array(png);
    var chunks = [["Title", info.title], ["Description", info.subtitle], ["Source", info.source],
                  ["Copyright", info.licence], ["Comment", info.link]]
      .filter(function (pair) { return pair[1]; })
      .map(function (pair) { return textChunk(pair[0], pair[1]); });
    var end = bytes.length - 12;  // the IEND chunk: the text goes just before it
    return new Blob([bytes.slice(0, end)].concat(chunks, [bytes.slice(end)]), { type: "image/png" });
  }

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  // makeChart(): a chart drawn for the download (destroyed once its image is made).
  function downloadButtons(figure, makeChart) {
    function picture(use) {
      var chart = makeChart();
      try { return use(composed(figure, chart)); } finally { chart.destroy(); }
    }
    var png = button(text.png, "chart-png");
    png.addEventListener("click", function () {
      var info = about(figure);
      picture(toCanvas).toBlob(function (blob) {
        blob.arrayBuffer().then(function (buffer) { save(withText(buffer, info), info.file + ".png"); });
      }, "image/png");
    });
    var svg = button(text.svg, "chart-svg");
    svg.addEventListener("click", function () {
      var info = about(figure);
      save(picture(toSvg), info.file + ".svg");
    });
    return [png, svg];
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

        // The chart's configuration: for the page (narrow on a phone) and, wide, for the downloaded image.
        function configFor(narrow, data) {
          var valueAxis = horizontal ? "x" : "y";
          var categoryAxis = horizontal ? "y" : "x";
          var scales = {};
          if (kind !== "doughnut") {
            scales[valueAxis] = {
              title: { display: true, text: figure.dataset.chartAxis, font: { weight: "bold" } },
              // Five round ticks on a phone: with four, Chart.js stretched the saldo axis to −2,000,000 … 4,000,000.
              // Labels that would come closer than 14 px are thinned here, not by Chart.js's autoSkip (which kept
              // every other label from the first and so could drop 0 on the saldo axis): every k-th tick counted
              // from zero, so that 0 — where gains and losses part — always keeps its label.
              ticks: {
                callback: function (v) { return format(v); },
                maxTicksLimit: narrow ? 5 : 8,
                autoSkip: false,
                maxRotation: horizontal ? 0 : 50
              },
              afterTickToLabelConversion: function (axis) {
                var ticks = axis.ticks;
                if (ticks.length < 3) { return; }
                var widest = Math.max.apply(null, ticks.map(function (t) { return String(t.label).length; }));
                var room = horizontal ? Math.max(frame.clientWidth, narrow ? 0 : 800) - 120 : 1e6;
                var fit = Math.max(2, Math.floor(room / (widest * 7 + (narrow ? 14 : 10))));
                var step = Math.ceil(ticks.length / fit);
                if (step < 2) { return; }
                var zero = ticks.findIndex(function (t) { return t.value === 0; });
                var origin = zero < 0 ? 0 : zero;
                axis.ticks = ticks.filter(function (t, i) { return (i - origin) % step === 0; });
              },
              beginAtZero: true,
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
          return {
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
          };
        }
        var chart = new Chart(canvas, configFor(narrow, data));
        // The downloaded image is drawn again, 800 px wide or more, whatever the screen: sharp on paper and slides.
        var exported = function () {
          var width = Math.max(frame.clientWidth, 800);
          var height = Math.max(frame.clientHeight, 450);
          var target = document.createElement("canvas");
          target.width = width;
          target.height = height;
          var config = configFor(false, JSON.parse(JSON.stringify(data)));
          config.options.responsive = false;
          config.options.devicePixelRatio = 2;
          return new Chart(target, config);
        };
        downloadButtons(figure, exported).reverse().forEach(function (element) {
          tools.insertBefore(element, tools.firstChild);
        });
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
