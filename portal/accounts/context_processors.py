from django.conf import settings

from portal.accounts.navigation import entries_for


def role_nav(request) -> dict:
    user = getattr(request, "user", None)
    nav = entries_for(user.role) if user is not None and user.is_authenticated else []
    return {"role_nav": nav, "portal_name": settings.PORTAL_NAME}
