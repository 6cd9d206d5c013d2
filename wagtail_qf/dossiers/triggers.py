"""Database triggers keep ``SubmissionCount`` in step with the dossiers, and renew the
token of ``SubmissionsVersion`` (the version of the inbox's cached counts).

The database counts every insert, status change and deletion itself, inside the
same statement: no extra round trip per transmission, and bulk writes and raw
SQL (imports, benchmarks) are counted too. The triggers are created by the
migration ``0002_counter_triggers`` (PostgreSQL and SQLite, the two supported
databases; ``manage.py check`` warns on another: W002).
"""

VENDORS = ("postgresql", "sqlite")


def supported(connection) -> bool:
    return connection.vendor in VENDORS
