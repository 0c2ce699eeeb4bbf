// An RFC 5322 message as the intake reads it: the sender, the subject, the text (the
// text/plain part, else the text of the HTML part) and the attachments, decoded (encoded
// words, quoted-printable, base64, charsets to UTF-8). Parsed with GMime; nothing here
// touches the database or the vault.
//
// What is read from the MIME tree:
//  - text: every text/plain part that is not an attachment, in order (of the parts of one
//    multipart/alternative, only the first); when there is none, the text/html parts reduced
//    to text (scripts and styles dropped, tags removed, <br> <p> <div> <li> <tr> <h1>...
//    become line breaks, entities decoded, white space collapsed). A part in no charset or
//    in US-ASCII is read as UTF-8 when it is valid UTF-8, else as Windows-1252; ISO-8859-1 is
//    read as Windows-1252 (what senders mean); an unknown charset as the undeclared case.
//    Invalid sequences become U+FFFD; "\r\n" becomes "\n".
//  - attachments: every leaf that is an attachment (Content-Disposition: attachment, or a
//    text part with a file name) or is not text/plain or text/html (images, PDF, audio,
//    text/calendar...), in the order of the message.
//  - a forwarded message (message/rfc822, inline or attached): its text is appended after
//    a line "--- forwarded message ---" and its From, Date and Subject; its attachments join
//    the list.
// Every string is valid UTF-8 without NUL bytes (the data of attachments excepted); the text
// has "\n" line ends, the other strings are one line (control characters become spaces).
// A leading mbox "From " line is skipped.
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
  bool too_large = false;    // data is longer than EmailLimits::max_attachment_bytes
};

struct EmailMessage {
  std::string from_address;  // "someone@example.org", lower-cased domain; may be empty
  std::string from_name;     // decoded display name; may be empty
  std::string subject;       // decoded, UTF-8
  std::string message_id;    // without the angle brackets; may be empty
  std::optional<UnixMillis> date;
  std::string text;  // UTF-8; the HTML part reduced to text when there is no plain part
  std::vector<EmailAttachment> attachments;
  // The envelope sender the mail server wrote as Return-Path (Postfix's pipe with flag R):
  // "" for a bounce (<>), nullopt when there is no Return-Path header.
  std::optional<std::string> return_path;
  // Sent by a program, not a person: Auto-Submitted other than "no", a mailing list's
  // List-Id/List-Post/List-Unsubscribe, Precedence bulk/list/junk/auto_reply,
  // X-Auto-Response-Suppress, X-Autoreply, X-Autorespond.
  bool automated = false;
  // The Message-IDs of the References header, without angle brackets (at most the last 10;
  // identifiers that are not plain printable ASCII are dropped).
  std::vector<std::string> references;
};

struct EmailLimits {
  std::size_t max_message_bytes = 60 * 1024 * 1024;
  std::size_t max_attachment_bytes = 10 * 1024 * 1024;
  std::size_t max_attachments = 20;
  std::size_t max_text_bytes = 1024 * 1024;
  // Multiparts and forwarded messages inside one another; the top-level body is depth 0.
  int max_nesting_depth = 10;
};

// kInvalidArgument (the message names what is wrong) when the bytes are not a message that
// can be filed, so that the caller quarantines them: empty; no header a message has (From,
// To, Subject, Date, Message-ID, Received... : garbage, or a bare MIME part); neither text
// nor attachment (e.g. headers only); nesting deeper than max_nesting_depth.
// A message that is damaged but readable (a multipart cut before its closing boundary, a
// multipart whose boundary never appears: its content is read as text, a bad charset, a broken
// base64 line) is not an error: what can be recovered is returned.
// kPayloadTooLarge, with field "message", "attachments" or "text", when the raw bytes, the
// number of attachments or the text pass a limit. An attachment larger than
// max_attachment_bytes is not an error: it is returned whole with too_large set, so that the
// text can be filed and the file kept aside.
// Never throws; never crashes on any input. Thread-safe (GMime is initialised once).
Result<EmailMessage> ParseEmail(std::string_view raw, const EmailLimits& limits = {});

// Why no acknowledgement may go to the sender of `email`, or "" when one may: no From address;
// a bounce (empty Return-Path, or a MAILER-DAEMON/postmaster sender); an automated message
// (auto-reply, list, bulk). Replying to these could loop or go to someone the reporter is not.
std::string WhyNoAcknowledgement(const EmailMessage& email);

struct Acknowledgement {
  std::string from;          // psea's address, "cdt-ack@mission.example"
  std::string to;            // the reporter's From address
  std::string receipt_code;  // "7KQ2-M9XD-4TGA-B1ZC"
  std::string subject;       // the reporter's subject (decoded), for "Re: ..."; may be empty
  std::string in_reply_to;   // the reporter's Message-ID without brackets; may be empty
  std::vector<std::string> references;  // the reporter's References, without brackets
};

// The acknowledgement of an e-mailed complaint: one text/plain part in UTF-8, French then
// English, with the receipt code, what it gives access to and a line asking the reporter to
// keep it private and not to forward the message. Headers: From, To, Subject
// ("Re: <subject>" in RFC 2047 where needed), Date, Message-ID, Auto-Submitted: auto-replied,
// In-Reply-To and References (when the reporter's Message-ID is a plain identifier).
std::string ComposeAcknowledgement(const Acknowledgement& ack);

// A plain-text message for `sendmail -t`: the subject and names encoded as RFC 2047 where
// needed, the text in UTF-8 (quoted-printable), a Date and a Message-ID. Addresses are given
// as "someone@example.org".
std::string ComposeEmail(const std::string& from, const std::vector<std::string>& to,
                         const std::string& subject, const std::string& text);

}  // namespace psea::intake
