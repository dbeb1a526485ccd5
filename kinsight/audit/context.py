"""Per-request facts the audit log records (request id, client address, the emergency
accesses in force).

Set by RequestContextMiddleware and kinsight/people/emergency/live.py; outside a
request (commands, tests) they are empty.
"""

import contextvars
from collections.abc import Callable

request_id = contextvars.ContextVar("kinsight_request_id", default="")
client_ip = contextvars.ContextVar("kinsight_client_ip", default=None)

# The emergency accesses (break the glass) of the signed-in user in this request:
# (user id, a function giving {person id: access id}), read only when asked, so a page
# without them costs nothing. A read about one of those persons is marked in the log.
Emergency = tuple[int, Callable[[], dict[int, int]]]
emergency: contextvars.ContextVar[Emergency | None] = contextvars.ContextVar(
    "kinsight_emergency", default=None
)


def emergency_for(user_id: int | None) -> dict[int, int]:
    """{person id: access id} of ``user_id``'s emergency accesses in force now."""
    held = emergency.get()
    if held is None or user_id is None or held[0] != user_id:
        return {}
    return held[1]()
