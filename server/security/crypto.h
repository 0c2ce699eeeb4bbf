// Thin, typed wrappers over libsodium. Only server/security/ includes sodium.h.
// Every function that can fail returns a Status; nothing here logs or throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace psea::security {

// Must be called once at start-up before any other function here. Throws on failure.
void InitCrypto();

// Bytes held in a std::string that is wiped when destroyed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes&) = default;
  SecretBytes(SecretBytes&&) noexcept = default;
  SecretBytes& operator=(SecretBytes&&) noexcept = default;
  ~SecretBytes();
  const std::string& bytes() const { return bytes_; }
  bool empty() const { return bytes_.empty(); }
  std::size_t size() const { return bytes_.size(); }

 private:
  std::string bytes_;
};

// Zeroes memory in a way the compiler will not optimise away.
void Wipe(std::string& bytes);

std::string RandomBytes(std::size_t count);
// `bytes` random bytes as unpadded base64url text (32 bytes -> 43 characters).
std::string RandomToken(std::size_t bytes);

std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);
std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);
std::string HexEncode(std::string_view bytes);

// SHA-256 of `data`, raw 32 bytes.
std::string Sha256(std::string_view data);
// SHA-256 of a file's bytes, read in blocks (backups hash files larger than memory), as 64
// lower-case hex digits; kInternal when the file cannot be read.
Result<std::string> Sha256FileHex(const std::string& path);
// HMAC-SHA-256 with a 32-byte key, raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// HMAC-SHA1 (20 bytes), only to check signatures that others chose (Twilio's
// X-Twilio-Signature); never for anything psea signs itself. Through OpenSSL's libcrypto.
std::string HmacSha1(std::string_view key, std::string_view data);
// Compares in constant time for equal lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Authenticated encryption with XChaCha20-Poly1305 (IETF). The output is nonce || ciphertext.
// `associated` binds the ciphertext to its context (e.g. the record id) without being stored.
constexpr std::size_t kSymmetricKeyBytes = 32;
std::string GenerateSymmetricKey();
Result<std::string> Encrypt(std::string_view key, std::string_view plaintext,
                            std::string_view associated = {});
// kUnprocessable when the key is wrong or the data was tampered with.
Result<std::string> Decrypt(std::string_view key, std::string_view sealed,
                            std::string_view associated = {});

// X25519 key pairs and anonymous sealed boxes (crypto_box_seal).
struct KeyPair {
  std::string public_key;   // 32 bytes
  SecretBytes private_key;  // 32 bytes
};
KeyPair GenerateKeyPair();
// Only the holder of the private key can open the result; the sender cannot.
Result<std::string> SealTo(std::string_view public_key, std::string_view message);
Result<std::string> OpenSealed(const KeyPair& keys, std::string_view sealed);
// The public key of a private key.
Result<std::string> PublicKeyOf(std::string_view private_key);

// Argon2id cost. "interactive" is libsodium's interactive limits; "moderate" is slower; "fast"
// is the library minimum and exists only so that test suites run in seconds.
struct Argon2Cost {
  std::uint64_t opslimit;
  std::size_t memlimit;
};
Argon2Cost CostFromProfile(std::string_view profile);  // unknown names give "interactive"

// A key derived from a password with Argon2id. `salt` must be 16 bytes.
Result<SecretBytes> DeriveKey(std::string_view password, std::string_view salt, Argon2Cost cost);
constexpr std::size_t kSaltBytes = 16;

}  // namespace psea::security
