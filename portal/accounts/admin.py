from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as _TotpDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import ApiToken, District, User
from portal.accounts.tokens import api_token_revoke


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued only by their owners (after the second factor, on /accounts/tokens/);
    an administrator can see and revoke them, never create or edit one."""

    list_display = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at",
                    "revoked_at")  # fmt: skip
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "prefix")
    readonly_fields = ("user", "name", "prefix", "verified", "created_at", "expires_at",
                       "last_used_at", "revoked_at")  # fmt: skip
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="吊销所选令牌", permissions=["view"])
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            api_token_revoke(owner=token.user, token_id=token.pk, actor=request.user)
        self.message_user(request, "已吊销所选令牌。")


class TotpDeviceAdmin(_TotpDeviceAdmin):
    """django-otp's TOTP devices with Chinese column and filter names."""

    list_display = ["user", "name", "added", "used", "is_confirmed"]
    list_filter = []
    search_help_text = "按用户名或电子邮件地址搜索"

    @admin.display(description="添加时间", ordering="created_at")
    def added(self, device: TOTPDevice):
        return device.created_at

    @admin.display(description="最近使用", ordering="last_used_at")
    def used(self, device: TOTPDevice):
        return device.last_used_at

    @admin.display(description="已确认", boolean=True, ordering="confirmed")
    def is_confirmed(self, device: TOTPDevice) -> bool:
        return device.confirmed


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TotpDeviceAdmin)
