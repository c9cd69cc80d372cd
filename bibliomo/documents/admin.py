from django.contrib import admin

from bibliomo.documents.models import Document, DocumentLink, DocumentVersion, PackageItem


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = readonly_fields = (
        "number",
        "original_name",
        "kind_code",
        "size",
        "note",
        "uploaded_at",
        "text_state",
    )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "category", "status", "audience", "portal_state", "date"]
    list_filter = ["kind", "category", "status", "audience", "portal_state"]
    search_fields = ["title", "number", "issuer"]
    inlines = [VersionInline]
    exclude = ["search_vector"]


admin.site.register(DocumentLink)
admin.site.register(PackageItem)
