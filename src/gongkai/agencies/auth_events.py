"""Sign-ins, sign-outs, failed attempts and lockouts go into the event log.

Who could get into the workspace, and when, is part of the audit trail a supervising office
asks for after an incident; the receivers write through the same ``record`` as every service.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from gongkai.agencies import actions
from gongkai.eventlog.services import record

_MAX_USERNAME = 150


def _attempted_username(credentials: dict[str, Any] | None) -> str:
    # Only the user name: Django already strips the password from these credentials.
    return str((credentials or {}).get("username", ""))[:_MAX_USERNAME]


@receiver(user_logged_in, dispatch_uid="gongkai.auth.login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(action=actions.AUTH_LOGIN, actor=user, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="gongkai.auth.logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:  # the session had already expired
        return
    with transaction.atomic():
        record(action=actions.AUTH_LOGOUT, actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="gongkai.auth.failed")
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    with transaction.atomic():
        record(
            action=actions.AUTH_LOGIN_FAILED,
            after={"username": _attempted_username(credentials)},
            request=request,
        )


@receiver(user_locked_out, dispatch_uid="gongkai.auth.lockout")
def _locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        record(
            action=actions.AUTH_LOCKOUT,
            after={"username": str(username or "")[:_MAX_USERNAME]},
            request=request,
        )
