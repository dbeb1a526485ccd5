"""Database helpers that behave the same on SQLite and PostgreSQL."""

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver


class Casefold(models.Func):
    """Lower-case text, Swedish letters included. PostgreSQL's LOWER() knows å/ä/ö;
    SQLite's only knows ASCII, so there it calls Python's str.casefold."""

    function = "LOWER"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="KINSIGHT_CASEFOLD", **extra)


@receiver(connection_created)
def _register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "KINSIGHT_CASEFOLD",
            1,
            lambda value: value.casefold() if value else value,
            deterministic=True,
        )
