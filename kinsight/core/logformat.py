"""Structured logs: one JSON object a line, without personal data.

Loaded by the LOGGING setting before the apps (no model imports here). A request's
record names its method, its route pattern (``personer/<int:pk>/``, never the path
with its values), its status and the user's id at most: no path, no query string, no
user name. Anything in a message that looks like a personnummer or a query string is
blanked as well, for messages written by libraries.
"""

import datetime
import http
import json
import logging
import re
from typing import Any

# 6 or 8 digits, an optional - or +, 4 digits: a personnummer or samordningsnummer.
PERSONNUMMER = re.compile(r"(?<!\d)(\d{6}|\d{8})[-+]?\d{4}(?!\d)")
QUERY = re.compile(r"\?[^\s\"']*")


def scrub(text: str) -> str:
    return QUERY.sub("?[query]", PERSONNUMMER.sub("[personnummer]", text))


def _request_fields(record: logging.LogRecord) -> dict[str, Any]:
    request = getattr(record, "request", None)
    status = getattr(record, "status_code", None)
    fields: dict[str, Any] = {}
    if status is not None:
        fields["status"] = status
        try:
            fields["message"] = http.HTTPStatus(status).phrase
        except ValueError:
            fields["message"] = "HTTP status"
    if request is None or not hasattr(request, "method"):
        return fields
    match = getattr(request, "resolver_match", None)
    fields["method"] = request.method
    fields["route"] = match.route if match is not None else "(unresolved)"
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = user.pk
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        entry.update(_request_fields(record))
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
