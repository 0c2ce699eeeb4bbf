#include "modules/accounts/handlers.h"

#include "http/json.h"
#include "security/crypto.h"

namespace psea::accounts {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

json::value TimeOrNull(const std::optional<UnixMillis>& time) {
  if (!time) return nullptr;
  return json::value(FormatIso8601(*time));
}

json::object UserJson(const User& user, const AccountsService& service) {
  return json::object{
      {"id", user.id},
      {"username", user.username},
      {"display_name", user.display_name},
      {"role", std::string(security::RoleName(user.role))},
      {"disabled", user.disabled},
      {"totp_enabled", user.totp_enabled},
      {"totp_required", service.TotpRequired(user.role)},
      {"created_at", FormatIso8601(user.created_at)},
      {"last_login_at", TimeOrNull(user.last_login_at)},
  };
}

json::object TokenJson(const ApiToken& token) {
  json::array scopes;
  for (const auto& scope : token.scopes) scopes.emplace_back(scope);
  return json::object{
      {"id", token.id},
      {"name", token.name},
      {"scopes", std::move(scopes)},
      {"gateway",
       token.sms_gateway.empty() ? json::value(nullptr) : json::value(token.sms_gateway)},
      {"created_at", FormatIso8601(token.created_at)},
      {"expires_at", FormatIso8601(token.expires_at)},
      {"revoked", token.revoked},
      {"created_by", token.created_by_username},
      {"last_used_at", TimeOrNull(token.last_used_at)},
  };
}

std::string SessionCookie(const std::string& value, int max_age, bool secure) {
  std::string cookie = std::string(kSessionCookie) + "=" + value +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

Result<security::Role> ParseRoleField(const std::string& text) {
  auto role = security::ParseRole(text);
  if (!role) return InvalidArgument("role is not a known role", "role");
  return *role;
}

json::array PermissionsJson(const security::Principal& principal) {
  json::array out;
  if (principal.kind == security::Principal::Kind::kUser && !principal.enrolment_required &&
      !principal.password_change_required) {
    for (auto permission : security::PermissionsOf(principal.role)) {
      out.emplace_back(std::string(security::PermissionName(permission)));
    }
  }
  return out;
}

}  // namespace

Result<std::optional<security::Principal>> SessionAuthenticator::Authenticate(
    const http::HttpRequest& request) {
  if (auto authorization = request.Header("authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    constexpr std::string_view kBasic = "Basic ";
    if (authorization->substr(0, kBasic.size()) == kBasic) {
      // Gateways that know only a user name and a password (Kannel's user:pass@ in its URL):
      // the password is an API token, the user name is not read. Never a person's password.
      auto decoded = security::Base64Decode(authorization->substr(kBasic.size()));
      const auto colon = decoded.ok() ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        return Unauthenticated("use Authorization: Basic with an API token as the password");
      }
      ASSIGN_OR_RETURN(auto principal, service_.AuthenticateApiToken(decoded->substr(colon + 1)));
      return std::optional<security::Principal>(std::move(principal));
    }
    if (authorization->substr(0, kBearer.size()) != kBearer) {
      return Unauthenticated("use Authorization: Bearer <token>");
    }
    ASSIGN_OR_RETURN(auto principal, service_.AuthenticateApiToken(
                                         std::string(authorization->substr(kBearer.size()))));
    return std::optional<security::Principal>(std::move(principal));
  }
  auto cookie = request.Cookie(kSessionCookie);
  if (!cookie || cookie->empty()) return std::optional<security::Principal>();
  ASSIGN_OR_RETURN(auto principal, service_.AuthenticateSession(*cookie));
  return std::optional<security::Principal>(std::move(principal));
}

Result<security::Principal> SessionAuthenticator::AuthenticateToken(std::string_view secret) {
  return service_.AuthenticateApiToken(std::string(secret));
}

bool SessionAuthenticator::CheckCsrf(const security::Principal& principal, std::string_view token) {
  return service_.CheckCsrf(principal.session_id, token);
}

void RegisterAccountRoutes(http::Router& router, AccountsService& service, CookieSettings cookies) {
  AccountsService* s = &service;

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/login",
              .access = http::Access::kPublic,
              .handler = [s, cookies](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto username, fields.RequiredString("username", 1, 64));
                ASSIGN_OR_RETURN(auto password, fields.RequiredString("password", 1, 1024));
                ASSIGN_OR_RETURN(auto totp_code, fields.OptionalString("totp_code", 12));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto login,
                                 s->Login(username, password, totp_code, InfoOf(ctx.request)));
                HttpResponse response = http::JsonResponse(json::object{
                    {"user", UserJson(login.user, *s)},
                    {"csrf_token", login.csrf_token},
                    {"enrolment_required", login.enrolment_required},
                    {"password_change_required", login.password_change_required},
                });
                response.SetHeader("Set-Cookie",
                                   SessionCookie(login.session_token, cookies.max_age_seconds,
                                                 cookies.always_secure || ctx.request.secure));
                return response;
              },
              .max_body = 16 * 1024,
              .summary = "Sign in with user name, password and (when enrolled) a TOTP code",
              .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/logout",
              .handler = [s, cookies](RequestContext& ctx) -> Result<HttpResponse> {
                if (ctx.caller().session_id == 0) {
                  return InvalidArgument("API tokens cannot log out; revoke them instead");
                }
                RETURN_IF_ERROR(s->Logout(ctx.caller(), InfoOf(ctx.request)));
                HttpResponse response = http::NoContent();
                response.SetHeader(
                    "Set-Cookie",
                    SessionCookie("", 0, cookies.always_secure || ctx.request.secure));
                return response;
              },
              .allow_during_enrolment = true,
              .allow_during_password_change = true,
              .summary = "End the session",
              .tag = "auth"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/auth/me",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         const auto& caller = ctx.caller();
         json::object body;
         if (caller.kind == security::Principal::Kind::kToken) {
           json::array scopes;
           for (const auto& scope : caller.scopes) scopes.emplace_back(scope);
           body = {{"token", json::object{{"id", caller.token_id}, {"scopes", scopes}}},
                   {"user", nullptr},
                   {"permissions", json::array()},
                   {"enrolment_required", false}};
           return http::JsonResponse(body);
         }
         ASSIGN_OR_RETURN(User user, s->GetUser(caller.user_id));
         body = {{"user", UserJson(user, *s)},
                 {"csrf_token", s->CsrfToken(caller.session_id)},
                 {"enrolment_required", caller.enrolment_required},
                 {"password_change_required", caller.password_change_required},
                 {"permissions", PermissionsJson(caller)},
                 {"vault_unlocked", s->VaultUnlocked(caller.session_id)},
                 {"verified_until", caller.verified_at > 0
                                        ? json::value(FormatIso8601(caller.verified_at +
                                                                    security::kReauthWindowMillis))
                                        : json::value(nullptr)},
                 {"demo", s->demo()}};
         return http::JsonResponse(body);
       },
       .allow_during_enrolment = true,
       .allow_during_password_change = true,
       .summary = "The signed-in user, the CSRF token and the permissions",
       .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/unlock",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto password, fields.RequiredString("password", 1, 1024));
                RETURN_IF_ERROR(fields.Finish());
                if (ctx.caller().session_id == 0) return PermissionDenied();
                RETURN_IF_ERROR(s->UnlockVault(ctx.caller(), password, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .max_body = 16 * 1024,
              .summary = "Unlock the session's vault key again (after a server restart)",
              .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/reauth",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto code, fields.OptionalString("totp_code", 16));
                ASSIGN_OR_RETURN(auto password, fields.OptionalString("password", 1024));
                RETURN_IF_ERROR(fields.Finish());
                RETURN_IF_ERROR(s->Reauthenticate(ctx.caller(), code.value_or(""),
                                                  password.value_or(""), InfoOf(ctx.request)));
                return http::NoContent();
              },
              .max_body = 16 * 1024,
              .summary = "Prove presence again with a fresh 2FA code (the password without "
                         "2FA): opening identities works for 15 minutes after",
              .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/totp/enroll",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                if (!ctx.request.body.empty()) {
                  ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                  RETURN_IF_ERROR(http::JsonFields(body).Finish());
                }
                ASSIGN_OR_RETURN(auto enrolment,
                                 s->BeginTotpEnrolment(ctx.caller(), InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"secret", enrolment.secret_base32},
                                                       {"otpauth_uri", enrolment.otpauth_uri},
                                                       {"qr_svg", enrolment.qr_svg}});
              },
              .allow_during_enrolment = true,
              .max_body = 1024,
              .summary = "Start enrolling your own TOTP second factor",
              .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/totp/confirm",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto code, fields.RequiredString("code", 6, 6));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(User user,
                                 s->ConfirmTotp(ctx.caller(), code, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"user", UserJson(user, *s)}});
              },
              .allow_during_enrolment = true,
              .max_body = 1024,
              .summary = "Confirm TOTP enrolment with a current code",
              .tag = "auth"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/auth/password",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto current, fields.RequiredString("current_password", 1, 1024));
                ASSIGN_OR_RETURN(auto replacement, fields.RequiredString("new_password", 1, 1024));
                RETURN_IF_ERROR(fields.Finish());
                RETURN_IF_ERROR(
                    s->ChangePassword(ctx.caller(), current, replacement, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .allow_during_password_change = true,
              .max_body = 16 * 1024,
              .summary = "Change your own password",
              .tag = "auth"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/roles",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kUsersManage));
                json::array roles;
                for (auto role : security::AllRoles()) {
                  roles.emplace_back(json::object{{"name", std::string(security::RoleName(role))},
                                                  {"totp_required", s->TotpRequired(role)}});
                }
                return http::JsonResponse(json::object{{"roles", std::move(roles)}});
              },
              .summary = "The roles a user can have",
              .tag = "users"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/users",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kUsersManage));
                ASSIGN_OR_RETURN(auto users, s->ListUsers());
                json::array out;
                for (const auto& user : users) out.emplace_back(UserJson(user, *s));
                return http::JsonResponse(json::object{{"users", std::move(out)}});
              },
              .summary = "List users",
              .tag = "users"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/users",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kUsersManage));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewUser user;
                ASSIGN_OR_RETURN(user.username, fields.RequiredString("username", 1, 64));
                ASSIGN_OR_RETURN(auto display_name, fields.OptionalString("display_name", 100));
                ASSIGN_OR_RETURN(auto role, fields.RequiredString("role", 1, 64));
                ASSIGN_OR_RETURN(user.password, fields.RequiredString("password", 1, 1024));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(user.role, ParseRoleField(role));
                user.display_name = display_name.value_or("");
                ASSIGN_OR_RETURN(User created,
                                 s->CreateUser(ctx.caller(), std::move(user), InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"user", UserJson(created, *s)}}, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Create a user",
              .tag = "users"});

  router.Add({.method = "PATCH",
              .pattern = "/api/v1/users/{id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kUsersManage));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                UserPatch patch;
                ASSIGN_OR_RETURN(patch.display_name, fields.OptionalString("display_name", 100));
                ASSIGN_OR_RETURN(auto role, fields.OptionalString("role", 64));
                ASSIGN_OR_RETURN(patch.disabled, fields.OptionalBool("disabled"));
                ASSIGN_OR_RETURN(auto reset_totp, fields.OptionalBool("reset_totp"));
                ASSIGN_OR_RETURN(patch.password, fields.OptionalString("password", 1024));
                ASSIGN_OR_RETURN(patch.step_up, http::StepUpFields(fields));
                RETURN_IF_ERROR(fields.Finish());
                if (role) {
                  ASSIGN_OR_RETURN(auto parsed, ParseRoleField(*role));
                  patch.role = parsed;
                }
                patch.reset_totp = reset_totp.value_or(false);
                ASSIGN_OR_RETURN(User updated,
                                 s->UpdateUser(ctx.caller(), id, patch, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"user", UserJson(updated, *s)}});
              },
              .max_body = 16 * 1024,
              .summary = "Change a user's name, role or status; reset 2FA or password (a role "
                         "change and the resets need current_password and totp_code)",
              .tag = "users"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/tokens",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kTokensManage));
                ASSIGN_OR_RETURN(auto tokens, s->ListTokens());
                json::array out;
                for (const auto& token : tokens) out.emplace_back(TokenJson(token));
                return http::JsonResponse(json::object{{"tokens", std::move(out)}});
              },
              .summary = "List API tokens",
              .tag = "tokens"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/tokens",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(security::Authorize(ctx.caller(), security::Permission::kTokensManage));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewApiToken token;
         ASSIGN_OR_RETURN(token.name, fields.RequiredString("name", 1, 100));
         ASSIGN_OR_RETURN(token.scopes, fields.StringArray("scopes", 10, 64));
         ASSIGN_OR_RETURN(auto days, fields.RequiredInt("expires_in_days", 1, 730));
         ASSIGN_OR_RETURN(auto gateway, fields.OptionalString("gateway", 32));
         RETURN_IF_ERROR(fields.Finish());
         token.sms_gateway = gateway.value_or("");
         token.expires_in_days = static_cast<int>(days);
         ASSIGN_OR_RETURN(auto created, s->CreateToken(ctx.caller(), token, InfoOf(ctx.request)));
         return http::JsonResponse(
             json::object{{"token", TokenJson(created.first)}, {"secret", created.second}}, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Create an API token (the secret is shown once)",
       .tag = "tokens"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/tokens/{id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(
                    security::Authorize(ctx.caller(), security::Permission::kTokensManage));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                RETURN_IF_ERROR(s->RevokeToken(ctx.caller(), id, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .summary = "Revoke an API token",
              .tag = "tokens"});
}

}  // namespace psea::accounts
