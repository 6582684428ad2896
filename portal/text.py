"""Markdown written by editors, turned into safe HTML."""

import re
from collections.abc import Mapping
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "sub", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
MARKER = re.compile(r"\[\[\s*([a-z0-9_]+(?::[a-z0-9-]+)?)\s*\]\]")


def fill_markers(text: str, values: Mapping[str, str]) -> str:
    """Replace ``[[key]]`` markers by their values; unknown markers stay visible for editors."""
    return MARKER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_markdown(text: str, values: Mapping[str, str] | None = None) -> str:
    return _to_safe_html(fill_markers(text, values or {}))


@lru_cache(maxsize=512)
def _to_safe_html(text: str) -> str:
    """A pure function of the text: the few narrative texts are converted once per process, not per view."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
