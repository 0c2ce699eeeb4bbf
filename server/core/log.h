// Structured logs: one JSON object per line on standard error. Never log bodies, passwords,
// tokens or personal data: fields are ids, names of things, numbers and codes.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace psea::log {

// "debug", "info", "warn", "error", "off".
void Init(std::string_view level);

using Field = std::pair<std::string_view, std::string>;
void Debug(std::string_view event, std::initializer_list<Field> fields = {});
void Info(std::string_view event, std::initializer_list<Field> fields = {});
void Warn(std::string_view event, std::initializer_list<Field> fields = {});
void Error(std::string_view event, std::initializer_list<Field> fields = {});
// Whether Info would write: callers with costly fields check first.
bool InfoEnabled();

// JSON string escaping (exposed for the HTTP layer's access log).
std::string JsonEscape(std::string_view text);

}  // namespace psea::log
