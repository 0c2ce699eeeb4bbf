#include "modules/intake/sms_message.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "security/crypto.h"

namespace psea::intake {
namespace {

// Every phone number here is made up: +236 70 00 00 0x.

TEST(ParseSmsJson, ReadsAllFields) {
  auto message = ParseSmsJson(
      R"({"from": "+236 70 00 00 01", "text": "Bonjour", "id": "gw-42",
          "sent_at": "2026-11-28T10:00:00Z"})");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000001");
  EXPECT_EQ(message->text, "Bonjour");
  EXPECT_EQ(message->gateway_id, "gw-42");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(FormatIso8601(*message->sent_at), "2026-11-28T10:00:00Z");
}

TEST(ParseSmsJson, OptionalFieldsMayBeAbsentOrNull) {
  auto message = ParseSmsJson(R"({"from": "+23670000002", "text": "x", "id": null})");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->gateway_id, "");
  EXPECT_FALSE(message->sent_at.has_value());
}

TEST(ParseSmsJson, IgnoresFieldsGatewaysAdd) {
  auto message = ParseSmsJson(
      R"({"from": "+23670000003", "text": "x", "channel": {"uuid": "abc"}, "priority": 1})");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000003");
}

TEST(ParseSmsJson, TakesANumericId) {
  auto message = ParseSmsJson(R"({"from": "+23670000003", "text": "x", "id": 123456})");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->gateway_id, "123456");
}

TEST(ParseSmsJson, RefusesWhatIsNotAJsonObject) {
  for (const char* body : {"", "not json", "[1, 2]", "\"text\"", "{\"from\": ", "null"}) {
    auto message = ParseSmsJson(body);
    ASSERT_FALSE(message.ok()) << body;
    EXPECT_EQ(message.status().code(), ErrorCode::kBadJson) << body;
  }
}

struct BadField {
  const char* body;
  const char* field;
  const char* message_part;
};

TEST(ParseSmsJson, NamesTheFieldOfEveryError) {
  const std::string long_text(4001, 'a');
  const std::string long_id(129, 'a');
  const std::vector<BadField> cases = {
      {R"({"text": "x"})", "from", "is required"},
      {R"({"from": null, "text": "x"})", "from", "is required"},
      {R"({"from": "", "text": "x"})", "from", "is required"},
      {R"({"from": 23670000001, "text": "x"})", "from", "must be a string"},
      {R"({"from": "Orange", "text": "x"})", "from", "must be a phone number"},
      {R"({"from": "+236 70", "text": "x"})", "from", "must be a phone number"},
      {R"({"from": "+23670000001"})", "text", "is required"},
      {R"({"from": "+23670000001", "text": ["x"]})", "text", "must be a string"},
      {R"({"from": "+23670000001", "text": " \n\t "})", "text", "must not be empty"},
      {R"({"from": "+23670000001", "text": "\u0001\u0002"})", "text", "must not be empty"},
      {R"({"from": "+23670000001", "text": "x", "id": true})", "id", "must be a string"},
      {R"({"from": "+23670000001", "text": "x", "id": -1})", "id", "must be a string"},
      {R"({"from": "+23670000001", "text": "x", "id": "a\u0007b"})", "id", "printable"},
      {R"({"from": "+23670000001", "text": "x", "id": "é"})", "id", "printable"},
  };
  for (const auto& bad : cases) {
    auto message = ParseSmsJson(bad.body);
    ASSERT_FALSE(message.ok()) << bad.body;
    EXPECT_EQ(message.status().code(), ErrorCode::kInvalidArgument) << bad.body;
    EXPECT_EQ(message.status().field(), bad.field) << bad.body;
    EXPECT_NE(message.status().message().find(bad.message_part), std::string::npos)
        << bad.body << ": " << message.status().message();
  }

  auto too_long = ParseSmsJson(R"({"from": "+23670000001", "text": ")" + long_text + "\"}");
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().field(), "text");
  auto id_too_long =
      ParseSmsJson(R"({"from": "+23670000001", "text": "x", "id": ")" + long_id + "\"}");
  ASSERT_FALSE(id_too_long.ok());
  EXPECT_EQ(id_too_long.status().field(), "id");
}

TEST(ParseSmsJson, TextLimitIsInBytesAfterCleaning) {
  // 2,000 two-byte characters are 4,000 bytes: the most allowed.
  std::string at_limit;
  for (int i = 0; i < 2000; ++i) at_limit += "é";
  auto ok = ParseSmsJson(R"({"from": "+23670000001", "text": "  )" + at_limit + "\\n\"}");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->text.size(), 4000u);
  auto over = ParseSmsJson(R"({"from": "+23670000001", "text": ")" + at_limit + "a\"}");
  EXPECT_FALSE(over.ok());
}

TEST(ParseSmsJson, CleansTheText) {
  struct Case {
    const char* json_text;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {R"(  Bonjour  )", "Bonjour"},
      {R"(\n\nligne 1\r\nligne 2\rligne 3\n)", "ligne 1\nligne 2\nligne 3"},
      {R"(a\tb)", "a b"},
      {R"(a\u0000b\u0007c\u001bd\u007fe)", "abcde"},
      {R"(a\u0085b\u009fc)", "abc"},  // C1 controls
      {R"(un\u00a0espace)", "un\u00a0espace"},
  };
  for (const auto& test_case : cases) {
    auto message = ParseSmsJson(std::string(R"({"from": "+23670000001", "text": ")") +
                                test_case.json_text + "\"}");
    ASSERT_TRUE(message.ok()) << test_case.json_text << ": " << message.status().ToString();
    EXPECT_EQ(message->text, test_case.expected) << test_case.json_text;
  }
}

TEST(ParseSmsJson, KeepsFrenchAndSango) {
  const std::string french = "Un casque bleu m'a demandé de l'argent à Bambari. Où aller ?";
  const std::string sango = "Bara ala! Mbï yeke na Ködörösêse tî Bêafrîka. Singîla mingi.";
  for (const std::string& text : {french, sango}) {
    auto message = ParseSmsJson(R"({"from": "+23670000004", "text": ")" + text + "\"}");
    ASSERT_TRUE(message.ok()) << message.status().ToString();
    EXPECT_EQ(message->text, text);
  }
}

TEST(ParseSmsJson, ReadsTimesWithFractionsAndOffsets) {
  struct Case {
    const char* sent_at;
    const char* expected;  // UTC, whole seconds
    int expected_millis;
  };
  const std::vector<Case> cases = {
      {"2026-11-28T10:00:00Z", "2026-11-28T10:00:00Z", 0},
      {"2026-11-28T10:00:00.125Z", "2026-11-28T10:00:00Z", 125},
      {"2026-11-28T10:00:00.1Z", "2026-11-28T10:00:00Z", 100},
      {"2026-11-28T10:00:00.125978Z", "2026-11-28T10:00:00Z", 125},
      {"2026-11-28T11:00:00+01:00", "2026-11-28T10:00:00Z", 0},  // Bangui, WAT
      {"2026-11-28T11:00:00+0100", "2026-11-28T10:00:00Z", 0},
      {"2026-11-28T11:00:00+01", "2026-11-28T10:00:00Z", 0},
      {"2026-11-28T05:30:00-04:30", "2026-11-28T10:00:00Z", 0},
      {"2026-11-28 10:00:00z", "2026-11-28T10:00:00Z", 0},
      {"2026-11-29T00:30:00+14:30", "2026-11-28T10:00:00Z", 0},
  };
  for (const auto& test_case : cases) {
    auto message =
        ParseSmsJson(std::string(R"({"from": "+23670000001", "text": "x", "sent_at": ")") +
                     test_case.sent_at + "\"}");
    ASSERT_TRUE(message.ok()) << test_case.sent_at << ": " << message.status().ToString();
    ASSERT_TRUE(message->sent_at.has_value());
    EXPECT_EQ(FormatIso8601(*message->sent_at), test_case.expected) << test_case.sent_at;
    EXPECT_EQ(*message->sent_at % 1000, test_case.expected_millis) << test_case.sent_at;
  }
  for (const char* bad :
       {"2026-11-28T10:00:00+1:00", "2026-11-28T10:00:00.Z", "2026-11-28T24:00:00Z",
        "2026-11-28T10:00:60Z", "2026-11-28T10:00Z", "2026-11-28T10:00:00+24:00",
        "2026-11-28T10:00:00ZZ", "2026-11-28T10:00:00.1234567890Z", "28/11/2026 10:00"}) {
    // Never refused: filed at the time received, the value noted for the CDT.
    auto message = ParseSmsJson(
        std::string(R"({"from": "+23670000001", "text": "x", "sent_at": ")") + bad + "\"}");
    ASSERT_TRUE(message.ok()) << bad;
    EXPECT_FALSE(message->sent_at.has_value()) << bad;
    ASSERT_EQ(message->unparsed.size(), 1u) << bad;
    EXPECT_EQ(message->unparsed[0], std::string("sent_at=") + bad);
  }
}

TEST(ParseSmsForm, ReadsTheRapidProShape) {
  auto message = ParseSmsForm(
      "from=%2B23670000005&text=Je+veux+signaler+un+abus+%C3%A0+Bria&id=8812"
      "&date=2026-11-28T10:00:00.000Z&channel=abc");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000005");
  EXPECT_EQ(message->text, "Je veux signaler un abus à Bria");
  EXPECT_EQ(message->gateway_id, "8812");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(FormatIso8601(*message->sent_at), "2026-11-28T10:00:00Z");
}

TEST(ParseSmsForm, TakesTheOtherNames) {
  auto message = ParseSmsForm("sender=70000006&message=Mbi+yeke+ge&time=2026-11-28T10:00:00Z");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000006");
  EXPECT_EQ(message->text, "Mbi yeke ge");
  EXPECT_TRUE(message->sent_at.has_value());
}

TEST(ParseSmsForm, MainNameWinsOverItsAlias) {
  auto message = ParseSmsForm("sender=%2B23670000007&from=%2B23670000008&message=b&text=a");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000008");
  EXPECT_EQ(message->text, "a");
}

TEST(ParseSmsForm, AnUnencodedPlusStillGivesTheNumber) {
  // "+" in a form means a space; the number has 11 digits, so it is international anyway.
  auto message = ParseSmsForm("from=+23670000009&text=x&date=&id=");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000009");
  EXPECT_EQ(message->gateway_id, "");
  EXPECT_FALSE(message->sent_at.has_value());
}

TEST(ParseSmsForm, NamesTheFieldOfEveryError) {
  const std::vector<BadField> cases = {
      {"text=x", "from", "is required"},
      {"from=&text=x", "from", "is required"},
      {"from=MTN&text=x", "from", "must be a phone number"},
      {"sender=12&text=x", "sender", "must be a phone number"},
      {"from=70000001", "text", "is required"},
      {"from=70000001&text=+++", "text", "must not be empty"},
      {"from=70000001&message=%0D%0A", "message", "must not be empty"},
      {"from=70000001&text=caf%E9", "text", "is not UTF-8"},        // Latin-1
      {"from=70000001&message=%C3%28", "message", "is not UTF-8"},  // bad continuation
      {"from=70000001&text=%ED%A0%80", "text", "is not UTF-8"},     // a surrogate
      {"from=70000001&text=%C0%AF", "text", "is not UTF-8"},        // overlong
      {"from=70000001&text=%F4%90%80%80", "text", "is not UTF-8"},  // above U+10FFFF
      {"from=70000001&text=%E2%82", "text", "is not UTF-8"},        // truncated
      {"from=70000001&text=x&id=a%0Ab", "id", "printable"},
  };
  for (const auto& bad : cases) {
    auto message = ParseSmsForm(bad.body);
    ASSERT_FALSE(message.ok()) << bad.body;
    EXPECT_EQ(message.status().code(), ErrorCode::kInvalidArgument) << bad.body;
    EXPECT_EQ(message.status().field(), bad.field) << bad.body;
    EXPECT_NE(message.status().message().find(bad.message_part), std::string::npos)
        << bad.body << ": " << message.status().message();
  }
}

TEST(ParseSmsForm, RefusesABadPercentEscapeWithoutAField) {
  auto message = ParseSmsForm("from=%2G23670000001&text=x");
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(message.status().field(), "");
}

TEST(NormalizePhone, Table) {
  struct Case {
    const char* raw;
    const char* expected;  // nullptr: not a phone number
  };
  const std::vector<Case> cases = {
      {"+23670000000", "+23670000000"},
      {"+236 70 00 00 00", "+23670000000"},
      {"  +236 70 00 00 01\t", "+23670000001"},
      {"+236-70-00-00-02", "+23670000002"},
      {"+236.70.00.00.03", "+23670000003"},
      {"+(236) 70 00 00 04", "+23670000004"},
      {"0023670000005", "+23670000005"},
      {"00 236 70 00 00 06", "+23670000006"},
      {"23670000007", "+23670000007"},
      {"70000008", "+23670000008"},
      {"70 00 00 09", "+23670000009"},
      {"+331234", "+331234"},                    // 6 digits: the shortest allowed
      {"+123456789012345", "+123456789012345"},  // 15 digits: the longest allowed
      {"+12345", nullptr},
      {"+1234567890123456", nullptr},
      {"001234567890123456", nullptr},
      {"0012345", nullptr},
      {"7000000", nullptr},     // 7 digits without a prefix
      {"700000000", nullptr},   // 9 digits without a prefix
      {"0612345678", nullptr},  // a national number of another country: which one?
      {"+0236700000", nullptr},
      {"000236700000", nullptr},
      {"", nullptr},
      {"   ", nullptr},
      {"+", nullptr},
      {"++23670000000", nullptr},
      {"23670000000+", nullptr},
      {"+236 70 00 00 0x", nullptr},
      {"Orange", nullptr},
      {"+236/70000000", nullptr},
      {"tel:+23670000000", nullptr},
      {"+٢٣٦٧٠٠٠٠٠٠٠", nullptr},  // Arabic-Indic digits
  };
  for (const auto& test_case : cases) {
    const auto phone = NormalizePhone(test_case.raw);
    if (test_case.expected == nullptr) {
      EXPECT_FALSE(phone.has_value()) << test_case.raw << " gave " << phone.value_or("");
    } else {
      EXPECT_EQ(phone.value_or("(none)"), test_case.expected) << test_case.raw;
    }
  }
}

TEST(NormalizePhone, IsIdempotent) {
  for (const char* raw : {"+236 70 00 00 00", "70000001", "0023670000002"}) {
    const auto once = NormalizePhone(raw);
    ASSERT_TRUE(once.has_value()) << raw;
    EXPECT_EQ(NormalizePhone(*once), once) << raw;
  }
}

class VerifySmsSignatureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { security::InitCrypto(); }

  static std::string Sign(std::string_view secret, std::string_view body) {
    return "sha256=" + security::HexEncode(security::HmacSha256(secret, body));
  }

  const std::string secret_ = "a gateway secret of any length";
  const std::string body_ = "from=%2B23670000001&text=Bonjour";
};

TEST_F(VerifySmsSignatureTest, AcceptsTheRightSignature) {
  const std::string header = Sign(secret_, body_);
  EXPECT_TRUE(VerifySmsSignature(secret_, body_, header));
  EXPECT_TRUE(VerifySmsSignature(secret_, body_, " " + header + "\t"));
}

TEST_F(VerifySmsSignatureTest, HexMayBeUpperOrMixedCase) {
  const std::string header = Sign(secret_, body_);
  std::string upper = header;
  for (std::size_t i = 7; i < upper.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  }
  EXPECT_TRUE(VerifySmsSignature(secret_, body_, upper));
  std::string mixed = header;
  for (std::size_t i = 7; i < mixed.size(); i += 2) {
    mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
  }
  EXPECT_TRUE(VerifySmsSignature(secret_, body_, mixed));
}

TEST_F(VerifySmsSignatureTest, RefusesAWrongSignature) {
  const std::string header = Sign(secret_, body_);
  EXPECT_FALSE(VerifySmsSignature("another secret", body_, header));
  EXPECT_FALSE(VerifySmsSignature(secret_, body_ + "&x=1", header));
  std::string flipped = header;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_FALSE(VerifySmsSignature(secret_, body_, flipped));
}

TEST_F(VerifySmsSignatureTest, RefusesMalformedHeaders) {
  const std::string header = Sign(secret_, body_);
  const std::string hex = header.substr(7);
  const std::vector<std::string> malformed = {
      "",
      "sha256=",
      hex,              // no prefix
      "SHA256=" + hex,  // the prefix is lowercase
      "sha1=" + hex,
      "sha256 =" + hex,
      "sha256=" + hex.substr(0, 63),         // one digit short
      "sha256=" + hex + "0",                 // one digit too many
      "sha256=" + hex.substr(0, 62) + "zz",  // not hex
      "sha256=" + hex.substr(0, 62) + " 0",
      header + "," + header,
  };
  for (const auto& bad : malformed) EXPECT_FALSE(VerifySmsSignature(secret_, body_, bad)) << bad;
  EXPECT_FALSE(VerifySmsSignature("", body_, Sign("", body_)));
}

}  // namespace
}  // namespace psea::intake

namespace psea::intake {
namespace {

TEST(RequireSignedSmsId, ABodyWithoutAnIdCouldBeReplayedAndIsRefused) {
  auto with_id = ParseSmsJson(R"({"from": "+23670000000", "text": "x", "id": 17})");
  ASSERT_TRUE(with_id.ok());
  EXPECT_TRUE(RequireSignedSmsId(*with_id).ok());
  for (const char* body : {R"({"from": "+23670000000", "text": "x"})",
                           R"({"from": "+23670000000", "text": "x", "id": "  "})",
                           R"({"from": "+23670000000", "text": "x", "id": null})"}) {
    auto parsed = ParseSmsJson(body);
    ASSERT_TRUE(parsed.ok()) << body;
    const Status refused = RequireSignedSmsId(*parsed);
    EXPECT_EQ(refused.code(), ErrorCode::kInvalidArgument) << body;
    EXPECT_EQ(refused.field(), "id");
  }
  auto form = ParseSmsForm("from=%2B23670000000&text=x");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(RequireSignedSmsId(*form).field(), "id");
}

// ---- Gateways as they send (docs/operations.md has each configuration)

http::HttpRequest Request(std::string method, std::string target, std::string content_type,
                          std::string body) {
  http::HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  EXPECT_TRUE(http::ParseTarget(target, request.path, request.query)) << target;
  if (!content_type.empty()) request.headers.emplace("Content-Type", std::move(content_type));
  request.body = std::move(body);
  return request;
}

TEST(ParseSmsRequest, KannelGetUrlAsRecorded) {
  // Kannel 1.4.5's get-url with from=%p&to=%P&text=%a&id=%I&time=%t&ts=%T&coding=%c&...
  auto request = Request(
      "GET",
      "/api/v1/intake/sms?from=%2B23670000001&to=4044&text=Bonjour+je+signale+un+abus+%C3%A9t%C3%A9"
      "&id=08874492-2c21-4709-b80a-9fd631dce072&time=2026-12-04+17:39:44&ts=1796405984&coding=1"
      "&charset=8-BIT&smsc=fake",
      "", "");
  auto message = ParseSmsRequest(SmsGateway::kKannel, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000001");
  EXPECT_EQ(message->text, "Bonjour je signale un abus été");
  EXPECT_EQ(message->gateway_id, "08874492-2c21-4709-b80a-9fd631dce072");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(*message->sent_at, 1796405984000);
  EXPECT_TRUE(message->unparsed.empty());
}

TEST(ParseSmsRequest, KannelLocalTimeWithoutZoneIsNotedNotRefused) {
  auto request =
      Request("GET", "/x?from=%2B23670000001&text=abus&time=2026-12-04+17:39:44", "", "");
  auto message = ParseSmsRequest(SmsGateway::kKannel, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_FALSE(message->sent_at.has_value());
  ASSERT_EQ(message->unparsed.size(), 1u);
  EXPECT_EQ(message->unparsed[0], "time=2026-12-04 17:39:44");
}

TEST(ParseSmsRequest, KannelPostUrlAsRecorded) {
  auto request = Request("POST", "/api/v1/intake/sms", "text/plain; charset=\"UTF-8\"",
                         "Bonjour \xC3\xA9t\xC3\xA9");
  request.headers.emplace("X-Kannel-From", "+23670000001");
  request.headers.emplace("X-Kannel-To", "4044");
  request.headers.emplace("X-Kannel-Time", "2026-12-04 17:40:17");
  request.headers.emplace("X-Kannel-SMSC", "fake");
  auto message = ParseSmsRequest(SmsGateway::kKannel, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000001");
  EXPECT_EQ(message->text, "Bonjour été");
  EXPECT_EQ(message->gateway_id, "");
  EXPECT_FALSE(message->sent_at.has_value());
  ASSERT_EQ(message->unparsed.size(), 1u);
  EXPECT_EQ(message->unparsed[0], "X-Kannel-Time=2026-12-04 17:40:17");
}

TEST(ParseSmsRequest, KannelCharsets) {
  struct Case {
    const char* content_type;
    std::string body;
    const char* text;
    std::size_t unparsed;
  };
  const std::vector<Case> cases = {
      {"text/plain; charset=ISO-8859-1", "caf\xE9", "café", 0},
      {"text/plain; charset=UTF-16BE", std::string("\x00\x63\x00\xE9\xD8\x3D\xDE\x00", 8),
       "cé\xF0\x9F\x98\x80", 0},
      {"text/plain; charset=UTF-16BE", std::string("\x00\x63\xD8\x3D", 4), "c\xC3\x98=", 1},
      {"text/plain; charset=UTF-8", "caf\xE9", "café", 1},
      {"text/plain; charset=KOI8-R", "abc", "abc", 1},
      {"", "abc", "abc", 0},
  };
  for (const auto& test_case : cases) {
    auto request = Request("POST", "/x", test_case.content_type, test_case.body);
    request.headers.emplace("X-Kannel-From", "+23670000001");
    auto message = ParseSmsRequest(SmsGateway::kKannel, request);
    ASSERT_TRUE(message.ok()) << test_case.content_type << ": " << message.status().ToString();
    EXPECT_EQ(message->text, test_case.text) << test_case.content_type;
    EXPECT_EQ(message->unparsed.size(), test_case.unparsed) << test_case.content_type;
  }
}

TEST(ParseSmsRequest, KannelRefusesOnlyAMissingSenderOrAnEmptyText) {
  auto no_sender = Request("POST", "/x", "text/plain", "abc");
  auto message = ParseSmsRequest(SmsGateway::kKannel, no_sender);
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().field(), "X-Kannel-From");
  auto empty = Request("GET", "/x?from=%2B23670000001&text=", "", "");
  message = ParseSmsRequest(SmsGateway::kKannel, empty);
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().field(), "text");
}

TEST(ParseSmsRequest, RapidProWebhookDefaultBody) {
  auto request = Request("POST", "/x", "application/json", R"({
    "contact": {"uuid": "0b9f8a44-5a9c-4d8c-9d5c-3b1d0f6c1e11", "name": "", "urn": "tel:+23670000002"},
    "flow": {"uuid": "f3c1b1a2-0000-4000-8000-000000000001", "name": "PSEA"},
    "path": [], "results": {"report": {"value": "abus", "category": "All Responses"}},
    "run": {"uuid": "9a1e3c3e-0000-4000-8000-000000000002", "created_on": "2026-12-04T17:40:00.123456Z"},
    "input": {"uuid": "4b6a1f6e-0000-4000-8000-000000000003", "type": "msg",
              "channel": {"uuid": "c1", "name": "Orange"},
              "created_on": "2026-12-04T17:40:01.123456Z", "text": "Je signale un abus",
              "attachments": [], "urn": {"display": "+236 70 00 00 02", "path": "+23670000002",
              "scheme": "tel"}},
    "channel": {"uuid": "c1", "name": "Orange"}})");
  auto message = ParseSmsRequest(SmsGateway::kRapidPro, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000002");
  EXPECT_EQ(message->text, "Je signale un abus");
  EXPECT_EQ(message->gateway_id, "4b6a1f6e-0000-4000-8000-000000000003");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(FormatIso8601(*message->sent_at), "2026-12-04T17:40:01Z");
}

TEST(ParseSmsRequest, AfricasTalkingCallback) {
  auto request = Request("POST", "/x", "application/x-www-form-urlencoded",
                         "linkId=SampleLinkId123&text=Je+signale&to=28901&id=d5c2b1e8-aaaa"
                         "&date=2026-12-04+17%3A41%3A02&from=%2B23670000003");
  auto message = ParseSmsRequest(SmsGateway::kAfricasTalking, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000003");
  EXPECT_EQ(message->text, "Je signale");
  EXPECT_EQ(message->gateway_id, "d5c2b1e8-aaaa");
  ASSERT_EQ(message->unparsed.size(), 1u);
  EXPECT_EQ(message->unparsed[0], "date=2026-12-04 17:41:02");
}

TEST(ParseSmsRequest, TwilioForm) {
  auto request =
      Request("POST", "/x", "application/x-www-form-urlencoded",
              "ToCountry=CF&SmsMessageSid=SM1f0e&NumMedia=0&SmsSid=SM1f0e&SmsStatus=received"
              "&Body=Je+signale+un+abus&To=%2B23675000000&NumSegments=1&MessageSid=SM1f0e"
              "&AccountSid=AC00&From=%2B23670000004&ApiVersion=2010-04-01");
  auto message = ParseSmsRequest(SmsGateway::kTwilio, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000004");
  EXPECT_EQ(message->text, "Je signale un abus");
  EXPECT_EQ(message->gateway_id, "SM1f0e");
  auto wrong = Request("POST", "/x", "application/json", "{}");
  EXPECT_EQ(ParseSmsRequest(SmsGateway::kTwilio, wrong).status().code(),
            ErrorCode::kUnsupportedMediaType);
}

TEST(ParseSmsRequest, SmsSyncForm) {
  auto request =
      Request("POST", "/x", "application/x-www-form-urlencoded",
              "from=%2B23670000005&message=Abus+%C3%A0+Bria&message_id=42a1"
              "&sent_to=%2B23675000000&secret=s3cret&device_id=1&sent_timestamp=1796405984000");
  auto message = ParseSmsRequest(SmsGateway::kSmsSync, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000005");
  EXPECT_EQ(message->text, "Abus à Bria");
  EXPECT_EQ(message->gateway_id, "42a1");
  EXPECT_EQ(message->gateway_secret, "s3cret");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(*message->sent_at, 1796405984000);
}

TEST(ParseSmsRequest, AndroidWebhook) {
  auto request = Request("POST", "/x", "application/json", R"({
    "deviceId": "ffffffffceb0b1db0000018e937c815b", "event": "sms:received",
    "id": "Ey6ECgOkVVFjz3CL48B8C", "webhookId": "LreFUt-Z3sSq0JufY9uWB",
    "payload": {"messageId": "abc123", "message": "Abus", "phoneNumber": "+23670000006",
                "simNumber": 1, "receivedAt": "2026-12-04T18:41:02.000+01:00"}})");
  auto message = ParseSmsRequest(SmsGateway::kAndroid, request);
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  EXPECT_EQ(message->from, "+23670000006");
  EXPECT_EQ(message->text, "Abus");
  EXPECT_EQ(message->gateway_id, "Ey6ECgOkVVFjz3CL48B8C");
  ASSERT_TRUE(message->sent_at.has_value());
  EXPECT_EQ(FormatIso8601(*message->sent_at), "2026-12-04T17:41:02Z");
  auto other = Request("POST", "/x", "application/json", R"({"event": "sms:sent", "payload": {}})");
  EXPECT_EQ(ParseSmsRequest(SmsGateway::kAndroid, other).status().field(), "event");
}

TEST(ParseSmsRequest, OnlyKannelSendsGet) {
  auto request = Request("GET", "/x?from=%2B23670000001&text=x", "", "");
  for (const auto gateway :
       {SmsGateway::kGeneric, SmsGateway::kRapidPro, SmsGateway::kTwilio,
        SmsGateway::kAfricasTalking, SmsGateway::kSmsSync, SmsGateway::kAndroid}) {
    EXPECT_EQ(ParseSmsRequest(gateway, request).status().code(), ErrorCode::kMethodNotAllowed);
  }
}

TEST(SmsGatewayNames, RoundTrip) {
  for (const char* name :
       {"generic", "kannel", "rapidpro", "africastalking", "twilio", "smssync", "android"}) {
    auto gateway = SmsGatewayFromName(name);
    ASSERT_TRUE(gateway.has_value()) << name;
    EXPECT_EQ(SmsGatewayName(*gateway), name);
  }
  EXPECT_FALSE(SmsGatewayFromName("Kannel").has_value());
}

TEST(VerifyTwilioSignature, TwiliosDocumentedExample) {
  // Twilio's security documentation: auth token 12345, this URL and these parameters.
  const std::string body =
      "CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030"
      "&To=%2B18005551212";
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  EXPECT_TRUE(VerifyTwilioSignature("12345", url, body, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(VerifyTwilioSignature("12346", url, body, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(VerifyTwilioSignature("12345", url + "&x=1", body, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(
      VerifyTwilioSignature("12345", url, body + "&Body=x", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(VerifyTwilioSignature("", url, body, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(VerifyTwilioSignature("12345", url, body, ""));
}

TEST(VerifyAndroidSignature, BodyAndTimestampWithinTheWindow) {
  const std::string body = R"({"event":"sms:received"})";
  const std::string signature =
      security::HexEncode(security::HmacSha256("key", body + "1796405984"));
  EXPECT_TRUE(VerifyAndroidSignature("key", body, "1796405984", signature, 1796405984, 300));
  EXPECT_TRUE(VerifyAndroidSignature("key", body, "1796405984", signature, 1796406284, 300));
  EXPECT_FALSE(VerifyAndroidSignature("key", body, "1796405984", signature, 1796406285, 300));
  EXPECT_FALSE(VerifyAndroidSignature("other", body, "1796405984", signature, 1796405984, 300));
  EXPECT_FALSE(VerifyAndroidSignature("key", body + " ", "1796405984", signature, 1796405984, 300));
  EXPECT_FALSE(VerifyAndroidSignature("key", body, "1796405985", signature, 1796405984, 300));
  EXPECT_FALSE(VerifyAndroidSignature("key", body, "-1", signature, 1796405984, 300));
  EXPECT_FALSE(VerifyAndroidSignature("", body, "1796405984", signature, 1796405984, 300));
}

}  // namespace
}  // namespace psea::intake
