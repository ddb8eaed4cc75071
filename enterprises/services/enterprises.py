"""Writes to the enterprise itself: registration, verification, profile, credit block, members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enterprises import permissions, workflow
from enterprises.models import Enterprise, EnterpriseEvent, EnterpriseMember
from enterprises.services.common import lock, model_errors, record_event
from enterprises.validators import (
    normalize_bank_account,
    normalize_credit_code,
    normalize_mobile,
    validate_mobile,
)
from portal.accounts.models import District, Role, User
from portal.accounts.usernames import USERNAME_UNAVAILABLE, username_unavailable
from portal.core import events
from portal.core.errors import DomainError, PermissionRefused
from portal.core.text import clean_name

E = Enterprise
Event = EnterpriseEvent.Type

REGISTRATION_FIELDS = (
    "credit_code",
    "name",
    "district",
    "industry_division",
    "above_scale",
    "legal_representative",
    "contact_name",
    "contact_mobile",
    "bank_name",
    "bank_account",
    "bank_account_name",
)
# Editable by the enterprise only while it is not yet verified (they are what 核验 checks).
IDENTITY_FIELDS = ("name", "district")
PROFILE_FIELDS = (
    "industry_division",
    "above_scale",
    "legal_representative",
    "contact_name",
    "contact_mobile",
)
BANK_FIELDS = ("bank_name", "bank_account", "bank_account_name")


def _fullwidth_parens(text: str) -> str:
    """Company names use full-width brackets; typing either kind must compare equal."""
    return text.replace("(", "（").replace(")", "）")


NAME_FIELDS = ("name", "legal_representative", "contact_name", "bank_name", "bank_account_name")


def normalize_enterprise_data(data: Mapping[str, object]) -> dict[str, object]:
    """Trim text, upper-case the credit code, drop spaces from the account number, ASCII
    digits in account and phone numbers, no direction controls (U+202E) in names."""
    clean: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        if key in NAME_FIELDS and isinstance(value, str):
            value = clean_name(value)
        if key == "credit_code":
            value = normalize_credit_code(str(value or ""))
        elif key == "bank_account":
            value = normalize_bank_account(str(value or ""))
        elif key == "contact_mobile":
            value = normalize_mobile(str(value or ""))
        elif key in ("name", "bank_account_name"):
            value = _fullwidth_parens(str(value or ""))
        clean[key] = value
    return clean


# --- registration ---------------------------------------------------------------


def _new_user_errors(user: User, password: str) -> dict[str, str]:
    errors = model_errors(user, exclude=("password",))
    errors = {k: v for k, v in errors.items() if k in ("username", "detail")}
    if user.username and username_unavailable(user.username):  # one answer, whoever holds it
        errors["username"] = USERNAME_UNAVAILABLE
    if not password:
        errors["password"] = "请设置登录密码。"  # noqa: S105 - a message, not a secret
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = "；".join(exc.messages)
    return errors


@transaction.atomic
def enterprise_register(
    *, user_data: Mapping[str, object], enterprise_data: Mapping[str, object]
) -> Enterprise:
    """Register an enterprise and its primary login; the enterprise waits for 核验.

    ``user_data``: username, password, and optionally name/mobile (default: the contact's).
    ``enterprise_data``: the ``REGISTRATION_FIELDS``; ``district`` is a ``District``.
    """
    data = normalize_enterprise_data(enterprise_data)
    unknown = set(data) - set(REGISTRATION_FIELDS)
    if unknown:
        raise DomainError("不支持的字段", errors=dict.fromkeys(sorted(unknown), "不支持的字段。"))
    if data.get("district") is not None and not isinstance(data["district"], District):
        raise DomainError("所属区县不存在", errors={"district": "请选择所属区县。"})
    enterprise = E(**data, verification_status=E.Status.PENDING)
    errors = model_errors(enterprise, exclude=("industry_section",))
    user = User(
        username=str(user_data.get("username") or "").strip(),
        name=clean_name(user_data.get("name") or data.get("contact_name") or ""),
        mobile=normalize_mobile(str(user_data.get("mobile") or data.get("contact_mobile") or "")),
        role=Role.ENTERPRISE,
    )
    password = str(user_data.get("password") or "")
    for key, message in _new_user_errors(user, password).items():
        errors.setdefault(key, message)
    if errors:
        raise DomainError("注册信息有误，请按提示修改。", errors=errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            enterprise.save()
    except IntegrityError as exc:  # a concurrent registration took the code or the username
        if E.objects.filter(credit_code=enterprise.credit_code).exists():
            field, message = (
                "credit_code",
                E._meta.get_field("credit_code").error_messages["unique"],
            )
        else:
            field, message = "username", USERNAME_UNAVAILABLE
        raise DomainError(message, errors={field: message}) from exc
    EnterpriseMember.objects.create(user=user, enterprise=enterprise, is_primary=True)
    record_event(
        enterprise,
        user,
        Event.REGISTERED,
        to_status=E.Status.PENDING,
        data={
            "credit_code": enterprise.credit_code,
            "name": enterprise.name,
            "district": enterprise.district.name,
            "username": user.username,
        },
    )
    return enterprise


# --- verification ---------------------------------------------------------------


def _transition(
    *, enterprise: Enterprise, actor: User, to_status: str, note: str = ""
) -> Enterprise:
    """The one verification move: lock, check the table (``enterprises.workflow``) and the
    actor, save, append the move's event."""
    locked = lock(enterprise)
    allowed, reason = permissions.transition_check(actor, locked, to_status)
    if not allowed:
        if (locked.verification_status, to_status) in permissions.TRANSITIONS:
            raise PermissionRefused(reason)
        raise DomainError(reason, errors={"verification_status": reason})
    from_status = locked.verification_status
    event_type = workflow.MOVES[(from_status, to_status)].event
    locked.verification_status = to_status
    if to_status == E.Status.VERIFIED:
        locked.verified_at = timezone.now()
        locked.verification_reason = ""
    elif to_status == E.Status.REJECTED:
        locked.verification_reason = note
    locked.save(update_fields=["verification_status", "verified_at", "verification_reason"])
    record_event(locked, actor, event_type, from_status=from_status, to_status=to_status, note=note)
    return locked


@transaction.atomic
def enterprise_verify(*, enterprise: Enterprise, actor: User) -> Enterprise:
    """核验通过: only a district reviewer of the enterprise's own district."""
    return _transition(enterprise=enterprise, actor=actor, to_status=E.Status.VERIFIED)


@transaction.atomic
def enterprise_reject_verification(
    *, enterprise: Enterprise, actor: User, reason: str
) -> Enterprise:
    """核验未通过, with the reason the enterprise will read and act on."""
    reason = (reason or "").strip()
    if not reason:
        message = "请填写核验未通过的原因，企业将据此修改信息。"
        raise DomainError(message, errors={"reason": message})
    if len(reason) > 500:
        message = "原因最多500字。"
        raise DomainError(message, errors={"reason": message})
    return _transition(
        enterprise=enterprise,
        actor=actor,
        to_status=E.Status.REJECTED,
        note=reason,
    )


@transaction.atomic
def enterprise_resubmit_verification(*, enterprise: Enterprise, actor: User) -> Enterprise:
    """After a rejection the enterprise corrects its file and asks for 核验 again."""
    return _transition(
        enterprise=enterprise,
        actor=actor,
        to_status=E.Status.PENDING,
    )


# --- profile --------------------------------------------------------------------


def _display(value: object) -> object:
    if isinstance(value, District):
        return value.name
    return value


@transaction.atomic
def enterprise_update_profile(
    *, enterprise: Enterprise, actor: User, data: Mapping[str, object]
) -> Enterprise:
    """Change the enterprise's own details; records which fields changed (from -> to).

    Name and district are fixed once verified; the bank account only by the primary login.
    """
    locked = lock(enterprise)
    allowed, reason = permissions.can_edit_profile(actor, locked)
    if not allowed:
        raise PermissionRefused(reason)
    data = normalize_enterprise_data(data)
    editable = set(PROFILE_FIELDS) | set(BANK_FIELDS) | set(IDENTITY_FIELDS)
    errors: dict[str, str] = {key: "该项不能在此修改。" for key in data if key not in editable}
    changed: dict[str, dict[str, object]] = {}
    for key in editable & set(data):
        old, new = getattr(locked, key), data[key]
        if old == new:
            continue
        if key in IDENTITY_FIELDS and locked.verification_status == E.Status.VERIFIED:
            errors[key] = (
                "企业已通过核验，企业名称和所属区县不能自行修改；如需变更，请联系所在区县工信局。"
            )
            continue
        if key in BANK_FIELDS and not permissions.can_edit_bank(actor, locked)[0]:
            errors[key] = permissions.can_edit_bank(actor, locked)[1]
            continue
        changed[key] = {"from": _display(old), "to": _display(new)}
        setattr(locked, key, new)
    if not errors:
        errors = model_errors(locked, exclude=("industry_section",))
    if errors:
        raise DomainError("企业信息有误，请按提示修改。", errors=errors)
    if not changed:
        return locked
    locked.save()
    if "district" in changed:  # its cases follow it (the case file moves them: EnterpriseMoved)
        events.publish(
            events.EnterpriseMoved(
                enterprise_id=locked.pk,
                district_id=locked.district_id,
                actor_id=getattr(actor, "pk", None),
            )
        )
    profile = {k: v for k, v in changed.items() if k not in BANK_FIELDS}
    bank = {k: v for k, v in changed.items() if k in BANK_FIELDS}
    labels = {f.name: str(f.verbose_name) for f in E._meta.fields}
    if profile:
        note = "修改了" + "、".join(labels[k] for k in profile)
        record_event(locked, actor, Event.PROFILE_UPDATED, note=note, data={"changed": profile})
    if bank:
        note = "修改了" + "、".join(labels[k] for k in bank)
        record_event(locked, actor, Event.BANK_UPDATED, note=note, data={"changed": bank})
    return locked


@transaction.atomic
def enterprise_set_credit_block(
    *, enterprise: Enterprise, actor: User, until: dt.date | None, reason: str = ""
) -> Enterprise:
    """Set (or, with ``until=None``, lift) the 失信/追回 restriction on applying."""
    allowed, why = permissions.can_set_credit_block(actor)
    if not allowed:
        raise PermissionRefused(why)
    locked = lock(enterprise)
    reason = (reason or "").strip() if until else ""
    if until and not reason:
        message = "设置限制申报截止日时须填写限制原因。"
        raise DomainError(message, errors={"credit_block_reason": message})
    before = {"until": locked.credit_blocked_until, "reason": locked.credit_block_reason}
    if before == {"until": until, "reason": reason}:
        return locked
    locked.credit_blocked_until, locked.credit_block_reason = until, reason
    errors = model_errors(locked, exclude=("industry_section",))
    if errors:
        raise DomainError("限制申报设置有误。", errors=errors)
    locked.save(update_fields=["credit_blocked_until", "credit_block_reason", "updated_at"])
    type_ = Event.CREDIT_BLOCK_SET if until else Event.CREDIT_BLOCK_CLEARED
    record_event(
        locked,
        actor,
        type_,
        note=reason,
        data={"from": before, "to": {"until": until, "reason": reason}},
    )
    return locked


def enterprise_can_submit(enterprise: Enterprise, *, on: dt.date | None = None) -> tuple[bool, str]:
    """May the enterprise file an application today? The reason is shown to the enterprise."""
    today = on or timezone.localdate()
    if enterprise.credit_blocked_on(today):
        return False, (
            f"企业因“{enterprise.credit_block_reason}”被限制申报至"
            f"{enterprise.credit_blocked_until:%Y年%m月%d日}，期间不能申报政策。"
        )
    status = enterprise.verification_status
    if status == E.Status.PENDING:
        return False, (
            f"企业信息正在等待{enterprise.district.name}工信局核验，核验通过后才能申报政策。"
        )
    if status == E.Status.REJECTED:
        return False, (
            f"企业核验未通过（原因：{enterprise.verification_reason}），"
            "请按原因修改企业信息后重新提交核验。"
        )
    return True, "企业已通过核验，可以申报政策。"


# --- members --------------------------------------------------------------------


@transaction.atomic
def member_invite(
    *, enterprise: Enterprise, actor: User, username: str, name: str, mobile: str, password: str
) -> User:
    """The primary login adds another login (e.g. the finance officer) for its enterprise."""
    allowed, reason = permissions.can_invite(actor, enterprise)
    if not allowed:
        raise PermissionRefused(reason)
    user = User(
        username=(username or "").strip(),
        name=clean_name(name),
        mobile=normalize_mobile(mobile or ""),
        role=Role.ENTERPRISE,
    )
    errors = _new_user_errors(user, password or "")
    if not user.name:
        errors["name"] = "请填写姓名。"
    try:
        validate_mobile(user.mobile)
    except ValidationError as exc:
        errors["mobile"] = "；".join(exc.messages)
    if errors:
        raise DomainError("企业用户信息有误，请按提示修改。", errors=errors)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        message = USERNAME_UNAVAILABLE
        raise DomainError(message, errors={"username": message}) from exc
    EnterpriseMember.objects.create(user=user, enterprise=enterprise, is_primary=False)
    record_event(
        enterprise,
        actor,
        Event.MEMBER_INVITED,
        note=f"添加企业用户 {user.username}（{user.name}）",
        data={"username": user.username, "name": user.name},
    )
    return user
