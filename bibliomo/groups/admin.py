from django.contrib import admin

from bibliomo.groups.models import Task, WorkingGroup


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "head", "association"]
    filter_horizontal = ["members", "meetings", "documents", "posts"]
    inlines = [TaskInline]
