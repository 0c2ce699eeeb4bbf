// SMS gateway payloads as the intake reads them, and the gateway's signature. Two shapes:
//  - generic JSON: {"from": "+23670000000", "text": "...", "id": "gateway-id",
//    "sent_at": "2026-11-28T10:00:00Z"} (id and sent_at optional);
//  - the form-encoded body RapidPro / TextIt "external" channels post:
//    from=%2B23670000000&text=...&id=...&date=2026-11-28T10:00:00.000Z (id, date optional;
//    "sender" / "message" accepted as other names some gateways use).
// Nothing here touches the database or the vault.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace psea::intake {

struct SmsMessage {
  std::string from;        // normalised: "+" and 6-15 digits
  std::string text;        // UTF-8, 1 to 4,000 bytes, control characters other than \n removed
  std::string gateway_id;  // may be empty; at most 128 printable characters
  std::optional<UnixMillis> sent_at;
};

// kBadJson / kInvalidArgument naming the field ("from", "text", ...).
Result<SmsMessage> ParseSmsJson(std::string_view body);
Result<SmsMessage> ParseSmsForm(std::string_view body);

// "+236 70 00 00 00", "0023670000000", "23670000000" -> "+23670000000"; nullopt when it is
// not a phone number.
std::optional<std::string> NormalizePhone(std::string_view raw);

// The gateway signs the raw body: X-Psea-Signature: sha256=<hex of HMAC-SHA256(secret, body)>.
// Constant time; false for any malformed header.
bool VerifySmsSignature(std::string_view secret, std::string_view body,
                        std::string_view signature_header);

}  // namespace psea::intake
