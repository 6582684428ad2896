"""The choropleth map of the 25 departments: indicator, class breaks, legend, regions.

Shapes come from ``geo.map_geometry()`` (built once); here only colours and labels
are chosen, from the derived figures of a ``NationalSummary``.
"""

import statistics
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.numbers import format_rate, format_signed, format_signed_percent

from .geo import Shape, map_geometry
from .measures import BY_KEY, ORIGIN_BY_KEY, RECENT_BY_KEY
from .summary import NationalSummary


@dataclass(frozen=True)
class Indicator:
    key: str  # value of ?indicador=
    measure: str  # annotated attribute of DepartmentFigures
    label: object
    formatter: object
    diverging: bool = False
    legend_title: object = None  # the legend's heading when the default ones do not fit
    break_places: int = -3  # diverging classes: breaks rounded to thousands (people) or to decimals (rates)
    signed: object = format_signed  # diverging legend labels
    value_format: object = None  # how the value is said with what it measures: «balance de toda la vida %(value)s»

    @property
    def title(self) -> str:
        if self.legend_title is not None:
            return str(self.label)
        return str(self.label) if self.diverging else f"% {self.label}"

    def value_text(self, row) -> str:
        """The value with what it measures: «51.6 % emigrantes», «saldo migratorio +2,376,434»."""
        value = self.formatter(getattr(row, self.measure))
        if self.value_format is not None:
            return str(self.value_format) % {"value": value}
        if self.key == "saldo":
            return _("saldo migratorio %(value)s") % {"value": value}
        return f"{value} {self.label}"

    def describe(self, row) -> str:
        return f"{row.department.name}: {self.value_text(row)}"


def measure_indicator(key: str, measure_key: str, label) -> Indicator:
    """An indicator of one of the six migration measures (``migration.measures``)."""
    measure = BY_KEY[measure_key]
    return Indicator(key, measure.key, label, measure.format, diverging=measure.diverging)


INDICATORS = {
    indicator.key: indicator
    for indicator in (
        measure_indicator("emigrantes", "emigrant_share", gettext_lazy("emigrantes")),
        measure_indicator("inmigrantes", "immigrant_share", gettext_lazy("inmigrantes")),
        measure_indicator("saldo", "net_migration", gettext_lazy("saldo migratorio")),
    )
}
DEFAULT_INDICATOR = "emigrantes"


def signed_rate(value) -> str:
    """+41.3, −60.1: a rate per 1,000 with its sign, for the legend of gains and losses."""
    return ("+" if value > 0 else "") + format_rate(value)


RECENT_INDICATORS = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            "emigracion",
            "emigration_rate",
            gettext_lazy("emigrantes recientes por 1,000 habitantes"),
            RECENT_BY_KEY["emigration_rate"].format,
            legend_title=gettext_lazy("Emigrantes recientes por cada 1,000 habitantes de 5 años y más"),
        ),
        Indicator(
            "inmigracion",
            "immigration_rate",
            gettext_lazy("inmigrantes recientes por 1,000 habitantes"),
            RECENT_BY_KEY["immigration_rate"].format,
            legend_title=gettext_lazy("Inmigrantes recientes por cada 1,000 habitantes de 5 años y más"),
        ),
        Indicator(
            "saldo",
            "net_rate",
            gettext_lazy("saldo migratorio reciente por 1,000 habitantes"),
            RECENT_BY_KEY["net_rate"].format,
            diverging=True,
            legend_title=gettext_lazy("Saldo migratorio reciente por cada 1,000 habitantes de 5 años y más"),
            break_places=1,
            signed=signed_rate,
        ),
    )
}
DEFAULT_RECENT_INDICATOR = "saldo"

#: The map of the balances by origin (``OriginSummary``): each balance as a share of the department's residents.
ORIGIN_INDICATORS = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            "toda-la-vida",
            "lifetime_balance_share",
            gettext_lazy("balance de toda la vida, % de los residentes"),
            ORIGIN_BY_KEY["lifetime_balance_share"].format,
            diverging=True,
            legend_title=gettext_lazy(
                "Balance de toda la vida: residentes menos nacidos en el departamento, % de los residentes"
            ),
            break_places=1,
            signed=format_signed_percent,
            value_format=gettext_lazy("balance de toda la vida %(value)s"),
        ),
        Indicator(
            "reciente",
            "recent_balance_share",
            gettext_lazy("balance reciente, % de los residentes de 5 años y más"),
            ORIGIN_BY_KEY["recent_balance_share"].format,
            diverging=True,
            legend_title=gettext_lazy(
                "Balance reciente: residentes de 5 años y más menos quienes vivían en el departamento cinco años "
                "antes, % de los residentes de 5 años y más"
            ),
            break_places=1,
            signed=format_signed_percent,
            value_format=gettext_lazy("balance reciente %(value)s"),
        ),
    )
}
DEFAULT_ORIGIN_INDICATOR = "toda-la-vida"
CALLAO = "07"  # ubigeo
CALLOUT_OFFSET = (-46.0, 14.0)  # Callao is a speck next to Lima: a labelled circle out at sea
CALLOUT_RADIUS = 9.0
# On the small locator map (8–11rem wide) Callao's circle is a 24 px target at least (WCAG 2.5.8): larger, further out.
LOCATOR_CALLOUT_OFFSET = (-80.0, 30.0)
LOCATOR_CALLOUT_RADIUS = 36.0
NAME_SIZE = 9.0  # font size of the department names, in SVG units (the map is 480 wide)
PHONE_NAME_SIZE = 14.0  # on a phone the map is ~340 px wide: names this size (10 px) are written where they fit
READOUT_POSITION = (12.0, 70.0)  # from the bottom-left corner, out at sea: the value shown on hover and focus


@dataclass(frozen=True)
class LegendClass:
    css_class: str
    label: str


@dataclass(frozen=True)
class Region:
    shape: Shape
    url: str
    css_class: str
    label: str
    highlighted: bool
    name: str = ""  # written inside the department when name_fits
    value_text: str = ""  # shown on hover and focus: «51.6 % emigrantes»
    name_fits: bool = False
    name_fits_phone: bool = False  # large enough for its name at PHONE_NAME_SIZE
    callout: tuple[float, float] | None = None  # Callao: its labelled circle out at sea, part of the same link


@dataclass(frozen=True)
class ChoroplethMap:
    indicator: Indicator
    width: float
    height: float
    regions: list[Region]
    legend: list[LegendClass]
    locator: bool

    @property
    def callout_radius(self) -> float:
        return LOCATOR_CALLOUT_RADIUS if self.locator else CALLOUT_RADIUS

    @property
    def readout(self) -> tuple[float, float]:
        """Where the hovered or focused department's name and value are written (out at sea)."""
        return READOUT_POSITION[0], round(self.height - READOUT_POSITION[1], 1)

    @property
    def title(self) -> str:
        return _("Mapa del Perú por departamento: %(indicator)s") % {"indicator": self.indicator.title}


def _quantile_breaks(values: list[float], classes: int) -> list[float]:
    if len(values) < 2:
        return []
    return statistics.quantiles(values, n=classes, method="inclusive")


def _sequential(indicator, values):
    breaks = [float(f"{b:.1f}") for b in _quantile_breaks(values, 5)]

    def classify(value):
        return f"q{sum(value > b for b in breaks) + 1}"

    bounds = [None, *breaks, None]
    legend = []
    for index in range(len(breaks) + 1):
        low, high = bounds[index], bounds[index + 1]
        if low is None:
            label = _("hasta %(value)s") % {"value": indicator.formatter(high)}
        elif high is None:
            label = _("más de %(value)s") % {"value": indicator.formatter(low)}
        else:
            label = f"{indicator.formatter(low)} – {indicator.formatter(high)}"
        legend.append(LegendClass(f"q{index + 1}", label))
    return classify, legend


def _rounded(value: float, places: int):
    """Class breaks rounded to thousands of people (places=-3) or to a decimal of a rate (places=1)."""
    return int(round(value, places)) if places <= 0 else round(value, places)


def _diverging(indicator, values):
    losses = sorted(-v for v in values if v < 0)
    gains = sorted(v for v in values if v > 0)
    loss_breaks = [_rounded(b, indicator.break_places) for b in _quantile_breaks(losses, 3)]
    gain_breaks = [_rounded(b, indicator.break_places) for b in _quantile_breaks(gains, 3)]

    def classify(value):
        if value < 0:
            return f"l{sum(-value > b for b in loss_breaks) + 1}"
        if value > 0:
            return f"g{sum(value > b for b in gain_breaks) + 1}"
        return "z"

    def labels(breaks, sign):
        bounds = [None, *breaks, None]
        result = []
        for index in range(len(breaks) + 1):
            low, high = bounds[index], bounds[index + 1]
            if low is None:
                text = _("hasta %(value)s") % {"value": indicator.signed(sign * high)}
            elif high is None:
                text = _("más de %(value)s") % {"value": indicator.signed(sign * low)}
            else:
                text = _("%(low)s a %(high)s") % {
                    "low": indicator.signed(sign * low),
                    "high": indicator.signed(sign * high),
                }
            result.append(text)
        return result

    legend = [
        LegendClass(f"l{index}", _("Pierde: %(range)s") % {"range": text})
        for index, text in reversed(list(enumerate(labels(loss_breaks, -1), start=1)))
    ] + [
        LegendClass(f"g{index}", _("Gana: %(range)s") % {"range": text})
        for index, text in enumerate(labels(gain_breaks, 1), start=1)
    ]
    return classify, legend


def callout(shape: Shape, locator: bool = False) -> tuple[float, float] | None:
    """Where Callao's circle is drawn (out at sea, west of its speck; further out on the locator map, where it is
    larger); None for every other department."""
    if shape.ubigeo != CALLAO:
        return None
    x, y = shape.centroid
    dx, dy = LOCATOR_CALLOUT_OFFSET if locator else CALLOUT_OFFSET
    return round(x + dx, 1), round(y + dy, 1)


def name_fits(shape: Shape, name: str, size: float = NAME_SIZE) -> bool:
    """Whether a department is large enough for its name to be written inside it at ``size``."""
    width = len(name) * size * 0.55
    return shape.area >= width * size * 4.5


def chosen_indicator(value: str | None) -> str:
    """The indicator asked for with ``?indicador=``; the default one for anything else."""
    return value if value in INDICATORS else DEFAULT_INDICATOR


def build_map(
    summary: NationalSummary, indicator_key: str | None = None, *, highlight=None, indicators=None
) -> ChoroplethMap:
    """The map of ``summary``'s edition; ``highlight`` (a department) makes it a locator map. ``indicators``: those
    of another summary of the departments (``ORIGIN_INDICATORS`` for an ``OriginSummary``), the first the default."""
    if indicators is None:
        indicator = INDICATORS[chosen_indicator(indicator_key)]
    else:
        indicator = indicators.get(indicator_key) or next(iter(indicators.values()))
    geometry = map_geometry()
    values = [getattr(row, indicator.measure) for row in summary.rows]
    classify, legend = (_diverging if indicator.diverging else _sequential)(indicator, values)
    regions = []
    for row in summary.rows:
        shape = geometry.shapes.get(row.department.ubigeo)
        if shape is None:
            continue
        is_highlighted = highlight is not None and row.department_id == highlight.pk
        css_class = ("hl" if is_highlighted else "muted") if highlight else classify(getattr(row, indicator.measure))
        region = Region(
            shape=shape,
            url=row.department.get_absolute_url() + getattr(summary, "edition_query", ""),
            css_class=css_class,
            label=row.department.name if highlight else indicator.describe(row),
            highlighted=is_highlighted,
            name=row.department.name,
            value_text="" if highlight else indicator.value_text(row),
            name_fits=name_fits(shape, row.department.name),
            name_fits_phone=name_fits(shape, row.department.name, PHONE_NAME_SIZE),
            callout=callout(shape, locator=highlight is not None),
        )
        regions.append(region)
    return ChoroplethMap(
        indicator=indicator,
        width=geometry.width,
        height=geometry.height,
        regions=regions,
        legend=[] if highlight else legend,
        locator=highlight is not None,
    )


def build_recent_map(summary, indicator_key: str | None = None) -> ChoroplethMap:
    """The map of recent migration (``RecentMigrationSummary``): an area of two departments (Lima y Callao)
    colours both, with the area's figure."""
    key = indicator_key if indicator_key in RECENT_INDICATORS else DEFAULT_RECENT_INDICATOR
    indicator = RECENT_INDICATORS[key]
    geometry = map_geometry()
    values = [getattr(area, indicator.measure) for area in summary.areas]
    classify, legend = (_diverging if indicator.diverging else _sequential)(indicator, values)
    regions = []
    for area in summary.areas:
        value = getattr(area, indicator.measure)
        figure = indicator.formatter(value)
        for department in sorted(area.departments.all(), key=lambda department: department.ubigeo):
            shape = geometry.shapes.get(department.ubigeo)
            if shape is None:
                continue
            # Each department is one link named by itself; a joint area's figure says whose it is.
            # The readout under the name gives only the figure (the title says what it measures): a longer
            # one would run past the map's edge on a phone and over the names of the south coast.
            joint = department.name != area.name
            name = f"{department.name} ({area.name})" if joint else department.name
            regions.append(
                Region(
                    shape,
                    department.get_absolute_url(),
                    classify(value),
                    f"{name}: {figure} {indicator.label}",
                    highlighted=False,
                    name=department.name,
                    value_text=f"{area.name}: {figure}" if joint else figure,
                    name_fits=name_fits(shape, department.name),
                    name_fits_phone=name_fits(shape, department.name, PHONE_NAME_SIZE),
                    callout=callout(shape),
                )
            )
    return ChoroplethMap(
        indicator=indicator,
        width=geometry.width,
        height=geometry.height,
        regions=regions,
        legend=legend,
        locator=False,
    )
