#include "http/pipeline.h"

#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>

#include "core/log.h"
#include "http/json.h"
#include "security/crypto.h"

#include <zlib.h>

namespace psea::http {

namespace {
bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Users are on slow links: JSON and CSV answers shrink five to ten times. Level 1 keeps the
// cost near a millisecond per 100 KB.
void CompressIfWorthIt(HttpResponse& response, const HttpRequest& request) {
  if (response.body.size() < 1024 || response.HasHeader("Content-Encoding")) return;
  const std::string_view accept = request.Header("accept-encoding").value_or("");
  if (accept.find("gzip") == std::string_view::npos) return;
  auto type = response.headers.find(std::string_view("Content-Type"));
  if (type == response.headers.end()) return;
  const std::string& content_type = type->second;
  if (content_type.rfind("application/json", 0) != 0 && content_type.rfind("text/", 0) != 0) return;
  z_stream stream{};
  if (deflateInit2(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
  std::string out(deflateBound(&stream, response.body.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(response.body.data());
  stream.avail_in = static_cast<uInt>(response.body.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return;
  response.body = std::move(out);
  response.SetHeader("Content-Encoding", "gzip");
  response.SetHeader("Vary", "Accept-Encoding");
}
}  // namespace

std::string Pipeline::NewRequestId() {
  // Ids only need to be unique, not secret: a per-thread generator seeded once from the
  // system's randomness costs nanoseconds, where a getrandom(2) per request cost a system call.
  thread_local std::uint64_t state = [] {
    std::uint64_t seed = 0;
    const auto bytes = security::RandomBytes(sizeof seed);
    std::memcpy(&seed, bytes.data(), sizeof seed);
    return seed | 1;
  }();
  // splitmix64: every 64-bit value once per period, well mixed.
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i, z >>= 4) id[static_cast<std::size_t>(i)] = kHex[z & 15];
  return id;
}

std::size_t Pipeline::BodyLimit(std::string_view method, std::string_view target) const {
  // The route Handle will dispatch to is matched on the decoded path, so the limit must be
  // too: "/api/v1/auth/%6Cogin" is sign-in and gets sign-in's limit, not the default.
  std::string path;
  std::map<std::string, std::string> query;
  if (!ParseTarget(target, path, query)) {
    // Answered 400 once read; its body is dropped, so read as little of it as any route.
    return kMalformedTargetBodyLimit;
  }
  RouteMatch match = router_.Match(method, path);
  return match.route ? match.route->max_body : kDefaultBodyLimit;
}

void Pipeline::Decorate(HttpResponse& response, const HttpRequest& request) const {
  // The security headers, Cache-Control: no-store and X-Request-Id are written with the head
  // (http/wire.h), from these two fields.
  response.request_id = request.request_id;
  response.secure = request.secure;
}

HttpResponse Pipeline::Reject(const Status& status, std::string_view method,
                              const std::string& request_id) {
  HttpRequest request;
  request.method = std::string(method);
  request.request_id = request_id;
  HttpResponse response = ErrorResponse(status);
  Decorate(response, request);
  metrics_.Record(method, "(rejected)", response.status, 0);
  return response;
}

HttpResponse Pipeline::Dispatch(HttpRequest& request, std::string& route_label) {
  RouteMatch match = router_.Match(request.method, request.path);
  if (!match.route) {
    if (!match.allowed_methods.empty()) {
      route_label = "(method not allowed)";
      HttpResponse response = ErrorResponse(
          Status(ErrorCode::kMethodNotAllowed, "this path does not take " + request.method));
      std::string allow;
      for (const auto& method : match.allowed_methods)
        allow += (allow.empty() ? "" : ", ") + method;
      response.SetHeader("Allow", allow);
      return response;
    }
    if (static_files_) {
      if (auto file = static_files_->Serve(request)) {
        route_label = "(static)";
        return std::move(*file);
      }
    }
    route_label = "(not found)";
    return ErrorResponse(NotFound("no such resource"));
  }
  const Route& route = *match.route;
  route_label = route.pattern;
  RequestContext context{request, std::move(match.path_params), std::nullopt};
  if (route.access == Access::kTokenInPath) {
    auto secret = context.path_params.extract("token");
    auto principal = authenticator_.AuthenticateToken(secret.empty() ? "" : secret.mapped());
    if (!principal.ok()) return ErrorResponse(principal.status());
    context.principal = std::move(*principal);
  }
  if (route.access == Access::kAuthenticated) {
    auto principal = authenticator_.Authenticate(request);
    if (!principal.ok()) return ErrorResponse(principal.status());
    if (!principal->has_value()) return ErrorResponse(Unauthenticated());
    context.principal = std::move(**principal);
    const security::Principal& caller = *context.principal;
    if (caller.password_change_required && !route.allow_during_password_change) {
      return ErrorResponse(Status(ErrorCode::kPasswordChangeRequired,
                                  "choose your own password before anything else"));
    }
    // An account an administrator made for a 2FA role replaces the password first and enrols
    // next: while both are pending, the password change's routes must answer.
    if (caller.enrolment_required && !route.allow_during_enrolment &&
        !(caller.password_change_required && route.allow_during_password_change)) {
      return ErrorResponse(Status(ErrorCode::kEnrolmentRequired,
                                  "set up two-factor authentication before anything else"));
    }
    if (ChangesState(request.method) && caller.session_id != 0) {
      auto token = request.Header("x-csrf-token");
      if (!token || !authenticator_.CheckCsrf(caller, *token)) {
        return ErrorResponse(Status(ErrorCode::kCsrfFailed,
                                    "missing or wrong X-CSRF-Token header; reload the page"));
      }
    }
  }
  if (!route.lenient_query) {
    if (Status names = CheckQueryNames(request, route.query); !names.ok()) {
      return ErrorResponse(names);
    }
  }
  auto result = route.handler(context);
  if (!result.ok()) {
    if (result.status().code() == ErrorCode::kInternal) {
      log::Error("internal_error", {{"request_id", request.request_id},
                                    {"route", route_label},
                                    {"detail", result.status().message()}});
    }
    return ErrorResponse(result.status());
  }
  return std::move(result).value();
}

HttpResponse Pipeline::Handle(HttpRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (request.request_id.empty()) request.request_id = NewRequestId();
  std::string route_label = "(unknown)";
  HttpResponse response;
  try {
    response = Dispatch(request, route_label);
  } catch (const std::exception& error) {
    log::Error(
        "handler_exception",
        {{"request_id", request.request_id}, {"route", route_label}, {"what", error.what()}});
    response = ErrorResponse(Internal("unexpected exception"));
  }
  if (response.status >= 500) {
    log::Error("server_error", {{"request_id", request.request_id}, {"route", route_label}});
  }
  Decorate(response, request);
  CompressIfWorthIt(response, request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.Record(request.method, route_label, response.status, seconds);
  if (!log::InfoEnabled()) return response;
  log::Info("request",
            {{"request_id", request.request_id},
             {"method", request.method.size() <= 10 ? request.method : std::string("OTHER")},
             {"route", route_label},
             {"status", std::to_string(response.status)},
             {"ms", std::to_string(seconds * 1000)}});
  return response;
}

}  // namespace psea::http
