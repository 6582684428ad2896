"""Text written by editors: control characters removed, Markdown turned into safe HTML."""

import difflib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import nh3
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

from .registry import TEXT_MARKERS

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "sup", "sub", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
MARKER = re.compile(r"\[\[\s*([a-z0-9_]+(?::[a-z0-9-]+)?)\s*\]\]")
# Anything written as a marker: at most 100 characters between the brackets, none of them a bracket, so that a
# text full of "[[" is scanned in linear time.
ANY_MARKER = re.compile(r"\[\[([^\[\]]{0,100})\]\]")
#: The longest Markdown text an editor may save (characters): about 10 pages. Rendering is linear in the text
#: (markdown-it), this bounds it to well under a second whatever the text holds.
MARKDOWN_MAX_LENGTH = 30_000
#: The validators of every Markdown field (the message quotes the limit and the text's length).
MARKDOWN_VALIDATORS = [MaxLengthValidator(MARKDOWN_MAX_LENGTH)]


def marker_names() -> set[str]:
    """Every valid marker name (``poblacion_nacional``, ``saldo:lima``…), of every app's ``TextMarkers``."""
    names = set()
    for markers in TEXT_MARKERS:
        slugs = list(markers.slugs())
        names |= set(markers.fixed) | {f"{name}:{slug}" for name in markers.per_object for slug in slugs}
    return names


def unknown_markers(text: str) -> list[tuple[str, str | None]]:
    """``[(marker as written, closest valid marker or None)]`` for each ``[[…]]`` the portal cannot fill."""
    found = []
    if not ANY_MARKER.search(text or ""):
        return found
    valid = marker_names()
    for match in ANY_MARKER.finditer(text):
        name = match.group(1).strip()
        if name in valid or any(written == match.group(0) for written, _ in found):
            continue
        close = difflib.get_close_matches(name.lower().replace(" ", ""), valid, n=1, cutoff=0.75)
        found.append((match.group(0), f"[[{close[0]}]]" if close else None))
    return found


def marker_error(written: str, suggestion: str | None) -> str:
    """The Spanish message for a marker the portal cannot fill, naming the valid ones."""
    message = _("El marcador %(marker)s no existe.") % {"marker": written}
    if suggestion:
        message += " " + _("¿Quiso decir %(suggestion)s?") % {"suggestion": suggestion}
    for markers in TEXT_MARKERS:
        message += " " + _(
            "Los válidos son %(valid)s y, por %(object)s (con su slug en lugar de «%(example)s»), %(per_object)s."
        ) % {
            "valid": ", ".join(f"[[{name}]]" for name in markers.fixed),
            "object": markers.object_name,
            "example": markers.example_slug,
            "per_object": ", ".join(f"[[{name}:{markers.example_slug}]]" for name in markers.per_object),
        }
    return message


def marker_values(request) -> dict[str, str]:
    """The value of every marker for the data ``request`` shows (the latest published census)."""
    values = {}
    for markers in TEXT_MARKERS:
        values |= markers.values(request)
    return values


# What XML 1.0 (feeds, XLSX) cannot carry and no editor means to type: C0 control characters other
# than tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF. PostgreSQL refuses NUL too.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Word's manual line break (U+000B) and page break (U+000C) are line ends for the reader.
LINE_BREAKS = re.compile("[\x0b\x0c]")


def plain_text(value: str) -> str:
    """``value`` without the characters of ``NOT_TEXT`` (Word's line and page breaks become newlines)."""
    if not NOT_TEXT.search(value):
        return value
    return NOT_TEXT.sub("", LINE_BREAKS.sub("\n", value))


class PlainTextModel(models.Model):
    """Every text field of the model (CharField, TextField and their subclasses) is stored as ``plain_text``.

    Done in model validation (``clean_fields``, which admin forms, imports and ``full_clean()`` in the
    shell all run): a summary pasted from Word keeps its words and loses its invisible control characters.
    """

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not (exclude and field.name in exclude):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, plain_text(value))
        super().clean_fields(exclude=exclude)


def clean_stored_text(model) -> int:
    """Store ``plain_text`` in every text field of ``model``'s rows that need it (data migrations); the count."""
    fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
    cleaned = 0
    for row in model._base_manager.values("pk", *fields).iterator():
        changes = {name: plain_text(row[name]) for name in fields if row[name] and NOT_TEXT.search(row[name])}
        if changes:
            model._base_manager.filter(pk=row["pk"]).update(**changes)
            cleaned += 1
    return cleaned


# Bounded repetitions: a text full of "![" is scanned in linear time (unbounded, 30 KB of it took a second).
IMAGE = re.compile(r"!\[[^\]]{0,1000}\]\s*(?:\([^)]{0,2000}\)|\[[^\]]{0,1000}\])|<img\b[^>]{0,2000}>?", re.IGNORECASE)


def image_errors(instance, fields: Iterable[str]) -> dict[str, str]:
    """``{field: message}`` for each Markdown field of ``instance`` that holds an image (``![…](…)`` or
    ``<img>``): the portal publishes no images in its texts, and the sanitiser would drop them silently."""
    errors = {}
    for name in fields:
        found = IMAGE.findall(getattr(instance, name) or "")
        if found:
            errors[name] = _("Los textos del portal no publican imágenes: quite %(images)s.") % {
                "images": ", ".join(f"«{image[:80]}»" for image in found)
            }
    return errors


def fill_markers(text: str, values: Mapping[str, str]) -> str:
    """Replace ``[[key]]`` markers by their values; unknown markers stay visible for editors."""
    return MARKER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_markdown(text: str, values: Mapping[str, str] | None = None) -> str:
    return _to_safe_html(fill_markers(text, values or {}))


def _image_as_text(self, tokens, idx, options, env):
    """An image is shown as its description: the portal's texts carry no images (and nh3 would drop them)."""
    return self.renderInline(tokens[idx].children or [], options, env)


#: CommonMark (what Word's and Google Docs' pasted text becomes through turndown) with GFM tables and raw HTML,
#: which nh3 then sanitises. markdown-it parses in time linear in the text and caps nesting (``maxNesting``):
#: a page of "[" or lists nested a thousand deep render in bounded time.
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
MARKDOWN.add_render_rule("image", _image_as_text)
# Every link target is kept for nh3 to judge (``url_schemes``): a javascript: link shows its words without a target
# instead of its Markdown source.
MARKDOWN.validateLink = lambda url: True


@lru_cache(maxsize=512)
def _to_safe_html(text: str) -> str:
    """A pure function of the text: the few narrative texts are converted once per process, not per view."""
    html = MARKDOWN.render(text).rstrip()
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


class LocalizedText(str):
    """A text in the visitor's language, or the Spanish one when no English version exists.

    ``lang`` is ``"es"`` when an English page shows the Spanish text (so that templates mark it
    ``lang="es"`` and say it is not translated yet), empty otherwise.
    """

    lang = ""


def localized(instance, field: str) -> LocalizedText:
    """``instance.<field>_en`` on English pages when it is filled in, ``instance.<field>`` otherwise."""
    spanish = getattr(instance, field)
    if get_language() != "en":
        return LocalizedText(spanish)
    english = getattr(instance, f"{field}_en", "")
    if english:
        return LocalizedText(english)
    text = LocalizedText(spanish)
    text.lang = "es" if spanish else ""
    return text
