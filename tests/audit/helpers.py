from django.db import connection


def write_statements(*, subjects=True):
    """An audit write's statements, however many rows: on PostgreSQL the chain head's
    lock and one statement for the entries, their subjects and the head
    (kinsight/audit/append.py); elsewhere locked head, entries, subjects (when the rows
    name any persons), head."""
    if connection.vendor == "postgresql":
        return 2
    return 4 if subjects else 3


def tamper(sql, params=()):
    """Change the audit tables behind the application's back, as their owner or a
    superuser would (on PostgreSQL past the append-only triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
