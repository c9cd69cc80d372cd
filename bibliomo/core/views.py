"""A background job's page and its file: the owner (or a manager) follows it and downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from bibliomo.core.models import Job
from bibliomo.core.responses import stored_file


def _job_for(request, pk) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if not request.user.has_perm("core.view_job", job):
        raise Http404  # someone else's job does not exist for you
    return job


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    template = "core/job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, pk):
    job = _job_for(request, pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise PermissionDenied("Файл ещё не готов.")
    return stored_file(job.result_file, job.result_name)
