"""The background task (django-tasks): the database backend's worker
(``manage.py db_worker``) runs it in the demo and production, the tests at once."""

from django_tasks import task

from kinsight.followup.annual import services


@task()
def generate_annual_report(report_id: int) -> None:
    services.annual_report_generate(report_id)
