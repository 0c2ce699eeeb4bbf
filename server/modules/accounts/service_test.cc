// The accounts service on both engines, with a fake clock so that throttling windows,
// session timeouts, token expiry and TOTP steps are moved by hand.
#include "modules/accounts/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "security/password.h"
#include "security/totp.h"
#include "storage/testing/test_databases.h"

namespace psea::accounts {
namespace {

using security::Principal;
using security::Role;
using storage::Connection;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
constexpr const char* kAddress = "192.0.2.10";
constexpr const char* kAlicePassword = "correct horse battery staple";
constexpr const char* kBobPassword = "tr0ub4dor and three more";

std::string Base32Decode(std::string_view text) {
  std::string bytes;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= '2' && c <= '7') value = c - '2' + 26;
    if (value < 0) {
      ADD_FAILURE() << "not base32: " << text;
      return "";
    }
    buffer = (buffer << 5) | static_cast<unsigned>(value);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return bytes;
}

class AccountsServiceTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    security::InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = security::AuditLog::Migrations();
    for (auto& m : security::Vault::Migrations()) migrations.push_back(m);
    for (auto& m : security::ReaderRegistry::Migrations()) migrations.push_back(m);
    for (auto& m : AccountsService::Migrations()) migrations.push_back(m);
    auto migrated = storage::Migrate(db(), migrations, storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    service_ = MakeService(Settings());
  }

  static AccountsSettings Settings() {
    AccountsSettings settings;
    settings.cost = security::CostFromProfile("fast");
    return settings;
  }

  std::unique_ptr<AccountsService> MakeService(const AccountsSettings& settings,
                                               std::string server_key = server_key_bytes()) {
    return std::make_unique<AccountsService>(db(), clock_, audit_, vault_, keyring_,
                                             security::SecretBytes(std::move(server_key)),
                                             settings);
  }

  static const std::string& server_key_bytes() {
    static const std::string key = security::RandomBytes(32);
    return key;
  }

  User CreateUserOrFail(const std::string& username, Role role, const std::string& password) {
    auto user = service_->CreateUser(std::nullopt, NewUser{username, "", role, password}, Info());
    EXPECT_TRUE(user.ok()) << username << ": " << user.status().ToString();
    return user.ok() ? *user : User{};
  }

  static RequestInfo Info(const std::string& address = kAddress) {
    return RequestInfo{address, "req-test"};
  }

  Result<LoginResult> Login(const std::string& username, const std::string& password,
                            const std::optional<std::string>& code = std::nullopt,
                            const std::string& address = kAddress) {
    return service_->Login(username, password, code, Info(address));
  }

  LoginResult LoginOrFail(const std::string& username, const std::string& password) {
    auto login = Login(username, password);
    EXPECT_TRUE(login.ok()) << username << ": " << login.status().ToString();
    return login.ok() ? *login : LoginResult{};
  }

  Principal PrincipalOf(const LoginResult& login) {
    auto principal = service_->AuthenticateSession(login.session_token);
    EXPECT_TRUE(principal.ok()) << principal.status().ToString();
    return principal.ok() ? *principal : Principal{};
  }

  std::string CodeNow(const std::string& secret) {
    return *security::TotpCode(secret, clock_.Now() / 1000);
  }

  // A six-digit code that matches none of the steps MatchTotp accepts now.
  std::string WrongCodeNow(const std::string& secret) {
    std::set<std::string> accepted;
    for (std::int64_t offset : {-30, 0, 30}) {
      accepted.insert(*security::TotpCode(secret, clock_.Now() / 1000 + offset));
    }
    for (const char* candidate : {"000000", "111111", "222222", "333333"}) {
      if (!accepted.count(candidate)) return candidate;
    }
    return "444444";
  }

  Result<std::vector<security::AuditEntry>> AuditEntries(const std::string& action) {
    return db().Read<std::vector<security::AuditEntry>>([&](Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      return security::AuditLog::Query(c, filter);
    });
  }

  FakeClock clock_{kStart};
  security::AuditLog audit_{clock_};
  security::Vault vault_{clock_, security::CostFromProfile("fast"),
                         security::SecretBytes(std::string(32, 'k'))};
  security::KeyRing keyring_;
  std::unique_ptr<AccountsService> service_;
};

TEST_P(AccountsServiceTest, CreateUserNormalisesTheName) {
  const User user = CreateUserOrFail("Alice.Smith", Role::kCdtOfficer, kAlicePassword);
  EXPECT_GT(user.id, 0);
  EXPECT_EQ(user.username, "alice.smith");
  EXPECT_EQ(user.display_name, "alice.smith");
  EXPECT_EQ(user.role, Role::kCdtOfficer);
  EXPECT_FALSE(user.disabled);
  EXPECT_FALSE(user.totp_enabled);
  EXPECT_EQ(user.created_at, kStart);
  auto found = service_->FindUserByName("ALICE.SMITH");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, user.id);
  // The user got a vault key under the same password.
  auto key = db().Read<security::UnlockedKey>(
      [&](Connection& c) { return vault_.UnlockUserKey(c, user.id, kAlicePassword); });
  EXPECT_TRUE(key.ok()) << key.status().ToString();
}

TEST_P(AccountsServiceTest, CreateUserRefusesBadInput) {
  struct Case {
    std::string username;
    std::string password;
    const char* field;
  };
  const Case cases[] = {
      {"ab", kAlicePassword, "username"},
      {std::string(65, 'a'), kAlicePassword, "username"},
      {"has space", kAlicePassword, "username"},
      {"semi;colon", kAlicePassword, "username"},
      {"\xc3\xa9lise", kAlicePassword, "username"},
      {"", kAlicePassword, "username"},
      {"alice", "short", "password"},
      {"alice", "password1234", "password"},
      {"alice", "alice-is-the-best-one", "password"},
      {"alice", std::string(1025, 'x'), "password"},
  };
  for (const Case& c : cases) {
    auto user = service_->CreateUser(
        std::nullopt, NewUser{c.username, "", Role::kLeadership, c.password}, Info());
    ASSERT_FALSE(user.ok()) << c.username << " / " << c.password.substr(0, 30);
    EXPECT_EQ(user.status().code(), ErrorCode::kInvalidArgument) << c.username;
    EXPECT_EQ(user.status().field(), c.field) << c.username;
  }
  auto users = service_->ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_TRUE(users->empty());
}

TEST_P(AccountsServiceTest, DuplicateUsernameConflicts) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  for (const char* again : {"alice", "ALICE"}) {
    auto duplicate = service_->CreateUser(
        std::nullopt, NewUser{again, "", Role::kLeadership, kBobPassword}, Info());
    ASSERT_FALSE(duplicate.ok()) << again;
    EXPECT_EQ(duplicate.status().code(), ErrorCode::kConflict) << again;
    EXPECT_EQ(duplicate.status().field(), "username") << again;
  }
  EXPECT_EQ(service_->ListUsers()->size(), 1u);
}

TEST_P(AccountsServiceTest, LoginGivesASessionTokenAndCsrfToken) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  clock_.Advance(kMinute);
  const LoginResult login = LoginOrFail("Alice", kAlicePassword);
  EXPECT_EQ(login.session_token.size(), 43u);
  EXPECT_FALSE(login.csrf_token.empty());
  EXPECT_EQ(login.user.id, alice.id);
  EXPECT_EQ(login.user.last_login_at, kStart + kMinute);
  EXPECT_FALSE(login.enrolment_required);

  const Principal principal = PrincipalOf(login);
  EXPECT_EQ(principal.kind, Principal::Kind::kUser);
  EXPECT_EQ(principal.user_id, alice.id);
  EXPECT_EQ(principal.username, "alice");
  EXPECT_EQ(principal.role, Role::kLeadership);
  EXPECT_GT(principal.session_id, 0);
  EXPECT_EQ(service_->CsrfToken(principal.session_id), login.csrf_token);
  EXPECT_TRUE(service_->VaultUnlocked(principal.session_id));

  const LoginResult second = LoginOrFail("alice", kAlicePassword);
  EXPECT_NE(second.session_token, login.session_token);
  EXPECT_NE(second.csrf_token, login.csrf_token);

  for (const std::string& wrong : {std::string(), std::string("x"), login.session_token + "x",
                                   security::RandomToken(32), std::string(200, 'a')}) {
    EXPECT_EQ(service_->AuthenticateSession(wrong).status().code(), ErrorCode::kUnauthenticated);
  }
}

TEST_P(AccountsServiceTest, WrongPasswordAndUnknownUserLookAlike) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const Status wrong_password = Login("alice", "not the right password").status();
  const Status unknown_user = Login("mallory", "not the right password").status();
  const Status malformed_user = Login("x", "not the right password").status();
  for (const Status* status : {&wrong_password, &unknown_user, &malformed_user}) {
    EXPECT_EQ(status->code(), ErrorCode::kInvalidCredentials) << status->ToString();
    EXPECT_EQ(status->message(), wrong_password.message());
    EXPECT_EQ(status->field(), wrong_password.field());
  }
  EXPECT_EQ(ErrorCodeHttpStatus(wrong_password.code()), ErrorCodeHttpStatus(unknown_user.code()));
}

TEST_P(AccountsServiceTest, FiveFailuresLimitTheAccount) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  CreateUserOrFail("bob", Role::kLeadership, kBobPassword);
  for (int attempt = 0; attempt < kMaxFailuresPerAccount; ++attempt) {
    EXPECT_EQ(Login("alice", "not the right password").status().code(),
              ErrorCode::kInvalidCredentials)
        << attempt;
  }
  const Status limited = Login("alice", "not the right password").status();
  ASSERT_EQ(limited.code(), ErrorCode::kRateLimited) << limited.ToString();
  EXPECT_GT(limited.retry_after_seconds(), 0);
  EXPECT_LE(limited.retry_after_seconds(), 15 * 60);

  // The right password does not get through either, but another account does.
  const Status still_limited = Login("alice", kAlicePassword).status();
  EXPECT_EQ(still_limited.code(), ErrorCode::kRateLimited);
  EXPECT_TRUE(Login("bob", kBobPassword).ok());

  clock_.Advance(14 * kMinute);
  const Status later = Login("alice", kAlicePassword).status();
  EXPECT_EQ(later.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(later.retry_after_seconds(), 60);

  // Waiting as long as Retry-After said is enough.
  clock_.Advance(std::int64_t{later.retry_after_seconds()} * 1000);
  EXPECT_EQ(clock_.Now(), kStart + 15 * kMinute);
  auto allowed = Login("alice", kAlicePassword);
  EXPECT_TRUE(allowed.ok()) << allowed.status().ToString();
}

TEST_P(AccountsServiceTest, TwentyFailuresLimitTheAddress) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const std::string attacker = "198.51.100.7";
  for (int attempt = 0; attempt < kMaxFailuresPerAddress; ++attempt) {
    // Fewer than five failures per name: only the address limit can apply.
    const std::string name = "guess" + std::to_string(attempt % 5);
    EXPECT_EQ(Login(name, "password number " + std::to_string(attempt), std::nullopt, attacker)
                  .status()
                  .code(),
              ErrorCode::kInvalidCredentials)
        << attempt;
    if (attempt % 5 == 4) clock_.Advance(1000);
  }
  for (const char* name : {"alice", "someone.new"}) {
    const Status limited = Login(name, kAlicePassword, std::nullopt, attacker).status();
    ASSERT_EQ(limited.code(), ErrorCode::kRateLimited) << name;
    EXPECT_GT(limited.retry_after_seconds(), 0);
  }
  EXPECT_TRUE(Login("alice", kAlicePassword, std::nullopt, "203.0.113.5").ok());

  clock_.Advance(15 * kMinute);
  EXPECT_TRUE(Login("alice", kAlicePassword, std::nullopt, attacker).ok());
}

TEST_P(AccountsServiceTest, AnIpv6AttackerIsCountedByItsSlash64) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  // Every attempt from a new address of one /64: the low 64 bits cost the attacker nothing.
  for (int attempt = 0; attempt < kMaxFailuresPerAddress; ++attempt) {
    const std::string address = "2001:db8:aa:bb::" + std::to_string(attempt + 1);
    const std::string name = "guess" + std::to_string(attempt % 5);
    EXPECT_EQ(
        Login(name, "wrong " + std::to_string(attempt), std::nullopt, address).status().code(),
        ErrorCode::kInvalidCredentials)
        << attempt;
    if (attempt % 5 == 4) clock_.Advance(1000);
  }
  const Status limited =
      Login("alice", kAlicePassword, std::nullopt, "2001:db8:aa:bb:ffff:1:2:3").status();
  EXPECT_EQ(limited.code(), ErrorCode::kRateLimited) << limited.ToString();
  // Another /64 and an IPv4 client are someone else.
  EXPECT_TRUE(Login("alice", kAlicePassword, std::nullopt, "2001:db8:aa:bc::1").ok());
  EXPECT_TRUE(Login("alice", kAlicePassword, std::nullopt, "::ffff:203.0.113.5").ok());
}

TEST_P(AccountsServiceTest, DisabledUserCannotSignIn) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult before = LoginOrFail("alice", kAlicePassword);
  UserPatch disable;
  disable.disabled = true;
  auto updated = service_->UpdateUser(std::nullopt, alice.id, disable, Info());
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_TRUE(updated->disabled);

  const Status refused = Login("alice", kAlicePassword).status();
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidCredentials);
  EXPECT_EQ(refused.message(), Login("alice", "not the right password").status().message());
  EXPECT_EQ(service_->AuthenticateSession(before.session_token).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(AccountsServiceTest, CachedSessionsSeeThisServicesWritesAtOnce) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult login = LoginOrFail("alice", kAlicePassword);
  EXPECT_EQ(PrincipalOf(login).role, Role::kLeadership);
  EXPECT_EQ(PrincipalOf(login).role, Role::kLeadership);  // from the cache

  UserPatch promote;
  promote.role = Role::kCdtOfficer;
  ASSERT_TRUE(service_->UpdateUser(std::nullopt, alice.id, promote, Info()).ok());
  // A new role ends the sessions: the cached one too.
  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_EQ(service_->GetUser(alice.id)->role, Role::kCdtOfficer);

  const LoginResult again = LoginOrFail("alice", kAlicePassword);
  EXPECT_EQ(PrincipalOf(again).role, Role::kCdtOfficer);
  UserPatch disable;
  disable.disabled = true;
  ASSERT_TRUE(service_->UpdateUser(std::nullopt, alice.id, disable, Info()).ok());
  EXPECT_EQ(service_->AuthenticateSession(again.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_TRUE(service_->GetUser(alice.id)->disabled);
}

TEST_P(AccountsServiceTest, AnotherProcessesWritesAreSeenWithinTheCacheTime) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult login = LoginOrFail("alice", kAlicePassword);
  PrincipalOf(login);
  // The `psea user` command: another service on the same database.
  auto other = MakeService(Settings());
  UserPatch disable;
  disable.disabled = true;
  ASSERT_TRUE(other->UpdateUser(std::nullopt, alice.id, disable, Info()).ok());
  clock_.Advance(AccountsService::kCacheMillis);
  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(AccountsServiceTest, IdleSessionsEnd) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult login = LoginOrFail("alice", kAlicePassword);
  const std::int64_t idle = std::int64_t{Settings().session_idle_seconds} * 1000;
  const std::int64_t session_id = PrincipalOf(login).session_id;

  // Activity keeps the session alive well past one idle period.
  for (int i = 0; i < 3; ++i) {
    clock_.Advance(idle - kMinute);
    auto principal = service_->AuthenticateSession(login.session_token);
    ASSERT_TRUE(principal.ok()) << i << ": " << principal.status().ToString();
  }
  clock_.Advance(idle + 1);
  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(service_->VaultUnlocked(session_id));
  // Once ended, it stays ended.
  clock_.Advance(-idle);
  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(AccountsServiceTest, SessionsEndAtTheAbsoluteDeadline) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult login = LoginOrFail("alice", kAlicePassword);
  const std::int64_t absolute = std::int64_t{Settings().session_absolute_seconds} * 1000;
  const std::int64_t step = 20 * kMinute;
  UnixMillis elapsed = 0;
  while (elapsed + step < absolute) {
    clock_.Advance(step);
    elapsed += step;
    auto principal = service_->AuthenticateSession(login.session_token);
    ASSERT_TRUE(principal.ok()) << elapsed / kMinute << " min: " << principal.status().ToString();
  }
  clock_.Set(kStart + absolute);
  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(AccountsServiceTest, LogoutRevokesTheSession) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult first = LoginOrFail("alice", kAlicePassword);
  const LoginResult second = LoginOrFail("alice", kAlicePassword);
  const Principal principal = PrincipalOf(first);
  ASSERT_TRUE(service_->Logout(principal, Info()).ok());
  EXPECT_EQ(service_->AuthenticateSession(first.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(service_->VaultUnlocked(principal.session_id));
  EXPECT_TRUE(service_->AuthenticateSession(second.session_token).ok());
}

TEST_P(AccountsServiceTest, TwoFactorEnrolmentThenLogin) {
  const User officer = CreateUserOrFail("officer", Role::kCdtOfficer, kAlicePassword);
  const LoginResult first = LoginOrFail("officer", kAlicePassword);
  EXPECT_TRUE(first.enrolment_required);
  const Principal principal = PrincipalOf(first);
  EXPECT_TRUE(principal.enrolment_required);

  auto enrolment = service_->BeginTotpEnrolment(principal, Info());
  ASSERT_TRUE(enrolment.ok()) << enrolment.status().ToString();
  EXPECT_EQ(enrolment->secret_base32.size(), 32u);
  EXPECT_THAT(enrolment->otpauth_uri, StartsWith("otpauth://totp/psea:officer?secret="));
  EXPECT_THAT(enrolment->otpauth_uri, HasSubstr("secret=" + enrolment->secret_base32 + "&"));
  EXPECT_THAT(enrolment->qr_svg, StartsWith("<svg"));
  const std::string secret = Base32Decode(enrolment->secret_base32);
  ASSERT_EQ(secret.size(), 20u);
  // Asking again (a reload, or the page asking twice) shows the same pending secret.
  auto again = service_->BeginTotpEnrolment(principal, Info());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->secret_base32, enrolment->secret_base32);

  auto wrong = service_->ConfirmTotp(principal, WrongCodeNow(secret), Info());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kTotpInvalid);
  auto confirmed = service_->ConfirmTotp(principal, CodeNow(secret), Info());
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().ToString();
  EXPECT_TRUE(confirmed->totp_enabled);
  EXPECT_EQ(service_->BeginTotpEnrolment(principal, Info()).status().code(), ErrorCode::kConflict);

  clock_.Advance(30 * 1000);  // the code used to confirm is spent; wait for the next one
  for (const std::optional<std::string>& missing :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    const Status required = Login("officer", kAlicePassword, missing).status();
    EXPECT_EQ(required.code(), ErrorCode::kTotpRequired);
    EXPECT_EQ(required.field(), "totp_code");
  }
  EXPECT_EQ(Login("officer", kAlicePassword, WrongCodeNow(secret)).status().code(),
            ErrorCode::kTotpInvalid);

  const std::string code = CodeNow(secret);
  auto login = Login("officer", kAlicePassword, code);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_FALSE(login->enrolment_required);
  EXPECT_EQ(login->user.id, officer.id);
  EXPECT_FALSE(PrincipalOf(*login).enrolment_required);

  // A code is good only once, even within its 30 seconds.
  const Status replay = Login("officer", kAlicePassword, code).status();
  EXPECT_EQ(replay.code(), ErrorCode::kTotpInvalid);

  clock_.Advance(30 * 1000);
  EXPECT_TRUE(Login("officer", kAlicePassword, CodeNow(secret)).ok());
  // A wrong password never reaches the second factor.
  EXPECT_EQ(Login("officer", "not the right password", CodeNow(secret)).status().code(),
            ErrorCode::kInvalidCredentials);
}

TEST_P(AccountsServiceTest, OnlyPeopleEnrolTheirOwnSecondFactor) {
  Principal token;
  token.kind = Principal::Kind::kToken;
  token.user_id = 1;
  EXPECT_EQ(service_->BeginTotpEnrolment(token, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->ConfirmTotp(token, "123456", Info()).status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(AccountsServiceTest, SecondFactorIsRequiredByRoleExceptOnDemo) {
  struct Case {
    Role role;
    bool required;
  };
  const Case cases[] = {
      {Role::kAdmin, true},           {Role::kCdtChief, true},    {Role::kInvestigator, true},
      {Role::kIntakeOperator, false}, {Role::kLeadership, false}, {Role::kPartnerFocalPoint, false},
  };
  AccountsSettings demo_settings = Settings();
  demo_settings.demo = true;
  auto demo = MakeService(demo_settings);
  EXPECT_TRUE(demo->demo());
  EXPECT_FALSE(service_->demo());
  for (const Case& c : cases) {
    EXPECT_EQ(service_->TotpRequired(c.role), c.required) << security::RoleName(c.role);
    EXPECT_FALSE(demo->TotpRequired(c.role)) << security::RoleName(c.role);
  }
  CreateUserOrFail("admin", Role::kAdmin, kAlicePassword);
  EXPECT_TRUE(LoginOrFail("admin", kAlicePassword).enrolment_required);
  auto demo_login = demo->Login("admin", kAlicePassword, std::nullopt, Info());
  ASSERT_TRUE(demo_login.ok());
  EXPECT_FALSE(demo_login->enrolment_required);
}

TEST_P(AccountsServiceTest, CsrfTokenBelongsToItsSession) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const LoginResult first = LoginOrFail("alice", kAlicePassword);
  const LoginResult second = LoginOrFail("alice", kAlicePassword);
  const std::int64_t first_id = PrincipalOf(first).session_id;
  const std::int64_t second_id = PrincipalOf(second).session_id;
  EXPECT_TRUE(service_->CheckCsrf(first_id, first.csrf_token));
  EXPECT_TRUE(service_->CheckCsrf(second_id, second.csrf_token));
  EXPECT_FALSE(service_->CheckCsrf(first_id, second.csrf_token));
  EXPECT_FALSE(service_->CheckCsrf(first_id, ""));
  EXPECT_FALSE(service_->CheckCsrf(first_id, first.csrf_token + "x"));
  EXPECT_FALSE(service_->CheckCsrf(first_id, first.csrf_token.substr(1)));
  // The token is keyed by the server key: another deployment's token is worthless.
  auto other = MakeService(Settings(), security::RandomBytes(32));
  EXPECT_FALSE(other->CheckCsrf(first_id, first.csrf_token));
}

TEST_P(AccountsServiceTest, ApiTokensAuthenticateUntilRevokedOrExpired) {
  const User admin = CreateUserOrFail("admin", Role::kAdmin, kAlicePassword);
  const Principal actor = PrincipalOf(LoginOrFail("admin", kAlicePassword));

  struct BadToken {
    NewApiToken token;
    const char* field;
  };
  const BadToken bad[] = {
      {{"gateway", {"intake.sms", "users.manage"}, 30, ""}, "scopes"},
      {{"gateway", {"root"}, 30, ""}, "scopes"},
      {{"gateway", {}, 30, ""}, "scopes"},
      {{"", {"intake.sms"}, 30, ""}, "name"},
      {{"gateway", {"intake.sms"}, 0, ""}, "expires_in_days"},
      {{"gateway", {"intake.sms"}, 731, ""}, "expires_in_days"},
      {{"gateway", {"intake.sms"}, 30, "nokia"}, "gateway"},
      {{"gateway", {"metrics.read"}, 30, "kannel"}, "gateway"},
  };
  for (const BadToken& b : bad) {
    auto created = service_->CreateToken(actor, b.token, Info());
    ASSERT_FALSE(created.ok()) << b.field;
    EXPECT_EQ(created.status().code(), ErrorCode::kInvalidArgument) << b.field;
    EXPECT_EQ(created.status().field(), b.field);
  }

  auto created =
      service_->CreateToken(actor, {"sms gateway", {"intake.sms", "metrics.read"}, 30, ""}, Info());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const auto& [token, secret] = *created;
  EXPECT_THAT(secret, StartsWith("psea_"));
  EXPECT_EQ(secret.size(), 5u + 43u);
  EXPECT_EQ(token.name, "sms gateway");
  EXPECT_THAT(token.scopes, ::testing::ElementsAre("intake.sms", "metrics.read"));
  EXPECT_EQ(token.sms_gateway, "generic");  // the default kind of an SMS token
  EXPECT_EQ(token.created_by, admin.id);
  EXPECT_EQ(token.created_by_username, "admin");
  EXPECT_EQ(token.expires_at, kStart + 30 * kDay);
  EXPECT_FALSE(token.revoked);

  auto principal = service_->AuthenticateApiToken(secret);
  ASSERT_TRUE(principal.ok()) << principal.status().ToString();
  EXPECT_EQ(principal->kind, Principal::Kind::kToken);
  EXPECT_EQ(principal->token_id, token.id);
  EXPECT_EQ(principal->user_id, admin.id);
  EXPECT_EQ(principal->username, "token:" + std::to_string(token.id));
  EXPECT_EQ(principal->sms_gateway, "generic");
  EXPECT_TRUE(security::AuthorizeScope(*principal, "intake.sms").ok());
  EXPECT_FALSE(security::AuthorizeScope(*principal, "intake.partner").ok());
  EXPECT_FALSE(security::HasPermission(*principal, security::Permission::kUsersManage));

  std::string altered = secret;
  altered.back() = altered.back() == 'A' ? 'B' : 'A';
  for (const std::string& wrong : {std::string(), std::string("psea_"), secret.substr(5), altered,
                                   "psea_" + security::RandomToken(32), secret + "x"}) {
    EXPECT_EQ(service_->AuthenticateApiToken(wrong).status().code(), ErrorCode::kUnauthenticated)
        << wrong;
  }

  auto listed = service_->ListTokens();
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, token.id);

  ASSERT_TRUE(service_->RevokeToken(actor, token.id, Info()).ok());
  EXPECT_EQ(service_->AuthenticateApiToken(secret).status().code(), ErrorCode::kUnauthenticated);
  EXPECT_TRUE(service_->ListTokens()->front().revoked);
  EXPECT_EQ(service_->RevokeToken(actor, token.id + 100, Info()).code(), ErrorCode::kNotFound);

  auto short_lived = service_->CreateToken(actor, {"metrics", {"metrics.read"}, 1, ""}, Info());
  ASSERT_TRUE(short_lived.ok());
  clock_.Advance(kDay - 1);
  EXPECT_TRUE(service_->AuthenticateApiToken(short_lived->second).ok());
  clock_.Advance(1);
  EXPECT_EQ(service_->AuthenticateApiToken(short_lived->second).status().code(),
            ErrorCode::kUnauthenticated);
}

TEST_P(AccountsServiceTest, AdminPasswordResetLocksOldVaultItemsAndEndsSessions) {
  const User bob = CreateUserOrFail("bob", Role::kLeadership, kBobPassword);
  const LoginResult login = LoginOrFail("bob", kBobPassword);
  const Principal principal = PrincipalOf(login);
  EXPECT_TRUE(service_->VaultUnlocked(principal.session_id));
  auto item = db().Write<std::int64_t>(
      [&](Connection& c) { return vault_.Seal(c, "note", "sealed before the reset", {bob.id}); });
  ASSERT_TRUE(item.ok()) << item.status().ToString();

  UserPatch weak;
  weak.password = "short";
  EXPECT_EQ(service_->UpdateUser(std::nullopt, bob.id, weak, Info()).status().field(), "password");

  const std::string new_password = "a completely new passphrase";
  UserPatch reset;
  reset.password = new_password;
  auto updated = service_->UpdateUser(std::nullopt, bob.id, reset, Info());
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();

  EXPECT_EQ(service_->AuthenticateSession(login.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  EXPECT_FALSE(service_->VaultUnlocked(principal.session_id));

  auto unlock = [&](const std::string& password) {
    return db().Read<security::UnlockedKey>(
        [&](Connection& c) { return vault_.UnlockUserKey(c, bob.id, password); });
  };
  EXPECT_EQ(unlock(kBobPassword).status().code(), ErrorCode::kInvalidCredentials);
  auto key = unlock(new_password);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto opened = db().Read<std::string>([&](Connection& c) { return vault_.Open(c, *item, *key); });
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), ErrorCode::kPermissionDenied);

  EXPECT_EQ(Login("bob", kBobPassword).status().code(), ErrorCode::kInvalidCredentials);
  EXPECT_TRUE(Login("bob", new_password).ok());
  EXPECT_EQ(AuditEntries("user.reset_password")->size(), 1u);
}

TEST_P(AccountsServiceTest, OwnPasswordChangeKeepsVaultAccess) {
  const User bob = CreateUserOrFail("bob", Role::kLeadership, kBobPassword);
  const LoginResult current = LoginOrFail("bob", kBobPassword);
  const LoginResult elsewhere = LoginOrFail("bob", kBobPassword);
  const Principal principal = PrincipalOf(current);
  auto item = db().Write<std::int64_t>(
      [&](Connection& c) { return vault_.Seal(c, "note", "still mine", {bob.id}); });
  ASSERT_TRUE(item.ok());

  EXPECT_EQ(
      service_->ChangePassword(principal, "not the right password", "another passphrase", Info())
          .code(),
      ErrorCode::kInvalidCredentials);
  // Both refusals name the request's field.
  EXPECT_EQ(service_->ChangePassword(principal, kBobPassword, kBobPassword, Info()).field(),
            "new_password");
  const Status weak = service_->ChangePassword(principal, kBobPassword, "short", Info());
  EXPECT_EQ(weak.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(weak.field(), "new_password");
  ASSERT_TRUE(service_->ChangePassword(principal, kBobPassword, "another passphrase", Info()).ok());

  EXPECT_TRUE(service_->AuthenticateSession(current.session_token).ok());
  EXPECT_EQ(service_->AuthenticateSession(elsewhere.session_token).status().code(),
            ErrorCode::kUnauthenticated);
  auto opened = db().Read<std::string>([&](Connection& c) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto key, vault_.UnlockUserKey(c, bob.id, "another passphrase"));
    return vault_.Open(c, *item, key);
  });
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "still mine");
}

TEST_P(AccountsServiceTest, VaultUnlocksAgainAfterARestart) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const Principal principal = PrincipalOf(LoginOrFail("alice", kAlicePassword));
  keyring_.Remove(principal.session_id);  // what a restart does to the in-memory keys
  EXPECT_FALSE(service_->VaultUnlocked(principal.session_id));
  EXPECT_EQ(service_->UnlockVault(principal, "not the right password", Info()).code(),
            ErrorCode::kInvalidCredentials);
  EXPECT_FALSE(service_->VaultUnlocked(principal.session_id));
  ASSERT_TRUE(service_->UnlockVault(principal, kAlicePassword, Info()).ok());
  EXPECT_TRUE(service_->VaultUnlocked(principal.session_id));
}

TEST_P(AccountsServiceTest, AuditTrailRecordsSignInsAndVerifies) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const std::string typo = "correct horse battery stapel";
  ASSERT_EQ(Login("alice", typo).status().code(), ErrorCode::kInvalidCredentials);
  ASSERT_EQ(Login("nobody.here", typo).status().code(), ErrorCode::kInvalidCredentials);
  const Principal principal = PrincipalOf(LoginOrFail("alice", kAlicePassword));

  auto created = AuditEntries("user.create");
  ASSERT_TRUE(created.ok());
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().event.actor, "cli");
  EXPECT_EQ(created->front().event.object_id, std::to_string(alice.id));
  EXPECT_EQ(created->front().event.request_id, "req-test");
  EXPECT_THAT(created->front().event.details, HasSubstr("leadership"));

  auto logins = AuditEntries("auth.login");
  ASSERT_TRUE(logins.ok());
  ASSERT_EQ(logins->size(), 1u);
  EXPECT_EQ(logins->front().event.actor, "alice");
  EXPECT_EQ(logins->front().event.actor_user_id, alice.id);
  EXPECT_EQ(logins->front().event.object_type, "session");
  EXPECT_EQ(logins->front().event.object_id, std::to_string(principal.session_id));

  auto failures = AuditEntries("auth.login_failed");
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 2u);                 // newest first
  EXPECT_EQ(failures->at(0).event.object_id, "");  // an unknown name has no user id
  EXPECT_EQ(failures->at(1).event.object_id, std::to_string(alice.id));
  for (const auto& entry : *failures) {
    EXPECT_THAT(entry.event.details, HasSubstr("password"));
    EXPECT_EQ(entry.event.details.find("nobody.here"), std::string::npos);
  }

  // Neither the typo nor the attempted name is anywhere in the trail.
  auto everything = db().Read<std::vector<security::AuditEntry>>([](Connection& c) {
    security::AuditFilter all;
    all.limit = 1000;
    return security::AuditLog::Query(c, all);
  });
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->size(), 4u);
  for (const auto& entry : *everything) {
    for (const std::string* field : {&entry.event.actor, &entry.event.object_id,
                                     &entry.event.details, &entry.event.request_id}) {
      EXPECT_EQ(field->find(typo), std::string::npos);
      EXPECT_EQ(field->find("nobody"), std::string::npos);
    }
  }

  auto verification = security::AuditLog::Verify(db());
  ASSERT_TRUE(verification.ok()) << verification.status().ToString();
  EXPECT_TRUE(verification->ok) << verification->problem;
  EXPECT_EQ(verification->entries_checked, 4);
}

TEST_P(AccountsServiceTest, DangerousChangesNeedTheActorsPasswordThroughTheApi) {
  const User admin = CreateUserOrFail("admin1", Role::kAdmin, kAlicePassword);
  const User bob = CreateUserOrFail("bob", Role::kCdtOfficer, kBobPassword);
  service_ = MakeService([] {
    AccountsSettings settings = Settings();
    settings.demo = true;  // the admin has no 2FA here: the password is the whole step-up
    return settings;
  }());
  const Principal actor = PrincipalOf(LoginOrFail("admin1", kAlicePassword));

  UserPatch promote;
  promote.role = Role::kCdtChief;
  EXPECT_EQ(service_->UpdateUser(actor, bob.id, promote, Info()).status().field(),
            "current_password");
  promote.step_up = security::StepUpProof{"not the admin's password", ""};
  EXPECT_EQ(service_->UpdateUser(actor, bob.id, promote, Info()).status().code(),
            ErrorCode::kInvalidCredentials);
  UserPatch reset_totp;
  reset_totp.reset_totp = true;
  EXPECT_EQ(service_->UpdateUser(actor, bob.id, reset_totp, Info()).status().field(),
            "current_password");
  // The administrator's own password too: not without the current one.
  UserPatch own_password;
  own_password.password = "a brand new passphrase for me";
  EXPECT_EQ(service_->UpdateUser(actor, admin.id, own_password, Info()).status().field(),
            "current_password");
  // A name change or disabling needs nothing more.
  UserPatch rename;
  rename.display_name = "Bob Synthetic";
  EXPECT_TRUE(service_->UpdateUser(actor, bob.id, rename, Info()).ok());

  promote.step_up = security::StepUpProof{kAlicePassword, ""};
  auto promoted = service_->UpdateUser(actor, bob.id, promote, Info());
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(promoted->role, Role::kCdtChief);
}

TEST_P(AccountsServiceTest, TheStepUpCodeMustBeFresh) {
  const User admin = CreateUserOrFail("admin1", Role::kAdmin, kAlicePassword);
  const User bob = CreateUserOrFail("bob", Role::kCdtOfficer, kBobPassword);
  // Enrol the admin's 2FA.
  const Principal enrolling = PrincipalOf(LoginOrFail("admin1", kAlicePassword));
  auto enrolment = service_->BeginTotpEnrolment(enrolling, Info());
  ASSERT_TRUE(enrolment.ok());
  const std::string secret = Base32Decode(enrolment->secret_base32);
  ASSERT_TRUE(service_->ConfirmTotp(enrolling, CodeNow(secret), Info()).ok());
  clock_.Advance(30 * 1000);
  const std::string sign_in_code = CodeNow(secret);
  auto login = Login("admin1", kAlicePassword, sign_in_code);
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  const Principal actor = PrincipalOf(*login);

  UserPatch promote;
  promote.role = Role::kCdtChief;
  promote.step_up = security::StepUpProof{kAlicePassword, ""};
  EXPECT_EQ(service_->UpdateUser(actor, bob.id, promote, Info()).status().code(),
            ErrorCode::kTotpRequired);
  promote.step_up = security::StepUpProof{kAlicePassword, sign_in_code};  // used at sign-in
  EXPECT_EQ(service_->UpdateUser(actor, bob.id, promote, Info()).status().code(),
            ErrorCode::kTotpInvalid);
  clock_.Advance(30 * 1000);
  promote.step_up = security::StepUpProof{kAlicePassword, CodeNow(secret)};
  EXPECT_TRUE(service_->UpdateUser(actor, bob.id, promote, Info()).ok());
}

TEST_P(AccountsServiceTest, ARoleChangeOrDisablingEndsEveryReadersAccessAtOnce) {
  std::vector<std::string> announced;
  service_ = MakeService([&] {
    AccountsSettings settings = Settings();
    settings.on_reader_access_ended = [&](std::int64_t, const std::string& username,
                                          const std::vector<std::string>& scopes,
                                          const std::string& reason) {
      announced.push_back(username + ":" + scopes.at(0) + ":" + reason);
    };
    return settings;
  }());
  const User carol = CreateUserOrFail("carol", Role::kCdtChief, kAlicePassword);
  const User dan = CreateUserOrFail("dan", Role::kCdtOfficer, kBobPassword);
  const User erin = CreateUserOrFail("erin", Role::kCdtOfficer, kBobPassword);
  security::ReaderRegistry readers;
  std::int64_t item = 0;
  ASSERT_TRUE(db().WriteTransaction([&](Connection& c) -> Status {
                    for (const User* user : {&carol, &dan, &erin}) {
                      RETURN_IF_ERROR(readers.Add(c, "intake", user->id, user->username, 0,
                                                  "console", clock_.Now()));
                    }
                    ASSIGN_OR_RETURN(item, vault_.Seal(c, "intake.complaint", "sealed",
                                                       {carol.id, dan.id, erin.id}));
                    return Status::Ok();
                  })
                  .ok());
  UserPatch demote;
  demote.role = Role::kTrainingOfficer;
  ASSERT_TRUE(service_->UpdateUser(std::nullopt, carol.id, demote, Info()).ok());
  UserPatch disable;
  disable.disabled = true;
  ASSERT_TRUE(service_->UpdateUser(std::nullopt, dan.id, disable, Info()).ok());

  auto state = db().Read<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>>(
      [&](Connection& c)
          -> Result<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> {
        ASSIGN_OR_RETURN(auto members, readers.Ids(c, "intake"));
        ASSIGN_OR_RETURN(auto wraps, vault_.Readers(c, item));
        return std::make_pair(members, wraps);
      });
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->first, std::vector<std::int64_t>{erin.id});
  EXPECT_EQ(state->second, std::vector<std::int64_t>{erin.id});
  EXPECT_EQ(announced,
            (std::vector<std::string>{"carol:intake:role_changed", "dan:intake:disabled"}));
  EXPECT_EQ(AuditEntries("user.access_ended")->size(), 2u);
}

TEST_P(AccountsServiceTest, ASignInThatRacesEndingTheSessionsCreatesNone) {
  const User alice = CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  AccountsStore store;
  // The sign-in read the account (and its epoch) before the password check...
  auto read = db().Read<std::optional<UserCredentials>>(
      [&](Connection& c) { return store.FindCredentialsById(c, alice.id); });
  ASSERT_TRUE(read.ok() && read->has_value());
  // ... an administrator ended the user's sessions meanwhile (a reset, a role change) ...
  UserPatch reset_totp;
  reset_totp.reset_totp = true;
  ASSERT_TRUE(service_->UpdateUser(std::nullopt, alice.id, reset_totp, Info()).ok());
  // ... so the sign-in's write finds the epoch moved on and records no session.
  auto current = db().Write<bool>([&](Connection& c) {
    return store.TouchLoginIfCurrent(c, alice.id, (*read)->sessions_epoch, clock_.Now());
  });
  ASSERT_TRUE(current.ok());
  EXPECT_FALSE(*current);
  EXPECT_TRUE(Login("alice", kAlicePassword).ok());  // a sign-in that starts afterwards works
}

TEST_P(AccountsServiceTest, ReauthenticationOpensTheWindowForIdentities) {
  CreateUserOrFail("alice", Role::kLeadership, kAlicePassword);
  const Principal signed_in = PrincipalOf(LoginOrFail("alice", kAlicePassword));
  EXPECT_TRUE(security::RequireRecentProof(signed_in, clock_.Now()).ok());
  clock_.Advance(security::kReauthWindowMillis + 1);
  const LoginResult login = LoginOrFail("alice", kAlicePassword);
  clock_.Advance(security::kReauthWindowMillis + 1);
  Principal later = PrincipalOf(login);
  EXPECT_EQ(security::RequireRecentProof(later, clock_.Now()).code(), ErrorCode::kReauthRequired);
  // Without 2FA the password is the proof.
  EXPECT_EQ(service_->Reauthenticate(later, "", "wrong password", Info()).field(), "password");
  ASSERT_TRUE(service_->Reauthenticate(later, "", kAlicePassword, Info()).ok());
  later = PrincipalOf(login);
  EXPECT_TRUE(security::RequireRecentProof(later, clock_.Now()).ok());
}

TEST_P(AccountsServiceTest, UnknownUsersCostWhatStoredHashesCostAfterAProfileChange) {
  CreateUserOrFail("dana", Role::kLeadership, kAlicePassword);
  auto stored_hash = [&]() -> std::string {
    auto hash = db().Read<std::string>([](Connection& c) -> Result<std::string> {
      ASSIGN_OR_RETURN(auto row,
                       c.QueryOne("SELECT password_hash FROM users WHERE username = 'dana'"));
      return row->Text(0);
    });
    EXPECT_TRUE(hash.ok()) << hash.status().ToString();
    return hash.ok() ? *hash : "";
  };
  const security::Argon2Cost fast = Settings().cost;
  EXPECT_FALSE(security::PasswordNeedsRehash(service_->unknown_user_hash(), fast));
  EXPECT_FALSE(security::PasswordNeedsRehash(stored_hash(), fast));

  // The operator raises the profile (a cost between "fast" and "interactive", to stay quick).
  AccountsSettings stronger = Settings();
  stronger.cost = {fast.opslimit + 1, fast.memlimit * 2};
  service_ = MakeService(stronger);
  EXPECT_FALSE(security::PasswordNeedsRehash(service_->unknown_user_hash(), stronger.cost));
  EXPECT_TRUE(security::PasswordNeedsRehash(stored_hash(), stronger.cost));

  // A failed sign-in changes nothing; the first successful one rehashes under the new cost.
  EXPECT_EQ(Login("dana", kBobPassword).status().code(), ErrorCode::kInvalidCredentials);
  EXPECT_TRUE(security::PasswordNeedsRehash(stored_hash(), stronger.cost));
  LoginOrFail("dana", kAlicePassword);
  EXPECT_FALSE(security::PasswordNeedsRehash(stored_hash(), stronger.cost));
  LoginOrFail("dana", kAlicePassword);  // the same password still opens it
}

PSEA_INSTANTIATE_ENGINE_TEST(AccountsServiceTest);

TEST(NormalizeUsernameTest, LowerCasesAndChecksCharacters) {
  struct Case {
    std::string input;
    std::optional<std::string> normalized;  // nullopt: refused
  };
  const Case cases[] = {
      {"alice", "alice"},
      {"Alice.Smith", "alice.smith"},
      {"a_b-c.d", "a_b-c.d"},
      {"abc", "abc"},
      {std::string(64, 'Z'), std::string(64, 'z')},
      {"ab", std::nullopt},
      {std::string(65, 'z'), std::nullopt},
      {"al ice", std::nullopt},
      {"al@ice", std::nullopt},
      {"al/ice", std::nullopt},
      {"\xc3\xa9lise", std::nullopt},
      {std::string("al\0ice", 6), std::nullopt},
  };
  for (const Case& c : cases) {
    auto normalized = AccountsService::NormalizeUsername(c.input);
    if (c.normalized) {
      ASSERT_TRUE(normalized.ok()) << c.input;
      EXPECT_EQ(*normalized, *c.normalized);
    } else {
      ASSERT_FALSE(normalized.ok()) << c.input;
      EXPECT_EQ(normalized.status().code(), ErrorCode::kInvalidArgument);
      EXPECT_EQ(normalized.status().field(), "username");
    }
  }
}

}  // namespace
}  // namespace psea::accounts
