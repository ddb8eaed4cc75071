from django.conf import settings

from portal.accounts.navigation import BADGES, entries_for


def role_nav(request) -> dict:
    """The role's menu, each entry with its badge count (e.g. unread messages) when it has one.

    Badges are links (``navigation.BADGES``) the app owning the entry provides, so the menu can
    count what higher apps own without importing them.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role_nav": [], "portal_name": settings.PORTAL_NAME}
    nav = []
    for entry, url in entries_for(user.role):
        badge = BADGES.get(entry.url_name) if entry.badge else None
        count = badge(user) if badge is not None else 0
        nav.append((entry, url, count))
    return {"role_nav": nav, "portal_name": settings.PORTAL_NAME}
