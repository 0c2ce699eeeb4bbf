// SQL for the assistance tables (assistance_files, assistance_file_cases, assistance_designees,
// assistance_consents, assistance_needs). Every method runs on the caller's connection, inside
// the caller's transaction. Consents are never deleted (a withdrawal updates the row); case ids
// have no foreign key (cases are another module's tables: the purge hook unlinks them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "modules/assistance/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::assistance {

struct FileFilter {
  std::optional<std::string> status;
  std::optional<std::string> prefecture;
  std::optional<std::string> age_group;
  std::optional<std::string> need;       // files with an open need of this type
  std::optional<std::int64_t> case_id;   // files linked to this case
  std::optional<std::int64_t> designee;  // only the files this user is designated for
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

// A list row: the clear half and a few counts, for the VRA's list.
struct FileSummary {
  AssistanceFile file;  // without its lists
  std::int64_t open_needs = 0;
  std::int64_t urgent_needs = 0;  // open needs of urgency "immediate"
  std::int64_t cases = 0;
};

class AssistanceStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // The next number of the year's references (1 for the first).
  Result<std::int64_t> NextReferenceNumber(storage::Connection& c, const std::string& prefix) const;
  Result<std::int64_t> InsertFile(storage::Connection& c, const AssistanceFile& file) const;
  // Writes the clear half where the version is still `expected` (then version + 1). Returns
  // false when another change came first.
  Result<bool> UpdateFile(storage::Connection& c, const AssistanceFile& file,
                          std::int64_t expected) const;
  // Without its lists.
  Result<std::optional<AssistanceFile>> FindFile(storage::Connection& c, std::int64_t id) const;
  // Newest first; `total` gets how many pass the filter.
  Result<std::vector<FileSummary>> ListFiles(storage::Connection& c, const FileFilter& filter,
                                             std::int64_t& total) const;

  Result<std::vector<CaseLink>> CaseLinks(storage::Connection& c, std::int64_t file_id) const;
  // kConflict naming case_id when linked already.
  Status LinkCase(storage::Connection& c, std::int64_t file_id, const CaseLink& link) const;
  Result<bool> UnlinkCase(storage::Connection& c, std::int64_t file_id, std::int64_t case_id) const;
  // The retention purge of a case: its links go, the files stay.
  Result<std::int64_t> UnlinkCaseEverywhere(storage::Connection& c, std::int64_t case_id) const;

  // (file id, identity item) of every file with a sealed identity.
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> IdentityItems(
      storage::Connection& c) const;

  // The files `user` is designated for.
  Result<std::vector<std::int64_t>> FilesOfDesignee(storage::Connection& c,
                                                    std::int64_t user) const;
  // The identity items of the files `user` is designated for.
  Result<std::vector<std::int64_t>> IdentityItemsOfDesignee(storage::Connection& c,
                                                            std::int64_t user) const;
  Result<std::vector<Designee>> Designees(storage::Connection& c, std::int64_t file_id) const;
  Result<bool> IsDesignee(storage::Connection& c, std::int64_t file_id, std::int64_t user) const;
  // kConflict naming user_id when designated already.
  Status AddDesignee(storage::Connection& c, std::int64_t file_id, const Designee& designee) const;
  Result<bool> RemoveDesignee(storage::Connection& c, std::int64_t file_id,
                              std::int64_t user) const;

  Result<std::int64_t> InsertConsent(storage::Connection& c, const Consent& consent) const;
  // Oldest first.
  Result<std::vector<Consent>> Consents(storage::Connection& c, std::int64_t file_id) const;
  Result<std::optional<Consent>> FindConsent(storage::Connection& c, std::int64_t file_id,
                                             std::int64_t consent_id) const;
  // Sets the withdrawal of a consent not withdrawn yet; false when it was.
  Result<bool> WithdrawConsent(storage::Connection& c, const Consent& withdrawn) const;

  Result<std::int64_t> InsertNeed(storage::Connection& c, const Need& need) const;
  // Oldest first.
  Result<std::vector<Need>> Needs(storage::Connection& c, std::int64_t file_id) const;
  Result<std::optional<Need>> FindNeed(storage::Connection& c, std::int64_t file_id,
                                       std::int64_t need_id) const;
  Status UpdateNeed(storage::Connection& c, const Need& need) const;
};

}  // namespace psea::assistance
