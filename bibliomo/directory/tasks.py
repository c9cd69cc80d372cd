from django_tasks import task

from bibliomo.core.jobs import job_run
from bibliomo.directory.export import directory_export_xlsx


@task()
def export_directory(job_id: str) -> None:
    job_run(job_id, directory_export_xlsx)
