#include "security/password.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace psea::security {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class PasswordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
  const Argon2Cost cost_ = CostFromProfile("fast");
};

TEST_F(PasswordTest, HashIsArgon2idAndVerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse battery", cost_);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_THAT(*hash, StartsWith("$argon2id$"));
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("correct horse battery ", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST_F(PasswordTest, SamePasswordHashesDifferently) {
  auto first = HashPassword("correct horse battery", cost_);
  auto second = HashPassword("correct horse battery", cost_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);  // a random salt each time
  EXPECT_TRUE(VerifyPassword("correct horse battery", *second));
}

TEST_F(PasswordTest, UnreadableHashNeverVerifies) {
  for (const std::string& hash : {std::string(), std::string("plain text"),
                                  std::string("$argon2id$v=19$m=8192,t=1,p=1$garbage")}) {
    EXPECT_FALSE(VerifyPassword("anything at all", hash)) << hash;
    EXPECT_FALSE(VerifyPassword("", hash)) << hash;
  }
}

TEST_F(PasswordTest, OverlongPasswordNeverVerifies) {
  const std::string longest(kMaxPasswordBytes, 'p');
  auto hash = HashPassword(longest, cost_);
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(longest, *hash));
  auto overlong_hash = HashPassword(longest + "p", cost_);
  ASSERT_TRUE(overlong_hash.ok());
  EXPECT_FALSE(VerifyPassword(longest + "p", *overlong_hash));
}

TEST_F(PasswordTest, PolicyTable) {
  const std::string e_acute = "\xc3\xa9";        // é: 1 character, 2 bytes
  const std::string emoji = "\xf0\x9f\x99\x82";  // 🙂: 1 character, 4 bytes
  auto repeat = [](const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
  };
  struct Case {
    std::string password;
    std::string username;
    const char* problem;  // nullptr: accepted
  };
  const Case cases[] = {
      {"", "alice", "at least 12 characters"},
      {"short", "alice", "at least 12 characters"},
      {"elevenchars", "alice", "at least 12 characters"},
      {"twelve chars", "alice", nullptr},
      // Counted in characters, not bytes: 11 characters in 22 or 44 bytes are too short.
      {repeat(e_acute, 11), "alice", "at least 12 characters"},
      {repeat(emoji, 11), "alice", "at least 12 characters"},
      {repeat(e_acute, 12), "alice", nullptr},
      {repeat(emoji, 12), "alice", nullptr},
      {"password1234", "alice", "too common"},
      {"PassWord1234", "alice", "too common"},
      {"qwerty123456", "alice", "too common"},
      {"letmein12345", "", "too common"},
      {"my-alice-passphrase", "alice", "user name"},
      {"MY-ALICE-PASSPHRASE", "alice", "user name"},
      {"my-alice-passphrase", "ALICE", "user name"},
      {"my-alice-passphrase", "", nullptr},
      {"my-alice-passphrase", "bob", nullptr},
      {std::string(kMaxPasswordBytes, 'x'), "alice", nullptr},
      {std::string(kMaxPasswordBytes + 1, 'x'), "alice", "at most 1024 bytes"},
      {repeat(emoji, 257), "alice", "at most 1024 bytes"},  // 257 characters, 1028 bytes
  };
  for (const Case& c : cases) {
    const Status status = CheckPasswordPolicy(c.password, c.username);
    const std::string label = c.password.substr(0, 40) + " / " + c.username;
    if (!c.problem) {
      EXPECT_TRUE(status.ok()) << label << ": " << status.ToString();
      continue;
    }
    ASSERT_FALSE(status.ok()) << label;
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << label;
    EXPECT_EQ(status.field(), "password") << label;
    EXPECT_THAT(status.message(), HasSubstr(c.problem)) << label;
  }
}

}  // namespace
}  // namespace psea::security
