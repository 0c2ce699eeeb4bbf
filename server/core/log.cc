#include "core/log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>

namespace psea::log {

namespace {
// Standard error, written in blocks: an access log line per request with a write(2) each cost
// as much as a database query. Warnings and errors are written at once; info lines within a
// second (spdlog's flusher) or when 16 KiB have gathered, and on exit. A SIGKILL or a crash
// can lose up to a second of info lines, never a warning.
class BufferedStderrSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  ~BufferedStderrSink() override {
    std::lock_guard<std::mutex> lock(mutex_);
    WriteOut();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    buffer_.append(formatted.data(), formatted.size());
    if (msg.level >= spdlog::level::warn || buffer_.size() >= 16 * 1024) WriteOut();
  }
  void flush_() override { WriteOut(); }

 private:
  void WriteOut() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const ssize_t wrote = ::write(STDERR_FILENO, buffer_.data() + done, buffer_.size() - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) break;  // nowhere to report a broken standard error; drop the lines
      done += static_cast<std::size_t>(wrote);
    }
    buffer_.clear();
  }

  std::string buffer_;
};

std::shared_ptr<spdlog::logger>& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = std::make_shared<spdlog::logger>("psea", std::make_shared<BufferedStderrSink>());
    spdlog::register_logger(created);
    spdlog::flush_every(std::chrono::seconds(1));
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
  Logger()->flush_on(spdlog::level::warn);
}

bool InfoEnabled() { return Logger()->should_log(spdlog::level::info); }

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
