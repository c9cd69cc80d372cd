from django.contrib import admin

from bibliomo.practices.models import Implementation, Material, Practice


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0


class ImplementationInline(admin.TabularInline):
    model = Implementation
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "form", "published_at"]
    list_filter = ["association", "form"]
    search_fields = ["title"]
    inlines = [MaterialInline, ImplementationInline]
