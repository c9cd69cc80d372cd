from django.contrib import admin

from bibliomo.contests.models import Contest, Entry, ExternalEvent, Juror


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    list_display = ["title", "association", "status", "applications_open", "applications_close"]
    list_filter = ["status", "audience"]
    search_fields = ["title"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["number", "contest", "title", "school", "status", "place"]
    list_filter = ["status"]
    search_fields = ["title", "authors"]


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    list_display = ["person", "contest", "is_chair"]


@admin.register(ExternalEvent)
class ExternalEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "level", "held_on", "participants"]
