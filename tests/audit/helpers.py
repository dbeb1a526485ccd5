from django.db import connection


def write_statements():
    """An audit write's statements, however many rows: on PostgreSQL the chain head's
    lock and one statement for the entries, their subjects and the head
    (kinsight/audit/append.py); elsewhere locked head, entries, subjects, head."""
    return 2 if connection.vendor == "postgresql" else 4
