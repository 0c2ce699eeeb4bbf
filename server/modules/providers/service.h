// The service providers' directory: the rules (who may do what, validation, the sealed
// contacts, versions) and the answers the assistance module needs. SQL in ProvidersStore; HTTP
// in handlers.cc.
//
// Who (security/permissions.h):
//  - providers.read (VRA, CDT chief and officers): every entry;
//  - providers.manage (VRA, CDT chief): create, change, mark verified, deactivate;
//  - providers.members (VRA, administrator): link a provider case manager's account to one
//    provider, or unlink it;
//  - providers.own (provider case manager): the one entry their account is linked to (every
//    other id is kNotFound, as if it did not exist; no link: an empty list).
// Named persons' contacts are sealed in the vault (kind "provider-contacts") for the victims
// readers (intake::kVictimReaderScope) and the recovery key; only a victims reader opens them,
// each opening audited. The organisation's public phone stays clear (docs/security.md).
// Every change is audited (object "provider"); each call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/intake/service.h"
#include "modules/providers/model.h"
#include "modules/providers/store.h"
#include "security/audit.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::providers {

using intake::RequestInfo;

struct ProvidersSettings {
  int stale_days = kDefaultStaleDays;
  // Who the users are (app.cc: the accounts module), for memberships.
  intake::StaffDirectory staff;
};

// Where a change's expected version came from: If-Match (a mismatch is 412) or the body (409).
enum class VersionSource { kBody, kIfMatch };

// A prefecture of the mission's places list, for the web's filters and form.
struct PrefectureName {
  std::string code;
  std::string name;
};

class ProvidersService {
 public:
  ProvidersService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                   const security::Vault& vault, const security::KeyRing& keyring,
                   intake::IntakeService& intake, ProvidersSettings settings);

  static std::vector<storage::Migration> Migrations() { return ProvidersStore::Migrations(); }
  int stale_days() const { return settings_.stale_days; }
  bool IsStale(const Provider& provider) const;

  // By name. A provider case manager gets their own entry only.
  Result<std::vector<Provider>> List(const security::Principal& caller,
                                     const ProviderFilter& filter);
  // kNotFound when it does not exist or the caller may not see it.
  Result<Provider> Get(const security::Principal& caller, std::int64_t id);
  // The prefectures of the places list (code, name), in the list's order.
  Result<std::vector<PrefectureName>> Prefectures();

  // providers.manage. kInvalidArgument naming the field (model.h ValidateProvider);
  // kUnprocessable naming "prefecture" when it is not a prefecture code of the places list,
  // or "contacts" when there is nobody to seal them for (no victims reader, no recovery key).
  // `provider.last_verified` 0 means today.
  Result<Provider> Create(const security::Principal& caller, Provider provider,
                          const std::optional<ProviderContacts>& contacts, const RequestInfo& info);
  // The same checks on the changed entry. `expected` nullopt (If-Match: *) checks nothing;
  // otherwise a stale version is kPreconditionFailed naming "If-Match" (source kIfMatch) or
  // kConflict naming "version" (kBody). An empty patch is kInvalidArgument.
  Result<Provider> Update(const security::Principal& caller, std::int64_t id,
                          const ProviderPatch& patch, std::optional<std::int64_t> expected,
                          VersionSource source, const RequestInfo& info);
  // Sets last_verified (default: today; a future day is kUnprocessable naming "date").
  Result<Provider> MarkVerified(const security::Principal& caller, std::int64_t id,
                                std::optional<UnixMillis> day, const RequestInfo& info);
  // active = false (referrals stop offering it); PATCH active=true brings it back.
  Result<Provider> Deactivate(const security::Principal& caller, std::int64_t id,
                              const RequestInfo& info);
  // The sealed contacts, for a victims reader with an unlocked key (kPermissionDenied
  // otherwise); empty contacts when none were recorded. Audited "providers.contacts.open".
  Result<ProviderContacts> OpenContacts(const security::Principal& caller, std::int64_t id,
                                        const RequestInfo& info);

  // providers.members. Only active provider_case_manager accounts are linked (kUnprocessable
  // naming "user_id"); linking a linked account moves it. Audited.
  Result<std::vector<Member>> Members(const security::Principal& caller, std::int64_t id);
  // The active provider case managers' accounts not linked to any provider (user_id,
  // username, display_name), for the form that links one.
  Result<std::vector<Member>> Unlinked(const security::Principal& caller);
  Status AddMember(const security::Principal& caller, std::int64_t id, std::int64_t user_id,
                   const RequestInfo& info);
  // kNotFound when the user is no member of the provider.
  Status RemoveMember(const security::Principal& caller, std::int64_t id, std::int64_t user_id,
                      const RequestInfo& info);

  // For the assistance module, inside its own transaction; no permission checks.
  Result<std::optional<ProviderSummary>> FindProvider(storage::Connection& c,
                                                      std::int64_t id) const;
  Result<std::optional<std::int64_t>> ProviderOfUser(storage::Connection& c,
                                                     std::int64_t user_id) const;
  // Active providers per prefecture and service, with how many of them are stale (the gap
  // table's supply side).
  Result<std::vector<ServiceCount>> CountByPrefectureAndService(storage::Connection& c) const;
  // The vault items of the sealed contacts (intake's victims readers hold them).
  Result<std::vector<std::int64_t>> ContactItems(storage::Connection& c) const;

 private:
  // kNotFound unless the caller may read the entry (providers.read, or providers.own for
  // their own).
  Result<Provider> Readable(storage::Connection& c, const security::Principal& caller,
                            std::int64_t id) const;
  Status CheckPrefecture(const std::string& code);
  Result<std::optional<std::int64_t>> SealContacts(storage::Connection& c,
                                                   const ProviderContacts& contacts) const;
  // Validates, stores with a version check and audits `action` with `details`.
  Result<Provider> Save(storage::Connection& c, const security::Principal& caller, Provider changed,
                        std::int64_t expected, VersionSource source, const std::string& action,
                        const std::string& details, const RequestInfo& info) const;
  Status Audit(storage::Connection& c, const security::Principal& caller, std::int64_t id,
               const std::string& action, const std::string& details,
               const RequestInfo& info) const;
  UnixMillis Today() const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  const security::KeyRing& keyring_;
  intake::IntakeService& intake_;
  ProvidersSettings settings_;
  ProvidersStore store_;
  security::ReaderRegistry readers_;
};

}  // namespace psea::providers
