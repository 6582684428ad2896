"""The navigation between the migration pages, drawn from ``migration/pages.py``."""

from django import template

from ..pages import PAGES

register = template.Library()


@register.inclusion_tag("migration/includes/section_nav.html", takes_context=True)
def section_navigation(context) -> dict:
    path = getattr(context.get("request"), "path", "")
    items = [(page, page.get_absolute_url()) for page in PAGES if page.short]
    return {"items": [{"page": page, "url": url, "current": path == url} for page, url in items]}
