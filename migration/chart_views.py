"""The charts' JSON for Chart.js (django-chartjs): ``labels`` and ``datasets``, from ``migration.charts``.

A chart over census years (``years_axis``) sends its values as ``{"x": year, "y": value}`` points, so
that Chart.js places the censuses to scale on a linear axis; the ``labels`` are the same years."""

from functools import cached_property

from chartjs.views.lines import BaseLineChartView

from .charts import ChartDefinition

POINT_STYLES = ("circle", "rect", "triangle", "rectRot", "crossRot")


class ChartJSONView(BaseLineChartView):
    """``ChartJSONView.as_view(definition=…)``: one chart's data (from what ``definition.load`` reads)."""

    definition: type[ChartDefinition] | None = None

    @cached_property
    def built(self):
        source = self.definition.load(self.request, self.kwargs)  # the summary, the census history…
        return self.definition.build(source, **self.definition.build_kwargs(self.request.GET, self.kwargs))

    def get_labels(self):
        return self.built[0]

    def get_providers(self):
        return [dataset.label for dataset in self.built[1]]

    def get_data(self):
        if self.definition.years_axis:  # {x: year, y: value} points, for Chart.js's linear x axis
            years = [int(label) for label in self.get_labels()]
            return [[{"x": x, "y": y} for x, y in zip(years, dataset.values, strict=True)] for dataset in self.built[1]]
        return [dataset.values for dataset in self.built[1]]

    def get_dataset_options(self, index, color):
        colour = self.built[1][index].color
        options = {"backgroundColor": colour, "borderColor": colour, "borderWidth": 0}
        if self.definition.kind == "line":  # a line between the censuses, each census a point
            options |= {"borderWidth": 2, "pointRadius": 4, "fill": False, "tension": 0}
            if len(self.built[1]) > 1:  # several lines: each its shape of point too, not its colour alone
                options |= {"pointStyle": POINT_STYLES[index % len(POINT_STYLES)], "pointRadius": 5}
        return options

    def get_context_data(self, **kwargs):
        # django-chartjs also serialises the view and the URL kwargs: keep the chart data only.
        context = super().get_context_data(**kwargs)
        return {"labels": context["labels"], "datasets": context["datasets"]}
