from django.contrib import admin

from bibliomo.growth.models import GrowthCard, Learning, Route, RouteStep


@admin.register(Learning)
class LearningAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "kind", "hours", "starts_on", "confirmed_at"]
    list_filter = ["kind"]


admin.site.register(GrowthCard)
admin.site.register(Route)
admin.site.register(RouteStep)
