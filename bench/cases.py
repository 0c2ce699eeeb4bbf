#!/usr/bin/env python3
"""Times the case list, its filters and search, the due view and the figures (bench/cases.sh).

Signs in as the generated CDT chief (a cases reader: every case) and the first generated
officer (the cases assigned to them), then sends each request COUNT times in a row on one
connection and prints its p50 and p99 in milliseconds. The figures endpoint is timed over the
whole history and over the last 365 days, when it answers 200; otherwise its row says "skipped".
The due view is paged (50 items by default): its rows time the first page as the web asks for
it, and the chief's last page (the deepest offset: the whole view is still read and ordered).
Usage: cases.py PORT COUNT   (PSEA_BENCH_PASSWORD: the generated accounts' password)
"""
import datetime
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_queue import sign_in, timed  # noqa: E402


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    chief = sign_in(port, "gen.cdt_chief.1")
    officer = sign_in(port, "gen.cdt_officer.1")
    total = chief.json("GET", "/api/v1/cases?limit=1")["total"]
    print(f"cases the chief sees: {total}")
    rows = [
        ("list", chief, "/api/v1/cases"),
        ("list_offset_5000", chief, "/api/v1/cases?limit=50&offset=5000"),
        ("list_status", chief, "/api/v1/cases?status=under_investigation,report_received"),
        ("list_filters", chief,
         "/api/v1/cases?category=sexual_abuse&entity=oios&personnel_category=military_contingent"),
        ("list_urgent_sorted", chief, "/api/v1/cases?urgent=true&sort=reported"),
        ("list_overdue", chief, "/api/v1/cases?overdue=true"),
        ("list_q_town", chief, "/api/v1/cases?q=bambari"),
        ("list_q_reference", chief, "/api/v1/cases?q=MINUSCA-2025-01"),
        ("list_q_filters", chief, "/api/v1/cases?q=kaga&status=under_assessment,received"),
        ("list_officer_mine", officer, "/api/v1/cases?mine=true"),
        ("due_chief", chief, "/api/v1/cases/due?within_days=7"),
        ("due_officer", officer, "/api/v1/cases/due?within_days=30"),
    ]
    due_total = chief.json("GET", "/api/v1/cases/due?within_days=7&limit=1")["total"]
    rows.append(("due_chief_last_page", chief,
                 f"/api/v1/cases/due?within_days=7&limit=50&offset={max(0, due_total - 50)}"))
    for name, client, path in rows:
        p50, p99 = timed(client, path, count)
        answer = client.json("GET", path)
        if "items" in answer:
            size = f"{len(answer['items'])}/{answer['total']} items"
        else:
            size = f"{answer['total']} cases"
        print(f"{name:20} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {size:>12}  {path}")
    # The figures over the whole history and over the last twelve months (the figures page's
    # default period), as the web page asks for them.
    today = datetime.date.today()
    year_ago = today - datetime.timedelta(days=365)
    figures = [
        ("figures_all", "/api/v1/cases/figures"),
        ("figures_year", f"/api/v1/cases/figures?from={year_ago.isoformat()}&to={today.isoformat()}"),
    ]
    for name, path in figures:
        # The first view counts every month of the period; the server keeps each month's
        # counts until a case of that month changes or one of its clocks falls due.
        started = time.perf_counter()
        status, _ = chief.call("GET", path)
        first = (time.perf_counter() - started) * 1000
        if status != 200:
            print(f"{name:20} skipped (GET {path} answered {status})")
            continue
        p50, p99 = timed(chief, path, count)
        total = chief.json("GET", path)["totals"]["allegations"]
        print(f"{name:20} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {total:>6} cases  {path}"
              f"  (first view {first:.1f}ms)")
    # A case of this month edited (its location), then the figures page's view, which counts
    # that month again: what the first view after a change costs.
    recent = chief.json(
        "GET", "/api/v1/cases?sort=reported&limit=1&status=received,under_assessment,"
        "under_investigation")["cases"][0]
    path = figures[1][1]
    timings = []
    for i in range(max(5, count // 5)):
        kase = chief.json("GET", f"/api/v1/cases/{recent['id']}")["case"]
        chief.json("PATCH", f"/api/v1/cases/{recent['id']}",
                   {"version": kase["version"], "location": f"Bench {i % 2}"})
        started = time.perf_counter()
        status, _ = chief.call("GET", path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"GET figures after a write: HTTP {status}")
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{'figures_after_write':20} p50 {statistics.median(timings):7.2f}ms p99 {p99:7.2f}ms"
          f"  {len(timings)} edits of a case reported {kase['date_reported']}, each followed by"
          f" the last 365 days' figures")


if __name__ == "__main__":
    main()
