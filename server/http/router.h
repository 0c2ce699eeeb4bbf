// The one route table. Every endpoint is declared once with its method, path pattern, who
// may call it and its handler; the same table drives dispatch, body limits and the OpenAPI
// coverage test.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/query.h"
#include "http/request.h"
#include "security/permissions.h"

namespace psea::http {

constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;

struct RequestContext {
  HttpRequest& request;
  std::map<std::string, std::string> path_params;
  // Set when the route needs a caller (Access::kAuthenticated).
  std::optional<security::Principal> principal;

  const security::Principal& caller() const { return *principal; }
  // The numeric path parameter `name`; kNotFound when it is not a positive integer.
  Result<std::int64_t> IdParam(std::string_view name) const;
  // The strict reader of the query string (http/query.h).
  QueryParams query() const { return QueryParams(request); }
};

using Handler = std::function<Result<HttpResponse>(RequestContext&)>;

enum class Access {
  kPublic,         // anyone
  kAuthenticated,  // a session or an API token
  // An API token given as the path parameter {token}, for SMS gateways that can set no header
  // (the route's pattern, not the path, is what logs and metrics name).
  kTokenInPath,
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/users/{id}"
  Access access = Access::kAuthenticated;
  Handler handler;
  // Reachable by a user who must still enrol 2FA.
  bool allow_during_enrolment = false;
  // Reachable by a user who must first replace a password someone else chose.
  bool allow_during_password_change = false;
  std::size_t max_body = kDefaultBodyLimit;
  // The query parameters the handler reads (http/query.h); any other, or one given twice, is
  // refused with 400 before the handler runs. lenient_query skips that check, for pages
  // opened from shared links (which gain tracking parameters) and for third-party programs
  // that choose their own parameter names.
  std::vector<std::string> query = {};
  bool lenient_query = false;
  std::string summary;  // one line, for the OpenAPI document
  std::string tag;      // module name, for the OpenAPI document
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::map<std::string, std::string> path_params;
  std::vector<std::string> allowed_methods;  // non-empty: the path exists with other methods
};

class Router {
 public:
  // Throws std::logic_error on a duplicate method and pattern (a programming error).
  void Add(Route route);
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  static bool MatchPattern(std::string_view pattern, std::string_view path,
                           std::map<std::string, std::string>* params);
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace psea::http
