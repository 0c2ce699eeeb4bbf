#include "core/clock.h"

#include <chrono>
#include <cstdio>

namespace psea {

UnixMillis SystemClock::Now() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

SystemClock& SystemClock::Instance() {
  static SystemClock clock;
  return clock;
}

std::string FormatIso8601(UnixMillis time) {
  using namespace std::chrono;
  const sys_seconds seconds{duration_cast<std::chrono::seconds>(milliseconds(time))};
  const auto day = floor<days>(seconds);
  const year_month_day ymd{day};
  const hh_mm_ss hms{seconds - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", year,
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buffer;
  }
  // Digits written in place: snprintf was a twentieth of a large JSON report's time.
  std::string out = "0000-00-00T00:00:00Z";
  auto put = [&out](std::size_t at, int width, unsigned value) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<unsigned>(year));
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, static_cast<unsigned>(hms.hours().count()));
  put(14, 2, static_cast<unsigned>(hms.minutes().count()));
  put(17, 2, static_cast<unsigned>(hms.seconds().count()));
  return out;
}

namespace {
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<UnixMillis> ParseIso8601(std::string_view text) {
  using namespace std::chrono;
  int y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
  // "2026-12-04", "2026-12-04T14:50:00Z" or, as browsers write it, "2026-12-04T14:50:00.123Z".
  if (text.size() == 24) {
    if (text[19] != '.' || !ReadDigits(text, 20, 3, ms) || text[23] != 'Z') return std::nullopt;
    std::string shorter(text.substr(0, 19));
    shorter += 'Z';
    auto whole = ParseIso8601(shorter);
    if (!whole) return std::nullopt;
    return *whole + ms;
  }
  if (text.size() != 10 && text.size() != 20) return std::nullopt;
  if (!ReadDigits(text, 0, 4, y) || text[4] != '-' || !ReadDigits(text, 5, 2, mo) ||
      text[7] != '-' || !ReadDigits(text, 8, 2, d)) {
    return std::nullopt;
  }
  if (text.size() == 20) {
    if (text[10] != 'T' || !ReadDigits(text, 11, 2, h) || text[13] != ':' ||
        !ReadDigits(text, 14, 2, mi) || text[16] != ':' || !ReadDigits(text, 17, 2, s) ||
        text[19] != 'Z') {
      return std::nullopt;
    }
  }
  const year_month_day ymd{year(y), month(static_cast<unsigned>(mo)),
                           day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return std::nullopt;
  const auto tp = sys_days(ymd) + hours(h) + minutes(mi) + seconds(s);
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

}  // namespace psea
