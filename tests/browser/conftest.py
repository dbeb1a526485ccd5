"""Playwright on Debian's Chromium against Django's live server, with axe-core checks.

`playwright install` cannot download here, so the browser is /usr/bin/chromium
(`apt-get install -y chromium`, see CI-NOTES.md). A missing browser fails the tests
instead of skipping them: a skipped accessibility check looks like a passed one.
"""

import os

# The live server runs in a thread of this process while Playwright's sync API holds
# an event loop; Django refuses ORM calls from there unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import base64  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from django.core.servers.basehttp import WSGIServer  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402
from pytest_django.live_server_helper import LiveServer  # noqa: E402

from tests import factories  # noqa: E402

# expect() waits 5 s by default: too short on a loaded two-core CI machine.
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--headless=new",
]
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install -y chromium` (bin/test does this).",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A Swedish workplace's browser. The app shows Swedish unless the user picks English,
    # but Django's own strings (form labels) would follow the browser if that changed.
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def new_context(new_context):
    """Every browser context of a test: short timeouts, and any JavaScript error or
    console error (a CSP refusal of a script or style, htmx failing) fails the test."""
    errors = []

    def watch(page):
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                # The browser logs every 4xx/5xx response; the tests check statuses themselves.
                and not message.text.startswith("Failed to load resource")
                and errors.append(f"{page.url}: console: {message.text}")
            ),
        )

    def make(**kwargs):
        context = new_context(**kwargs)
        # Fail fast on a broken selector instead of waiting 30 s per step.
        context.set_default_timeout(15_000)
        context.on("page", watch)
        return context

    yield make
    if errors:
        pytest.fail("Errors in the browser:\n" + "\n".join(errors), pytrace=False)


# --- accessibility ----------------------------------------------------------------

_axe = Axe()


def axe_violations(page: Page):
    """axe-core's serious and critical violations on the page as it is now.

    Waits for the page's load first, as a user waits for the page; if a navigation
    still replaces the document while axe runs (its context is destroyed), waits for
    the new page and runs again: never a check of a half-loaded or vanished document."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page)
            break
        except PlaywrightError as error:
            if attempt == 2 or not _NAVIGATED.search(str(error)):
                raise
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


# What Playwright says when the document went away under a running script.
_NAVIGATED = re.compile(r"context was destroyed|documentElement|navigat", re.IGNORECASE)


# axe leaves colour contrast "incomplete" (needs review) when it cannot tell the
# background, as for a button whose own background is transparent; white text on a white
# page then passed unseen. So every visible link and button is measured here: its text
# colour against the first opaque background behind it (WCAG 2.1 contrast ratio).
CONTRAST_SCRIPT = """
() => {
  const rgba = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const background = (element) => {
    const layers = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] >= 1) break;
      }
    }
    return layers.reduceRight((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const failures = [];
  for (const element of document.querySelectorAll("a[href], button, .button, input[type=submit]")) {
    const rect = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    const text = (element.innerText || element.value || "").trim();
    if (!text || rect.width <= 1 || rect.height <= 1 || rect.right <= 0 || rect.bottom <= 0
        || style.visibility === "hidden" || style.display === "none") continue;
    const bg = background(element);
    const fg = over(rgba(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(`${ratio.toFixed(2)}:1 ${style.color} on rgb(${bg.slice(0, 3).join(", ")}): `
        + element.outerHTML.slice(0, 160));
    }
  }
  return failures;
}
"""


def contrast_failures(page: Page):
    """Visible links and buttons whose text contrast is under 4.5:1 (3:1 for large text)."""
    return page.evaluate(CONTRAST_SCRIPT)


def assert_accessible(page: Page):
    """Fail listing every serious or critical axe-core violation (rule, help, nodes) and
    every link or button with too little contrast."""
    violations = axe_violations(page)
    low_contrast = contrast_failures(page)
    if low_contrast:
        violations.append(
            {
                "id": "link-button-contrast",
                "impact": "serious",
                "help": "Links and buttons must have a text contrast of at least 4.5:1",
                "nodes": [{"target": ["contrast"], "html": failure} for failure in low_contrast],
            }
        )
    if not violations:
        return
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node.get('html', '')[:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"      {line}" for line in summary.splitlines())
    pytest.fail("\n".join(lines), pytrace=False)


# --- two-factor codes -------------------------------------------------------------


def _next_token(totp, last_t):
    """A code the server accepts now: for the current step, or for the next one when
    the current step's code has already been used (django-otp refuses a replay and
    tolerates one step of drift)."""
    totp.time = time.time()
    if totp.t() <= last_t:
        totp.time = time.time() + totp.step * (last_t + 1 - totp.t())
    return f"{totp.token():0{totp.digits}d}"


def totp_code(device):
    """The authenticator app's code for a django-otp TOTPDevice."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return _next_token(totp, device.last_t)


def totp_code_from_secret(secret):
    """The code an authenticator app shows for the base32 secret on the enrolment page."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return _next_token(TOTP(key), -1)


def wrong_totp_code(device):
    """Six digits that no step within django-otp's tolerance accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    valid = set()
    for offset in (-2, -1, 0, 1, 2):
        totp.time = now + offset * totp.step
        valid.add(totp.token())
    return next(f"{n:06d}" for n in range(1_000_000) if n not in valid)


# --- signing in -------------------------------------------------------------------


def submit_password(page: Page, base_url, username, password=factories.PASSWORD):
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Fortsätt").click()


def login(page: Page, base_url, user, device, *, check=None):
    """Password, then the TOTP code from the device, as a person would.
    `check(page)` runs on each page on the way (for the axe checks)."""
    submit_password(page, base_url, user.username)
    expect(page).to_have_url(re.compile(r"/konto/tvastegsverifiering/$"))
    if check:
        check(page)
    page.get_by_label("Engångskod").fill(totp_code(device))
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")


class _SerialWSGIServer(WSGIServer):
    """One request at a time, each on its own connection (Django answers
    `Connection: close` when the server is not threaded)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, but serial on SQLite. With an in-memory SQLite test
    database every request thread shares the test's one connection, so a page and a
    request running beside it (the favicon, an htmx search) fail with "database table
    is locked" – an artefact of the test database, not of the app. On PostgreSQL the
    server stays threaded, as in production. It needs the test database set up first:
    only then does it find the in-memory connection to share (and turn serial)."""
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = _SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_url(live_server):
    """The live server's address (pytest-playwright's own `base_url` is session-wide)."""
    return live_server.url
