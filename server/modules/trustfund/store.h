// SQL for the Trust Fund's tables (trustfund_projects, trustfund_beneficiaries,
// trustfund_transfers). Every method runs on the caller's connection, inside the caller's
// transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "modules/trustfund/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::trustfund {

class TrustFundStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  Result<std::int64_t> InsertProject(storage::Connection& c, const Project& project) const;
  // Writes every field and bumps the version when the stored version is `expected_version`;
  // false when it is not.
  Result<bool> UpdateProject(storage::Connection& c, const Project& project,
                             std::int64_t expected_version) const;
  // Bumps the version (a beneficiaries' period changed); false when it was not `expected`.
  Result<bool> TouchProject(storage::Connection& c, std::int64_t id, std::int64_t expected_version,
                            UnixMillis at, const std::string& by) const;
  Result<std::optional<Project>> FindProject(storage::Connection& c, std::int64_t id) const;
  // By start day (latest first), then id.
  Result<std::vector<Project>> ListProjects(storage::Connection& c) const;

  // A period is keyed by (project, period_start): recording it again replaces its counts.
  Status PutBeneficiaries(storage::Connection& c, const Beneficiaries& entry) const;
  // false when the project has no such entry.
  Result<bool> DeleteBeneficiaries(storage::Connection& c, std::int64_t project_id,
                                   std::int64_t entry_id) const;
  // One project's periods (by start), or every project's when `project_id` is nullopt.
  Result<std::vector<Beneficiaries>> ListBeneficiaries(
      storage::Connection& c, std::optional<std::int64_t> project_id) const;
  // People reached in periods that start within [from, to] (midnight UTC days).
  Result<std::int64_t> BeneficiariesStartingIn(storage::Connection& c, UnixMillis from,
                                               UnixMillis to) const;

  Result<std::int64_t> InsertTransfer(storage::Connection& c, const Transfer& transfer) const;
  Result<bool> UpdateTransfer(storage::Connection& c, const Transfer& transfer,
                              std::int64_t expected_version) const;
  Result<std::optional<Transfer>> FindTransfer(storage::Connection& c, std::int64_t id) const;
  // Latest first.
  Result<std::vector<Transfer>> ListTransfers(storage::Connection& c) const;
  // Unlinks a purged case's transfers; returns how many.
  Result<std::int64_t> UnlinkCase(storage::Connection& c, std::int64_t case_id) const;
};

}  // namespace psea::trustfund
