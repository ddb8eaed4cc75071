"""Helpers shared by the enterprise services: validation errors, row locks, event rows."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from enterprises.models import Enterprise, EnterpriseEvent


def errors_from_validation(exc: ValidationError) -> dict[str, str]:
    """One Chinese message per field; model-wide messages go under ``detail``."""
    if not hasattr(exc, "error_dict"):
        return {"detail": "；".join(exc.messages)}
    return {
        ("detail" if field == NON_FIELD_ERRORS else field): "；".join(messages)
        for field, messages in exc.message_dict.items()
    }


def model_errors(instance, *, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """``full_clean()`` as a dict of messages (empty when valid)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        return errors_from_validation(exc)
    return {}


def lock(enterprise: Enterprise) -> Enterprise:
    """Re-read the enterprise row under ``SELECT ... FOR UPDATE`` (call inside a transaction)."""
    return (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=enterprise.pk)
    )


def record_event(
    enterprise: Enterprise,
    actor,
    type_: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
) -> EnterpriseEvent:
    """Append one row to the enterprise's audit trail."""
    return EnterpriseEvent.objects.create(
        enterprise=enterprise,
        actor=actor,
        type=type_,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
    )
