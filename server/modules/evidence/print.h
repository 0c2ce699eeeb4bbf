// The printable chain of custody of one evidence item: a self-contained HTML page (no script,
// one inline style sheet with @media print rules), in English or French. Pure: every value
// from the report is escaped.
#pragma once

#include <string>
#include <string_view>

#include "modules/evidence/service.h"

namespace psea::evidence {

// `language`: "en" or "fr" (anything else is English).
std::string RenderCustodyHtml(const CustodyReport& report, std::string_view language);

// The Content-Security-Policy the page is served with: nothing may load, the inline style
// sheet may apply.
inline constexpr std::string_view kCustodyPagePolicy =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

}  // namespace psea::evidence
