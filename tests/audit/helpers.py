from django.db import connection


def write_statements():
    """An audit write's statements, however many rows: on PostgreSQL the chain head's
    lock and one statement for the entries, their subjects and the head
    (kinsight/audit/append.py); elsewhere locked head, entries, subjects, head."""
    return 2 if connection.vendor == "postgresql" else 4


def tamper(sql, params=()):
    """Change the audit tables behind the application's back, as their owner or a
    superuser would (on PostgreSQL past the append-only triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")
