// libFuzzer target over what an SMS gateway sends: the JSON and form-encoded payload parsers,
// phone number normalisation and the signature check. A crash, a sanitizer report or a parsed
// message that breaks the contract of modules/intake/sms_message.h is a finding.
//
// Input layout: the first byte picks the parser (even: JSON, odd: form); the rest is the body.
// The first line of the body doubles as a raw phone number and as a signature header, the body
// as the signed text, so that both see arbitrary bytes too.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "modules/intake/sms_message.h"
#include "security/crypto.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "contract broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// "+" and 6-15 digits, the first not 0.
bool IsNormalPhone(std::string_view phone) {
  if (phone.size() < 7 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') return false;
  for (std::size_t i = 1; i < phone.size(); ++i) {
    if (phone[i] < '0' || phone[i] > '9') return false;
  }
  return true;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (length == 0 || lead > 0xF4 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

void CheckMessage(const psea::intake::SmsMessage& message) {
  if (!IsNormalPhone(message.from)) Fail("from", message.from);
  const std::string& text = message.text;
  if (text.empty() || text.size() > psea::intake::kMaxSmsTextBytes) Fail("text length", text);
  if (!IsValidUtf8(text)) Fail("text UTF-8", text);
  if (text.front() == ' ' || text.front() == '\n' || text.back() == ' ' || text.back() == '\n') {
    Fail("text not trimmed", text);
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n') || byte == 0x7F) Fail("text control character", text);
  }
  if (text.find("\xC2\x80") != std::string::npos) Fail("text C1 control", text);
  if (message.gateway_id.size() > psea::intake::kMaxSmsGatewayIdChars) {
    Fail("gateway_id length", message.gateway_id);
  }
  for (const char c : message.gateway_id) {
    if (c < 0x20 || c > 0x7E) Fail("gateway_id character", message.gateway_id);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  psea::security::InitCrypto();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool form = (data[0] & 1) != 0;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto message = form ? psea::intake::ParseSmsForm(body) : psea::intake::ParseSmsJson(body);
  if (message.ok()) {
    CheckMessage(*message);
  } else if (message.status().code() != psea::ErrorCode::kBadJson &&
             message.status().code() != psea::ErrorCode::kInvalidArgument) {
    Fail("unexpected error code", message.status().ToString());
  }

  const std::string_view first_line = body.substr(0, body.find('\n'));
  if (const auto phone = psea::intake::NormalizePhone(first_line)) {
    if (!IsNormalPhone(*phone)) Fail("NormalizePhone", *phone);
    if (psea::intake::NormalizePhone(*phone) != phone)
      Fail("NormalizePhone not idempotent", *phone);
  }

  const std::string_view signed_body = body.substr(std::min(body.size(), first_line.size() + 1));
  (void)psea::intake::VerifySmsSignature(first_line, signed_body, first_line);
  const std::string good =
      "sha256=" + psea::security::HexEncode(psea::security::HmacSha256("secret", signed_body));
  if (!psea::intake::VerifySmsSignature("secret", signed_body, good)) {
    Fail("a correct signature was refused", good);
  }
  return 0;
}
