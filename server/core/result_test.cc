#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace psea {
namespace {

TEST(ErrorCodeTest, EachCodeHasItsWireNameAndHttpStatus) {
  struct Case {
    ErrorCode code;
    const char* name;
    int http_status;
  };
  const Case cases[] = {
      {ErrorCode::kOk, "ok", 200},
      {ErrorCode::kInvalidArgument, "validation_failed", 400},
      {ErrorCode::kBadJson, "bad_json", 400},
      {ErrorCode::kUnknownField, "unknown_field", 400},
      {ErrorCode::kUnauthenticated, "unauthenticated", 401},
      {ErrorCode::kInvalidCredentials, "invalid_credentials", 401},
      {ErrorCode::kTotpRequired, "totp_required", 401},
      {ErrorCode::kTotpInvalid, "totp_invalid", 401},
      {ErrorCode::kPermissionDenied, "forbidden", 403},
      {ErrorCode::kCsrfFailed, "csrf_failed", 403},
      {ErrorCode::kEnrolmentRequired, "enrolment_required", 403},
      {ErrorCode::kNotFound, "not_found", 404},
      {ErrorCode::kMethodNotAllowed, "method_not_allowed", 405},
      {ErrorCode::kConflict, "conflict", 409},
      {ErrorCode::kPreconditionFailed, "precondition_failed", 412},
      {ErrorCode::kPayloadTooLarge, "payload_too_large", 413},
      {ErrorCode::kUnsupportedMediaType, "unsupported_media_type", 415},
      {ErrorCode::kUnprocessable, "unprocessable", 422},
      {ErrorCode::kRateLimited, "rate_limited", 429},
      {ErrorCode::kInternal, "internal", 500},
      {ErrorCode::kUnavailable, "unavailable", 503},
  };
  for (const Case& c : cases) {
    EXPECT_STREQ(ErrorCodeName(c.code), c.name) << c.name;
    EXPECT_EQ(ErrorCodeHttpStatus(c.code), c.http_status) << c.name;
  }
}

TEST(StatusTest, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kOk);
  EXPECT_EQ(status.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(StatusTest, HelpersSetCodeMessageAndField) {
  struct Case {
    Status status;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {InvalidArgument("bad", "name"), ErrorCode::kInvalidArgument, "name"},
      {NotFound("bad"), ErrorCode::kNotFound, ""},
      {PermissionDenied("bad"), ErrorCode::kPermissionDenied, ""},
      {Conflict("bad", "username"), ErrorCode::kConflict, "username"},
      {Unprocessable("bad", "date"), ErrorCode::kUnprocessable, "date"},
      {Internal("bad"), ErrorCode::kInternal, ""},
      {Unavailable("bad"), ErrorCode::kUnavailable, ""},
      {Unauthenticated("bad"), ErrorCode::kUnauthenticated, ""},
  };
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code) << c.status.ToString();
    EXPECT_EQ(c.status.message(), "bad");
    EXPECT_EQ(c.status.field(), c.field);
  }
  EXPECT_FALSE(PermissionDenied().message().empty());
  EXPECT_FALSE(Unauthenticated().message().empty());
}

TEST(StatusTest, ToStringNamesCodeMessageAndField) {
  EXPECT_EQ(InvalidArgument("is too long", "name").ToString(),
            "validation_failed: is too long (field name)");
  EXPECT_EQ(NotFound("no such user").ToString(), "not_found: no such user");
}

TEST(StatusTest, RetryAfterIsZeroUntilSet) {
  Status status(ErrorCode::kRateLimited, "slow down");
  EXPECT_EQ(status.retry_after_seconds(), 0);
  status.WithRetryAfter(42);
  EXPECT_EQ(status.retry_after_seconds(), 42);
}

TEST(ResultTest, HoldsAValue) {
  Result<std::string> result(std::string("value"));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.status().ok());
  EXPECT_EQ(*result, "value");
  EXPECT_EQ(result->size(), 5u);
  EXPECT_EQ(std::move(result).value(), "value");
}

TEST(ResultTest, HoldsAnError) {
  const Result<int> result(NotFound("gone"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(result.status().message(), "gone");
}

TEST(ResultTest, OkStatusWithoutValueBecomesInternal) {
  const Result<int> result(Status::Ok());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), ErrorCode::kInternal);
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> result(std::make_unique<int>(7));
  ASSERT_TRUE(result.ok());
  std::unique_ptr<int> taken = std::move(result).value();
  EXPECT_EQ(*taken, 7);
}

Result<int> Half(int number) {
  if (number % 2 != 0) return InvalidArgument("odd", "number");
  return number / 2;
}

Result<int> Quarter(int number) {
  ASSIGN_OR_RETURN(int half, Half(number));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckQuarter(int number, int* out) {
  RETURN_IF_ERROR(Half(number));
  RETURN_IF_ERROR(Status::Ok());
  ASSIGN_OR_RETURN(*out, Quarter(number));
  return Status::Ok();
}

TEST(ResultMacrosTest, PropagateTheFirstError) {
  EXPECT_EQ(*Quarter(12), 3);
  const Result<int> odd_half = Quarter(6);
  ASSERT_FALSE(odd_half.ok());
  EXPECT_EQ(odd_half.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(odd_half.status().field(), "number");

  int out = 0;
  EXPECT_TRUE(CheckQuarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  out = -1;
  EXPECT_EQ(CheckQuarter(7, &out).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(out, -1);
}

}  // namespace
}  // namespace psea
