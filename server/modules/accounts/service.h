// Accounts: sign-in, sessions, 2FA, users and API tokens. The rules live here; SQL lives in
// AccountsStore; HTTP lives in handlers.cc. Callers check role permissions (security::
// Authorize) before calling the methods that manage other users or tokens.
//
// Thread-safe: every method takes its own connection from the pool.
//
// Sessions and users are cached in memory for kCacheMillis so that a signed-in request costs no
// query. Every write this service makes drops the whole cache when it commits; a change made
// by another process (the `psea user` command) is seen within kCacheMillis.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/accounts/model.h"
#include "modules/accounts/store.h"
#include "security/audit.h"
#include "security/crypto.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"

namespace psea::accounts {

struct AccountsSettings {
  int session_idle_seconds = 30 * 60;
  int session_absolute_seconds = 12 * 60 * 60;
  security::Argon2Cost cost = security::CostFromProfile("interactive");
  bool demo = false;  // a demo database: 2FA is never mandatory
  // Called after a role change, a disabled account or a reset took a reader out of reader
  // sets (`scopes`): app.cc announces it to the remaining readers. Never blocks.
  std::function<void(std::int64_t user_id, const std::string& username,
                     const std::vector<std::string>& scopes, const std::string& reason)>
      on_reader_access_ended;
};

// Where a request came from, for throttling and the audit trail.
struct RequestInfo {
  std::string remote_address;
  std::string request_id;
};

constexpr int kMaxFailuresPerAccount = 5;
constexpr int kMaxFailuresPerAddress = 20;
constexpr std::int64_t kThrottleWindowMillis = 15 * 60 * 1000;

class AccountsService {
 public:
  static constexpr std::int64_t kCacheMillis = 2000;

  AccountsService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                  const security::Vault& vault, security::KeyRing& keyring,
                  security::SecretBytes server_key, AccountsSettings settings);

  // 2FA is mandatory for the role (never on a demo database).
  bool TotpRequired(security::Role role) const;
  bool demo() const { return settings_.demo; }

  // The hash an unknown user name's password is verified against (exposed for tests).
  const std::string& unknown_user_hash() const { return dummy_password_hash_; }

  // Sign-in. kInvalidCredentials for an unknown user, a wrong password or a disabled account
  // alike; a password hash made under another Argon2 profile is rehashed under the current one;
  // kTotpRequired / kTotpInvalid for the second factor; kRateLimited with Retry-After after 5
  // failures for the account or 20 from the address within 15 minutes.
  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::optional<std::string>& totp_code, const RequestInfo& info);
  Status Logout(const security::Principal& principal, const RequestInfo& info);

  // kUnauthenticated when the token is unknown, revoked, expired or idle too long.
  Result<security::Principal> AuthenticateSession(const std::string& session_token);
  Result<security::Principal> AuthenticateApiToken(const std::string& secret);
  std::string CsrfToken(std::int64_t session_id) const;
  bool CheckCsrf(std::int64_t session_id, std::string_view token) const;
  bool VaultUnlocked(std::int64_t session_id) const { return keyring_.Has(session_id); }
  // After a server restart a session survives but its key does not: this unlocks it again.
  Status UnlockVault(const security::Principal& principal, const std::string& password,
                     const RequestInfo& info);
  // Step-up for a dangerous action: the principal's password and, when they use 2FA, a fresh
  // code (one never used before). Throttled with sign-in failures. On success the session
  // counts as freshly verified.
  Status VerifyStepUp(const security::Principal& principal, const security::StepUpProof& proof,
                      const RequestInfo& info);
  // "Sudo mode": a fresh 2FA code (or, for a user without 2FA, the password) marks the session
  // verified for security::kReauthWindowMillis, which opening identities needs.
  Status Reauthenticate(const security::Principal& principal, const std::string& totp_code,
                        const std::string& password, const RequestInfo& info);

  // Own account.
  Result<User> GetUser(std::int64_t id);
  Result<TotpEnrolment> BeginTotpEnrolment(const security::Principal& principal,
                                           const RequestInfo& info);
  Result<User> ConfirmTotp(const security::Principal& principal, const std::string& code,
                           const RequestInfo& info);
  Status ChangePassword(const security::Principal& principal, const std::string& current_password,
                        const std::string& new_password, const RequestInfo& info);

  // User administration. `actor` is nullopt for the command line.
  Result<std::vector<User>> ListUsers();
  Result<User> CreateUser(const std::optional<security::Principal>& actor, NewUser user,
                          const RequestInfo& info);
  Result<User> UpdateUser(const std::optional<security::Principal>& actor, std::int64_t id,
                          const UserPatch& patch, const RequestInfo& info);
  Result<User> FindUserByName(const std::string& username);

  // Retention (called by the retention module inside its own write transaction on `c`):
  // sessions that ended and were last used before `last_seen_before`, with the address they
  // came from. A live session is never counted or removed.
  Result<std::int64_t> CountEndedSessions(storage::Connection& c, UnixMillis last_seen_before);
  Result<std::int64_t> PurgeEndedSessions(storage::Connection& c, UnixMillis last_seen_before);

  // API tokens: the secret is returned once and stored only as a hash.
  Result<std::vector<ApiToken>> ListTokens();
  Result<std::pair<ApiToken, std::string>> CreateToken(const security::Principal& actor,
                                                       const NewApiToken& token,
                                                       const RequestInfo& info);
  Status RevokeToken(const security::Principal& actor, std::int64_t id, const RequestInfo& info);

  static std::vector<storage::Migration> Migrations() { return AccountsStore::Migrations(); }
  // Normalises and checks a user name: 3-64 of a-z 0-9 . _ - (lower-cased).
  static Result<std::string> NormalizeUsername(std::string_view username);

 private:
  Status Audit(storage::Connection& c, const std::optional<security::Principal>& actor,
               std::string action, std::string object_type, std::string object_id,
               const RequestInfo& info, std::string details = "{}") const;
  Result<security::Principal> PrincipalFor(const User& user, std::int64_t session_id,
                                           UnixMillis session_expires_at,
                                           UnixMillis verified_at) const;
  Status CheckTotpCode(const UserCredentials& credentials, const std::string& code,
                       const RequestInfo& info, const char* failure_reason);
  Status MarkVerified(const security::Principal& principal);
  Status RecordFailure(const std::string& username, std::optional<std::int64_t> user_id,
                       const RequestInfo& info, const char* reason);
  Status CheckThrottle(const std::string& username, const RequestInfo& info);
  std::string SealTotpSecret(std::int64_t user_id, const std::string& secret) const;
  Result<std::string> OpenTotpSecret(std::int64_t user_id, const std::string& sealed) const;

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  security::KeyRing& keyring_;
  security::SecretBytes server_key_;
  AccountsSettings settings_;
  AccountsStore store_;
  security::ReaderRegistry readers_;
  // Verified against for unknown users, so that the answer takes as long either way: made
  // with the current profile, which every stored hash reaches at its owner's next sign-in.
  std::string dummy_password_hash_;
  std::atomic<UnixMillis> last_sweep_{0};  // when the key ring was last swept
  // Distinguishes this service from any other of the process (and from one that took its
  // address later) in the per-thread CSRF token memory.
  const std::uint64_t instance_ = NextInstance();
  static std::uint64_t NextInstance() {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
  }

  // The cache (see the top of this file). An entry is good while its generation is current and
  // it is younger than kCacheMillis. Readers take the generation before they query, writers
  // bump it before they start and after they commit (a CacheInvalidation at the top of every
  // writing method), so a read that raced a write can never be kept.
  struct CachedSession {
    SessionRecord session;
    UnixMillis loaded_at = 0;
    std::uint64_t generation = 0;
  };
  struct CachedUser {
    User user;
    UnixMillis loaded_at = 0;
    std::uint64_t generation = 0;
  };
  class CacheInvalidation {
   public:
    explicit CacheInvalidation(std::atomic<std::uint64_t>& generation) : generation_(generation) {
      generation_.fetch_add(1);  // so that this method's own reads after its write miss
    }
    ~CacheInvalidation() { generation_.fetch_add(1); }
    CacheInvalidation(const CacheInvalidation&) = delete;
    CacheInvalidation& operator=(const CacheInvalidation&) = delete;

   private:
    std::atomic<std::uint64_t>& generation_;
  };
  CacheInvalidation InvalidatesCache() { return CacheInvalidation(generation_); }
  std::optional<SessionRecord> CachedSessionFor(const std::string& token_hash, UnixMillis now);
  void Remember(const std::string& token_hash, const SessionRecord& session,
                std::uint64_t generation, UnixMillis now);
  void SetCachedLastSeen(const std::string& token_hash, UnixMillis last_seen_at);

  std::atomic<std::uint64_t> generation_{1};
  std::mutex cache_mutex_;
  std::unordered_map<std::string, CachedSession> sessions_by_token_;
  std::unordered_map<std::int64_t, CachedUser> users_by_id_;
};

}  // namespace psea::accounts
