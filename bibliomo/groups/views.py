"""Working groups: the list, a group's space (meetings, tasks, products), its settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.core.errors import DomainError
from bibliomo.core.forms import add_domain_error
from bibliomo.core.forms import posted as _posted
from bibliomo.directory.access import get_in_association, require_association, require_perm
from bibliomo.groups import selectors, services
from bibliomo.groups.forms import GroupForm, MeetingForm, ProductsForm, TaskForm
from bibliomo.groups.models import Task, WorkingGroup


def _group(request, pk: int, perm: str = "groups.view_group") -> WorkingGroup:
    group = get_in_association(request, WorkingGroup.objects.select_related("head"), pk=pk)
    require_perm(request, perm, group)
    return group


@login_required
def index(request):
    association = require_association(request)
    require_perm(request, "groups.view_index", association)
    return render(
        request,
        "groups/index.html",
        {
            "groups": selectors.visible_groups(request.user, association),
            "can_add": request.user.has_perm("groups.add_group", association),
        },
    )


@login_required
def edit(request, pk: int | None = None):
    association = require_association(request)
    group = None
    initial = {}
    if pk is None:
        require_perm(request, "groups.add_group", association)
    else:
        group = _group(request, pk, "groups.change_group")
        initial = {
            "name": group.name,
            "goal": group.goal,
            "head": group.head_id,
            "members": list(group.members.values_list("pk", flat=True)),
        }
    form = GroupForm(_posted(request)[0], association=association, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                group = services.group_create(request.user, association, **form.cleaned_data)
            else:
                services.group_update(request.user, group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Группа сохранена.")
            return redirect(group)
    return render(request, "groups/edit.html", {"form": form, "group": group})


def _page(request, group: WorkingGroup, status: int = 200, **forms):
    user = request.user
    can_work = user.has_perm("groups.work_in_group", group)
    can_change = user.has_perm("groups.change_group", group)
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": group.members.select_related("school").order_by("last_name"),
            "meetings": group.meetings.select_related("minutes").order_by("-starts_at"),
            "tasks": group.tasks.select_related("owner"),
            "documents": group.documents.all(),
            "posts": group.posts.all(),
            "today": timezone.localdate(),
            "can_work": can_work,
            "can_change": can_change,
            "task_form": forms.get("task_form") or (TaskForm(group=group) if can_work else None),
            "meeting_form": forms.get("meeting_form") or (MeetingForm() if can_change else None),
        },
        status=status,
    )


@login_required
def detail(request, pk: int):
    return _page(request, _group(request, pk))


@login_required
@require_POST
def task_add(request, pk: int):
    group = _group(request, pk, "groups.work_in_group")
    form = TaskForm(request.POST, group=group)
    if form.is_valid():
        try:
            services.task_add(request.user, group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Задача добавлена.")
            return redirect(group)
    return _page(request, group, status=400, task_form=form)


@login_required
@require_POST
def task_mark(request, pk: int):
    task = get_in_association(
        request, Task.objects.select_related("group"), "group__association", pk=pk
    )
    require_perm(request, "groups.work_in_group", task.group)
    services.task_mark(request.user, task, done=request.POST.get("done") == "1")
    return redirect(task.group)


@login_required
@require_POST
def meeting_add(request, pk: int):
    group = _group(request, pk, "groups.change_group")
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            event = services.meeting_schedule(request.user, group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Заседание назначено и объявлено участникам.")
            return redirect(event)
    return _page(request, group, status=400, meeting_form=form)


@login_required
def products(request, pk: int):
    group = _group(request, pk, "groups.change_group")
    form = ProductsForm(
        _posted(request)[0],
        association=group.association,
        initial={"documents": list(group.documents.all()), "posts": list(group.posts.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.products_set(request.user, group, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Продукты группы сохранены.")
            return redirect(group)
    return render(request, "groups/products.html", {"form": form, "group": group})
