from django.contrib import admin

from bibliomo.privacy.models import Consent, DeletionRequest


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "association", "version", "accepted_at"]
    list_filter = ["association", "version"]
    readonly_fields = ["person", "association", "version", "text", "accepted_at"]


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "association", "status", "created_at", "resolved_at"]
    list_filter = ["status"]
    readonly_fields = ["person", "association", "created_at"]
