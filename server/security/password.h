// Password hashing (Argon2id, libsodium's crypto_pwhash_str) and the password policy.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "security/crypto.h"

namespace psea::security {

constexpr std::size_t kMinPasswordLength = 12;   // characters, not bytes
constexpr std::size_t kMaxPasswordBytes = 1024;  // bounds the hashing work per request

// kInvalidArgument with field "password" when the password is too short, too long, common,
// or the user name itself.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

// The encoded hash string (algorithm, cost and salt included).
Result<std::string> HashPassword(std::string_view password, Argon2Cost cost);
// True when `password` matches `encoded_hash`; false for a mismatch or an unreadable hash.
bool VerifyPassword(std::string_view password, const std::string& encoded_hash);
// True when `encoded_hash` was made with another cost (or algorithm) than `cost`, or is
// unreadable: verifying it does not take what verifying a hash made now takes.
bool PasswordNeedsRehash(const std::string& encoded_hash, Argon2Cost cost);

}  // namespace psea::security
