// Files sent to be saved, not shown: the one way every download (reports, CSV exports,
// attachments, evidence, quarantined messages) names its file.
#pragma once

#include <string>
#include <string_view>

#include "http/request.h"

namespace psea::http {

// `name` made safe to save under: valid UTF-8 only (bad bytes dropped), no path separators, no
// control characters, no quotes or characters Windows refuses (each becomes '_'), no leading
// dots or spaces (no hidden files, no ".."), at most 120 bytes (the extension kept). Empty
// when nothing is left.
std::string SafeFilename(std::string_view name);

// The Content-Disposition value for saving `name` (RFC 6266): attachment; filename="ASCII
// fallback" (accents dropped, other characters '_'); filename*=UTF-8''percent-encoded when the
// name is not plain ASCII. `fallback` (ASCII, safe) is used when `name` sanitises to nothing.
std::string ContentDisposition(std::string_view name, std::string_view fallback = "download");

// A 200 response that saves `body` as `name`: Content-Type, Content-Disposition, and
// X-Content-Type-Options comes with every response (http/wire.h).
HttpResponse DownloadResponse(std::string body, std::string_view content_type,
                              std::string_view name, std::string_view fallback = "download");

}  // namespace psea::http
