#include "core/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>
#include <vector>

namespace psea {
namespace {

constexpr UnixMillis kSecond = 1000;
constexpr UnixMillis kDay = 86400 * kSecond;

TEST(FakeClockTest, StandsStillUntilMoved) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.Advance(500);
  EXPECT_EQ(clock.Now(), 1500);
  clock.Advance(-200);
  EXPECT_EQ(clock.Now(), 1300);
  clock.Set(42);
  EXPECT_EQ(clock.Now(), 42);
}

TEST(FakeClockTest, AdvancesAreNotLostAcrossThreads) {
  FakeClock clock(0);
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) clock.Advance(1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(clock.Now(), 4000);
}

TEST(SystemClockTest, ReadsTheWallClockInMilliseconds) {
  using namespace std::chrono;
  const UnixMillis before =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  const UnixMillis now = SystemClock::Instance().Now();
  const UnixMillis after =
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
  EXPECT_EQ(&SystemClock::Instance(), &SystemClock::Instance());
}

TEST(Iso8601Test, FormatsInUtcToTheSecond) {
  struct Case {
    UnixMillis time;
    const char* text;
  };
  const Case cases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {999, "1970-01-01T00:00:00Z"},  // milliseconds are dropped, not rounded
      {1000, "1970-01-01T00:00:01Z"},
      {951782400 * kSecond, "2000-02-29T00:00:00Z"},
      {1234567890 * kSecond, "2009-02-13T23:31:30Z"},
      {1795883729 * kSecond + 123, "2026-11-28T16:35:29Z"},
      {4102444799 * kSecond, "2099-12-31T23:59:59Z"},
      {-86400 * kSecond, "1969-12-31T00:00:00Z"},
      {253402300799 * kSecond, "9999-12-31T23:59:59Z"},
      {253402300800 * kSecond, "10000-01-01T00:00:00Z"},  // beyond four digits: printf's form
  };
  for (const Case& c : cases) EXPECT_EQ(FormatIso8601(c.time), c.text) << c.time;
}

TEST(Iso8601Test, ParsesDatesAndTimes) {
  struct Case {
    const char* text;
    UnixMillis time;
  };
  const Case cases[] = {
      {"1970-01-01", 0},
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-02", kDay},
      {"2000-02-29", 951782400 * kSecond},
      {"2009-02-13T23:31:30Z", 1234567890 * kSecond},
      {"2026-11-28T16:35:29Z", 1795883729 * kSecond},
      {"1969-12-31T23:59:59Z", -kSecond},
      // What a browser's toISOString() writes.
      {"2026-11-28T16:35:29.123Z", 1795883729 * kSecond + 123},
  };
  for (const Case& c : cases) {
    const std::optional<UnixMillis> parsed = ParseIso8601(c.text);
    ASSERT_TRUE(parsed.has_value()) << c.text;
    EXPECT_EQ(*parsed, c.time) << c.text;
  }
}

TEST(Iso8601Test, RefusesMalformedText) {
  const char* cases[] = {
      "",
      "2026",
      "2026-11",
      "2026-1-28",
      "26-11-28",
      "2026/11/28",
      "2026-11-28T",
      "2026-11-28 16:35:29Z",
      "2026-11-28T16:35:29",
      "2026-11-28T16:35:29+01:00",
      "2026-11-28T16:35:29.12Z",
      "2026-11-28T16:35:29.1234Z",
      "2026-11-28T16:35:29,123Z",
      "2026-11-28T16:35:29.12aZ",
      "2026-11-28T16:35Z",
      "2026-13-01",
      "2026-00-10",
      "2026-11-00",
      "2026-11-31",
      "2026-02-29",  // not a leap year
      "1900-02-29",  // nor is 1900
      "2026-11-28T24:00:00Z",
      "2026-11-28T23:60:00Z",
      "2026-11-28T23:59:60Z",
      "2026-1a-28",
      "+026-11-28",
      "2026-11-28x",
  };
  for (const char* text : cases) EXPECT_EQ(ParseIso8601(text), std::nullopt) << text;
}

TEST(Iso8601Test, FormatThenParseRoundTripsWholeSeconds) {
  for (UnixMillis time = 0; time < 200LL * 365 * kDay; time += 7919LL * 3607 * kSecond) {
    const std::optional<UnixMillis> parsed = ParseIso8601(FormatIso8601(time));
    ASSERT_TRUE(parsed.has_value()) << FormatIso8601(time);
    EXPECT_EQ(*parsed, time);
  }
}

}  // namespace
}  // namespace psea
