// Accounts: users, sessions and API tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "security/permissions.h"

namespace psea::accounts {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  security::Role role = security::Role::kLeadership;
  bool disabled = false;
  bool totp_enabled = false;
  UnixMillis created_at = 0;
  std::optional<UnixMillis> last_login_at;
  // Set when someone else chose the password (creation, reset): the user must replace it
  // before doing anything, so that nobody else knows the password that seals their vault key.
  bool must_change_password = false;
};

// A user row with the secrets the service needs; never leaves the service.
struct UserCredentials {
  User user;
  std::string password_hash;
  std::string totp_secret_sealed;   // empty when none
  std::string totp_pending_sealed;  // secret offered by enrolment, not yet confirmed
  std::int64_t totp_last_step = 0;
  std::int64_t sessions_epoch = 0;  // raised whenever all the user's sessions are ended
};

struct NewUser {
  std::string username;
  std::string display_name;
  security::Role role = security::Role::kLeadership;
  std::string password;
  // False only when the person typed the password themselves (demo and generated accounts,
  // `psea user add --no-password-change`).
  bool must_change_password = true;
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<security::Role> role;
  std::optional<bool> disabled;
  bool reset_totp = false;
  std::optional<std::string> password;  // an administrator's reset
  // The actor's password and a fresh 2FA code: required through the API for a role change and
  // for resetting a password or 2FA (never for the command line, which has no actor).
  std::optional<security::StepUpProof> step_up;
};

struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  UnixMillis created_at = 0;
  UnixMillis last_seen_at = 0;
  UnixMillis expires_at = 0;
  UnixMillis verified_at = 0;  // the last proof of presence (sign-in, 2FA code)
  bool revoked = false;
  User user;
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> scopes;
  std::string sms_gateway;  // with scope intake.sms: the gateway kind; empty otherwise
  std::int64_t created_by = 0;
  std::string created_by_username;
  UnixMillis created_at = 0;
  UnixMillis expires_at = 0;
  bool revoked = false;
  std::optional<UnixMillis> last_used_at;
  bool creator_disabled = false;
};

struct NewApiToken {
  std::string name;
  std::vector<std::string> scopes;
  int expires_in_days = 90;
  std::string sms_gateway;  // with scope intake.sms; empty means "generic"
};

// What login hands back: the raw session token goes into the cookie and nowhere else.
struct LoginResult {
  User user;
  std::string session_token;
  std::string csrf_token;
  bool enrolment_required = false;
  bool password_change_required = false;
};

struct TotpEnrolment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
};

}  // namespace psea::accounts
