#include "backup/manifest.h"

#include <boost/json.hpp>

#include <algorithm>
#include <ctime>
#include <regex>

namespace psea::backup {

namespace json = boost::json;

namespace {
Status Malformed(const std::string& what) {
  return InvalidArgument("not a psea backup: the manifest " + what, "in");
}

bool IsHexDigest(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}
}  // namespace

std::string ManifestToJson(const Manifest& manifest) {
  json::object schema;
  for (const auto& [module, version] : manifest.schema) schema[module] = version;
  json::array parts;
  for (const auto& part : manifest.parts) {
    parts.push_back(
        json::object{{"name", part.name}, {"size", part.size}, {"sha256", part.sha256}});
  }
  json::object root{
      {"format", kFormat},
      {"format_version", kFormatVersion},
      {"psea_version", manifest.psea_version},
      {"engine", manifest.engine},
      {"created_at", manifest.created_at},
      {"schema", std::move(schema)},
      {"audit", json::object{{"entries", manifest.audit_entries},
                             {"head_id", manifest.audit_head_id},
                             {"head_hash", manifest.audit_head_hash}}},
      {"server_key_included", false},
      {"parts", std::move(parts)},
  };
  return json::serialize(root) + "\n";
}

Result<Manifest> ParseManifest(std::string_view text) {
  boost::system::error_code error;
  json::value root = json::parse(text, error);
  if (error || !root.is_object()) return Malformed("is not a JSON object");
  const json::object& object = root.as_object();
  auto string_at = [&](const json::object& in, std::string_view key) -> const json::string* {
    const json::value* value = in.if_contains(key);
    return value && value->is_string() ? &value->as_string() : nullptr;
  };
  auto int_at = [&](const json::object& in, std::string_view key) -> const std::int64_t* {
    const json::value* value = in.if_contains(key);
    return value ? value->if_int64() : nullptr;
  };
  const json::string* format = string_at(object, "format");
  if (!format || *format != kFormat) return Malformed("does not say format \"psea-backup\"");
  const std::int64_t* format_version = int_at(object, "format_version");
  if (!format_version) return Malformed("has no format_version");
  if (*format_version != kFormatVersion) {
    return Unprocessable("the backup format version " + std::to_string(*format_version) +
                             " is not one this psea reads (" + std::to_string(kFormatVersion) +
                             "): it was written by a newer psea",
                         "in");
  }
  Manifest manifest;
  for (auto [key, out] :
       {std::pair{"psea_version", &manifest.psea_version}, std::pair{"engine", &manifest.engine},
        std::pair{"created_at", &manifest.created_at}}) {
    const json::string* value = string_at(object, key);
    if (!value) return Malformed(std::string("has no ") + key);
    *out = std::string(*value);
  }
  if (manifest.engine != "sqlite" && manifest.engine != "postgresql") {
    return Malformed("names an unknown engine \"" + manifest.engine + "\"");
  }
  const json::value* schema = object.if_contains("schema");
  if (!schema || !schema->is_object()) return Malformed("has no schema");
  for (const auto& [module, version] : schema->as_object()) {
    if (!version.is_int64() || version.as_int64() < 1 || version.as_int64() > 1'000'000) {
      return Malformed("has a bad schema version for " + std::string(module));
    }
    manifest.schema[std::string(module)] = static_cast<int>(version.as_int64());
  }
  const json::value* audit = object.if_contains("audit");
  if (!audit || !audit->is_object()) return Malformed("has no audit anchor");
  const std::int64_t* entries = int_at(audit->as_object(), "entries");
  const std::int64_t* head_id = int_at(audit->as_object(), "head_id");
  const json::string* head_hash = string_at(audit->as_object(), "head_hash");
  if (!entries || !head_id || !head_hash) return Malformed("has an incomplete audit anchor");
  manifest.audit_entries = *entries;
  manifest.audit_head_id = *head_id;
  manifest.audit_head_hash = std::string(*head_hash);
  const json::value* parts = object.if_contains("parts");
  if (!parts || !parts->is_array()) return Malformed("has no parts");
  for (const json::value& entry : parts->as_array()) {
    if (!entry.is_object()) return Malformed("has a part that is not an object");
    const json::string* name = string_at(entry.as_object(), "name");
    const std::int64_t* size = int_at(entry.as_object(), "size");
    const json::string* sha256 = string_at(entry.as_object(), "sha256");
    if (!name || !size || !sha256 || *size < 0) return Malformed("has an incomplete part");
    if (!IsSafePartName(*name))
      return Malformed("names an unsafe part \"" + std::string(*name) + "\"");
    if (!IsHexDigest(*sha256)) return Malformed("has a bad SHA-256 for " + std::string(*name));
    for (const auto& seen : manifest.parts) {
      if (seen.name == *name) return Malformed("lists " + std::string(*name) + " twice");
    }
    manifest.parts.push_back({std::string(*name), *size, std::string(*sha256)});
  }
  return manifest;
}

bool IsSafePartName(std::string_view name) {
  if (name.size() > 400) return false;
  if (name.rfind("database/", 0) != 0 && name.rfind("files/", 0) != 0) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view component = name.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") return false;
    start = end + 1;
  }
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return c > 0x20 && c < 0x7f && c != '\\'; });
}

bool IsArchiveMemberName(std::string_view name) {
  return name == kManifestName || IsSafePartName(name);
}

Status CheckSchemaKnown(const std::map<std::string, int>& schema,
                        const std::map<std::string, int>& known_latest) {
  for (const auto& [module, version] : schema) {
    auto known = known_latest.find(module);
    if (known == known_latest.end()) {
      return Unprocessable("the backup was written by a newer psea: it has the module \"" + module +
                               "\" (schema version " + std::to_string(version) +
                               ") that this psea does not know; upgrade psea first",
                           "in");
    }
    if (version > known->second) {
      return Unprocessable("the backup was written by a newer psea: its " + module +
                               " schema is at version " + std::to_string(version) +
                               ", this psea knows up to " + std::to_string(known->second) +
                               "; upgrade psea first",
                           "in");
    }
  }
  return Status::Ok();
}

std::string DateStamp(std::int64_t unix_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &utc);
  return text;
}

std::string DatedArchiveName(std::int64_t unix_seconds) {
  return "psea-backup-" + DateStamp(unix_seconds) + ".tar";
}

std::vector<std::string> ArchivesToPrune(const std::vector<std::string>& names, int keep) {
  static const std::regex dated(R"(psea-backup-\d{8}-\d{6}\.tar)");
  std::vector<std::string> archives;
  for (const auto& name : names) {
    if (std::regex_match(name, dated)) archives.push_back(name);
  }
  // The stamp sorts as the time does.
  std::sort(archives.begin(), archives.end(), std::greater<>());
  if (keep < 0) keep = 0;
  if (archives.size() <= static_cast<std::size_t>(keep)) return {};
  return {archives.begin() + keep, archives.end()};
}

}  // namespace psea::backup
