// Fixed-window rate limits held in memory: a count per key (a client address's ThrottleKey,
// core/address.h) and a count for everybody. Windows are aligned on multiples of their length
// (a one-minute window runs from hh:mm:00 to hh:mm+1:00), so a burst across a boundary can pass
// twice the limit; the limits here are chosen with that in mind.
//
// Memory is bounded: at most `max_keys` keys are kept. Keys whose window has ended are
// forgotten first; when that is not enough the key whose window started first goes (see
// rate_limiter.cc for why a full table forgets rather than refuses). Each kept key costs about
// 160 bytes (measured in rate_limiter_test.cc), so 100,000 keys take about 16 MB.
//
// Not thread-safe: the owner serialises calls (intake holds one mutex over both of its limits,
// so that a request is counted by both or by neither).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace psea {

// One count for everybody.
class WindowCounter {
 public:
  WindowCounter(std::int64_t window_millis, int limit) : window_(window_millis), limit_(limit) {}
  // True when one more is allowed in the window holding `now`; counts nothing.
  bool WouldAllow(UnixMillis now) const;
  void Count(UnixMillis now);
  // Whole seconds (at least 1) until the window holding `now` ends: the Retry-After.
  int SecondsToNextWindow(UnixMillis now) const;

 private:
  std::int64_t window_;
  int limit_;
  UnixMillis start_ = -1;
  int count_ = 0;
};

class KeyedRateLimiter {
 public:
  static constexpr std::size_t kDefaultMaxKeys = 100'000;

  // `limit_per_key` actions per key per window of `window_millis`.
  KeyedRateLimiter(std::int64_t window_millis, int limit_per_key,
                   std::size_t max_keys = kDefaultMaxKeys);

  // True when `key` may act once more in the window holding `now`; counts nothing.
  bool WouldAllow(std::string_view key, UnixMillis now) const;
  // Counts one action of `key`, first forgetting ended windows and, when the table is full,
  // the key whose window started first.
  void Count(std::string_view key, UnixMillis now);
  int SecondsToNextWindow(UnixMillis now) const;

  std::size_t size() const { return index_.size(); }
  // Keys forgotten while their window was still running because the table was full: a
  // non-zero value means someone is rotating addresses.
  std::uint64_t evicted_live() const { return evicted_live_; }

 private:
  struct Entry {
    std::string key;
    UnixMillis start = 0;
    int count = 0;
  };
  UnixMillis WindowStart(UnixMillis now) const { return now - now % window_; }

  std::int64_t window_;
  int limit_;
  std::size_t max_keys_;
  // Oldest window first; a key whose window turns moves to the back. The index points into
  // the list, whose nodes (and so the keys its string_views see) never move.
  std::list<Entry> by_age_;
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;
  std::uint64_t evicted_live_ = 0;
};

}  // namespace psea
