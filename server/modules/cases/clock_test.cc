#include "modules/cases/clock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace psea::cases {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kDay = 24 * kHour;

UnixMillis At(std::string_view text) {
  auto parsed = ParseIso8601(text);
  EXPECT_TRUE(parsed) << text;
  return parsed.value_or(0);
}

Date D(int y, unsigned m, unsigned d) { return Date{year(y), month(m), day(d)}; }

std::string Iso(const std::optional<UnixMillis>& time) {
  return time ? FormatIso8601(*time) : "none";
}

const RuleClock* Find(const std::vector<RuleClock>& clocks, RuleId id) {
  for (const RuleClock& clock : clocks) {
    if (clock.rule == id) return &clock;
  }
  return nullptr;
}

// The clock of one rule, which must apply.
RuleClock ClockOf(const TimelineSettings& settings, const CaseFacts& facts, UnixMillis now,
                  RuleId id) {
  auto clocks = ComputeClocks(settings, facts, now);
  EXPECT_TRUE(clocks.ok()) << clocks.status().ToString();
  if (!clocks.ok()) return {};
  const RuleClock* clock = Find(*clocks, id);
  EXPECT_NE(clock, nullptr) << RuleIdName(id);
  return clock ? *clock : RuleClock{};
}

// ---------------------------------------------------------------------------------------------
// The defaults, as docs/case-timelines.md lists them.

TEST(CaseClockDefaultsTest, EveryRuleHasItsDocumentedDefault) {
  struct Row {
    RuleId id;
    EventKind start;
    std::vector<EventKind> stop;
    int amount;
    DurationUnit unit;
    AppliesTo applies_to;
    int repeat_every;
    const char* source_mentions;
  };
  using E = EventKind;
  using U = DurationUnit;
  const std::vector<Row> rows = {
      {RuleId::kAcknowledgement,
       E::kCaseReceived,
       {E::kAcknowledged, E::kClosed},
       3,
       U::kBusinessDays,
       AppliesTo::kAll,
       0,
       "mission default, configurable"},
      {RuleId::kAssessmentReferral,
       E::kCaseReceived,
       {E::kReferred, E::kClosed},
       7,
       U::kCalendarDays,
       AppliesTo::kAll,
       0,
       "mission default, configurable"},
      {RuleId::kMemberStateNotification,
       E::kReferred,
       {E::kMemberStateNotified, E::kClosed},
       5,
       U::kBusinessDays,
       AppliesTo::kUniformed,
       0,
       "mission default, configurable"},
      {RuleId::kNioAppointment,
       E::kMemberStateNotified,
       {E::kNioAppointed, E::kMemberStateDeclined, E::kClosed},
       10,
       U::kBusinessDays,
       AppliesTo::kUniformed,
       0,
       "mission default, configurable"},
      {RuleId::kInvestigationCompletion,
       E::kReferred,
       {E::kReportReceived, E::kClosed},
       6,
       U::kMonths,
       AppliesTo::kNotUrgent,
       0,
       "Secretary-General, 2016"},
      {RuleId::kInvestigationCompletionUrgent,
       E::kReferred,
       {E::kReportReceived, E::kClosed},
       3,
       U::kMonths,
       AppliesTo::kUrgent,
       0,
       "3 months for urgent cases"},
      {RuleId::kReportReview,
       E::kReportReceived,
       {E::kReviewCompleted, E::kClosed},
       30,
       U::kCalendarDays,
       AppliesTo::kAll,
       0,
       "mission default, configurable"},
      {RuleId::kVictimInformation,
       E::kCaseReceived,
       {E::kClosed},
       30,
       U::kCalendarDays,
       AppliesTo::kAll,
       30,
       "every 30 days"},
  };
  const TimelineSettings settings = DefaultTimelineSettings();
  EXPECT_TRUE(ValidateTimelineSettings(settings).ok());
  ASSERT_EQ(settings.rules.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const TimelineRule& rule = settings.rules[i];
    SCOPED_TRACE(std::string(RuleIdName(row.id)));
    EXPECT_EQ(rule.id, row.id);
    EXPECT_TRUE(rule.enabled);
    EXPECT_EQ(rule.start, row.start);
    EXPECT_EQ(rule.stop, row.stop);
    EXPECT_EQ(rule.amount, row.amount);
    EXPECT_EQ(rule.unit, row.unit);
    EXPECT_EQ(rule.applies_to, row.applies_to);
    EXPECT_EQ(rule.repeat_every, row.repeat_every);
    EXPECT_EQ(rule.met_by.empty(), row.repeat_every == 0);
    EXPECT_THAT(rule.source, testing::HasSubstr(row.source_mentions));
  }
  EXPECT_EQ(settings.rules.back().met_by, std::vector<EventKind>{EventKind::kVictimContact});
}

TEST(CaseClockDefaultsTest, WireNamesRoundTrip) {
  for (RuleId id : kAllRuleIds) EXPECT_EQ(ParseRuleId(RuleIdName(id)), id);
  for (EventKind kind : kAllEventKinds) EXPECT_EQ(ParseEventKind(EventKindName(kind)), kind);
  EXPECT_EQ(ParseRuleId("nio_appointment"), RuleId::kNioAppointment);
  EXPECT_EQ(ParseRuleId("NIO_appointment"), std::nullopt);
  EXPECT_EQ(ParseDurationUnit("weeks"), std::nullopt);
  EXPECT_EQ(ParseAppliesTo("uniformed"), AppliesTo::kUniformed);
}

// Each default rule on a plain case: received Friday 9 January 2026, referred Monday 12.
TEST(CaseClockDefaultsTest, DefaultDueDatesOnAPlainCase) {
  CaseFacts facts;
  facts.uniformed_subjects = true;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-09T10:00:00Z")},
                  {EventKind::kReferred, At("2026-01-12T10:00:00Z")},
                  {EventKind::kMemberStateNotified, At("2026-01-13T10:00:00Z")},
                  {EventKind::kReportReceived, At("2026-03-02T10:00:00Z")}};
  auto clocks = ComputeClocks(DefaultTimelineSettings(), facts, At("2026-03-03T12:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  struct Expected {
    RuleId id;
    const char* due_at;
  };
  const Expected expected[] = {
      {RuleId::kAcknowledgement, "2026-01-15T00:00:00Z"},          // Fri + 3 business days
      {RuleId::kAssessmentReferral, "2026-01-17T00:00:00Z"},       // + 7 days
      {RuleId::kMemberStateNotification, "2026-01-20T00:00:00Z"},  // Mon + 5 business days
      {RuleId::kNioAppointment, "2026-01-28T00:00:00Z"},           // Tue + 10 business days
      {RuleId::kInvestigationCompletion, "2026-07-13T00:00:00Z"},  // + 6 months
      {RuleId::kReportReview, "2026-04-02T00:00:00Z"},             // + 30 days
      {RuleId::kVictimInformation, "2026-02-09T00:00:00Z"},        // + 30 days
  };
  ASSERT_EQ(clocks->size(), std::size(expected));  // not the urgent investigation rule
  for (const Expected& row : expected) {
    const RuleClock* clock = Find(*clocks, row.id);
    ASSERT_NE(clock, nullptr) << RuleIdName(row.id);
    EXPECT_EQ(Iso(clock->due_at), row.due_at) << RuleIdName(row.id);
  }
  EXPECT_EQ(Find(*clocks, RuleId::kAcknowledgement)->state, ClockState::kOverdue);
  EXPECT_EQ(Find(*clocks, RuleId::kAssessmentReferral)->state, ClockState::kMetOnTime);
  EXPECT_EQ(Find(*clocks, RuleId::kInvestigationCompletion)->state, ClockState::kMetOnTime);
  EXPECT_EQ(Find(*clocks, RuleId::kReportReview)->state, ClockState::kRunning);
  EXPECT_EQ(Find(*clocks, RuleId::kReportReview)->days_left, 29);
  EXPECT_EQ(Find(*clocks, RuleId::kVictimInformation)->state, ClockState::kOverdue);
  EXPECT_EQ(Find(*clocks, RuleId::kVictimInformation)->days_left, -23);
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic.

TEST(CaseClockCalendarTest, BusinessDaysSkipWeekendsHolidaysAndYearEnd) {
  const std::vector<Date> holidays = {D(2026, 1, 12), D(2026, 12, 25), D(2027, 1, 1)};
  struct Row {
    Date from;
    int count;
    Date expected;
  };
  const Row rows[] = {
      {D(2026, 1, 7), 1, D(2026, 1, 8)},    // Wed -> Thu
      {D(2026, 1, 9), 1, D(2026, 1, 13)},   // Fri -> Mon is a holiday -> Tue
      {D(2026, 1, 10), 1, D(2026, 1, 13)},  // from a Saturday
      {D(2026, 1, 9), 5, D(2026, 1, 19)},   // Tue 13 .. Mon 19
      {D(2026, 12, 24), 5, D(2027, 1, 4)},  // Christmas and New Year's Day across the year end
      {D(2025, 12, 31), 3, D(2026, 1, 5)},  // 1 January 2026 is not in this list
      {D(2028, 2, 28), 1, D(2028, 2, 29)},  // leap day is a Tuesday
  };
  for (const Row& row : rows) {
    EXPECT_EQ(AddBusinessDays(row.from, row.count, holidays), row.expected)
        << FormatIso8601(std::chrono::sys_days(row.from).time_since_epoch().count() * kDay);
  }
  EXPECT_FALSE(IsBusinessDay(D(2026, 12, 25), holidays));
  EXPECT_FALSE(IsBusinessDay(D(2026, 12, 26), holidays));  // Saturday
  EXPECT_TRUE(IsBusinessDay(D(2026, 12, 28), holidays));
}

TEST(CaseClockCalendarTest, MonthsClampToTheMonthsLastDay) {
  struct Row {
    Date from;
    int count;
    Date expected;
  };
  const Row rows[] = {
      {D(2026, 1, 31), 1, D(2026, 2, 28)},   // common year
      {D(2028, 1, 31), 1, D(2028, 2, 29)},   // leap year
      {D(2023, 8, 31), 6, D(2024, 2, 29)},   // across a year end into a leap February
      {D(2025, 10, 31), 3, D(2026, 1, 31)},  // across a year end
      {D(2024, 2, 29), 12, D(2025, 2, 28)},  // from a leap day
      {D(2026, 3, 31), 1, D(2026, 4, 30)},  {D(2026, 1, 15), 6, D(2026, 7, 15)},
      {D(2026, 1, 31), 3, D(2026, 4, 30)},
  };
  for (const Row& row : rows) EXPECT_EQ(AddMonths(row.from, row.count), row.expected);
}

TEST(CaseClockCalendarTest, MissionDaysFollowTheUtcOffset) {
  EXPECT_EQ(MissionDate(At("2026-01-01T23:30:00Z"), 0), D(2026, 1, 1));
  EXPECT_EQ(MissionDate(At("2026-01-01T23:30:00Z"), 60), D(2026, 1, 2));
  EXPECT_EQ(MissionDate(At("2026-01-01T03:00:00Z"), -300), D(2025, 12, 31));
  EXPECT_EQ(MissionDate(-1, 0), D(1969, 12, 31));
  EXPECT_EQ(FormatIso8601(EndOfMissionDay(D(2026, 1, 2), 60)), "2026-01-02T23:00:00Z");
  EXPECT_EQ(FormatIso8601(EndOfMissionDay(D(2026, 12, 31), 0)), "2027-01-01T00:00:00Z");
}

TEST(CaseClockCalendarTest, CalendarDayRulesCrossYearEndsAndLeapDays) {
  const TimelineSettings settings = DefaultTimelineSettings();  // assessment: 7 calendar days
  struct Row {
    const char* received;
    const char* due_at;
  };
  const Row rows[] = {
      {"2026-12-28T09:00:00Z", "2027-01-05T00:00:00Z"},
      {"2028-02-25T09:00:00Z", "2028-03-04T00:00:00Z"},  // 29 February counts
      {"2027-02-25T09:00:00Z", "2027-03-05T00:00:00Z"},
  };
  for (const Row& row : rows) {
    CaseFacts facts;
    facts.events = {{EventKind::kCaseReceived, At(row.received)}};
    const RuleClock clock = ClockOf(settings, facts, At(row.received), RuleId::kAssessmentReferral);
    EXPECT_EQ(Iso(clock.due_at), row.due_at) << row.received;
    EXPECT_EQ(clock.days_left, 7);
  }
}

TEST(CaseClockCalendarTest, TheMissionTimeZoneDecidesTheStartDay) {
  TimelineSettings settings = DefaultTimelineSettings();
  CaseFacts facts;
  // 23:30 UTC on 31 January is 00:30 on 1 February in Bangui (UTC+1).
  facts.events = {{EventKind::kCaseReceived, At("2026-01-31T23:30:00Z")}};
  const UnixMillis now = At("2026-02-01T08:00:00Z");
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAssessmentReferral).due_at),
            "2026-02-08T00:00:00Z");
  settings.utc_offset_minutes = 60;
  const RuleClock bangui = ClockOf(settings, facts, now, RuleId::kAssessmentReferral);
  EXPECT_EQ(Iso(bangui.due_at), "2026-02-08T23:00:00Z");  // end of 8 February, Bangui time
  EXPECT_EQ(bangui.days_left, 7);
  // Late in the evening of the due day (UTC) is already the next day in Bangui.
  EXPECT_EQ(ClockOf(settings, facts, At("2026-02-08T22:59:00Z"), RuleId::kAssessmentReferral).state,
            ClockState::kRunning);
  EXPECT_EQ(ClockOf(settings, facts, At("2026-02-08T23:00:00Z"), RuleId::kAssessmentReferral).state,
            ClockState::kOverdue);
}

TEST(CaseClockCalendarTest, HolidaysInTheSettingsMoveBusinessDayDeadlines) {
  TimelineSettings settings = DefaultTimelineSettings();
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-12-24T10:00:00Z")}};
  const UnixMillis now = At("2026-12-24T12:00:00Z");
  // Thu 24 December + 3 business days: Fri 25, Mon 28, Tue 29.
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAcknowledgement).due_at),
            "2026-12-30T00:00:00Z");
  settings.holidays = {D(2026, 12, 25), D(2026, 12, 28), D(2026, 12, 29),
                       D(2026, 12, 30), D(2026, 12, 31), D(2027, 1, 1)};
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAcknowledgement).due_at),
            "2027-01-07T00:00:00Z");  // Fri 1, Mon 4 .. Wed 6 January
}

// ---------------------------------------------------------------------------------------------
// Pauses.

CaseFacts ReceivedMonday2March() {
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-03-02T09:00:00Z")}};
  return facts;  // assessment_referral due end of Monday 9 March: 2026-03-10T00:00:00Z
}

TEST(CaseClockPauseTest, AnOpenPauseStopsTheClock) {
  CaseFacts facts = ReceivedMonday2March();
  facts.pauses = {{std::nullopt, At("2026-03-04T00:00:00Z"), std::nullopt, "victim unreachable"}};
  const TimelineSettings settings = DefaultTimelineSettings();
  const RuleClock paused =
      ClockOf(settings, facts, At("2026-03-20T12:00:00Z"), RuleId::kAssessmentReferral);
  EXPECT_EQ(paused.state, ClockState::kPaused);
  EXPECT_EQ(paused.paused_millis, 16 * kDay + 12 * kHour);
  EXPECT_EQ(Iso(paused.due_at), "2026-03-27T00:00:00Z");  // moves with now, rounded to a day
  EXPECT_EQ(paused.days_left, 6);
  // Later, still paused: the days left stay put.
  EXPECT_EQ(
      ClockOf(settings, facts, At("2026-05-20T12:00:00Z"), RuleId::kAssessmentReferral).days_left,
      6);

  // Closed after two days: the deadline moves two days and the clock runs again.
  facts.pauses[0].end = At("2026-03-06T00:00:00Z");
  const RuleClock resumed =
      ClockOf(settings, facts, At("2026-03-11T10:00:00Z"), RuleId::kAssessmentReferral);
  EXPECT_EQ(resumed.state, ClockState::kRunning);
  EXPECT_EQ(Iso(resumed.due_at), "2026-03-12T00:00:00Z");
  EXPECT_EQ(resumed.days_left, 0);
  EXPECT_EQ(resumed.paused_millis, 2 * kDay);
}

TEST(CaseClockPauseTest, MultiplePausesAddUpAndOverlapsCountOnce) {
  CaseFacts facts = ReceivedMonday2March();
  facts.pauses = {
      {std::nullopt, At("2026-03-03T00:00:00Z"), At("2026-03-04T00:00:00Z"), "a"},
      {std::nullopt, At("2026-03-05T00:00:00Z"), At("2026-03-07T00:00:00Z"), "b"},
      {std::nullopt, At("2026-03-06T00:00:00Z"), At("2026-03-08T00:00:00Z"), "overlaps b"},
  };
  const RuleClock clock = ClockOf(DefaultTimelineSettings(), facts, At("2026-03-09T00:00:00Z"),
                                  RuleId::kAssessmentReferral);
  EXPECT_EQ(clock.paused_millis, 4 * kDay);
  EXPECT_EQ(Iso(clock.due_at), "2026-03-14T00:00:00Z");
  EXPECT_EQ(clock.state, ClockState::kRunning);
}

TEST(CaseClockPauseTest, APauseSpanningTheDueDatePushesIt) {
  CaseFacts facts = ReceivedMonday2March();
  facts.events.push_back({EventKind::kReferred, At("2026-03-16T12:00:00Z")});
  const TimelineSettings settings = DefaultTimelineSettings();
  const UnixMillis now = At("2026-03-20T00:00:00Z");
  EXPECT_EQ(ClockOf(settings, facts, now, RuleId::kAssessmentReferral).state, ClockState::kMetLate);

  facts.pauses = {
      {std::nullopt, At("2026-03-08T00:00:00Z"), At("2026-03-15T00:00:00Z"), "Member State"}};
  const RuleClock clock = ClockOf(settings, facts, now, RuleId::kAssessmentReferral);
  EXPECT_EQ(Iso(clock.due_at), "2026-03-17T00:00:00Z");
  EXPECT_EQ(clock.state, ClockState::kMetOnTime);
  EXPECT_EQ(Iso(clock.stopped_at), "2026-03-16T12:00:00Z");
  EXPECT_EQ(clock.days_left, std::nullopt);
}

TEST(CaseClockPauseTest, APauseBegunAfterTheDueDateDoesNotExcuseIt) {
  CaseFacts facts = ReceivedMonday2March();
  facts.pauses = {{std::nullopt, At("2026-03-11T00:00:00Z"), std::nullopt, "too late"}};
  const RuleClock clock = ClockOf(DefaultTimelineSettings(), facts, At("2026-03-12T12:00:00Z"),
                                  RuleId::kAssessmentReferral);
  EXPECT_EQ(clock.state, ClockState::kOverdue);
  EXPECT_EQ(Iso(clock.due_at), "2026-03-10T00:00:00Z");
  EXPECT_EQ(clock.days_left, -3);
  EXPECT_EQ(clock.paused_millis, 1 * kDay + 12 * kHour);
}

TEST(CaseClockPauseTest, PausesBeforeTheStartOrAfterTheStopDoNotCount) {
  CaseFacts facts = ReceivedMonday2March();
  facts.events.push_back({EventKind::kReferred, At("2026-03-05T00:00:00Z")});
  facts.pauses = {
      {std::nullopt, At("2026-02-20T00:00:00Z"), At("2026-03-03T09:00:00Z"), "partly before"},
      {std::nullopt, At("2026-03-06T00:00:00Z"), std::nullopt, "after the referral"},
  };
  const RuleClock clock = ClockOf(DefaultTimelineSettings(), facts, At("2026-03-20T00:00:00Z"),
                                  RuleId::kAssessmentReferral);
  EXPECT_EQ(clock.paused_millis, 1 * kDay);
  EXPECT_EQ(Iso(clock.due_at), "2026-03-11T00:00:00Z");
  EXPECT_EQ(clock.state, ClockState::kMetOnTime);
}

TEST(CaseClockPauseTest, ARulesOwnPauseLeavesTheOtherClocksRunning) {
  CaseFacts facts = ReceivedMonday2March();
  facts.pauses = {{RuleId::kAcknowledgement, At("2026-03-02T10:00:00Z"), std::nullopt,
                   "complainant gave no contact"}};
  auto clocks = ComputeClocks(DefaultTimelineSettings(), facts, At("2026-03-09T12:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  EXPECT_EQ(Find(*clocks, RuleId::kAcknowledgement)->state, ClockState::kPaused);
  EXPECT_EQ(Find(*clocks, RuleId::kAssessmentReferral)->state, ClockState::kRunning);
  EXPECT_EQ(Find(*clocks, RuleId::kAssessmentReferral)->paused_millis, 0);
}

TEST(CaseClockPauseTest, BusinessDayDeadlinesPushedOntoAWeekendMoveToMonday) {
  CaseFacts facts = ReceivedMonday2March();  // acknowledgement due end of Thu 5 March
  const TimelineSettings settings = DefaultTimelineSettings();
  const UnixMillis now = At("2026-03-04T12:00:00Z");
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAcknowledgement).due_at),
            "2026-03-06T00:00:00Z");
  facts.pauses = {{std::nullopt, At("2026-03-03T00:00:00Z"), At("2026-03-04T00:00:00Z"), "x"}};
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAcknowledgement).due_at),
            "2026-03-07T00:00:00Z");  // Friday
  facts.pauses[0].end = At("2026-03-04T06:00:00Z");
  EXPECT_EQ(Iso(ClockOf(settings, facts, now, RuleId::kAcknowledgement).due_at),
            "2026-03-10T00:00:00Z");  // Saturday -> end of Monday 9 March
}

TEST(CaseClockPauseTest, APauseNeedsAReason) {
  ClockPause pause{std::nullopt, At("2026-03-03T00:00:00Z"), std::nullopt, "  "};
  EXPECT_EQ(ValidatePause(pause).field(), "reason");
  pause.reason = "waiting for the Member State";
  EXPECT_TRUE(ValidatePause(pause).ok());
  pause.end = At("2026-03-02T00:00:00Z");
  EXPECT_EQ(ValidatePause(pause).field(), "end");

  CaseFacts facts = ReceivedMonday2March();
  facts.pauses = {{std::nullopt, At("2026-03-03T00:00:00Z"), At("2026-03-04T00:00:00Z"), "ok"},
                  {std::nullopt, At("2026-03-05T00:00:00Z"), std::nullopt, ""}};
  auto clocks = ComputeClocks(DefaultTimelineSettings(), facts, At("2026-03-06T00:00:00Z"));
  ASSERT_FALSE(clocks.ok());
  EXPECT_EQ(clocks.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(clocks.status().field(), "pauses[1].reason");
}

// ---------------------------------------------------------------------------------------------
// Which rules apply, and how they start and stop.

TEST(CaseClockRulesTest, UrgentCasesGetThreeMonthsOthersSix) {
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-30T10:00:00Z")},
                  {EventKind::kReferred, At("2026-01-31T10:00:00Z")}};
  const TimelineSettings settings = DefaultTimelineSettings();
  const UnixMillis now = At("2026-02-01T00:00:00Z");

  auto normal = ComputeClocks(settings, facts, now);
  ASSERT_TRUE(normal.ok());
  EXPECT_EQ(Find(*normal, RuleId::kInvestigationCompletionUrgent), nullptr);
  EXPECT_EQ(Iso(Find(*normal, RuleId::kInvestigationCompletion)->due_at), "2026-08-01T00:00:00Z");

  facts.urgent = true;
  auto urgent = ComputeClocks(settings, facts, now);
  ASSERT_TRUE(urgent.ok());
  EXPECT_EQ(Find(*urgent, RuleId::kInvestigationCompletion), nullptr);
  const RuleClock* clock = Find(*urgent, RuleId::kInvestigationCompletionUrgent);
  ASSERT_NE(clock, nullptr);
  EXPECT_EQ(Iso(clock->due_at), "2026-05-01T00:00:00Z");  // 31 January + 3 months = 30 April

  facts.events.push_back({EventKind::kReportReceived, At("2026-04-30T16:00:00Z")});
  EXPECT_EQ(
      ClockOf(settings, facts, At("2026-06-01T00:00:00Z"), RuleId::kInvestigationCompletionUrgent)
          .state,
      ClockState::kMetOnTime);
  facts.events.back().at = At("2026-05-01T08:00:00Z");
  EXPECT_EQ(
      ClockOf(settings, facts, At("2026-06-01T00:00:00Z"), RuleId::kInvestigationCompletionUrgent)
          .state,
      ClockState::kMetLate);
}

TEST(CaseClockRulesTest, MemberStateRulesOnlyForUniformedSubjects) {
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-05T10:00:00Z")},
                  {EventKind::kReferred, At("2026-01-06T10:00:00Z")}};
  const TimelineSettings settings = DefaultTimelineSettings();
  const UnixMillis now = At("2026-01-07T00:00:00Z");
  auto civilian = ComputeClocks(settings, facts, now);
  ASSERT_TRUE(civilian.ok());
  EXPECT_EQ(Find(*civilian, RuleId::kMemberStateNotification), nullptr);
  EXPECT_EQ(Find(*civilian, RuleId::kNioAppointment), nullptr);

  facts.uniformed_subjects = true;
  auto uniformed = ComputeClocks(settings, facts, now);
  ASSERT_TRUE(uniformed.ok());
  EXPECT_EQ(Find(*uniformed, RuleId::kMemberStateNotification)->state, ClockState::kRunning);
  // The NIO clock starts only once the Member State is notified.
  const RuleClock* nio = Find(*uniformed, RuleId::kNioAppointment);
  EXPECT_EQ(nio->state, ClockState::kNotStarted);
  EXPECT_EQ(nio->due_at, std::nullopt);
  EXPECT_EQ(nio->days_left, std::nullopt);

  // A Member State that declines to investigate stops the NIO clock too.
  facts.events.push_back({EventKind::kMemberStateNotified, At("2026-01-08T10:00:00Z")});
  facts.events.push_back({EventKind::kMemberStateDeclined, At("2026-01-20T10:00:00Z")});
  EXPECT_EQ(ClockOf(settings, facts, At("2026-02-01T00:00:00Z"), RuleId::kNioAppointment).state,
            ClockState::kMetOnTime);
}

TEST(CaseClockRulesTest, DisabledRulesAndFutureEventsAreLeftOut) {
  TimelineSettings settings = DefaultTimelineSettings();
  settings.rules[0].enabled = false;  // acknowledgement
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-05T10:00:00Z")},
                  {EventKind::kReferred, At("2026-01-09T10:00:00Z")}};
  auto clocks = ComputeClocks(settings, facts, At("2026-01-08T00:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  EXPECT_EQ(Find(*clocks, RuleId::kAcknowledgement), nullptr);
  EXPECT_EQ(Find(*clocks, RuleId::kAssessmentReferral)->state, ClockState::kRunning);
  EXPECT_EQ(Find(*clocks, RuleId::kInvestigationCompletion)->state, ClockState::kNotStarted);
}

TEST(CaseClockRulesTest, TheFirstStartAndTheFirstStopAfterItCount) {
  CaseFacts facts;
  // Out of order and repeated: the earliest start, then the earliest stop after it.
  facts.events = {{EventKind::kAcknowledged, At("2026-01-07T10:00:00Z")},
                  {EventKind::kCaseReceived, At("2026-01-05T10:00:00Z")},
                  {EventKind::kAcknowledged, At("2026-01-20T10:00:00Z")},
                  {EventKind::kCaseReceived, At("2026-01-10T10:00:00Z")}};
  const RuleClock clock = ClockOf(DefaultTimelineSettings(), facts, At("2026-02-01T00:00:00Z"),
                                  RuleId::kAcknowledgement);
  EXPECT_EQ(Iso(clock.started_at), "2026-01-05T10:00:00Z");
  EXPECT_EQ(Iso(clock.stopped_at), "2026-01-07T10:00:00Z");
  EXPECT_EQ(clock.state, ClockState::kMetOnTime);
}

// ---------------------------------------------------------------------------------------------
// The recurring victim-information rule.

TEST(CaseClockVictimInformationTest, ContactsMeetEachPeriod) {
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-01T08:00:00Z")},
                  {EventKind::kVictimContact, At("2026-01-20T10:00:00Z")},   // due end of 31 Jan
                  {EventKind::kVictimContact, At("2026-02-25T10:00:00Z")}};  // due end of 19 Feb
  const TimelineSettings settings = DefaultTimelineSettings();

  const RuleClock running =
      ClockOf(settings, facts, At("2026-03-10T12:00:00Z"), RuleId::kVictimInformation);
  EXPECT_TRUE(running.recurring);
  EXPECT_EQ(running.state, ClockState::kRunning);
  EXPECT_EQ(Iso(running.started_at), "2026-02-25T10:00:00Z");
  EXPECT_EQ(Iso(running.due_at), "2026-03-28T00:00:00Z");
  EXPECT_EQ(running.days_left, 17);
  EXPECT_EQ(Iso(running.last_met_at), "2026-02-25T10:00:00Z");
  EXPECT_EQ(running.periods_met, 1);
  EXPECT_EQ(running.periods_late, 1);

  const RuleClock overdue =
      ClockOf(settings, facts, At("2026-04-01T12:00:00Z"), RuleId::kVictimInformation);
  EXPECT_EQ(overdue.state, ClockState::kOverdue);
  EXPECT_EQ(overdue.days_left, -5);

  // Closed without another contact after the period lapsed: that period counts as late too.
  facts.events.push_back({EventKind::kClosed, At("2026-04-10T10:00:00Z")});
  const RuleClock closed =
      ClockOf(settings, facts, At("2026-05-01T00:00:00Z"), RuleId::kVictimInformation);
  EXPECT_EQ(closed.state, ClockState::kMetLate);
  EXPECT_EQ(closed.periods_late, 2);
  EXPECT_EQ(Iso(closed.stopped_at), "2026-04-10T10:00:00Z");
}

TEST(CaseClockVictimInformationTest, ContactsInTimeUntilClosureMeetTheRule) {
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-01T08:00:00Z")},
                  {EventKind::kVictimContact, At("2026-01-30T10:00:00Z")},
                  {EventKind::kVictimContact, At("2026-02-27T10:00:00Z")},
                  {EventKind::kClosed, At("2026-03-10T10:00:00Z")},
                  {EventKind::kVictimContact, At("2026-06-01T10:00:00Z")}};  // after closure
  const RuleClock clock = ClockOf(DefaultTimelineSettings(), facts, At("2026-07-01T00:00:00Z"),
                                  RuleId::kVictimInformation);
  EXPECT_EQ(clock.state, ClockState::kMetOnTime);
  EXPECT_EQ(clock.periods_met, 2);
  EXPECT_EQ(clock.periods_late, 0);
  EXPECT_EQ(Iso(clock.last_met_at), "2026-02-27T10:00:00Z");
}

TEST(CaseClockVictimInformationTest, TheIntervalIsConfigurableAndPausesPushThePeriod) {
  TimelineSettings settings = DefaultTimelineSettings();
  settings.rules.back().amount = 14;
  settings.rules.back().repeat_every = 7;
  CaseFacts facts;
  facts.events = {{EventKind::kCaseReceived, At("2026-01-01T08:00:00Z")},
                  {EventKind::kVictimContact, At("2026-01-10T10:00:00Z")}};
  facts.pauses = {{RuleId::kVictimInformation, At("2026-01-12T00:00:00Z"),
                   At("2026-01-15T00:00:00Z"), "victim relocated, VRA tracing"}};
  const RuleClock clock =
      ClockOf(settings, facts, At("2026-01-16T00:00:00Z"), RuleId::kVictimInformation);
  EXPECT_EQ(Iso(clock.due_at), "2026-01-21T00:00:00Z");  // end of 17 Jan + 3 days paused
  EXPECT_EQ(clock.paused_millis, 3 * kDay);
  EXPECT_EQ(clock.periods_met, 1);
}

// ---------------------------------------------------------------------------------------------
// The due and overdue view.

RuleClock OpenClock(RuleId rule, ClockState state, const char* due_at) {
  RuleClock clock;
  clock.rule = rule;
  clock.state = state;
  clock.due_at = At(due_at);
  return clock;
}

TEST(CaseClockDueListTest, ListsLateThenSoonestWithTheirAssignees) {
  const std::vector<CaseClocks> cases = {
      {"c1",
       "MINUSCA-2026-0001",
       {"officer-a"},
       {OpenClock(RuleId::kAcknowledgement, ClockState::kOverdue, "2026-03-05T00:00:00Z"),
        OpenClock(RuleId::kInvestigationCompletion, ClockState::kRunning,
                  "2026-09-01T00:00:00Z"),  // far off
        OpenClock(RuleId::kVictimInformation, ClockState::kRunning, "2026-03-12T00:00:00Z")}},
      {"c2",
       "MINUSCA-2026-0002",
       {"officer-b", "officer-a"},
       {OpenClock(RuleId::kAssessmentReferral, ClockState::kOverdue, "2026-03-01T00:00:00Z"),
        OpenClock(RuleId::kReportReview, ClockState::kPaused, "2026-03-11T00:00:00Z")}},
      {"c3",
       "MINUSCA-2026-0003",
       {"officer-b"},
       {OpenClock(RuleId::kAcknowledgement, ClockState::kRunning, "2026-03-11T00:00:00Z"),
        OpenClock(RuleId::kAssessmentReferral, ClockState::kRunning, "2026-03-11T00:00:00Z"),
        OpenClock(RuleId::kReportReview, ClockState::kMetLate, "2026-03-01T00:00:00Z")}},
  };
  const UnixMillis now = At("2026-03-10T12:00:00Z");
  const std::vector<DueItem> items = ListDueAndOverdue(cases, now, 2, 0);
  std::vector<std::string> order;
  for (const DueItem& item : items) {
    order.push_back(item.reference + " " + std::string(RuleIdName(item.rule)) + " " +
                    std::string(ClockStateName(item.state)) + " " + std::to_string(item.days_left));
  }
  EXPECT_THAT(order, testing::ElementsAre("MINUSCA-2026-0002 assessment_referral overdue -10",
                                          "MINUSCA-2026-0001 acknowledgement overdue -6",
                                          "MINUSCA-2026-0003 acknowledgement running 0",
                                          "MINUSCA-2026-0003 assessment_referral running 0",
                                          "MINUSCA-2026-0001 victim_information running 1"));
  EXPECT_THAT(items[0].assignee_ids, testing::ElementsAre("officer-b", "officer-a"));

  // Today only, and one officer's share.
  EXPECT_EQ(ListDueAndOverdue(cases, now, 0, 0).size(), 4u);
  const auto mine = ListDueAndOverdue(cases, now, 2, 0, "officer-a");
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(mine[0].case_id, "c2");
  // A running clock whose deadline passed since it was computed is listed as overdue.
  const auto later = ListDueAndOverdue(cases, At("2026-03-11T00:00:00Z"), 0, 0, "officer-b");
  ASSERT_EQ(later.size(), 3u);
  EXPECT_EQ(later[1].state, ClockState::kOverdue);
  EXPECT_EQ(later[1].days_left, -1);

  // Pages: the same order cut in windows, with the totals of the whole view.
  std::vector<std::string> paged;
  for (std::int64_t offset = 0; offset < 6; offset += 2) {
    const DuePage page = PageDueAndOverdue(cases, now, 2, 0, offset, 2);
    EXPECT_EQ(page.total, 5);
    EXPECT_EQ(page.overdue, 2);
    EXPECT_LE(page.items.size(), 2u);
    for (const DueItem& item : page.items) {
      paged.push_back(item.reference + " " + std::string(RuleIdName(item.rule)) + " " +
                      std::string(ClockStateName(item.state)) + " " +
                      std::to_string(item.days_left));
    }
  }
  EXPECT_EQ(paged, order);
  EXPECT_TRUE(PageDueAndOverdue(cases, now, 2, 0, 5, 50).items.empty());
  EXPECT_TRUE(PageDueAndOverdue(cases, now, 2, 0, 0, 0).items.empty());
  EXPECT_EQ(PageDueAndOverdue(cases, now, 2, 0, 99, 1).total, 5);
}

TEST(CaseClockDueListTest, WorksOnComputedClocksAndSerialises) {
  CaseFacts facts = ReceivedMonday2March();
  auto clocks = ComputeClocks(DefaultTimelineSettings(), facts, At("2026-03-09T12:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  const std::vector<CaseClocks> cases = {{"c9", "MINUSCA-2026-0009", {"u1"}, *clocks}};
  const auto items = ListDueAndOverdue(cases, At("2026-03-09T12:00:00Z"), 0, 0);
  ASSERT_EQ(items.size(), 2u);  // acknowledgement overdue (end of 5 March), assessment today
  EXPECT_EQ(boost::json::serialize(DueItemJson(items[1])),
            R"({"case_id":"c9","reference":"MINUSCA-2026-0009","rule":"assessment_referral",)"
            R"("state":"running","due_at":"2026-03-10T00:00:00Z","days_left":0,)"
            R"("assignee_ids":["u1"]})");
  const boost::json::object clock_json = RuleClockJson(*Find(*clocks, RuleId::kAcknowledgement));
  EXPECT_EQ(boost::json::serialize(clock_json),
            R"({"rule":"acknowledgement","state":"overdue","started_at":"2026-03-02T09:00:00Z",)"
            R"("due_at":"2026-03-06T00:00:00Z","stopped_at":null,"paused_seconds":0,)"
            R"("days_left":-4,"recurring":false,"last_met_at":null,"periods_met":0,)"
            R"("periods_late":0})");
}

// ---------------------------------------------------------------------------------------------
// The rule table as JSON.

TEST(CaseClockJsonTest, RoundTripsTheDefaultsAndAnEditedTable) {
  TimelineSettings settings = DefaultTimelineSettings();
  settings.utc_offset_minutes = 60;
  settings.holidays = {D(2026, 12, 1), D(2027, 1, 1)};
  settings.rules[1].amount = 10;
  settings.rules[1].unit = DurationUnit::kBusinessDays;
  settings.rules[2].enabled = false;
  const boost::json::object json = TimelineSettingsJson(settings);
  EXPECT_EQ(json.at("holidays").as_array().at(0).as_string(), "2026-12-01");
  EXPECT_EQ(json.at("rules").as_array().at(7).as_object().at("id").as_string(),
            "victim_information");
  auto parsed = ParseTimelineSettings(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(boost::json::serialize(TimelineSettingsJson(*parsed)), boost::json::serialize(json));

  // Rules in any order come back in rule order; holidays sorted and once each.
  boost::json::object shuffled = json;
  auto& rules = shuffled["rules"].as_array();
  std::swap(rules[0], rules[7]);
  shuffled["holidays"] = boost::json::array{"2027-01-01", "2026-12-01", "2027-01-01"};
  auto reparsed = ParseTimelineSettings(shuffled);
  ASSERT_TRUE(reparsed.ok()) << reparsed.status().ToString();
  EXPECT_EQ(boost::json::serialize(TimelineSettingsJson(*reparsed)), boost::json::serialize(json));

  // Optional fields default.
  boost::json::object minimal = json;
  for (auto& rule : minimal["rules"].as_array()) {
    auto& object = rule.as_object();
    object.erase("source");
    object.erase("enabled");
    if (object.at("repeat_every").as_int64() == 0) {
      object.erase("repeat_every");
      object.erase("met_by");
    }
  }
  minimal.erase("holidays");
  minimal.erase("utc_offset_minutes");
  auto defaulted = ParseTimelineSettings(minimal);
  ASSERT_TRUE(defaulted.ok()) << defaulted.status().ToString();
  EXPECT_TRUE(defaulted->rules[2].enabled);
  EXPECT_EQ(defaulted->rules[0].source, "");
  EXPECT_EQ(defaulted->utc_offset_minutes, 0);
}

TEST(CaseClockJsonTest, RefusesBadTablesNamingTheField) {
  struct Row {
    const char* name;
    std::function<void(boost::json::object&)> edit;
    ErrorCode code;
    const char* field;
  };
  auto rule = [](boost::json::object& table, std::size_t index) -> boost::json::object& {
    return table["rules"].as_array()[index].as_object();
  };
  const ErrorCode kBad = ErrorCode::kInvalidArgument;
  const std::vector<Row> rows = {
      {"unknown rule id", [&](auto& t) { rule(t, 0)["id"] = "coffee_break"; }, kBad, "rules[0].id"},
      {"negative duration", [&](auto& t) { rule(t, 2)["amount"] = -5; }, kBad, "rules[2].amount"},
      {"zero duration", [&](auto& t) { rule(t, 2)["amount"] = 0; }, kBad, "rules[2].amount"},
      {"fractional duration", [&](auto& t) { rule(t, 2)["amount"] = 2.5; }, kBad,
       "rules[2].amount"},
      {"huge duration", [&](auto& t) { rule(t, 2)["amount"] = 18446744073709551615ull; }, kBad,
       "rules[2].amount"},
      {"too many months", [&](auto& t) { rule(t, 4)["amount"] = 121; }, kBad, "rules[4].amount"},
      {"duration as text", [&](auto& t) { rule(t, 2)["amount"] = "5"; }, kBad, "rules[2].amount"},
      {"unknown unit", [&](auto& t) { rule(t, 1)["unit"] = "fortnights"; }, kBad, "rules[1].unit"},
      {"unknown start", [&](auto& t) { rule(t, 3)["start"] = "lunch"; }, kBad, "rules[3].start"},
      {"unknown stop",
       [&](auto& t) {
         rule(t, 0)["stop"] = {"acknowledged", "nope"};
       },
       kBad, "rules[0].stop[1]"},
      {"no stop", [&](auto& t) { rule(t, 0)["stop"] = boost::json::array{}; }, kBad,
       "rules[0].stop"},
      {"stop is the start", [&](auto& t) { rule(t, 0)["stop"] = {"case_received"}; }, kBad,
       "rules[0].stop"},
      {"unknown applies_to", [&](auto& t) { rule(t, 5)["applies_to"] = "civilians"; }, kBad,
       "rules[5].applies_to"},
      {"missing amount", [&](auto& t) { rule(t, 6).erase("amount"); }, kBad, "rules[6].amount"},
      {"enabled not a bool", [&](auto& t) { rule(t, 6)["enabled"] = "yes"; }, kBad,
       "rules[6].enabled"},
      {"met_by on a one-off rule", [&](auto& t) { rule(t, 0)["met_by"] = {"victim_contact"}; },
       kBad, "rules[0].met_by"},
      {"recurring without met_by", [&](auto& t) { rule(t, 7)["met_by"] = boost::json::array{}; },
       kBad, "rules[7].met_by"},
      {"negative repeat", [&](auto& t) { rule(t, 7)["repeat_every"] = -30; }, kBad,
       "rules[7].repeat_every"},
      {"source too long", [&](auto& t) { rule(t, 7)["source"] = std::string(501, 'x'); }, kBad,
       "rules[7].source"},
      {"unknown rule field", [&](auto& t) { rule(t, 1)["banana"] = 1; }, ErrorCode::kUnknownField,
       "rules[1].banana"},
      {"unknown top field", [&](auto& t) { t["timezone"] = "Africa/Bangui"; },
       ErrorCode::kUnknownField, "timezone"},
      {"rule not an object", [&](auto& t) { t["rules"].as_array()[3] = 7; }, kBad, "rules[3]"},
      {"duplicate rule", [&](auto& t) { rule(t, 1)["id"] = "acknowledgement"; }, kBad,
       "rules[1].id"},
      {"missing rule", [&](auto& t) { t["rules"].as_array().pop_back(); }, kBad, "rules"},
      {"no rules", [&](auto& t) { t.erase("rules"); }, kBad, "rules"},
      {"bad holiday",
       [&](auto& t) {
         t["holidays"] = {"2026-12-01", "2026-02-30"};
       },
       kBad, "holidays[1]"},
      {"holiday with a time", [&](auto& t) { t["holidays"] = {"2026-12-01T00:00:00Z"}; }, kBad,
       "holidays[0]"},
      {"offset out of range", [&](auto& t) { t["utc_offset_minutes"] = 900; }, kBad,
       "utc_offset_minutes"},
  };
  for (const Row& row : rows) {
    boost::json::object table = TimelineSettingsJson(DefaultTimelineSettings());
    row.edit(table);
    auto parsed = ParseTimelineSettings(table);
    ASSERT_FALSE(parsed.ok()) << row.name;
    EXPECT_EQ(parsed.status().code(), row.code) << row.name;
    EXPECT_EQ(parsed.status().field(), row.field) << row.name << ": " << parsed.status().message();
  }
  EXPECT_FALSE(ParseTimelineSettings(boost::json::value("rules")).ok());
}

TEST(CaseClockJsonTest, ValidatesTablesBuiltInCode) {
  TimelineSettings settings = DefaultTimelineSettings();
  settings.rules[3].amount = -1;
  EXPECT_EQ(ValidateTimelineSettings(settings).field(), "rules[3].amount");
  settings = DefaultTimelineSettings();
  settings.holidays = {Date{year(2026), month(2), day(30)}};
  EXPECT_EQ(ValidateTimelineSettings(settings).field(), "holidays[0]");
}

}  // namespace
}  // namespace psea::cases
