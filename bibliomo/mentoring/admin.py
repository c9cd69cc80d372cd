from django.contrib import admin

from bibliomo.mentoring.models import Meeting, Pair, ProgrammeTemplate, Question, Step, Survey


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0


@admin.register(Pair)
class PairAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on", "status"]
    list_filter = ["association", "status"]
    inlines = [StepInline, MeetingInline]


admin.site.register(ProgrammeTemplate)
admin.site.register(Question)
admin.site.register(Survey)
