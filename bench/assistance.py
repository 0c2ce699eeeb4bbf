#!/usr/bin/env python3
"""Times the service tracking table, its filters and pages, the provider portal and the referral
figures (bench/assistance.sh).

Signs in as the first generated VRA (every file) and the first generated provider case manager,
whom the VRA links to the provider with the most referrals, then sends each request COUNT times
in a row on one connection and prints its p50 and p99 in milliseconds.
Usage: assistance.py PORT COUNT   (PSEA_BENCH_PASSWORD: the generated accounts' password)
"""
import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from intake_queue import sign_in, timed  # noqa: E402


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    vra = sign_in(port, "gen.vra.1")
    first = vra.json("GET", "/api/v1/assistance/tracking?limit=1")
    print(f"tracking rows (files x needs): {first['total']}")
    providers = vra.json("GET", "/api/v1/providers")["providers"]
    provider = providers[0]["id"]
    prefecture = providers[0]["prefecture"]
    today = datetime.date.today()
    year_ago = today - datetime.timedelta(days=365)
    rows = [
        ("table", "/api/v1/assistance/tracking"),
        ("table_offset_10000", "/api/v1/assistance/tracking?limit=50&offset=10000"),
        ("status", "/api/v1/assistance/tracking?status=in_progress"),
        ("status_not_referred", "/api/v1/assistance/tracking?status=not_referred"),
        ("service", "/api/v1/assistance/tracking?service=medical"),
        ("provider", f"/api/v1/assistance/tracking?provider_id={provider}"),
        ("prefecture", f"/api/v1/assistance/tracking?prefecture={prefecture}"),
        ("overdue", "/api/v1/assistance/tracking?overdue=true"),
        ("referred_last_year", f"/api/v1/assistance/tracking?referred_from={year_ago}&referred_to={today}"),
        ("filters_together",
         f"/api/v1/assistance/tracking?status=accepted&service=psychosocial&prefecture={prefecture}"
         f"&referred_from={year_ago}"),
    ]
    for name, path in rows:
        p50, p99 = timed(vra, path, count)
        total = vra.json("GET", path)["total"]
        print(f"{name:22} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {total:>6} rows  {path}")
    # The provider portal: the generated case manager linked to the first provider.
    manager_id = None
    for user in vra.json("GET", f"/api/v1/providers/{provider}/members")["eligible"]:
        if user["username"] == "gen.provider_case_manager.1":
            manager_id = user["user_id"]
    if manager_id:
        vra.call("POST", f"/api/v1/providers/{provider}/members", {"user_id": manager_id})
        manager = sign_in(port, "gen.provider_case_manager.1")
        path = "/api/v1/assistance/provider-portal"
        p50, p99 = timed(manager, path, count)
        total = manager.json("GET", path)["total"]
        print(f"{'provider_portal':22} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {total:>6} rows  {path}")
    path = f"/api/v1/assistance/referral-figures?from={year_ago}&to={today}"
    p50, p99 = timed(vra, path, count)
    victims = vra.json("GET", path)["victims"]
    print(f"{'figures_year':22} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {victims:>6} files  {path}")
    path = "/api/v1/assistance/tracking/export?format=csv"
    p50, p99 = timed(vra, path, max(5, count // 20))
    print(f"{'export_csv_all':22} p50 {p50:7.2f}ms p99 {p99:7.2f}ms  {first['total']:>6} rows  {path}")


if __name__ == "__main__":
    main()
