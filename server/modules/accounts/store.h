// SQL for the accounts tables (users, sessions, api_tokens, login_failures). Every method
// runs on the caller's connection, inside the caller's transaction when there is one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/accounts/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::accounts {

class AccountsStore {
 public:
  static std::vector<storage::Migration> Migrations();

  // Users.
  Result<std::int64_t> InsertUser(storage::Connection& c, const NewUser& user,
                                  const std::string& password_hash, UnixMillis now) const;
  Result<std::optional<UserCredentials>> FindCredentialsByName(storage::Connection& c,
                                                               const std::string& username) const;
  Result<std::optional<UserCredentials>> FindCredentialsById(storage::Connection& c,
                                                             std::int64_t id) const;
  Result<std::vector<User>> ListUsers(storage::Connection& c) const;
  Status UpdateProfile(storage::Connection& c, std::int64_t id, const std::string& display_name,
                       security::Role role, bool disabled, UnixMillis now) const;
  // The same password under a new hash (a new Argon2 cost), unless the hash changed meanwhile.
  Status ReplacePasswordHash(storage::Connection& c, std::int64_t id, const std::string& old_hash,
                             const std::string& new_hash) const;
  // `must_change`: someone other than the user chose it (an administrator's reset).
  Status SetPasswordHash(storage::Connection& c, std::int64_t id, const std::string& hash,
                         bool must_change, UnixMillis now) const;
  // Offers `sealed` as the pending enrolment secret unless one is pending already; returns the
  // pending one. Two enrolment requests at once (a page mounted twice) then agree on a secret.
  Result<std::string> OfferTotpPending(storage::Connection& c, std::int64_t id,
                                       const std::string& sealed) const;
  Status EnableTotp(storage::Connection& c, std::int64_t id, const std::string& sealed,
                    std::int64_t step) const;
  // Records `step` as used; false when it was not newer than the last one (a replay).
  Result<bool> ConsumeTotpStep(storage::Connection& c, std::int64_t id, std::int64_t step) const;
  Status ResetTotp(storage::Connection& c, std::int64_t id) const;
  // Records the sign-in unless the user was disabled or their sessions were ended since
  // `sessions_epoch` was read; false then, and the caller must not create the session.
  Result<bool> TouchLoginIfCurrent(storage::Connection& c, std::int64_t id,
                                   std::int64_t sessions_epoch, UnixMillis now) const;

  // Sessions.
  Result<std::int64_t> InsertSession(storage::Connection& c, std::int64_t user_id,
                                     const std::string& token_hash, UnixMillis now,
                                     UnixMillis expires_at,
                                     const std::string& remote_address) const;
  Result<std::optional<SessionRecord>> FindSession(storage::Connection& c,
                                                   const std::string& token_hash) const;
  Status TouchSession(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  Status RevokeSession(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  Status MarkSessionVerified(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  // Ends every session of the user and raises their sessions epoch.
  Status RevokeUserSessions(storage::Connection& c, std::int64_t user_id, UnixMillis now) const;
  Status RevokeOtherSessions(storage::Connection& c, std::int64_t user_id,
                             std::int64_t keep_session, UnixMillis now) const;

  // Login throttling. A failure counts while it is strictly after `since` (now minus the
  // window), so that it stops counting exactly when the Retry-After given for it runs out.
  Result<std::int64_t> CountFailuresForUser(storage::Connection& c, const std::string& username,
                                            UnixMillis since) const;
  Result<std::int64_t> CountFailuresForAddress(storage::Connection& c, const std::string& address,
                                               UnixMillis since) const;
  // The oldest failure in the window (to compute Retry-After).
  Result<std::optional<UnixMillis>> OldestFailure(storage::Connection& c, const std::string& column,
                                                  const std::string& value, UnixMillis since) const;
  Status RecordFailure(storage::Connection& c, const std::string& username,
                       const std::string& address, UnixMillis now) const;
  Status ClearFailuresForUser(storage::Connection& c, const std::string& username) const;
  // Retention: sessions that ended (revoked, expired or idle past `idle_before` as of now) and
  // were last used before `last_seen_before`.
  Result<std::int64_t> CountEndedSessions(storage::Connection& c, UnixMillis last_seen_before,
                                          UnixMillis now, UnixMillis idle_before) const;
  Result<std::int64_t> DeleteEndedSessions(storage::Connection& c, UnixMillis last_seen_before,
                                           UnixMillis now, UnixMillis idle_before) const;

  // API tokens.
  Result<std::int64_t> InsertToken(storage::Connection& c, const NewApiToken& token,
                                   const std::string& token_hash, std::int64_t created_by,
                                   UnixMillis now, UnixMillis expires_at) const;
  Result<std::optional<ApiToken>> FindTokenByHash(storage::Connection& c,
                                                  const std::string& token_hash) const;
  Result<std::optional<ApiToken>> FindToken(storage::Connection& c, std::int64_t id) const;
  Result<std::vector<ApiToken>> ListTokens(storage::Connection& c) const;
  Status RevokeToken(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  Status TouchToken(storage::Connection& c, std::int64_t id, UnixMillis now) const;
};

}  // namespace psea::accounts
