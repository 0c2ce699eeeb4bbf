#include "modules/accounts/service.h"

#include <algorithm>
#include <cctype>

#include "core/address.h"
#include "security/password.h"
#include "security/totp.h"

namespace psea::accounts {

namespace {
std::string TokenHash(std::string_view token) {
  return security::HexEncode(security::Sha256(token));
}

security::Principal ActorOrCli(const std::optional<security::Principal>& actor) {
  if (actor) return *actor;
  security::Principal cli;
  cli.username = "cli";
  return cli;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? ",\"" : "\"") + item + "\"";
  return out + "]";
}

int SecondsUntil(UnixMillis deadline, UnixMillis now) {
  return static_cast<int>(std::max<std::int64_t>(1, (deadline - now + 999) / 1000));
}
}  // namespace

AccountsService::AccountsService(storage::Database& database, const Clock& clock,
                                 const security::AuditLog& audit, const security::Vault& vault,
                                 security::KeyRing& keyring, security::SecretBytes server_key,
                                 AccountsSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      server_key_(std::move(server_key)),
      settings_(settings) {
  dummy_password_hash_ = security::HashPassword(security::RandomToken(16), settings_.cost).value();
}

bool AccountsService::TotpRequired(security::Role role) const {
  return !settings_.demo && security::RoleRequiresTotp(role);
}

Result<std::string> AccountsService::NormalizeUsername(std::string_view username) {
  std::string out;
  for (char c : username) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.size() < 3 || out.size() > 64) {
    return InvalidArgument("username must be 3 to 64 characters", "username");
  }
  for (char c : out) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) {
      return InvalidArgument("username may hold only letters, digits, '.', '_' and '-'",
                             "username");
    }
  }
  return out;
}

Status AccountsService::Audit(storage::Connection& c,
                              const std::optional<security::Principal>& actor, std::string action,
                              std::string object_type, std::string object_id,
                              const RequestInfo& info, std::string details) const {
  const security::Principal who = ActorOrCli(actor);
  security::AuditEvent event;
  if (actor) event.actor_user_id = actor->user_id;
  event.actor = who.username;
  event.action = std::move(action);
  event.object_type = std::move(object_type);
  event.object_id = std::move(object_id);
  event.request_id = info.request_id;
  event.details = std::move(details);
  return audit_.Append(c, event);
}

std::string AccountsService::SealTotpSecret(std::int64_t user_id, const std::string& secret) const {
  return security::Encrypt(server_key_.bytes(), secret, "psea-totp:" + std::to_string(user_id))
      .value();
}

Result<std::string> AccountsService::OpenTotpSecret(std::int64_t user_id,
                                                    const std::string& sealed) const {
  return security::Decrypt(server_key_.bytes(), sealed, "psea-totp:" + std::to_string(user_id));
}

Status AccountsService::CheckThrottle(const std::string& username, const RequestInfo& info) {
  const UnixMillis now = clock_.Now();
  const UnixMillis since = now - kThrottleWindowMillis;
  auto lease = database_.Acquire();
  if (!lease.ok()) return lease.status();
  storage::Connection& c = **lease;
  ASSIGN_OR_RETURN(auto for_user, store_.CountFailuresForUser(c, username, since));
  // IPv6 clients are counted by their /64 (core/address.h), which they cannot cheaply leave.
  const std::string address_key = ThrottleKey(info.remote_address);
  ASSIGN_OR_RETURN(auto for_address, store_.CountFailuresForAddress(c, address_key, since));
  std::optional<UnixMillis> oldest;
  if (for_user >= kMaxFailuresPerAccount) {
    ASSIGN_OR_RETURN(oldest, store_.OldestFailure(c, "username", username, since));
  } else if (for_address >= kMaxFailuresPerAddress) {
    ASSIGN_OR_RETURN(oldest, store_.OldestFailure(c, "remote_address", address_key, since));
  } else {
    return Status::Ok();
  }
  const UnixMillis retry_at = oldest.value_or(now) + kThrottleWindowMillis;
  Status limited(ErrorCode::kRateLimited, "too many failed sign-ins; wait and try again");
  limited.WithRetryAfter(SecondsUntil(retry_at, now));
  return limited;
}

Status AccountsService::RecordFailure(const std::string& username,
                                      std::optional<std::int64_t> user_id, const RequestInfo& info,
                                      const char* reason) {
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    RETURN_IF_ERROR(
        store_.RecordFailure(c, username, ThrottleKey(info.remote_address), clock_.Now()));
    // The attempted name is not recorded: it may be someone's mistyped password.
    return Audit(c, std::nullopt, "auth.login_failed", "user",
                 user_id ? std::to_string(*user_id) : "", info,
                 std::string("{\"reason\":\"") + reason + "\"}");
  });
}

Result<LoginResult> AccountsService::Login(const std::string& raw_username,
                                           const std::string& password,
                                           const std::optional<std::string>& totp_code,
                                           const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  const Status invalid(ErrorCode::kInvalidCredentials, "wrong user name or password");
  auto normalized = NormalizeUsername(raw_username);
  const std::string username = normalized.ok() ? *normalized : raw_username.substr(0, 64);
  RETURN_IF_ERROR(CheckThrottle(username, info));

  std::optional<UserCredentials> credentials;
  if (normalized.ok()) {
    ASSIGN_OR_RETURN(credentials,
                     database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                       return store_.FindCredentialsByName(c, username);
                     }));
  }
  // Hash even for unknown users, so the answer takes as long either way.
  const bool password_ok = credentials
                               ? security::VerifyPassword(password, credentials->password_hash)
                               : (security::VerifyPassword(password, dummy_password_hash_), false);
  if (!password_ok || credentials->user.disabled) {
    RETURN_IF_ERROR(RecordFailure(username,
                                  credentials ? std::optional(credentials->user.id) : std::nullopt,
                                  info, credentials && password_ok ? "disabled" : "password"));
    return invalid;
  }
  const User& user = credentials->user;

  if (user.totp_enabled) {
    RETURN_IF_ERROR(CheckTotpCode(*credentials, totp_code.value_or(""), info, "totp"));
  }

  // A hash made under an earlier Argon2 profile costs what that profile cost, while an unknown
  // user name costs the dummy's (the current profile): rehashing at sign-in brings each
  // account to the current cost, so timing stops telling the two apart.
  std::optional<std::string> rehashed;
  if (security::PasswordNeedsRehash(credentials->password_hash, settings_.cost)) {
    auto hash = security::HashPassword(password, settings_.cost);
    if (hash.ok()) rehashed = std::move(hash).value();
  }
  auto unlocked = database_.Read<security::UnlockedKey>(
      [&](storage::Connection& c) { return vault_.UnlockUserKey(c, user.id, password); });
  const UnixMillis now = clock_.Now();
  const UnixMillis expires_at = now + std::int64_t{settings_.session_absolute_seconds} * 1000;
  const std::string token = security::RandomToken(32);
  ASSIGN_OR_RETURN(
      std::int64_t session_id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        // Before the session exists: an administrator who disabled the account or ended its
        // sessions while the password was being checked wins the race.
        ASSIGN_OR_RETURN(bool current,
                         store_.TouchLoginIfCurrent(c, user.id, credentials->sessions_epoch, now));
        if (!current) return invalid;
        RETURN_IF_ERROR(store_.ClearFailuresForUser(c, username));
        if (rehashed) {
          RETURN_IF_ERROR(
              store_.ReplacePasswordHash(c, user.id, credentials->password_hash, *rehashed));
        }
        ASSIGN_OR_RETURN(auto id, store_.InsertSession(c, user.id, TokenHash(token), now,
                                                       expires_at, info.remote_address));
        security::Principal actor;
        actor.user_id = user.id;
        actor.username = user.username;
        RETURN_IF_ERROR(Audit(c, actor, "auth.login", "session", std::to_string(id), info));
        return id;
      }));
  keyring_.Sweep(now, std::int64_t{settings_.session_idle_seconds} * 1000);
  if (unlocked.ok()) keyring_.Put(session_id, std::move(unlocked).value(), expires_at, now);

  LoginResult result;
  result.user = user;
  result.user.last_login_at = now;
  result.session_token = token;
  result.csrf_token = CsrfToken(session_id);
  result.enrolment_required = TotpRequired(user.role) && !user.totp_enabled;
  result.password_change_required = user.must_change_password;
  return result;
}

Status AccountsService::Logout(const security::Principal& principal, const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  keyring_.Remove(principal.session_id);
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    RETURN_IF_ERROR(store_.RevokeSession(c, principal.session_id, clock_.Now()));
    return Audit(c, principal, "auth.logout", "session", std::to_string(principal.session_id),
                 info);
  });
}

Result<security::Principal> AccountsService::PrincipalFor(const User& user, std::int64_t session_id,
                                                          UnixMillis session_expires_at,
                                                          UnixMillis verified_at) const {
  security::Principal principal;
  principal.kind = security::Principal::Kind::kUser;
  principal.user_id = user.id;
  principal.username = user.username;
  principal.role = user.role;
  principal.session_id = session_id;
  principal.enrolment_required = TotpRequired(user.role) && !user.totp_enabled;
  principal.password_change_required = user.must_change_password;
  principal.session_expires_at = session_expires_at;
  principal.verified_at = verified_at;
  return principal;
}

std::optional<SessionRecord> AccountsService::CachedSessionFor(const std::string& token_hash,
                                                               UnixMillis now) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto found = sessions_by_token_.find(token_hash);
  if (found == sessions_by_token_.end()) return std::nullopt;
  if (found->second.generation != generation_.load() ||
      now - found->second.loaded_at >= kCacheMillis || now < found->second.loaded_at) {
    sessions_by_token_.erase(found);
    return std::nullopt;
  }
  return found->second.session;
}

void AccountsService::Remember(const std::string& token_hash, const SessionRecord& session,
                               std::uint64_t generation, UnixMillis now) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  // Bounded: a flood of sessions empties the cache rather than growing it.
  if (sessions_by_token_.size() >= 4096) sessions_by_token_.clear();
  if (users_by_id_.size() >= 4096) users_by_id_.clear();
  sessions_by_token_[token_hash] = CachedSession{session, now, generation};
  users_by_id_[session.user.id] = CachedUser{session.user, now, generation};
}

void AccountsService::SetCachedLastSeen(const std::string& token_hash, UnixMillis last_seen_at) {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  auto found = sessions_by_token_.find(token_hash);
  if (found != sessions_by_token_.end()) found->second.session.last_seen_at = last_seen_at;
}

Result<security::Principal> AccountsService::AuthenticateSession(const std::string& token) {
  const Status ended = Unauthenticated("your session has ended; sign in again");
  if (token.empty() || token.size() > 128) return ended;
  const std::string token_hash = TokenHash(token);
  const UnixMillis now = clock_.Now();
  std::optional<SessionRecord> session = CachedSessionFor(token_hash, now);
  if (!session) {
    const std::uint64_t generation = generation_.load();
    ASSIGN_OR_RETURN(
        session, database_.Read<std::optional<SessionRecord>>(
                     [&](storage::Connection& c) { return store_.FindSession(c, token_hash); }));
    if (!session) return ended;
    if (!session->revoked && !session->user.disabled)
      Remember(token_hash, *session, generation, now);
  }
  if (session->revoked || session->user.disabled) {
    keyring_.Remove(session->id);
    return ended;
  }
  const std::int64_t idle_millis = std::int64_t{settings_.session_idle_seconds} * 1000;
  if (now >= session->expires_at || now - session->last_seen_at > idle_millis) {
    auto invalidation = InvalidatesCache();
    keyring_.Remove(session->id);
    RETURN_IF_ERROR(database_.WriteTransaction(
        [&](storage::Connection& c) { return store_.RevokeSession(c, session->id, now); }));
    return ended;
  }
  // Writing on every request would serialise reads behind the write lock; a coarse
  // last-seen is enough for an idle timeout of minutes.
  const std::int64_t touch_after = std::min<std::int64_t>(30000, idle_millis / 4);
  if (now - session->last_seen_at >= touch_after) {
    auto lease = database_.Acquire();
    if (!lease.ok()) return lease.status();
    RETURN_IF_ERROR(store_.TouchSession(**lease, session->id, now));
    SetCachedLastSeen(token_hash, now);
    keyring_.Touch(session->id, now);
  }
  // Keys of sessions that ended without a request (closed browsers) are wiped within a minute.
  UnixMillis last_sweep = last_sweep_.load();
  if (now - last_sweep > 60000 && last_sweep_.compare_exchange_strong(last_sweep, now)) {
    keyring_.Sweep(now, idle_millis);
  }
  return PrincipalFor(session->user, session->id, session->expires_at, session->verified_at);
}

Result<security::Principal> AccountsService::AuthenticateApiToken(const std::string& secret) {
  const Status invalid = Unauthenticated("the API token is unknown, revoked or expired");
  if (secret.rfind("psea_", 0) != 0 || secret.size() > 128) return invalid;
  ASSIGN_OR_RETURN(auto token, database_.Read<std::optional<ApiToken>>([&](storage::Connection& c) {
    return store_.FindTokenByHash(c, TokenHash(secret));
  }));
  const UnixMillis now = clock_.Now();
  // A token dies with its creator's account: disabling a person disables what they made.
  if (!token || token->revoked || token->creator_disabled || now >= token->expires_at) {
    return invalid;
  }
  if (!token->last_used_at || now - *token->last_used_at > 60000) {
    auto lease = database_.Acquire();
    if (!lease.ok()) return lease.status();
    RETURN_IF_ERROR(store_.TouchToken(**lease, token->id, now));
  }
  security::Principal principal;
  principal.kind = security::Principal::Kind::kToken;
  principal.user_id = token->created_by;
  principal.username = "token:" + std::to_string(token->id);
  principal.token_id = token->id;
  principal.scopes = token->scopes;
  principal.sms_gateway = token->sms_gateway;
  return principal;
}

std::string AccountsService::CsrfToken(std::int64_t session_id) const {
  // A function of the session id and the server key only: each thread remembers the last one
  // it computed, which a browser's burst of requests asks for again and again.
  thread_local std::uint64_t last_instance = 0;
  thread_local std::int64_t last_session = 0;
  thread_local std::string last_token;
  if (last_instance == instance_ && last_session == session_id && !last_token.empty()) {
    return last_token;
  }
  std::string token = security::Base64UrlEncode(
      security::HmacSha256(server_key_.bytes(), "psea-csrf:" + std::to_string(session_id)));
  last_instance = instance_;
  last_session = session_id;
  last_token = token;
  return token;
}

bool AccountsService::CheckCsrf(std::int64_t session_id, std::string_view token) const {
  return security::ConstantTimeEquals(CsrfToken(session_id), token);
}

Status AccountsService::UnlockVault(const security::Principal& principal,
                                    const std::string& password, const RequestInfo& info) {
  // A stolen session must not become a way to guess the password without limit.
  RETURN_IF_ERROR(CheckThrottle(principal.username, info));
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsById(c, principal.user_id);
                   }));
  if (!credentials || !security::VerifyPassword(password, credentials->password_hash)) {
    RETURN_IF_ERROR(RecordFailure(principal.username, principal.user_id, info, "unlock"));
    return Status(ErrorCode::kInvalidCredentials, "wrong password", "password");
  }
  ASSIGN_OR_RETURN(auto key, database_.Read<security::UnlockedKey>([&](storage::Connection& c) {
    return vault_.UnlockUserKey(c, principal.user_id, password);
  }));
  const UnixMillis now = clock_.Now();
  keyring_.Put(principal.session_id, std::move(key), principal.session_expires_at, now);
  return database_.WriteTransaction([&](storage::Connection& c) {
    return Audit(c, principal, "vault.unlock", "session", std::to_string(principal.session_id),
                 info);
  });
}

Status AccountsService::CheckTotpCode(const UserCredentials& credentials, const std::string& code,
                                      const RequestInfo& info, const char* failure_reason) {
  if (code.empty()) {
    return Status(ErrorCode::kTotpRequired, "enter the 6-digit code from your authenticator app",
                  "totp_code");
  }
  ASSIGN_OR_RETURN(std::string secret,
                   OpenTotpSecret(credentials.user.id, credentials.totp_secret_sealed));
  security::SecretBytes wiped(secret);
  security::Wipe(secret);
  const auto step = security::MatchTotp(wiped.bytes(), code, clock_.Now() / 1000);
  bool accepted = false;
  if (step) {
    ASSIGN_OR_RETURN(accepted, database_.Read<bool>([&](storage::Connection& c) {
      return store_.ConsumeTotpStep(c, credentials.user.id, *step);
    }));
  }
  if (!accepted) {
    RETURN_IF_ERROR(
        RecordFailure(credentials.user.username, credentials.user.id, info, failure_reason));
    return Status(ErrorCode::kTotpInvalid, "the code is wrong or was already used", "totp_code");
  }
  return Status::Ok();
}

Status AccountsService::MarkVerified(const security::Principal& principal) {
  if (principal.session_id == 0) return Status::Ok();
  auto invalidation = InvalidatesCache();
  return database_.WriteTransaction([&](storage::Connection& c) {
    return store_.MarkSessionVerified(c, principal.session_id, clock_.Now());
  });
}

Status AccountsService::VerifyStepUp(const security::Principal& principal,
                                     const security::StepUpProof& proof, const RequestInfo& info) {
  if (principal.kind != security::Principal::Kind::kUser) {
    return PermissionDenied("only a person may do this");
  }
  RETURN_IF_ERROR(CheckThrottle(principal.username, info));
  if (proof.password.empty()) {
    return Status(ErrorCode::kInvalidCredentials, "enter your password to confirm this change",
                  "current_password");
  }
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsById(c, principal.user_id);
                   }));
  if (!credentials || credentials->user.disabled ||
      !security::VerifyPassword(proof.password, credentials->password_hash)) {
    RETURN_IF_ERROR(RecordFailure(principal.username, principal.user_id, info, "step_up"));
    return Status(ErrorCode::kInvalidCredentials, "wrong password", "current_password");
  }
  // Only a demo database lets a role that reaches identities go without 2FA.
  if (credentials->user.totp_enabled) {
    RETURN_IF_ERROR(CheckTotpCode(*credentials, proof.totp_code, info, "step_up_totp"));
  }
  return MarkVerified(principal);
}

Status AccountsService::Reauthenticate(const security::Principal& principal,
                                       const std::string& totp_code, const std::string& password,
                                       const RequestInfo& info) {
  if (principal.kind != security::Principal::Kind::kUser || principal.session_id == 0) {
    return PermissionDenied("only a signed-in person may do this");
  }
  RETURN_IF_ERROR(CheckThrottle(principal.username, info));
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsById(c, principal.user_id);
                   }));
  if (!credentials || credentials->user.disabled) return Unauthenticated("sign in again");
  if (credentials->user.totp_enabled) {
    RETURN_IF_ERROR(CheckTotpCode(*credentials, totp_code, info, "reauth"));
  } else if (password.empty() || !security::VerifyPassword(password, credentials->password_hash)) {
    // Without 2FA (a demo database, a role that need not enrol) the password is the proof.
    if (!password.empty()) {
      RETURN_IF_ERROR(RecordFailure(principal.username, principal.user_id, info, "reauth"));
    }
    return Status(ErrorCode::kInvalidCredentials, "enter your password", "password");
  }
  RETURN_IF_ERROR(MarkVerified(principal));
  return database_.WriteTransaction([&](storage::Connection& c) {
    return Audit(c, principal, "auth.reauth", "session", std::to_string(principal.session_id),
                 info);
  });
}

Result<User> AccountsService::GetUser(std::int64_t id) {
  const UnixMillis now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto found = users_by_id_.find(id);
    if (found != users_by_id_.end()) {
      if (found->second.generation == generation_.load() &&
          now - found->second.loaded_at < kCacheMillis && now >= found->second.loaded_at) {
        return found->second.user;
      }
      users_by_id_.erase(found);
    }
  }
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>(
                       [&](storage::Connection& c) { return store_.FindCredentialsById(c, id); }));
  if (!credentials) return NotFound("no such user");
  return credentials->user;
}

Result<TotpEnrolment> AccountsService::BeginTotpEnrolment(const security::Principal& principal,
                                                          const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  if (principal.kind != security::Principal::Kind::kUser || principal.session_id == 0) {
    return PermissionDenied("only a signed-in person can enrol their own 2FA");
  }
  ASSIGN_OR_RETURN(User user, GetUser(principal.user_id));
  if (user.totp_enabled) return Conflict("two-factor authentication is already on");
  std::string fresh = security::GenerateTotpSecret();
  const std::string offered = SealTotpSecret(user.id, fresh);
  security::Wipe(fresh);
  // An enrolment already pending is shown again (a reload, or two requests at once): the
  // phone may have scanned it.
  std::string pending;
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(pending, store_.OfferTotpPending(c, user.id, offered));
    return Audit(c, principal, "auth.totp_enrolment_started", "user", std::to_string(user.id),
                 info);
  }));
  ASSIGN_OR_RETURN(std::string secret, OpenTotpSecret(user.id, pending));
  TotpEnrolment enrolment;
  enrolment.secret_base32 = security::Base32Encode(secret);
  enrolment.otpauth_uri = security::OtpauthUri("psea", user.username, secret);
  enrolment.qr_svg = security::QrCodeSvg(enrolment.otpauth_uri);
  security::Wipe(secret);
  return enrolment;
}

Result<User> AccountsService::ConfirmTotp(const security::Principal& principal,
                                          const std::string& code, const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  if (principal.kind != security::Principal::Kind::kUser || principal.session_id == 0) {
    return PermissionDenied("only a signed-in person can enrol their own 2FA");
  }
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsById(c, principal.user_id);
                   }));
  if (!credentials) return NotFound("no such user");
  if (credentials->user.totp_enabled) return Conflict("two-factor authentication is already on");
  if (credentials->totp_pending_sealed.empty()) {
    return Unprocessable("start the enrolment first");
  }
  ASSIGN_OR_RETURN(std::string secret,
                   OpenTotpSecret(principal.user_id, credentials->totp_pending_sealed));
  security::SecretBytes wiped(secret);
  security::Wipe(secret);
  const auto step = security::MatchTotp(wiped.bytes(), code, clock_.Now() / 1000);
  if (!step) {
    return Status(ErrorCode::kTotpInvalid, "the code does not match; check your phone's clock",
                  "code");
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    RETURN_IF_ERROR(
        store_.EnableTotp(c, principal.user_id, credentials->totp_pending_sealed, *step));
    return Audit(c, principal, "auth.totp_enabled", "user", std::to_string(principal.user_id),
                 info);
  }));
  return GetUser(principal.user_id);
}

Status AccountsService::ChangePassword(const security::Principal& principal,
                                       const std::string& current_password,
                                       const std::string& new_password, const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  if (principal.kind != security::Principal::Kind::kUser) return PermissionDenied();
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsById(c, principal.user_id);
                   }));
  if (!credentials) return NotFound("no such user");
  RETURN_IF_ERROR(CheckThrottle(credentials->user.username, info));
  if (!security::VerifyPassword(current_password, credentials->password_hash)) {
    RETURN_IF_ERROR(RecordFailure(credentials->user.username, principal.user_id, info, "password"));
    return Status(ErrorCode::kInvalidCredentials, "the current password is wrong",
                  "current_password");
  }
  if (Status policy = security::CheckPasswordPolicy(new_password, credentials->user.username);
      !policy.ok()) {
    // The policy names "password"; this request calls the field "new_password".
    return InvalidArgument(policy.message(), "new_password");
  }
  if (new_password == current_password) {
    return InvalidArgument("the new password must differ from the current one", "new_password");
  }
  ASSIGN_OR_RETURN(std::string hash, security::HashPassword(new_password, settings_.cost));
  std::optional<security::UnlockedKey> rotated;
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    auto key = vault_.UnlockUserKey(c, principal.user_id, current_password);
    if (!key.ok()) {
      return Internal("the vault key of user " + std::to_string(principal.user_id) +
                      " does not open with the current password");
    }
    ASSIGN_OR_RETURN(auto new_key, vault_.RotateUserKey(c, *key, new_password));
    rotated = std::move(new_key);
    RETURN_IF_ERROR(store_.SetPasswordHash(c, principal.user_id, hash, false, clock_.Now()));
    // Whoever knew the old password loses every other session.
    RETURN_IF_ERROR(
        store_.RevokeOtherSessions(c, principal.user_id, principal.session_id, clock_.Now()));
    return Audit(c, principal, "auth.password_changed", "user", std::to_string(principal.user_id),
                 info);
  }));
  if (rotated && principal.session_id != 0) {
    keyring_.Put(principal.session_id, std::move(*rotated), principal.session_expires_at,
                 clock_.Now());
  }
  return Status::Ok();
}

Result<std::vector<User>> AccountsService::ListUsers() {
  return database_.Read<std::vector<User>>(
      [&](storage::Connection& c) { return store_.ListUsers(c); });
}

Result<User> AccountsService::FindUserByName(const std::string& username) {
  ASSIGN_OR_RETURN(std::string normalized, NormalizeUsername(username));
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>([&](storage::Connection& c) {
                     return store_.FindCredentialsByName(c, normalized);
                   }));
  if (!credentials) return NotFound("no user named " + normalized);
  return credentials->user;
}

Result<User> AccountsService::CreateUser(const std::optional<security::Principal>& actor,
                                         NewUser user, const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  ASSIGN_OR_RETURN(user.username, NormalizeUsername(user.username));
  if (user.display_name.empty()) user.display_name = user.username;
  RETURN_IF_ERROR(security::CheckPasswordPolicy(user.password, user.username));
  ASSIGN_OR_RETURN(std::string hash, security::HashPassword(user.password, settings_.cost));
  ASSIGN_OR_RETURN(
      std::int64_t id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto new_id, store_.InsertUser(c, user, hash, clock_.Now()));
        RETURN_IF_ERROR(vault_.CreateUserKeys(c, new_id, user.password));
        RETURN_IF_ERROR(Audit(c, actor, "user.create", "user", std::to_string(new_id), info,
                              "{\"role\":\"" + std::string(security::RoleName(user.role)) + "\"}"));
        return new_id;
      }));
  return GetUser(id);
}

Result<User> AccountsService::UpdateUser(const std::optional<security::Principal>& actor,
                                         std::int64_t id, const UserPatch& patch,
                                         const RequestInfo& info) {
  auto invalidation = InvalidatesCache();
  ASSIGN_OR_RETURN(auto credentials,
                   database_.Read<std::optional<UserCredentials>>(
                       [&](storage::Connection& c) { return store_.FindCredentialsById(c, id); }));
  if (!credentials) return NotFound("no such user");
  User updated = credentials->user;
  std::vector<std::string> changed;
  if (patch.display_name && *patch.display_name != updated.display_name) {
    if (patch.display_name->empty())
      return InvalidArgument("display_name is empty", "display_name");
    updated.display_name = *patch.display_name;
    changed.push_back("display_name");
  }
  if (patch.role && *patch.role != updated.role) {
    updated.role = *patch.role;
    changed.push_back("role");
  }
  if (patch.disabled && *patch.disabled != updated.disabled) {
    updated.disabled = *patch.disabled;
    changed.push_back("disabled");
  }
  const bool self = actor && actor->user_id == id;
  if (self && (updated.disabled || updated.role != credentials->user.role)) {
    return Unprocessable("you cannot disable yourself or change your own role; ask another admin");
  }
  const bool role_changed = updated.role != credentials->user.role;
  std::string hash;
  if (patch.password) {
    RETURN_IF_ERROR(security::CheckPasswordPolicy(*patch.password, updated.username));
    ASSIGN_OR_RETURN(hash, security::HashPassword(*patch.password, settings_.cost));
  }
  // Dangerous through the API: the actor proves again who they are, in the same request.
  if (actor && (role_changed || patch.password || patch.reset_totp)) {
    if (!patch.step_up) {
      return Status(ErrorCode::kInvalidCredentials,
                    "enter your password and a fresh 2FA code to confirm this change",
                    "current_password");
    }
    RETURN_IF_ERROR(VerifyStepUp(*actor, *patch.step_up, info));
  }
  const bool end_sessions = updated.disabled || patch.password || patch.reset_totp || role_changed;
  // Whoever reads sealed records stops at once when their role changes or their account is
  // disabled: out of every reader set, every wrap deleted. After someone else chose their
  // password, they leave the reader sets (that person could sign in as them and receive new
  // items); their old wraps no longer open (a new key pair) and `psea vault recover-user` can
  // still restore them.
  const bool disabling = updated.disabled && !credentials->user.disabled;
  const char* access_end_reason = role_changed     ? "role_changed"
                                  : disabling      ? "disabled"
                                  : patch.password ? "password_reset"
                                                   : nullptr;
  const bool revoke_wraps = role_changed || disabling;
  std::vector<std::string> scopes_left;
  std::int64_t wraps_revoked = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    const UnixMillis now = clock_.Now();
    scopes_left.clear();
    wraps_revoked = 0;
    if (access_end_reason) {
      ASSIGN_OR_RETURN(scopes_left,
                       readers_.RemoveEverywhere(c, id, updated.username, access_end_reason, now));
      if (revoke_wraps) {
        ASSIGN_OR_RETURN(wraps_revoked, vault_.RevokeEverything(c, id));
      }
      if (!scopes_left.empty() || wraps_revoked > 0) {
        RETURN_IF_ERROR(Audit(c, actor, "user.access_ended", "user", std::to_string(id), info,
                              "{\"reason\":\"" + std::string(access_end_reason) +
                                  "\",\"readers_of\":" + JsonList(scopes_left) +
                                  ",\"wraps\":" + std::to_string(wraps_revoked) + "}"));
      }
    }
    if (!changed.empty()) {
      RETURN_IF_ERROR(
          store_.UpdateProfile(c, id, updated.display_name, updated.role, updated.disabled, now));
      RETURN_IF_ERROR(Audit(c, actor, "user.update", "user", std::to_string(id), info,
                            "{\"fields\":" + JsonList(changed) + "}"));
    }
    if (patch.reset_totp) {
      RETURN_IF_ERROR(store_.ResetTotp(c, id));
      RETURN_IF_ERROR(Audit(c, actor, "user.reset_totp", "user", std::to_string(id), info));
    }
    if (patch.password) {
      RETURN_IF_ERROR(store_.SetPasswordHash(c, id, hash, true, now));
      // The old private key is sealed under the old password, which nobody here knows.
      RETURN_IF_ERROR(vault_.ResetUserKeys(c, id, *patch.password));
      RETURN_IF_ERROR(Audit(c, actor, "user.reset_password", "user", std::to_string(id), info));
    }
    if (end_sessions) RETURN_IF_ERROR(store_.RevokeUserSessions(c, id, now));
    return Status::Ok();
  }));
  if (end_sessions) keyring_.RemoveUser(id);
  if (!scopes_left.empty() && settings_.on_reader_access_ended) {
    settings_.on_reader_access_ended(id, updated.username, scopes_left, access_end_reason);
  }
  return GetUser(id);
}

Result<std::int64_t> AccountsService::CountEndedSessions(storage::Connection& c,
                                                         UnixMillis last_seen_before) {
  const UnixMillis now = clock_.Now();
  return store_.CountEndedSessions(c, last_seen_before, now,
                                   now - std::int64_t{settings_.session_idle_seconds} * 1000);
}

Result<std::int64_t> AccountsService::PurgeEndedSessions(storage::Connection& c,
                                                         UnixMillis last_seen_before) {
  const UnixMillis now = clock_.Now();
  return store_.DeleteEndedSessions(c, last_seen_before, now,
                                    now - std::int64_t{settings_.session_idle_seconds} * 1000);
}

Result<std::vector<ApiToken>> AccountsService::ListTokens() {
  return database_.Read<std::vector<ApiToken>>(
      [&](storage::Connection& c) { return store_.ListTokens(c); });
}

Result<std::pair<ApiToken, std::string>> AccountsService::CreateToken(
    const security::Principal& actor, const NewApiToken& token, const RequestInfo& info) {
  if (token.name.empty()) return InvalidArgument("name is required", "name");
  if (token.scopes.empty()) return InvalidArgument("scopes must name at least one scope", "scopes");
  for (const auto& scope : token.scopes) {
    if (!security::IsKnownScope(scope)) return InvalidArgument("unknown scope " + scope, "scopes");
  }
  if (token.expires_in_days < 1 || token.expires_in_days > 730) {
    return InvalidArgument("expires_in_days must be between 1 and 730", "expires_in_days");
  }
  const bool sms =
      std::find(token.scopes.begin(), token.scopes.end(), "intake.sms") != token.scopes.end();
  NewApiToken stored = token;
  if (!sms && !token.sms_gateway.empty()) {
    return InvalidArgument("gateway is only for tokens with scope intake.sms", "gateway");
  }
  if (sms && stored.sms_gateway.empty()) stored.sms_gateway = "generic";
  if (sms && !security::IsKnownSmsGatewayKind(stored.sms_gateway)) {
    return InvalidArgument("unknown gateway " + stored.sms_gateway, "gateway");
  }
  const std::string secret = "psea_" + security::RandomToken(32);
  const UnixMillis now = clock_.Now();
  const UnixMillis expires_at = now + std::int64_t{token.expires_in_days} * 86400 * 1000;
  ASSIGN_OR_RETURN(
      std::int64_t id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto new_id, store_.InsertToken(c, stored, TokenHash(secret),
                                                         actor.user_id, now, expires_at));
        std::string details = "{\"scopes\":" + JsonList(token.scopes);
        if (sms) details += ",\"gateway\":\"" + stored.sms_gateway + "\"";
        RETURN_IF_ERROR(
            Audit(c, actor, "token.create", "token", std::to_string(new_id), info, details + "}"));
        return new_id;
      }));
  ASSIGN_OR_RETURN(auto created,
                   database_.Read<std::optional<ApiToken>>(
                       [&](storage::Connection& c) { return store_.FindToken(c, id); }));
  // Inserted a moment ago: its absence is a broken invariant, never an empty optional read.
  if (!created) return Internal("the new token could not be read back");
  return std::make_pair(std::move(*created), secret);
}

Status AccountsService::RevokeToken(const security::Principal& actor, std::int64_t id,
                                    const RequestInfo& info) {
  return database_.WriteTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto token, store_.FindToken(c, id));
    if (!token) return NotFound("no such token");
    RETURN_IF_ERROR(store_.RevokeToken(c, id, clock_.Now()));
    return Audit(c, actor, "token.revoke", "token", std::to_string(id), info);
  });
}

}  // namespace psea::accounts
