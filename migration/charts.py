"""What each chart draws — labels, series, colours, a sentence describing it — from what it is about:
the census summary (``NationalSummary``), the population censuses (``PopulationHistory``), recent
migration (``RecentMigrationSummary``) or the counts by origin of the newest census (``OriginSummary``).

Pages show a chart as its HTML data table (``Chart``, ``includes/chart.html``) and Chart.js draws
over it from the chart's JSON (``migration/chart_views.py``, django-chartjs): both come from the
same ``build``, so the drawing and its text alternative never disagree. ``load`` says what the
JSON is built from. ``PAGE_CHARTS`` and ``EMBEDDABLE_CHARTS`` are the lists of charts.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.numbers import format_growth, format_int, format_percent, format_rate, format_signed, round_half_up

from .measures import BY_KEY, ORIGIN_BY_KEY, RECENT_BY_KEY, Measure
from .population import OriginSummary, PopulationHistory, RecentMigrationSummary
from .summary import MAX_COMPARED, Comparison, NationalSummary, load_summary, may_see_drafts

BLUE = "#1d5c96"
ORANGE = "#b3541e"
GREY = "#6b6b6b"
# Gain and loss: blue and orange, told apart with every kind of colour blindness (not red and green).
GAIN = BLUE
LOSS = ORANGE

FORMATTERS = {"int": format_int, "percent": format_percent, "signed": format_signed, "rate": format_rate}


@dataclass(frozen=True)
class Dataset:
    label: str
    values: list
    color: str | list[str]


@dataclass(frozen=True)
class Chart:
    """Everything a page needs to show one chart and its data table."""

    slug: str
    title: str
    url: str
    kind: str
    value_format: str
    horizontal: bool
    description: str
    labels: list[str]
    datasets: list[Dataset]
    label_header: str
    axis_title: str
    embeddable: bool  # offered at /embed/<slug>/ (``EMBEDDABLE_CHARTS``)
    years_axis: bool  # the labels are census years, placed to scale on the x axis
    subtitle: str = ""  # where and when: «Apurímac · Censo 2007» (the downloaded image says it under the title)
    filename: str = "grafico"  # what the downloaded image is named after: «inmigrantes-y-emigrantes-2007-apurimac»

    @property
    def rows(self):
        formatter = FORMATTERS[self.value_format]
        return [(label, [formatter(ds.values[i]) for ds in self.datasets]) for i, label in enumerate(self.labels)]


def file_name(title: str, place: str) -> str:
    """What a downloaded chart is named after: «inmigrantes-y-emigrantes-2007-apurimac», «saldo-migratorio-por-
    departamento-2007» (the place only when the title does not say it: Peru is the default)."""
    words = title if place == _("Perú") else f"{title} {place}"
    return slugify(words.replace("–", " "))[:90].strip("-") or "grafico"


def share(value) -> float:
    """Percentages are sent to charts rounded as the tables show them."""
    return float(round_half_up(value, 1))


class ChartDefinition:
    """One chart: its look and how it is built from the summary (``**kwargs``: the URL's, e.g. a slug)."""

    slug: str
    title = ""
    kind = "bar"
    value_format = "int"
    horizontal = False
    label_header = gettext_lazy("Departamento")
    axis_title = gettext_lazy("Personas")
    #: The labels are years (census years): the chart places them to scale on a linear x axis,
    #: 1940→1961 twice as wide as 2007→2017, instead of one equal step per label.
    years_axis = False

    # Data ------------------------------------------------------------------
    @classmethod
    def build(cls, summary: NationalSummary, **kwargs) -> tuple[list[str], list[Dataset]]:
        raise NotImplementedError

    @classmethod
    def describe(cls, summary: NationalSummary, **kwargs) -> str:
        raise NotImplementedError

    @classmethod
    def url_for(cls, summary: NationalSummary, **kwargs) -> str:
        url = reverse(f"migration:chart-{cls.slug}", kwargs=kwargs)
        return f"{url}?edicion={summary.edition.year}"

    @classmethod
    def title_values(cls, summary: NationalSummary) -> dict:
        """The values the title's placeholders take."""
        return {"year": summary.edition.year}

    @classmethod
    def place(cls, summary, **kwargs) -> str:
        """Where the chart's figures are of: Peru, or the department(s) it is about."""
        return _("Perú")

    @classmethod
    def census(cls, summary) -> str:
        """Which census the chart's figures come from."""
        return _("Censo %(year)s") % {"year": summary.edition.year}

    @classmethod
    def chart(cls, summary: NationalSummary, **kwargs) -> Chart:
        labels, datasets = cls.build(summary, **kwargs)
        title, place = str(cls.title) % cls.title_values(summary), cls.place(summary, **kwargs)
        return Chart(
            slug=cls.slug,
            title=title,
            subtitle=f"{place} · {cls.census(summary)}",
            filename=file_name(title, place),
            url=cls.url_for(summary, **kwargs),
            kind=cls.kind,
            value_format=cls.value_format,
            horizontal=cls.horizontal,
            description=cls.describe(summary, **kwargs),
            labels=labels,
            datasets=datasets,
            label_header=str(cls.label_header),
            axis_title=str(cls.axis_title),
            embeddable=cls.slug in EMBEDDABLE_CHARTS,
            years_axis=cls.years_axis,
        )

    @classmethod
    def build_kwargs(cls, query, url_kwargs: dict) -> dict:
        """What ``build`` takes from a request for the chart's JSON: the URL's arguments."""
        return url_kwargs

    @classmethod
    def load(cls, request, url_kwargs: dict):
        """What the chart is built from, for its JSON: the census summary of ``?edicion=`` or the latest."""
        return load_summary(request, request.GET.get("edicion"))


class BirthplaceChart(ChartDefinition):
    slug = "birthplace"
    title = gettext_lazy("Distribución de la población según lugar de nacimiento, %(year)s")
    kind = "doughnut"
    value_format = "percent"
    label_header = gettext_lazy("Lugar de nacimiento")
    axis_title = gettext_lazy("% de la población")

    @classmethod
    def build(cls, summary, **kwargs):
        labels = [_("En el mismo departamento"), _("En otro departamento"), _("En otro país")]
        values = [share(summary.same_department_share), share(summary.migrant_share), share(summary.born_abroad_share)]
        return labels, [Dataset(_("% de la población"), values, [BLUE, ORANGE, GREY])]

    @classmethod
    def describe(cls, summary, **kwargs):
        return _(
            "%(share)s de la población nació en un departamento diferente al que reside "
            "(%(migrants)s personas) y %(abroad)s nació en otro país."
        ) % {
            "share": format_percent(summary.migrant_share),
            "migrants": format_int(summary.migrants),
            "abroad": format_percent(summary.born_abroad_share),
        }


class MigrantsChart(ChartDefinition):
    slug = "migrants"
    title = gettext_lazy("Población migrante por departamento, %(year)s")
    horizontal = True

    @classmethod
    def build(cls, summary, **kwargs):
        rows = summary.ranked("immigrants")
        return [row.department.name for row in rows], [
            Dataset(_("Inmigrantes"), [row.immigrants for row in rows], BLUE),
            Dataset(_("Emigrantes"), [row.emigrants for row in rows], ORANGE),
        ]

    @classmethod
    def describe(cls, summary, **kwargs):
        most_in, most_out = summary.top("immigrants", 1)[0], summary.top("emigrants", 1)[0]
        return _(
            "%(in_name)s recibe la mayor cantidad de inmigrantes: %(in_value)s; "
            "%(out_name)s tiene la mayor cantidad de emigrantes: %(out_value)s."
        ) % {
            "in_name": most_in.department.name,
            "in_value": format_int(most_in.immigrants),
            "out_name": most_out.department.name,
            "out_value": format_int(most_out.emigrants),
        }


class ShareChart(ChartDefinition):
    """Departments sorted by a share of their population, one bar each."""

    value_format = "percent"
    horizontal = True
    axis_title = gettext_lazy("% de la población del departamento")
    measure: Measure
    colour: str
    sentence: str  # with %(first)s, %(first_value)s, %(last)s, %(last_value)s

    @classmethod
    def build(cls, summary, **kwargs):
        rows = summary.ranked(cls.measure.key)
        values = [cls.measure.plain(cls.measure.of(row)) for row in rows]
        return [row.department.name for row in rows], [Dataset(str(cls.measure.label), values, cls.colour)]

    @classmethod
    def describe(cls, summary, **kwargs):
        first, last = summary.top(cls.measure.key, 1)[0], summary.bottom(cls.measure.key, 1)[0]
        return str(cls.sentence) % {
            "first": first.department.name,
            "first_value": cls.measure.format(cls.measure.of(first)),
            "last": last.department.name,
            "last_value": cls.measure.format(cls.measure.of(last)),
        }


class ImmigrantShareChart(ShareChart):
    slug = "immigrant-share"
    title = gettext_lazy("Porcentaje de la población inmigrante respecto al total de la población, %(year)s")
    measure = BY_KEY["immigrant_share"]
    colour = BLUE
    sentence = gettext_lazy(
        "%(first)s tiene el mayor porcentaje de inmigrantes (%(first_value)s) y %(last)s el menor (%(last_value)s)."
    )


class EmigrantShareChart(ShareChart):
    slug = "emigrant-share"
    title = gettext_lazy("Porcentaje de la población emigrante respecto al total de la población, %(year)s")
    measure = BY_KEY["emigrant_share"]
    colour = ORANGE
    sentence = gettext_lazy(
        "%(first)s tiene el mayor porcentaje de emigrantes (%(first_value)s) y %(last)s el menor (%(last_value)s)."
    )


class NetMigrationChart(ChartDefinition):
    slug = "net-migration"
    title = gettext_lazy("Saldo migratorio por departamento, %(year)s")
    value_format = "signed"
    horizontal = True
    axis_title = gettext_lazy("Personas: inmigrantes menos emigrantes")

    @classmethod
    def build(cls, summary, **kwargs):
        rows = summary.ranked("net_migration")
        values = [row.net_migration for row in rows]
        colours = [GAIN if value >= 0 else LOSS for value in values]
        return [row.department.name for row in rows], [Dataset(_("Saldo migratorio"), values, colours)]

    @classmethod
    def describe(cls, summary, **kwargs):
        gain, loss = summary.largest_gain, summary.largest_loss
        return _(
            "%(gain)s gana más población por migración (%(gain_value)s) y %(loss)s es el que más pierde "
            "(%(loss_value)s); %(gainers)s departamentos ganan y %(losers)s pierden."
        ) % {
            "gain": gain.department.name,
            "gain_value": format_signed(gain.net_migration),
            "loss": loss.department.name,
            "loss_value": format_signed(loss.net_migration),
            "gainers": summary.departments_gaining,
            "losers": summary.departments_losing,
        }


class DepartmentChart(ChartDefinition):
    slug = "department"
    title = gettext_lazy("Inmigrantes y emigrantes, %(year)s")
    label_header = gettext_lazy("Medida")

    @classmethod
    def row(cls, summary, slug):
        try:
            return summary.by_slug[slug]
        except KeyError:
            raise Http404(_("No hay cifras de este departamento en esta edición.")) from None

    @classmethod
    def place(cls, summary, slug):
        return cls.row(summary, slug).department.name

    @classmethod
    def build(cls, summary, slug):
        row = cls.row(summary, slug)
        return [_("Inmigrantes"), _("Emigrantes")], [
            Dataset(row.department.name, [row.immigrants, row.emigrants], [BLUE, ORANGE])
        ]

    @classmethod
    def describe(cls, summary, slug):
        row = cls.row(summary, slug)
        return _("%(name)s tiene %(immigrants)s inmigrantes y %(emigrants)s emigrantes: saldo %(net)s.") % {
            "name": row.department.name,
            "immigrants": format_int(row.immigrants),
            "emigrants": format_int(row.emigrants),
            "net": format_signed(row.net_migration),
        }


class ComparisonChart(ChartDefinition):
    """The departments of a comparison (``?d=slug&d=slug…``): their shares side by side."""

    slug = "comparison"
    title = gettext_lazy("Inmigrantes y emigrantes como porcentaje de la población, %(year)s")
    value_format = "percent"
    axis_title = gettext_lazy("% de la población del departamento")

    @classmethod
    def build_kwargs(cls, query, url_kwargs: dict) -> dict:
        return {"slugs": query.getlist("d")}

    @classmethod
    def url_for(cls, summary, slugs=()):
        comparison = Comparison.from_slugs(summary, list(slugs))
        return f"{reverse('migration:chart-comparison')}?edicion={summary.edition.year}&{comparison.query}"

    @classmethod
    def place(cls, summary, slugs=()):
        return ", ".join(row.department.name for row in Comparison.from_slugs(summary, list(slugs)).rows)

    @classmethod
    def build(cls, summary, slugs=()):
        rows = Comparison.from_slugs(summary, list(slugs)).rows
        return [row.department.name for row in rows], [
            Dataset(_("% inmigrantes"), [share(row.immigrant_share) for row in rows], BLUE),
            Dataset(_("% emigrantes"), [share(row.emigrant_share) for row in rows], ORANGE),
        ]

    @classmethod
    def describe(cls, summary, slugs=()):
        rows = Comparison.from_slugs(summary, list(slugs)).rows
        if not rows:
            return ""
        most_out = max(rows, key=lambda row: row.emigrant_share)
        most_in = max(rows, key=lambda row: row.immigrant_share)
        return _(
            "De estos departamentos, %(out)s tiene la mayor proporción de emigrantes (%(out_value)s) "
            "y %(in)s la mayor proporción de inmigrantes (%(in_value)s)."
        ) % {
            "out": most_out.department.name,
            "out_value": format_percent(most_out.emigrant_share),
            "in": most_in.department.name,
            "in_value": format_percent(most_in.immigrant_share),
        }


def rate(value) -> float:
    """Rates are sent to charts rounded as the tables show them."""
    return float(round_half_up(value, 1))


class PopulationChart(ChartDefinition):
    """Charts of the population censuses (``PopulationHistory``); no census edition in their URL."""

    label_header = gettext_lazy("Censo")

    @classmethod
    def title_values(cls, history) -> dict:
        return {"first": history.first.year, "last": history.last.year}

    @classmethod
    def census(cls, history) -> str:
        return _("Censos %(first)s–%(last)s") % cls.title_values(history)

    @classmethod
    def url_for(cls, history, **kwargs) -> str:
        return reverse(f"migration:chart-{cls.slug}", kwargs=kwargs)  # every census: no ?edicion=

    @classmethod
    def load(cls, request, url_kwargs):
        history = PopulationHistory.load(drafts=may_see_drafts(request))
        if not history:
            raise Http404(_("Todavía no se han cargado los censos de población."))
        return history


class NationalPopulationChart(PopulationChart):
    slug = "population"
    title = gettext_lazy("Población censada del Perú, %(first)s–%(last)s")
    kind = "line"
    years_axis = True

    @classmethod
    def build(cls, history, **kwargs):
        labels = [str(census.year) for census in history.censuses]
        return labels, [Dataset(_("Población censada"), [c.national_population for c in history.censuses], BLUE)]

    @classmethod
    def describe(cls, history, **kwargs):
        return _(
            "La población censada del Perú pasó de %(first_value)s en %(first)s a %(last_value)s en %(last)s "
            "(%(growth)s al año en promedio)."
        ) % {
            "first": history.first.year,
            "first_value": format_int(history.first.national_population),
            "last": history.last.year,
            "last_value": format_int(history.last.national_population),
            "growth": format_growth(history.national_growth(history.span)),
        }


class PopulationShareChart(PopulationChart):
    slug = "population-share"
    title = gettext_lazy("Porcentaje de la población del Perú por departamento, %(first)s y %(last)s")
    value_format = "percent"
    axis_title = gettext_lazy("% de la población del Perú")
    horizontal = True
    label_header = gettext_lazy("Departamento")

    @classmethod
    def build(cls, history, **kwargs):
        rows = sorted(history.rows, key=lambda row: row.share(history.last.year) or 0, reverse=True)
        return [row.department.name for row in rows], [
            Dataset(str(census.year), [share(row.share(census.year) or 0) for row in rows], colour)
            for census, colour in ((history.first, GREY), (history.last, BLUE))
        ]

    @classmethod
    def describe(cls, history, **kwargs):
        largest = history.largest
        return _(
            "%(name)s reunía el %(first_share)s de la población del Perú en %(first)s y el %(last_share)s en %(last)s."
        ) % {
            "name": largest.department.name,
            "first": history.first.year,
            "first_share": format_percent(largest.share(history.first.year)),
            "last": history.last.year,
            "last_share": format_percent(largest.share(history.last.year)),
        }


class DepartmentPopulationChart(PopulationChart):
    slug = "department-population"
    title = gettext_lazy("Población censada, %(first)s–%(last)s")
    kind = "line"
    years_axis = True

    @classmethod
    def row(cls, history, slug):
        try:
            return history.by_slug[slug]
        except KeyError:
            raise Http404(_("No hay población censada de este departamento.")) from None

    @classmethod
    def place(cls, history, slug):
        return cls.row(history, slug).department.name

    @classmethod
    def build(cls, history, slug):
        row = cls.row(history, slug)
        censuses = [census for census in history.censuses if row.population(census.year) is not None]
        return [str(census.year) for census in censuses], [
            Dataset(row.department.name, [row.population(census.year) for census in censuses], BLUE)
        ]

    @classmethod
    def describe(cls, history, slug):
        row = cls.row(history, slug)
        first, last = history.first, history.last
        return _("%(name)s tenía %(first_value)s habitantes en %(first)s y %(last_value)s en %(last)s.") % {
            "name": row.department.name,
            "first": first.year,
            "first_value": format_int(row.population(first.year)),
            "last": last.year,
            "last_value": format_int(row.population(last.year)),
        }

    @classmethod
    def load(cls, request, url_kwargs):
        return PopulationHistory.load(slug=url_kwargs["slug"], drafts=may_see_drafts(request))


class ComparisonPopulationChart(PopulationChart):
    """The compared departments (``?d=slug&d=slug…``) over the census years: one line each."""

    slug = "comparison-population"
    title = gettext_lazy("Población censada de los departamentos comparados, %(first)s–%(last)s")
    kind = "line"
    years_axis = True
    #: One colour per department, told apart with colour blindness (the lines also differ by their points' shape).
    COLOURS = (BLUE, ORANGE, "#2e7d32", "#7b3294", GREY)

    @classmethod
    def build_kwargs(cls, query, url_kwargs: dict) -> dict:
        return {"slugs": query.getlist("d")[:50]}

    @classmethod
    def compared(cls, history, slugs) -> list:
        return [history.by_slug[slug] for slug in dict.fromkeys(slugs) if slug in history.by_slug][:MAX_COMPARED]

    @classmethod
    def url_for(cls, history, slugs=()):
        query = "&".join(f"d={row.department.slug}" for row in cls.compared(history, slugs))
        return f"{reverse('migration:chart-comparison-population')}?{query}"

    @classmethod
    def place(cls, history, slugs=()):
        return ", ".join(row.department.name for row in cls.compared(history, slugs))

    @classmethod
    def build(cls, history, slugs=()):
        years = [census.year for census in history.censuses]
        return [str(year) for year in years], [
            Dataset(row.department.name, [row.population(year) for year in years], cls.COLOURS[index % 5])
            for index, row in enumerate(cls.compared(history, slugs))
        ]

    @classmethod
    def describe(cls, history, slugs=()):
        rows = cls.compared(history, slugs)
        if not rows:
            return ""
        first, last = history.first.year, history.last.year
        return _("Población de %(names)s en cada censo, de %(first)s a %(last)s.") % {
            "names": ", ".join(row.department.name for row in rows),
            "first": first,
            "last": last,
        }


class RecentMigrationChart(ChartDefinition):
    """Charts of recent migration (``RecentMigrationSummary``), one bar per area (Lima y Callao is one)."""

    horizontal = True

    @classmethod
    def title_values(cls, summary) -> dict:
        return {"period": summary.period}

    @classmethod
    def census(cls, summary) -> str:
        return _("Censo %(year)s") % {"year": summary.period.rsplit("–", 1)[-1]}

    @classmethod
    def url_for(cls, summary, **kwargs) -> str:
        return reverse(f"migration:chart-{cls.slug}", kwargs=kwargs)  # one census (2007): no ?edicion=

    @classmethod
    def load(cls, request, url_kwargs):
        summary = RecentMigrationSummary.load()
        if not summary:
            raise Http404(_("Todavía no se han cargado las cifras de migración reciente."))
        return summary


class RecentMigrantsChart(RecentMigrationChart):
    slug = "recent-migrants"
    title = gettext_lazy("Inmigrantes y emigrantes recientes por departamento, %(period)s")

    @classmethod
    def build(cls, summary, **kwargs):
        areas = summary.areas
        return [area.name for area in areas], [
            Dataset(str(RECENT_BY_KEY["immigrants"].label), [area.immigrants for area in areas], BLUE),
            Dataset(str(RECENT_BY_KEY["emigrants"].label), [area.emigrants for area in areas], ORANGE),
        ]

    @classmethod
    def describe(cls, summary, **kwargs):
        most_in, most_out = summary.ranked("immigrants")[0], summary.ranked("emigrants")[0]
        if most_in == most_out:
            message = _(
                "%(in_name)s recibió más inmigrantes recientes (%(in_value)s) y también tuvo más emigrantes "
                "recientes (%(out_value)s)."
            )
        else:
            message = _(
                "%(in_name)s recibió más inmigrantes recientes (%(in_value)s); %(out_name)s tuvo más "
                "emigrantes recientes (%(out_value)s)."
            )
        return message % {
            "in_name": most_in.name,
            "in_value": format_int(most_in.immigrants),
            "out_name": most_out.name,
            "out_value": format_int(most_out.emigrants),
        }


class RecentNetRateChart(RecentMigrationChart):
    slug = "recent-net-rate"
    title = gettext_lazy("Saldo migratorio reciente por cada 1,000 habitantes de 5 años y más, %(period)s")
    value_format = "rate"
    axis_title = gettext_lazy("Por cada 1,000 habitantes de 5 años y más")

    @classmethod
    def build(cls, summary, **kwargs):
        areas = summary.ranked("net_rate")
        values = [rate(area.net_rate) for area in areas]
        colours = [GAIN if value >= 0 else LOSS for value in values]
        return [area.name for area in areas], [Dataset(str(RECENT_BY_KEY["net_rate"].column), values, colours)]

    @classmethod
    def describe(cls, summary, **kwargs):
        gain, loss = summary.ranked("net_rate")[0], summary.ranked("net_rate", lowest_first=True)[0]
        return _(
            "%(gain)s ganó más población en proporción (%(gain_value)s por 1,000 habitantes) y %(loss)s "
            "perdió más (%(loss_value)s por 1,000); %(gainers)s áreas ganan y %(losers)s pierden."
        ) % {
            "gain": gain.name,
            "gain_value": RECENT_BY_KEY["net_rate"].format(gain.net_rate),
            "loss": loss.name,
            "loss_value": RECENT_BY_KEY["net_rate"].format(loss.net_rate),
            "gainers": sum(area.net_migration > 0 for area in summary.areas),
            "losers": sum(area.net_migration < 0 for area in summary.areas),
        }


class OriginChart(ChartDefinition):
    """Charts of the counts by origin of the newest census that has them (``OriginSummary``, 2025)."""

    horizontal = True
    value_format = "signed"

    @classmethod
    def title_values(cls, summary) -> dict:
        return {"year": summary.year, "period": summary.period}

    @classmethod
    def census(cls, summary) -> str:
        return _("Censo %(year)s") % {"year": summary.year}

    @classmethod
    def url_for(cls, summary, **kwargs) -> str:
        return reverse(f"migration:chart-{cls.slug}", kwargs=kwargs)  # the newest census with these figures

    @classmethod
    def load(cls, request, url_kwargs):
        summary = OriginSummary.load(drafts=may_see_drafts(request))
        if summary is None:
            raise Http404(_("Todavía no se han cargado cifras por lugar de origen."))
        return summary


class BalanceChart(OriginChart):
    """The departments sorted by one balance, gains in blue and losses in orange."""

    measure: Measure
    sentence: str  # with %(gain)s, %(gain_value)s, %(loss)s, %(loss_value)s, %(gainers)s, %(losers)s

    @classmethod
    def build(cls, summary, **kwargs):
        rows = summary.ranked(cls.measure.key)
        values = [cls.measure.of(row) for row in rows]
        colours = [GAIN if value >= 0 else LOSS for value in values]
        return [row.department.name for row in rows], [Dataset(str(cls.measure.label), values, colours)]

    @classmethod
    def describe(cls, summary, **kwargs):
        rows = summary.ranked(cls.measure.key)
        gain, loss = rows[0], rows[-1]
        return str(cls.sentence) % {
            "gain": gain.department.name,
            "gain_value": format_int(abs(cls.measure.of(gain))),
            "loss": loss.department.name,
            "loss_value": format_int(abs(cls.measure.of(loss))),
            "gainers": len(summary.gaining(cls.measure.key)),
            "losers": len(summary.losing(cls.measure.key)),
            "year": summary.year,
            "earlier": summary.earlier_year,
        }


class LifetimeBalanceChart(BalanceChart):
    slug = "lifetime-balance"
    title = gettext_lazy("Balance de toda la vida por departamento: residentes menos nacidos en él, %(year)s")
    axis_title = gettext_lazy("Personas: residentes menos nacidos en el departamento")
    measure = ORIGIN_BY_KEY["lifetime_balance"]
    sentence = gettext_lazy(
        "%(gain)s tiene %(gain_value)s residentes más que personas nacidas en él, el mayor balance; %(loss)s, "
        "%(loss_value)s menos, el menor. %(gainers)s departamentos tienen más residentes que nacidos y %(losers)s "
        "menos."
    )


class RecentBalanceChart(BalanceChart):
    slug = "recent-balance"
    title = gettext_lazy(
        "Balance reciente por departamento: residentes de 5 años y más menos quienes vivían en él en %(earlier)s, "
        "%(year)s"
    )
    axis_title = gettext_lazy("Personas de 5 años y más")
    measure = ORIGIN_BY_KEY["recent_balance"]
    sentence = gettext_lazy(
        "%(gain)s tiene el mayor balance reciente: %(gain_value)s residentes de 5 años y más por encima de quienes "
        "vivían en él en %(earlier)s; %(loss)s, el menor: %(loss_value)s por debajo. %(gainers)s departamentos ganan "
        "y %(losers)s pierden."
    )

    @classmethod
    def title_values(cls, summary) -> dict:
        return {"year": summary.year, "earlier": summary.earlier_year}


class BornAbroadChart(OriginChart):
    """The share of the population born abroad in the newest census and in the census edition before it."""

    slug = "born-abroad"
    title = gettext_lazy("Población nacida en otro país, %% de la población censada")
    kind = "bar"
    horizontal = False
    value_format = "percent"
    label_header = gettext_lazy("Censo")
    axis_title = gettext_lazy("% de la población")

    @classmethod
    def points(cls, summary) -> list[tuple[int, float]]:
        points = [(summary.year, summary.born_abroad_share)]
        if summary.earlier_edition is not None:
            points.insert(0, (summary.earlier_edition.year, summary.earlier_born_abroad_share))
        return points

    @classmethod
    def build(cls, summary, **kwargs):
        points = cls.points(summary)
        return [str(year) for year, _value in points], [
            Dataset(_("% nacido en otro país"), [share(value) for _year, value in points], GREY)
        ]

    @classmethod
    def describe(cls, summary, **kwargs):
        values = {"year": summary.year, "share": format_percent(summary.born_abroad_share)}
        if summary.earlier_edition is None:
            return _("En %(year)s, el %(share)s de la población censada nació en otro país.") % values
        return _(
            "En %(year)s, el %(share)s de la población censada nació en otro país; en %(earlier)s, el "
            "%(earlier_share)s."
        ) % {
            **values,
            "earlier": summary.earlier_edition.year,
            "earlier_share": format_percent(summary.earlier_born_abroad_share),
        }


#: The charts of the balances by origin (/migracion/balances/), in page order.
ORIGIN_CHARTS = [LifetimeBalanceChart, RecentBalanceChart, BornAbroadChart]
#: The charts of /migracion/, in page order.
PAGE_CHARTS = [MigrantsChart, ImmigrantShareChart, EmigrantShareChart, NetMigrationChart]
#: The charts other sites may frame, at /embed/<slug>/.
EMBEDDABLE_CHARTS = {chart.slug: chart for chart in (BirthplaceChart, *PAGE_CHARTS)}
