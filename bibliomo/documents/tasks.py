from django_tasks import task

from bibliomo.documents import services


@task()
def extract_version_text(version_id: int) -> None:
    services.version_extract_text(version_id)
