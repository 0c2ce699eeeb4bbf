-- wrk script: every request carries psea's session cookie, so that wrk measures an
-- authenticated GET (session lookup, permission check, handler) rather than a 401.
--
--   PSEA_BENCH_SESSION=<value of the psea_session cookie> \
--     wrk -t2 -c64 -d20s --latency -s bench/auth_get.lua http://127.0.0.1:PORT/api/v1/auth/me
--
-- bench/http.sh logs in with curl and sets PSEA_BENCH_SESSION. The request path is the URL's.
-- wrk reports answers other than 2xx/3xx as "Non-2xx or 3xx responses"; http.sh fails the run
-- when there are any, since an expired or wrong cookie would otherwise measure the 401 path.

local session = os.getenv("PSEA_BENCH_SESSION")
if session == nil or session == "" then
  error("set PSEA_BENCH_SESSION to the value of the psea_session cookie")
end

wrk.method = "GET"
wrk.headers["Cookie"] = "psea_session=" .. session
wrk.headers["Accept"] = "application/json"
