"""Every change made in the Django admin goes to the audit log (issue 17 item 7).

One hook for every admin, ours and the libraries' (users and roles, districts, clauses and
windows, budgets, tokens, TOTP devices, ...): the admin already writes a ``LogEntry`` for each
addition, change and deletion; each new entry is copied into the hash-chained log in the same
transaction as the change (no change without its record). The admin's bulk "delete selected"
writes its entries with ``bulk_create``, which sends no signal: the site-wide action is
wrapped to copy the entries it wrote.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import transaction
from django.db.models.signals import post_save

from portal.core.audit import audit_append

ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def audit_log_entry(entry: LogEntry) -> None:
    content_type = entry.content_type
    model = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    message = entry.get_change_message()
    name = content_type.name if content_type else ""
    audit_append(
        kind=ACTIONS.get(entry.action_flag, "admin.change"),
        actor=entry.user.get_username() if entry.user_id else "",
        object_ref=f"{model}:{entry.object_id}",
        summary=f"{name}“{entry.object_repr}”{('：' + message) if message else ''}",
        data={
            "model": model,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "change_message": message,
            "log_entry": entry.pk,
        },
    )


def _entry_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        audit_log_entry(instance)


@admin.action(permissions=["delete"], description=delete_selected.short_description)
@transaction.atomic
def audited_delete_selected(modeladmin, request, queryset):
    before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = delete_selected(modeladmin, request, queryset)
    written = LogEntry.objects.filter(
        pk__gt=before, user_id=request.user.pk, action_flag=DELETION
    ).select_related("content_type", "user")
    if len(written) > 1:  # one entry is saved singly and was copied by the signal
        for entry in written.order_by("pk"):
            audit_log_entry(entry)
    return response


def connect() -> None:
    post_save.connect(_entry_saved, sender=LogEntry, dispatch_uid="audit-admin-log-entry")
    admin.site.add_action(audited_delete_selected, "delete_selected")
