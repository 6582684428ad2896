"""What the portal's django-tables2 tables share."""

from urllib.parse import urlencode

from django_tables2.utils import OrderBy


class SelfLinkingTableMixin:
    """Sort and page links built from validated parameters, not from the raw query string.

    ``kept_query`` holds the parameters the view has checked (filters, edition, map
    indicator); links carry those and the table's own sort and page, nothing else a visitor
    typed. So the drawn table depends only on the content and known values, and can be kept
    per content (see ``content_cache`` in the templates). ``kept_query=None`` (a refused filter
    value) falls back to django-tables2's links from the query string.
    """

    def __init__(self, *args, kept_query: dict[str, str] | None = None, **kwargs):
        self.kept_query = kept_query
        super().__init__(*args, **kwargs)

    @property
    def builds_sort_links(self) -> bool:
        return self.kept_query is not None

    def sort_url(self, order_by_alias: str) -> str:
        return "?" + urlencode({**self.kept_query, self.prefixed_order_by_field: order_by_alias})

    def page_url(self, number) -> str:
        return self._url_with(self.prefixed_page_field, number)

    def download_url(self, param: str, export_format: str) -> str:
        """The whole table (every page) in ``export_format``, with the same filters and sort."""
        return self._url_with(param, export_format)

    def _url_with(self, name: str, value) -> str:
        params: dict = dict(self.kept_query)
        if self.request.GET.getlist(self.prefixed_order_by_field):
            params[self.prefixed_order_by_field] = list(self.order_by)  # as the table understood it
        params[name] = value
        return "?" + urlencode(params, doseq=True)

    @classmethod
    def ordering_for(cls, sort_values: list[str]) -> tuple[str, ...]:
        """The order ``?sort=`` values give a table, as django-tables2 decides it (invalid ones dropped)."""
        if not sort_values:
            return tuple(cls._meta.order_by)
        columns = cls.base_columns
        return tuple(
            alias
            for alias in sort_values
            if OrderBy(alias).bare in columns and columns[OrderBy(alias).bare].orderable is not False
        )
