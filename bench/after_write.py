#!/usr/bin/env python3
"""The action plan's uncached path (bench/plan.sh). Logs in as a CDT officer (enrolling two-factor
authentication when the account has not), then, COUNT times for the matrix and COUNT times for
the yearly report: writes one progress entry through the API, which raises the plan's revision,
and times the GET that follows, which therefore finds nothing cached and reads the database.
Prints one line per target: "<target> p50 <ms>ms p99 <ms>ms" of the GETs alone.

    PSEA_BENCH_PASSWORD=... after_write.py PORT USERNAME PLAN_ID YEAR COUNT
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import statistics
import struct
import sys
import time


def totp(secret_base32, at):
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1000000:06d}"


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = None
        self.csrf = None

    def call(self, method, path, body=None):
        headers = {}
        if self.cookie:
            headers["Cookie"] = f"psea_session={self.cookie}"
        if body is not None:
            headers["Content-Type"] = "application/json"
            if self.csrf:
                headers["X-CSRF-Token"] = self.csrf
            body = json.dumps(body)
        self.connection.request(method, path, body, headers)
        response = self.connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("psea_session="):
                self.cookie = value.split(";")[0].split("=", 1)[1]
        return response.status, data

    def json(self, method, path, body=None, expect=200):
        status, data = self.call(method, path, body)
        if status != expect:
            sys.exit(f"{method} {path}: HTTP {status} {data[:200]!r}")
        return json.loads(data)


def main():
    port, username, plan, year, count = sys.argv[1:6]
    client = Client(int(port))
    login = client.json("POST", "/api/v1/auth/login",
                        {"username": username, "password": os.environ["PSEA_BENCH_PASSWORD"]})
    client.csrf = login["csrf_token"]
    if login.get("enrolment_required"):
        secret = client.json("POST", "/api/v1/auth/totp/enroll", {})["secret"]
        client.json("POST", "/api/v1/auth/totp/confirm", {"code": totp(secret, time.time())})
    matrix = f"/api/v1/plans/{plan}?year={year}"
    report = f"/api/v1/plans/{plan}/report?from={year}-01&to={year}-12"
    activity = client.json("GET", matrix)["pillars"][0]["goals"][0]["activities"][0]["id"]
    entry = {"month": f"{year}-06", "status": "on_track",
             "narrative": "Benchmark entry: the next read finds nothing cached."}
    for name, path in (("matrix", matrix), ("report", report)):
        timings = []
        for _ in range(int(count)):
            client.json("POST", f"/api/v1/activities/{activity}/entries", entry, expect=201)
            started = time.perf_counter()
            status, _ = client.call("GET", path)
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                sys.exit(f"GET {path}: HTTP {status}")
        timings.sort()
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        print(f"{name} p50 {statistics.median(timings):.2f}ms p99 {p99:.2f}ms")


if __name__ == "__main__":
    main()
