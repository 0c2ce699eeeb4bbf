// Victims' assistance (issue 13, first part): the Victims' Rights Advocate's files, one per
// victim, with the victim's informed consents and the assessment of their needs. The rules live
// here; SQL in AssistanceStore; HTTP in handlers.cc. Cases are reached only through
// cases::CasesService (AccessToCase, Get, the purge hook), places through intake::IntakeService.
//
// Need-to-know, per file (anyone else gets kNotFound, as if the file did not exist):
//  - the Victims' Rights Advocate (role vra; IsAdvocate below): every file's clear
//    half, consents and needs; she opens, changes and closes files;
//  - the people a VRA designates for a file (another VRA, a CDT officer or chief, a partner
//    focal point): that file, read only, and its identity; removing them revokes their key at
//    once;
//  - the CDT chief, leadership and every other role: nothing (aggregates come later). A case
//    linked to a file does not open the file to the case's officers: the VRA designates whom
//    she needs.
// The identity (name, contacts, address; for a child the guardian's name and contact) is
// sealed with the vault for the victims readers (intake::kVictimReaderScope) and the file's
// designees, and is opened only by "reveal", a separate audited call that needs a recent proof
// of presence (2FA) and a key that opens it.
//
// Every change is one transaction and audited (object "assistance_file"). Changes to the clear
// half carry the version the caller read (If-Match: 412; the body's version: 409). A closed file
// refuses every change but reopening (kConflict naming "status").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/assistance/model.h"
#include "modules/assistance/store.h"
#include "modules/cases/service.h"
#include "modules/intake/service.h"
#include "security/audit.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::assistance {

using cases::VersionSource;
using intake::RequestInfo;
using intake::StaffMember;

struct AssistanceSettings {
  // Active staff, to check whom a VRA designates (app.cc: the accounts module).
  intake::StaffDirectory staff;
  std::string reference_prefix = "VA";  // "VA-2026-0001"
  // The provider a partner's case manager belongs to (app.cc: ProvidersService::ProviderOfUser).
  // Her designation for a file holds only while a valid information-sharing consent names that
  // provider: withdrawn or expired, the file is closed to her at once. Unset: never.
  std::function<Result<std::optional<std::int64_t>>(storage::Connection& c, std::int64_t user)>
      provider_of_user;
};

// Times are "YYYY-MM-DDTHH:MM:SSZ" or a date (midnight UTC).
struct NewFile {
  std::string pseudonym;
  std::string sex = "unknown";
  std::optional<std::string> age_group;  // default: from the age, else "unknown"
  std::optional<std::int64_t> age;
  std::string prefecture;
  std::vector<std::int64_t> case_ids;
  std::optional<FileIdentity> identity;
};

struct FilePatch {
  std::optional<std::string> pseudonym;
  std::optional<std::string> sex;
  std::optional<std::string> age_group;
  std::optional<std::optional<std::int64_t>> age;  // set to null: unknown
  std::optional<std::string> prefecture;
  std::optional<std::string> status;  // "closed" closes, "open" reopens
};

struct NewConsent {
  std::string scope;
  std::optional<std::int64_t> provider_id;
  std::string with_whom;
  std::string channel;
  std::string given_at;  // empty: now
  std::string means;
  std::string given_by = "victim";
  std::string guardian;
  std::string expires_at;  // empty: none
  std::string notes;
};

struct NewNeed {
  std::string type;
  std::string urgency = "medium";
  std::string notes;
  bool after_rape = false;
  std::string incident_at;  // empty: unknown
};

struct NeedPatch {
  std::optional<std::string> urgency;
  std::optional<std::string> notes;
  std::optional<std::string> status;  // "met" or "closed"
  std::optional<bool> after_rape;
  std::optional<std::string> incident_at;  // "" clears
};

struct LinkedCase {
  std::int64_t case_id = 0;
  std::string reference;  // "" when the caller no longer sees the case
  std::string linked_by_username;
  UnixMillis linked_at = 0;
};

struct NeedView {
  Need need;
  PepWindow pep;
};

struct FileView {
  AssistanceFile file;
  std::vector<LinkedCase> cases;
  std::vector<Consent> consents;
  std::vector<NeedView> needs;
  bool can_work = false;      // the caller changes the file (a VRA)
  bool has_identity = false;  // an identity is sealed
  bool can_reveal = false;    // the caller may ask to open it (a victims reader or designee)
};

struct FileListPage {
  std::vector<FileSummary> files;
  std::int64_t total = 0;
};

struct IdentitySync {
  std::int64_t granted = 0;   // keys given to victims readers and designees who lacked one
  std::int64_t revoked = 0;   // keys taken from people in neither set
  std::int64_t unopened = 0;  // identities the caller's key does not open (left as they were)
};

class AssistanceService {
 public:
  AssistanceService(storage::Database& database, const Clock& clock,
                    const security::AuditLog& audit, const security::Vault& vault,
                    const security::KeyRing& keyring, cases::CasesService& cases,
                    intake::IntakeService& intake, AssistanceSettings settings);

  static std::vector<storage::Migration> Migrations() { return AssistanceStore::Migrations(); }

  // A VRA: every file passing the filter; anyone else: the files they are designated for.
  Result<FileListPage> ListFiles(const security::Principal& caller, FileFilter filter);
  Result<FileView> GetFile(const security::Principal& caller, std::int64_t id);

  // A VRA (else kPermissionDenied). kInvalidArgument naming the field for a value outside its
  // vocabulary, an age outside 0..120 or one that contradicts the age group; kUnprocessable naming
  // prefecture (not in the places list) or case_ids (a case the caller does not see).
  Result<FileView> CreateFile(const security::Principal& caller, const NewFile& request,
                              const RequestInfo& info);
  Result<FileView> UpdateFile(const security::Principal& caller, std::int64_t id,
                              const FilePatch& patch, std::optional<std::int64_t> version,
                              VersionSource source, const RequestInfo& info);
  // Replaces the sealed identity (sealed again for today's readers; the old item destroyed).
  Result<FileView> SetIdentity(const security::Principal& caller, std::int64_t id,
                               const FileIdentity& identity, const RequestInfo& info);
  // A victims reader or a designee with an unlocked key and a recent proof (kReauthRequired);
  // kPermissionDenied when their key does not open it; kNotFound when none is sealed.
  // Audited (assistance.identity.reveal).
  Result<FileIdentity> RevealIdentity(const security::Principal& caller, std::int64_t id,
                                      const RequestInfo& info);

  // kUnprocessable naming case_id when the caller does not see the case (AccessToCase).
  Result<FileView> LinkCase(const security::Principal& caller, std::int64_t id,
                            std::int64_t case_id, const RequestInfo& info);
  Result<FileView> UnlinkCase(const security::Principal& caller, std::int64_t id,
                              std::int64_t case_id, const RequestInfo& info);

  // A VRA whose key opens the identity grants it to an active VRA, CDT officer or chief, or
  // partner focal point (kUnprocessable naming user_id otherwise); kReauthRequired when her
  // key is locked and an identity is sealed. Removing revokes the designee's wrap at once
  // (unless they are a victims reader).
  // `provider_case_manager`: the user may be an active provider case manager (only
  // ReferralsService::ShareIdentity passes it, once a consent to share information with their
  // provider covers now and they belong to the referral's provider).
  Result<FileView> Designate(const security::Principal& caller, std::int64_t id, std::int64_t user,
                             const RequestInfo& info, bool provider_case_manager = false);
  // A VRA: the active staff who may be designated, by display name.
  Result<std::vector<StaffMember>> Designables(const security::Principal& caller) const;
  Result<FileView> Undesignate(const security::Principal& caller, std::int64_t id,
                               std::int64_t user, const RequestInfo& info);

  // kInvalidArgument naming the field (vocabulary, malformed time, a channel for a scope that
  // is not contact, ...); kUnprocessable naming guardian when the file is a minor's and no
  // guardian gave it, given_at in the future, expires_at not after given_at, or with_whom
  // missing for information sharing without a provider, channel missing for contact.
  Result<Consent> AddConsent(const security::Principal& caller, std::int64_t id,
                             const NewConsent& request, const RequestInfo& info);
  // kConflict naming withdrawn_at when withdrawn already; the consent is kept.
  Result<Consent> WithdrawConsent(const security::Principal& caller, std::int64_t id,
                                  std::int64_t consent_id, const std::string& at,
                                  const std::string& note, const RequestInfo& info);
  // Whether a valid consent of the file covers the action (model.h DecideConsent; the file's
  // age group decides whether a guardian is needed). For the referrals and shares that are
  // gated on it: runs on the caller's connection, no access check, no audit.
  Result<ConsentDecision> ConsentFor(storage::Connection& c, std::int64_t file_id,
                                     ConsentQuery query) const;
  // The same for a caller who sees the file (the consent check of the file page).
  Result<ConsentDecision> CheckConsent(const security::Principal& caller, std::int64_t id,
                                       ConsentQuery query);

  // kInvalidArgument naming the field; kUnprocessable naming incident_at in the future or
  // after_rape on a need that is not medical.
  Result<NeedView> AddNeed(const security::Principal& caller, std::int64_t id,
                           const NewNeed& request, const RequestInfo& info);
  // kConflict naming status once the need is met or closed.
  Result<NeedView> UpdateNeed(const security::Principal& caller, std::int64_t id,
                              std::int64_t need_id, const NeedPatch& patch,
                              const RequestInfo& info);

  // The identities' keys brought in line with the sets, for a victims reader added after files
  // were sealed (intake's reader flow grants intake's items only): a victims reader with an
  // unlocked key (else kPermissionDenied / kReauthRequired) gives every identity her key opens
  // to each victims reader and designee of the file who lacks it; anyone else's key is revoked.
  // One transaction; audited (assistance.readers.sync, object "assistance").
  Result<IdentitySync> SyncIdentityReaders(const security::Principal& caller,
                                           const RequestInfo& info);
  // Revokes the identity keys of someone who is no longer a victims reader, but for the files
  // they are designated for; returns how many. app.cc calls it when intake announces the
  // removal, so that the keys go at once (the reveal checks the sets in any case). Audited
  // (assistance.readers.revoke, actor `by`).
  Result<std::int64_t> RevokeFormerVictimsReader(std::int64_t user, const std::string& by);

  // The victims readers hold every file's identity: intake's readers flow grants them to a
  // victims reader added later and revokes them from one removed, but for IdentityItemsHeldBy
  // (the files the user is designated for). app.cc registers both with intake.
  Result<std::vector<std::int64_t>> IdentityItemsForReaders(storage::Connection& c) const;
  Result<std::vector<std::int64_t>> IdentityItemsHeldBy(storage::Connection& c,
                                                        std::int64_t user) const;
  // The places list's prefectures (code, name), for the pages' pickers.
  Result<std::vector<std::pair<std::string, std::string>>> Prefectures() const;
  // The files `user` is designated for (other modules' items sealed for designees).
  Result<std::vector<std::int64_t>> FilesOfDesignee(storage::Connection& c,
                                                    std::int64_t user) const;

  // Other modules' items sealed for a file's designees (paternity claims): called in the
  // transaction that designates (`key`: the designating VRA's, to grant from; `partner`: the
  // designee is a partner's case manager, who is given the identity only) or undesignates
  // (`key` null: revoke, unless `victims_reader`). Set once, before serving.
  struct DesigneeChange {
    std::int64_t file_id = 0;
    std::int64_t user = 0;
    const security::UnlockedKey* key = nullptr;
    bool partner = false;
    bool victims_reader = false;
  };
  using DesigneeHook = std::function<Status(storage::Connection& c, const DesigneeChange& change)>;
  void AddDesigneeHook(DesigneeHook hook) { designee_hooks_.push_back(std::move(hook)); }

  // CasesService's purge hook: a purged case's links go; the files stay.
  Result<std::int64_t> PurgeCase(storage::Connection& c, std::int64_t case_id) const;

 private:
  enum class Access { kNone, kDesignee, kWork };
  // The caller's access to the file (kNone when there is no such file).
  Result<Access> AccessOf(storage::Connection& c, const security::Principal& caller,
                          std::int64_t id) const;
  // kNotFound unless the caller sees the file; for a write, kPermissionDenied unless a VRA and
  // kConflict naming status when the file is closed.
  Result<AssistanceFile> LoadFor(storage::Connection& c, const security::Principal& caller,
                                 std::int64_t id, bool write) const;
  Result<FileView> View(storage::Connection& c, const security::Principal& caller,
                        AssistanceFile file) const;
  Result<FileView> ViewAfter(const security::Principal& caller, std::int64_t id);
  Result<std::vector<std::int64_t>> SealingReaders(storage::Connection& c,
                                                   std::int64_t file_id) const;
  Result<std::int64_t> Seal(storage::Connection& c, std::int64_t file_id,
                            const FileIdentity& identity) const;
  Status CheckPrefecture(const std::string& prefecture) const;
  Status Audit(storage::Connection& c, const security::Principal& caller, std::int64_t file_id,
               const std::string& action, const RequestInfo& info,
               const std::string& details) const;
  // A time given by the caller: kInvalidArgument naming `field` when malformed; kUnprocessable
  // when in the future (unless `future_ok`).
  Result<UnixMillis> ParseTime(const std::string& text, const std::string& field,
                               bool future_ok) const;
  static bool IsDesignable(const StaffMember& member);
  Result<StaffMember> Designable(std::int64_t user, bool provider_case_manager = false) const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  const security::KeyRing& keyring_;
  cases::CasesService& cases_;
  intake::IntakeService& intake_;
  AssistanceSettings settings_;
  std::vector<DesigneeHook> designee_hooks_;
  AssistanceStore store_;
  security::ReaderRegistry readers_;
};

// Whether the caller works the files: a signed-in user with the role vra. (A permission of its
// own, assistance.work, would be the place for this once the roles table takes it.)
bool IsAdvocate(const security::Principal& caller);
// kPermissionDenied unless IsAdvocate.
Status RequireAdvocate(const security::Principal& caller);

// Validation shared with the tests: kInvalidArgument naming the field.
Status CheckIdentity(const FileIdentity& identity);

}  // namespace psea::assistance
