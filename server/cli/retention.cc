#include <iostream>

#include "cli/common.h"
#include "modules/retention/model.h"

namespace psea::cli {

namespace {
void PrintIds(const char* label, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  std::cout << "    " << label << ":";
  for (std::int64_t id : ids) std::cout << " " << id;
  std::cout << "\n";
}
}  // namespace

void RegisterRetention(CLI::App& root, Config& config, Action& run) {
  static bool dry_run = false;
  static std::string as_of_text;
  CLI::App* retention = root.add_subcommand("retention", "Retention of records (purges)");
  retention->require_subcommand(1);

  CLI::App* purge = retention->add_subcommand(
      "run",
      "Delete what the retention policies (set by the CDT chief) say is due: closed complaints "
      "with their sealed items, wraps and attachment files, closed cases with their victims, "
      "subjects, timeline and sealed identities, quarantined messages, ended sessions, the "
      "oldest audit entries. One transaction; one audit entry with the counts. Complaints and "
      "cases on legal hold are never deleted");
  AddStorageOptions(*purge, config);
  purge->add_flag(
      "--dry-run", dry_run,
      "Only list what would be deleted (kinds, counts, complaint and case ids, held ones)");
  purge->add_option("--as-of", as_of_text,
                    "Count the policies' days back from this date (YYYY-MM-DD or ISO 8601 UTC) "
                    "instead of now: with --dry-run, what a later run will delete; without it, "
                    "for drills on a copy of the database");
  purge->callback([&config, &run] {
    run = [&config] {
      std::optional<UnixMillis> as_of;
      if (!as_of_text.empty()) {
        const std::string text = as_of_text.size() == 10 ? as_of_text + "T00:00:00Z" : as_of_text;
        as_of = ParseIso8601(text);
        if (!as_of) {
          return Fail(
              InvalidArgument("--as-of must be YYYY-MM-DD or an ISO 8601 UTC time", "as-of"));
        }
      }
      auto app = OpenForCommand(config);
      if (!app.ok()) return Fail(app.status());
      auto report = (*app)->retention().Run(dry_run, {"cli", ""}, as_of);
      if (!report.ok()) return Fail(report.status());
      std::cout << (report->dry_run ? "retention dry run" : "retention run") << " as of "
                << FormatIso8601(report->as_of) << "\n";
      for (const auto& kind : report->kinds) {
        std::cout << "  " << retention::KindName(kind.kind) << ": ";
        if (!kind.enabled) {
          std::cout << "off\n";
          continue;
        }
        std::cout << kind.count << (report->dry_run ? " due" : " deleted") << " (older than "
                  << kind.after_days << " days, before " << FormatIso8601(kind.cutoff) << ")\n";
        PrintIds(retention::ObjectTypeOf(kind.kind) == "case" ? "cases" : "complaints", kind.ids);
        PrintIds("held", kind.held);
        PrintIds("kept (a duplicate of it stays)", kind.kept_for_duplicates);
      }
      if (!report->dry_run) {
        std::cout << "  sealed items destroyed: " << report->vault_items
                  << ", attachment files erased: " << report->files << "\n";
      }
      return 0;
    };
  });
}

}  // namespace psea::cli
