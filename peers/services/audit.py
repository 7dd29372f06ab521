from django.http import HttpRequest

from peers.addresses import client_address
from peers.models import AccessLog

AUDIT_DB = "audit"


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    return address if address != "unknown" else None


def access_log_write(
    *,
    request: HttpRequest | None,
    action: str,
    obj: object | None = None,
    object_type: str = "",
    object_id: str = "",
    allowed: bool,
    detail: str = "",
    anonymous: bool = False,
) -> AccessLog:
    """Record one read (or refusal). Written on the separate `audit` connection, which
    commits at once, so the row survives a rollback of the request's transaction.
    `anonymous` keeps neither the person nor the address: a requester reading their own
    request must not show up, by name, in a log of who asked for help."""
    user = None if anonymous else getattr(request, "user", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AccessLog.objects.using(AUDIT_DB).create(
        actor_id=user.pk if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip=None if anonymous else _client_ip(request),
        allowed=allowed,
        detail=detail[:200],
    )


def access_log_write_many(
    *, request: HttpRequest | None, action: str, objs: list, allowed: bool, detail: str = ""
) -> list[AccessLog]:
    """`access_log_write` for each of `objs` (one read each), in one INSERT on the audit
    connection: a page that shows many confidential rows logs every read at the cost of one."""
    if not objs:
        return []
    user = getattr(request, "user", None)
    actor_id = user.pk if user is not None and user.is_authenticated else None
    ip = _client_ip(request)
    return AccessLog.objects.using(AUDIT_DB).bulk_create(
        AccessLog(
            actor_id=actor_id,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            ip=ip,
            allowed=allowed,
            detail=detail[:200],
        )
        for obj in objs
    )
