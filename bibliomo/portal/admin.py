from django.contrib import admin

from bibliomo.portal.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "author"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["body_html"]
