// Time for the whole server. Services take a Clock& so that tests can move time by hand
// (session expiry, throttling windows, investigation deadlines).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace psea {

// Milliseconds since the Unix epoch, UTC. Stored as-is in every table.
using UnixMillis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixMillis Now() const override;
  static SystemClock& Instance();
};

// A clock that stands still until a test moves it. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixMillis start) : now_(start) {}
  UnixMillis Now() const override { return now_.load(); }
  void Advance(std::int64_t millis) { now_ += millis; }
  void Set(UnixMillis value) { now_ = value; }

 private:
  std::atomic<UnixMillis> now_;
};

// "2026-11-28T18:35:29Z" (seconds precision, UTC).
std::string FormatIso8601(UnixMillis time);
// Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ"; nullopt when malformed.
std::optional<UnixMillis> ParseIso8601(std::string_view text);

}  // namespace psea
