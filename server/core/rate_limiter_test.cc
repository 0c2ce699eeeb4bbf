#include "core/rate_limiter.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdio>
#include <string>

#include "core/address.h"

namespace psea {
namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr UnixMillis kT0 = 1'800'000'000'000;  // a minute boundary

bool Try(KeyedRateLimiter& limiter, const std::string& key, UnixMillis now) {
  if (!limiter.WouldAllow(key, now)) return false;
  limiter.Count(key, now);
  return true;
}

TEST(KeyedRateLimiterTest, CountsPerKeyPerWindow) {
  KeyedRateLimiter limiter(kMinute, 3);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Try(limiter, "a", kT0 + i));
  EXPECT_FALSE(Try(limiter, "a", kT0 + 10));
  EXPECT_TRUE(Try(limiter, "b", kT0 + 10));  // another key has its own count
  EXPECT_EQ(limiter.SecondsToNextWindow(kT0 + 10), 60);
  EXPECT_TRUE(Try(limiter, "a", kT0 + kMinute));  // the next window
}

TEST(KeyedRateLimiterTest, OneSlash64IsOneKey) {
  KeyedRateLimiter limiter(kMinute, 2);
  EXPECT_TRUE(Try(limiter, ThrottleKey("2001:db8:7:7::1"), kT0));
  EXPECT_TRUE(Try(limiter, ThrottleKey("2001:db8:7:7::2"), kT0));
  EXPECT_FALSE(Try(limiter, ThrottleKey("2001:db8:7:7:ffff::3"), kT0));
  EXPECT_TRUE(Try(limiter, ThrottleKey("2001:db8:7:8::1"), kT0));
}

TEST(KeyedRateLimiterTest, ForgetsEndedWindows) {
  KeyedRateLimiter limiter(kMinute, 1, 1000);
  for (int i = 0; i < 500; ++i) limiter.Count("old-" + std::to_string(i), kT0);
  EXPECT_EQ(limiter.size(), 500u);
  limiter.Count("new", kT0 + kMinute);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_EQ(limiter.evicted_live(), 0u);
}

TEST(KeyedRateLimiterTest, AFullTableForgetsTheOldestKeyAndNeverGrows) {
  constexpr std::size_t kCap = 1000;
  KeyedRateLimiter limiter(kMinute, 1, kCap);
  // An attacker rotating addresses inside one window.
  for (int i = 0; i < 5000; ++i) limiter.Count("rotating-" + std::to_string(i), kT0 + i);
  EXPECT_EQ(limiter.size(), kCap);
  EXPECT_EQ(limiter.evicted_live(), 4000u);
  EXPECT_TRUE(limiter.WouldAllow("rotating-0", kT0 + 6000));      // forgotten first
  EXPECT_FALSE(limiter.WouldAllow("rotating-4999", kT0 + 6000));  // kept
  // A new reporter is still let in: a full table does not refuse.
  EXPECT_TRUE(Try(limiter, "reporter", kT0 + 6000));
  EXPECT_EQ(limiter.size(), kCap);
}

TEST(KeyedRateLimiterTest, MemoryAtTheDefaultCapIsBounded) {
  const auto before = mallinfo2().uordblks;
  std::size_t at_cap = 0;
  {
    KeyedRateLimiter limiter(kMinute, 1);
    char address[64];
    // Twice the cap of distinct IPv6 /64s (the longest keys) in one window.
    for (unsigned i = 0; i < 2 * KeyedRateLimiter::kDefaultMaxKeys; ++i) {
      std::snprintf(address, sizeof address, "2001:db8:%x:%x::1", i >> 16, i & 0xffff);
      limiter.Count(ThrottleKey(address), kT0);
    }
    EXPECT_EQ(limiter.size(), KeyedRateLimiter::kDefaultMaxKeys);
    at_cap = mallinfo2().uordblks - before;
  }
  std::printf("KeyedRateLimiter at %zu keys: %zu bytes (%zu per key)\n",
              KeyedRateLimiter::kDefaultMaxKeys, at_cap,
              at_cap / KeyedRateLimiter::kDefaultMaxKeys);
  EXPECT_LT(at_cap, 24u * 1024 * 1024);
}

TEST(WindowCounterTest, CountsForEverybody) {
  WindowCounter counter(kMinute, 2);
  EXPECT_TRUE(counter.WouldAllow(kT0));
  counter.Count(kT0);
  counter.Count(kT0 + 1);
  EXPECT_FALSE(counter.WouldAllow(kT0 + 59'999));
  EXPECT_EQ(counter.SecondsToNextWindow(kT0 + 59'500), 1);
  EXPECT_TRUE(counter.WouldAllow(kT0 + kMinute));
}

}  // namespace
}  // namespace psea
