// What a whole backup holds, without touching files or databases: the manifest written at the
// head of every archive (JSON), the names its parts may take, the schema check against the
// migrations this binary knows, and the names of dated archives (for --out-dir and --keep).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace psea::backup {

inline constexpr std::string_view kManifestName = "manifest.json";
inline constexpr std::string_view kFormat = "psea-backup";
inline constexpr int kFormatVersion = 1;

struct ManifestPart {
  std::string name;  // path inside the archive, e.g. "database/psea.db", "files/intake/3"
  std::int64_t size = 0;
  std::string sha256;  // 64 lower-case hex digits
};

struct Manifest {
  std::string psea_version;
  std::string engine;                 // "sqlite" or "postgresql"
  std::string created_at;             // ISO 8601 UTC
  std::map<std::string, int> schema;  // module -> newest migration applied
  std::int64_t audit_entries = 0;
  std::int64_t audit_head_id = 0;
  std::string audit_head_hash;
  std::vector<ManifestPart> parts;
};

std::string ManifestToJson(const Manifest& manifest);
// kInvalidArgument (field "in") naming what is missing or malformed, including a format or
// format version this binary does not read, and any part name IsSafePartName refuses.
Result<Manifest> ParseManifest(std::string_view json);

// A relative path of plain components under "database/" or "files/" (no "..", no absolute
// path, no empty component, printable ASCII without backslashes).
bool IsSafePartName(std::string_view name);
// kManifestName or a safe part name: what an archive may hold.
bool IsArchiveMemberName(std::string_view name);

// kUnprocessable naming the first module whose version `schema` holds that `known_latest`
// lacks or exceeds (the backup was written by a newer psea).
Status CheckSchemaKnown(const std::map<std::string, int>& schema,
                        const std::map<std::string, int>& known_latest);

// "psea-backup-YYYYMMDD-HHMMSS.tar" for a time in Unix seconds (UTC).
std::string DatedArchiveName(std::int64_t unix_seconds);
// "YYYYMMDD-HHMMSS" (UTC), the stamp of dated archives and of what restore keeps aside.
std::string DateStamp(std::int64_t unix_seconds);
// Of `names` (a folder listing), the dated archives beyond the newest `keep`, oldest last.
// Other names are never returned.
std::vector<std::string> ArchivesToPrune(const std::vector<std::string>& names, int keep);

}  // namespace psea::backup
