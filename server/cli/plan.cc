#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/common.h"

namespace psea::cli {

void RegisterPlan(CLI::App& root, Config& config, Action& run) {
  static std::string file;
  CLI::App* plan = root.add_subcommand("plan", "Action plans");
  plan->require_subcommand(1);
  CLI::App* import = plan->add_subcommand(
      "import",
      "Validate a plan file (docs/plan-format.md) and import it as a new plan or version");
  AddStorageOptions(*import, config);
  import->add_option("file", file, "The plan file (YAML)")->required()->check(CLI::ExistingFile);
  import->callback([&config, &run] {
    run = [&config] {
      std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  security::Principal cli;
  cli.username = "cli";
  auto summary = (*app)->plans().Import(cli, text.str(), "");
  if (!summary.ok()) {
    std::cerr << "psea: " << file << ": " << summary.status().message() << "\n";
    return 1;
  }
  std::cout << "imported " << summary->key << " version " << summary->version << " (plan id "
            << summary->id << ", version " << summary->version_number << ")\n";
  if (!summary->unmatched_partners.empty()) {
    std::cout << "partners that match no unit (resolve them in the Units page or add aliases):\n";
    for (const auto& name : summary->unmatched_partners) std::cout << "  - " << name << "\n";
  }
  return 0;
};
}  // namespace psea::cli
);
}

}  // namespace psea::cli
