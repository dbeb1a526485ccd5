"""API tokens were DRF's plain ``authtoken`` tokens, stored unhashed. They are deleted
here: every old token stops working and its user makes a new, hashed one on *Mitt
konto* (docs/operations.md, "Upgrade notes"). The table itself is left (empty) since
``rest_framework.authtoken`` is no longer installed and its migrations cannot run."""

from django.db import migrations

OLD_TABLE = "authtoken_token"


def delete_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(OLD_TABLE)}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(delete_plain_tokens, migrations.RunPython.noop)]
