"""The SVG map: 25 departments, each a named link coloured by the class of its value; switch without JS."""

import re

import pytest

from migration.geo import map_geometry

pytestmark = pytest.mark.django_db

SHARE = re.compile(r": ([\d.]+) %")


def map_links(soup):
    svg = soup.select_one("figure#mapa > svg")
    return svg.find_all("a", recursive=False)


def legend(soup) -> list[tuple[str, str]]:
    return [(li.select_one("rect")["class"][0], " ".join(li.get_text(" ").split())) for li in soup.select(".legend li")]


def bounds_of(label: str) -> tuple[float | None, float | None]:
    numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,]+(?:\.\d)?", label)]
    if label.startswith("hasta"):
        return None, numbers[0]
    if label.startswith("más de"):
        return numbers[0], None
    return numbers[0], numbers[1]


def test_geometry_is_built_once_with_all_25_departments():
    geometry = map_geometry()
    assert map_geometry() is geometry  # cached: projection and paths are not rebuilt per request
    assert len(geometry.shapes) == 25
    assert all(shape.path.startswith("M") and shape.path.endswith("z") for shape in geometry.shapes.values())


@pytest.mark.parametrize("path", ["/", "/migracion/"])
def test_map_has_one_link_per_department_and_callao_keeps_its_circle_in_its_own(get_page, path):
    _, soup = get_page(path)
    links = map_links(soup)
    names = [link["aria-label"].split(":")[0] for link in links]
    assert len(links) == len(set(names)) == 25  # one link, one tab stop, per department
    apurimac = next(link for link in links if link["aria-label"].startswith("Apurímac"))
    assert apurimac["aria-label"] == "Apurímac: 53.6 % emigrantes"
    assert apurimac["href"] == "/migracion/apurimac/"
    callao = next(link for link in links if link["aria-label"].startswith("Callao"))
    assert callao["aria-label"] == "Callao: 16.8 % emigrantes" and callao["href"] == "/migracion/callao/"
    # Callao is a speck next to Lima: its labelled circle out at sea belongs to the same link
    assert callao.find("path") and callao.find("circle") and callao.find("text").get_text() == "Callao"
    assert "{#" not in soup.get_text() and "comment %}" not in soup.get_text()  # no template comment shows


def test_recent_map_names_each_department_of_a_joint_area_with_the_areas_figure(get_page):
    _, soup = get_page("/migracion/reciente/")
    links = map_links(soup)
    labels = {link["href"]: link["aria-label"] for link in links}
    assert len(links) == len(labels) == 25
    assert labels["/migracion/callao/"].startswith("Callao (Lima y Callao): ")
    assert labels["/migracion/lima/"].startswith("Lima (Lima y Callao): ")
    figure = labels["/migracion/lima/"].split(": ")[1]
    assert labels["/migracion/callao/"].split(": ")[1] == figure
    assert labels["/migracion/puno/"].startswith("Puno: ")


def test_the_maps_instruction_fits_touch_mouse_and_keyboard(get_page):
    _, soup = get_page("/migracion/")
    note = soup.select_one("#mapa .legend .note").get_text()
    assert note.startswith("Toque un departamento para ver su valor y el enlace a su ficha")
    assert "tecla Tab" in note and "Pase el puntero" not in note
    _, soup = get_page("/en/migracion/")
    note = soup.select_one("#mapa .legend .note").get_text()
    assert note.startswith("Tap a department to see its value and the link to its profile")
    assert "Tab key" in note


@pytest.mark.parametrize("indicator", ["emigrantes", "inmigrantes"])
def test_each_fill_matches_the_legend_class_of_its_value(get_page, indicator):
    _, soup = get_page(f"/migracion/?indicador={indicator}")
    classes = dict(legend(soup))
    assert len(classes) == 5
    for link in map_links(soup):
        value = float(SHARE.search(link["aria-label"]).group(1))
        low, high = bounds_of(classes[link["class"][0]])
        assert (low is None or value >= low) and (high is None or value <= high), link["aria-label"]


def test_net_migration_uses_a_diverging_scale_with_signed_labels(get_page):
    _, soup = get_page("/migracion/?indicador=saldo")
    classes = dict(legend(soup))
    assert [css for css, _ in legend(soup)] == ["l3", "l2", "l1", "g1", "g2", "g3"]
    assert all(label.startswith(("Pierde", "Gana")) for label in classes.values())
    by_name = {link["aria-label"].split(":")[0]: link for link in map_links(soup)}
    assert by_name["Cajamarca"]["aria-label"] == "Cajamarca: saldo migratorio −531,984"
    assert by_name["Cajamarca"]["class"][0] == "l3"  # the largest loss: darkest red
    assert by_name["Lima"]["class"][0] == "g3"  # the largest gain: darkest blue
    for name, link in by_name.items():
        assert link["class"][0].startswith("l" if "−" in link["aria-label"] else "g"), name


def test_indicator_switch_is_links_and_an_unknown_indicator_falls_back(get_page):
    _, soup = get_page("/migracion/")
    switch = {a.get_text(strip=True): a for a in soup.select(".map-switch a")}
    assert set(switch) == {"% emigrantes", "% inmigrantes", "Saldo migratorio"}
    assert switch["% emigrantes"].get("aria-current") == "true"
    _, soup = get_page("/migracion/" + switch["Saldo migratorio"]["href"].split("#")[0])
    assert soup.select_one(".map-switch a[aria-current]").get_text(strip=True) == "Saldo migratorio"
    _, soup = get_page("/migracion/?indicador=<script>")
    assert soup.select_one(".map-switch a[aria-current]").get_text(strip=True) == "% emigrantes"


def test_profile_has_a_locator_map_with_the_department_highlighted(get_page):
    _, soup = get_page("/migracion/cusco/")
    locator = soup.select_one("figure.map.locator svg")
    highlighted = locator.select("a.hl")
    assert len(highlighted) == 1 and highlighted[0]["aria-label"] == "Cusco"
    assert len(locator.select("a.muted")) == 24  # the others, Callao with its circle among them
