// SQL for the paternity tables (paternity_claims, paternity_custody, paternity_support,
// paternity_payments). Every method runs on the caller's connection, inside the caller's
// transaction. Custody entries and payments are never changed or deleted. File, case and subject
// ids have no foreign key: they are other modules' rows.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "modules/paternity/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::paternity {

class PaternityStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  Result<std::int64_t> InsertClaim(storage::Connection& c, const Claim& claim) const;
  // Writes the clear half where the version is still `expected` (then version + 1). False when
  // another change came first.
  Result<bool> UpdateClaim(storage::Connection& c, const Claim& claim, std::int64_t expected) const;
  // With its custody, support and payments; nullopt when there is no such claim.
  Result<std::optional<Claim>> FindClaim(storage::Connection& c, std::int64_t id) const;
  // The claims of a file, oldest first, with their lists.
  Result<std::vector<Claim>> ClaimsOfFile(storage::Connection& c, std::int64_t file_id) const;

  Status InsertCustody(storage::Connection& c, const CustodyEntry& entry) const;
  Result<std::int64_t> InsertSupport(storage::Connection& c, const Support& support) const;
  Result<std::int64_t> InsertPayment(storage::Connection& c, const Payment& payment) const;

  // (claim id, file id, sealed item) of every claim with a sealed part.
  struct SealedItem {
    std::int64_t claim_id = 0;
    std::int64_t file_id = 0;
    std::int64_t item = 0;
  };
  Result<std::vector<SealedItem>> SealedItems(storage::Connection& c) const;
  // The retention purge of a case: claims naming it keep going without their case and subject
  // (assistance is due whatever becomes of the case). Returns how many claims changed.
  Result<std::int64_t> UnlinkCase(storage::Connection& c, std::int64_t case_id) const;
  // Every claim's claim date and closing, for the figure and the indicators.
  Result<std::vector<ClaimSpan>> Spans(storage::Connection& c) const;
};

}  // namespace psea::paternity
