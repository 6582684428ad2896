"""Database aggregates the ORM lacks, for SQLite and PostgreSQL alike."""

from django.db.models import Aggregate, JSONField


class JSONArrayAgg(Aggregate):
    """The grouped values as one JSON array (``json_group_array`` on SQLite, ``jsonb_agg`` on PostgreSQL).

    Lets a list page read each row's few related items in its own query (as a subquery)
    instead of one more query per page; the order of the items is not guaranteed.
    """

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # jsonb, like JSONField columns: Django reads it as text and decodes it the same way.
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
