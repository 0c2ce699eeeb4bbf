// Generated accounts for the demo and for benchmarks. Never real people: names are made up
// from role names and numbers, passwords are random.
#pragma once

#include <string>
#include <vector>

#include "modules/accounts/service.h"

namespace psea::accounts {

struct GeneratedCredential {
  std::string username;
  std::string role;
  std::string password;
};

// One user per role, named "demo.<role>", with a random readable password each.
Result<std::vector<GeneratedCredential>> CreateDemoUsers(AccountsService& service);

// `per_role` users for every role ("gen.<role>.<n>"), all with `password`.
Result<std::vector<GeneratedCredential>> GenerateUsers(AccountsService& service, int per_role,
                                                       const std::string& password);

// A random password of three groups of four easy-to-read characters ("k7dm-q2rt-x9ab").
std::string ReadablePassword();

}  // namespace psea::accounts
