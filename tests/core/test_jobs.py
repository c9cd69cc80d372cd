import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bibliomo.core.jobs import job_run, job_start
from bibliomo.core.models import Job
from bibliomo.directory.tasks import export_directory

pytestmark = pytest.mark.django_db


def test_export_job_runs_and_its_owner_downloads_the_file(
    cast, login, django_capture_on_commit_callbacks
):
    client = login(cast.director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:export"))
    job = Job.objects.get()
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.message == "Выгружено: 2 школы, 5 человек."

    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "Готово" in page and "100%" in page

    download = client.get(reverse("job_download", args=[job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheet_names == ["Школы", "Здания", "Люди"]
    rows = book.get_sheet_by_name("Школы").to_python()
    assert rows[0][0] == "Краткое наименование"
    assert {row[0] for row in rows[1:]} == {"МБОУ «СОШ № 1»", "МБОУ «Гимназия № 5»"}


def test_someone_elses_job_does_not_exist_for_you(cast, login):
    job = Job.objects.create(owner=cast.director, kind="x", title="Чужая задача")
    client = login(cast.methodist)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


def test_librarian_cannot_start_the_export(cast, login):
    assert login(cast.librarian_a).post(reverse("directory:export")).status_code == 403
    assert not Job.objects.exists()


def test_progress_fragment_polls_until_the_job_ends(cast, login):
    job = Job.objects.create(owner=cast.methodist, kind="x", title="Задача", total=4, done=1)
    client = login(cast.methodist)
    fragment = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body
    assert 'hx-trigger="every 1s"' in body and "25%" in body and "(1 из 4)" in body
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    body = client.get(reverse("job_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in body


def test_crashing_job_is_marked_failed_and_changes_nothing(cast):
    job = Job.objects.create(owner=cast.methodist, kind="x", title="Сломанная")

    def work(job, progress):
        progress.update(1, 2, "Половина")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Данные не изменены" in job.message


def test_download_of_unfinished_job_is_refused(cast, login):
    job = Job.objects.create(owner=cast.methodist, kind="x", title="Идёт")
    assert login(cast.methodist).get(reverse("job_download", args=[job.pk])).status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks
def test_database_backend_and_worker_run_the_export(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            cast.methodist,
            "directory_export",
            "Выгрузка",
            export_directory,
            {"association_id": cast.association.pk},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result_name.endswith(".xlsx")
