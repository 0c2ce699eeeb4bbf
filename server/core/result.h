// One error vocabulary for the whole server: a Status carries a fixed code, a message
// safe to show a user, and optionally the name of the offending input field.
// Result<T> is either a value or a non-OK Status. Exceptions are kept for start-up
// failures and broken invariants.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace psea {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,         // 400 validation_failed: a field is missing or malformed
  kBadJson,                 // 400 bad_json: the body is not JSON at all
  kUnknownField,            // 400 unknown_field: a JSON field the endpoint does not take
  kUnauthenticated,         // 401 unauthenticated: no or expired credentials
  kInvalidCredentials,      // 401 invalid_credentials
  kTotpRequired,            // 401 totp_required
  kTotpInvalid,             // 401 totp_invalid
  kPermissionDenied,        // 403 forbidden
  kCsrfFailed,              // 403 csrf_failed
  kEnrolmentRequired,       // 403 enrolment_required
  kPasswordChangeRequired,  // 403 password_change_required
  kReauthRequired,          // 403 reauth_required: prove it is you again (2FA code)
  kNotFound,                // 404 not_found
  kMethodNotAllowed,        // 405 method_not_allowed
  kConflict,                // 409 conflict
  kPreconditionFailed,      // 412 precondition_failed: If-Match names another version
  kPayloadTooLarge,         // 413 payload_too_large
  kUnsupportedMediaType,    // 415 unsupported_media_type
  kUnprocessable,           // 422 unprocessable: well-formed but breaks a rule
  kRateLimited,             // 429 rate_limited
  kInternal,                // 500 internal: details go to the log, never to the client
  kUnavailable,             // 503 unavailable: the database or another dependency is down
};

// The wire name of a code, e.g. "validation_failed".
const char* ErrorCodeName(ErrorCode code);
// The HTTP status a code maps to.
int ErrorCodeHttpStatus(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  // Seconds a client should wait (429 only); 0 when unset.
  int retry_after_seconds() const { return retry_after_seconds_; }
  Status& WithRetryAfter(int seconds) {
    retry_after_seconds_ = seconds;
    return *this;
  }
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
  int retry_after_seconds_ = 0;
};

inline Status InvalidArgument(std::string message, std::string field = {}) {
  return Status(ErrorCode::kInvalidArgument, std::move(message), std::move(field));
}
inline Status NotFound(std::string message) {
  return Status(ErrorCode::kNotFound, std::move(message));
}
inline Status PermissionDenied(std::string message = "you may not do this") {
  return Status(ErrorCode::kPermissionDenied, std::move(message));
}
inline Status Conflict(std::string message, std::string field = {}) {
  return Status(ErrorCode::kConflict, std::move(message), std::move(field));
}
inline Status Unprocessable(std::string message, std::string field = {}) {
  return Status(ErrorCode::kUnprocessable, std::move(message), std::move(field));
}
inline Status Internal(std::string message) {
  return Status(ErrorCode::kInternal, std::move(message));
}
inline Status Unavailable(std::string message) {
  return Status(ErrorCode::kUnavailable, std::move(message));
}
inline Status Unauthenticated(std::string message = "sign in first") {
  return Status(ErrorCode::kUnauthenticated, std::move(message));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Internal("Result constructed from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const& { return status_; }
  // By value from a temporary, so that `RETURN_IF_ERROR(Foo().status())` holds a Status of its
  // own instead of a reference into the Result destroyed at the end of the expression.
  Status status() && { return std::move(status_); }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

namespace internal {
inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
const Status& GetStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace psea

#define PSEA_CONCAT_INNER(a, b) a##b
#define PSEA_CONCAT(a, b) PSEA_CONCAT_INNER(a, b)

// Returns the status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                                                                   \
  do {                                                                                          \
    auto&& psea_status_or_result = (expr);                                                      \
    if (!psea_status_or_result.ok()) return ::psea::internal::GetStatus(psea_status_or_result); \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, Foo())`: unwraps a Result or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(PSEA_CONCAT(psea_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
