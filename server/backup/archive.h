// Plain POSIX tar archives through libarchive: only this file includes archive.h.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace psea::backup {

struct ArchiveMember {
  std::string name;         // path inside the archive
  std::string source_path;  // file whose bytes are stored; empty: `content` is
  std::string content;
};

// Writes `members` in order to `path` (created with mode 0600; refuses an existing file).
// On failure the partial file is removed.
Status WriteTarArchive(const std::string& path, const std::vector<ArchiveMember>& members);

// Extracts every member of the tar archive at `path` under `destination` (an existing empty
// folder) and returns their names in archive order. Refuses (kInvalidArgument, field "in"):
// something that is not a tar archive, a truncated one, members other than regular files,
// names `is_safe_name` refuses, and a name seen twice. Never follows or creates links.
Result<std::vector<std::string>> ExtractTarArchive(const std::string& path,
                                                   const std::string& destination,
                                                   bool (*is_safe_name)(std::string_view));

}  // namespace psea::backup
