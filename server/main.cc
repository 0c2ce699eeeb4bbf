// psea: the Conduct and Discipline Team's SEA action-plan system. Thin: parse the command
// line, run the chosen subcommand.
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <iostream>

#include "cli/common.h"
#include "core/config.h"

int main(int argc, char** argv) {
  // Databases, backups, keys and evidence files are for this user only.
  ::umask(077);
  psea::Config config;
  psea::cli::Action run;
  CLI::App root{
      "psea: SEA action plan, complaints and cases for a mission's Conduct and "
      "Discipline Team"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "psea");
  psea::cli::RegisterServe(root, config, run);
  psea::cli::RegisterDemo(root, config, run);
  psea::cli::RegisterMigrate(root, config, run);
  psea::cli::RegisterVersion(root, run);
  psea::cli::RegisterUser(root, config, run);
  psea::cli::RegisterAudit(root, config, run);
  psea::cli::RegisterBackup(root, config, run);
  psea::cli::RegisterVault(root, config, run);
  psea::cli::RegisterGenerate(root, config, run);
  psea::cli::RegisterPlan(root, config, run);
  psea::cli::RegisterIntake(root, config, run);
  psea::cli::RegisterRetention(root, config, run);
  psea::cli::RegisterCases(root, config, run);
  psea::cli::RegisterMail(root, config, run);
  CLI11_PARSE(root, argc, argv);
  if (!run) return 2;
  try {
    return run();
  } catch (const std::exception& error) {
    std::cerr << "psea: " << error.what() << "\n";
    return 1;
  }
}
