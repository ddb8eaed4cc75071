"""Read-only admin: events and review records are append-only; nobody edits or deletes them."""

from django.contrib import admin

from applications.models import ApplicationEvent
from applications.workflow import Level
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


class ActionFilter(admin.SimpleListFilter):
    """The timeline's actions by their Chinese names (the stored value is a code)."""

    title = "事项"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = ApplicationEvent.objects.order_by("action").values_list("action", flat=True)
        # one event per action: labels of other apps' events are in their data
        return [
            (code, ApplicationEvent.objects.filter(action=code).first().action_label)
            for code in codes.distinct()
        ]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


class LevelFilter(admin.SimpleListFilter):
    title = "层级"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices

    def queryset(self, request, queryset):
        return queryset.filter(level=self.value()) if self.value() else queryset


if not admin.site.is_registered(ApplicationEvent):

    @admin.register(ApplicationEvent)
    class ApplicationEventAdmin(ReadOnlyAdmin):
        list_display = ["created_at", "application", "what", "actor", "from_status", "to_status"]
        list_filter = [ActionFilter, LevelFilter]

        @admin.display(description="事项", ordering="action")
        def what(self, event: ApplicationEvent) -> str:
            return event.action_label

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
