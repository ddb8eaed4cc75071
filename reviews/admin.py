"""Read-only admin: events and review records are append-only; nobody edits or deletes them."""

from django.contrib import admin

from applications.models import ApplicationEvent
from reviews.models import (
    CaseReview,
    ConflictDeclaration,
    ConflictOverride,
    MaterialCheck,
    NoticeBatch,
    NoticeEntry,
    Objection,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


if not admin.site.is_registered(ApplicationEvent):

    @admin.register(ApplicationEvent)
    class ApplicationEventAdmin(ReadOnlyAdmin):
        list_display = ["created_at", "application", "action", "actor", "from_status", "to_status"]
        list_filter = ["action", "level"]
        search_fields = ["application__enterprise__name", "actor__username", "comment"]


for model in (
    CaseReview,
    MaterialCheck,
    ConflictDeclaration,
    ConflictOverride,
    NoticeBatch,
    NoticeEntry,
    Objection,
):
    admin.site.register(model, ReadOnlyAdmin)
