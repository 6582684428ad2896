"""The department map read in a real browser at the widths the portal supports (375, 768 and 1280 px), in
Spanish and English: no two labels overlap (not even the value shown on focus), every department is one tab
stop named with its figure, and the focus ring follows the department's own shape, not a box round its link."""

import pytest

pytestmark = pytest.mark.browser

MAP_PAGES = {
    "home": "/",
    "migration": "/migracion/",
    "net migration": "/migracion/?indicador=saldo",
    "recent migration": "/migracion/reciente/",
    "recent immigration": "/migracion/reciente/?indicador=inmigracion",
    "profile locator": "/migracion/ayacucho/",
}

# Boxes of the labels a reader sees on the map: department names, Callao's name by its circle, and the
# readout (name and value) of the focused department; pairs that overlap and labels that leave the map.
OVERLAPS = """() => {
  const svg = document.querySelector("#mapa > svg");
  const frame = svg.getBoundingClientRect();
  const shown = text => text.getClientRects().length && getComputedStyle(text).visibility !== "hidden";
  const boxes = [...svg.querySelectorAll("text")].filter(shown).map(text => {
    const r = text.getBoundingClientRect();
    return {text: text.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  });
  const problems = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
      problems.push(a.text + " / " + b.text);
    }
  }));
  boxes.filter(b => b.left < frame.left || b.right > frame.right || b.top < frame.top || b.bottom > frame.bottom)
    .forEach(b => problems.push(b.text + " leaves the map"));
  return {labels: boxes.length, problems};
}"""

FOCUSED = """() => {
  const link = document.activeElement;
  if (!link.closest("#mapa > svg")) { return null; }
  const shape = link.querySelector("path");
  const svg = link.closest("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const style = getComputedStyle(shape);
  const luminance = colour => {
    const [r, g, b] = colour.match(/\\d+/g).slice(0, 3).map(c => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(style.stroke), luminance(style.fill)].sort((a, b) => b - a);
  return {
    name: link.getAttribute("aria-label"),
    outline: getComputedStyle(link).outlineStyle,
    // the inner half (neighbours drawn later cover the rest), in screen pixels
    ring: parseFloat(style.strokeWidth) * (style.vectorEffect === "non-scaling-stroke" ? 1 : scale) / 2,
    contrast: (light + 0.05) / (dark + 0.05),
  };
}"""


# Both at once, after each Tab: one round trip to the browser instead of two (~1,900 fewer per run).
FOCUSED_AND_OVERLAPS = f"() => ({{focused: ({FOCUSED})(), problems: ({OVERLAPS})().problems}})"

# The phone in both languages: its only label is the focused department's readout, whose words differ. The tablet
# in Spanish and the desktop in English: the department names are the same in both; the readouts of both languages
# are read beside them.
READERS = [(375, "es"), (375, "en"), (768, "es"), (1280, "en")]


@pytest.fixture(params=READERS, ids=[f"{width}-{language}" for width, language in READERS])
def map_reader(request, browser):
    width, language = request.param
    context = browser.new_context(locale="es-PE", viewport={"width": width, "height": 900})
    page = context.new_page()
    yield page, "/en" if language == "en" else ""
    context.close()


def test_by_keyboard_each_department_is_one_tab_stop_and_no_two_labels_overlap(portal_url, map_reader):
    """Each map page read by keyboard: with no department focused and then with each one in turn (Tab), no two
    labels overlap or leave the map; each department is one tab stop named with its figure, with a focus ring
    on its own shape."""
    page, prefix = map_reader
    problems = {}
    for name, path in MAP_PAGES.items():
        page.goto(portal_url + prefix + path)
        found = page.evaluate(OVERLAPS)
        if "locator" not in name and page.viewport_size["width"] > 640:
            assert found["labels"] >= 20, name  # the names are written at these widths
        page.focus("#mapa .skip-map")
        stops = []
        for _ in range(40):
            page.keyboard.press("Tab")
            seen = page.evaluate(FOCUSED_AND_OVERLAPS)
            focused = seen["focused"]
            if focused is None:
                break
            stops.append(focused)
            found["problems"] += [f"{problem} (with {focused['name']})" for problem in seen["problems"]]
        if found["problems"]:
            problems[name] = sorted(set(found["problems"]))
        departments = [stop["name"].split(":")[0].split(" (")[0] for stop in stops]
        assert len(departments) == len(set(departments)) == 25, (name, departments)
        for stop in stops:
            if "locator" not in name:  # the locator map names the departments only; its page gives the figures
                assert any(character.isdigit() for character in stop["name"].split(":")[1]), stop
            assert stop["outline"] == "none", stop  # no box round the link, which would take in the readout
            assert stop["ring"] >= 2, stop  # a ring at least 2 px thick inside the department's edge
            assert stop["contrast"] >= 3, stop  # …that stands out from the department's colour
    assert problems == {}
