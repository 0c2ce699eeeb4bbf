#!/usr/bin/env python3
"""Times the CDT's queue and the complaint figures (bench/intake_queue.sh runs it).

Signs in as a CDT chief (enrolling 2FA when the account asks), then for each request below
sends it COUNT times in a row on one connection and prints its p50 and p99 in milliseconds:
  queue             GET /api/v1/intake/complaints                 (the open ones, urgent first)
  queue_filtered    ... ?status=all&channel=hotline_4044&field_office=<the busiest>&limit=50
  queue_search      ... ?status=all&q=<a town>
  figures           GET /api/v1/intake/figures                   (the last 12 months)
  figures_leaders   the same as a leadership account (small cells hidden)
  figures_after_write  COUNT/5 times: a write that changes what the figures count (the chief
                    sets the acknowledgement targets), then the timed GET, which computes anew
Usage: intake_queue.py PORT COUNT   (PSEA_BENCH_PASSWORD: the generated accounts' password)
"""
import http.client
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from after_write import totp  # noqa: E402


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.csrf = ""

    def call(self, method, path, body=None):
        headers = {"Cookie": self.cookie}
        if self.csrf:
            headers["X-CSRF-Token"] = self.csrf
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        payload = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("psea_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, payload

    def json(self, method, path, body=None, expect=200):
        status, payload = self.call(method, path, body)
        if status != expect:
            sys.exit(f"{method} {path}: HTTP {status} {payload[:200]!r}")
        return json.loads(payload)


def sign_in(port, username):
    client = Client(port)
    login = client.json("POST", "/api/v1/auth/login",
                        {"username": username, "password": os.environ["PSEA_BENCH_PASSWORD"]})
    client.csrf = login.get("csrf_token", "")
    if login.get("enrolment_required"):
        secret = client.json("POST", "/api/v1/auth/totp/enroll", {})["secret"]
        client.json("POST", "/api/v1/auth/totp/confirm", {"code": totp(secret, time.time())})
    return client


def timed(client, path, count):
    timings = []
    client.call("GET", path)  # warm
    for _ in range(count):
        started = time.perf_counter()
        status, _ = client.call("GET", path)
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"GET {path}: HTTP {status}")
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    chief = sign_in(port, "gen.cdt_chief.1")
    leader = sign_in(port, "gen.leadership.1")
    figures = chief.json("GET", "/api/v1/intake/figures")
    office = next((x["key"] for x in figures["by_field_office"] if x["key"] != "unknown"), "")
    some = chief.json("GET", "/api/v1/intake/complaints?status=all&limit=1")["complaints"]
    town = some[0]["town"][:5] if some and some[0]["town"] else "a"
    rows = [
        ("queue", chief, "/api/v1/intake/complaints"),
        ("queue_filtered", chief,
         f"/api/v1/intake/complaints?status=all&channel=hotline_4044&field_office={office}&limit=50"),
        ("queue_search", chief, f"/api/v1/intake/complaints?status=all&q={town}"),
        ("figures", chief, "/api/v1/intake/figures"),
        ("figures_leaders", leader, "/api/v1/intake/figures"),
    ]
    print(f"complaints in the last 12 months: {figures['total']}")
    for name, client, path in rows:
        p50, p99 = timed(client, path, count)
        print(f"{name:16} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {path}")
    timings = []
    for i in range(max(5, count // 5)):
        chief.json("PUT", "/api/v1/intake/figures/targets",
                    {"urgent_hours": 24 + i % 2, "other_hours": 72})
        started = time.perf_counter()
        status, _ = chief.call("GET", "/api/v1/intake/figures")
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            sys.exit(f"GET figures after a write: HTTP {status}")
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{'figures_after_write':16} p50 {statistics.median(timings):7.2f}ms p99 {p99:7.2f}ms"
          f"  {len(timings)} writes, each followed by GET /api/v1/intake/figures")


if __name__ == "__main__":
    main()
