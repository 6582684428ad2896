"""What the footer says of the censuses, from the data (``migration.population.CensusSources``)."""

import logging

from django import template
from django.db import DatabaseError

from ..population import CensusSources, cached_census_sources

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def census_sources(context) -> CensusSources | None:
    """``{% census_sources as sources %}``: read once per content version (one query), then from the cache. None
    on the error pages drawn without the request (400, 500: they read nothing more) and when the database does not
    answer (an error page must still draw its footer)."""
    request = context.get("request")
    if request is None:
        return None
    try:
        return cached_census_sources(request)
    except DatabaseError:
        logger.warning("Census sources not read for the footer", exc_info=True)
        return None
