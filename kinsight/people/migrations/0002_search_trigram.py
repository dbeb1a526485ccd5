"""On PostgreSQL, a trigram GIN index on the normalised name, so that partial name
search (LIKE '%…%') uses an index. SQLite has no pg_trgm: nothing happens there."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS person_search_name_trgm "
    "ON people_person USING gin (search_name gin_trgm_ops)"
)
DROP = "DROP INDEX IF EXISTS person_search_name_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
