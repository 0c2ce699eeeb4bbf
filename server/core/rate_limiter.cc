#include "core/rate_limiter.h"

#include <algorithm>

namespace psea {

namespace {
int SecondsUntil(UnixMillis end, UnixMillis now) {
  return static_cast<int>(std::max<std::int64_t>(1, (end - now + 999) / 1000));
}
}  // namespace

bool WindowCounter::WouldAllow(UnixMillis now) const {
  const UnixMillis start = now - now % window_;
  return (start == start_ ? count_ : 0) < limit_;
}

void WindowCounter::Count(UnixMillis now) {
  const UnixMillis start = now - now % window_;
  if (start != start_) {
    start_ = start;
    count_ = 0;
  }
  ++count_;
}

int WindowCounter::SecondsToNextWindow(UnixMillis now) const {
  return SecondsUntil(now - now % window_ + window_, now);
}

KeyedRateLimiter::KeyedRateLimiter(std::int64_t window_millis, int limit_per_key,
                                   std::size_t max_keys)
    : window_(window_millis), limit_(limit_per_key), max_keys_(std::max<std::size_t>(1, max_keys)) {
  index_.reserve(std::min<std::size_t>(max_keys_, 1024));
}

bool KeyedRateLimiter::WouldAllow(std::string_view key, UnixMillis now) const {
  const auto found = index_.find(key);
  if (found == index_.end()) return limit_ > 0;
  const Entry& entry = *found->second;
  return (entry.start == WindowStart(now) ? entry.count : 0) < limit_;
}

void KeyedRateLimiter::Count(std::string_view key, UnixMillis now) {
  const UnixMillis start = WindowStart(now);
  // Ended windows sit at the front (the list is in order of window start): forgetting them
  // costs nothing per request once they are gone.
  while (!by_age_.empty() && by_age_.front().start < start) {
    index_.erase(by_age_.front().key);
    by_age_.pop_front();
  }
  auto found = index_.find(key);
  if (found != index_.end()) {
    auto entry = found->second;
    if (entry->start != start) {  // a clock set back: start the key again at the back
      entry->start = start;
      entry->count = 0;
      by_age_.splice(by_age_.end(), by_age_, entry);
    }
    ++entry->count;
    return;
  }
  // Full with live windows. Refusing every new key would let whoever fills the table (100,000
  // addresses for a minute are cheap with IPv6 /64s rented by the thousand) shut the door on
  // every reporter who comes next. Forgetting the oldest key gives that attacker nothing he
  // does not already have by rotating addresses, and the global limits still hold.
  if (index_.size() >= max_keys_) {
    index_.erase(by_age_.front().key);
    by_age_.pop_front();
    ++evicted_live_;
  }
  by_age_.push_back(Entry{std::string(key), start, 1});
  auto entry = std::prev(by_age_.end());
  index_.emplace(entry->key, entry);
}

int KeyedRateLimiter::SecondsToNextWindow(UnixMillis now) const {
  return SecondsUntil(WindowStart(now) + window_, now);
}

}  // namespace psea
