"""好差评 (国办发〔2019〕51号): rating the service of an ended case, and the follow-up of a 差评.

The enterprise rates once, after 已拨付（办结） or 不予支持: five levels and a comment (the
reason is required for the two lowest). The rating names the responsible office: the one that
rejected the case, otherwise the one that received it (the district's 工信局 on the district
path, 市工信局 on the city's). A 差评 gives that office ``PORTAL_RATING_FOLLOW_UP_WORKDAYS``
working days (default 15) to call back and put things right; its reviewers get a message and
see it in their 差评回访 list. Every rating and follow-up is an event on the case's timeline,
and so in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from applications import selectors
from applications.models import Application, ApplicationEvent, ServiceRating
from applications.workflow import Level, Status
from portal.accounts.models import Role, User
from portal.core.cache import shared_cache
from portal.core.errors import DomainError, NotFound, PermissionRefused
from portal.core.text import has_nul, parse_int
from portal.core.workdays import add_workdays

RATEABLE = (Status.PAID, Status.REJECTED)
MAX_COMMENT = 500
RATED, FOLLOWED_UP = "rated", "rating_follow_up"
# The 差评回访 menu badge is on every page a reviewer opens: its count is kept per office in the
# shared cache, forgotten when a 差评 arrives or is followed up (the minute bounds what a write
# racing a recount could leave behind, and serves while the cache is down).
BADGE_SECONDS = 60


def follow_up_workdays() -> int:
    return settings.PORTAL_RATING_FOLLOW_UP_WORKDAYS


@dataclass(frozen=True)
class Office:
    level: str  # district / city
    district_id: int | None
    name: str


def responsible_office(application: Application) -> Office:
    """Who answers for the service: the office that rejected the case, else the one that
    received it."""
    city = Office(Level.CITY, None, "市工信局")
    district = Office(
        Level.DISTRICT,
        application.enterprise.district_id,
        f"{application.enterprise.district.name}工信局",
    )
    if application.status == Status.REJECTED:
        event = application.events.filter(to_status=Status.REJECTED).order_by("-created_at").first()
        return district if event is not None and event.level == Level.DISTRICT else city
    return district if application.clause.review_path != "city_only" else city


def can_rate(user, application: Application) -> tuple[bool, str]:
    """(allowed, why not) for the case page: the enterprise's own user, an ended case, once."""
    if selectors.acting_level(user, application) != Level.ENTERPRISE:
        return False, "只有申报企业本企业的用户可以评价。"
    if application.status not in RATEABLE:
        return False, "案件办结（资金拨付完毕或不予支持）后可以评价。"
    if ServiceRating.objects.filter(application_id=application.pk).exists():
        return False, "本案件已评价，每个案件只能评价一次。"
    return True, ""


def _clean_level(level: object) -> int:
    number = parse_int(level)
    if number is None or number not in ServiceRating.Level.values:
        message = "请选择评价等级（非常满意、满意、基本满意、不满意、非常不满意）。"
        raise DomainError(message, errors={"level": message})
    return number


def _clean_comment(comment: object, *, required: bool, what: str) -> str:
    text = str(comment or "").strip()
    if has_nul(text):
        raise DomainError(f"{what}含有无法保存的字符。", errors={"comment": "含有无法保存的字符。"})
    if len(text) > MAX_COMMENT:
        message = f"{what}不能超过{MAX_COMMENT}字（现有{len(text)}字）。"
        raise DomainError(message, errors={"comment": message})
    if required and not text:
        message = f"请填写{what}。"
        raise DomainError(message, errors={"comment": message})
    return text


@transaction.atomic
def application_rate(
    *, application: Application, user, level: object, comment: object = ""
) -> ServiceRating:
    """The enterprise's rating of an ended case; a 差评 opens a follow-up for the office."""
    locked = (
        Application.objects.select_for_update()
        .select_related("enterprise", "enterprise__district", "clause")
        .get(pk=application.pk)
    )
    allowed, why = can_rate(user, locked)
    if not allowed:
        if selectors.acting_level(user, locked) != Level.ENTERPRISE:
            raise PermissionRefused(why)
        raise DomainError(why)
    number = _clean_level(level)
    bad = number in ServiceRating.BAD_LEVELS
    text = _clean_comment(comment, required=bad, what="不满意的原因" if bad else "评价意见")
    office = responsible_office(locked)
    due = add_workdays(timezone.localdate(), follow_up_workdays()) if bad else None
    try:
        with transaction.atomic():
            rating = ServiceRating.objects.create(
                application=locked,
                enterprise_id=locked.enterprise_id,
                user=user,
                level=number,
                comment=text,
                outcome=locked.status,
                office_level=office.level,
                office_district_id=office.district_id,
                office_name=office.name,
                follow_up_due=due,
            )
    except IntegrityError as exc:  # a second tab rated a moment ago
        raise DomainError("本案件已评价，每个案件只能评价一次。") from exc
    label = ServiceRating.Level(number).label
    ApplicationEvent.objects.create(
        application=locked,
        actor=user,
        action=RATED,
        level=Level.ENTERPRISE,
        comment=text,
        visible_to_enterprise=True,
        data={"label": f"服务评价：{label}", "level": number, "office": office.name},
    )
    if bad:
        _tell_office(rating, locked, due)
        _forget_open_count(office.level, office.district_id)
    return rating


def office_staff(office_level: str, district_id: int | None) -> QuerySet[User]:
    qs = User.objects.filter(is_active=True)
    if office_level == Level.DISTRICT:
        return qs.filter(role=Role.DISTRICT_REVIEWER, district_id=district_id)
    return qs.filter(role=Role.CITY_REVIEWER)


def _tell_office(rating: ServiceRating, application: Application, due: dt.date) -> None:
    from applications.services import notification_send

    notification_send(
        users=list(office_staff(rating.office_level, rating.office_district_id)),
        application=application,
        title=f"差评待回访整改：案件 {application.number}",
        body=(
            f"{application.enterprise.name}对案件 {application.number}（{application.clause}）"
            f"的服务评价为“{rating.get_level_display()}”：{rating.comment}\n"
            f"请于 {due:%Y年%m月%d日} 前回访企业、核实整改，并在“差评回访”中登记。"
        ),
    )


# --- the office's follow-up -----------------------------------------------------------


def follow_up_scope(user) -> QuerySet[ServiceRating]:
    """The 差评 a user's office answers for (reviewers), or may oversee (leaders, admins)."""
    qs = ServiceRating.objects.select_related(
        "application", "application__clause", "enterprise", "followed_up_by"
    ).filter(level__in=ServiceRating.BAD_LEVELS)
    role = getattr(user, "role", None)
    if role == Role.DISTRICT_REVIEWER:
        return qs.filter(office_level=Level.DISTRICT, office_district_id=user.district_id)
    if role == Role.CITY_REVIEWER:
        return qs.filter(office_level=Level.CITY)
    if role in (Role.LEADER, Role.SYS_ADMIN):
        condition = selectors.application_condition(user, "application__")
        return qs.none() if condition is None else qs.filter(condition)
    return qs.none()


def _open_count_key(office_level: str, district_id: int | None) -> str:
    return f"ratings:open_follow_ups:{office_level}:{district_id or 0}"


def _forget_open_count(office_level: str, district_id: int | None) -> None:
    key = _open_count_key(office_level, district_id)
    transaction.on_commit(lambda: shared_cache().delete(key))


def open_follow_up_count(user) -> int:
    """The menu badge of 差评回访: this office's 差评 not followed up yet (its district's, for a
    district reviewer). 0 queries while the office's count is in the shared cache."""
    role = getattr(user, "role", None)
    if role == Role.DISTRICT_REVIEWER:
        key = _open_count_key(Level.DISTRICT, user.district_id)
    elif role == Role.CITY_REVIEWER:
        key = _open_count_key(Level.CITY, None)
    else:
        return 0
    cache = shared_cache()
    count = cache.get(key)
    if count is None:
        count = follow_up_scope(user).filter(followed_up_at__isnull=True).count()
        cache.set(key, count, BADGE_SECONDS)
    return count


def can_follow_up(user, rating: ServiceRating) -> bool:
    role = getattr(user, "role", None)
    if role == Role.DISTRICT_REVIEWER:
        return (
            rating.office_level == Level.DISTRICT and rating.office_district_id == user.district_id
        )
    return role == Role.CITY_REVIEWER and rating.office_level == Level.CITY


@transaction.atomic
def rating_follow_up_record(*, rating_id: object, user, note: object) -> ServiceRating:
    """The responsible office records its call-back and what it put right (once)."""
    pk = parse_int(rating_id)
    rating = (
        follow_up_scope(user).select_for_update(of=("self",)).filter(pk=pk).first()
        if pk is not None
        else None
    )
    if rating is None:
        raise NotFound()
    if not can_follow_up(user, rating):
        raise PermissionRefused(f"该差评由{rating.office_name}回访整改。")
    if rating.followed_up_at is not None:
        raise DomainError(
            f"该差评已于 {timezone.localtime(rating.followed_up_at):%Y-%m-%d %H:%M} 登记回访整改。"
        )
    text = _clean_comment(note, required=True, what="回访整改情况")
    rating.followed_up_at, rating.followed_up_by, rating.follow_up_note = timezone.now(), user, text
    rating.save(update_fields=["followed_up_at", "followed_up_by", "follow_up_note"])
    _forget_open_count(rating.office_level, rating.office_district_id)
    ApplicationEvent.objects.create(
        application_id=rating.application_id,
        actor=user,
        action=FOLLOWED_UP,
        level=rating.office_level,
        comment=text,
        visible_to_enterprise=True,
        data={"label": "差评回访整改", "rating": rating.pk},
    )
    return rating


# --- leaders: ratings by office -------------------------------------------------------


@dataclass
class OfficeRatings:
    office: str
    counts: dict[int, int]
    total: int
    open_follow_ups: int
    overdue_follow_ups: int

    @property
    def by_level(self) -> list[int]:
        """The counts in the order of the levels (非常满意 first), 0 for a level nobody gave."""
        return [self.counts.get(value, 0) for value in ServiceRating.Level.values]

    @property
    def satisfied_share(self) -> float | None:
        good = self.counts.get(5, 0) + self.counts.get(4, 0) + self.counts.get(3, 0)
        return good / self.total if self.total else None


def ratings_by_office(user, *, today: dt.date | None = None) -> list[OfficeRatings]:
    """Per responsible office: how many of each level, 差评 still open and overdue (1 query)."""
    today = today or timezone.localdate()
    condition = selectors.application_condition(user, "application__")
    if condition is None:
        return []
    open_ = Q(level__in=ServiceRating.BAD_LEVELS, followed_up_at__isnull=True)
    rows = (
        ServiceRating.objects.filter(condition)
        .values("office_name", "level")
        .annotate(
            n=Count("pk"),
            open=Count("pk", filter=open_),
            overdue=Count("pk", filter=open_ & Q(follow_up_due__lt=today)),
        )
        .order_by()
    )
    offices: dict[str, OfficeRatings] = {}
    for row in rows:
        office = offices.setdefault(
            row["office_name"], OfficeRatings(row["office_name"], {}, 0, 0, 0)
        )
        office.counts[row["level"]] = row["n"]
        office.total += row["n"]
        office.open_follow_ups += row["open"]
        office.overdue_follow_ups += row["overdue"]
    return sorted(offices.values(), key=lambda o: (o.office != "市工信局", o.office))
