"""Feeds for the audit log: created event rows of the audited models, and authentication."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_migrate, post_save

from portal.core import events
from portal.core.audit import audit_append, audit_catch_up, install_append_only_triggers
from portal.core.net import client_ip


def _client_ip(request) -> str:
    return client_ip(request)


def _event_created(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        # robust: the event is committed; a copy that fails here (the database went away
        # right after the commit) is made by the next catch-up, and the request still succeeds
        transaction.on_commit(lambda: audit_catch_up(sender), robust=True)


def _events_recorded(event: events.Event) -> None:
    """After commit: copy the event rows a published event says were appended (bulk writes
    included, which send no ``post_save``)."""
    if event.record:
        audit_catch_up(apps.get_model(event.record))


def _logged_in(sender, request, user, **kwargs) -> None:
    audit_append(kind="auth.login", actor=user.get_username(), data={"ip": _client_ip(request)})


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_append(
            kind="auth.logout", actor=user.get_username(), data={"ip": _client_ip(request)}
        )


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    if credentials.get("reauth"):
        return  # a re-authentication: portal.accounts.reauth records it, with its reason
    username = str(credentials.get("username", ""))[:150]
    audit_append(kind="auth.login_failed", actor=username, data={"ip": _client_ip(request)})


def audited_models() -> list:
    found = []
    for label in getattr(settings, "PORTAL_AUDITED_MODELS", []):
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def _after_migrate(sender, **kwargs) -> None:
    from portal.core.models import AuditRecord

    tables = [model._meta.db_table for model in audited_models()] + [AuditRecord._meta.db_table]
    install_append_only_triggers(tables)


def connect() -> None:
    # the case file's and the ledger's writers publish events; the audit copy follows those.
    # Other audited tables (rule versions, enterprise events) are copied on their post_save.
    published = {events.CaseRecorded.record, events.PaymentRecorded.record}
    events.subscribe(events.Event, _events_recorded, phase=events.Phase.AFTER_COMMIT)
    for model in audited_models():
        if model._meta.label in published:
            continue
        post_save.connect(_event_created, sender=model, dispatch_uid=f"audit-{model._meta.label}")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    post_migrate.connect(_after_migrate, dispatch_uid="audit-append-only-triggers")
