from unittest import mock

import pytest
from django_tasks_db.management.commands.db_worker import Worker


@pytest.fixture(autouse=True)
def jobs_root(settings, tmp_path):
    """Each test's job files in a folder of its own; progress recorded at every report."""
    settings.LIAISON_JOBS_ROOT = tmp_path / "jobs"
    settings.LIAISON_JOB_PROGRESS_SECONDS = 0
    return settings.LIAISON_JOBS_ROOT


@pytest.fixture
def run_worker():
    """Run django-tasks' database worker in this process until no task is left (its --batch)."""

    def run():
        # The worker closes "old" connections between tasks; inside a test's transaction that
        # would be the test's own connection (PostgreSQL), so it is left alone here.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            _worker()

    def _worker():
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run
