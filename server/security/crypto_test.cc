#include "security/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace psea::security {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { InitCrypto(); }
};

std::string AllByteValues() {
  std::string bytes;
  for (int value = 0; value < 256; ++value) bytes.push_back(static_cast<char>(value));
  return bytes;
}

std::string FlipBit(std::string bytes, std::size_t position) {
  bytes[position] = static_cast<char>(bytes[position] ^ 0x01);
  return bytes;
}

TEST_F(CryptoTest, RandomBytesHaveTheAskedLength) {
  for (std::size_t count : {0u, 1u, 16u, 32u, 1000u}) EXPECT_EQ(RandomBytes(count).size(), count);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST_F(CryptoTest, RandomTokenIsUnpaddedBase64UrlAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string token = RandomToken(32);
    ASSERT_EQ(token.size(), 43u) << token;
    for (char c : token) {
      const bool url_safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_';
      EXPECT_TRUE(url_safe) << token;
    }
    auto decoded = Base64UrlDecode(token);
    ASSERT_TRUE(decoded.ok()) << token;
    EXPECT_EQ(decoded->size(), 32u);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
}

// RFC 4648 section 10, plus bytes that use the characters where the alphabets differ.
TEST_F(CryptoTest, Base64KnownAnswers) {
  struct Case {
    std::string bytes;
    const char* standard;
    const char* url;
  };
  const Case cases[] = {
      {"", "", ""},
      {"f", "Zg==", "Zg"},
      {"fo", "Zm8=", "Zm8"},
      {"foo", "Zm9v", "Zm9v"},
      {"foob", "Zm9vYg==", "Zm9vYg"},
      {"fooba", "Zm9vYmE=", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy", "Zm9vYmFy"},
      {"\xfb\xff", "+/8=", "-_8"},
      {std::string("\0\0\0", 3), "AAAA", "AAAA"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Base64Encode(c.bytes), c.standard);
    EXPECT_EQ(Base64UrlEncode(c.bytes), c.url);
    auto standard = Base64Decode(c.standard);
    ASSERT_TRUE(standard.ok()) << c.standard;
    EXPECT_EQ(*standard, c.bytes);
    auto url = Base64UrlDecode(c.url);
    ASSERT_TRUE(url.ok()) << c.url;
    EXPECT_EQ(*url, c.bytes);
  }
}

TEST_F(CryptoTest, Base64RoundTripsEveryByteAndLength) {
  const std::string all = AllByteValues();
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(all.size() - length);
    auto standard = Base64Decode(Base64Encode(bytes));
    auto url = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(standard.ok() && url.ok()) << length;
    EXPECT_EQ(*standard, bytes);
    EXPECT_EQ(*url, bytes);
  }
}

TEST_F(CryptoTest, Base64RefusesMalformedText) {
  const char* standard_cases[] = {"Zg", "Zm9v!", "Zm9v\n", "Zm 9v", "-_8=", "Zg=", "Z", "===="};
  for (const char* text : standard_cases) {
    auto decoded = Base64Decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument) << text;
  }
  const char* url_cases[] = {"Zg==", "+/8", "Zm9v!", "Zm 9v", "Z", "Zm9v\n"};
  for (const char* text : url_cases) {
    auto decoded = Base64UrlDecode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), ErrorCode::kInvalidArgument) << text;
  }
}

TEST_F(CryptoTest, HexAndHashKnownAnswers) {
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(HexEncode(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231, test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // RFC 2202, HMAC-SHA1 test cases 2 and 1.
  EXPECT_EQ(HexEncode(HmacSha1("Jefe", "what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(HexEncode(HmacSha1(std::string(20, '\x0b'), "Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00");
  const std::string key = RandomBytes(32);
  EXPECT_EQ(HmacSha256(key, "data"), HmacSha256(key, "data"));
  EXPECT_NE(HmacSha256(key, "data"), HmacSha256(RandomBytes(32), "data"));
}

TEST_F(CryptoTest, ConstantTimeEqualsComparesContentAndLength) {
  struct Case {
    std::string a;
    std::string b;
    bool equal;
  };
  const Case cases[] = {
      {"", "", true},        {"abc", "abc", true},
      {"abc", "abd", false}, {"abc", "ab", false},
      {"ab", "abc", false},  {std::string("a\0b", 3), std::string("a\0c", 3), false},
  };
  for (const Case& c : cases) EXPECT_EQ(ConstantTimeEquals(c.a, c.b), c.equal) << c.a << c.b;
}

TEST_F(CryptoTest, WipeZeroesAndKeepsTheLength) {
  std::string secret = "hunter2";
  Wipe(secret);
  EXPECT_EQ(secret, std::string(7, '\0'));
  std::string empty;
  Wipe(empty);
  EXPECT_TRUE(empty.empty());
  const SecretBytes bytes("key");
  EXPECT_EQ(bytes.bytes(), "key");
  EXPECT_EQ(bytes.size(), 3u);
  EXPECT_FALSE(bytes.empty());
}

TEST_F(CryptoTest, EncryptDecryptRoundTrip) {
  const std::string key = GenerateSymmetricKey();
  ASSERT_EQ(key.size(), kSymmetricKeyBytes);
  for (const std::string& plaintext :
       {std::string(), std::string("victim name"), AllByteValues(), std::string(100000, 'x')}) {
    auto sealed = Encrypt(key, plaintext, "record:7");
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->size(), 24 + plaintext.size() + 16);  // nonce, ciphertext, tag
    auto opened = Decrypt(key, *sealed, "record:7");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
  // A fresh nonce each time: the same message never encrypts alike.
  EXPECT_NE(*Encrypt(key, "same"), *Encrypt(key, "same"));
}

TEST_F(CryptoTest, DecryptRefusesWrongKeyTamperingAndWrongContext) {
  const std::string key = GenerateSymmetricKey();
  const std::string sealed = *Encrypt(key, "the secret", "record:7");
  struct Case {
    const char* label;
    std::string key;
    std::string sealed;
    std::string associated;
  };
  const Case cases[] = {
      {"wrong key", GenerateSymmetricKey(), sealed, "record:7"},
      {"tampered nonce", key, FlipBit(sealed, 0), "record:7"},
      {"tampered ciphertext", key, FlipBit(sealed, 24), "record:7"},
      {"tampered tag", key, FlipBit(sealed, sealed.size() - 1), "record:7"},
      {"wrong associated data", key, sealed, "record:8"},
      {"missing associated data", key, sealed, ""},
      {"truncated", key, sealed.substr(0, sealed.size() - 1), "record:7"},
      {"shorter than nonce and tag", key, sealed.substr(0, 39), "record:7"},
      {"empty", key, "", "record:7"},
  };
  for (const Case& c : cases) {
    auto opened = Decrypt(c.key, c.sealed, c.associated);
    ASSERT_FALSE(opened.ok()) << c.label;
    EXPECT_EQ(opened.status().code(), ErrorCode::kUnprocessable) << c.label;
  }
}

TEST_F(CryptoTest, KeysOfTheWrongLengthAreInternalErrors) {
  EXPECT_EQ(Encrypt("short", "x").status().code(), ErrorCode::kInternal);
  EXPECT_EQ(Decrypt("short", std::string(64, 'x')).status().code(), ErrorCode::kInternal);
}

TEST_F(CryptoTest, SealedBoxesOpenOnlyWithTheirKey) {
  const KeyPair recipient = GenerateKeyPair();
  const KeyPair stranger = GenerateKeyPair();
  ASSERT_EQ(recipient.public_key.size(), 32u);
  ASSERT_EQ(recipient.private_key.size(), 32u);
  auto sealed = SealTo(recipient.public_key, "data key");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_NE(*sealed, *SealTo(recipient.public_key, "data key"));

  auto opened = OpenSealed(recipient, *sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "data key");

  EXPECT_EQ(OpenSealed(stranger, *sealed).status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(OpenSealed(recipient, FlipBit(*sealed, sealed->size() / 2)).status().code(),
            ErrorCode::kUnprocessable);
  EXPECT_EQ(OpenSealed(recipient, "short").status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(SealTo("bad key", "x").status().code(), ErrorCode::kInternal);
}

TEST_F(CryptoTest, PublicKeyOfMatchesTheKeyPair) {
  const KeyPair keys = GenerateKeyPair();
  auto derived = PublicKeyOf(keys.private_key.bytes());
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(*derived, keys.public_key);
  EXPECT_EQ(PublicKeyOf("too short").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(CryptoTest, CostProfiles) {
  const Argon2Cost fast = CostFromProfile("fast");
  const Argon2Cost interactive = CostFromProfile("interactive");
  const Argon2Cost moderate = CostFromProfile("moderate");
  EXPECT_LT(fast.memlimit, interactive.memlimit);
  EXPECT_LE(fast.opslimit, interactive.opslimit);
  EXPECT_GT(moderate.memlimit, interactive.memlimit);
  const Argon2Cost unknown = CostFromProfile("no such profile");
  EXPECT_EQ(unknown.opslimit, interactive.opslimit);
  EXPECT_EQ(unknown.memlimit, interactive.memlimit);
}

TEST_F(CryptoTest, DeriveKeyDependsOnPasswordAndSalt) {
  const Argon2Cost cost = CostFromProfile("fast");
  const std::string salt = RandomBytes(kSaltBytes);
  auto first = DeriveKey("correct horse", salt, cost);
  auto again = DeriveKey("correct horse", salt, cost);
  auto other_password = DeriveKey("correct house", salt, cost);
  auto other_salt = DeriveKey("correct horse", RandomBytes(kSaltBytes), cost);
  ASSERT_TRUE(first.ok() && again.ok() && other_password.ok() && other_salt.ok());
  EXPECT_EQ(first->size(), kSymmetricKeyBytes);
  EXPECT_EQ(first->bytes(), again->bytes());
  EXPECT_NE(first->bytes(), other_password->bytes());
  EXPECT_NE(first->bytes(), other_salt->bytes());
  EXPECT_EQ(DeriveKey("x", "short salt", cost).status().code(), ErrorCode::kInternal);
}

}  // namespace
}  // namespace psea::security
