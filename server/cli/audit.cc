#include <iostream>

#include "cli/common.h"

namespace psea::cli {

void RegisterAudit(CLI::App& root, Config& config, Action& run) {
  CLI::App* audit = root.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Walk the audit chain; exit 1 naming the first altered, removed or reordered entry");
  AddStorageOptions(*verify, config);
  verify->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = security::AuditLog::Verify((*app)->database());
      if (!report.ok()) return Fail(report.status());
      if (!report->ok) {
        std::cerr << "audit chain BROKEN at entry " << report->first_bad_id << ": "
                  << report->problem << "\n";
        return 1;
      }
      std::cout << "audit chain intact: " << report->entries_checked << " entries\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
