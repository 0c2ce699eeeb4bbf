// Paternity claims and child support (issue 13). The rules live here; SQL in PaternityStore;
// HTTP in handlers.cc. Assistance files are reached only through assistance::AssistanceService
// (GetFile decides who sees a file), cases only through cases::CasesService (Get).
//
// Need-to-know: a claim belongs to a victim's assistance file and is seen by exactly those who
// see the file: the Victims' Rights Advocate (IsAdvocate) and the people she designated for the
// file (read only). Anyone else gets kNotFound, as if the claim did not exist: the case's
// officers and investigators do not learn that a claim exists (docs/security.md). Only a VRA
// writes.
//
// The child's name and date of birth and the mother's or guardian's wishes are one vault item
// sealed for the victims readers (intake::kVictimReaderScope) and the file's designees, opened
// only by RevealSealed: a victims reader or designee who sees the file, with a recent proof of
// presence (2FA) and a key that opens it; every opening is audited.
//
// Every change is one transaction and audited (object "paternity_claim") and raises the claim's
// version. Changes to the clear half carry the version the caller read (If-Match: 412; the
// body's version: 409). A closed claim refuses every change but reopening (kConflict, "status").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/assistance/service.h"
#include "modules/cases/service.h"
#include "modules/paternity/model.h"
#include "modules/paternity/store.h"
#include "security/audit.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"

namespace psea::paternity {

using cases::VersionSource;
using intake::RequestInfo;

// Times are "YYYY-MM-DDTHH:MM:SSZ" or a date (midnight UTC).
struct NewClaim {
  std::int64_t file_id = 0;
  std::optional<std::int64_t> case_id;
  std::optional<std::int64_t> subject_id;
  std::string claim_date;  // empty: today
  std::optional<SealedPart> sealed;
};

struct ClaimPatch {
  std::optional<std::optional<std::int64_t>> case_id;  // null unlinks (with the subject)
  std::optional<std::optional<std::int64_t>> subject_id;
  std::optional<std::string> claim_date;
  std::optional<std::string> ms_notified_at;  // "" clears
  std::optional<std::string> ms_reference;
  std::optional<std::string> lab;
  std::optional<std::string> tested_at;  // "" clears
  std::optional<std::string> result;
  std::optional<std::string> result_at;  // "" clears
  std::optional<std::string> status;     // "closed" closes, "open" reopens
};

struct NewSample {
  std::string collected_by;
  std::string collected_at;
  std::string place;
  bool seal_intact = true;
  std::string note;
};

struct NewHandOver {
  std::string from_holder;
  std::string to_holder;
  std::string at;
  std::string place;
  bool seal_intact = true;
  std::string note;
};

struct NewSupport {
  std::string kind;
  std::int64_t amount_cents = 0;
  std::string currency;
  std::string frequency;
  std::string payer;
  std::string starts_on;
  std::string note;
};

struct NewPayment {
  std::string on;
  std::int64_t amount_cents = 0;
  std::string state;
  std::string note;
};

struct ClaimView {
  Claim claim;
  CustodyCheck custody;
  std::string case_reference;  // "" when none or the caller does not see the case
  bool can_work = false;       // a VRA
  bool has_sealed = false;
  bool can_reveal = false;  // a victims reader or designee of the file
};

struct AgeFigure {
  AgeBands bands;
  UnixMillis at = 0;
};

struct ReaderSync {
  std::int64_t granted = 0;
  std::int64_t revoked = 0;
  std::int64_t unopened = 0;
};

class PaternityService {
 public:
  PaternityService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                   const security::Vault& vault, const security::KeyRing& keyring,
                   assistance::AssistanceService& assistance, cases::CasesService& cases);

  static std::vector<storage::Migration> Migrations() { return PaternityStore::Migrations(); }

  // The claims of a file the caller sees (kNotFound otherwise).
  Result<std::vector<ClaimView>> ListClaims(const security::Principal& caller,
                                            std::int64_t file_id);
  Result<ClaimView> GetClaim(const security::Principal& caller, std::int64_t id);

  // A VRA (kPermissionDenied; kNotFound when she does not see the file). kInvalidArgument
  // naming the field for malformed input; kUnprocessable naming claim_date in the future,
  // case_id (not linked to the file, or not seen), subject_id (not a subject of that case, or
  // given without case_id), sealed (nobody could open it).
  Result<ClaimView> CreateClaim(const security::Principal& caller, const NewClaim& request,
                                const RequestInfo& info);
  // kUnprocessable naming the first date out of order (model.h CheckDateOrder).
  Result<ClaimView> UpdateClaim(const security::Principal& caller, std::int64_t id,
                                const ClaimPatch& patch, std::optional<std::int64_t> version,
                                VersionSource source, const RequestInfo& info);
  // Seals (or replaces) the child's name and date of birth and the wishes.
  Result<ClaimView> SetSealed(const security::Principal& caller, std::int64_t id,
                              const SealedPart& sealed, const RequestInfo& info);
  // A victims reader or designee of the file with an unlocked key and a recent proof
  // (kReauthRequired); kPermissionDenied when their key does not open it or they are neither;
  // kNotFound when nothing is sealed. Audited (paternity.sealed.reveal).
  Result<SealedPart> RevealSealed(const security::Principal& caller, std::int64_t id,
                                  const RequestInfo& info);

  // The collection of the DNA sample (custody entry 1); kConflict naming sample when collected
  // already; kUnprocessable naming collected_at before the claim date or in the future.
  Result<ClaimView> CollectSample(const security::Principal& caller, std::int64_t id,
                                  const NewSample& request, const RequestInfo& info);
  // A hand-over: from the current holder (kUnprocessable naming from_holder otherwise), not
  // before the last entry (at), not after the test's date when tested.
  Result<ClaimView> HandOver(const security::Principal& caller, std::int64_t id,
                             const NewHandOver& request, const RequestInfo& info);

  // Amount positive (kUnprocessable naming amount), currency three capital letters.
  Result<ClaimView> AddSupport(const security::Principal& caller, std::int64_t id,
                               const NewSupport& request, const RequestInfo& info);
  // kUnprocessable naming on (before the arrangement starts, or received in the future),
  // amount (not positive).
  Result<ClaimView> AddPayment(const security::Principal& caller, std::int64_t id,
                               std::int64_t support_id, const NewPayment& request,
                               const RequestInfo& info);

  // The figure: claims open now by age band. A VRA only (kPermissionDenied).
  Result<AgeFigure> OpenByAge(const security::Principal& caller);
  // For the action plan's computed indicators, on the registry's connection: the claims open at
  // the end of the period (`at`), all of them or those a year old or more.
  static constexpr const char* kIndicatorOpenClaims = "paternity.open_claims";
  static constexpr const char* kIndicatorOpenClaimsOverAYear =
      "paternity.open_claims_over_365_days";
  Result<double> IndicatorValue(storage::Connection& c, const std::string& key,
                                UnixMillis at) const;

  // The sealed parts' keys brought in line with the victims readers and each file's designees
  // (a designee named after the claim was sealed): a VRA who is a victims reader with an
  // unlocked key. One transaction; audited (paternity.readers.sync).
  Result<ReaderSync> SyncReaders(const security::Principal& caller, const RequestInfo& info);
  // intake's victim items source (app.cc): a victims reader added later gets these keys, a
  // removed one loses them.
  Result<std::vector<std::int64_t>> SealedItems(storage::Connection& c) const;
  // What `user` keeps of them when leaving the victims readers: the claims of the files they
  // are designated for.
  Result<std::vector<std::int64_t>> SealedItemsHeldBy(storage::Connection& c,
                                                      std::int64_t user) const;
  // AssistanceService's designee hook (app.cc): a person designated for a file receives the
  // keys of its claims' sealed parts from the designating VRA's key (a partner's case manager
  // does not: the consent shares the victim's identity, not the child's); one undesignated
  // loses them unless a victims reader. A key the VRA's does not open is left to the sync.
  Status OnDesigneeChange(storage::Connection& c,
                          const assistance::AssistanceService::DesigneeChange& change) const;
  // CasesService's purge hook: claims naming the purged case lose their case and subject; the
  // claims stay.
  Result<std::int64_t> PurgeCase(storage::Connection& c, std::int64_t case_id) const;

 private:
  struct FileAccess {
    bool work = false;
    bool file_closed = false;
    std::vector<std::int64_t> designees;
    std::vector<std::int64_t> case_ids;
  };
  // Whether the caller sees the file (kNotFound otherwise); from the assistance service.
  Result<FileAccess> AccessToFile(const security::Principal& caller, std::int64_t file_id);
  // The claim and the caller's access to its file; for a write, kPermissionDenied unless a VRA
  // and kConflict naming status when the claim is closed.
  Result<std::pair<Claim, FileAccess>> LoadFor(const security::Principal& caller, std::int64_t id,
                                               bool write);
  Result<ClaimView> ViewOf(storage::Connection& c, const security::Principal& caller, Claim claim,
                           const FileAccess& access) const;
  Result<ClaimView> Fresh(const security::Principal& caller, std::int64_t id);
  Result<std::int64_t> Seal(storage::Connection& c, const std::vector<std::int64_t>& designees,
                            const SealedPart& sealed) const;
  Status CheckSubject(const security::Principal& caller, const FileAccess& access,
                      const std::optional<std::int64_t>& case_id,
                      const std::optional<std::int64_t>& subject_id) const;
  Status Audit(storage::Connection& c, const security::Principal& caller, std::int64_t claim_id,
               const std::string& action, const RequestInfo& info,
               const std::string& details) const;
  Result<UnixMillis> ParseTime(const std::string& text, const std::string& field,
                               bool future_ok) const;
  // Runs `change` on the claim inside a write transaction, then stores it against its version.
  Result<ClaimView> Change(const security::Principal& caller, std::int64_t id,
                           const std::function<Status(storage::Connection&, Claim&)>& change);

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  const security::KeyRing& keyring_;
  assistance::AssistanceService& assistance_;
  cases::CasesService& cases_;
  PaternityStore store_;
  security::ReaderRegistry readers_;
};

// Validation shared with the tests: kInvalidArgument naming the field.
Status CheckSealed(const SealedPart& sealed);

}  // namespace psea::paternity
