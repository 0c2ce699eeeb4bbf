#include "http/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace psea::http {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

HttpRequest JsonRequest(std::optional<std::string> content_type, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/things";
  if (content_type) request.headers.emplace("Content-Type", *content_type);
  request.body = std::move(body);
  return request;
}

json::object Parse(std::string_view text) {
  auto parsed = ParseJsonObjectText(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : json::object();
}

std::string Nested(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  for (int i = 0; i < depth; ++i) text += "}";
  return text;
}

TEST(ParseJsonObjectTest, NeedsTheJsonContentType) {
  struct Case {
    std::optional<std::string> content_type;
    bool accepted;
  };
  const Case cases[] = {
      {"application/json", true},
      {"application/json; charset=utf-8", true},
      {"application/json;charset=UTF-8", true},
      {"Application/JSON", true},  // media types are case-insensitive
      {"application/json ; charset=utf-8", true},
      {std::nullopt, false},
      {"", false},
      {"text/plain", false},
      {"text/json", false},
      {"application/x-www-form-urlencoded", false},
      {"multipart/form-data; boundary=x", false},
      {"application/jsonp", false},
      {"application/json-patch+json", false},
      {"application/javascript", false},
  };
  for (const Case& c : cases) {
    const std::string label = c.content_type.value_or("(none)");
    auto parsed = ParseJsonObject(JsonRequest(c.content_type, "{\"a\":1}"));
    if (c.accepted) {
      ASSERT_TRUE(parsed.ok()) << label << ": " << parsed.status().ToString();
      EXPECT_EQ(parsed->at("a").as_int64(), 1);
    } else {
      ASSERT_FALSE(parsed.ok()) << label;
      EXPECT_EQ(parsed.status().code(), ErrorCode::kUnsupportedMediaType) << label;
      EXPECT_EQ(ErrorCodeHttpStatus(parsed.status().code()), 415);
    }
  }
  // The content type is checked before the body: a bad body with a bad type is a 415.
  EXPECT_EQ(ParseJsonObject(JsonRequest("text/plain", "{")).status().code(),
            ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonObjectTest, RefusesWhatIsNotAJsonObject) {
  const std::string cases[] = {
      "",
      " ",
      "{",
      "}",
      "{\"a\":}",
      "{\"a\" 1}",
      "{a:1}",
      "{'a':1}",
      "{\"a\":1,}",          // trailing comma
      "{\"a\":1} /* c */",   // comment
      "{\"a\":1}{\"b\":2}",  // two values
      "{\"a\":1} x",
      "{\"a\":NaN}",
      "{\"a\":Infinity}",
      "[1,2]",
      "\"text\"",
      "42",
      "true",
      "null",
      "{\"a\":\"\xff\"}",          // invalid UTF-8
      "{\"a\":\"\xc3\"}",          // truncated UTF-8 sequence
      "{\"a\":\"\xed\xa0\x80\"}",  // an encoded surrogate
      "{\"a\":\"\\ud800\"}",       // a lone escaped surrogate
      "{\"\xff\":1}",              // invalid UTF-8 in a key
      Nested(33),
      Nested(1000),
  };
  for (const std::string& text : cases) {
    auto parsed = ParseJsonObjectText(text);
    ASSERT_FALSE(parsed.ok()) << text.substr(0, 60);
    EXPECT_EQ(parsed.status().code(), ErrorCode::kBadJson) << text.substr(0, 60);
    auto through_request = ParseJsonObject(JsonRequest("application/json", text));
    EXPECT_EQ(through_request.status().code(), ErrorCode::kBadJson) << text.substr(0, 60);
  }
}

TEST(ParseJsonObjectTest, AcceptsObjectsUpToTheDepthLimit) {
  EXPECT_TRUE(ParseJsonObjectText("{}").ok());
  EXPECT_TRUE(ParseJsonObjectText(" {\"a\" : [1, 2.5, \"x\", null, true]} \n").ok());
  EXPECT_TRUE(ParseJsonObjectText("{\"name\":\"Gr\xc3\xbc\xc3\x9f"
                                  "e \xf0\x9f\x99\x82\"}")
                  .ok());
  EXPECT_TRUE(ParseJsonObjectText(Nested(kMaxJsonDepth)).ok());
  EXPECT_FALSE(ParseJsonObjectText(Nested(kMaxJsonDepth + 1)).ok());
}

TEST(ParseJsonObjectTest, HugeNumbersParseButAreNoIntegers) {
  const char* cases[] = {
      "{\"n\":1e400}",
      "{\"n\":-1e400}",
      "{\"n\":123456789012345678901234567890}",
      "{\"n\":-9223372036854775809}",
      "{\"n\":18446744073709551616}",
      "{\"n\":18446744073709551615}",
      "{\"n\":9223372036854775808}",
      "{\"n\":1.5}",
      "{\"n\":1e3}",
  };
  for (const char* text : cases) {
    const json::object object = Parse(text);
    JsonFields fields(object);
    auto number = fields.OptionalInt("n", std::numeric_limits<std::int64_t>::min(),
                                     std::numeric_limits<std::int64_t>::max());
    ASSERT_FALSE(number.ok()) << text;
    EXPECT_EQ(number.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_EQ(number.status().field(), "n") << text;
  }
}

TEST(JsonFieldsTest, RequiredStringCountsCharacters) {
  const std::string e_acute = "\xc3\xa9";  // 1 character, 2 bytes
  struct Case {
    std::string json;
    std::size_t min_chars;
    std::size_t max_chars;
    std::optional<std::string> value;  // nullopt: refused
    const char* problem;
  };
  const Case cases[] = {
      {"{\"name\":\"abc\"}", 1, 3, "abc", nullptr},
      {"{\"name\":\"abcd\"}", 1, 3, std::nullopt, "at most 3 characters"},
      {"{\"name\":\"ab\"}", 3, 10, std::nullopt, "at least 3 characters"},
      {"{\"name\":\"\"}", 1, 10, std::nullopt, "at least 1 characters"},
      {"{\"name\":\"\"}", 0, 10, "", nullptr},
      // Three characters in six bytes fit a limit of three characters.
      {"{\"name\":\"" + e_acute + e_acute + e_acute + "\"}", 3, 3, e_acute + e_acute + e_acute,
       nullptr},
      {"{\"name\":\"" + e_acute + e_acute + "\"}", 3, 10, std::nullopt, "at least 3"},
      {"{\"name\":\"\\u00e9\\u00e9\\u00e9\\u00e9\"}", 1, 3, std::nullopt, "at most 3"},
      {"{}", 1, 10, std::nullopt, "is required"},
      {"{\"name\":null}", 1, 10, std::nullopt, "is required"},
      {"{\"name\":5}", 1, 10, std::nullopt, "must be a string"},
      {"{\"name\":[\"a\"]}", 1, 10, std::nullopt, "must be a string"},
      {"{\"name\":{}}", 1, 10, std::nullopt, "must be a string"},
  };
  for (const Case& c : cases) {
    const json::object object = Parse(c.json);
    JsonFields fields(object);
    auto value = fields.RequiredString("name", c.min_chars, c.max_chars);
    if (c.value) {
      ASSERT_TRUE(value.ok()) << c.json << ": " << value.status().ToString();
      EXPECT_EQ(*value, *c.value);
      continue;
    }
    ASSERT_FALSE(value.ok()) << c.json;
    EXPECT_EQ(value.status().code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_EQ(value.status().field(), "name") << c.json;
    EXPECT_THAT(value.status().message(), HasSubstr(c.problem)) << c.json;
  }
}

TEST(JsonFieldsTest, ControlCharactersAreRefused) {
  const char* cases[] = {
      "{\"s\":\"a\\u0000b\"}",  "{\"s\":\"a\\u0001b\"}", "{\"s\":\"line\\nbreak\"}",
      "{\"s\":\"tab\\there\"}", "{\"s\":\"cr\\r\"}",     "{\"s\":\"\\u001f\"}",
      "{\"s\":\"del\\u007f\"}",
  };
  for (const char* text : cases) {
    const json::object object = Parse(text);
    JsonFields fields(object);
    auto value = fields.OptionalString("s", 100);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.status().field(), "s");
    EXPECT_THAT(value.status().message(), HasSubstr("control characters"));
  }
  const json::object fine =
      Parse("{\"s\":\"quotes \\\" and \\\\ and \\u00e9 and \\ud83d\\ude42\"}");
  JsonFields fields(fine);
  auto value = fields.OptionalString("s", 100);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value, "quotes \" and \\ and \xc3\xa9 and \xf0\x9f\x99\x82");
}

TEST(JsonFieldsTest, TextKeepsLineBreaksAndTabsOnly) {
  const json::object object =
      Parse("{\"t\":\"one\\r\\ntwo\\tthree\",\"bell\":\"a\\u0007\",\"del\":\"\\u007f\"}");
  JsonFields fields(object);
  auto text = fields.RequiredText("t", 1, 100);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "one\r\ntwo\tthree");
  EXPECT_EQ(fields.OptionalText("bell", 100).status().field(), "bell");
  EXPECT_EQ(fields.OptionalText("del", 100).status().field(), "del");
  EXPECT_EQ(fields.RequiredText("missing", 1, 100).status().field(), "missing");
}

TEST(JsonFieldsTest, OptionalValuesMayBeAbsentOrNull) {
  const json::object object = Parse("{\"b\":true,\"s\":null,\"n\":null}");
  JsonFields fields(object);
  auto absent = fields.OptionalString("missing", 10);
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, std::nullopt);
  auto null_string = fields.OptionalString("s", 10);
  ASSERT_TRUE(null_string.ok());
  EXPECT_EQ(*null_string, std::nullopt);
  auto null_int = fields.OptionalInt("n", 0, 10);
  ASSERT_TRUE(null_int.ok());
  EXPECT_EQ(*null_int, std::nullopt);
  auto flag = fields.OptionalBool("b");
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(*flag, true);
  auto no_flag = fields.OptionalBool("other");
  ASSERT_TRUE(no_flag.ok());
  EXPECT_EQ(*no_flag, std::nullopt);
  EXPECT_TRUE(fields.Finish().ok());

  const json::object wrong = Parse("{\"b\":\"true\"}");
  JsonFields wrong_fields(wrong);
  EXPECT_EQ(wrong_fields.OptionalBool("b").status().field(), "b");
}

TEST(JsonFieldsTest, IntegersWithinBounds) {
  struct Case {
    const char* json;
    std::int64_t min;
    std::int64_t max;
    std::optional<std::int64_t> value;  // nullopt: refused
  };
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const Case cases[] = {
      {"{\"n\":5}", 1, 10, 5},
      {"{\"n\":1}", 1, 10, 1},
      {"{\"n\":10}", 1, 10, 10},
      {"{\"n\":0}", 1, 10, std::nullopt},
      {"{\"n\":11}", 1, 10, std::nullopt},
      {"{\"n\":-5}", -10, -1, -5},
      {"{\"n\":9223372036854775807}", kMin, kMax, kMax},
      {"{\"n\":-9223372036854775808}", kMin, kMax, kMin},
      {"{\"n\":9223372036854775807}", 1, 730, std::nullopt},
      {"{\"n\":\"5\"}", 1, 10, std::nullopt},
      {"{\"n\":5.0}", 1, 10, std::nullopt},
      {"{\"n\":true}", 1, 10, std::nullopt},
      {"{\"n\":[5]}", 1, 10, std::nullopt},
  };
  for (const Case& c : cases) {
    const json::object object = Parse(c.json);
    JsonFields fields(object);
    auto value = fields.RequiredInt("n", c.min, c.max);
    if (c.value) {
      ASSERT_TRUE(value.ok()) << c.json << ": " << value.status().ToString();
      EXPECT_EQ(*value, *c.value) << c.json;
    } else {
      ASSERT_FALSE(value.ok()) << c.json;
      EXPECT_EQ(value.status().code(), ErrorCode::kInvalidArgument) << c.json;
      EXPECT_EQ(value.status().field(), "n") << c.json;
    }
  }
  const json::object empty;
  JsonFields fields(empty);
  EXPECT_THAT(fields.RequiredInt("n", 0, 1).status().message(), HasSubstr("is required"));
}

TEST(JsonFieldsTest, StringArrays) {
  struct Case {
    const char* json;
    std::optional<std::vector<std::string>> value;  // nullopt: refused
  };
  const Case cases[] = {
      {"{\"tags\":[\"a\",\"bc\"]}", std::vector<std::string>{"a", "bc"}},
      {"{\"tags\":[]}", std::vector<std::string>{}},
      {"{}", std::vector<std::string>{}},
      {"{\"tags\":null}", std::vector<std::string>{}},
      {"{\"tags\":[\"a\",\"b\",\"c\"]}", std::vector<std::string>{"a", "b", "c"}},
      {"{\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", std::nullopt},  // too many items
      {"{\"tags\":[\"abcde\"]}", std::nullopt},                // item too long
      {"{\"tags\":[\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"]}",
       std::vector<std::string>{"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}},
      {"{\"tags\":[\"a\\nb\"]}", std::nullopt},
      {"{\"tags\":[1]}", std::nullopt},
      {"{\"tags\":[\"a\",null]}", std::nullopt},
      {"{\"tags\":\"a\"}", std::nullopt},
      {"{\"tags\":{\"a\":1}}", std::nullopt},
  };
  for (const Case& c : cases) {
    const json::object object = Parse(c.json);
    JsonFields fields(object);
    auto value = fields.StringArray("tags", 3, 4);
    if (c.value) {
      ASSERT_TRUE(value.ok()) << c.json << ": " << value.status().ToString();
      EXPECT_EQ(*value, *c.value) << c.json;
    } else {
      ASSERT_FALSE(value.ok()) << c.json;
      EXPECT_EQ(value.status().code(), ErrorCode::kInvalidArgument) << c.json;
      EXPECT_EQ(value.status().field(), "tags") << c.json;
    }
  }
}

TEST(JsonFieldsTest, FinishRefusesFieldsNobodyAskedFor) {
  const json::object object = Parse("{\"username\":\"a\",\"password\":\"b\",\"is_admin\":true}");
  JsonFields fields(object);
  ASSERT_TRUE(fields.RequiredString("username", 1, 64).ok());
  ASSERT_TRUE(fields.OptionalString("password", 64).ok());
  ASSERT_TRUE(fields.OptionalString("display_name", 64).ok());  // absent is fine
  const Status finished = fields.Finish();
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.code(), ErrorCode::kUnknownField);
  EXPECT_EQ(finished.field(), "is_admin");
  EXPECT_THAT(finished.message(), HasSubstr("is_admin"));
  EXPECT_EQ(ErrorCodeName(finished.code()), std::string("unknown_field"));

  // A field that was asked for counts as seen even when its value was refused.
  const json::object refused = Parse("{\"n\":\"x\"}");
  JsonFields refused_fields(refused);
  EXPECT_FALSE(refused_fields.OptionalInt("n", 0, 1).ok());
  EXPECT_TRUE(refused_fields.Finish().ok());
}

TEST(JsonResponseTest, ErrorShape) {
  const HttpResponse response = ErrorResponse(InvalidArgument("name is too long", "name"));
  EXPECT_EQ(response.status, 400);
  ASSERT_TRUE(response.HasHeader("Content-Type"));
  EXPECT_THAT(response.headers.find("content-type")->second, HasSubstr("application/json"));
  EXPECT_FALSE(response.HasHeader("Retry-After"));
  const json::value body = json::parse(response.body);
  EXPECT_EQ(body, json::parse(R"({"error":{"code":"validation_failed",)"
                              R"("message":"name is too long","field":"name"}})"));
}

TEST(JsonResponseTest, ErrorWithoutFieldHasNoFieldKey) {
  const HttpResponse response = ErrorResponse(NotFound("no such user"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(json::parse(response.body),
            json::parse(R"({"error":{"code":"not_found","message":"no such user"}})"));
}

TEST(JsonResponseTest, InternalErrorsHideTheirMessage) {
  const HttpResponse response =
      ErrorResponse(Internal("SQL failed: relation users_secret does not exist"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("users_secret"), std::string::npos) << response.body;
  const json::value body = json::parse(response.body);
  const json::object& error = body.at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "internal");
  EXPECT_FALSE(error.at("message").as_string().empty());
  // Other codes keep theirs.
  EXPECT_THAT(ErrorResponse(Unavailable("the database is busy")).body,
              HasSubstr("the database is busy"));
}

TEST(JsonResponseTest, RateLimitedCarriesRetryAfter) {
  Status limited(ErrorCode::kRateLimited, "too many failed sign-ins");
  limited.WithRetryAfter(120);
  const HttpResponse response = ErrorResponse(limited);
  EXPECT_EQ(response.status, 429);
  ASSERT_TRUE(response.HasHeader("retry-after"));
  EXPECT_EQ(response.headers.find("Retry-After")->second, "120");
  EXPECT_EQ(json::parse(response.body).at("error").at("code").as_string(), "rate_limited");
}

TEST(JsonResponseTest, EveryCodeMapsToItsStatus) {
  for (ErrorCode code :
       {ErrorCode::kBadJson, ErrorCode::kUnknownField, ErrorCode::kTotpRequired,
        ErrorCode::kCsrfFailed, ErrorCode::kMethodNotAllowed, ErrorCode::kPayloadTooLarge,
        ErrorCode::kUnsupportedMediaType, ErrorCode::kUnprocessable}) {
    const HttpResponse response = ErrorResponse(Status(code, "message"));
    EXPECT_EQ(response.status, ErrorCodeHttpStatus(code)) << ErrorCodeName(code);
    EXPECT_EQ(json::parse(response.body).at("error").at("code").as_string(), ErrorCodeName(code));
  }
}

TEST(JsonResponseTest, JsonAndEmptyResponses) {
  const HttpResponse created = JsonResponse(json::object{{"id", 7}}, 201);
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(json::parse(created.body), json::parse(R"({"id":7})"));
  EXPECT_THAT(created.headers.find("Content-Type")->second, HasSubstr("charset=utf-8"));
  const HttpResponse empty = NoContent();
  EXPECT_EQ(empty.status, 204);
  EXPECT_THAT(empty.body, IsEmpty());
}

TEST(Utf8LengthTest, CountsCharacters) {
  struct Case {
    std::string text;
    std::size_t characters;
  };
  const Case cases[] = {
      {"", 0},
      {"abc", 3},
      {"\xc3\xa9", 1},
      {"\xe2\x82\xac", 1},
      {"\xf0\x9f\x99\x82", 1},
      {"a\xc3\xa9\xe2\x82\xac\xf0\x9f\x99\x82", 4},
  };
  for (const Case& c : cases) EXPECT_EQ(Utf8Length(c.text), c.characters) << c.text;
}

}  // namespace
}  // namespace psea::http
