"""The background task (django-tasks): the database backend's worker
(``manage.py db_worker``) runs it in the demo and production, the tests at once."""

from django_tasks import task

from kinsight.retention import run, services


@task()
def cull_proposal(proposal_id: int) -> None:
    run.proposal_cull(proposal_id)


@task()
def propose_retention(municipality_id: int) -> None:
    """The nightly proposal as a task, for a scheduler that enqueues instead of
    running the command."""
    services.proposal_create(municipality_id)
