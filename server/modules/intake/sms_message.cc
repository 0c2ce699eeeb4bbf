#include "modules/intake/sms_message.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <utility>

#include "core/utf8.h"
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

// What psea could not read, as the note on the complaint shows it: printable ASCII only
// (anything else as "?"), at most 200 characters.
std::string UnparsedValue(std::string_view field, std::string_view raw) {
  constexpr std::size_t kMaxNoted = 200;
  std::string out(field);
  out += '=';
  for (const char c : raw.substr(0, kMaxNoted)) out += (c >= 0x20 && c <= 0x7E) ? c : '?';
  if (raw.size() > kMaxNoted) out += "...";
  return out;
}

// A gateway's time: RFC 3339, or unix seconds (milliseconds from 10^11 on, which no seconds
// count reaches before the year 5138). Anything else is noted in `message.unparsed`, never
// refused: a message is worth more than its date.
void ReadGatewayTime(std::string_view raw, std::string_view field, SmsMessage& message) {
  const auto first = raw.find_first_not_of(" \t");
  if (first == std::string_view::npos) return;
  raw = raw.substr(first, raw.find_last_not_of(" \t") - first + 1);
  // Before 2000 is a gateway's clock that was never set, not a date.
  constexpr UnixMillis kEarliest = 946'684'800'000;
  std::optional<UnixMillis> time;
  if (raw.size() <= 16 && raw.find_first_not_of("0123456789") == std::string_view::npos) {
    const std::int64_t number = std::stoll(std::string(raw));
    time = number >= 100'000'000'000 ? number : number * 1000;
  } else {
    time = ParseTimestamp(raw);
  }
  if (time && *time >= kEarliest) {
    message.sent_at = *time;
  } else {
    message.unparsed.push_back(UnparsedValue(field, raw));
  }
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
    if (sent_at->is_string()) {
      ReadGatewayTime(sent_at->as_string(), "sent_at", message);
    } else {
      message.unparsed.push_back(UnparsedValue("sent_at", json::serialize(*sent_at)));
    }
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
    ReadGatewayTime(date->second, date->first, message);
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

namespace {

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return out;
}

// UCS-2 / UTF-16BE as Kannel posts it; nullopt for an odd length or a lone surrogate.
std::optional<std::string> Utf16BeToUtf8(std::string_view bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  std::string out;
  const auto unit = [&](std::size_t i) -> std::uint32_t {
    return (static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]);
  };
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    std::uint32_t code_point = unit(i);
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (i + 3 >= bytes.size()) return std::nullopt;
      const std::uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      return std::nullopt;
    }
    AppendUtf8(out, code_point);
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The media type of a Content-Type header, lower case, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  const auto first = type.find_first_not_of(" \t");
  if (first == std::string_view::npos) return std::string();
  type = type.substr(first, type.find_last_not_of(" \t") - first + 1);
  return Lower(type);
}

// The charset parameter, unquoted and lower case ('charset="UTF-8"' as Kannel sends it).
std::string Charset(std::string_view content_type) {
  const std::string lower = Lower(content_type);
  const auto at = lower.find("charset=");
  if (at == std::string::npos) return std::string();
  std::string_view value = std::string_view(lower).substr(at + 8);
  value = value.substr(0, value.find(';'));
  const auto first = value.find_first_not_of(" \t\"");
  if (first == std::string_view::npos) return std::string();
  return std::string(value.substr(first, value.find_last_not_of(" \t\"") - first + 1));
}

// A gateway's text: as CleanText, except that bytes that are not UTF-8 are read as
// ISO-8859-1 and noted instead of refusing the message.
Result<std::string> CleanGatewayText(std::string_view raw, std::string_view field,
                                     SmsMessage& message) {
  auto text = CleanText(raw, field);
  if (text.ok() || text.status().message().find("UTF-8") == std::string::npos) return text;
  message.unparsed.push_back(std::string(field) + ": not UTF-8, read as ISO-8859-1");
  return CleanText(Latin1ToUtf8(raw), field);
}

Result<std::map<std::string, std::string>> FormOf(std::string_view body) {
  std::map<std::string, std::string> form;
  if (!http::ParseQueryString(body, form)) {
    return InvalidArgument("the body is not form-encoded: a percent escape is malformed");
  }
  return form;
}

Status RequireMediaType(const http::HttpRequest& request, std::string_view expected) {
  if (MediaType(request.Header("content-type").value_or("")) == expected) return Status::Ok();
  return Status(ErrorCode::kUnsupportedMediaType, "send " + std::string(expected));
}

std::string_view FormValue(const std::map<std::string, std::string>& form, std::string_view key) {
  const auto it = form.find(std::string(key));
  return it == form.end() ? std::string_view() : std::string_view(it->second);
}

// The fields every form-shaped gateway sends, under that gateway's names.
struct FormNames {
  std::string_view from, text, id, time;
};

Result<SmsMessage> ReadForm(const std::map<std::string, std::string>& form,
                            const FormNames& names) {
  SmsMessage message;
  ASSIGN_OR_RETURN(message.from, CleanPhone(FormValue(form, names.from), names.from));
  ASSIGN_OR_RETURN(message.text,
                   CleanGatewayText(FormValue(form, names.text), names.text, message));
  if (!names.id.empty()) {
    ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(FormValue(form, names.id), names.id));
  }
  if (!names.time.empty()) ReadGatewayTime(FormValue(form, names.time), names.time, message);
  return message;
}

Result<SmsMessage> ParseKannel(const http::HttpRequest& request) {
  if (request.method == "GET") {
    const auto& query = request.query;
    const FormNames names{!query.count("from") && query.count("sender") ? "sender" : "from",
                          !query.count("text") && query.count("message") ? "message" : "text", "id",
                          ""};
    ASSIGN_OR_RETURN(SmsMessage message, ReadForm(query, names));
    // %T (unix seconds) is exact; %t ("2026-12-04 17:39:44", the Kannel host's local time
    // without a zone) is read only when ts is absent, and then noted.
    if (!FormValue(query, "ts").empty()) {
      ReadGatewayTime(FormValue(query, "ts"), "ts", message);
    } else {
      ReadGatewayTime(FormValue(query, "time"), "time", message);
    }
    return message;
  }
  if (request.method != "POST") {
    return Status(ErrorCode::kMethodNotAllowed, "Kannel sends GET or POST");
  }
  const std::string content_type(request.Header("content-type").value_or(""));
  const std::string media_type = MediaType(content_type);
  if (!media_type.empty() && media_type != "text/plain") {
    return Status(ErrorCode::kUnsupportedMediaType,
                  "Kannel's post-url sends the text as text/plain");
  }
  SmsMessage message;
  const std::string_view from = request.Header("x-kannel-from").value_or("");
  ASSIGN_OR_RETURN(message.from, CleanPhone(from, "X-Kannel-From"));
  const std::string charset = Charset(content_type);
  std::string text;
  if (charset.empty() || charset == "utf-8" || charset == "utf8" || charset == "us-ascii") {
    text = request.body;
  } else if (charset == "iso-8859-1" || charset == "latin1" || charset == "windows-1252") {
    text = Latin1ToUtf8(request.body);
  } else if (charset == "utf-16be" || charset == "ucs-2" || charset == "utf-16") {
    auto decoded = Utf16BeToUtf8(request.body);
    if (decoded) {
      text = std::move(*decoded);
    } else {
      message.unparsed.push_back("text: not UTF-16BE, read as ISO-8859-1");
      text = Latin1ToUtf8(request.body);
    }
  } else {
    message.unparsed.push_back(UnparsedValue("charset", charset));
    text = request.body;
  }
  ASSIGN_OR_RETURN(message.text, CleanGatewayText(text, "text", message));
  if (!FormValue(request.query, "id").empty()) {
    ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(FormValue(request.query, "id"), "id"));
  }
  if (!FormValue(request.query, "ts").empty()) {
    ReadGatewayTime(FormValue(request.query, "ts"), "ts", message);
  } else {
    ReadGatewayTime(request.Header("x-kannel-time").value_or(""), "X-Kannel-Time", message);
  }
  return message;
}

// The text of a JSON string member, or an empty view.
std::string_view JsonText(const json::object* object, std::string_view key) {
  if (!object) return std::string_view();
  const json::value* value = object->if_contains(key);
  if (!value || !value->is_string()) return std::string_view();
  return std::string_view(value->as_string().data(), value->as_string().size());
}

const json::object* JsonObject(const json::object* object, std::string_view key) {
  if (!object) return nullptr;
  const json::value* value = object->if_contains(key);
  return value && value->is_object() ? &value->as_object() : nullptr;
}

Result<SmsMessage> ParseRapidPro(const http::HttpRequest& request) {
  RETURN_IF_ERROR(RequireMediaType(request, "application/json"));
  ASSIGN_OR_RETURN(const json::object body, http::ParseJsonObjectText(request.body));
  const json::object* contact = JsonObject(&body, "contact");
  const json::object* input = JsonObject(&body, "input");
  SmsMessage message;
  // contact.urn is "tel:+236..." (or another scheme when the contact has no phone first).
  std::string_view urn = JsonText(contact, "urn");
  std::string_view field = "contact.urn";
  if (urn.substr(0, 4) != "tel:") {
    urn = JsonText(JsonObject(input, "urn"), "path");
    field = "input.urn.path";
  } else {
    urn.remove_prefix(4);
  }
  ASSIGN_OR_RETURN(message.from, CleanPhone(urn, field));
  ASSIGN_OR_RETURN(message.text, CleanGatewayText(JsonText(input, "text"), "input.text", message));
  ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(JsonText(input, "uuid"), "input.uuid"));
  ReadGatewayTime(JsonText(input, "created_on"), "input.created_on", message);
  return message;
}

Result<SmsMessage> ParseAndroid(const http::HttpRequest& request) {
  RETURN_IF_ERROR(RequireMediaType(request, "application/json"));
  ASSIGN_OR_RETURN(const json::object body, http::ParseJsonObjectText(request.body));
  if (JsonText(&body, "event") != "sms:received") {
    return FieldError("event", "must be sms:received (register the webhook for that event only)");
  }
  const json::object* payload = JsonObject(&body, "payload");
  if (!payload) return FieldError("payload", "is required");
  SmsMessage message;
  ASSIGN_OR_RETURN(message.from, CleanPhone(JsonText(payload, "phoneNumber"), "phoneNumber"));
  ASSIGN_OR_RETURN(message.text,
                   CleanGatewayText(JsonText(payload, "message"), "message", message));
  // messageId is derived from the content by the app and may repeat; the event's own id is
  // unique per delivery and the same on a retry.
  std::string_view id = JsonText(&body, "id");
  ASSIGN_OR_RETURN(message.gateway_id, CleanGatewayId(id, "id"));
  ReadGatewayTime(JsonText(payload, "receivedAt"), "receivedAt", message);
  return message;
}

}  // namespace

std::optional<SmsGateway> SmsGatewayFromName(std::string_view name) {
  static constexpr std::pair<std::string_view, SmsGateway> kNames[] = {
      {"generic", SmsGateway::kGeneric},   {"kannel", SmsGateway::kKannel},
      {"rapidpro", SmsGateway::kRapidPro}, {"africastalking", SmsGateway::kAfricasTalking},
      {"twilio", SmsGateway::kTwilio},     {"smssync", SmsGateway::kSmsSync},
      {"android", SmsGateway::kAndroid}};
  for (const auto& [known, gateway] : kNames) {
    if (known == name) return gateway;
  }
  return std::nullopt;
}

std::string_view SmsGatewayName(SmsGateway gateway) {
  switch (gateway) {
    case SmsGateway::kGeneric:
      return "generic";
    case SmsGateway::kKannel:
      return "kannel";
    case SmsGateway::kRapidPro:
      return "rapidpro";
    case SmsGateway::kAfricasTalking:
      return "africastalking";
    case SmsGateway::kTwilio:
      return "twilio";
    case SmsGateway::kSmsSync:
      return "smssync";
    case SmsGateway::kAndroid:
      return "android";
  }
  return "generic";
}

Result<SmsMessage> ParseSmsRequest(SmsGateway gateway, const http::HttpRequest& request) {
  if (gateway == SmsGateway::kKannel) return ParseKannel(request);
  if (request.method != "POST") {
    return Status(ErrorCode::kMethodNotAllowed,
                  std::string(SmsGatewayName(gateway)) + " gateways send POST");
  }
  switch (gateway) {
    case SmsGateway::kGeneric: {
      const std::string type = MediaType(request.Header("content-type").value_or(""));
      if (type == "application/json") return ParseSmsJson(request.body);
      if (type == "application/x-www-form-urlencoded") return ParseSmsForm(request.body);
      return Status(ErrorCode::kUnsupportedMediaType,
                    "send application/json or application/x-www-form-urlencoded");
    }
    case SmsGateway::kRapidPro:
      return ParseRapidPro(request);
    case SmsGateway::kAndroid:
      return ParseAndroid(request);
    case SmsGateway::kAfricasTalking: {
      RETURN_IF_ERROR(RequireMediaType(request, "application/x-www-form-urlencoded"));
      ASSIGN_OR_RETURN(auto form, FormOf(request.body));
      return ReadForm(form, {"from", "text", "id", "date"});
    }
    case SmsGateway::kTwilio: {
      RETURN_IF_ERROR(RequireMediaType(request, "application/x-www-form-urlencoded"));
      ASSIGN_OR_RETURN(auto form, FormOf(request.body));
      return ReadForm(form,
                      {"From", "Body", form.count("MessageSid") ? "MessageSid" : "SmsSid", ""});
    }
    case SmsGateway::kSmsSync: {
      RETURN_IF_ERROR(RequireMediaType(request, "application/x-www-form-urlencoded"));
      ASSIGN_OR_RETURN(auto form, FormOf(request.body));
      ASSIGN_OR_RETURN(SmsMessage message,
                       ReadForm(form, {"from", "message", "message_id", "sent_timestamp"}));
      message.gateway_secret = std::string(FormValue(form, "secret"));
      return message;
    }
    case SmsGateway::kKannel:
      break;
  }
  return ParseKannel(request);
}

bool VerifyTwilioSignature(std::string_view auth_token, std::string_view url,
                           std::string_view form_body, std::string_view signature_header) {
  if (auth_token.empty() || signature_header.empty()) return false;
  std::map<std::string, std::string> form;
  if (!http::ParseQueryString(form_body, form)) return false;
  std::string data(url);
  for (const auto& [name, value] : form) data += name + value;  // std::map: sorted by name
  const std::string expected = security::Base64Encode(security::HmacSha1(auth_token, data));
  const auto first = signature_header.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  const auto last = signature_header.find_last_not_of(" \t");
  return security::ConstantTimeEquals(expected, signature_header.substr(first, last - first + 1));
}

bool VerifyAndroidSignature(std::string_view signing_key, std::string_view body,
                            std::string_view timestamp_header, std::string_view signature_header,
                            std::int64_t now_seconds, std::int64_t window_seconds) {
  constexpr std::size_t kHmacBytes = 32;
  if (signing_key.empty() || timestamp_header.empty() || timestamp_header.size() > 12 ||
      timestamp_header.find_first_not_of("0123456789") != std::string_view::npos ||
      signature_header.size() != 2 * kHmacBytes) {
    return false;
  }
  const std::int64_t timestamp = std::stoll(std::string(timestamp_header));
  if (timestamp < now_seconds - window_seconds || timestamp > now_seconds + window_seconds) {
    return false;
  }
  std::string provided(kHmacBytes, '\0');
  for (std::size_t i = 0; i < kHmacBytes; ++i) {
    const int high = HexValue(signature_header[2 * i]);
    const int low = HexValue(signature_header[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    provided[i] = static_cast<char>(high * 16 + low);
  }
  std::string signed_data(body);
  signed_data += timestamp_header;
  return security::ConstantTimeEquals(security::HmacSha256(signing_key, signed_data), provided);
}

}  // namespace psea::intake
