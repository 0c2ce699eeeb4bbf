#include "http/json.h"

#include <algorithm>
#include <cctype>

namespace psea::http {

namespace {
Status FieldError(std::string_view key, std::string message) {
  return InvalidArgument(std::string(key) + " " + message, std::string(key));
}

bool HasControlCharacters(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// "application/json", in any case, optionally followed by parameters ("; charset=utf-8").
// Not a prefix match: "application/jsonp" is another type.
bool IsJsonMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return type.size() == kJson.size() &&
         std::equal(type.begin(), type.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}
}  // namespace

std::size_t Utf8Length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Result<json::object> ParseJsonObjectText(std::string_view text) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  options.allow_invalid_utf8 = false;
  options.allow_comments = false;
  options.allow_trailing_commas = false;
  boost::system::error_code error;
  json::value value = json::parse(text, error, json::storage_ptr(), options);
  if (error) {
    return Status(ErrorCode::kBadJson, "the body is not valid JSON: " + error.message());
  }
  if (!value.is_object()) return Status(ErrorCode::kBadJson, "the body must be a JSON object");
  return std::move(value.as_object());
}

Result<json::object> ParseJsonObject(const HttpRequest& request) {
  auto content_type = request.Header("content-type");
  if (!content_type || !IsJsonMediaType(*content_type)) {
    return Status(ErrorCode::kUnsupportedMediaType, "send the body as application/json");
  }
  return ParseJsonObjectText(request.body);
}

const json::value* JsonFields::Find(std::string_view key) {
  seen_.emplace(key);
  const json::value* value = object_.if_contains(key);
  if (value && value->is_null()) return nullptr;
  return value;
}

Result<std::string> JsonFields::RequiredString(std::string_view key, std::size_t min_chars,
                                               std::size_t max_chars) {
  ASSIGN_OR_RETURN(auto value, OptionalString(key, max_chars));
  if (!value) return FieldError(key, "is required");
  if (Utf8Length(*value) < min_chars) {
    return FieldError(key, "must be at least " + std::to_string(min_chars) + " characters");
  }
  return std::move(*value);
}

Result<std::optional<std::string>> JsonFields::OptionalString(std::string_view key,
                                                              std::size_t max_chars) {
  const json::value* value = Find(key);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return FieldError(key, "must be a string");
  std::string text(value->as_string());
  if (Utf8Length(text) > max_chars) {
    return FieldError(key, "must be at most " + std::to_string(max_chars) + " characters");
  }
  if (HasControlCharacters(text)) return FieldError(key, "must not contain control characters");
  return std::optional<std::string>(std::move(text));
}

Result<std::optional<std::string>> JsonFields::OptionalText(std::string_view key,
                                                            std::size_t max_chars) {
  const json::value* value = Find(key);
  if (!value) return std::optional<std::string>();
  if (!value->is_string()) return FieldError(key, "must be a string");
  std::string text(value->as_string());
  if (Utf8Length(text) > max_chars) {
    return FieldError(key, "must be at most " + std::to_string(max_chars) + " characters");
  }
  const bool bad = std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
  });
  if (bad) return FieldError(key, "must not contain control characters other than line breaks");
  return std::optional<std::string>(std::move(text));
}

Result<std::string> JsonFields::RequiredText(std::string_view key, std::size_t min_chars,
                                             std::size_t max_chars) {
  ASSIGN_OR_RETURN(auto value, OptionalText(key, max_chars));
  if (!value) return FieldError(key, "is required");
  if (Utf8Length(*value) < min_chars) {
    return FieldError(key, "must be at least " + std::to_string(min_chars) + " characters");
  }
  return std::move(*value);
}

Result<std::optional<bool>> JsonFields::OptionalBool(std::string_view key) {
  const json::value* value = Find(key);
  if (!value) return std::optional<bool>();
  if (!value->is_bool()) return FieldError(key, "must be true or false");
  return std::optional<bool>(value->as_bool());
}

Result<std::optional<std::int64_t>> JsonFields::OptionalInt(std::string_view key, std::int64_t min,
                                                            std::int64_t max) {
  const json::value* value = Find(key);
  if (!value) return std::optional<std::int64_t>();
  std::int64_t number = 0;
  if (value->is_int64()) {
    number = value->as_int64();
  } else if (value->is_uint64()) {
    return FieldError(key, "is out of range");
  } else {
    return FieldError(key, "must be an integer");
  }
  if (number < min || number > max) {
    return FieldError(key,
                      "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>(number);
}

Result<std::int64_t> JsonFields::RequiredInt(std::string_view key, std::int64_t min,
                                             std::int64_t max) {
  ASSIGN_OR_RETURN(auto value, OptionalInt(key, min, max));
  if (!value) return FieldError(key, "is required");
  return *value;
}

Result<std::vector<std::string>> JsonFields::StringArray(std::string_view key,
                                                         std::size_t max_items,
                                                         std::size_t max_chars) {
  const json::value* value = Find(key);
  std::vector<std::string> out;
  if (!value) return out;
  if (!value->is_array()) return FieldError(key, "must be an array of strings");
  const auto& array = value->as_array();
  if (array.size() > max_items) {
    return FieldError(key, "must have at most " + std::to_string(max_items) + " items");
  }
  for (const auto& item : array) {
    if (!item.is_string()) return FieldError(key, "must be an array of strings");
    std::string text(item.as_string());
    if (Utf8Length(text) > max_chars || HasControlCharacters(text)) {
      return FieldError(key, "has an invalid item");
    }
    out.push_back(std::move(text));
  }
  return out;
}

Result<std::vector<std::int64_t>> JsonFields::IntArray(std::string_view key, std::size_t max_items,
                                                       std::int64_t min, std::int64_t max) {
  const json::value* value = Find(key);
  std::vector<std::int64_t> out;
  if (!value) return out;
  if (!value->is_array()) return FieldError(key, "must be an array of integers");
  const auto& array = value->as_array();
  if (array.size() > max_items) {
    return FieldError(key, "must have at most " + std::to_string(max_items) + " items");
  }
  for (const auto& item : array) {
    if (!item.is_int64() || item.as_int64() < min || item.as_int64() > max) {
      return FieldError(
          key, "must hold integers from " + std::to_string(min) + " to " + std::to_string(max));
    }
    out.push_back(item.as_int64());
  }
  return out;
}

Status JsonFields::Finish() const {
  for (const auto& [key, value] : object_) {
    if (!seen_.count(std::string_view(key))) {
      std::string name(key);
      return Status(ErrorCode::kUnknownField, "unknown field " + name, name);
    }
  }
  return Status::Ok();
}

HttpResponse JsonResponse(const json::value& body, int status) {
  HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json; charset=utf-8");
  response.body = json::serialize(body);
  return response;
}

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  return response;
}

HttpResponse ErrorResponse(const Status& status) {
  json::object error;
  error["code"] = ErrorCodeName(status.code());
  // Internal errors say nothing about what failed: the log has the details.
  error["message"] = status.code() == ErrorCode::kInternal
                         ? "something went wrong on the server; the error was logged"
                         : status.message();
  if (!status.field().empty()) error["field"] = status.field();
  HttpResponse response =
      JsonResponse(json::object{{"error", std::move(error)}}, ErrorCodeHttpStatus(status.code()));
  if (status.retry_after_seconds() > 0) {
    response.SetHeader("Retry-After", std::to_string(status.retry_after_seconds()));
  }
  return response;
}

Result<std::optional<security::StepUpProof>> StepUpFields(JsonFields& fields) {
  ASSIGN_OR_RETURN(auto password, fields.OptionalString("current_password", 1024));
  ASSIGN_OR_RETURN(auto code, fields.OptionalString("totp_code", 16));
  if (!password && !code) return std::optional<security::StepUpProof>();
  return std::optional<security::StepUpProof>(
      security::StepUpProof{password.value_or(""), code.value_or("")});
}

}  // namespace psea::http
