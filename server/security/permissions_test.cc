#include "security/permissions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace psea::security {
namespace {

using ::testing::UnorderedElementsAre;

// The permissions of account administration, which only administrators hold.
const Permission kAccountPermissions[] = {Permission::kUsersManage, Permission::kAuditRead,
                                          Permission::kTokensManage};

// Every value of the Permission enum: they count from 0, and PermissionName knows them all
// ("unknown" past the last one).
std::vector<Permission> AllPermissions() {
  std::vector<Permission> all;
  for (int value = 0; value < 1000; ++value) {
    const auto permission = static_cast<Permission>(value);
    if (PermissionName(permission) == "unknown") break;
    all.push_back(permission);
  }
  return all;
}

Principal UserWithRole(Role role) {
  Principal principal;
  principal.kind = Principal::Kind::kUser;
  principal.user_id = 1;
  principal.username = "someone";
  principal.role = role;
  principal.session_id = 10;
  return principal;
}

Principal Token(std::vector<std::string> scopes, Role creator_role = Role::kAdmin) {
  Principal principal;
  principal.kind = Principal::Kind::kToken;
  principal.user_id = 1;
  principal.username = "token:5";
  principal.role = creator_role;
  principal.token_id = 5;
  principal.scopes = std::move(scopes);
  return principal;
}

TEST(RolesTest, NamesRoundTripAndAreUnique) {
  std::set<std::string> names;
  for (Role role : AllRoles()) {
    const std::string name(RoleName(role));
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(ParseRole(name), role) << name;
  }
  EXPECT_EQ(names.size(), 12u);
  for (const char* unknown : {"", "Admin", "ADMIN", "root", "admin ", "superuser"}) {
    EXPECT_EQ(ParseRole(unknown), std::nullopt) << unknown;
  }
}

TEST(RolesTest, SecondFactorIsRequiredForRolesThatReachIdentities) {
  struct Case {
    Role role;
    bool requires_totp;
  };
  const Case cases[] = {
      {Role::kAdmin, true},
      {Role::kCdtChief, true},
      {Role::kCdtOfficer, true},
      {Role::kIntakeOperator, false},
      {Role::kVra, true},
      {Role::kInvestigator, true},
      {Role::kCbcmFocalPoint, false},
      {Role::kTrainingOfficer, false},
      {Role::kRiskOfficer, false},
      {Role::kPartnerFocalPoint, false},
      {Role::kLeadership, false},
  };
  for (const Case& c : cases)
    EXPECT_EQ(RoleRequiresTotp(c.role), c.requires_totp) << RoleName(c.role);
}

TEST(PermissionsTest, AccountAdministrationIsForAdminsOnly) {
  for (Role role : AllRoles()) {
    const Principal principal = UserWithRole(role);
    for (Permission permission : kAccountPermissions) {
      const bool expected = role == Role::kAdmin;
      EXPECT_EQ(HasPermission(principal, permission), expected)
          << RoleName(role) << " / " << PermissionName(permission);
      const Status status = Authorize(principal, permission);
      EXPECT_EQ(status.ok(), expected) << RoleName(role) << " / " << PermissionName(permission);
      if (!expected) {
        EXPECT_EQ(status.code(), ErrorCode::kPermissionDenied);
      }
    }
  }
}

// Deny by default: a role holds exactly what PermissionsOf lists for it, nothing else.
TEST(PermissionsTest, RolesHoldOnlyWhatTheyList) {
  for (Role role : AllRoles()) {
    const std::vector<Permission> listed = PermissionsOf(role);
    const Principal principal = UserWithRole(role);
    for (Permission permission : AllPermissions()) {
      const bool is_listed = std::find(listed.begin(), listed.end(), permission) != listed.end();
      EXPECT_EQ(HasPermission(principal, permission), is_listed)
          << RoleName(role) << " / " << PermissionName(permission);
      EXPECT_EQ(Authorize(principal, permission).ok(), is_listed);
    }
  }
}

TEST(PermissionsTest, EveryPermissionHasADistinctName) {
  std::set<std::string_view> names;
  EXPECT_GE(AllPermissions().size(), 3u);
  for (Permission permission : AllPermissions()) {
    const std::string_view name = PermissionName(permission);
    EXPECT_NE(name, "unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_EQ(PermissionName(Permission::kUsersManage), "users.manage");
  EXPECT_EQ(PermissionName(Permission::kAuditRead), "audit.read");
  EXPECT_EQ(PermissionName(Permission::kTokensManage), "tokens.manage");
}

TEST(PermissionsTest, AdminWhoMustEnrolHasNoPermissionsYet) {
  Principal admin = UserWithRole(Role::kAdmin);
  admin.enrolment_required = true;
  for (Permission permission : AllPermissions()) {
    EXPECT_FALSE(HasPermission(admin, permission)) << PermissionName(permission);
    EXPECT_EQ(Authorize(admin, permission).code(), ErrorCode::kPermissionDenied);
  }
}

TEST(PermissionsTest, TokensHaveNoRolePermissions) {
  // Even a token created by an administrator acts for no person.
  const Principal token = Token({"intake.sms", "intake.partner", "metrics.read"}, Role::kAdmin);
  for (Permission permission : AllPermissions()) {
    EXPECT_FALSE(HasPermission(token, permission)) << PermissionName(permission);
    EXPECT_EQ(Authorize(token, permission).code(), ErrorCode::kPermissionDenied);
  }
}

TEST(ScopesTest, KnownScopes) {
  EXPECT_THAT(AllTokenScopes(),
              UnorderedElementsAre("intake.sms", "intake.partner", "metrics.read"));
  for (const std::string& scope : AllTokenScopes()) EXPECT_TRUE(IsKnownScope(scope)) << scope;
  for (const char* unknown :
       {"", "intake", "intake.*", "INTAKE.SMS", "users.manage", " metrics.read"}) {
    EXPECT_FALSE(IsKnownScope(unknown)) << unknown;
  }
}

TEST(ScopesTest, AuthorizeScope) {
  struct Case {
    const char* label;
    Principal principal;
    const char* scope;
    bool allowed;
  };
  Principal user_with_scopes = UserWithRole(Role::kAdmin);
  user_with_scopes.scopes = {"metrics.read"};  // ignored: scopes are for tokens only
  const Case cases[] = {
      {"token with the scope", Token({"metrics.read"}), "metrics.read", true},
      {"token with several scopes", Token({"intake.sms", "metrics.read"}), "intake.sms", true},
      {"token without the scope", Token({"intake.sms"}), "metrics.read", false},
      {"token without scopes", Token({}), "metrics.read", false},
      {"scope prefix is not the scope", Token({"intake"}), "intake.sms", false},
      {"admin user", UserWithRole(Role::kAdmin), "metrics.read", false},
      {"user listing scopes", user_with_scopes, "metrics.read", false},
  };
  for (const Case& c : cases) {
    const Status status = AuthorizeScope(c.principal, c.scope);
    EXPECT_EQ(status.ok(), c.allowed) << c.label;
    if (!c.allowed) {
      EXPECT_EQ(status.code(), ErrorCode::kPermissionDenied) << c.label;
    }
  }
}

// Grants access to the record whose id equals the caller's user id.
class OwnRecordOnly : public RecordAccessPolicy {
 public:
  Status CanAccess(const Principal& principal, std::int64_t record_id) const override {
    if (principal.kind == Principal::Kind::kUser && principal.user_id == record_id) {
      return Status::Ok();
    }
    return NotFound("no such record");
  }
};

class AllowAll : public RecordAccessPolicy {
 public:
  Status CanAccess(const Principal&, std::int64_t) const override { return Status::Ok(); }
};

TEST(RecordAccessTest, UnregisteredTypeIsNotFound) {
  const Status status = CheckRecordAccess(UserWithRole(Role::kAdmin), "no_policy_for_this", 1);
  EXPECT_EQ(status.code(), ErrorCode::kNotFound);
}

TEST(RecordAccessTest, RegisteredPolicyDecides) {
  static const OwnRecordOnly policy;
  RegisterRecordAccessPolicy("test_own_record", &policy);
  const Principal user = UserWithRole(Role::kLeadership);  // user id 1
  EXPECT_TRUE(CheckRecordAccess(user, "test_own_record", 1).ok());
  EXPECT_EQ(CheckRecordAccess(user, "test_own_record", 2).code(), ErrorCode::kNotFound);
  EXPECT_EQ(CheckRecordAccess(Token({"intake.sms"}), "test_own_record", 1).code(),
            ErrorCode::kNotFound);
  // The policy is for its own type only.
  EXPECT_EQ(CheckRecordAccess(user, "test_own_record_other", 1).code(), ErrorCode::kNotFound);
}

TEST(RecordAccessTest, RegisteringAgainReplacesThePolicy) {
  static const OwnRecordOnly own;
  static const AllowAll all;
  RegisterRecordAccessPolicy("test_replaced", &own);
  const Principal user = UserWithRole(Role::kLeadership);
  EXPECT_EQ(CheckRecordAccess(user, "test_replaced", 2).code(), ErrorCode::kNotFound);
  RegisterRecordAccessPolicy("test_replaced", &all);
  EXPECT_TRUE(CheckRecordAccess(user, "test_replaced", 2).ok());
}

// The role table of docs/api.md: role name -> permission names. Empty when the table is not
// found (the test then fails saying so).
std::map<std::string, std::set<std::string>> DocumentedPermissions() {
  std::ifstream file(std::string(PSEA_SOURCE_DIR) + "/docs/api.md");
  std::map<std::string, std::set<std::string>> table;
  std::string line;
  bool inside = false;
  auto strip = [](std::string text) {
    text.erase(std::remove(text.begin(), text.end(), '`'), text.end());
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
  };
  while (std::getline(file, line)) {
    if (!inside) {
      inside = line.rfind("| role | permissions |", 0) == 0;
      continue;
    }
    if (line.rfind("|---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') break;
    // "| `role` | `a`, `b` |"
    const auto middle = line.find('|', 1);
    const std::string role = strip(line.substr(1, middle - 1));
    std::string cell = line.substr(middle + 1);
    if (!cell.empty() && cell.back() == '|') cell.pop_back();
    std::set<std::string>& permissions = table[role];
    if (strip(cell) == "none") continue;
    std::istringstream names(cell);
    for (std::string name; std::getline(names, name, ',');) permissions.insert(strip(name));
  }
  return table;
}

TEST(PermissionsTest, DocsRoleTableMatchesTheCode) {
  const auto documented = DocumentedPermissions();
  ASSERT_FALSE(documented.empty()) << "no '| role | permissions |' table in docs/api.md";
  std::set<std::string> roles_in_code;
  for (Role role : AllRoles()) {
    const std::string name(RoleName(role));
    roles_in_code.insert(name);
    std::set<std::string> in_code;
    for (Permission permission : PermissionsOf(role)) {
      in_code.insert(std::string(PermissionName(permission)));
    }
    const auto found = documented.find(name);
    ASSERT_NE(found, documented.end()) << "docs/api.md has no row for role " << name;
    EXPECT_EQ(found->second, in_code)
        << "role " << name << ": docs/api.md and PermissionsOf differ";
  }
  for (const auto& [role, permissions] : documented) {
    EXPECT_TRUE(roles_in_code.count(role)) << "docs/api.md lists an unknown role " << role;
  }
}

}  // namespace
}  // namespace psea::security
