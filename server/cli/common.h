// Shared pieces of the command-line tools: the options every subcommand takes and the way
// they report failure (one line on stderr, a non-zero exit code).
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "app/app.h"
#include "core/config.h"
#include "core/result.h"

namespace psea::cli {

// --db, --data-dir, --argon2-profile, --log-level, each also read from PSEA_* variables.
void AddStorageOptions(CLI::App& command, Config& config);

// Opens the application for a one-shot command (logs only warnings and errors).
Result<std::unique_ptr<app::Application>> OpenForCommand(const Config& config);

// Prints "psea: <message>" to stderr and returns the exit code for `status`.
int Fail(const Status& status);

// Reads one line (without the newline) from standard input.
std::string ReadLineFromStdin();

// --listen, --threads, --web, --port-file, --trust-proxy and the session timeouts.
void AddServeOptions(CLI::App& command, Config& config);

// --reminder-hour, --reminder-poll-seconds, --reminder-within-days (cli/cases.cc).
void AddReminderOptions(CLI::App& command, Config& config);

// Subcommands; each registers itself on `root` and sets `run` to its action.
using Action = std::function<int()>;
void RegisterServe(CLI::App& root, Config& config, Action& run);
void RegisterMigrate(CLI::App& root, Config& config, Action& run);
void RegisterVersion(CLI::App& root, Action& run);
void RegisterUser(CLI::App& root, Config& config, Action& run);
void RegisterAudit(CLI::App& root, Config& config, Action& run);
void RegisterBackup(CLI::App& root, Config& config, Action& run);
void RegisterVault(CLI::App& root, Config& config, Action& run);
void RegisterDemo(CLI::App& root, Config& config, Action& run);
void RegisterGenerate(CLI::App& root, Config& config, Action& run);
void RegisterPlan(CLI::App& root, Config& config, Action& run);
void RegisterIntake(CLI::App& root, Config& config, Action& run);
void RegisterRetention(CLI::App& root, Config& config, Action& run);
void RegisterCases(CLI::App& root, Config& config, Action& run);
void RegisterMail(CLI::App& root, Config& config, Action& run);

}  // namespace psea::cli
