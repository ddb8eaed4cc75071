from django.conf import settings
from django.utils.module_loading import import_string

from portal.accounts.navigation import entries_for


def role_nav(request) -> dict:
    """The role's menu, each entry with its badge count (e.g. unread messages) when it has one.

    Badges come from ``settings.PORTAL_NAV_BADGES`` (URL name -> import path of ``f(user)``),
    so the menu can count what higher apps own without importing them.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_nav": [], "portal_name": settings.PORTAL_NAME}
    badges = getattr(settings, "PORTAL_NAV_BADGES", {})
    nav = []
    for entry, url in entries_for(user.role):
        counted = entry.badge and entry.url_name in badges
        count = import_string(badges[entry.url_name])(user) if counted else 0
        nav.append((entry, url, count))
    return {"role_nav": nav, "portal_name": settings.PORTAL_NAME}
