from django.contrib import admin

from portal.core.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("created_at", "note", "worker")
    readonly_fields = ("note", "worker", "created_at")
