// An RFC 5322 message as the intake reads it: the sender, the subject, the text (the
// text/plain part, else the text of the HTML part) and the attachments, decoded (encoded
// words, quoted-printable, base64, charsets to UTF-8). Parsed with GMime; nothing here
// touches the database or the vault.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::intake {

struct EmailAttachment {
  std::string filename;      // as the sender named it, decoded; may be empty
  std::string content_type;  // as the sender declared it ("application/pdf"); not trusted
  std::string data;          // the decoded bytes
};

struct EmailMessage {
  std::string from_address;  // "someone@example.org", lower-cased domain; may be empty
  std::string from_name;     // decoded display name; may be empty
  std::string subject;       // decoded, UTF-8
  std::string message_id;    // without the angle brackets; may be empty
  std::optional<UnixMillis> date;
  std::string text;  // UTF-8; the HTML part reduced to text when there is no plain part
  std::vector<EmailAttachment> attachments;
};

struct EmailLimits {
  std::size_t max_message_bytes = 60 * 1024 * 1024;
  std::size_t max_attachment_bytes = 10 * 1024 * 1024;
  std::size_t max_attachments = 20;
  std::size_t max_text_bytes = 1024 * 1024;
};

// kInvalidArgument (the message names what is wrong) when the bytes are not a message that
// can be filed: no headers, no body and no attachment, nesting too deep; kPayloadTooLarge
// when a limit is passed. Never throws; never crashes on any input.
Result<EmailMessage> ParseEmail(std::string_view raw, const EmailLimits& limits = {});

}  // namespace psea::intake
