"""Per-request facts the audit log records (request id, client address).

Set by RequestContextMiddleware; outside a request (commands, tests) they are empty.
"""

import contextvars

request_id = contextvars.ContextVar("kinsight_request_id", default="")
client_ip = contextvars.ContextVar("kinsight_client_ip", default=None)
