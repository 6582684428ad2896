from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404
from django.views.generic import TemplateView

from migration.charts import BirthplaceChartView
from migration.views import EditionMixin
from practices.models import Practice

from .models import ContentBlock


class HomeView(EditionMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        summary = self.summary
        return super().get_context_data(
            birthplace_chart=BirthplaceChartView.chart(summary),
            top_immigrants=summary.top("immigrants"),
            top_emigrants=summary.top("emigrants"),
            largest_gain=summary.largest_gain,
            largest_loss=summary.largest_loss,
            blocks=ContentBlock.objects.by_key("migracion_introduccion"),
            latest_practices=Practice.objects.published().select_related("institution").order_by("-published_at")[:3],
            **kwargs,
        )


def page_not_found(request, exception):
    """Spanish 404 page in the site's layout, with the reason when the portal gave one."""
    message = ""
    if not isinstance(exception, Resolver404) and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(request, "404.html", {"message": message}, status=404)


def health(request):
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
