from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.accounts.models import District, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "sort_order", "active")
    list_editable = ("sort_order", "active")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "name", "role", "district", "is_active", "last_login")
    list_filter = ("role", "district", "is_active")
    search_fields = ("username", "name", "mobile")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("角色与范围", {"fields": ("name", "role", "district", "mobile")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("角色与范围", {"fields": ("name", "role", "district", "mobile")}),
    )
