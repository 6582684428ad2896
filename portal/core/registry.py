"""What the kernel needs to know of the apps, registered by each app in its ``AppConfig.ready()``.

The kernel (``portal.core``) imports neither app. The apps tell it, at start-up, the way ``admin.site.register``
collects the admin's models:

- ``register_public_models``: the models public pages show, whose history tables make the content version
  (``portal.core.cache``), and the date field of a model whose rows become public by themselves when their
  time comes (a scheduled practice);
- ``register_query_parameter``: each query parameter the app's pages and API read, with the values it takes, so
  that the page cache keeps only answers to queries the portal itself writes (``portal.core.middleware``);
- ``register_text_markers``: the ``[[markers]]`` the app fills in editors' texts (``portal.core.text``).

Everything here is filled once per process, before the first request, and only read afterwards.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

#: "app_label.Model" of every model public pages show (each with ``history = HistoricalRecords()``).
PUBLIC_MODELS: list[str] = []


@dataclass(frozen=True)
class Scheduled:
    """Rows of ``model`` (a label) whose ``date_field`` may lie in the future: they become public when it comes,
    if they match ``filters`` (``{"status": "published"}``), without any edit being recorded."""

    model: str
    date_field: str
    filters: Mapping[str, str]


SCHEDULED: list[Scheduled] = []


def register_public_models(*labels: str, scheduled: Scheduled | None = None) -> None:
    PUBLIC_MODELS.extend(label for label in labels if label not in PUBLIC_MODELS)
    if scheduled is not None and scheduled not in SCHEDULED:
        SCHEDULED.append(scheduled)


def pattern(regex: str) -> Callable[[str], bool]:
    """A check for ``register_query_parameter``: the whole value matches ``regex``."""
    return re.compile(regex).fullmatch


def one_of(*values: str) -> Callable[[str], bool]:
    """A check for ``register_query_parameter``: the value is one of these (none: only the empty value)."""
    return frozenset(str(value) for value in values).__contains__


SLUG = pattern(r"[a-z0-9]+(?:-[a-z0-9]+)*")
YEAR = pattern(r"[12][0-9]{3}")
PAGE = pattern(r"[1-9][0-9]{0,3}")  # a page number: up to 9,999 pages of a list
LIMIT = pattern(r"[1-9][0-9]{0,2}")  # the API's page size (1 to 100; a larger one is refused with a 422)
OFFSET = pattern(r"[0-9]{1,5}")


def sorted_by(*columns: str) -> Callable[[str], bool]:
    """A check for a table's ``?sort=``: one of its column names, ascending or descending (``-name``) — not any
    word a client makes up, each of which would be a page of its own in the cache."""
    return one_of(*columns, *(f"-{column}" for column in columns))


@dataclass(frozen=True)
class QueryParameter:
    """A query parameter public pages or the API read: a value is one a link of the portal writes when one of
    ``checks`` accepts it (each page that reads the parameter registers its own); ``most`` is how many times it
    may appear (``?d=lima&d=puno``)."""

    name: str
    checks: tuple[Callable[[str], bool], ...]
    most: int = 1

    def accepts(self, value: str) -> bool:
        return any(check(value) for check in self.checks)


QUERY_PARAMETERS: dict[str, QueryParameter] = {}


def register_query_parameter(name: str, check: Callable[[str], bool], most: int = 1) -> None:
    known = QUERY_PARAMETERS.get(name, QueryParameter(name, (), 0))
    checks = known.checks if check in known.checks else (*known.checks, check)
    QUERY_PARAMETERS[name] = QueryParameter(name, checks, max(most, known.most))


@dataclass(frozen=True)
class TextMarkers:
    """The ``[[markers]]`` an app fills in editors' Markdown texts.

    ``fixed``: ``{name: what it stands for}``, written ``[[name]]``. ``per_object``: the same, written
    ``[[name:slug]]`` for one ``object_name`` (``departamento``; plural ``objects_name``) among ``slugs()``,
    e.g. ``[[saldo:lima]]``.
    ``values(request)`` gives ``{marker as written without brackets: text}`` for the data the request shows.
    """

    fixed: Mapping[str, str]
    per_object: Mapping[str, str]
    object_name: str
    objects_name: str
    example_slug: str
    slugs: Callable[[], Iterable[str]]
    values: Callable[[object], Mapping[str, str]]


TEXT_MARKERS: list[TextMarkers] = []


def register_text_markers(markers: TextMarkers) -> None:
    TEXT_MARKERS.append(markers)
