// SQL for the evidence tables (evidence_items, evidence_custody, evidence_attachments,
// irt_deployments). Every method runs on the caller's connection, inside the caller's
// transaction. Custody entries are only ever inserted (and deleted with their case by the
// retention purge): no statement here updates one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/evidence/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::evidence {

// An attachment as stored: the file's name in the data folder, its key sealed under the
// server key, its original name sealed under its own key.
struct StoredAttachment {
  Attachment attachment;  // filename left empty
  std::string stored_name;
  std::string file_key_sealed;
  std::string filename_sealed;
};

class EvidenceStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  Result<std::int64_t> InsertItem(storage::Connection& c, const Item& item) const;
  // The item's status and storage location after a new custody entry.
  Status SetItemState(storage::Connection& c, std::int64_t item_id, const std::string& status,
                      const std::string& storage_location) const;
  // Oldest first, without their lists.
  Result<std::vector<Item>> ListItems(storage::Connection& c, std::int64_t case_id) const;
  Result<std::optional<Item>> FindItem(storage::Connection& c, std::int64_t case_id,
                                       std::int64_t item_id) const;

  Result<std::int64_t> InsertCustody(storage::Connection& c, const CustodyEntry& entry) const;
  // In seq order.
  Result<std::vector<CustodyEntry>> Custody(storage::Connection& c, std::int64_t item_id) const;

  Result<std::int64_t> InsertAttachment(storage::Connection& c, std::int64_t item_id,
                                        const StoredAttachment& attachment) const;
  Result<std::vector<StoredAttachment>> Attachments(storage::Connection& c,
                                                    std::int64_t item_id) const;
  Result<std::optional<StoredAttachment>> FindAttachment(storage::Connection& c,
                                                         std::int64_t item_id,
                                                         std::int64_t attachment_id) const;
  Result<std::int64_t> AttachmentBytes(storage::Connection& c, std::int64_t item_id) const;

  Result<std::int64_t> InsertDeployment(storage::Connection& c, const Deployment& d) const;
  // Earliest alert first.
  Result<std::vector<Deployment>> Deployments(storage::Connection& c, std::int64_t case_id) const;

  // Deletes every row of the case; returns how many items and deployments went, and appends
  // the stored names of the attachments' files to `stored_names`.
  Result<std::int64_t> DeleteCase(storage::Connection& c, std::int64_t case_id,
                                  std::vector<std::string>& stored_names) const;
};

}  // namespace psea::evidence
