"""Whether a new login name may be taken, without telling who holds it (issue 17).

Registration answers one message for a name held by anyone (staff or enterprise, in any letter
case) and for a reserved name nobody holds (``PORTAL_RESERVED_USERNAMES``: the names staff
accounts are usually given), so it cannot be used to confirm that a staff account exists; the
registration page and API share one throttle (``anon_register``) against trying many names.
"""

from __future__ import annotations

from django.conf import settings

from portal.accounts.models import User

USERNAME_UNAVAILABLE = "该用户名不可使用（已被占用或为系统保留），请换一个。"


def username_unavailable(username: str) -> bool:
    name = (username or "").strip()
    reserved = {n.lower() for n in getattr(settings, "PORTAL_RESERVED_USERNAMES", ())}
    return name.lower() in reserved or User.objects.filter(username__iexact=name).exists()
