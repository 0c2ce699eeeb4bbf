#include <iostream>

#include "cli/common.h"
#include "security/crypto.h"

namespace psea::cli {

namespace {
std::string case_reader_username;

int ListCaseReaders(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  auto readers = (*app)->cases().ListReadersForConsole();
  if (!readers.ok()) return Fail(readers.status());
  auto users = (*app)->accounts().ListUsers();
  if (!users.ok()) return Fail(users.status());
  if (readers->empty()) std::cout << "no cases reader is designated\n";
  for (const auto& reader : *readers) {
    std::string name = "(deleted user " + std::to_string(reader.user_id) + ")";
    for (const auto& user : *users) {
      if (user.id == reader.user_id) name = user.username;
    }
    std::cout << name << "\tadded by " << reader.added_by_name << " on "
              << FormatIso8601(reader.added_at) << "\n";
  }
  return 0;
}

int AddCaseReader(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  std::cerr << "Recovery key (base64), then Enter: " << std::flush;
  const std::string recovery_key = ReadLineFromStdin();
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto granted = (*app)->cases().AddReaderFromConsole(case_reader_username, recovery_key, info);
  if (!granted.ok()) return Fail(granted.status());
  std::cout << case_reader_username << " is a cases reader; " << *granted
            << " victim and subject identities were granted from the recovery key\n";
  return 0;
}

int RemoveCaseReader(const Config& config) {
  auto app = OpenForCommand(config);
  if (!app.ok()) return Fail(app.status());
  intake::RequestInfo info{"console", security::HexEncode(security::RandomBytes(8))};
  auto revoked = (*app)->cases().RemoveReaderFromConsole(case_reader_username, info);
  if (!revoked.ok()) return Fail(revoked.status());
  std::cout << case_reader_username << " is no longer a cases reader; " << *revoked
            << " identities were revoked (those of the cases they are assigned to stay)\n";
  return 0;
}
}  // namespace

void RegisterCases(CLI::App& root, Config& config, Action& run) {
  CLI::App* cases = root.add_subcommand("cases", "Allegation cases");
  cases->require_subcommand(1);
  CLI::App* readers = cases->add_subcommand(
      "readers",
      "The cases readers, who open every case and its sealed victim and subject identities and "
      "assign officers to cases. A role makes an account eligible (CDT chief or officer), never "
      "a reader");
  readers->require_subcommand(1);
  CLI::App* list = readers->add_subcommand("list", "List the cases readers");
  AddStorageOptions(*list, config);
  list->callback([&config, &run] { run = [&config] { return ListCaseReaders(config); }; });
  CLI::App* add = readers->add_subcommand(
      "add",
      "Designate a cases reader (the first one, when no reader can add one, or to give a new "
      "reader the cases the adder could not open). Reads the organisation's recovery key from "
      "standard input; the new reader receives every case identity from its copies. Audited");
  add->add_option("--username", case_reader_username, "An active CDT chief or CDT officer")
      ->required();
  AddStorageOptions(*add, config);
  add->callback([&config, &run] { run = [&config] { return AddCaseReader(config); }; });
  CLI::App* remove = readers->add_subcommand(
      "remove",
      "Remove a cases reader and revoke their access at once, except to the cases they are "
      "assigned to (never the last reader)");
  remove->add_option("--username", case_reader_username, "The reader to remove")->required();
  AddStorageOptions(*remove, config);
  remove->callback([&config, &run] { run = [&config] { return RemoveCaseReader(config); }; });
}

}  // namespace psea::cli
