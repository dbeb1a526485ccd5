"""bin/bench keeps working: `manage.py bench` runs end to end on a small SQLite
database of its own (a child process, as bin/bench runs it, with gunicorn serving the
HTTP stages) and prints the side-by-side ratios, the audit write's cost, the audit
throughput, the support groups' effect report, the figures page and the October survey
beside the bare page, the annual report and the import into an empty municipality, and
writes the same figures as JSON."""

import json
import os
import re
import subprocess
import sys

from django.conf import settings

SMALL = [
    "--persons=300",
    "--staff-per-unit=2",
    "--audit-rows=500",
    "--repeat=1",
    "--http-repeat=2",
    "--concurrency=2",
    "--gunicorn-workers=1",
    "--audit-cost-repeat=2",
    "--throughput-clients=2",
    "--throughput-workers=1",
    "--throughput-threads=2",
    "--throughput-seconds=0.3",
    "--throughput-rounds=1",
    "--groups-sizes=20,60",
    "--groups-repeat=1",
    "--figures-repeat=1",
]


def test_it_benchmarks_pages_against_the_bare_page_and_the_audit_write(tmp_path):
    env = {
        **os.environ,
        "KINSIGHT_DEMO": "true",
        "KINSIGHT_OTP_REQUIRED": "false",
        # DEBUG: static files from the apps, no collectstatic manifest needed.
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
    }
    figures = tmp_path / "bench.json"
    result = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", "bench", *SMALL, f"--json={figures}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    number = r"\d+\.\d"
    for label in ("person page", "case page", 'person search "ander"', "person log"):
        assert re.search(rf"{re.escape(label)}.*\s{number}×\s+{number}×$", out, re.M), out
    assert re.search(rf"^case page\s+with audit p50 {number}.*p50 \d\.\d\d×", out, re.M), out
    assert re.search(rf"^audited\s+{number} reads/s", out, re.M), out
    assert "audited/unaudited reads per second" in out
    saved = json.loads(figures.read_text())
    in_process = {row["page"]: row for row in saved["pages"]}
    assert in_process["person page"]["n"] == 1
    assert in_process["person page"]["queries"] > in_process["health check"]["queries"] > 0
    assert [row["page"] for row in saved["http"]["rows"]][:2] == ["person page", "case page"]
    assert saved["http"]["rows"][0]["ratio_p95"] > 0
    assert (
        saved["audit_cost"]["rows"][1]["without_audit"]["statements"]
        < (saved["audit_cost"]["rows"][1]["with_audit"]["statements"])
    )
    assert saved["throughput"]["audited"]["audit_rows_per_s"] > 0
    assert saved["throughput"]["unaudited"]["audit_rows_per_s"] == 0
    # The effect report: every pair counted, and the same statements at 20 and 60.
    small, large = saved["groups"]
    assert (small["pairs"], large["pairs"]) == (20, 60)
    assert small["statements"] == large["statements"]
    # The figures page: each definition by period and by unit where it has them, and
    # the October survey, each against the bare page measured in the same stage.
    figures = {row["page"]: row for row in saved["figures"]}
    assert saved["figures"][0]["page"] == "bare page (/healthz)"
    assert figures["figures: minimum_level by period"]["queries"] > 1
    assert "figures: october by unit" in figures and "figures: october by period" not in figures
    assert figures["October survey"]["queries"] > figures["bare page (/healthz)"]["queries"]
    assert re.search(rf"^October survey\s+{number}\s+{number}\s+\d+\s+{number}×$", out, re.M), out
    # The annual report of ifochef's widest node, made as the worker makes it.
    assert saved["annual"]["status"] == "done", saved["annual"]["message"]
    assert saved["annual"]["statements"] > 0 and saved["annual"]["pdf_kb"] > 0
    assert re.search(r"^Annual report \d{4} for .* statements, done;", out, re.M), out
    # The import of the generated persons, relationships and cases into an empty copy.
    assert [row["state"] for row in saved["imports"]["kinds"]] == ["done"] * 3, saved["imports"]
    assert saved["imports"]["kinds"][0]["counts"]["created"] > 200
    assert re.search(r"^all kinds, dry runs included: \d+\.\d s$", out, re.M), out
