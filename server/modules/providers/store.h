// SQL for the providers' tables (providers, providers_services, providers_members). Every
// method runs on the caller's connection, inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/result.h"
#include "modules/providers/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::providers {

class ProvidersStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // Returns the new id; writes the services too.
  Result<std::int64_t> Insert(storage::Connection& c, const Provider& provider) const;
  // Writes every field and the services, and bumps the version, when the stored version is
  // `expected_version`; false when it is not (the row changed meanwhile).
  Result<bool> Update(storage::Connection& c, const Provider& provider,
                      std::int64_t expected_version) const;
  Result<std::optional<Provider>> Find(storage::Connection& c, std::int64_t id) const;
  // Every provider, by name.
  Result<std::vector<Provider>> List(storage::Connection& c) const;
  // The vault items of every provider's sealed contacts.
  Result<std::vector<std::int64_t>> ContactItems(storage::Connection& c) const;
  // Active providers per prefecture and service, ordered by prefecture then service; `stale`
  // counts those last verified at or before `stale_at_or_before`. One GROUP BY.
  Result<std::vector<ServiceCount>> CountByPrefectureAndService(
      storage::Connection& c, UnixMillis stale_at_or_before) const;

  // Memberships: one provider per user.
  Status PutMember(storage::Connection& c, const Member& member) const;
  // false when the user was no member of the provider.
  Result<bool> DeleteMember(storage::Connection& c, std::int64_t provider_id,
                            std::int64_t user_id) const;
  Result<std::optional<std::int64_t>> ProviderOfUser(storage::Connection& c,
                                                     std::int64_t user_id) const;
  Result<std::vector<Member>> Members(storage::Connection& c, std::int64_t provider_id) const;
};

}  // namespace psea::providers
