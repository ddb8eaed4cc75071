"""Admin: budgets are maintained here; the money records are read-only (the ledger is
append-only, payables and shares change only through the services)."""

from __future__ import annotations

from django.contrib import admin

from finance.models import (
    Budget,
    Clawback,
    LedgerEntry,
    Payable,
    PayableShare,
    PaymentBatch,
    PaymentBatchItem,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("policy", "clause", "year", "payer_level", "payer_district", "amount_fen")
    list_filter = ("year", "payer_level")
    raw_id_fields = ("clause",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "share", "clawback", "amount_fen", "actor", "voucher_no")
    list_filter = ("kind",)
    list_select_related = ("share", "clawback", "actor", "share__payer_district")


@admin.register(Payable)
class PayableAdmin(ReadOnlyAdmin):
    list_display = ("application", "instalment_no", "amount_fen", "determined_on")
    list_select_related = ("application", "application__enterprise", "application__clause")


@admin.register(PayableShare)
class PayableShareAdmin(ReadOnlyAdmin):
    list_display = ("payable", "payer_level", "payer_district", "amount_fen", "due_date", "status")
    list_filter = ("status", "payer_level")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("id", "payer_level", "payer_district", "created_by", "created_at")


@admin.register(PaymentBatchItem)
class PaymentBatchItemAdmin(ReadOnlyAdmin):
    list_display = ("batch", "payee_name", "bank_account", "amount_fen", "result")


@admin.register(Clawback)
class ClawbackAdmin(ReadOnlyAdmin):
    list_display = ("application", "amount_fen", "due_date", "opened_by", "opened_at")
