"""The bench's measured stages beyond the in-process page table (see
kinsight/demo/management/commands/bench.py, which prints and saves what these return):

- side by side: the pages served by gunicorn, each against the bare page /healthz
  (one SELECT 1, no session, no sign-in), interleaved in the same run;
- audit cost: the same page with and without its audit write, alternating per
  request, in this process;
- audit throughput: audited page reads per second of one municipality with many
  clients at once, against the same page unaudited, and how many database sessions
  wait for the audit chain head's row lock meanwhile.
"""

import os
import time
from contextlib import nullcontext

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinsight.audit.models import AuditEntry
from kinsight.demo.bench import audit_switch
from kinsight.demo.bench.load import (
    BARE_PATH,
    BenchError,
    LockSampler,
    gunicorn,
    lock_summary,
    run_for,
    run_interleaved,
    summary,
    workers_for,
)
from kinsight.demo.bench.pages import seed_http_sessions
from kinsight.demo.generate.organisation import DEMO_PASSWORD


def machine_load():
    """The 1-minute load average and the number of cores (others share the machine)."""
    return {"load_1min": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}


def ratio(page, bare):
    return round(page / bare, 1) if bare else None


def _alternating(clients, page, repeat, block):
    """`repeat` requests of the page and as many of the bare page, in alternating
    blocks of `block` requests shared by the client threads, after a warm-up block of
    each: both at the same concurrency and under the same machine load, without the
    bare requests queueing behind the page's."""
    bare = ("bare", BARE_PATH, None)
    run_interleaved(clients, [(None, *page[1:])] * block + [(None, *bare[1:])] * block)
    timings = {page[0]: [], "bare": []}
    for start in range(0, repeat, block):
        size = min(block, repeat - start)
        for job in (page, bare):
            timings[job[0]] += run_interleaved(clients, [job] * size)[job[0]]
    return timings


def side_by_side(municipality, pages, *, repeat, concurrency, workers, password=DEMO_PASSWORD):
    """Each page in turn against the bare page, `repeat` requests of each, by
    `concurrency` client threads against gunicorn with `workers` sync workers.
    Returns one row per page and the bare page over all pages."""
    users = sorted({username for _label, username, _url in pages if username})
    rows, all_bare = [], []
    with gunicorn(workers=workers) as address:
        clients = workers_for(address, concurrency, users, password)
        seed_http_sessions(clients, municipality)
        for label, username, url_for in pages:
            path = url_for(municipality)
            timings = _alternating(clients, (label, path, username), repeat, 2 * concurrency)
            all_bare += timings["bare"]
            page, bare = summary(timings[label]), summary(timings["bare"])
            rows.append(
                {
                    "page": label,
                    "path": path,
                    **page,
                    "bare_p50_ms": bare["p50_ms"],
                    "bare_p95_ms": bare["p95_ms"],
                    "ratio_p50": ratio(page["p50_ms"], bare["p50_ms"]),
                    "ratio_p95": ratio(page["p95_ms"], bare["p95_ms"]),
                }
            )
    return {"rows": rows, "bare": summary(all_bare), "load": machine_load()}


def _timed_get(client, url, skip):
    token = audit_switch.skip_audit.set(skip)
    try:
        begin = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - begin) * 1000
    finally:
        audit_switch.skip_audit.reset(token)
    if response.status_code != 200:
        raise BenchError(f"{url} answered {response.status_code}")
    return elapsed


def in_process(municipality, pages, *, repeat, client_for):
    """Each page `repeat` times with the Django test client in this process, after two
    warm-up requests (caches, connections); the statements of one more request."""
    rows = []
    for label, username, url_for in pages:
        client, url = client_for(username), url_for(municipality)
        timings = [_timed_get(client, url, False) for _index in range(repeat + 2)][2:]
        rows.append({"page": label, **summary(timings), "queries": _statements(client, url, False)})
    return rows


def _statements(client, url, skip):
    with CaptureQueriesContext(connection) as captured:
        _timed_get(client, url, skip)
    return len(captured.captured_queries)


def _check_noop(client, url):
    before = AuditEntry.objects.count()
    _timed_get(client, url, skip=True)
    if AuditEntry.objects.count() != before:
        raise BenchError(f"{url} wrote an audit row with the audit swapped out")


def audit_cost(municipality, pages, *, repeat, client_for):
    """Each page `repeat` times with and `repeat` times without its audit write
    (kinsight.demo.bench.audit_switch's no-op switch), alternating per request with the Django
    test client in this process, after two warm-up pairs. Statements are counted on
    one more request each way (counting slows the timed ones)."""
    audit_switch.install()
    rows = []
    for label, username, url_for in pages:
        client, url = client_for(username), url_for(municipality)
        _check_noop(client, url)
        timings = {True: [], False: []}
        for index in range(2 * repeat + 4):
            skip = bool(index % 2)
            elapsed = _timed_get(client, url, skip)
            if index >= 4:
                timings[skip].append(elapsed)
        audited, bare = summary(timings[False]), summary(timings[True])
        rows.append(
            {
                "page": label,
                "with_audit": {**audited, "statements": _statements(client, url, False)},
                "without_audit": {**bare, "statements": _statements(client, url, True)},
                "ratio_p50": round(audited["p50_ms"] / bare["p50_ms"], 2),
                "ratio_p95": round(audited["p95_ms"] / bare["p95_ms"], 2),
            }
        )
    return {"rows": rows, "load": machine_load()}


def _phase(clients, path, username, seconds, audited):
    headers = None if audited else {audit_switch.NO_AUDIT_HEADER: "1"}
    postgres = connection.vendor == "postgresql"
    sampler = LockSampler() if postgres else nullcontext()
    rows_before = AuditEntry.objects.count()
    begin = time.perf_counter()
    with sampler:
        answers, timings = run_for(clients, path, username, seconds, headers)
    elapsed = time.perf_counter() - begin
    rows = AuditEntry.objects.count() - rows_before
    return answers, timings, elapsed, rows, (sampler.samples if postgres else [])


def audit_throughput(
    municipality, *, page, clients, workers, threads, seconds, rounds, password=DEMO_PASSWORD
):
    """`clients` threads, each signed in with a session of its own, read one page as
    fast as gunicorn (`workers` processes × `threads` threads) answers, in phases of
    `seconds`: audited, then the same page with the audit swapped out, `rounds`
    times. On PostgreSQL pg_stat_activity is sampled meanwhile."""
    label, username, url_for = page
    path = url_for(municipality)
    app = "kinsight.demo.bench.audit_switch:application"
    totals = {mode: [0, [], 0.0, 0, []] for mode in ("audited", "unaudited")}
    with gunicorn(app, workers=workers, threads=threads) as address:
        pool = workers_for(address, clients, [username], password)
        seed_http_sessions(pool, municipality)
        run_for(pool, path, username, min(seconds, 1.0))  # warm-up
        for _round in range(rounds):
            for mode in totals:
                result = _phase(pool, path, username, seconds, mode == "audited")
                totals[mode] = [t + p for t, p in zip(totals[mode], result, strict=True)]
    if totals["unaudited"][3]:
        raise BenchError("the unaudited phase wrote audit rows: the no-op switch missed them")
    return {
        "page": label,
        "path": path,
        "clients": clients,
        "server": f"gunicorn --workers {workers} --threads {threads}",
        **{mode: _throughput(*totals[mode]) for mode in totals},
        "load": machine_load(),
    }


def _throughput(answers, timings, elapsed, rows, samples):
    return {
        "reads_per_s": round(answers / elapsed, 1),
        "audit_rows_per_s": round(rows / elapsed, 1),
        **summary(timings),
        "locks": lock_summary(samples),
    }
