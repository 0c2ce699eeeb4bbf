// The evidence log of a case, its chain of custody and attachments, and the Immediate Response
// Team's deployments. The rules live here; SQL in EvidenceStore; HTTP in handlers.cc. The case
// is reached only through cases::CasesService (AccessToCase, the purge hook).
//
// Who, per case (CasesService's need-to-know; anyone else gets kNotFound, as if the case did
// not exist):
//  - full access (cases readers, officers assigned to the case; cases.manage): read and write;
//  - the investigators of the entity the case was referred to: read (kPermissionDenied on a
//    write);
//  - the VRA, leadership and every other role: nothing (kNotFound).
// Records may be added to a closed case (evidence is returned or destroyed after closing).
//
// Custody entries are append-only and hash-chained (model.h EntryHash): entry 1 is the
// collection, made with the item; each transfer appends one. Attachments are encrypted with a
// key of their own, sealed under the server key with the plaintext's SHA-256 as associated
// data, in `files_dir` (DATA_DIR/evidence/cases/, inside the backups); their names are sealed
// under the same key. Every write, every download and every print is audited (object "case").
// Each call is one transaction: nothing half-written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/cases/service.h"
#include "modules/evidence/model.h"
#include "modules/evidence/store.h"
#include "security/audit.h"
#include "security/crypto.h"
#include "security/permissions.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::evidence {

using cases::RequestInfo;

// 10 MiB, the largest body psea takes anywhere (docs/operations.md: the proxy's limit).
inline constexpr std::int64_t kMaxAttachmentBytes = 10 * 1024 * 1024;

struct EvidenceSettings {
  std::string files_dir;  // DATA_DIR/evidence/cases
  std::int64_t max_attachment_bytes = kMaxAttachmentBytes;
  std::int64_t max_item_bytes = 200LL * 1024 * 1024;  // all attachments of one item
};

// Times are "YYYY-MM-DDTHH:MM:SSZ" (or a date, midnight UTC).
struct NewItem {
  std::string label;
  std::string description;
  std::string collected_by;
  std::string collected_at;
  std::string place_collected;
  std::string storage_location;
};

struct Transfer {
  std::optional<std::string> from_holder;  // default: the last entry's holder
  std::string to_holder;
  std::string at;
  std::string purpose;
  std::optional<std::string> status;            // default "transferred"
  std::optional<std::string> storage_location;  // default: unchanged
};

struct NewDeployment {
  std::string alerted_at;
  std::optional<std::string> deployed_at;
  std::string team;
  std::string place;
  std::string actions;
};

// One item's chain of custody, for the printable page.
struct CustodyReport {
  std::string case_reference;
  Item item;
  ItemIntegrity integrity;
  std::string printed_by;
  UnixMillis printed_at = 0;
};

class EvidenceService {
 public:
  EvidenceService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                  cases::CasesService& cases, security::SecretBytes server_key,
                  EvidenceSettings settings);

  static std::vector<storage::Migration> Migrations() { return EvidenceStore::Migrations(); }

  // Items with their custody and attachments (names opened), oldest first.
  Result<std::vector<Item>> ListItems(const security::Principal& caller, std::int64_t case_id);
  Result<Item> GetItem(const security::Principal& caller, std::int64_t case_id,
                       std::int64_t item_id);
  // kInvalidArgument naming the field (empty or too long, a malformed time); kUnprocessable
  // naming collected_at when it lies in the future. Writes entry 1 of the chain.
  Result<Item> AddItem(const security::Principal& caller, std::int64_t case_id,
                       const NewItem& request, const RequestInfo& info);
  // Appends a custody entry. kUnprocessable naming "at" when before the last entry or in the
  // future; kConflict naming "status" once the item was destroyed.
  Result<Item> AddTransfer(const security::Principal& caller, std::int64_t case_id,
                           std::int64_t item_id, const Transfer& request, const RequestInfo& info);
  // kPayloadTooLarge above the limits; kInvalidArgument naming "filename" or "file".
  Result<Attachment> AddAttachment(const security::Principal& caller, std::int64_t case_id,
                                   std::int64_t item_id, const std::string& filename,
                                   const std::string& content_type, std::string_view content,
                                   const RequestInfo& info);
  // The plaintext, checked against its SHA-256 (kInternal when it does not match). Audited.
  Result<std::pair<Attachment, std::string>> ReadAttachment(const security::Principal& caller,
                                                            std::int64_t case_id,
                                                            std::int64_t item_id,
                                                            std::int64_t attachment_id,
                                                            const RequestInfo& info);

  // Recomputes every custody chain and every attachment's SHA-256 (one item when item_id is
  // set). Never an error for damage: damage is the answer.
  Result<std::vector<ItemIntegrity>> CheckIntegrity(const security::Principal& caller,
                                                    std::int64_t case_id,
                                                    std::optional<std::int64_t> item_id);
  // The item, its chain and its integrity verdict, for the printable page. Audited.
  Result<CustodyReport> CustodyReportOf(const security::Principal& caller, std::int64_t case_id,
                                        std::int64_t item_id, const RequestInfo& info);

  Result<std::vector<Deployment>> ListDeployments(const security::Principal& caller,
                                                  std::int64_t case_id);
  // kUnprocessable naming deployed_at when before alerted_at, or a time in the future.
  Result<Deployment> AddDeployment(const security::Principal& caller, std::int64_t case_id,
                                   const NewDeployment& request, const RequestInfo& info);

  // CasesService's purge hook: deletes the case's rows and lists its files' paths.
  Result<std::int64_t> PurgeCase(storage::Connection& c, std::int64_t case_id,
                                 std::vector<std::string>& files) const;

  // `psea generate --cases N` (generator.cc): invented evidence for benchmarks, written
  // through the store in transactions of 500 cases, without access checks or audit entries.
  // Each case that reached investigation gets one to three items collected around the
  // referral, each with its hash-chained custody (the collection, and up to two transfers),
  // no attachment; every fifth of them an IRT deployment. `recorder` is who recorded it all.
  // Answers how many items and deployments were made. Never for real data.
  struct GeneratedEvidence {
    std::int64_t items = 0;
    std::int64_t custody_entries = 0;
    std::int64_t deployments = 0;
  };
  Result<GeneratedEvidence> GenerateEvidence(
      const std::vector<cases::CasesService::GeneratedCase>& cases,
      const security::Principal& recorder);

 private:
  // kNotFound unless the caller sees the case; kPermissionDenied for a write without full
  // access.
  Status CheckAccess(storage::Connection& c, const security::Principal& caller,
                     std::int64_t case_id, const std::vector<std::string>& units, bool write) const;
  Result<Item> LoadItem(storage::Connection& c, std::int64_t case_id, std::int64_t item_id,
                        bool with_names) const;
  Result<std::string> OpenFileKey(const StoredAttachment& stored) const;
  // The file's plaintext; "missing" / "undecryptable" as a failed status message.
  Result<std::string> ReadPlaintext(const StoredAttachment& stored) const;
  Status Audit(storage::Connection& c, const security::Principal& caller, std::int64_t case_id,
               const std::string& action, const RequestInfo& info,
               const std::string& details) const;
  // A time given by the caller: kInvalidArgument naming `field` when malformed, kUnprocessable
  // when in the future.
  Result<UnixMillis> PastTime(const std::string& text, const std::string& field) const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  cases::CasesService& cases_;
  security::SecretBytes server_key_;
  EvidenceSettings settings_;
  EvidenceStore store_;
};

}  // namespace psea::evidence
