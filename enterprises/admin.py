"""Admin: a read-only view of the enterprise file. The one thing admins change here is the
失信/追回 restriction, and that goes through the service so it is recorded as an event.
Registration and 核验 happen in the portal, where the workflow and its events live."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages

from enterprises import services
from enterprises.models import (
    Enterprise,
    EnterpriseEvent,
    EnterpriseMember,
    Indicator,
    IndicatorImport,
)
from portal.core.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MemberInline(admin.TabularInline):
    model = EnterpriseMember
    fields = ("user", "is_primary", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CreditBlockForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ("credit_blocked_until", "credit_block_reason")

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("credit_blocked_until")
            and not cleaned.get("credit_block_reason", "").strip()
        ):
            self.add_error("credit_block_reason", "设置限制申报截止日时须填写限制原因。")
        return cleaned

    def _post_clean(self) -> None:
        """The service validates and saves; the form must not write to the instance."""


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    form = CreditBlockForm
    list_display = (
        "name",
        "credit_code",
        "district",
        "industry_division",
        "above_scale",
        "verification_status",
        "credit_blocked_until",
    )
    list_filter = ("verification_status", "district", "above_scale", "industry_section")
    search_fields = ("name", "credit_code")
    inlines = [MemberInline]
    editable = ("credit_blocked_until", "credit_block_reason")
    fieldsets = (
        (
            "企业信息",
            {
                "fields": (
                    "credit_code",
                    "name",
                    "district",
                    "industry_section",
                    "industry_division",
                    "above_scale",
                    "legal_representative",
                    "contact_name",
                    "contact_mobile",
                )
            },
        ),
        ("对公银行账户", {"fields": ("bank_name", "bank_account", "bank_account_name")}),
        ("核验", {"fields": ("verification_status", "verification_reason", "verified_at")}),
        (
            "限制申报（失信联合惩戒、资金追回）",
            {
                "fields": ("credit_blocked_until", "credit_block_reason"),
                "description": "设置或解除后记入企业档案；清空截止日即解除限制。",
            },
        ),
        ("时间", {"fields": ("created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Enterprise._meta.fields if f.name not in self.editable]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        try:
            services.enterprise_set_credit_block(
                enterprise=obj,
                actor=request.user,
                until=form.cleaned_data.get("credit_blocked_until"),
                reason=form.cleaned_data.get("credit_block_reason", ""),
            )
        except DomainError as exc:
            messages.error(request, f"未保存：{exc.message}")


@admin.register(EnterpriseEvent)
class EnterpriseEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "enterprise", "type", "from_status", "to_status", "actor", "note")
    list_filter = ("type",)
    search_fields = ("enterprise__name", "enterprise__credit_code", "note")
    list_select_related = ("enterprise", "actor")
    date_hierarchy = "created_at"


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "user", "is_primary", "created_at")
    list_select_related = ("enterprise", "user")
    search_fields = ("enterprise__name", "user__username", "user__name")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "name", "period", "value_text", "source", "department")
    list_filter = ("name", "source")
    search_fields = ("enterprise__name", "enterprise__credit_code", "period")
    list_select_related = ("enterprise",)

    @admin.display(description="数值（金额为元）")
    def value_text(self, obj: Indicator) -> str:
        return obj.value_text


@admin.register(IndicatorImport)
class IndicatorImportAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "enterprise",
        "file_name",
        "rows_count",
        "source",
        "department",
        "actor",
    )
    list_select_related = ("enterprise", "actor")
