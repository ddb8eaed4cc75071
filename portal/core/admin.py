from django.contrib import admin

from portal.core.models import Heartbeat, WorkdayOverride


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("created_at", "note", "worker")
    readonly_fields = ("note", "worker", "created_at")


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "note")
    list_filter = ("is_workday",)
