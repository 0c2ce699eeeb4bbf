// JSON at the boundary: parsing request bodies with limits, validating fields (unknown
// fields are refused), and writing responses, including the one error shape:
//   {"error": {"code": "validation_failed", "message": "...", "field": "..."}}
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/request.h"
#include "security/permissions.h"

namespace psea::http {

namespace json = boost::json;

constexpr int kMaxJsonDepth = 32;

// Parses a JSON object. kUnsupportedMediaType unless the content type is application/json;
// kBadJson for malformed JSON, invalid UTF-8, excessive nesting or a non-object.
Result<json::object> ParseJsonObject(const HttpRequest& request);
Result<json::object> ParseJsonObjectText(std::string_view text);

// Reads the fields of a request object. Each accessor names the field in its error. Finish()
// refuses any field that no accessor asked for.
class JsonFields {
 public:
  explicit JsonFields(const json::object& object) : object_(object) {}

  Result<std::string> RequiredString(std::string_view key, std::size_t min_chars,
                                     std::size_t max_chars);
  Result<std::optional<std::string>> OptionalString(std::string_view key, std::size_t max_chars);
  // Multi-line text (narratives, notes, messages): line breaks and tabs are allowed, other
  // control characters are not.
  Result<std::string> RequiredText(std::string_view key, std::size_t min_chars,
                                   std::size_t max_chars);
  Result<std::optional<std::string>> OptionalText(std::string_view key, std::size_t max_chars);
  Result<std::optional<bool>> OptionalBool(std::string_view key);
  Result<std::optional<std::int64_t>> OptionalInt(std::string_view key, std::int64_t min,
                                                  std::int64_t max);
  Result<std::int64_t> RequiredInt(std::string_view key, std::int64_t min, std::int64_t max);
  Result<std::vector<std::string>> StringArray(std::string_view key, std::size_t max_items,
                                               std::size_t max_chars);
  Result<std::vector<std::int64_t>> IntArray(std::string_view key, std::size_t max_items,
                                             std::int64_t min, std::int64_t max);
  bool Has(std::string_view key) const { return object_.contains(key); }
  // For a field the caller reads itself (a list of objects): Finish() will not refuse it.
  void Accept(std::string_view key) { seen_.emplace(key); }
  Status Finish() const;

 private:
  const json::value* Find(std::string_view key);
  const json::object& object_;
  std::set<std::string, std::less<>> seen_;
};

// The step-up of a dangerous action, sent beside its own fields: `current_password` and
// `totp_code`. nullopt when neither is present (the service then refuses with the field).
Result<std::optional<security::StepUpProof>> StepUpFields(JsonFields& fields);

// Responses.
HttpResponse JsonResponse(const json::value& body, int status = 200);
HttpResponse NoContent();
HttpResponse ErrorResponse(const Status& status);

// Characters of a UTF-8 string (not bytes).
std::size_t Utf8Length(std::string_view text);

}  // namespace psea::http
