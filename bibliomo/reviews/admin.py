from django.contrib import admin

from bibliomo.reviews.models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("__str__", "association", "version", "status", "approved_at")
    list_filter = ("status", "association")
    readonly_fields = ("sections", "approved_at", "approved_by", "submitted_at", "submitted_by")
