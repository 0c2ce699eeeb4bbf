// The timelines of an allegation case: a rule table (editable by the CDT chief) says which
// event starts each clock, which events stop it, how long it runs and to which cases it
// applies; ComputeClocks turns a case's dated events and pauses into one clock per rule, and
// ListDueAndOverdue gathers what is late or due soon across many cases.
//
// Pure computation: no database, no HTTP, no clock of its own (`now` is passed in). Every
// function is thread-safe and allocates only its answer. docs/case-timelines.md documents the
// defaults and their sources.
//
// Days. A deadline is a whole day of the mission's calendar: a clock started on day D with
// "N calendar days" is due at the end of day D+N in mission time (utc_offset_minutes), with
// "N business days" at the end of the Nth Monday-to-Friday non-holiday after D, with "N months"
// at the end of the same day N months later, clamped to the month's last day (31 January + 1
// month = 28 or 29 February). `due_at` is that end: the first millisecond of the next day.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::cases {

// ---------------------------------------------------------------------------------------------
// Vocabularies. Each has a wire name ("nio_appointment"); Parse* answer nullopt for an unknown
// name.

enum class RuleId {
  kAcknowledgement,
  kAssessmentReferral,
  kMemberStateNotification,
  kNioAppointment,
  kInvestigationCompletion,
  kInvestigationCompletionUrgent,
  kReportReview,
  kVictimInformation,
};
inline constexpr RuleId kAllRuleIds[] = {
    RuleId::kAcknowledgement,
    RuleId::kAssessmentReferral,
    RuleId::kMemberStateNotification,
    RuleId::kNioAppointment,
    RuleId::kInvestigationCompletion,
    RuleId::kInvestigationCompletionUrgent,
    RuleId::kReportReview,
    RuleId::kVictimInformation,
};

// What happened to a case, as the clocks see it. The cases module maps its transitions and
// records onto these (e.g. the move to "referred for investigation" is kReferred).
enum class EventKind {
  kCaseReceived,         // the case was opened (date reported)
  kAcknowledged,         // receipt acknowledged to the complainant
  kReferred,             // referred for investigation
  kMemberStateNotified,  // note verbale sent to the Member State (uniformed subjects)
  kMemberStateDeclined,  // the Member State answered it will not investigate
  kNioAppointed,         // national investigation officer appointed
  kReportReceived,       // investigation report received
  kReviewCompleted,      // the CDT finished reviewing the report
  kClosed,               // closed, whatever the outcome
  kVictimContact,        // the victim was informed of progress (logged contact)
};
inline constexpr EventKind kAllEventKinds[] = {
    EventKind::kCaseReceived,        EventKind::kAcknowledged,        EventKind::kReferred,
    EventKind::kMemberStateNotified, EventKind::kMemberStateDeclined, EventKind::kNioAppointed,
    EventKind::kReportReceived,      EventKind::kReviewCompleted,     EventKind::kClosed,
    EventKind::kVictimContact,
};

enum class DurationUnit { kCalendarDays, kBusinessDays, kMonths };

// Which cases a rule applies to.
enum class AppliesTo { kAll, kUrgent, kNotUrgent, kUniformed };

enum class ClockState {
  kNotStarted,  // the start event has not happened
  kRunning,
  kPaused,     // an open pause that began before the due date
  kMetOnTime,  // stopped at or before due_at (recurring: every period met in time)
  kMetLate,    // stopped after due_at (recurring: at least one period late)
  kOverdue,    // still running past due_at (a pause opened after due_at does not excuse it)
};

std::string_view RuleIdName(RuleId id);
std::optional<RuleId> ParseRuleId(std::string_view name);
std::string_view EventKindName(EventKind kind);
std::optional<EventKind> ParseEventKind(std::string_view name);
std::string_view DurationUnitName(DurationUnit unit);
std::optional<DurationUnit> ParseDurationUnit(std::string_view name);
std::string_view AppliesToName(AppliesTo applies_to);
std::optional<AppliesTo> ParseAppliesTo(std::string_view name);
std::string_view ClockStateName(ClockState state);

// ---------------------------------------------------------------------------------------------
// The rule table.

struct TimelineRule {
  RuleId id = RuleId::kAcknowledgement;
  bool enabled = true;
  EventKind start = EventKind::kCaseReceived;  // first occurrence starts the clock
  std::vector<EventKind> stop;                 // first occurrence after the start stops it
  int amount = 1;                              // of `unit`, >= 1
  DurationUnit unit = DurationUnit::kCalendarDays;
  AppliesTo applies_to = AppliesTo::kAll;
  // Recurring rules only (repeat_every > 0, same unit as amount): each `met_by` event meets the
  // current period and starts the next one, due repeat_every later; `stop` ends the clock.
  int repeat_every = 0;
  std::vector<EventKind> met_by;
  std::string source;  // where the default comes from, shown beside the rule
};

struct TimelineSettings {
  // Mission time = UTC + this (MINUSCA, Bangui: +60). Day boundaries are taken here.
  int utc_offset_minutes = 0;
  // Non-business days besides Saturdays and Sundays, in mission time. Sorted and unique
  // (ValidateTimelineSettings refuses others; ParseTimelineSettings sorts them).
  std::vector<std::chrono::year_month_day> holidays;
  // Exactly one rule per RuleId, in any order (ParseTimelineSettings answers kAllRuleIds order).
  std::vector<TimelineRule> rules;
};

// The documented defaults (docs/case-timelines.md), UTC offset 0 and no holidays.
TimelineSettings DefaultTimelineSettings();

// {"utc_offset_minutes": 60, "holidays": ["2026-12-01", ...], "rules": [{"id", "enabled",
// "start", "stop": [...], "amount", "unit", "applies_to", "repeat_every", "met_by": [...],
// "source"}, ...]}. Rules come out in kAllRuleIds order.
boost::json::object TimelineSettingsJson(const TimelineSettings& settings);

// The inverse, strict: kInvalidArgument whose field names the culprit ("rules[2].unit",
// "rules[0].id", "holidays[1]", "rules[4].stop[0]"; kUnknownField "rules[1].banana")
// when a value is unknown, of the wrong type or out of range (amount 1..3660 days or
// 1..120 months; utc_offset_minutes -720..840), a rule id repeats ("rules[i].id") or is
// missing ("rules"), `stop` is empty or holds the start event, or `met_by` is set on a
// non-recurring rule (or missing on a recurring one). Holidays are sorted and deduplicated.
// `enabled` (true), `repeat_every` (0), `met_by` ([]), `source` (empty, at most 500
// characters), `utc_offset_minutes` (0) and `holidays` ([]) may be omitted.
Result<TimelineSettings> ParseTimelineSettings(const boost::json::value& value);
// The same checks on a table built in code (the service calls it before storing one).
Status ValidateTimelineSettings(const TimelineSettings& settings);

// ---------------------------------------------------------------------------------------------
// A case's facts and its clocks.

struct ClockEvent {
  EventKind kind = EventKind::kCaseReceived;
  UnixMillis at = 0;
};

// A stretch during which clocks do not run. `end` nullopt = still paused. `rule` nullopt = all
// the case's clocks. A pause needs a reason (the issue: "clocks may be paused only with a
// recorded reason").
struct ClockPause {
  std::optional<RuleId> rule;
  UnixMillis start = 0;
  std::optional<UnixMillis> end;
  std::string reason;
};

struct CaseFacts {
  std::vector<ClockEvent> events;  // any order; repeats allowed
  std::vector<ClockPause> pauses;
  bool urgent = false;
  bool uniformed_subjects = false;  // at least one military or police subject
};

// kInvalidArgument "reason" when the reason is blank, "end" when it ends before it starts.
Status ValidatePause(const ClockPause& pause);

struct RuleClock {
  RuleId rule = RuleId::kAcknowledgement;
  ClockState state = ClockState::kNotStarted;
  std::optional<UnixMillis> started_at;  // the start event (recurring: of the current period)
  // The deadline, pushed by the pauses that began before it. While a pause is open it moves
  // with `now`, so days_left stays what it was when the pause began.
  std::optional<UnixMillis> due_at;
  std::optional<UnixMillis> stopped_at;  // the stop event (met or ended)
  std::int64_t paused_millis = 0;        // pause time inside the clock's (current period's) run
  // Open clocks (running, paused, overdue): whole mission days from today to the due day;
  // 0 = due today, negative = days overdue.
  std::optional<int> days_left;
  // Recurring rules (repeat_every > 0): the last event that met a period, and how many
  // periods were met in time or late so far.
  bool recurring = false;
  std::optional<UnixMillis> last_met_at;
  int periods_met = 0;
  int periods_late = 0;  // met late, or missed by the time the clock stopped
};

// One clock per enabled rule that applies to the case (urgency, uniformed subjects), in
// kAllRuleIds order, as of `now`. Events after `now` are ignored. kInvalidArgument naming
// "pauses[i].reason" or "pauses[i].end" when a pause is invalid; settings are assumed valid.
Result<std::vector<RuleClock>> ComputeClocks(const TimelineSettings& settings,
                                             const CaseFacts& facts, UnixMillis now);

// {"rule", "state", "started_at", "due_at", "stopped_at" (ISO 8601 or null), "paused_seconds",
// "days_left" (or null), "recurring", "last_met_at" (or null), "periods_met", "periods_late"}.
boost::json::object RuleClockJson(const RuleClock& clock);

// ---------------------------------------------------------------------------------------------
// The "due and overdue" view.

struct CaseClocks {
  std::string case_id;
  std::string reference;                  // "MINUSCA-2026-0042", shown as is
  std::vector<std::string> assignee_ids;  // the officers assigned: who is late
  std::vector<RuleClock> clocks;
};

struct DueItem {
  std::string case_id;
  std::string reference;
  RuleId rule = RuleId::kAcknowledgement;
  ClockState state = ClockState::kRunning;  // kOverdue or kRunning
  UnixMillis due_at = 0;
  int days_left = 0;  // negative = overdue
  std::vector<std::string> assignee_ids;
};

// Every overdue clock and every running clock due within `within_days` mission days of `now`
// (0 = due today), most overdue first: by due_at, then reference, then rule order. Paused,
// met and not-started clocks are left out. With `assignee_id`, only cases assigned to them.
std::vector<DueItem> ListDueAndOverdue(std::span<const CaseClocks> cases, UnixMillis now,
                                       int within_days, int utc_offset_minutes,
                                       std::optional<std::string_view> assignee_id = {});

// One page of ListDueAndOverdue's answer in the same order (which is total, so pages never
// overlap or skip): the items from `offset` (0 or more), at most `limit` (0 or more) of them,
// with how many items there are in all and how many of those are overdue (they come first).
// Only the page's items are built.
struct DuePage {
  std::vector<DueItem> items;
  std::int64_t total = 0;
  std::int64_t overdue = 0;
};
DuePage PageDueAndOverdue(std::span<const CaseClocks> cases, UnixMillis now, int within_days,
                          int utc_offset_minutes, std::int64_t offset, std::int64_t limit,
                          std::optional<std::string_view> assignee_id = {});

boost::json::object DueItemJson(const DueItem& item);

// ---------------------------------------------------------------------------------------------
// Calendar helpers, exposed for the tests and for the case page's explanations.

using Date = std::chrono::year_month_day;

// The mission-time date of an instant.
Date MissionDate(UnixMillis time, int utc_offset_minutes);
// The first millisecond (UTC) of the mission-time day after `date`: a deadline on `date`.
UnixMillis EndOfMissionDay(Date date, int utc_offset_minutes);
bool IsBusinessDay(Date date, std::span<const Date> sorted_holidays);
// The `count`th business day after `date` (count >= 1; `date` itself is not counted).
Date AddBusinessDays(Date date, int count, std::span<const Date> sorted_holidays);
// Same day `count` months later, clamped to the month's last day.
Date AddMonths(Date date, int count);

}  // namespace psea::cases
