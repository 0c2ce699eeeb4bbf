#include "http/versions.h"

#include <string_view>

namespace psea::http {

std::string EntityTag(std::int64_t version) { return "\"v" + std::to_string(version) + "\""; }

Result<ExpectedVersion> ReadExpectedVersion(const HttpRequest& request,
                                            std::optional<std::int64_t> body_version) {
  const auto header = request.Header("If-Match");
  if (!header) {
    if (!body_version) return InvalidArgument("send version or If-Match", "version");
    return ExpectedVersion{body_version, false};
  }
  std::string_view tag = *header;
  while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
  while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
  ExpectedVersion expected;
  expected.if_match = true;
  if (tag != "*") {
    // A weak tag never matches under If-Match (strong comparison): the caller's 412, as for
    // any other version this server never issued.
    std::int64_t version = 0;
    bool ok = tag.size() > 3 && tag.size() <= 20 && tag.substr(0, 2) == "\"v" && tag.back() == '"';
    for (std::size_t i = 2; ok && i + 1 < tag.size(); ++i) {
      ok = tag[i] >= '0' && tag[i] <= '9';
      version = version * 10 + (tag[i] - '0');
    }
    if (!ok && tag.substr(0, 2) != "W/") {
      return InvalidArgument("an entity tag this server sent (ETag), or *", "If-Match");
    }
    expected.version = ok ? version : std::int64_t{-1};
  }
  if (body_version && expected.version && *body_version != *expected.version) {
    return InvalidArgument("If-Match and version name different versions", "version");
  }
  return expected;
}

}  // namespace psea::http
