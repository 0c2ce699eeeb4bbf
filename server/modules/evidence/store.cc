#include "modules/evidence/store.h"

namespace psea::evidence {

using storage::Blob;
using storage::Connection;

namespace {
constexpr const char* kItemColumns =
    "id, case_id, label, description, collected_by, collected_at, place_collected, "
    "storage_location, status, created_by, created_by_username, created_at";

Item ItemFromRow(const storage::Row& row) {
  Item item;
  item.id = row.Int(0);
  item.case_id = row.Int(1);
  item.label = row.Text(2);
  item.description = row.Text(3);
  item.collected_by = row.Text(4);
  item.collected_at = row.Int(5);
  item.place_collected = row.Text(6);
  item.storage_location = row.Text(7);
  item.status = row.Text(8);
  item.created_by = row.Int(9);
  item.created_by_username = row.Text(10);
  item.created_at = row.Int(11);
  return item;
}

constexpr const char* kAttachmentColumns =
    "id, item_id, content_type, size, sha256, added_by, added_by_username, added_at, "
    "stored_name, file_key_sealed, filename_sealed";

StoredAttachment AttachmentFromRow(const storage::Row& row) {
  StoredAttachment stored;
  Attachment& a = stored.attachment;
  a.id = row.Int(0);
  a.item_id = row.Int(1);
  a.content_type = row.Text(2);
  a.size = row.Int(3);
  a.sha256 = row.Text(4);
  a.added_by = row.Int(5);
  a.added_by_username = row.Text(6);
  a.added_at = row.Int(7);
  stored.stored_name = row.Text(8);
  stored.file_key_sealed = row.Bytes(9);
  stored.filename_sealed = row.Bytes(10);
  return stored;
}

constexpr const char* kDeploymentColumns =
    "id, case_id, alerted_at, deployed_at, team, place, actions, created_by, "
    "created_by_username, created_at";

Deployment DeploymentFromRow(const storage::Row& row) {
  Deployment d;
  d.id = row.Int(0);
  d.case_id = row.Int(1);
  d.alerted_at = row.Int(2);
  d.deployed_at = row.OptInt(3);
  d.team = row.Text(4);
  d.place = row.Text(5);
  d.actions = row.Text(6);
  d.created_by = row.Int(7);
  d.created_by_username = row.Text(8);
  d.created_at = row.Int(9);
  return d;
}
}  // namespace

std::vector<storage::Migration> EvidenceStore::Migrations() {
  // case_id has no foreign key: cases are another module's table (the purge hook deletes).
  return {{"evidence", 1, "evidence items, chain of custody, attachments, IRT deployments", R"sql(
CREATE TABLE evidence_items (
  id {{ID}},
  case_id BIGINT NOT NULL,
  label TEXT NOT NULL,
  description TEXT NOT NULL,
  collected_by TEXT NOT NULL,
  collected_at BIGINT NOT NULL,
  place_collected TEXT NOT NULL,
  storage_location TEXT NOT NULL,
  status TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX evidence_items_case ON evidence_items (case_id);
CREATE TABLE evidence_custody (
  id {{ID}},
  item_id BIGINT NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  from_holder TEXT NOT NULL,
  to_holder TEXT NOT NULL,
  at BIGINT NOT NULL,
  purpose TEXT NOT NULL,
  status TEXT NOT NULL,
  storage_location TEXT NOT NULL,
  recorded_by BIGINT NOT NULL,
  recorded_by_username TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (item_id, seq)
);
CREATE TABLE evidence_attachments (
  id {{ID}},
  item_id BIGINT NOT NULL REFERENCES evidence_items (id) ON DELETE CASCADE,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  added_by BIGINT NOT NULL,
  added_by_username TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  stored_name TEXT NOT NULL,
  file_key_sealed {{BLOB}} NOT NULL,
  filename_sealed {{BLOB}} NOT NULL
);
CREATE INDEX evidence_attachments_item ON evidence_attachments (item_id);
CREATE TABLE irt_deployments (
  id {{ID}},
  case_id BIGINT NOT NULL,
  alerted_at BIGINT NOT NULL,
  deployed_at BIGINT,
  team TEXT NOT NULL,
  place TEXT NOT NULL,
  actions TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX irt_deployments_case ON irt_deployments (case_id);
)sql"}};
}

Result<std::int64_t> EvidenceStore::InsertItem(Connection& c, const Item& item) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO evidence_items (case_id, label, description, collected_by, "
                 "collected_at, place_collected, storage_location, status, created_by, "
                 "created_by_username, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id",
                 {item.case_id, item.label, item.description, item.collected_by, item.collected_at,
                  item.place_collected, item.storage_location, item.status, item.created_by,
                  item.created_by_username, item.created_at}));
  if (!row) return Internal("the evidence item was not stored");
  return row->Int(0);
}

Status EvidenceStore::SetItemState(Connection& c, std::int64_t item_id, const std::string& status,
                                   const std::string& storage_location) const {
  return c
      .Execute("UPDATE evidence_items SET status = ?, storage_location = ? WHERE id = ?",
               {status, storage_location, item_id})
      .status();
}

Result<std::vector<Item>> EvidenceStore::ListItems(Connection& c, std::int64_t case_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kItemColumns +
                                          " FROM evidence_items WHERE case_id = ? ORDER BY id",
                                      {case_id}));
  std::vector<Item> items;
  for (const auto& row : rows.rows) items.push_back(ItemFromRow(row));
  return items;
}

Result<std::optional<Item>> EvidenceStore::FindItem(Connection& c, std::int64_t case_id,
                                                    std::int64_t item_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kItemColumns +
                                            " FROM evidence_items WHERE case_id = ? AND id = ?",
                                        {case_id, item_id}));
  if (!row) return std::optional<Item>();
  return std::optional<Item>(ItemFromRow(*row));
}

Result<std::int64_t> EvidenceStore::InsertCustody(Connection& c, const CustodyEntry& e) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO evidence_custody (item_id, seq, from_holder, to_holder, at, "
                 "purpose, status, storage_location, recorded_by, recorded_by_username, "
                 "recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "RETURNING id",
                 {e.item_id, e.seq, e.from_holder, e.to_holder, e.at, e.purpose, e.status,
                  e.storage_location, e.recorded_by, e.recorded_by_username, e.recorded_at,
                  e.prev_hash, e.hash}));
  if (!row) return Internal("the custody entry was not stored");
  return row->Int(0);
}

Result<std::vector<CustodyEntry>> EvidenceStore::Custody(Connection& c,
                                                         std::int64_t item_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, item_id, seq, from_holder, to_holder, at, purpose, status, "
                           "storage_location, recorded_by, recorded_by_username, recorded_at, "
                           "prev_hash, hash FROM evidence_custody WHERE item_id = ? ORDER BY seq",
                           {item_id}));
  std::vector<CustodyEntry> out;
  for (const auto& row : rows.rows) {
    CustodyEntry e;
    e.id = row.Int(0);
    e.item_id = row.Int(1);
    e.seq = row.Int(2);
    e.from_holder = row.Text(3);
    e.to_holder = row.Text(4);
    e.at = row.Int(5);
    e.purpose = row.Text(6);
    e.status = row.Text(7);
    e.storage_location = row.Text(8);
    e.recorded_by = row.Int(9);
    e.recorded_by_username = row.Text(10);
    e.recorded_at = row.Int(11);
    e.prev_hash = row.Text(12);
    e.hash = row.Text(13);
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::int64_t> EvidenceStore::InsertAttachment(Connection& c, std::int64_t item_id,
                                                     const StoredAttachment& stored) const {
  const Attachment& a = stored.attachment;
  ASSIGN_OR_RETURN(
      auto row, c.QueryOne("INSERT INTO evidence_attachments (item_id, content_type, size, sha256, "
                           "added_by, added_by_username, added_at, stored_name, file_key_sealed, "
                           "filename_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           {item_id, a.content_type, a.size, a.sha256, a.added_by,
                            a.added_by_username, a.added_at, stored.stored_name,
                            Blob{stored.file_key_sealed}, Blob{stored.filename_sealed}}));
  if (!row) return Internal("the attachment was not stored");
  return row->Int(0);
}

Result<std::vector<StoredAttachment>> EvidenceStore::Attachments(Connection& c,
                                                                 std::int64_t item_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query(std::string("SELECT ") + kAttachmentColumns +
                               " FROM evidence_attachments WHERE item_id = ? ORDER BY id",
                           {item_id}));
  std::vector<StoredAttachment> out;
  for (const auto& row : rows.rows) out.push_back(AttachmentFromRow(row));
  return out;
}

Result<std::optional<StoredAttachment>> EvidenceStore::FindAttachment(
    Connection& c, std::int64_t item_id, std::int64_t attachment_id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne(std::string("SELECT ") + kAttachmentColumns +
                                  " FROM evidence_attachments WHERE item_id = ? AND id = ?",
                              {item_id, attachment_id}));
  if (!row) return std::optional<StoredAttachment>();
  return std::optional<StoredAttachment>(AttachmentFromRow(*row));
}

Result<std::int64_t> EvidenceStore::AttachmentBytes(Connection& c, std::int64_t item_id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM evidence_attachments WHERE "
                 "item_id = ?",
                 {item_id}));
  return row ? row->Int(0) : 0;
}

Result<std::int64_t> EvidenceStore::InsertDeployment(Connection& c, const Deployment& d) const {
  storage::Value deployed = storage::Null();
  if (d.deployed_at) deployed = *d.deployed_at;
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO irt_deployments (case_id, alerted_at, deployed_at, "
                              "team, place, actions, created_by, created_by_username, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {d.case_id, d.alerted_at, deployed, d.team, d.place, d.actions,
                               d.created_by, d.created_by_username, d.created_at}));
  if (!row) return Internal("the deployment was not stored");
  return row->Int(0);
}

Result<std::vector<Deployment>> EvidenceStore::Deployments(Connection& c,
                                                           std::int64_t case_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query(std::string("SELECT ") + kDeploymentColumns +
                               " FROM irt_deployments WHERE case_id = ? ORDER BY alerted_at, id",
                           {case_id}));
  std::vector<Deployment> out;
  for (const auto& row : rows.rows) out.push_back(DeploymentFromRow(row));
  return out;
}

Result<std::int64_t> EvidenceStore::DeleteCase(Connection& c, std::int64_t case_id,
                                               std::vector<std::string>& stored_names) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT a.stored_name FROM evidence_attachments a JOIN "
                                      "evidence_items i ON i.id = a.item_id WHERE i.case_id = ?",
                                      {case_id}));
  for (const auto& row : rows.rows) stored_names.push_back(row.Text(0));
  // Children first: no engine is trusted to cascade (SQLite needs foreign_keys=ON).
  RETURN_IF_ERROR(c.Execute("DELETE FROM evidence_attachments WHERE item_id IN (SELECT id FROM "
                            "evidence_items WHERE case_id = ?)",
                            {case_id})
                      .status());
  RETURN_IF_ERROR(c.Execute("DELETE FROM evidence_custody WHERE item_id IN (SELECT id FROM "
                            "evidence_items WHERE case_id = ?)",
                            {case_id})
                      .status());
  ASSIGN_OR_RETURN(std::int64_t items,
                   c.Execute("DELETE FROM evidence_items WHERE case_id = ?", {case_id}));
  ASSIGN_OR_RETURN(std::int64_t deployments,
                   c.Execute("DELETE FROM irt_deployments WHERE case_id = ?", {case_id}));
  return items + deployments;
}

}  // namespace psea::evidence
