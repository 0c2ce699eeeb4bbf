// Query parameters, read strictly: one reader for every route, so that "limit=1abc",
// "offset=-1" and "limit=100000" are refused the same way everywhere, with a 400 that names
// the parameter (the one error shape, http/json.h).
//
// The rules (docs/api.md, "Query parameters"):
//  - an empty value ("status=") is the same as leaving the parameter out;
//  - a parameter the route does not declare (Route::query) is refused, and so is one given
//    twice; routes whose callers are third-party programs or shared links opt out
//    (Route::lenient_query) -- the pipeline checks this before calling the handler;
//  - integers are decimal, no sign, no spaces, within the range the route states.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/request.h"

namespace psea::http {

// The names in `request.query` (and `request.repeated_query`) that are not in `declared`, or
// given more than once: kInvalidArgument naming the first one, else OK.
Status CheckQueryNames(const HttpRequest& request, const std::vector<std::string>& declared);

// Reads the request's query. Every method returns nullopt (or the default) when the
// parameter is absent or empty, and kInvalidArgument with the parameter as the field when its
// value is malformed. The reader borrows the request: it must not outlive it.
class QueryParams {
 public:
  explicit QueryParams(const HttpRequest& request) : request_(request) {}

  // A decimal integer in [min, max].
  Result<std::optional<std::int64_t>> Int(std::string_view name, std::int64_t min,
                                          std::int64_t max) const;
  // A record id: a positive integer.
  Result<std::optional<std::int64_t>> Id(std::string_view name) const;
  // One of `values`.
  Result<std::optional<std::string>> Enum(std::string_view name,
                                          std::initializer_list<std::string_view> values) const;
  // "true" or "false"; absent is `absent`.
  Result<bool> Bool(std::string_view name, bool absent = false) const;
  // Free text of at most `max_bytes` bytes of valid UTF-8 without control characters.
  Result<std::optional<std::string>> Text(std::string_view name, std::size_t max_bytes) const;
  // "YYYY-MM" with a month from 01 to 12, returned as written.
  Result<std::optional<std::string>> Month(std::string_view name) const;
  // "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ".
  Result<std::optional<UnixMillis>> Time(std::string_view name) const;

 private:
  std::optional<std::string_view> Value(std::string_view name) const;
  const HttpRequest& request_;
};

}  // namespace psea::http
