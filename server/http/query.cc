#include "http/query.h"

#include <charconv>

#include "core/utf8.h"

namespace psea::http {

namespace {
bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Valid UTF-8 without C0/C1 controls or DEL.
bool IsCleanText(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return false;
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto second = length > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (lead < 0x20 || lead == 0x7F || (lead == 0xC2 && second < 0xA0)) return false;
    i += length;
  }
  return true;
}
}  // namespace

Status CheckQueryNames(const HttpRequest& request, const std::vector<std::string>& declared) {
  if (!request.repeated_query.empty()) {
    const std::string& name = request.repeated_query.front();
    const std::string shown = IsCleanText(name) && name.size() <= 40 ? name : "(unprintable)";
    return InvalidArgument(shown + " is given more than once", shown);
  }
  for (const auto& [name, value] : request.query) {
    bool known = false;
    for (const auto& allowed : declared) known = known || allowed == name;
    if (!known) {
      // The name is the caller's text: keep the message short and printable.
      const std::string shown = IsCleanText(name) && name.size() <= 40 ? name : "(unprintable)";
      std::string taken;
      for (const auto& allowed : declared) taken += (taken.empty() ? "" : ", ") + allowed;
      return InvalidArgument("unknown query parameter " + shown + "; this path takes " +
                                 (taken.empty() ? "none" : taken),
                             shown);
    }
  }
  return Status();
}

std::optional<std::string_view> QueryParams::Value(std::string_view name) const {
  auto value = request_.Query(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

Result<std::optional<std::int64_t>> QueryParams::Int(std::string_view name, std::int64_t min,
                                                     std::int64_t max) const {
  auto text = Value(name);
  if (!text) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  // from_chars accepts a leading '-'; the digits check refuses it, and "+1", " 1", "1e3".
  const bool digits =
      IsDigits(*text) || (min < 0 && text->front() == '-' && IsDigits(text->substr(1)));
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (!digits || error != std::errc() || end != text->data() + text->size() || value < min ||
      value > max) {
    std::string range = max == INT64_MAX
                            ? "at least " + std::to_string(min)
                            : "from " + std::to_string(min) + " to " + std::to_string(max);
    return InvalidArgument(std::string(name) + " must be a whole number " + range,
                           std::string(name));
  }
  return std::optional<std::int64_t>(value);
}

Result<std::optional<std::int64_t>> QueryParams::Id(std::string_view name) const {
  return Int(name, 1, INT64_MAX);
}

Result<std::optional<std::string>> QueryParams::Enum(
    std::string_view name, std::initializer_list<std::string_view> values) const {
  auto text = Value(name);
  if (!text) return std::optional<std::string>();
  std::string list;
  for (auto value : values) {
    if (value == *text) return std::optional<std::string>(std::string(value));
    list += (list.empty() ? "" : ", ") + std::string(value);
  }
  return InvalidArgument(std::string(name) + " must be one of " + list, std::string(name));
}

Result<bool> QueryParams::Bool(std::string_view name, bool absent) const {
  auto text = Value(name);
  if (!text) return absent;
  if (*text == "true") return true;
  if (*text == "false") return false;
  return InvalidArgument(std::string(name) + " must be true or false", std::string(name));
}

Result<std::optional<std::string>> QueryParams::Text(std::string_view name,
                                                     std::size_t max_bytes) const {
  auto text = Value(name);
  if (!text) return std::optional<std::string>();
  if (text->size() > max_bytes) {
    return InvalidArgument(
        std::string(name) + " must be at most " + std::to_string(max_bytes) + " bytes",
        std::string(name));
  }
  if (!IsCleanText(*text)) {
    return InvalidArgument(std::string(name) + " must be UTF-8 text without control characters",
                           std::string(name));
  }
  return std::optional<std::string>(std::string(*text));
}

Result<std::optional<std::string>> QueryParams::Month(std::string_view name) const {
  auto text = Value(name);
  if (!text) return std::optional<std::string>();
  const bool shaped = text->size() == 7 && (*text)[4] == '-' && IsDigits(text->substr(0, 4)) &&
                      IsDigits(text->substr(5, 2)) && text->substr(5) >= "01" &&
                      text->substr(5) <= "12";
  if (!shaped) {
    return InvalidArgument(std::string(name) + " must be a month, YYYY-MM", std::string(name));
  }
  return std::optional<std::string>(std::string(*text));
}

Result<std::optional<UnixMillis>> QueryParams::Time(std::string_view name) const {
  auto text = Value(name);
  if (!text) return std::optional<UnixMillis>();
  auto parsed = ParseIso8601(*text);
  if (!parsed) {
    return InvalidArgument(std::string(name) + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
                           std::string(name));
  }
  return std::optional<UnixMillis>(*parsed);
}

}  // namespace psea::http
