#include "modules/accounts/generator.h"

#include "security/crypto.h"

namespace psea::accounts {

namespace {
// Named by role, not by position: a role added to the enum needs its own name here (a role
// without one is named after its code, never after another role).
std::string DemoDisplayName(security::Role role) {
  using security::Role;
  switch (role) {
    case Role::kAdmin:
      return "Demo Administrator";
    case Role::kCdtChief:
      return "Demo CDT Chief";
    case Role::kCdtOfficer:
      return "Demo CDT Officer";
    case Role::kIntakeOperator:
      return "Demo Hotline Operator";
    case Role::kVra:
      return "Demo Victims' Rights Advocate";
    case Role::kInvestigator:
      return "Demo Investigator";
    case Role::kCbcmFocalPoint:
      return "Demo CBCM Focal Point";
    case Role::kTrainingOfficer:
      return "Demo Training Officer";
    case Role::kRiskOfficer:
      return "Demo Risk Officer";
    case Role::kPartnerFocalPoint:
      return "Demo Partner Focal Point";
    case Role::kLeadership:
      return "Demo Mission Leadership";
    case Role::kProviderCaseManager:
      return "Demo Clinic Case Manager";
  }
  return "Demo " + std::string(security::RoleName(role));
}
}  // namespace

std::string ReadablePassword() {
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
  const std::string random = security::RandomBytes(12);
  std::string out;
  for (std::size_t i = 0; i < random.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kAlphabet[static_cast<unsigned char>(random[i]) % (sizeof kAlphabet - 1)];
  }
  return out;
}

Result<std::vector<GeneratedCredential>> CreateDemoUsers(AccountsService& service) {
  std::vector<GeneratedCredential> created;
  const auto& roles = security::AllRoles();
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const std::string role(security::RoleName(roles[i]));
    GeneratedCredential credential{"demo." + role, role, ReadablePassword()};
    NewUser user{credential.username, DemoDisplayName(roles[i]), roles[i], credential.password,
                 false};
    ASSIGN_OR_RETURN(auto ignored, service.CreateUser(std::nullopt, user, {"demo", ""}));
    created.push_back(std::move(credential));
  }
  return created;
}

Result<std::vector<GeneratedCredential>> GenerateUsers(AccountsService& service, int per_role,
                                                       const std::string& password) {
  std::vector<GeneratedCredential> created;
  for (auto role : security::AllRoles()) {
    const std::string role_name(security::RoleName(role));
    for (int n = 1; n <= per_role; ++n) {
      GeneratedCredential credential{"gen." + role_name + "." + std::to_string(n), role_name,
                                     password};
      NewUser user{credential.username, "Generated " + role_name + " " + std::to_string(n), role,
                   password, false};
      auto result = service.CreateUser(std::nullopt, user, {"generator", ""});
      if (!result.ok() && result.status().code() != ErrorCode::kConflict) return result.status();
      created.push_back(std::move(credential));
    }
  }
  return created;
}

}  // namespace psea::accounts
