from django_tasks import task


@task()
def certificates_zip(job_id: str) -> None:
    from bibliomo.core.jobs import job_run
    from bibliomo.events.certificates import certificates_zip as build

    job_run(job_id, build)


@task()
def check_attendance_list(job_id: str) -> None:
    from bibliomo.core.jobs import job_run
    from bibliomo.events.attendance_lists import attendance_list_job

    job_run(job_id, attendance_list_job)
