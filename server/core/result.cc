#include "core/result.h"

namespace psea {

namespace {
struct CodeInfo {
  const char* name;
  int http_status;
};

CodeInfo Info(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return {"ok", 200};
    case ErrorCode::kInvalidArgument:
      return {"validation_failed", 400};
    case ErrorCode::kBadJson:
      return {"bad_json", 400};
    case ErrorCode::kUnknownField:
      return {"unknown_field", 400};
    case ErrorCode::kUnauthenticated:
      return {"unauthenticated", 401};
    case ErrorCode::kInvalidCredentials:
      return {"invalid_credentials", 401};
    case ErrorCode::kTotpRequired:
      return {"totp_required", 401};
    case ErrorCode::kTotpInvalid:
      return {"totp_invalid", 401};
    case ErrorCode::kPermissionDenied:
      return {"forbidden", 403};
    case ErrorCode::kCsrfFailed:
      return {"csrf_failed", 403};
    case ErrorCode::kPasswordChangeRequired:
      return {"password_change_required", 403};
    case ErrorCode::kReauthRequired:
      return {"reauth_required", 403};
    case ErrorCode::kEnrolmentRequired:
      return {"enrolment_required", 403};
    case ErrorCode::kNotFound:
      return {"not_found", 404};
    case ErrorCode::kMethodNotAllowed:
      return {"method_not_allowed", 405};
    case ErrorCode::kConflict:
      return {"conflict", 409};
    case ErrorCode::kPreconditionFailed:
      return {"precondition_failed", 412};
    case ErrorCode::kPayloadTooLarge:
      return {"payload_too_large", 413};
    case ErrorCode::kUnsupportedMediaType:
      return {"unsupported_media_type", 415};
    case ErrorCode::kUnprocessable:
      return {"unprocessable", 422};
    case ErrorCode::kRateLimited:
      return {"rate_limited", 429};
    case ErrorCode::kInternal:
      return {"internal", 500};
    case ErrorCode::kUnavailable:
      return {"unavailable", 503};
  }
  return {"internal", 500};
}
}  // namespace

const char* ErrorCodeName(ErrorCode code) { return Info(code).name; }
int ErrorCodeHttpStatus(ErrorCode code) { return Info(code).http_status; }

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string text = ErrorCodeName(code_);
  text += ": ";
  text += message_;
  if (!field_.empty()) text += " (field " + field_ + ")";
  return text;
}

}  // namespace psea
