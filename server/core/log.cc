#include "core/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace psea::log {

namespace {
std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_logger_mt("psea");
    created->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                         spdlog::pattern_time_type::utc);
    return created;
  }();
  return logger;
}

void Write(spdlog::level::level_enum level, std::string_view event,
           std::initializer_list<Field> fields) {
  auto& logger = Logger();
  if (!logger->should_log(level)) return;
  std::string line = "\"event\":\"" + JsonEscape(event) + "\"";
  for (const auto& [key, value] : fields) {
    line += ",\"";
    line += key;
    line += "\":\"";
    line += JsonEscape(value);
    line += '"';
  }
  logger->log(level, line);
}
}  // namespace

void Init(std::string_view level) {
  Logger()->set_level(spdlog::level::from_str(std::string(level)));
  Logger()->flush_on(spdlog::level::info);
}

void Debug(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::debug, event, fields);
}
void Info(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::info, event, fields);
}
void Warn(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::warn, event, fields);
}
void Error(std::string_view event, std::initializer_list<Field> fields) {
  Write(spdlog::level::err, event, fields);
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

}  // namespace psea::log
