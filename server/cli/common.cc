#include "cli/common.h"

#include <iostream>

#include "core/log.h"

namespace psea::cli {

void AddStorageOptions(CLI::App& command, Config& config) {
  command.add_option("--db", config.db_url, "Database: sqlite:PATH or postgresql://...")
      ->envname("PSEA_DB")
      ->capture_default_str();
  command
      .add_option("--data-dir", config.data_dir, "Folder for the server key and encrypted files")
      ->envname("PSEA_DATA_DIR")
      ->capture_default_str();
  command
      .add_option("--argon2-profile", config.argon2_profile,
                  "Password hashing cost: interactive, moderate, or fast (tests only)")
      ->envname("PSEA_ARGON2_PROFILE")
      ->check(CLI::IsMember({"interactive", "moderate", "fast"}))
      ->capture_default_str();
  command.add_option("--log-level", config.log_level, "debug, info, warn, error or off")
      ->envname("PSEA_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

Result<std::unique_ptr<app::Application>> OpenForCommand(const Config& config) {
  log::Init(config.log_level == "info" ? "warn" : config.log_level);
  return app::Application::Open(config);
}

int Fail(const Status& status) {
  std::cerr << "psea: " << status.message();
  if (!status.field().empty()) std::cerr << " (" << status.field() << ")";
  std::cerr << "\n";
  return status.code() == ErrorCode::kInvalidArgument ? 2 : 1;
}

std::string ReadLineFromStdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace psea::cli
