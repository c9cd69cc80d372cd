from django.contrib import admin

from bibliomo.events.models import (
    Certificate,
    CertificateTemplate,
    Event,
    Material,
    Minutes,
    ProgrammeItem,
    Registration,
)


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "association"]
    list_filter = ["kind", "status", "format", "association"]
    search_fields = ["title"]
    inlines = [ProgrammeInline]
    filter_horizontal = ["organisers", "activities"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "person", "status", "attendance", "queued_at"]
    list_filter = ["status", "attendance"]
    search_fields = ["person__last_name", "event__title"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "recipient_full_name", "event", "role", "issued_at"]
    search_fields = ["number", "recipient_full_name"]


admin.site.register(Material)
admin.site.register(Minutes)
admin.site.register(CertificateTemplate)
