// The windows of recurring duties and their states. Pure functions: every case is a period,
// a frequency, some dated entries and a `today`.
#include "modules/plan/occurrences.h"

#include "modules/plan/plan_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "storage/testing/test_databases.h"

namespace psea::plan {
namespace {

using Window = std::pair<std::string, std::string>;
using State = Occurrence::State;

std::vector<Window> Windows(const std::vector<Occurrence>& occurrences) {
  std::vector<Window> out;
  for (const auto& occurrence : occurrences) out.emplace_back(occurrence.start, occurrence.end);
  return out;
}

std::vector<Occurrence> Generate(Frequency frequency, const char* from, const char* to,
                                 const std::vector<DatedEntry>& entries = {},
                                 const std::string& today = "2000-01-01") {
  return GenerateOccurrences(frequency, *ParseMonth(from), *ParseMonth(to), entries, today);
}

TEST(OccurrencesTest, CountsOverTheMinuscaPeriod) {
  // 2018-01-01 is a Monday; 2019-12-31 a Tuesday.
  const struct {
    Frequency frequency;
    std::size_t windows;
    Window first;
    Window last;
  } cases[] = {
      {Frequency::kWeekly, 105, {"2018-01-01", "2018-01-07"}, {"2019-12-30", "2019-12-31"}},
      {Frequency::kBiweekly, 53, {"2018-01-01", "2018-01-14"}, {"2019-12-30", "2019-12-31"}},
      {Frequency::kMonthly, 24, {"2018-01-01", "2018-01-31"}, {"2019-12-01", "2019-12-31"}},
      {Frequency::kQuarterly, 8, {"2018-01-01", "2018-03-31"}, {"2019-10-01", "2019-12-31"}},
      {Frequency::kBiannual, 4, {"2018-01-01", "2018-06-30"}, {"2019-07-01", "2019-12-31"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(FrequencyName(c.frequency));
    const auto windows = Windows(Generate(c.frequency, "2018-01", "2019-12"));
    ASSERT_EQ(windows.size(), c.windows);
    EXPECT_EQ(windows.front(), c.first);
    EXPECT_EQ(windows.back(), c.last);
    // Windows follow one another without gaps or overlaps.
    for (std::size_t i = 1; i < windows.size(); ++i) {
      EXPECT_LT(windows[i - 1].second, windows[i].first);
      EXPECT_LE(windows[i].first, windows[i].second);
    }
  }
}

// The SEA Task Force's monthly meeting (Prevention 3 (a) of the MINUSCA plan) recurs every
// calendar month: twelve windows in each year of the plan, whatever month a period starts in.
TEST(OccurrencesTest, TheTaskForceMeetingRecursTwelveTimesAYear) {
  auto doc = ParsePlanFile(storage::testdb::ReadFileBytes(
      std::string(PSEA_SOURCE_DIR) + "/data/plans/minusca-sea-2018-2019.yaml"));
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  const ActivityDoc& meeting = doc->pillars[0].goals[2].activities[0];
  ASSERT_THAT(meeting.text, ::testing::StartsWith("SEA Task Force functions"));
  const Frequency frequency = meeting.frequency.value_or(InferFrequency(meeting.text));
  ASSERT_EQ(frequency, Frequency::kMonthly);

  const auto plan =
      GenerateOccurrences(frequency, doc->period_start, doc->period_end, {}, "2018-01-01");
  ASSERT_EQ(plan.size(), 24u);
  for (const char* year : {"2018", "2019"}) {
    std::vector<Window> of_year;
    for (const auto& occurrence : plan) {
      if (occurrence.start.starts_with(year))
        of_year.emplace_back(occurrence.start, occurrence.end);
    }
    ASSERT_EQ(of_year.size(), 12u) << year;
    EXPECT_EQ(of_year.front().first, std::string(year) + "-01-01");
    EXPECT_EQ(of_year.back().second, std::string(year) + "-12-31");
  }
  EXPECT_EQ(Windows(plan)[1], Window("2018-02-01", "2018-02-28"));
  EXPECT_EQ(Generate(frequency, "2018-07", "2019-06").size(), 12u);
  EXPECT_EQ(Generate(frequency, "2020-01", "2020-12")[1].end, "2020-02-29");
}

TEST(OccurrencesTest, NoneAndPerEventHaveNoWindows) {
  EXPECT_TRUE(Generate(Frequency::kNone, "2018-01", "2019-12").empty());
  EXPECT_TRUE(Generate(Frequency::kPerEvent, "2018-01", "2019-12", {{"2018-03-04", 1}}).empty());
  EXPECT_FALSE(IsRecurring(Frequency::kNone));
  EXPECT_FALSE(IsRecurring(Frequency::kPerEvent));
  for (auto frequency : {Frequency::kWeekly, Frequency::kBiweekly, Frequency::kMonthly,
                         Frequency::kQuarterly, Frequency::kBiannual}) {
    EXPECT_TRUE(IsRecurring(frequency)) << FrequencyName(frequency);
  }
}

TEST(OccurrencesTest, WeeklyWindowsStartOnTheMondayBeforeThePeriodAndAreClipped) {
  // 2019-01-01 is a Tuesday: its ISO week began on Monday 2018-12-31, outside the period.
  const auto windows = Windows(Generate(Frequency::kWeekly, "2019-01", "2019-01"));
  const std::vector<Window> expected = {{"2019-01-01", "2019-01-06"},
                                        {"2019-01-07", "2019-01-13"},
                                        {"2019-01-14", "2019-01-20"},
                                        {"2019-01-21", "2019-01-27"},
                                        {"2019-01-28", "2019-01-31"}};
  EXPECT_EQ(windows, expected);
}

TEST(OccurrencesTest, WeeksSpanMonthAndYearEnds) {
  // April to May 2018: the week of Monday 30 April runs into May.
  auto windows = Windows(Generate(Frequency::kWeekly, "2018-04", "2018-05"));
  EXPECT_THAT(windows, ::testing::Contains(Window{"2018-04-30", "2018-05-06"}));
  // December 2018 to January 2019: Monday 31 December 2018 to Sunday 6 January 2019.
  windows = Windows(Generate(Frequency::kWeekly, "2018-12", "2019-01"));
  EXPECT_THAT(windows, ::testing::Contains(Window{"2018-12-31", "2019-01-06"}));
  EXPECT_EQ(windows.front(), (Window{"2018-12-01", "2018-12-02"}));  // a Saturday and Sunday
  EXPECT_EQ(windows.back(), (Window{"2019-01-28", "2019-01-31"}));
  // Leap day inside a week.
  windows = Windows(Generate(Frequency::kWeekly, "2020-02", "2020-03"));
  EXPECT_THAT(windows, ::testing::Contains(Window{"2020-02-24", "2020-03-01"}));
}

TEST(OccurrencesTest, BiweeklyWindowsArePairsOfWeeks) {
  // 2018-02-01 is a Thursday: the first pair starts on Monday 2018-01-29.
  const auto windows = Windows(Generate(Frequency::kBiweekly, "2018-02", "2018-03"));
  const std::vector<Window> expected = {{"2018-02-01", "2018-02-11"},
                                        {"2018-02-12", "2018-02-25"},
                                        {"2018-02-26", "2018-03-11"},
                                        {"2018-03-12", "2018-03-25"},
                                        {"2018-03-26", "2018-03-31"}};
  EXPECT_EQ(windows, expected);
}

TEST(OccurrencesTest, CalendarWindowsFollowMonthsQuartersAndHalfYears) {
  // Across the year end: October-December, then January-March.
  EXPECT_EQ(Windows(Generate(Frequency::kQuarterly, "2018-10", "2019-03")),
            (std::vector<Window>{{"2018-10-01", "2018-12-31"}, {"2019-01-01", "2019-03-31"}}));
  // A period starting in February: the first quarter is clipped to February-March.
  EXPECT_EQ(Windows(Generate(Frequency::kQuarterly, "2018-02", "2018-07")),
            (std::vector<Window>{{"2018-02-01", "2018-03-31"},
                                 {"2018-04-01", "2018-06-30"},
                                 {"2018-07-01", "2018-07-31"}}));
  // Half-years start in January and July, clipped to the period.
  EXPECT_EQ(Windows(Generate(Frequency::kBiannual, "2018-03", "2019-02")),
            (std::vector<Window>{{"2018-03-01", "2018-06-30"},
                                 {"2018-07-01", "2018-12-31"},
                                 {"2019-01-01", "2019-02-28"}}));
  // Month ends, with and without a leap day.
  EXPECT_EQ(Windows(Generate(Frequency::kMonthly, "2020-01", "2020-04")),
            (std::vector<Window>{{"2020-01-01", "2020-01-31"},
                                 {"2020-02-01", "2020-02-29"},
                                 {"2020-03-01", "2020-03-31"},
                                 {"2020-04-01", "2020-04-30"}}));
  EXPECT_EQ(Windows(Generate(Frequency::kMonthly, "2019-02", "2019-02")),
            (std::vector<Window>{{"2019-02-01", "2019-02-28"}}));
  // A one-month period still has one window of every frequency.
  for (auto frequency : {Frequency::kWeekly, Frequency::kBiweekly, Frequency::kMonthly,
                         Frequency::kQuarterly, Frequency::kBiannual}) {
    const auto windows = Windows(Generate(frequency, "2018-05", "2018-05"));
    ASSERT_FALSE(windows.empty()) << FrequencyName(frequency);
    EXPECT_EQ(windows.front().first, "2018-05-01") << FrequencyName(frequency);
    EXPECT_EQ(windows.back().second, "2018-05-31") << FrequencyName(frequency);
  }
}

TEST(OccurrencesTest, StatesRelativeToToday) {
  // Monthly, January to April 2018, today 15 March: January done, February overdue, March
  // due, April upcoming.
  const auto occurrences =
      Generate(Frequency::kMonthly, "2018-01", "2018-04", {{"2018-01-20", 7}}, "2018-03-15");
  ASSERT_EQ(occurrences.size(), 4u);
  EXPECT_EQ(occurrences[0].state, State::kDone);
  EXPECT_EQ(occurrences[0].entry_ids, (std::vector<std::int64_t>{7}));
  EXPECT_EQ(occurrences[1].state, State::kOverdue);
  EXPECT_EQ(occurrences[2].state, State::kDue);
  EXPECT_EQ(occurrences[3].state, State::kUpcoming);
  const OccurrenceCounts counts = CountOccurrences(occurrences);
  EXPECT_EQ(counts.done, 1);
  EXPECT_EQ(counts.overdue, 1);
  EXPECT_EQ(counts.due, 1);
  EXPECT_EQ(counts.upcoming, 1);
  EXPECT_STREQ(OccurrenceStateName(State::kDone), "done");
  EXPECT_STREQ(OccurrenceStateName(State::kDue), "due");
  EXPECT_STREQ(OccurrenceStateName(State::kOverdue), "overdue");
  EXPECT_STREQ(OccurrenceStateName(State::kUpcoming), "upcoming");
}

TEST(OccurrencesTest, TodayOnAWindowEdge) {
  const struct {
    const char* today;
    State february;
  } cases[] = {
      {"2018-01-31", State::kUpcoming},
      {"2018-02-01", State::kDue},  // the first day belongs to the window
      {"2018-02-28", State::kDue},  // so does the last
      {"2018-03-01", State::kOverdue},
  };
  for (const auto& c : cases) {
    const auto occurrences = Generate(Frequency::kMonthly, "2018-01", "2018-03", {}, c.today);
    EXPECT_EQ(occurrences[1].state, c.february) << c.today;
  }
}

TEST(OccurrencesTest, EntriesOnWindowEdgesCountForTheirOwnWindow) {
  // Weekly in January 2018: weeks start on the 1st, 8th, 15th, 22nd and 29th.
  const std::vector<DatedEntry> entries = {
      {"2018-01-07", 1},                     // the Sunday ending the first week
      {"2018-01-08", 2},                     // the Monday starting the second
      {"2018-01-22", 3}, {"2018-01-28", 4},  // both ends of the fourth week
      {"2017-12-31", 5},                     // before the period: counts nowhere
      {"2018-02-01", 6},                     // after it: counts nowhere
  };
  const auto occurrences =
      Generate(Frequency::kWeekly, "2018-01", "2018-01", entries, "2018-12-31");
  ASSERT_EQ(occurrences.size(), 5u);
  EXPECT_EQ(occurrences[0].entry_ids, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(occurrences[1].entry_ids, (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(occurrences[2].entry_ids.empty());
  EXPECT_EQ(occurrences[2].state, State::kOverdue);
  EXPECT_EQ(occurrences[3].entry_ids, (std::vector<std::int64_t>{3, 4}));
  EXPECT_TRUE(occurrences[4].entry_ids.empty());
  const OccurrenceCounts counts = CountOccurrences(occurrences);
  EXPECT_EQ(counts.done, 3);
  EXPECT_EQ(counts.overdue, 2);
  EXPECT_EQ(counts.due + counts.upcoming, 0);
}

TEST(OccurrencesTest, EntriesNeedNotBeSorted) {
  const auto occurrences =
      Generate(Frequency::kQuarterly, "2018-01", "2018-12",
               {{"2018-11-02", 3}, {"2018-02-10", 1}, {"2018-01-05", 2}}, "2018-08-01");
  ASSERT_EQ(occurrences.size(), 4u);
  EXPECT_EQ(occurrences[0].entry_ids, (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(occurrences[1].state, State::kOverdue);
  EXPECT_EQ(occurrences[2].state, State::kDue);
  EXPECT_EQ(occurrences[3].state, State::kDone);  // done early counts as done
}

TEST(OccurrencesTest, CountingStatesAgreesWithCountingTheWindows) {
  const std::vector<DatedEntry> entries = {{"2018-01-01", 1},  {"2018-01-07", 2}, {"2018-02-28", 3},
                                           {"2018-03-01", 4},  {"2018-06-30", 5}, {"2018-07-01", 6},
                                           {"2018-12-31", 7},  {"2019-01-01", 8}, {"2019-06-15", 9},
                                           {"2017-12-31", 10}, {"2020-01-01", 11}};
  const std::vector<std::pair<const char*, const char*>> periods = {{"2018-01", "2019-12"},
                                                                    {"2018-02", "2018-07"},
                                                                    {"2018-12", "2019-01"},
                                                                    {"2019-06", "2019-06"}};
  for (auto frequency :
       {Frequency::kNone, Frequency::kWeekly, Frequency::kBiweekly, Frequency::kMonthly,
        Frequency::kQuarterly, Frequency::kBiannual, Frequency::kPerEvent}) {
    for (const auto& [from, to] : periods) {
      for (const char* today : {"2017-06-01", "2018-01-01", "2018-03-01", "2018-07-01",
                                "2018-12-31", "2019-06-15", "2025-01-01"}) {
        SCOPED_TRACE(std::string(FrequencyName(frequency)) + " " + from + ".." + to + " today " +
                     today);
        for (std::size_t used : {std::size_t{0}, std::size_t{3}, entries.size()}) {
          const std::vector<DatedEntry> some(entries.begin(), entries.begin() + used);
          const OccurrenceCounts expected =
              CountOccurrences(Generate(frequency, from, to, some, today));
          const OccurrenceCounts counted =
              CountOccurrenceStates(frequency, *ParseMonth(from), *ParseMonth(to), some, today);
          EXPECT_EQ(counted.done, expected.done);
          EXPECT_EQ(counted.due, expected.due);
          EXPECT_EQ(counted.overdue, expected.overdue);
          EXPECT_EQ(counted.upcoming, expected.upcoming);
        }
      }
    }
  }
}

TEST(OccurrencesTest, ValidDates) {
  for (const char* good : {"2018-01-01", "2018-12-31", "2020-02-29", "2000-02-29", "2019-04-30"}) {
    EXPECT_TRUE(IsValidDate(good)) << good;
  }
  for (const char* bad :
       {"2019-02-29", "1900-02-29", "2018-04-31", "2018-13-01", "2018-00-10", "2018-01-00",
        "2018-1-01", "2018/01/01", "18-01-01", "2018-01-01T00", "abcd-ef-gh", ""}) {
    EXPECT_FALSE(IsValidDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace psea::plan
