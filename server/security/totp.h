// Time-based one-time passwords (RFC 6238) through liboath: 30-second steps, 6 digits,
// HMAC-SHA-1 as every authenticator app expects.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace psea::security {

enum class TotpHash { kSha1, kSha256, kSha512 };

// A new random 20-byte secret.
std::string GenerateTotpSecret();
std::string Base32Encode(std::string_view bytes);

// The code for `unix_seconds`; `digits` 6 or 8.
Result<std::string> TotpCode(std::string_view secret, std::int64_t unix_seconds, int digits = 6,
                             TotpHash hash = TotpHash::kSha1);

// The time step (unix_seconds / 30) that `code` matches, looking one step back and one ahead
// for clock drift; nullopt when none matches. The caller refuses steps at or below the last
// accepted one, so that a code is good only once.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code,
                                      std::int64_t unix_seconds);

// otpauth://totp/psea:USER?secret=...&issuer=psea...
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret);

// An SVG image of a QR code for `text` (libqrencode); empty on failure.
std::string QrCodeSvg(std::string_view text);

}  // namespace psea::security
