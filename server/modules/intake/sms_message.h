// SMS gateway payloads as the intake reads them, and the gateway's signature. Two shapes:
//  - generic JSON: {"from": "+23670000000", "text": "...", "id": "gateway-id",
//    "sent_at": "2026-11-28T10:00:00Z"} (sent_at optional; id optional here but required by
//    the endpoint, see RequireSignedSmsId);
//  - the form-encoded body RapidPro / TextIt "external" channels post:
//    from=%2B23670000000&text=...&id=...&date=2026-11-28T10:00:00.000Z (date optional, id as above;
//    "sender" / "message" / "time" accepted as other names some gateways use).
// Nothing here touches the database or the vault.
//
// Both parsers apply the same rules to the same fields:
//  - from: a phone number as NormalizePhone reads it;
//  - text: valid UTF-8 (a message with invalid sequences is refused rather than repaired, so
//    that what is recorded is what the gateway sent); "\r\n" and a lone "\r" become "\n", a tab
//    becomes a space, every other control character (C0, DEL, C1) is removed; then leading and
//    trailing spaces and newlines are trimmed; 1 to 4,000 bytes remain;
//  - id: printable ASCII, trimmed, at most 128 characters; may be absent or empty. JSON may also
//    give it as a non-negative integer, which is kept as its decimal text;
//  - sent_at (form: date): ISO 8601 / RFC 3339 with a time and a zone, "2026-11-28T10:00:00Z",
//    "2026-11-28T11:00:00.125+01:00" (fractions are cut to milliseconds), or unix seconds
//    (milliseconds from 10^11 on); absent or empty is fine. Anything else never refuses the
//    message: the raw value goes to `unparsed`, and the complaint is filed at the time received
//    with a note that shows it.
// Unknown fields are ignored: gateways add their own. In JSON a null is the same as absent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "http/request.h"

namespace psea::intake {

struct SmsMessage {
  std::string from;        // normalised: "+" and 6-15 digits
  std::string text;        // UTF-8, 1 to 4,000 bytes, control characters other than \n removed
  std::string gateway_id;  // may be empty; at most 128 printable characters
  std::optional<UnixMillis> sent_at;
  // What the gateway sent that psea could not read ("time=2026-12-04 17:39:44", "charset=
  // KOI8-R"), each at most 200 printable characters: noted on the complaint for the CDT.
  std::vector<std::string> unparsed;
  // SMSSync's `secret` form field (empty for other kinds).
  std::string gateway_secret;
};

// The gateways psea reads, one per token (security::AllSmsGatewayKinds names them).
enum class SmsGateway {
  kGeneric,
  kKannel,
  kRapidPro,
  kAfricasTalking,
  kTwilio,
  kSmsSync,
  kAndroid
};
std::optional<SmsGateway> SmsGatewayFromName(std::string_view name);
std::string_view SmsGatewayName(SmsGateway gateway);

constexpr std::size_t kMaxSmsTextBytes = 4000;
constexpr std::size_t kMaxSmsGatewayIdChars = 128;

// ParseSmsJson: kBadJson when the body is not a JSON object; kInvalidArgument naming the field
// ("from", "text", "id") when one is missing, of the wrong type or malformed.
Result<SmsMessage> ParseSmsJson(std::string_view body);
// ParseSmsForm: kInvalidArgument without a field when the body is not form-encoded (a bad
// percent escape); otherwise kInvalidArgument naming the field as the gateway spelt it
// ("from" or "sender", "text" or "message", "id"). A missing required field
// is named by its main name ("from", "text"). When a field is sent under two names the main
// name wins.
Result<SmsMessage> ParseSmsForm(std::string_view body);

// The request of `gateway` as that gateway sends it (see docs/operations.md for each):
//  - generic: POST, JSON or form as ParseSmsJson / ParseSmsForm read them;
//  - kannel: GET with the query of the documented get-url (from, to, text, id, ts, time; "sender"
//    and "message" also read), or POST with the text as the body (text/plain, charset UTF-8,
//    ISO-8859-1 or UTF-16BE) and X-Kannel-From, X-Kannel-Time (the query may add id and ts). A
//    body that is not valid in its charset, or an unknown charset, is read as ISO-8859-1 and
//    noted rather than refused: Kannel drops every message it gets a 4xx for;
//  - rapidpro: POST JSON of the flow's "Call webhook" action: contact.urn ("tel:+236..."),
//    input.text, input.uuid (the message), input.created_on; input.urn.path when contact.urn
//    is not a phone;
//  - africastalking: POST form from, to, text, date, id, linkId;
//  - twilio: POST form From, To, Body, MessageSid (or SmsSid);
//  - smssync: POST form from, message, message_id, sent_to, secret, device_id, sent_timestamp;
//  - android: POST JSON {"event": "sms:received", "payload": {"messageId", "message",
//    "phoneNumber", "receivedAt"}}; any other event is kInvalidArgument naming "event".
// kMethodNotAllowed for GET with a kind other than kannel; kUnsupportedMediaType for a body of
// another type than the kind sends; kInvalidArgument naming the field as the gateway spells it.
// Only a missing or malformed sender and an empty text are refused for kannel.
Result<SmsMessage> ParseSmsRequest(SmsGateway gateway, const http::HttpRequest& request);

// Twilio's X-Twilio-Signature: base64 of HMAC-SHA1(auth token, the URL Twilio called followed
// by every POST parameter's name and value, sorted by name). `url` is that exact URL.
// Constant time; false for an empty token or a malformed body or header.
bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           std::string_view form_body, std::string_view signature_header);

// SMS Gateway for Android's webhook: X-Signature is the hex of HMAC-SHA256(signing key, body
// followed by X-Timestamp), X-Timestamp unix seconds, refused when more than `window_seconds`
// away from `now_seconds` (a replayed request). Constant time; false for an empty key.
bool VerifyAndroidSignature(std::string_view signing_key, std::string_view body,
                            std::string_view timestamp_header, std::string_view signature_header,
                            std::int64_t now_seconds, std::int64_t window_seconds);

// "+236 70 00 00 00", "0023670000000", "23670000000" -> "+23670000000"; nullopt when it is
// not a phone number.
// Spaces, dashes, dots and parentheses are ignored; every other character apart from the digits
// and one leading "+" makes it not a phone number. The number is international when it starts
// with "+" or "00", or, without either, when it has at least 10 digits (gateways often drop the
// "+"). A number of exactly 8 digits without a prefix is a Central African local number and gets
// the country code: "70 00 00 00" -> "+23670000000". Anything else without a prefix (6, 7 or 9
// digits) is refused, as is a country code starting with 0 and a total outside 6 to 15 digits.
std::optional<std::string> NormalizePhone(std::string_view raw);

// A signed body must carry the gateway's message id. The signature covers only the body, so a
// body captured on the way could be sent again; with an id, a second delivery is recognised
// (intake_sms_seen keeps every id for good) and files nothing. Every gateway that can sign
// gives each message an id (RapidPro/TextIt's "id", the generic shape's "id"), whereas a signed
// timestamp would need a new signing scheme of every gateway, and a message's own time
// ("sent_at") can be hours old when a network queues it. kInvalidArgument naming "id" when
// the id is empty.
Status RequireSignedSmsId(const SmsMessage& message);

// The gateway signs the raw body: X-Psea-Signature: sha256=<hex of HMAC-SHA256(secret, body)>.
// The hex may be lower or upper case; spaces or tabs around the header value are ignored.
// Constant time; false for any malformed header and for an empty secret.
bool VerifySmsSignature(std::string_view secret, std::string_view body,
                        std::string_view signature_header);

}  // namespace psea::intake
