#include <iostream>

#include "cli/common.h"

namespace psea::cli {

void RegisterAudit(CLI::App& root, Config& config, Action& run) {
  static std::string anchor_text;
  CLI::App* audit = root.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);

  CLI::App* verify = audit->add_subcommand(
      "verify",
      "Walk the audit chain; exit 1 naming the first altered, removed or reordered entry, an "
      "entry past the head, or (with --anchor) an anchor the chain no longer holds");
  AddStorageOptions(*verify, config);
  verify->add_option("--anchor", anchor_text,
                     "ID:HASH printed earlier by `psea audit anchor` and kept off the server: "
                     "proves the chain still holds that entry unchanged (catches a rewritten "
                     "chain and entries cut below it)");
  verify->callback([&config, &run] {
    run = [&config] {
      std::optional<security::AuditAnchor> anchor;
      if (!anchor_text.empty()) {
        auto parsed = security::ParseAuditAnchor(anchor_text);
        if (!parsed.ok()) return Fail(parsed.status());
        anchor = *parsed;
      }
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = security::AuditLog::Verify((*app)->database(), anchor);
      if (!report.ok()) return Fail(report.status());
      if (!report->ok) {
        std::cerr << "audit chain BROKEN at entry " << report->first_bad_id << ": "
                  << report->problem << "\n";
        return 1;
      }
      std::cout << "audit chain intact: " << report->entries_checked << " entries";
      if (report->base.id > 0) {
        std::cout << " (retention removed entries up to " << report->base.id
                  << "; the chain starts from its hash)";
      }
      if (report->anchor_checked) std::cout << ", anchor " << anchor->id << " holds";
      std::cout << "\n";
      return 0;
    };
  });

  CLI::App* anchor = audit->add_subcommand(
      "anchor",
      "Verify the chain, then print its head as ID:HASH for keeping off the server (exit 1 "
      "when the chain is broken)");
  AddStorageOptions(*anchor, config);
  anchor->callback([&config, &run] {
    run = [&config] {
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      // Anchoring a broken chain would vouch for the tampering.
      auto report = security::AuditLog::Verify((*app)->database());
      if (!report.ok()) return Fail(report.status());
      if (!report->ok) {
        std::cerr << "audit chain BROKEN at entry " << report->first_bad_id << ": "
                  << report->problem << "\nno anchor printed\n";
        return 1;
      }
      std::cout << security::FormatAuditAnchor(report->head) << "\n";
      std::cerr << "Keep this line off this server (mail it to the Conduct and Discipline "
                   "Team, print it); later `psea audit verify --anchor "
                << security::FormatAuditAnchor(report->head)
                << "` proves that no entry up to it was rewritten or removed.\n";
      return 0;
    };
  });
}

}  // namespace psea::cli
