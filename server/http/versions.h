// Record versions on the wire (RFC 9110 8.8.3, 13.1.1): the strong ETag a record is answered
// with, and the version a change is made against, read from If-Match or the body's `version`.
// Shared by every module whose records carry a version (cases, providers, assistance files).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/request.h"

namespace psea::http {

// "\"v<version>\"".
std::string EntityTag(std::int64_t version);

struct ExpectedVersion {
  // The version named; nullopt for If-Match: * (checks nothing); -1 for a tag this server
  // never issued (a weak one included: If-Match compares strongly), which matches no record.
  std::optional<std::int64_t> version;
  bool if_match = false;  // from If-Match (a mismatch is 412), else from the body (409)
};

// If-Match when sent, else the body's `version`; one of them is required (kInvalidArgument
// naming "version"). A malformed If-Match names "If-Match"; both sent and different names
// "version".
Result<ExpectedVersion> ReadExpectedVersion(const HttpRequest& request,
                                            std::optional<std::int64_t> body_version);

}  // namespace psea::http
