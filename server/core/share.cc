#include "core/share.h"

#include <filesystem>
#include <system_error>

namespace psea {

namespace fs = std::filesystem;

std::vector<std::string> ShareRoots(const std::string& share_dir) {
  if (!share_dir.empty()) return {share_dir};
  std::vector<std::string> roots;
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error && binary.has_parent_path()) {
    const fs::path bin = binary.parent_path();
    roots.push_back((bin.parent_path() / "share" / "psea").string());
    roots.push_back(bin.parent_path().string());
  }
  roots.push_back(".");
  roots.push_back("..");
  roots.push_back("/usr/share/psea");
  return roots;
}

std::string FindShared(const std::string& share_dir,
                       std::initializer_list<std::string_view> relatives) {
  for (const auto& root : ShareRoots(share_dir)) {
    for (auto relative : relatives) {
      const fs::path candidate = fs::path(root) / relative;
      std::error_code error;
      if (fs::exists(candidate, error)) return candidate.lexically_normal().string();
    }
  }
  return {};
}

}  // namespace psea
