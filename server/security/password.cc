#include "security/password.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace psea::security {

namespace {
// Passwords people pick first, at or above the minimum length. The length rule removes the
// short ones; this list catches the long ones everybody tries.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "123456789012",     "1234567890123",  "12345678901234", "password1234",  "password12345",
    "passwordpassword", "qwertyuiop12",   "qwertyuiopas",   "qwerty123456",  "123456123456",
    "111111111111",     "000000000000",   "aaaaaaaaaaaa",   "abcdefghijkl",  "abcd1234abcd",
    "iloveyou1234",     "letmein12345",   "welcome12345",   "welcome123456", "changeme1234",
    "motdepasse123",    "motdepasse1234", "azertyuiop12",   "azerty123456",  "administrator",
    "admin1234567",     "adminadmin12",   "passw0rd1234",   "p@ssw0rd1234",  "trustno11234",
    "football1234",     "monkey123456",   "dragon123456",   "sunshine1234",  "princess1234",
    "qazwsxedcrfv",     "1q2w3e4r5t6y",   "zaq12wsxcde3",   "bangui123456",  "minusca12345",
};

std::size_t CountCharacters(std::string_view text) {
  // UTF-8: count bytes that do not continue a sequence.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  if (password.size() > kMaxPasswordBytes) {
    return InvalidArgument("password must be at most 1024 bytes", "password");
  }
  if (CountCharacters(password) < kMinPasswordLength) {
    return InvalidArgument("password must be at least 12 characters", "password");
  }
  const std::string lowered = Lower(password);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lowered) !=
      kCommonPasswords.end()) {
    return InvalidArgument("password is too common; choose another", "password");
  }
  if (!username.empty() && lowered.find(Lower(username)) != std::string::npos) {
    return InvalidArgument("password must not contain the user name", "password");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, Argon2Cost cost) {
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Unavailable("not enough memory to hash the password");
  }
  return std::string(encoded);
}

bool PasswordNeedsRehash(const std::string& encoded_hash, Argon2Cost cost) {
  return crypto_pwhash_str_needs_rehash(encoded_hash.c_str(), cost.opslimit, cost.memlimit) != 0;
}

bool VerifyPassword(std::string_view password, const std::string& encoded_hash) {
  if (password.size() > kMaxPasswordBytes) return false;
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace psea::security
