// libFuzzer target over the e-mail parser: arbitrary bytes as a raw RFC 5322 message through
// GMime and our walk of the MIME tree, charset conversion and HTML reduction. A crash, a
// sanitizer or leak report, or a result that breaks the contract of
// modules/intake/email_message.h is a finding.
//
// Input: the whole input is the message (the seeds in corpus/email are plain .eml files). The
// limits are small so that inputs of a few kilobytes reach every limit.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "modules/intake/email_message.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "contract broken: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

bool IsValidUtf8WithoutNul(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = lead < 0x80 ? 1 : lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (lead == 0 || length == 0 || lead > 0xF4 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

void CheckString(const char* field, const std::string& value) {
  if (!IsValidUtf8WithoutNul(value)) Fail(field, value);
}

// Header values come out on one line, without control characters.
void CheckOneLine(const char* field, const std::string& value) {
  CheckString(field, value);
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) Fail(field, value);
  }
}

void CheckMessage(const psea::intake::EmailMessage& email,
                  const psea::intake::EmailLimits& limits) {
  CheckOneLine("from_address", email.from_address);
  CheckOneLine("from_name", email.from_name);
  CheckOneLine("subject", email.subject);
  CheckOneLine("message_id", email.message_id);
  CheckString("text", email.text);
  if (email.text.size() > limits.max_text_bytes) Fail("text over the limit", email.text);
  if (email.text.find('\r') != std::string::npos) Fail("text with a carriage return", email.text);
  if (email.text.empty() && email.attachments.empty()) Fail("nothing parsed", email.subject);
  if (email.attachments.size() > limits.max_attachments) Fail("too many attachments", "");
  for (const auto& attachment : email.attachments) {
    CheckOneLine("attachment filename", attachment.filename);
    CheckOneLine("attachment content_type", attachment.content_type);
    // A file over the limit comes back whole, flagged, so that the text can still be filed.
    if (attachment.too_large != (attachment.data.size() > limits.max_attachment_bytes)) {
      Fail("attachment size and too_large disagree", attachment.filename);
    }
  }
  for (const auto& reference : email.references) {
    if (reference.empty() || reference.find_first_of("<> \t\r\n") != std::string::npos) {
      Fail("reference that is not a plain identifier", reference);
    }
  }
  if (email.references.size() > 10) Fail("more than 10 references", "");
  if (email.return_path) CheckOneLine("return_path", *email.return_path);
  // The answer composed from what was read parses back, with its code and its mark.
  if (psea::intake::WhyNoAcknowledgement(email).empty()) {
    psea::intake::Acknowledgement ack;
    ack.from = "ne-pas-repondre@example.org";
    ack.to = email.from_address;
    ack.receipt_code = "7KQ2-M9XD-4TGA-B1ZC";
    ack.subject = email.subject;
    ack.in_reply_to = email.message_id;
    ack.references = email.references;
    auto answer = psea::intake::ParseEmail(psea::intake::ComposeAcknowledgement(ack));
    if (!answer.ok()) Fail("the acknowledgement does not parse", answer.status().ToString());
    if (!answer->automated) Fail("the acknowledgement is not marked automatic", email.subject);
    if (answer->text.find(ack.receipt_code) == std::string::npos) {
      Fail("the acknowledgement lost its code", answer->text);
    }
  }
  const auto at = email.from_address.rfind('@');
  if (at != std::string::npos) {
    for (std::size_t i = at; i < email.from_address.size(); ++i) {
      const char c = email.from_address[i];
      if (c >= 'A' && c <= 'Z') Fail("from_address domain not lower-cased", email.from_address);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  psea::intake::EmailLimits limits;
  limits.max_message_bytes = 64 * 1024;
  limits.max_attachment_bytes = 2048;
  limits.max_attachments = 8;
  limits.max_text_bytes = 4096;
  limits.max_nesting_depth = 10;

  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto email = psea::intake::ParseEmail(raw, limits);
  if (email.ok()) {
    CheckMessage(*email, limits);
  } else if (email.status().code() != psea::ErrorCode::kInvalidArgument &&
             email.status().code() != psea::ErrorCode::kPayloadTooLarge) {
    Fail("unexpected error code", email.status().ToString());
  }
  return 0;
}
