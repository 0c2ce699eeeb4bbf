// The bytes of a response head. Every response carries the same security headers (CSP,
// nosniff, ...); they are built once here and written as one block, so that a response costs
// a few appends instead of a header map walk. No Beast: http/server.cc writes the result.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/request.h"

namespace psea::http {

// "OK", "Not Found", ...; "Unknown" for a code this server never sends.
std::string_view ReasonPhrase(int status);

// Appends the status line and every header of `response` to `out`, then the security headers
// the response did not set itself, Cache-Control: no-store when it set none,
// X-Request-Id, Content-Length (except for 204 and 304; `content_length` is the body's size
// even for HEAD) and Connection when it differs from the version's default. A CR or LF inside
// a header value is replaced by a space: a value can never start another header.
void AppendResponseHead(std::string& out, const HttpResponse& response, unsigned version,
                        bool keep_alive, std::size_t content_length);

}  // namespace psea::http
