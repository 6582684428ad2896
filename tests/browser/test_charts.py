"""The charts as Chart.js draws them in Chromium: axis labels that never touch on a phone, and census
years placed to scale on the population charts (1940→1961 twice as wide as 2007→2017)."""

import pytest

from tests.browser.readers import reader_context

pytestmark = pytest.mark.browser

ALL_CHARTS_DRAWN = """() => document.querySelectorAll("figure[data-chart-url] canvas").length ===
  document.querySelectorAll("figure[data-chart-url]").length"""

# For every axis of every chart on the page: its labels as Chart.js lays them out (getLabelItems), each
# with its width in the axis's font, and how far apart neighbouring labels are. Two labels side by side
# on a horizontal axis are apart by the space between their boxes; turned labels (and the labels of a
# vertical axis) run in parallel lines, apart by the distance between those lines less one line's height.
AXIS_LABELS = """() => Array.from(document.querySelectorAll("figure[data-chart-url] canvas")).map((canvas) => {
  const chart = Chart.getChart(canvas);
  const axes = {};
  for (const [id, scale] of Object.entries(chart.scales)) {
    if (!scale.options.display || !scale.options.ticks.display) { continue; }
    const font = Chart.helpers.toFont(scale.options.ticks.font);
    chart.ctx.save();
    chart.ctx.font = font.string;
    const items = scale.getLabelItems().map((item) => {
      const text = [].concat(item.label).join(" ");
      return {text: text, width: chart.ctx.measureText(text).width, x: item.options.translation[0],
              y: item.options.translation[1], rotation: item.options.rotation};
    });
    chart.ctx.restore();
    const gaps = [];
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1], b = items[i];
      if (scale.isHorizontal() && !a.rotation) {
        gaps.push(Math.abs(b.x - a.x) - (a.width + b.width) / 2);
      } else if (scale.isHorizontal()) {
        gaps.push(Math.abs(b.x - a.x) * Math.abs(Math.sin(a.rotation)) - font.lineHeight);
      } else {
        gaps.push(Math.abs(b.y - a.y) - font.lineHeight);
      }
    }
    const pixels = scale.ticks.map((tick) => [tick.value, scale.getPixelForValue(tick.value)]);
    axes[id] = {labels: items.map((item) => item.text), gaps: gaps, pixels: Object.fromEntries(pixels)};
  }
  return {id: canvas.closest("figure").id, axes: axes};
})"""

CENSUS_YEARS = ["1940", "1961", "1972", "1981", "1993", "2007", "2017", "2025"]


def drawn_charts(browser, url, width, language):
    context = reader_context(browser, width, language)
    page = context.new_page()
    page.goto(url, wait_until="load")
    for figure in page.locator("figure[data-chart-url]").all():
        figure.scroll_into_view_if_needed()  # charts are drawn as they come near the screen
    page.wait_for_function(ALL_CHARTS_DRAWN)
    return context, page


@pytest.mark.parametrize(
    "path",
    [
        "/migracion/",
        "/en/migracion/",
        "/migracion/cajamarca/",
        "/en/migracion/callao/",
        "/migracion/poblacion/",
        "/migracion/reciente/",
        "/migracion/comparar/?d=lima&d=cajamarca&d=apurimac",
        "/embed/migrants/",
        "/",
    ],
)
def test_axis_labels_never_touch_on_a_phone(portal_url, browser, path):
    context, page = drawn_charts(browser, portal_url + path, 375, "en" if path.startswith("/en/") else "es")
    charts = page.evaluate(AXIS_LABELS)
    context.close()
    assert charts
    for chart in charts:
        for axis, layout in chart["axes"].items():
            assert len(layout["labels"]) >= 2, (chart["id"], axis, layout["labels"])
            # At least 4 px between neighbouring labels: "1,000,000 2,000,000 3,000,000" no longer run together.
            assert min(layout["gaps"]) >= 4, (
                chart["id"],
                axis,
                list(zip(layout["labels"], layout["gaps"], strict=False)),
            )


# The years' places are in proportion at any width (the labels closest on the phone), and read the same in both
# languages but for the tooltip's words: the phone in Spanish and the desktop in English.
@pytest.mark.parametrize(("width", "language"), [(375, "es"), (1280, "en")])
@pytest.mark.parametrize("path", ["/migracion/poblacion/", "/migracion/cajamarca/"])
def test_census_years_are_placed_to_scale(portal_url, browser, path, width, language):
    url = portal_url + ("/en" + path if language == "en" else path)
    context, page = drawn_charts(browser, url, width, language)
    (chart,) = [chart for chart in page.evaluate(AXIS_LABELS) if chart["id"].endswith("population")]
    x = chart["axes"]["x"]
    # One label at each census year, written as a year (1940, not 1,940).
    assert x["labels"] == CENSUS_YEARS
    pixels = {int(value): pixel for value, pixel in x["pixels"].items()}
    # 1940→1961 is 21 years and 2007→2017 is 10: the first stretch is 2.1 times as wide as the last.
    ratio = (pixels[1961] - pixels[1940]) / (pixels[2017] - pixels[2007])
    assert ratio == pytest.approx(2.1, abs=0.05)
    assert min(x["gaps"]) >= 4, list(zip(x["labels"], x["gaps"], strict=False))

    # The tooltip of a census tells its year and the figure as the table writes it.
    canvas = page.locator(f"#{chart['id']} canvas")
    first_row = page.locator(f"#{chart['id']} table tbody tr").first
    year, figure = first_row.locator("th").inner_text(), first_row.locator("td").first.inner_text()
    point = page.evaluate(
        """(id) => { const chart = Chart.getChart(document.querySelector("#" + id + " canvas"));
        const point = chart.getDatasetMeta(0).data[0]; return {x: point.x, y: point.y}; }""",
        chart["id"],
    )
    canvas.hover(position={"x": point["x"], "y": point["y"]})
    page.wait_for_function(
        "(id) => Chart.getChart(document.querySelector('#' + id + ' canvas')).tooltip.opacity > 0", arg=chart["id"]
    )
    tooltip = page.evaluate(
        """(id) => { const t = Chart.getChart(document.querySelector("#" + id + " canvas")).tooltip;
        return {title: t.title, body: t.body.flatMap((b) => b.lines)}; }""",
        chart["id"],
    )
    context.close()
    assert tooltip["title"] == [year] == ["1940"]
    assert tooltip["body"][0].endswith(": " + figure)


SLUGS = [
    "amazonas", "ancash", "apurimac", "arequipa", "ayacucho", "cajamarca", "callao", "cusco", "huancavelica",
    "huanuco", "ica", "junin", "la-libertad", "lambayeque", "lima", "loreto", "madre-de-dios", "moquegua",
    "pasco", "piura", "puno", "san-martin", "tacna", "tumbes", "ucayali",
]  # fmt: skip

# The profile's lifetime-and-recent table: does it fit its box (nothing cut off on the right), and which row
# labels break their "/" away from the word before it ("Immigrants / / population")?
LIFETIME_RECENT = """() => {
  const table = document.querySelector("section[aria-labelledby=migracion-reciente] table");
  const box = table.closest(".table-scroll");
  const slashAlone = Array.from(table.querySelectorAll("tbody th")).filter((th) => {
    const text = th.firstChild, at = text.data.indexOf("/");
    if (at < 1) { return false; }
    const word = document.createRange(), slash = document.createRange();
    word.setStart(text, 0); word.setEnd(text, at - 1);
    slash.setStart(text, at); slash.setEnd(text, at + 1);
    const wordRects = word.getClientRects();
    return wordRects[wordRects.length - 1].top !== slash.getClientRects()[0].top;
  }).map((th) => th.textContent);
  return {overflow: box.scrollWidth - box.clientWidth, slashAlone: slashAlone,
          lastColumnRight: Math.max(...Array.from(table.querySelectorAll("td:last-child")).map(
            (td) => td.getBoundingClientRect().right)),
          boxRight: box.getBoundingClientRect().right};
}"""


@pytest.mark.parametrize("language", ["es", "en"])
def test_lifetime_and_recent_migration_read_whole_on_a_phone(portal_url, browser, language):
    """Every profile at 375 px: both figure columns fit the screen and "Inmigrantes / población" breaks, if at
    all, after the slash — Callao (whose recent figures are Lima y Callao's) and Lima have the widest."""
    context = reader_context(browser, 375, language)
    page = context.new_page()
    problems = {}
    for slug in SLUGS:
        page.goto(f"{portal_url}{'/en' if language == 'en' else ''}/migracion/{slug}/")
        layout = page.evaluate(LIFETIME_RECENT)
        if layout["overflow"] > 0 or layout["lastColumnRight"] > layout["boxRight"] or layout["slashAlone"]:
            problems[slug] = layout
    context.close()
    assert problems == {}
