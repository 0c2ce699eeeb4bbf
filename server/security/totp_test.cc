#include "security/totp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "security/crypto.h"

namespace psea::security {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class TotpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
};

// RFC 6238, appendix B: the seed for each hash is the ASCII digits repeated to its length.
const std::string kSha1Secret = "12345678901234567890";
const std::string kSha256Secret = "12345678901234567890123456789012";
const std::string kSha512Secret =
    "1234567890123456789012345678901234567890123456789012345678901234";

TEST_F(TotpTest, Rfc6238TestVectors) {
  struct Case {
    std::int64_t time;
    TotpHash hash;
    const char* code;
  };
  const Case cases[] = {
      {59, TotpHash::kSha1, "94287082"},
      {59, TotpHash::kSha256, "46119246"},
      {59, TotpHash::kSha512, "90693936"},
      {1111111109, TotpHash::kSha1, "07081804"},
      {1111111109, TotpHash::kSha256, "68084774"},
      {1111111109, TotpHash::kSha512, "25091201"},
      {1111111111, TotpHash::kSha1, "14050471"},
      {1111111111, TotpHash::kSha256, "67062674"},
      {1111111111, TotpHash::kSha512, "99943326"},
      {1234567890, TotpHash::kSha1, "89005924"},
      {1234567890, TotpHash::kSha256, "91819424"},
      {1234567890, TotpHash::kSha512, "93441116"},
      {2000000000, TotpHash::kSha1, "69279037"},
      {2000000000, TotpHash::kSha256, "90698825"},
      {2000000000, TotpHash::kSha512, "38618901"},
      {20000000000, TotpHash::kSha1, "65353130"},
      {20000000000, TotpHash::kSha256, "77737706"},
      {20000000000, TotpHash::kSha512, "47863826"},
  };
  for (const Case& c : cases) {
    const std::string& secret = c.hash == TotpHash::kSha1     ? kSha1Secret
                                : c.hash == TotpHash::kSha256 ? kSha256Secret
                                                              : kSha512Secret;
    auto code = TotpCode(secret, c.time, 8, c.hash);
    ASSERT_TRUE(code.ok()) << c.time << ": " << code.status().ToString();
    EXPECT_EQ(*code, c.code) << "time " << c.time << ", hash " << static_cast<int>(c.hash);
  }
}

TEST_F(TotpTest, SixDigitCodesAreTheLastSixDigits) {
  EXPECT_EQ(*TotpCode(kSha1Secret, 59), "287082");
  EXPECT_EQ(*TotpCode(kSha1Secret, 1111111109), "081804");
  // Within one 30-second step the code does not change.
  EXPECT_EQ(*TotpCode(kSha1Secret, 1111111110), *TotpCode(kSha1Secret, 1111111139));
}

TEST_F(TotpTest, MatchAcceptsOneStepEitherSide) {
  const std::string secret = GenerateTotpSecret();
  const std::int64_t now = 1800000015;  // 15 seconds into step 60000000
  const std::int64_t step = now / 30;
  struct Case {
    std::int64_t code_time;
    std::optional<std::int64_t> matched_step;
  };
  const Case cases[] = {
      {now, step},
      {now - 15, step},           // start of the same step
      {now + 14, step},           // end of the same step
      {now - 30, step - 1},       // the previous step (the phone is slow)
      {now + 30, step + 1},       // the next step (the phone is fast)
      {now - 60, std::nullopt},   // too old
      {now + 60, std::nullopt},   // too far ahead
      {now - 600, std::nullopt},  // long gone
  };
  for (const Case& c : cases) {
    auto code = TotpCode(secret, c.code_time);
    ASSERT_TRUE(code.ok());
    EXPECT_EQ(MatchTotp(secret, *code, now), c.matched_step) << c.code_time - now;
  }
  EXPECT_EQ(MatchTotp(GenerateTotpSecret(), *TotpCode(secret, now), now), std::nullopt);
}

TEST_F(TotpTest, MatchRefusesCodesThatAreNotSixDigits) {
  const std::int64_t now = 1800000015;
  const std::string valid = *TotpCode(kSha1Secret, now);
  const std::string cases[] = {
      "",
      valid.substr(0, 5),
      valid + "0",
      *TotpCode(kSha1Secret, now, 8),
      std::string(" ").append(valid.substr(1)),
      valid.substr(0, 5) + " ",
      valid.substr(0, 5) + "a",
      "12345a",
      "-12345",
      "+12345",
      "1234.5",
      std::string("12345\0", 6),
      "\xef\xbc\x91\xef\xbc\x92",  // full-width digits
  };
  for (const std::string& code : cases) {
    EXPECT_EQ(MatchTotp(kSha1Secret, code, now), std::nullopt) << code;
  }
  EXPECT_EQ(MatchTotp(kSha1Secret, valid, now), now / 30);
}

TEST_F(TotpTest, Base32KnownAnswers) {
  struct Case {
    std::string bytes;
    const char* text;
  };
  const Case cases[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
      {kSha1Secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
  };
  for (const Case& c : cases) EXPECT_EQ(Base32Encode(c.bytes), c.text) << c.bytes;
}

TEST_F(TotpTest, GeneratedSecretsAreTwentyRandomBytes) {
  const std::string first = GenerateTotpSecret();
  EXPECT_EQ(first.size(), 20u);
  EXPECT_NE(first, GenerateTotpSecret());
  EXPECT_EQ(Base32Encode(first).size(), 32u);
}

TEST_F(TotpTest, OtpauthUriShape) {
  EXPECT_EQ(OtpauthUri("psea", "alice", kSha1Secret),
            "otpauth://totp/psea:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=psea"
            "&algorithm=SHA1&digits=6&period=30");
  // Anything outside the unreserved characters is percent-encoded.
  const std::string uri = OtpauthUri("psea test", "jean.o'neil@x&y", kSha1Secret);
  EXPECT_THAT(uri, StartsWith("otpauth://totp/psea%20test:jean.o%27neil%40x%26y?secret="));
  EXPECT_THAT(uri, HasSubstr("&issuer=psea%20test&"));
}

TEST_F(TotpTest, QrCodeIsAnSvgImage) {
  const std::string svg = QrCodeSvg(OtpauthUri("psea", "alice", GenerateTotpSecret()));
  ASSERT_FALSE(svg.empty());
  EXPECT_THAT(svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, EndsWith("</svg>"));
  EXPECT_THAT(svg, HasSubstr("<path fill=\"#000\" d=\"M"));
  EXPECT_NE(svg, QrCodeSvg(OtpauthUri("psea", "bob", GenerateTotpSecret())));
}

}  // namespace
}  // namespace psea::security
