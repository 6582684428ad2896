"""The main navigation, drawn from the list of pages (``portal/pages.py``)."""

from django import template
from django.urls import reverse

from portal.pages import NAVIGATION

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_navigation(context) -> dict:
    """Each item of the main navigation with its address; ``current`` is the item whose section the page is in:
    the item's page or a page under its address (the home page is only its own section)."""
    path = getattr(context.get("request"), "path", "")
    home = reverse("home")
    items = []
    for page in NAVIGATION:
        url = page.get_absolute_url()
        current = path == url or (url != home and path.startswith(url))
        items.append({"page": page, "url": url, "current": current})
    return {"items": items}
