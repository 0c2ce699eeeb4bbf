// libFuzzer target over what an SMS gateway sends: the JSON and form-encoded payload parsers,
// phone number normalisation and the signature check. A crash, a sanitizer report or a parsed
// message that breaks the contract of modules/intake/sms_message.h is a finding.
//
// Input layout: the first byte picks the parser: its value modulo 9 gives JSON (0), form (1) or
// ParseSmsRequest for each gateway kind (2-8), its high bit GET instead of POST, bits 4-5 the
// Content-Type; the rest is the body. For ParseSmsRequest the first line of the body is also
// the query string and X-Kannel-From, the second X-Kannel-Time. The first line doubles as a raw
// phone number and as a signature header, the body as the signed text, so that the phone
// normaliser and the three signature checks see arbitrary bytes too.
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
  // What is noted on the complaint: printable ASCII, short.
  for (const auto& unparsed : message.unparsed) {
    if (unparsed.size() > 300) Fail("unparsed length", unparsed);
    for (const char c : unparsed) {
      if (c < 0x20 || c > 0x7E) Fail("unparsed character", unparsed);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  psea::security::InitCrypto();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 9;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string_view first_line = body.substr(0, body.find('\n'));
  const std::string_view after_first = body.substr(std::min(body.size(), first_line.size() + 1));
  const std::string_view second_line = after_first.substr(0, after_first.find('\n'));

  psea::Result<psea::intake::SmsMessage> message =
      psea::Status(psea::ErrorCode::kInvalidArgument, "unset");
  if (mode == 0) {
    message = psea::intake::ParseSmsJson(body);
  } else if (mode == 1) {
    message = psea::intake::ParseSmsForm(body);
  } else {
    static constexpr const char* kTypes[] = {
        "application/json", "application/x-www-form-urlencoded", "text/plain; charset=\"UTF-16BE\"",
        "text/plain; charset=ISO-8859-1"};
    psea::http::HttpRequest request;
    request.method = (data[0] & 0x80) != 0 ? "GET" : "POST";
    request.headers.emplace("Content-Type", kTypes[(data[0] >> 4) & 3]);
    request.headers.emplace("X-Kannel-From", std::string(first_line));
    request.headers.emplace("X-Kannel-Time", std::string(second_line));
    (void)psea::http::ParseQueryString(first_line, request.query);
    request.body = std::string(body);
    const auto gateway = static_cast<psea::intake::SmsGateway>(mode - 2);
    message = psea::intake::ParseSmsRequest(gateway, request);
  }
  if (message.ok()) {
    CheckMessage(*message);
  } else if (message.status().code() != psea::ErrorCode::kBadJson &&
             message.status().code() != psea::ErrorCode::kInvalidArgument &&
             message.status().code() != psea::ErrorCode::kUnsupportedMediaType &&
             message.status().code() != psea::ErrorCode::kMethodNotAllowed) {
    Fail("unexpected error code", message.status().ToString());
  }

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
  (void)psea::intake::VerifyTwilioSignature(first_line, second_line, signed_body, first_line);
  (void)psea::intake::VerifyAndroidSignature(first_line, signed_body, second_line, first_line,
                                             1796405984, 300);
  return 0;
}
