"""Markdown written by editors (portal/text.py): figures filled from the data, anything unsafe removed."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template

from migration.models import CensusEdition
from migration.summary import NationalSummary
from portal.core.models import ContentBlock
from portal.core.text import fill_markers, render_markdown

# Markdown and its sanitising, whatever the database: once, in the SQLite pass.
pytestmark = pytest.mark.database_independent


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


# Markers --------------------------------------------------------------------------------------


def test_markers_are_filled():
    html = render_markdown(
        "Lima ([[inmigrantes:lima]]) y el [[ anio_censo ]].",
        {"inmigrantes:lima": "2,781,145", "anio_censo": "2007"},
    )
    assert html == "<p>Lima (2,781,145) y el 2007.</p>"


def test_unknown_markers_stay_visible_for_editors():
    values = {"inmigrantes:lima": "2,781,145"}
    assert (
        fill_markers("[[inmigrantes:atlantida]] [[inmigrantes:lima]]", values) == "[[inmigrantes:atlantida]] 2,781,145"
    )
    html = render_markdown("Tacna ([[pct_inmigrantes:tacna]]), [[no_existe]], [[Inmigrantes:Lima]].", values)
    assert soup_of(html).get_text() == "Tacna ([[pct_inmigrantes:tacna]]), [[no_existe]], [[Inmigrantes:Lima]]."
    assert render_markdown("[[poblacion_migrante]]") == "<p>[[poblacion_migrante]]</p>"


def test_marker_values_are_sanitised_too():
    html = render_markdown("Valor: [[x]]", {"x": '<script>alert("x")</script><b onclick="x()">1</b>'})
    assert "<script" not in html
    assert "onclick" not in html
    assert "alert" not in html


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("cifras_por_departamento", "Lima es el departamento con mayor número de inmigrantes (2,781,145)."),
        ("poblacion_inmigrante", "son el Callao (43.0 %) y Madre de Dios (41.1 %)"),
        ("poblacion_emigrante", "Huancavelica (53.8 %), Apurímac (53.6 %) y Ayacucho (47.8 %)"),
        ("saldo_migratorio", "pierde mayor cantidad de personas (531,984)"),
        ("migracion_introduccion", "una de cada cinco personas en el Perú (5,460,296 personas)"),
    ],
)
def test_narrative_blocks_filled_from_the_data(db, key, expected):
    values = NationalSummary.for_edition(CensusEdition.objects.get(year=2007)).figure_values
    text = " ".join(soup_of(render_markdown(ContentBlock.objects.get(key=key).body, values)).get_text().split())
    assert expected in text
    assert "[[" not in text


def test_template_filter_renders_safe_html():
    template = Template("{% load figures %}{{ text|markdown:values }}")
    html = template.render(Context({"text": "**Lima**: [[saldo:lima]]", "values": {"saldo:lima": "+2,376,434"}}))
    assert html == "<p><strong>Lima</strong>: +2,376,434</p>"


# Sanitising -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "Texto <script src='https://evil.example/x.js'></script> más",
        "<SCRIPT>alert(1)</SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_script_removed(markdown):
    html = render_markdown(markdown)
    assert "<script" not in html.lower()
    assert "alert" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<img src="x" onerror="alert(1)">',
        '<p onmouseover="alert(1)">Texto</p>',
        '<a href="https://www.inei.gob.pe/" onclick="alert(1)">INEI</a>',
        "<svg onload=alert(1)>",
        '<strong onfocus="alert(1)" tabindex="0">x</strong>',
    ],
)
def test_event_handlers_removed(markdown):
    html = render_markdown(markdown).lower()
    for attribute in ("onerror", "onmouseover", "onclick", "onload", "onfocus"):
        assert attribute not in html
    assert "<img" not in html
    assert "<svg" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[pulse aquí](javascript:alert(1))",
        "[pulse aquí](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">pulse aquí</a>',
        '<a href="&#106;avascript:alert(1)">pulse aquí</a>',
        '<a href=" javascript:alert(1)">pulse aquí</a>',
        "[pulse aquí](vbscript:msgbox(1))",
        "[pulse aquí](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ],
)
def test_dangerous_links_lose_their_target(markdown):
    html = render_markdown(markdown)
    link = soup_of(html).find("a")
    assert "pulse aquí" in soup_of(html).get_text()
    if link is not None:
        assert not link.has_attr("href")
    lowered = html.lower()
    assert "javascript:" not in lowered
    assert "vbscript:" not in lowered
    assert "data:" not in lowered


@pytest.mark.parametrize(
    "markdown",
    [
        '<iframe src="https://evil.example/"></iframe>',
        'Antes <iframe src="javascript:alert(1)"></iframe> después',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example/"><input name="clave"></form>',
    ],
)
def test_frames_and_embeds_removed(markdown):
    html = render_markdown(markdown).lower()
    for tag in ("<iframe", "<object", "<embed", "<form", "<input"):
        assert tag not in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<p style="position:fixed;top:0">Texto</p>',
        '<strong style="color:red">Texto</strong>',
        '<a href="https://www.inei.gob.pe/" style="font-size:100px">INEI</a>',
        "<style>body { display: none }</style>Texto",
    ],
)
def test_style_removed(markdown):
    html = render_markdown(markdown)
    assert "style" not in html.lower()
    assert "Texto" in html or "INEI" in html


def test_allowed_markup_is_kept():
    html = render_markdown(
        '## Título\n\n**negrita**, *cursiva* y [INEI](https://www.inei.gob.pe/ "Instituto").\n\n'
        "- uno\n- dos\n\n| Departamento | Inmigrantes |\n|---|---|\n| Lima | 2,781,145 |\n\n"
        "Primera línea  \nsegunda línea\n\n![Mapa del Perú](https://example.org/mapa.png)"
    )
    soup = soup_of(html)
    assert soup.h2.get_text() == "Título"
    assert soup.strong.get_text() == "negrita"
    assert soup.em.get_text() == "cursiva"
    link = soup.a
    assert (link["href"], link["title"], link.get_text()) == ("https://www.inei.gob.pe/", "Instituto", "INEI")
    assert set(link["rel"]) == {"noopener", "noreferrer"}
    assert [li.get_text() for li in soup.find_all("li")] == ["uno", "dos"]
    assert [td.get_text() for td in soup.find("tbody").find_all("td")] == ["Lima", "2,781,145"]
    assert soup.br is not None  # a hard line break (two spaces, as turndown writes it)
    assert soup.img is None and "Mapa del Perú" in soup.get_text()  # an image is its description, never an <img>


def test_mailto_links_kept():
    link = soup_of(render_markdown("[Escríbanos](mailto:portal@example.org)")).a
    assert link["href"] == "mailto:portal@example.org"


@pytest.mark.parametrize(
    "hostile",
    [
        "[" * 30_000,  # took the previous renderer past the worker time-out
        "[[" * 15_000,
        "![a](" * 6_000,
        "![" * 15_000,
        "*a" * 15_000,
        "\n".join("  " * depth + "- nivel" for depth in range(2_000)),  # a 500 in the preview before
        "> " * 10_000 + "cita",
    ],
    ids=["brackets", "marker-brackets", "images", "image-brackets", "emphasis", "nested-lists", "nested-quotes"],
)
def test_hostile_markdown_renders_its_text_and_an_editor_is_told_the_length_limit(hostile):
    from django.core.exceptions import ValidationError

    from portal.core.text import IMAGE, MARKDOWN_MAX_LENGTH, MARKDOWN_VALIDATORS, unknown_markers

    html = render_markdown(hostile)
    assert html.count("<") < 2 * len(hostile)
    assert unknown_markers(hostile) == []
    assert IMAGE.findall(hostile) == []  # the check for images, run on every save
    if len(hostile) > MARKDOWN_MAX_LENGTH:
        with pytest.raises(ValidationError, match=f"{MARKDOWN_MAX_LENGTH:,}|{MARKDOWN_MAX_LENGTH}"):
            MARKDOWN_VALIDATORS[0](hostile)
