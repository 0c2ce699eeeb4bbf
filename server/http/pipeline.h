// What happens to every request between the socket and a handler, in order:
// request id -> route match (404/405) or static file -> authentication (401) -> 2FA
// enrolment gate (403) -> CSRF check for cookie sessions (403) -> handler -> error mapping ->
// security headers -> metrics and access log. Runs on a worker thread; never throws.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/metrics.h"
#include "http/request.h"
#include "http/router.h"
#include "http/static_files.h"
#include "security/permissions.h"

namespace psea::http {

// Resolves the caller from a request. Implemented by the accounts module.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt when the request carries no credentials; an error (401) when it carries
  // credentials that are unknown, expired or revoked.
  virtual Result<std::optional<security::Principal>> Authenticate(const HttpRequest& request) = 0;
  // The API token `secret` alone (Access::kTokenInPath); an error (401) when it is unknown,
  // expired or revoked. The default knows no token.
  virtual Result<security::Principal> AuthenticateToken(std::string_view secret) {
    (void)secret;
    return Unauthenticated("the API token is unknown, revoked or expired");
  }
  // True when `token` is the CSRF token of the principal's session.
  virtual bool CheckCsrf(const security::Principal& principal, std::string_view token) = 0;
};

class Pipeline {
 public:
  Pipeline(const Router& router, Authenticator& authenticator, Metrics& metrics,
           const StaticFiles* static_files)
      : router_(router),
        authenticator_(authenticator),
        metrics_(metrics),
        static_files_(static_files) {}

  // The body limit of the route that `method` and `target` reach, matched on the
  // percent-decoded path as Handle matches it (the default when none; kMalformedTargetBodyLimit
  // when the target cannot be decoded, which Handle's caller answers 400).
  std::size_t BodyLimit(std::string_view method, std::string_view target) const;
  static constexpr std::size_t kMalformedTargetBodyLimit = 16 * 1024;

  HttpResponse Handle(HttpRequest& request);

  // For answers the server gives before a request reaches Handle (malformed, too large):
  // the error shape with every security header.
  HttpResponse Reject(const Status& status, std::string_view method, const std::string& request_id);

  static std::string NewRequestId();

 private:
  HttpResponse Dispatch(HttpRequest& request, std::string& route_label);
  void Decorate(HttpResponse& response, const HttpRequest& request) const;

  const Router& router_;
  Authenticator& authenticator_;
  Metrics& metrics_;
  const StaticFiles* static_files_;
};

}  // namespace psea::http
