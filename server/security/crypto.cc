#include "security/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <fstream>
#include <stdexcept>
#include <vector>

namespace psea::security {

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

SecretBytes::~SecretBytes() { Wipe(bytes_); }

void Wipe(std::string& bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

std::string RandomBytes(std::size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), count);
  return out;
}

std::string RandomToken(std::size_t bytes) {
  std::string raw = RandomBytes(bytes);
  std::string token = Base64UrlEncode(raw);
  Wipe(raw);
  return token;
}

namespace {
std::string ToBase64(std::string_view bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

Result<std::string> FromBase64(std::string_view text, int variant) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, variant) != 0) {
    return InvalidArgument("not valid base64");
  }
  out.resize(length);
  return out;
}
}  // namespace

std::string Base64UrlEncode(std::string_view bytes) {
  return ToBase64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
Result<std::string> Base64UrlDecode(std::string_view text) {
  return FromBase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::string Base64Encode(std::string_view bytes) {
  return ToBase64(bytes, sodium_base64_VARIANT_ORIGINAL);
}
Result<std::string> Base64Decode(std::string_view text) {
  return FromBase64(text, sodium_base64_VARIANT_ORIGINAL);
}

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::string Sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

Result<std::string> Sha256FileHex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const auto got = in.gcount();
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                                static_cast<unsigned long long>(got));
    }
  }
  if (in.bad()) return Internal("cannot read " + path);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&state, sizeof state);
  return out;
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(),
            reinterpret_cast<unsigned char*>(out.data()), &length)) {
    return std::string();
  }
  out.resize(length);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string GenerateSymmetricKey() {
  std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
  crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
  return key;
}

Result<std::string> Encrypt(std::string_view key, std::string_view plaintext,
                            std::string_view associated) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return Internal("encryption key has the wrong length");
  }
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonce, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(associated.data()),
      associated.size(), nullptr, nonce, reinterpret_cast<const unsigned char*>(key.data()));
  out.resize(kNonce + written);
  return out;
}

Result<std::string> Decrypt(std::string_view key, std::string_view sealed,
                            std::string_view associated) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return Internal("decryption key has the wrong length");
  }
  if (sealed.size() < kNonce + kTag) return Unprocessable("ciphertext is truncated");
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long written = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &written, nullptr, nonce + kNonce,
          sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(associated.data()),
          associated.size(), nonce, reinterpret_cast<const unsigned char*>(key.data())) != 0) {
    return Unprocessable("ciphertext does not authenticate: wrong key or tampered data");
  }
  out.resize(written);
  return out;
}

KeyPair GenerateKeyPair() {
  std::string public_key(crypto_box_PUBLICKEYBYTES, '\0');
  std::string private_key(crypto_box_SECRETKEYBYTES, '\0');
  crypto_box_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                     reinterpret_cast<unsigned char*>(private_key.data()));
  return KeyPair{std::move(public_key), SecretBytes(std::move(private_key))};
}

Result<std::string> SealTo(std::string_view public_key, std::string_view message) {
  if (public_key.size() != crypto_box_PUBLICKEYBYTES) return Internal("bad public key length");
  std::string out(message.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                      reinterpret_cast<const unsigned char*>(public_key.data())) != 0) {
    return Internal("sealing failed");
  }
  return out;
}

Result<std::string> OpenSealed(const KeyPair& keys, std::string_view sealed) {
  if (sealed.size() < crypto_box_SEALBYTES) return Unprocessable("sealed box is truncated");
  if (keys.public_key.size() != crypto_box_PUBLICKEYBYTES ||
      keys.private_key.size() != crypto_box_SECRETKEYBYTES) {
    return Internal("bad key pair");
  }
  std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(
          reinterpret_cast<unsigned char*>(out.data()),
          reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
          reinterpret_cast<const unsigned char*>(keys.public_key.data()),
          reinterpret_cast<const unsigned char*>(keys.private_key.bytes().data())) != 0) {
    return Unprocessable("sealed box does not open with this key");
  }
  return out;
}

Result<std::string> PublicKeyOf(std::string_view private_key) {
  if (private_key.size() != crypto_box_SECRETKEYBYTES) return InvalidArgument("bad private key");
  std::string public_key(crypto_box_PUBLICKEYBYTES, '\0');
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(public_key.data()),
                         reinterpret_cast<const unsigned char*>(private_key.data()));
  return public_key;
}

Argon2Cost CostFromProfile(std::string_view profile) {
  if (profile == "fast") {
    return {crypto_pwhash_OPSLIMIT_MIN, 8u * 1024u * 1024u};
  }
  if (profile == "moderate") {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  }
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Result<SecretBytes> DeriveKey(std::string_view password, std::string_view salt, Argon2Cost cost) {
  if (salt.size() != crypto_pwhash_SALTBYTES) return Internal("bad salt length");
  std::string key(kSymmetricKeyBytes, '\0');
  if (crypto_pwhash(reinterpret_cast<unsigned char*>(key.data()), key.size(), password.data(),
                    password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                    cost.opslimit, cost.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Unavailable("not enough memory to derive a key");
  }
  return SecretBytes(std::move(key));
}

}  // namespace psea::security
