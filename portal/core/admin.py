from django.contrib import admin

from portal.core.models import AuditRecord, Heartbeat, WorkdayOverride


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("created_at", "note", "worker")
    readonly_fields = ("note", "worker", "created_at")


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "note")
    list_filter = ("is_workday",)


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the chain is written by the system and verified by verify_audit_chain."""

    list_display = ("seq", "created_at", "actor", "kind", "object_ref", "summary")
    # no filter by kind: its values are codes (auth.login); search finds them instead
    search_fields = ("actor", "kind", "object_ref", "summary")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
