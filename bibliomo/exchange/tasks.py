from django_tasks import task


@task()
def solve_plan(job_id: str) -> None:
    from bibliomo.core.jobs import job_run
    from bibliomo.exchange.services import plan_solve

    job_run(job_id, plan_solve)


@task()
def compute_order(job_id: str) -> None:
    from bibliomo.core.jobs import job_run
    from bibliomo.exchange.order_services import order_compute

    job_run(job_id, order_compute)
