from django.contrib import admin

from bibliomo.consultations.models import AnswerTemplate, FaqEntry, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["subject", "topic", "status", "created_at"]
    list_filter = ["topic", "status"]


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "published_at"]
    exclude = ["search_vector"]


admin.site.register(AnswerTemplate)
