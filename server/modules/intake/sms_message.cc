#include "modules/intake/sms_message.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <utility>

#include "http/json.h"
#include "http/request.h"
#include "security/crypto.h"

namespace psea::intake {

namespace {

namespace json = boost::json;

// The Central African Republic's country calling code, given to 8-digit local numbers.
constexpr std::string_view kCarCountryCode = "236";
constexpr std::size_t kCarLocalDigits = 8;
constexpr std::size_t kMinPhoneDigits = 6;
constexpr std::size_t kMaxPhoneDigits = 15;
constexpr std::size_t kMinUnprefixedInternationalDigits = 10;
// Longer than any spelling of a 15-digit number with separators; stops work on junk early.
constexpr std::size_t kMaxRawPhoneBytes = 64;

Status FieldError(std::string_view field, std::string_view message) {
  return InvalidArgument(std::string(field) + " " + std::string(message), std::string(field));
}

// The length of the UTF-8 sequence starting at text[at], or 0 when it is not a valid one
// (truncated, overlong, a surrogate, above U+10FFFF). `code_point` receives its value.
std::size_t DecodeUtf8(std::string_view text, std::size_t at, std::uint32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  std::uint32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    minimum = 0x80;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    minimum = 0x800;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    minimum = 0x10000;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (std::size_t i = at + 1; i < at + length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// Applies the text rules of the header; `field` names the field in errors.
Result<std::string> CleanText(std::string_view raw, std::string_view field) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t at = 0; at < raw.size();) {
    std::uint32_t code_point = 0;
    const std::size_t length = DecodeUtf8(raw, at, code_point);
    if (length == 0) return FieldError(field, "is not UTF-8");
    if (code_point == '\r') {
      // "\r\n" and a lone "\r" (some handsets end lines so) are both one line break.
      if (at + 1 >= raw.size() || raw[at + 1] != '\n') out += '\n';
    } else if (code_point == '\t') {
      out += ' ';
    } else if (code_point == '\n' ||
               !(code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F))) {
      out.append(raw.substr(at, length));
    }
    at += length;
  }
  const auto first = out.find_first_not_of(" \n");
  if (first == std::string::npos) return FieldError(field, "must not be empty");
  const auto last = out.find_last_not_of(" \n");
  out = out.substr(first, last - first + 1);
  if (out.size() > kMaxSmsTextBytes) {
    return FieldError(field, "must be at most " + std::to_string(kMaxSmsTextBytes) + " bytes");
  }
  return out;
}

Result<std::string> CleanGatewayId(std::string_view raw, std::string_view field) {
  const auto first = raw.find_first_not_of(' ');
  if (first == std::string_view::npos) return std::string();
  const auto last = raw.find_last_not_of(' ');
  const std::string_view id = raw.substr(first, last - first + 1);
  for (const char c : id) {
    if (c < 0x20 || c > 0x7E) return FieldError(field, "must be printable ASCII");
  }
  if (id.size() > kMaxSmsGatewayIdChars) {
    return FieldError(field,
                      "must be at most " + std::to_string(kMaxSmsGatewayIdChars) + " characters");
  }
  return std::string(id);
}

Result<std::string> CleanPhone(std::string_view raw, std::string_view field) {
  if (raw.find_first_not_of(" \t") == std::string_view::npos) {
    return FieldError(field, "is required");
  }
  auto phone = NormalizePhone(raw);
  if (!phone) return FieldError(field, "must be a phone number");
  return std::move(*phone);
}

bool ReadDigits(std::string_view text, std::size_t at, std::size_t count, int& out) {
  if (at + count > text.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// RFC 3339 / ISO 8601 extended format with a zone: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)".
// Also takes "t" or a space for "T", "z" for "Z", and "±HHMM" or "±HH" offsets, which gateways
// send. core/clock.h's ParseIso8601 takes only whole seconds in UTC, hence this one.
std::optional<UnixMillis> ParseTimestamp(std::string_view text) {
  using namespace std::chrono;
  int year_value, month_value, day_value, hour_value, minute_value, second_value;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, year_value) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, month_value) || text[7] != '-' ||
      !ReadDigits(text, 8, 2, day_value) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !ReadDigits(text, 11, 2, hour_value) || text[13] != ':' ||
      !ReadDigits(text, 14, 2, minute_value) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, second_value)) {
    return std::nullopt;
  }
  std::size_t at = 19;
  int millis = 0;
  if (text[at] == '.' || text[at] == ',') {
    ++at;
    const std::size_t fraction_start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - fraction_start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    const std::size_t fraction_digits = at - fraction_start;
    if (fraction_digits == 0 || fraction_digits > 9) return std::nullopt;
    for (std::size_t i = fraction_digits; i < 3; ++i) millis *= 10;
  }
  if (at >= text.size()) return std::nullopt;
  int offset_minutes = 0;
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    offset_minutes = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    int offset_hours = 0, offset_rest = 0;
    if (!ReadDigits(zone, 1, 2, offset_hours)) return std::nullopt;
    if (zone.size() == 6 && zone[3] == ':') {
      if (!ReadDigits(zone, 4, 2, offset_rest)) return std::nullopt;
    } else if (zone.size() == 5) {
      if (!ReadDigits(zone, 3, 2, offset_rest)) return std::nullopt;
    } else if (zone.size() != 3) {
      return std::nullopt;
    }
    if (offset_hours > 23 || offset_rest > 59) return std::nullopt;
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (offset_hours * 60 + offset_rest);
  } else {
    return std::nullopt;
  }
  const year_month_day date{year(year_value), month(static_cast<unsigned>(month_value)),
                            day(static_cast<unsigned>(day_value))};
  if (!date.ok() || hour_value > 23 || minute_value > 59 || second_value > 59) {
    return std::nullopt;
  }
  const auto local = sys_days(date) + hours(hour_value) + minutes(minute_value) +
                     seconds(second_value) + milliseconds(millis);
  return duration_cast<milliseconds>(local.time_since_epoch()).count() -
         static_cast<UnixMillis>(offset_minutes) * 60 * 1000;
}

Result<std::optional<UnixMillis>> CleanTimestamp(std::string_view raw, std::string_view field) {
  if (raw.empty()) return std::optional<UnixMillis>();
  auto time = ParseTimestamp(raw);
  if (!time) return FieldError(field, "must be an ISO 8601 time with a zone");
  return std::optional<UnixMillis>(*time);
}

// The JSON value of `key`, or nullptr when it is absent or null.
const json::value* FindJson(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && !value->is_null() ? value : nullptr;
}

Result<std::string_view> JsonString(const json::value& value, std::string_view key) {
  if (!value.is_string()) return FieldError(key, "must be a string");
  const json::string& text = value.as_string();
  return std::string_view(text.data(), text.size());
}

// The value of the first of `keys` the form has, with the key it came under.
std::optional<std::pair<std::string_view, std::string_view>> FindForm(
    const std::map<std::string, std::string>& form, std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys) {
    const auto it = form.find(std::string(key));
    if (it != form.end()) return std::make_pair(key, std::string_view(it->second));
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<SmsMessage> ParseSmsJson(std::string_view body) {
  ASSIGN_OR_RETURN(const json::object object, http::ParseJsonObjectText(body));
  SmsMessage message;

  const json::value* from = FindJson(object, "from");
  if (!from) return FieldError("from", "is required");
  ASSIGN_OR_RETURN(const std::string_view from_text, JsonString(*from, "from"));
  ASSIGN_OR_RETURN(message.from, CleanPhone(from_text, "from"));

  const json::value* text = FindJson(object, "text");
  if (!text) return FieldError("text", "is required");
  ASSIGN_OR_RETURN(const std::string_view text_raw, JsonString(*text, "text"));
  ASSIGN_OR_RETURN(message.text, CleanText(text_raw, "text"));

  if (const json::value* id = FindJson(object, "id")) {
    if (id->is_uint64() || (id->is_int64() && id->as_int64() >= 0)) {
      message.gateway_id =
          id->is_uint64() ? std::to_string(id->as_uint64()) : std::to_string(id->as_int64());
    } else if (id->is_string()) {
      ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(id->as_string(), "id"));
    } else {
      return FieldError("id", "must be a string");
    }
  }

  if (const json::value* sent_at = FindJson(object, "sent_at")) {
    ASSIGN_OR_RETURN(const std::string_view sent_at_text, JsonString(*sent_at, "sent_at"));
    ASSIGN_OR_RETURN(message.sent_at, CleanTimestamp(sent_at_text, "sent_at"));
  }
  return message;
}

Result<SmsMessage> ParseSmsForm(std::string_view body) {
  std::map<std::string, std::string> form;
  if (!http::ParseQueryString(body, form)) {
    return InvalidArgument("the body is not form-encoded: a percent escape is malformed");
  }
  SmsMessage message;

  const auto from = FindForm(form, {"from", "sender"});
  if (!from) return FieldError("from", "is required");
  ASSIGN_OR_RETURN(message.from, CleanPhone(from->second, from->first));

  const auto text = FindForm(form, {"text", "message"});
  if (!text) return FieldError("text", "is required");
  ASSIGN_OR_RETURN(message.text, CleanText(text->second, text->first));

  if (const auto id = FindForm(form, {"id"})) {
    ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(id->second, id->first));
  }
  if (const auto date = FindForm(form, {"date", "time"})) {
    ASSIGN_OR_RETURN(message.sent_at, CleanTimestamp(date->second, date->first));
  }
  return message;
}

std::optional<std::string> NormalizePhone(std::string_view raw) {
  if (raw.size() > kMaxRawPhoneBytes) return std::nullopt;
  const auto first = raw.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::nullopt;
  raw.remove_prefix(first);

  bool plus = false;
  if (raw.front() == '+') {
    plus = true;
    raw.remove_prefix(1);
  }
  std::string digits;
  for (const char c : raw) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '\t' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }

  std::string international;
  if (plus) {
    international = std::move(digits);
  } else if (digits.size() >= 2 && digits[0] == '0' && digits[1] == '0') {
    international = digits.substr(2);
  } else if (digits.size() >= kMinUnprefixedInternationalDigits) {
    international = std::move(digits);
  } else if (digits.size() == kCarLocalDigits) {
    international = std::string(kCarCountryCode) + digits;
  } else {
    return std::nullopt;
  }
  // No country calling code starts with 0.
  if (international.size() < kMinPhoneDigits || international.size() > kMaxPhoneDigits ||
      international[0] == '0') {
    return std::nullopt;
  }
  return "+" + international;
}

Status RequireSignedSmsId(const SmsMessage& message) {
  if (!message.gateway_id.empty()) return Status::Ok();
  return InvalidArgument(
      "id is required: the gateway's message id, so that a signed message sent twice is filed "
      "once",
      "id");
}

bool VerifySmsSignature(std::string_view secret, std::string_view body,
                        std::string_view signature_header) {
  constexpr std::string_view kPrefix = "sha256=";
  constexpr std::size_t kHmacBytes = 32;
  if (secret.empty()) return false;
  const auto first = signature_header.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto last = signature_header.find_last_not_of(" \t");
  std::string_view value = signature_header.substr(first, last - first + 1);
  if (value.substr(0, kPrefix.size()) != kPrefix) return false;
  value.remove_prefix(kPrefix.size());
  if (value.size() != 2 * kHmacBytes) return false;
  std::string provided(kHmacBytes, '\0');
  for (std::size_t i = 0; i < kHmacBytes; ++i) {
    const int high = HexValue(value[2 * i]);
    const int low = HexValue(value[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    provided[i] = static_cast<char>(high * 16 + low);
  }
  return security::ConstantTimeEquals(security::HmacSha256(secret, body), provided);
}

}  // namespace psea::intake
