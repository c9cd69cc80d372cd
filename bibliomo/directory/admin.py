from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from bibliomo.directory.models import (
    Association,
    AssociationTheme,
    Building,
    Invitation,
    Municipality,
    Person,
    RoleGrant,
    School,
)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]


class ThemeInline(admin.TabularInline):
    model = AssociationTheme
    extra = 0


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "municipality", "email"]
    inlines = [ThemeInline]


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["short_name", "association", "director", "phone", "is_active"]
    list_filter = ["association", "is_active"]
    search_fields = ["short_name", "full_name", "address"]
    inlines = [BuildingInline]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(Person)
class PersonAdmin(UserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "patronymic", "school", "is_active"]
    list_filter = ["is_active", "is_staff", "is_regional_operator", "position"]
    search_fields = ["email", "last_name", "first_name"]
    inlines = [RoleGrantInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Человек",
            {"fields": ["last_name", "first_name", "patronymic", "position", "school", "phone"]},
        ),
        (
            "Доступ",
            {"fields": ["is_active", "is_staff", "is_superuser", "is_regional_operator", "groups"]},
        ),
        ("Даты", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "last_name", "first_name", "password1", "password2"],
            },
        ),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "association", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["association"]
    readonly_fields = ["token_hash"]
