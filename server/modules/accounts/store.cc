#include "modules/accounts/store.h"

#include <sstream>

namespace psea::accounts {

namespace {
constexpr const char* kUserColumns =
    "id, username, display_name, role, disabled, totp_enabled, created_at, last_login_at, "
    "must_change_password";
constexpr const char* kCredentialColumns =
    "id, username, display_name, role, disabled, totp_enabled, created_at, last_login_at, "
    "must_change_password, password_hash, totp_secret_sealed, totp_pending_sealed, "
    "totp_last_step, sessions_epoch";

User UserFromRow(const storage::Row& row) {
  User user;
  user.id = row.Int(0);
  user.username = row.Text(1);
  user.display_name = row.Text(2);
  user.role = security::ParseRole(row.Text(3)).value_or(security::Role::kLeadership);
  user.disabled = row.Bool(4);
  user.totp_enabled = row.Bool(5);
  user.created_at = row.Int(6);
  user.last_login_at = row.OptInt(7);
  user.must_change_password = row.Bool(8);
  return user;
}

UserCredentials CredentialsFromRow(const storage::Row& row) {
  UserCredentials credentials;
  credentials.user = UserFromRow(row);
  credentials.password_hash = row.Text(9);
  credentials.totp_secret_sealed = row.IsNull(10) ? "" : row.Bytes(10);
  credentials.totp_pending_sealed = row.IsNull(11) ? "" : row.Bytes(11);
  credentials.totp_last_step = row.Int(12);
  credentials.sessions_epoch = row.Int(13);
  return credentials;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) out += (out.empty() ? "" : " ") + scope;
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string scope; in >> scope;) out.push_back(scope);
  return out;
}

constexpr const char* kTokenSelect =
    "SELECT t.id, t.name, t.scopes, t.created_by, u.username, t.created_at, t.expires_at, "
    "t.revoked_at, t.last_used_at, u.disabled, t.sms_gateway FROM api_tokens t JOIN users u ON "
    "u.id = "
    "t.created_by";

ApiToken TokenFromRow(const storage::Row& row) {
  ApiToken token;
  token.id = row.Int(0);
  token.name = row.Text(1);
  token.scopes = SplitScopes(row.Text(2));
  token.created_by = row.Int(3);
  token.created_by_username = row.Text(4);
  token.created_at = row.Int(5);
  token.expires_at = row.Int(6);
  token.revoked = !row.IsNull(7);
  token.last_used_at = row.OptInt(8);
  token.creator_disabled = row.Bool(9);
  token.sms_gateway = row.Text(10);
  return token;
}
}  // namespace

std::vector<storage::Migration> AccountsStore::Migrations() {
  return {{"accounts", 1, "users, sessions, API tokens, login throttling", R"sql(
CREATE TABLE users (
  id {{ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  totp_secret_sealed {{BLOB}},
  totp_pending_sealed {{BLOB}},
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  last_login_at BIGINT
);
CREATE TABLE sessions (
  id {{ID}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  remote_address TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE api_tokens (
  id {{ID}},
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  last_used_at BIGINT
);
CREATE TABLE login_failures (
  id {{ID}},
  username TEXT NOT NULL,
  remote_address TEXT NOT NULL,
  failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, failed_at);
CREATE INDEX login_failures_address ON login_failures (remote_address, failed_at);
)sql"},
          {"accounts", 2, "passwords chosen by someone else must be replaced", R"sql(
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
)sql"},
          {"accounts", 3, "proofs of presence per session; an epoch that ends sign-ins in flight",
           R"sql(
ALTER TABLE sessions ADD COLUMN verified_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN sessions_epoch BIGINT NOT NULL DEFAULT 0;
)sql"},
          // Until now every active CDT chief read what intake seals, by role. Readers are an
          // explicit list from here on: the chiefs of an upgraded database stay readers.
          {"accounts", 4, "CDT chiefs become explicit intake readers", R"sql(
INSERT INTO reader_members (scope, user_id, added_by, added_by_name, added_at)
  SELECT 'intake', id, 0, 'upgrade', updated_at FROM users
  WHERE role = 'cdt_chief' AND disabled = 0;
)sql"},
          // Real SMS gateways each send their own shape and authenticate their own way: a token
          // with scope intake.sms names its gateway. Tokens made before are the generic kind.
          {"accounts", 5, "SMS tokens name their gateway kind", R"sql(
ALTER TABLE api_tokens ADD COLUMN sms_gateway TEXT NOT NULL DEFAULT '';
UPDATE api_tokens SET sms_gateway = 'generic' WHERE scopes LIKE '%intake.sms%';
)sql"}};
}

Result<std::int64_t> AccountsStore::InsertUser(storage::Connection& c, const NewUser& user,
                                               const std::string& password_hash,
                                               UnixMillis now) const {
  auto row = c.QueryOne(
      "INSERT INTO users (username, display_name, role, password_hash, created_at, updated_at, "
      "password_changed_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {user.username, user.display_name, std::string(security::RoleName(user.role)), password_hash,
       now, now, now, std::int64_t{user.must_change_password ? 1 : 0}});
  if (!row.ok()) {
    if (row.status().code() == ErrorCode::kConflict) {
      return Conflict("the user name " + user.username + " is taken", "username");
    }
    return row.status();
  }
  return (*row)->Int(0);
}

Result<std::optional<UserCredentials>> AccountsStore::FindCredentialsByName(
    storage::Connection& c, const std::string& username) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kCredentialColumns +
                                            " FROM users WHERE username = ?",
                                        {username}));
  if (!row) return std::optional<UserCredentials>();
  return std::optional<UserCredentials>(CredentialsFromRow(*row));
}

Result<std::optional<UserCredentials>> AccountsStore::FindCredentialsById(storage::Connection& c,
                                                                          std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(std::string("SELECT ") + kCredentialColumns + " FROM users WHERE id = ?", {id}));
  if (!row) return std::optional<UserCredentials>();
  return std::optional<UserCredentials>(CredentialsFromRow(*row));
}

Result<std::vector<User>> AccountsStore::ListUsers(storage::Connection& c) const {
  ASSIGN_OR_RETURN(
      auto rows, c.Query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY username"));
  std::vector<User> users;
  for (const auto& row : rows.rows) users.push_back(UserFromRow(row));
  return users;
}

Status AccountsStore::UpdateProfile(storage::Connection& c, std::int64_t id,
                                    const std::string& display_name, security::Role role,
                                    bool disabled, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute(
      "UPDATE users SET display_name = ?, role = ?, disabled = ?, updated_at = ? WHERE id = ?",
      {display_name, std::string(security::RoleName(role)), std::int64_t{disabled ? 1 : 0}, now,
       id}));
  return Status::Ok();
}

Status AccountsStore::ReplacePasswordHash(storage::Connection& c, std::int64_t id,
                                          const std::string& old_hash,
                                          const std::string& new_hash) const {
  RETURN_IF_ERROR(c.Execute("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
                            {new_hash, id, old_hash}));
  return Status::Ok();
}

Status AccountsStore::SetPasswordHash(storage::Connection& c, std::int64_t id,
                                      const std::string& hash, bool must_change,
                                      UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET password_hash = ?, password_changed_at = ?, "
                "updated_at = ?, must_change_password = ? WHERE id = ?",
                {hash, now, now, std::int64_t{must_change ? 1 : 0}, id}));
  return Status::Ok();
}

Result<std::string> AccountsStore::OfferTotpPending(storage::Connection& c, std::int64_t id,
                                                    const std::string& sealed) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET totp_pending_sealed = ? WHERE id = ? AND "
                "totp_pending_sealed IS NULL",
                {storage::Blob{sealed}, id}));
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT totp_pending_sealed FROM users WHERE id = ?", {id}));
  if (!row || row->IsNull(0)) return NotFound("no such user");
  return row->Bytes(0);
}

Status AccountsStore::EnableTotp(storage::Connection& c, std::int64_t id, const std::string& sealed,
                                 std::int64_t step) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET totp_secret_sealed = ?, totp_pending_sealed = NULL, "
                "totp_enabled = 1, totp_last_step = ? WHERE id = ?",
                {storage::Blob{sealed}, step, id}));
  return Status::Ok();
}

Result<bool> AccountsStore::ConsumeTotpStep(storage::Connection& c, std::int64_t id,
                                            std::int64_t step) const {
  // One conditional UPDATE: two requests racing with the same code cannot both win.
  ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE users SET totp_last_step = ? "
                                           "WHERE id = ? AND totp_last_step < ?",
                                           {step, id, step}));
  return changed == 1;
}

Status AccountsStore::ResetTotp(storage::Connection& c, std::int64_t id) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET totp_secret_sealed = NULL, totp_pending_sealed = "
                "NULL, totp_enabled = 0 WHERE id = ?",
                {id}));
  return Status::Ok();
}

Result<bool> AccountsStore::TouchLoginIfCurrent(storage::Connection& c, std::int64_t id,
                                                std::int64_t sessions_epoch, UnixMillis now) const {
  // One conditional UPDATE: it waits for (PostgreSQL row lock) or follows (SQLite write lock)
  // an administrator's transaction that ends the user's sessions, and then matches no row.
  ASSIGN_OR_RETURN(auto changed, c.Execute("UPDATE users SET last_login_at = ? WHERE id = ? AND "
                                           "sessions_epoch = ? AND disabled = 0",
                                           {now, id, sessions_epoch}));
  return changed == 1;
}

Result<std::int64_t> AccountsStore::InsertSession(storage::Connection& c, std::int64_t user_id,
                                                  const std::string& token_hash, UnixMillis now,
                                                  UnixMillis expires_at,
                                                  const std::string& remote_address) const {
  ASSIGN_OR_RETURN(
      auto row, c.QueryOne("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, "
                           "expires_at, remote_address, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                           "RETURNING id",
                           {token_hash, user_id, now, now, expires_at, remote_address, now}));
  return row->Int(0);
}

Result<std::optional<SessionRecord>> AccountsStore::FindSession(
    storage::Connection& c, const std::string& token_hash) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at, "
          "u.id, u.username, u.display_name, u.role, u.disabled, u.totp_enabled, "
          "u.created_at, u.last_login_at, u.must_change_password, s.verified_at FROM sessions s "
          "JOIN users u ON u.id = s.user_id "
          "WHERE s.token_hash = ?",
          {token_hash}));
  if (!row) return std::optional<SessionRecord>();
  SessionRecord session;
  session.id = row->Int(0);
  session.user_id = row->Int(1);
  session.created_at = row->Int(2);
  session.last_seen_at = row->Int(3);
  session.expires_at = row->Int(4);
  session.revoked = !row->IsNull(5);
  session.user.id = row->Int(6);
  session.user.username = row->Text(7);
  session.user.display_name = row->Text(8);
  session.user.role = security::ParseRole(row->Text(9)).value_or(security::Role::kLeadership);
  session.user.disabled = row->Bool(10);
  session.user.totp_enabled = row->Bool(11);
  session.user.created_at = row->Int(12);
  session.user.last_login_at = row->OptInt(13);
  session.user.must_change_password = row->Bool(14);
  session.verified_at = row->Int(15);
  return std::optional<SessionRecord>(std::move(session));
}

Status AccountsStore::TouchSession(storage::Connection& c, std::int64_t id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now, id}));
  return Status::Ok();
}

Status AccountsStore::RevokeSession(storage::Connection& c, std::int64_t id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute(
      "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, id}));
  return Status::Ok();
}

Status AccountsStore::MarkSessionVerified(storage::Connection& c, std::int64_t id,
                                          UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute("UPDATE sessions SET verified_at = ? WHERE id = ?", {now, id}));
  return Status::Ok();
}

Status AccountsStore::RevokeUserSessions(storage::Connection& c, std::int64_t user_id,
                                         UnixMillis now) const {
  // The epoch first: a sign-in in flight then finds its epoch stale and creates no session.
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET sessions_epoch = sessions_epoch + 1 WHERE id = ?", {user_id}));
  RETURN_IF_ERROR(
      c.Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                {now, user_id}));
  return Status::Ok();
}

Status AccountsStore::RevokeOtherSessions(storage::Connection& c, std::int64_t user_id,
                                          std::int64_t keep_session, UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("UPDATE users SET sessions_epoch = sessions_epoch + 1 WHERE id = ?", {user_id}));
  RETURN_IF_ERROR(
      c.Execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? "
                "AND revoked_at IS NULL",
                {now, user_id, keep_session}));
  return Status::Ok();
}

Result<std::int64_t> AccountsStore::CountFailuresForUser(storage::Connection& c,
                                                         const std::string& username,
                                                         UnixMillis since) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM login_failures "
                                        "WHERE username = ? AND failed_at > ?",
                                        {username, since}));
  return row->Int(0);
}

Result<std::int64_t> AccountsStore::CountFailuresForAddress(storage::Connection& c,
                                                            const std::string& address,
                                                            UnixMillis since) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM login_failures "
                                        "WHERE remote_address = ? AND failed_at > ?",
                                        {address, since}));
  return row->Int(0);
}

Result<std::optional<UnixMillis>> AccountsStore::OldestFailure(storage::Connection& c,
                                                               const std::string& column,
                                                               const std::string& value,
                                                               UnixMillis since) const {
  const std::string sql = column == "username"
                              ? "SELECT MIN(failed_at) FROM login_failures WHERE username = ? "
                                "AND failed_at > ?"
                              : "SELECT MIN(failed_at) FROM login_failures WHERE remote_address "
                                "= ? AND failed_at > ?";
  ASSIGN_OR_RETURN(auto row, c.QueryOne(sql, {value, since}));
  return row->OptInt(0);
}

Status AccountsStore::RecordFailure(storage::Connection& c, const std::string& username,
                                    const std::string& address, UnixMillis now) const {
  RETURN_IF_ERROR(
      c.Execute("INSERT INTO login_failures (username, remote_address, failed_at) "
                "VALUES (?, ?, ?)",
                {username, address, now}));
  // Failures older than a day count for nothing; the attempted names must not pile up.
  RETURN_IF_ERROR(c.Execute("DELETE FROM login_failures WHERE failed_at < ?",
                            {now - std::int64_t{24} * 3600 * 1000}));
  return Status::Ok();
}

Status AccountsStore::ClearFailuresForUser(storage::Connection& c,
                                           const std::string& username) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM login_failures WHERE username = ?", {username}));
  return Status::Ok();
}

namespace {
constexpr const char* kEndedSessions =
    " FROM sessions WHERE last_seen_at < ? AND (revoked_at IS NOT NULL OR expires_at < ? OR "
    "last_seen_at < ?)";
}  // namespace

Result<std::int64_t> AccountsStore::CountEndedSessions(storage::Connection& c,
                                                       UnixMillis last_seen_before, UnixMillis now,
                                                       UnixMillis idle_before) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT COUNT(*)") + kEndedSessions,
                                        {last_seen_before, now, idle_before}));
  return row ? row->Int(0) : 0;
}

Result<std::int64_t> AccountsStore::DeleteEndedSessions(storage::Connection& c,
                                                        UnixMillis last_seen_before, UnixMillis now,
                                                        UnixMillis idle_before) const {
  return c.Execute(std::string("DELETE") + kEndedSessions, {last_seen_before, now, idle_before});
}

Result<std::int64_t> AccountsStore::InsertToken(storage::Connection& c, const NewApiToken& token,
                                                const std::string& token_hash,
                                                std::int64_t created_by, UnixMillis now,
                                                UnixMillis expires_at) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO api_tokens (name, token_hash, scopes, created_by, "
                 "created_at, expires_at, sms_gateway) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {token.name, token_hash, JoinScopes(token.scopes), created_by, now, expires_at,
                  token.sms_gateway}));
  return row->Int(0);
}

Result<std::optional<ApiToken>> AccountsStore::FindTokenByHash(
    storage::Connection& c, const std::string& token_hash) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne(std::string(kTokenSelect) + " WHERE t.token_hash = ?", {token_hash}));
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(TokenFromRow(*row));
}

Result<std::optional<ApiToken>> AccountsStore::FindToken(storage::Connection& c,
                                                         std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string(kTokenSelect) + " WHERE t.id = ?", {id}));
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(TokenFromRow(*row));
}

Result<std::vector<ApiToken>> AccountsStore::ListTokens(storage::Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string(kTokenSelect) + " ORDER BY t.id DESC"));
  std::vector<ApiToken> tokens;
  for (const auto& row : rows.rows) tokens.push_back(TokenFromRow(row));
  return tokens;
}

Status AccountsStore::RevokeToken(storage::Connection& c, std::int64_t id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute(
      "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {now, id}));
  return Status::Ok();
}

Status AccountsStore::TouchToken(storage::Connection& c, std::int64_t id, UnixMillis now) const {
  RETURN_IF_ERROR(c.Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, id}));
  return Status::Ok();
}

}  // namespace psea::accounts
