"""The background tasks (django-tasks): the database backend's worker
(``manage.py db_worker``) runs them in the demo and production, the tests at once."""

from django_tasks import task

from kinsight.imports import services


@task()
def check_import(import_id: int) -> None:
    services.import_check(import_id)


@task()
def run_import(import_id: int) -> None:
    services.import_run(import_id)
