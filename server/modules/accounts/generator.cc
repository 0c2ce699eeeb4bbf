#include "modules/accounts/generator.h"

#include "security/crypto.h"

namespace psea::accounts {

namespace {
const std::string kDemoDisplayNames[] = {
    "Demo Administrator",
    "Demo CDT Chief",
    "Demo CDT Officer",
    "Demo Hotline Operator",
    "Demo Victims' Rights Advocate",
    "Demo Investigator",
    "Demo CBCM Focal Point",
    "Demo Training Officer",
    "Demo Risk Officer",
    "Demo Partner Focal Point",
    "Demo Mission Leadership",
};
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
    NewUser user{credential.username, kDemoDisplayNames[i % std::size(kDemoDisplayNames)], roles[i],
                 credential.password, false};
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
