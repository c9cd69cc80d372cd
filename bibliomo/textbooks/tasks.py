from django_tasks import task

from bibliomo.core.jobs import job_run


@task()
def preview_catalogue(job_id: str) -> None:
    from bibliomo.textbooks.catalogue_services import catalogue_upload_check

    job_run(job_id, lambda job, progress: catalogue_upload_check(job.params["upload"], progress))


@task()
def apply_catalogue(job_id: str) -> None:
    from bibliomo.textbooks.catalogue_services import catalogue_upload_apply

    job_run(job_id, lambda job, progress: catalogue_upload_apply(job.params["upload"], progress))
