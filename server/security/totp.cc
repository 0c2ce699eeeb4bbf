#include "security/totp.h"

#include <liboath/oath.h>
#include <qrencode.h>
#include <cctype>

#include <cstdlib>
#include <mutex>

#include "security/crypto.h"

namespace psea::security {

namespace {
constexpr int kStepSeconds = 30;

void EnsureOathInit() {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
}  // namespace

std::string GenerateTotpSecret() { return RandomBytes(20); }

std::string Base32Encode(std::string_view bytes) {
  EnsureOathInit();
  char* out = nullptr;
  size_t length = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &length) != OATH_OK) return {};
  std::string text(out, length);
  std::free(out);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

Result<std::string> TotpCode(std::string_view secret, std::int64_t unix_seconds, int digits,
                             TotpHash hash) {
  EnsureOathInit();
  int flags = 0;
  if (hash == TotpHash::kSha256) flags = OATH_TOTP_HMAC_SHA256;
  if (hash == TotpHash::kSha512) flags = OATH_TOTP_HMAC_SHA512;
  char code[16] = {0};
  const int rc =
      oath_totp_generate2(secret.data(), secret.size(), static_cast<time_t>(unix_seconds),
                          kStepSeconds, 0, static_cast<unsigned>(digits), flags, code);
  if (rc != OATH_OK) return Internal(std::string("TOTP generation failed: ") + oath_strerror(rc));
  return std::string(code);
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                      std::int64_t unix_seconds) {
  if (code.size() != 6) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::int64_t step = unix_seconds / kStepSeconds;
  for (std::int64_t candidate : {step, step - 1, step + 1}) {
    auto expected = TotpCode(secret, candidate * kStepSeconds);
    if (expected.ok() && ConstantTimeEquals(*expected, code)) return candidate;
  }
  return std::nullopt;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + Base32Encode(secret) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::string QrCodeSvg(std::string_view text) {
  const std::string input(text);
  QRcode* qr = QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!qr) return {};
  const int size = qr->width;
  const int quiet = 4;
  const int full = size + 2 * quiet;
  std::string path;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) {
      if (qr->data[y * size + x] & 1) {
        path += 'M';
        path += std::to_string(x + quiet);
        path += ' ';
        path += std::to_string(y + quiet);
        path += "h1v1h-1z";
      }
    }
  }
  QRcode_free(qr);
  const std::string dim = std::to_string(full);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" width=\"240\" height=\"240\" shape-rendering=\"crispEdges\" role=\"img\" "
         "aria-label=\"QR code\"><rect width=\"" +
         dim + "\" height=\"" + dim + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

}  // namespace psea::security
