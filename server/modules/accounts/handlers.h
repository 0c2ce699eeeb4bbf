// HTTP endpoints of the accounts module: /api/v1/auth/*, /api/v1/users, /api/v1/roles,
// /api/v1/tokens. Each handler parses and validates its input, makes one permission check,
// calls one service method and maps the result.
#pragma once

#include "http/pipeline.h"
#include "http/router.h"
#include "modules/accounts/service.h"

namespace psea::accounts {

struct CookieSettings {
  bool always_secure = false;  // set Secure even on plain HTTP (behind a TLS proxy)
  int max_age_seconds = 12 * 60 * 60;
};

void RegisterAccountRoutes(http::Router& router, AccountsService& service, CookieSettings cookies);

// Resolves the psea_session cookie or an "Authorization: Bearer" API token.
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(AccountsService& service) : service_(service) {}
  Result<std::optional<security::Principal>> Authenticate(
      const http::HttpRequest& request) override;
  Result<security::Principal> AuthenticateToken(std::string_view secret) override;
  bool CheckCsrf(const security::Principal& principal, std::string_view token) override;

 private:
  AccountsService& service_;
};

constexpr const char* kSessionCookie = "psea_session";

}  // namespace psea::accounts
