#include "security/server_key.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace psea::security {

Result<SecretBytes> LoadOrCreateServerKey(const std::string& data_dir, bool may_create) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path path = fs::path(data_dir) / "server.key";
  if (!may_create && !fs::exists(path, error)) {
    if (error) return Unavailable("cannot reach " + path.string() + ": " + error.message());
    return Status(ErrorCode::kNotFound,
                  "the server key " + path.string() +
                      " is missing: check --data-dir (PSEA_DATA_DIR), or restore server.key from "
                      "the backup of this data folder (without it nobody can sign in with 2FA)",
                  "data-dir");
  }
  fs::create_directories(data_dir, error);
  if (error)
    return Unavailable("cannot create the data folder " + data_dir + ": " + error.message());
  ::chmod(data_dir.c_str(), 0700);
  if (fs::exists(path)) {
    std::ifstream in(path, std::ios::binary);
    std::string encoded((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!encoded.empty() && (encoded.back() == '\n' || encoded.back() == '\r'))
      encoded.pop_back();
    auto key = Base64Decode(encoded);
    Wipe(encoded);
    if (!key.ok() || key->size() != kSymmetricKeyBytes) {
      return Unavailable("the server key " + path.string() + " is damaged");
    }
    return SecretBytes(std::move(key).value());
  }
  std::string key = RandomBytes(kSymmetricKeyBytes);
  const std::string temporary = path.string() + ".new";
  {
    const mode_t old_mask = ::umask(077);
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    ::umask(old_mask);
    out << Base64Encode(key) << '\n';
    out.flush();
    if (!out) return Unavailable("cannot write the server key to " + temporary);
  }
  fs::rename(temporary, path, error);
  if (error) return Unavailable("cannot create the server key: " + error.message());
  return SecretBytes(std::move(key));
}

}  // namespace psea::security
