"""How far an import task got: rows read, checked and written, and the stage."""

from django.core.cache import cache

from exports.models import ImportJob


def progress_key(job_pk: int) -> str:
    return f"imports:{job_pk}:written"


class JobProgress:
    """Record how far a task got on the job row (rows read, checked, written, the stage).

    The rows written are counted inside the commit's transaction, which other connections
    cannot see until it ends: they go to the cache as well, read by the status view.
    """

    def __init__(self, job_pk: int):
        self.job_pk = job_pk

    def _update(self, **fields) -> None:
        ImportJob.objects.filter(pk=self.job_pk).update(**fields)

    def read(self, rows: int, done: bool = False) -> None:
        fields = {"rows_read": rows}
        if done:
            fields.update(stage=ImportJob.Stage.CHECKING, rows_total=rows)
        self._update(**fields)

    def checked(self, rows: int) -> None:
        self._update(rows_checked=rows)

    def writing(self, total: int) -> None:
        cache.set(progress_key(self.job_pk), 0, timeout=3600)
        self._update(stage=ImportJob.Stage.WRITING, rows_written=0)

    def written(self, rows: int) -> None:
        cache.set(progress_key(self.job_pk), rows, timeout=3600)


def rows_written(job: ImportJob) -> int:
    """The rows written so far, while the commit's transaction is still open."""
    if job.stage == ImportJob.Stage.WRITING:
        return max(job.rows_written, cache.get(progress_key(job.pk)) or 0)
    return job.rows_written
