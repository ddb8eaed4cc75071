"""The system user: the actor of scheduled jobs (closing notices, lapsing corrections,
expiring 免申即享 proposals)."""

from __future__ import annotations

from portal.accounts.models import Role, User

SYSTEM_USERNAME = "system"


def system_user() -> User:
    """Created on first use; cannot log in (unusable password, inactive)."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"name": "系统", "role": Role.CITY_REVIEWER, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
