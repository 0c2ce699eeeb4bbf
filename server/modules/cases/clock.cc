#include "modules/cases/clock.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <utility>

namespace psea::cases {

namespace json = boost::json;
using std::chrono::days;
using std::chrono::sys_days;

namespace {

constexpr UnixMillis kMillisPerMinute = 60'000;
constexpr UnixMillis kMillisPerDay = 86'400'000;

template <typename Enum>
struct Named {
  Enum value;
  std::string_view name;
};

constexpr std::array<Named<RuleId>, 8> kRuleNames{{
    {RuleId::kAcknowledgement, "acknowledgement"},
    {RuleId::kAssessmentReferral, "assessment_referral"},
    {RuleId::kMemberStateNotification, "member_state_notification"},
    {RuleId::kNioAppointment, "nio_appointment"},
    {RuleId::kInvestigationCompletion, "investigation_completion"},
    {RuleId::kInvestigationCompletionUrgent, "investigation_completion_urgent"},
    {RuleId::kReportReview, "report_review"},
    {RuleId::kVictimInformation, "victim_information"},
}};

constexpr std::array<Named<EventKind>, 10> kEventNames{{
    {EventKind::kCaseReceived, "case_received"},
    {EventKind::kAcknowledged, "acknowledged"},
    {EventKind::kReferred, "referred"},
    {EventKind::kMemberStateNotified, "member_state_notified"},
    {EventKind::kMemberStateDeclined, "member_state_declined"},
    {EventKind::kNioAppointed, "nio_appointed"},
    {EventKind::kReportReceived, "report_received"},
    {EventKind::kReviewCompleted, "review_completed"},
    {EventKind::kClosed, "closed"},
    {EventKind::kVictimContact, "victim_contact"},
}};

constexpr std::array<Named<DurationUnit>, 3> kUnitNames{{
    {DurationUnit::kCalendarDays, "calendar_days"},
    {DurationUnit::kBusinessDays, "business_days"},
    {DurationUnit::kMonths, "months"},
}};

constexpr std::array<Named<AppliesTo>, 4> kAppliesToNames{{
    {AppliesTo::kAll, "all"},
    {AppliesTo::kUrgent, "urgent"},
    {AppliesTo::kNotUrgent, "not_urgent"},
    {AppliesTo::kUniformed, "uniformed"},
}};

constexpr std::array<Named<ClockState>, 6> kStateNames{{
    {ClockState::kNotStarted, "not_started"},
    {ClockState::kRunning, "running"},
    {ClockState::kPaused, "paused"},
    {ClockState::kMetOnTime, "met_on_time"},
    {ClockState::kMetLate, "met_late"},
    {ClockState::kOverdue, "overdue"},
}};

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<Named<Enum>, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<Named<Enum>, N>& table, std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

// Limits of a duration: ten years, in either unit.
constexpr int kMaxDays = 3660;
constexpr int kMaxMonths = 120;
constexpr std::size_t kMaxSourceChars = 500;
constexpr int kMinUtcOffset = -12 * 60;
constexpr int kMaxUtcOffset = 14 * 60;

int MaxAmount(DurationUnit unit) { return unit == DurationUnit::kMonths ? kMaxMonths : kMaxDays; }

std::string FormatDate(Date date) {
  return FormatIso8601(sys_days(date).time_since_epoch().count() * kMillisPerDay).substr(0, 10);
}

json::value TimeOrNull(const std::optional<UnixMillis>& time) {
  if (!time) return nullptr;
  return json::value(FormatIso8601(*time));
}

json::array EventKindArray(const std::vector<EventKind>& kinds) {
  json::array out;
  for (EventKind kind : kinds) out.emplace_back(EventKindName(kind));
  return out;
}

bool Contains(const std::vector<EventKind>& kinds, EventKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

}  // namespace

std::string_view RuleIdName(RuleId id) { return NameOf(kRuleNames, id); }
std::optional<RuleId> ParseRuleId(std::string_view name) { return ValueOf(kRuleNames, name); }
std::string_view EventKindName(EventKind kind) { return NameOf(kEventNames, kind); }
std::optional<EventKind> ParseEventKind(std::string_view name) {
  return ValueOf(kEventNames, name);
}
std::string_view DurationUnitName(DurationUnit unit) { return NameOf(kUnitNames, unit); }
std::optional<DurationUnit> ParseDurationUnit(std::string_view name) {
  return ValueOf(kUnitNames, name);
}
std::string_view AppliesToName(AppliesTo applies_to) { return NameOf(kAppliesToNames, applies_to); }
std::optional<AppliesTo> ParseAppliesTo(std::string_view name) {
  return ValueOf(kAppliesToNames, name);
}
std::string_view ClockStateName(ClockState state) { return NameOf(kStateNames, state); }

// ---------------------------------------------------------------------------------------------
// Calendar.

Date MissionDate(UnixMillis time, int utc_offset_minutes) {
  const UnixMillis local = time + utc_offset_minutes * kMillisPerMinute;
  // Floor division: instants before 1970 belong to the day that contains them.
  UnixMillis day = local / kMillisPerDay;
  if (local % kMillisPerDay < 0) --day;
  return Date{sys_days(days(day))};
}

UnixMillis EndOfMissionDay(Date date, int utc_offset_minutes) {
  const UnixMillis next_day = (sys_days(date) + days(1)).time_since_epoch().count();
  return next_day * kMillisPerDay - utc_offset_minutes * kMillisPerMinute;
}

bool IsBusinessDay(Date date, std::span<const Date> sorted_holidays) {
  const std::chrono::weekday weekday{sys_days(date)};
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) return false;
  return !std::binary_search(sorted_holidays.begin(), sorted_holidays.end(), date);
}

Date AddBusinessDays(Date date, int count, std::span<const Date> sorted_holidays) {
  sys_days day{date};
  while (count > 0) {
    day += days(1);
    if (IsBusinessDay(Date{day}, sorted_holidays)) --count;
  }
  return Date{day};
}

Date AddMonths(Date date, int count) {
  const Date moved = date + std::chrono::months(count);
  if (moved.ok()) return moved;
  return Date{
      std::chrono::year_month_day_last(moved.year(), std::chrono::month_day_last(moved.month()))};
}

// ---------------------------------------------------------------------------------------------
// Defaults.

namespace {

constexpr std::string_view kMissionDefault = "mission default, configurable";

TimelineRule MakeRule(RuleId id, EventKind start, std::vector<EventKind> stop, int amount,
                      DurationUnit unit, AppliesTo applies_to, std::string source) {
  TimelineRule rule;
  rule.id = id;
  rule.start = start;
  rule.stop = std::move(stop);
  rule.amount = amount;
  rule.unit = unit;
  rule.applies_to = applies_to;
  rule.source = std::move(source);
  return rule;
}

}  // namespace

TimelineSettings DefaultTimelineSettings() {
  using E = EventKind;
  using U = DurationUnit;
  TimelineSettings settings;
  const std::string mission_default(kMissionDefault);
  const std::string investigation_source =
      "Secretary-General, 2016: 6 months; 3 months for urgent cases";
  const std::string member_state_source =
      "UN guidance sets this deadline but the day count was not confirmed: " + mission_default;
  settings.rules.push_back(MakeRule(RuleId::kAcknowledgement, E::kCaseReceived,
                                    {E::kAcknowledged, E::kClosed}, 3, U::kBusinessDays,
                                    AppliesTo::kAll, mission_default));
  settings.rules.push_back(MakeRule(
      RuleId::kAssessmentReferral, E::kCaseReceived, {E::kReferred, E::kClosed}, 7,
      U::kCalendarDays, AppliesTo::kAll,
      mission_default + " (IASC PSEA dashboards count the time to start an investigation in "
                        "bands: within 7 days, more than 14 days)"));
  settings.rules.push_back(MakeRule(RuleId::kMemberStateNotification, E::kReferred,
                                    {E::kMemberStateNotified, E::kClosed}, 5, U::kBusinessDays,
                                    AppliesTo::kUniformed, member_state_source));
  settings.rules.push_back(MakeRule(RuleId::kNioAppointment, E::kMemberStateNotified,
                                    {E::kNioAppointed, E::kMemberStateDeclined, E::kClosed}, 10,
                                    U::kBusinessDays, AppliesTo::kUniformed, member_state_source));
  settings.rules.push_back(MakeRule(RuleId::kInvestigationCompletion, E::kReferred,
                                    {E::kReportReceived, E::kClosed}, 6, U::kMonths,
                                    AppliesTo::kNotUrgent, investigation_source));
  settings.rules.push_back(MakeRule(RuleId::kInvestigationCompletionUrgent, E::kReferred,
                                    {E::kReportReceived, E::kClosed}, 3, U::kMonths,
                                    AppliesTo::kUrgent, investigation_source));
  settings.rules.push_back(MakeRule(
      RuleId::kReportReview, E::kReportReceived, {E::kReviewCompleted, E::kClosed}, 30,
      U::kCalendarDays, AppliesTo::kAll,
      mission_default + " (the action plan asks for reports reviewed \"in a timely manner\")"));
  TimelineRule victim = MakeRule(
      RuleId::kVictimInformation, E::kCaseReceived, {E::kClosed}, 30, U::kCalendarDays,
      AppliesTo::kAll,
      "issue 12 default, every 30 days; the victim is to be kept informed of the progress of "
      "the case (UN Protocol on assistance to victims, 2019) but no interval was published: " +
          mission_default);
  victim.repeat_every = 30;
  victim.met_by = {E::kVictimContact};
  settings.rules.push_back(std::move(victim));
  return settings;
}

// ---------------------------------------------------------------------------------------------
// JSON.

json::object TimelineSettingsJson(const TimelineSettings& settings) {
  json::array holidays;
  for (const Date& holiday : settings.holidays) holidays.emplace_back(FormatDate(holiday));
  json::array rules;
  for (RuleId id : kAllRuleIds) {
    for (const TimelineRule& rule : settings.rules) {
      if (rule.id != id) continue;
      rules.emplace_back(json::object{
          {"id", RuleIdName(rule.id)},
          {"enabled", rule.enabled},
          {"start", EventKindName(rule.start)},
          {"stop", EventKindArray(rule.stop)},
          {"amount", rule.amount},
          {"unit", DurationUnitName(rule.unit)},
          {"applies_to", AppliesToName(rule.applies_to)},
          {"repeat_every", rule.repeat_every},
          {"met_by", EventKindArray(rule.met_by)},
          {"source", rule.source},
      });
    }
  }
  return json::object{
      {"utc_offset_minutes", settings.utc_offset_minutes},
      {"holidays", std::move(holidays)},
      {"rules", std::move(rules)},
  };
}

namespace {

Status UnknownField(const std::string& field) {
  return Status(ErrorCode::kUnknownField, "unknown field " + field, field);
}

// Refuses any member of `object` outside `known`.
Status OnlyKnownFields(const json::object& object, std::initializer_list<std::string_view> known,
                       const std::string& prefix) {
  for (const auto& member : object) {
    if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
      return UnknownField(prefix + std::string(member.key()));
    }
  }
  return Status::Ok();
}

Result<int> ReadInt(const json::value& value, const std::string& field, int min, int max) {
  std::int64_t number = 0;
  if (value.is_int64()) {
    number = value.as_int64();
  } else if (value.is_uint64()) {
    // Only values above INT64_MAX are stored as uint64: out of any range here.
    number = std::int64_t{max} + 1;
  } else {
    return InvalidArgument(field + " must be a whole number", field);
  }
  if (number < min || number > max) {
    return InvalidArgument(
        field + " must be between " + std::to_string(min) + " and " + std::to_string(max), field);
  }
  return static_cast<int>(number);
}

Result<std::string_view> ReadString(const json::value& value, const std::string& field) {
  if (!value.is_string()) return InvalidArgument(field + " must be a string", field);
  const json::string& text = value.as_string();
  return std::string_view(text.data(), text.size());
}

Result<EventKind> ReadEventKind(const json::value& value, const std::string& field) {
  ASSIGN_OR_RETURN(std::string_view name, ReadString(value, field));
  auto kind = ParseEventKind(name);
  if (!kind) return InvalidArgument(field + ": unknown event \"" + std::string(name) + "\"", field);
  return *kind;
}

Result<std::vector<EventKind>> ReadEventKinds(const json::value& value, const std::string& field) {
  if (!value.is_array()) return InvalidArgument(field + " must be a list of events", field);
  std::vector<EventKind> kinds;
  const json::array& array = value.as_array();
  if (array.size() > std::size(kAllEventKinds)) {
    return InvalidArgument(field + " lists too many events", field);
  }
  for (std::size_t i = 0; i < array.size(); ++i) {
    ASSIGN_OR_RETURN(EventKind kind,
                     ReadEventKind(array[i], field + "[" + std::to_string(i) + "]"));
    kinds.push_back(kind);
  }
  return kinds;
}

const json::value* Required(const json::object& object, std::string_view key) {
  return object.if_contains(key);
}

Result<TimelineRule> ReadRule(const json::value& value, const std::string& prefix) {
  const std::string field_of_rule = prefix.substr(0, prefix.size() - 1);
  if (!value.is_object())
    return InvalidArgument(field_of_rule + " must be an object", field_of_rule);
  const json::object& object = value.as_object();
  RETURN_IF_ERROR(OnlyKnownFields(object,
                                  {"id", "enabled", "start", "stop", "amount", "unit", "applies_to",
                                   "repeat_every", "met_by", "source"},
                                  prefix));
  auto missing = [&](std::string_view key) {
    const std::string field = prefix + std::string(key);
    return InvalidArgument(field + " is required", field);
  };
  TimelineRule rule;
  const json::value* id = Required(object, "id");
  if (!id) return missing("id");
  ASSIGN_OR_RETURN(std::string_view id_name, ReadString(*id, prefix + "id"));
  auto parsed_id = ParseRuleId(id_name);
  if (!parsed_id) {
    return InvalidArgument(prefix + "id: unknown rule \"" + std::string(id_name) + "\"",
                           prefix + "id");
  }
  rule.id = *parsed_id;
  if (const json::value* enabled = object.if_contains("enabled")) {
    if (!enabled->is_bool()) {
      return InvalidArgument(prefix + "enabled must be true or false", prefix + "enabled");
    }
    rule.enabled = enabled->as_bool();
  }
  const json::value* start = Required(object, "start");
  if (!start) return missing("start");
  ASSIGN_OR_RETURN(rule.start, ReadEventKind(*start, prefix + "start"));
  const json::value* stop = Required(object, "stop");
  if (!stop) return missing("stop");
  ASSIGN_OR_RETURN(rule.stop, ReadEventKinds(*stop, prefix + "stop"));
  // The unit first: the range of the amount depends on it.
  const json::value* unit = Required(object, "unit");
  if (!unit) return missing("unit");
  ASSIGN_OR_RETURN(std::string_view unit_name, ReadString(*unit, prefix + "unit"));
  auto parsed_unit = ParseDurationUnit(unit_name);
  if (!parsed_unit) {
    return InvalidArgument(prefix + "unit: unknown unit \"" + std::string(unit_name) +
                               "\" (calendar_days, business_days or months)",
                           prefix + "unit");
  }
  rule.unit = *parsed_unit;
  const json::value* amount = Required(object, "amount");
  if (!amount) return missing("amount");
  ASSIGN_OR_RETURN(rule.amount, ReadInt(*amount, prefix + "amount", 1, MaxAmount(rule.unit)));
  const json::value* applies_to = Required(object, "applies_to");
  if (!applies_to) return missing("applies_to");
  ASSIGN_OR_RETURN(std::string_view applies_name, ReadString(*applies_to, prefix + "applies_to"));
  auto parsed_applies = ParseAppliesTo(applies_name);
  if (!parsed_applies) {
    return InvalidArgument(prefix + "applies_to: unknown value \"" + std::string(applies_name) +
                               "\" (all, urgent, not_urgent or uniformed)",
                           prefix + "applies_to");
  }
  rule.applies_to = *parsed_applies;
  if (const json::value* repeat = object.if_contains("repeat_every")) {
    ASSIGN_OR_RETURN(rule.repeat_every,
                     ReadInt(*repeat, prefix + "repeat_every", 0, MaxAmount(rule.unit)));
  }
  if (const json::value* met_by = object.if_contains("met_by")) {
    ASSIGN_OR_RETURN(rule.met_by, ReadEventKinds(*met_by, prefix + "met_by"));
  }
  if (const json::value* source = object.if_contains("source")) {
    ASSIGN_OR_RETURN(std::string_view text, ReadString(*source, prefix + "source"));
    rule.source = std::string(text);
  }
  return rule;
}

}  // namespace

Status ValidateTimelineSettings(const TimelineSettings& settings) {
  if (settings.utc_offset_minutes < kMinUtcOffset || settings.utc_offset_minutes > kMaxUtcOffset) {
    return InvalidArgument("utc_offset_minutes must be between -720 and 840", "utc_offset_minutes");
  }
  for (std::size_t i = 0; i < settings.holidays.size(); ++i) {
    if (!settings.holidays[i].ok()) {
      const std::string field = "holidays[" + std::to_string(i) + "]";
      return InvalidArgument(field + " is not a date", field);
    }
    if (i > 0 && !(settings.holidays[i - 1] < settings.holidays[i])) {
      const std::string field = "holidays[" + std::to_string(i) + "]";
      return InvalidArgument(field + " is out of order or repeated", field);
    }
  }
  std::vector<bool> seen(std::size(kAllRuleIds), false);
  for (std::size_t i = 0; i < settings.rules.size(); ++i) {
    const TimelineRule& rule = settings.rules[i];
    const std::string prefix = "rules[" + std::to_string(i) + "].";
    const auto index = static_cast<std::size_t>(rule.id);
    if (index >= seen.size()) return InvalidArgument(prefix + "id is unknown", prefix + "id");
    if (seen[index]) {
      return InvalidArgument(
          prefix + "id: rule " + std::string(RuleIdName(rule.id)) + " appears twice",
          prefix + "id");
    }
    seen[index] = true;
    if (rule.amount < 1 || rule.amount > MaxAmount(rule.unit)) {
      return InvalidArgument(
          prefix + "amount must be between 1 and " + std::to_string(MaxAmount(rule.unit)),
          prefix + "amount");
    }
    if (rule.stop.empty()) {
      return InvalidArgument(prefix + "stop needs at least one event", prefix + "stop");
    }
    if (Contains(rule.stop, rule.start)) {
      return InvalidArgument(prefix + "stop must not contain the start event", prefix + "stop");
    }
    if (rule.repeat_every < 0 || rule.repeat_every > MaxAmount(rule.unit)) {
      return InvalidArgument(
          prefix + "repeat_every must be between 0 and " + std::to_string(MaxAmount(rule.unit)),
          prefix + "repeat_every");
    }
    if (rule.repeat_every > 0 && rule.met_by.empty()) {
      return InvalidArgument(prefix + "met_by: a recurring rule needs the events that meet it",
                             prefix + "met_by");
    }
    if (rule.repeat_every == 0 && !rule.met_by.empty()) {
      return InvalidArgument(prefix + "met_by is only for recurring rules (repeat_every > 0)",
                             prefix + "met_by");
    }
    if (rule.source.size() > kMaxSourceChars) {
      return InvalidArgument(prefix + "source is longer than 500 characters", prefix + "source");
    }
  }
  for (RuleId id : kAllRuleIds) {
    if (!seen[static_cast<std::size_t>(id)]) {
      return InvalidArgument("rules: the rule " + std::string(RuleIdName(id)) + " is missing",
                             "rules");
    }
  }
  return Status::Ok();
}

Result<TimelineSettings> ParseTimelineSettings(const json::value& value) {
  if (!value.is_object()) return InvalidArgument("the timeline settings are a JSON object", "");
  const json::object& object = value.as_object();
  RETURN_IF_ERROR(OnlyKnownFields(object, {"utc_offset_minutes", "holidays", "rules"}, ""));
  TimelineSettings settings;
  if (const json::value* offset = object.if_contains("utc_offset_minutes")) {
    ASSIGN_OR_RETURN(settings.utc_offset_minutes,
                     ReadInt(*offset, "utc_offset_minutes", kMinUtcOffset, kMaxUtcOffset));
  }
  if (const json::value* holidays = object.if_contains("holidays")) {
    if (!holidays->is_array()) {
      return InvalidArgument("holidays must be a list of dates", "holidays");
    }
    const json::array& array = holidays->as_array();
    constexpr std::size_t kMaxHolidays = 1000;
    if (array.size() > kMaxHolidays) {
      return InvalidArgument("holidays lists more than 1000 dates", "holidays");
    }
    for (std::size_t i = 0; i < array.size(); ++i) {
      const std::string field = "holidays[" + std::to_string(i) + "]";
      ASSIGN_OR_RETURN(std::string_view text, ReadString(array[i], field));
      std::optional<UnixMillis> midnight;
      if (text.size() == 10) midnight = ParseIso8601(text);
      if (!midnight) return InvalidArgument(field + " must be a date YYYY-MM-DD", field);
      settings.holidays.push_back(MissionDate(*midnight, 0));
    }
    std::sort(settings.holidays.begin(), settings.holidays.end());
    settings.holidays.erase(std::unique(settings.holidays.begin(), settings.holidays.end()),
                            settings.holidays.end());
  }
  const json::value* rules = object.if_contains("rules");
  if (!rules) return InvalidArgument("rules is required", "rules");
  if (!rules->is_array()) return InvalidArgument("rules must be a list of rules", "rules");
  const json::array& rule_array = rules->as_array();
  if (rule_array.size() > std::size(kAllRuleIds)) {
    return InvalidArgument("rules lists more rules than there are", "rules");
  }
  for (std::size_t i = 0; i < rule_array.size(); ++i) {
    ASSIGN_OR_RETURN(TimelineRule rule,
                     ReadRule(rule_array[i], "rules[" + std::to_string(i) + "]."));
    settings.rules.push_back(std::move(rule));
  }
  // Field names in the errors refer to positions in the document, so check before sorting.
  RETURN_IF_ERROR(ValidateTimelineSettings(settings));
  std::sort(settings.rules.begin(), settings.rules.end(),
            [](const TimelineRule& a, const TimelineRule& b) { return a.id < b.id; });
  return settings;
}

// ---------------------------------------------------------------------------------------------
// Clocks.

Status ValidatePause(const ClockPause& pause) {
  const bool blank = std::all_of(pause.reason.begin(), pause.reason.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  });
  if (blank) return InvalidArgument("a pause needs a reason", "reason");
  if (pause.end && *pause.end < pause.start) {
    return InvalidArgument("a pause cannot end before it starts", "end");
  }
  return Status::Ok();
}

namespace {

bool Applies(AppliesTo applies_to, const CaseFacts& facts) {
  switch (applies_to) {
    case AppliesTo::kAll:
      return true;
    case AppliesTo::kUrgent:
      return facts.urgent;
    case AppliesTo::kNotUrgent:
      return !facts.urgent;
    case AppliesTo::kUniformed:
      return facts.uniformed_subjects;
  }
  return false;
}

// The unpushed deadline of a period that starts at `from` and lasts `amount` units.
UnixMillis Deadline(const TimelineSettings& settings, UnixMillis from, int amount,
                    DurationUnit unit) {
  const Date start_day = MissionDate(from, settings.utc_offset_minutes);
  Date due_day = start_day;
  switch (unit) {
    case DurationUnit::kCalendarDays:
      due_day = Date{sys_days(start_day) + days(amount)};
      break;
    case DurationUnit::kBusinessDays:
      due_day = AddBusinessDays(start_day, amount, settings.holidays);
      break;
    case DurationUnit::kMonths:
      due_day = AddMonths(start_day, amount);
      break;
  }
  return EndOfMissionDay(due_day, settings.utc_offset_minutes);
}

// A deadline moved by pause time lands on the end of a day, and of a business day for
// business-day rules: a deadline is a day, never an hour.
UnixMillis RoundUpToDeadline(const TimelineSettings& settings, UnixMillis time, DurationUnit unit) {
  Date day = MissionDate(time - 1, settings.utc_offset_minutes);
  if (unit == DurationUnit::kBusinessDays) {
    while (!IsBusinessDay(day, settings.holidays)) day = Date{sys_days(day) + days(1)};
  }
  return EndOfMissionDay(day, settings.utc_offset_minutes);
}

struct Interval {
  UnixMillis start;
  UnixMillis end;
};

struct Period {
  UnixMillis due_at = 0;
  std::int64_t paused_millis = 0;
  bool paused_now = false;  // an open pause, begun before the deadline, covers `until`
};

// One run of a clock from `from` to `until` (its stop, or now): the deadline pushed by every
// pause that begins before the deadline as pushed so far.
Period RunPeriod(const TimelineSettings& settings, DurationUnit unit, UnixMillis from,
                 UnixMillis base_due, UnixMillis until, bool stopped,
                 const std::vector<Interval>& pauses) {
  std::vector<Interval> clipped;
  for (const Interval& pause : pauses) {
    const UnixMillis start = std::max(pause.start, from);
    const UnixMillis end = std::min(pause.end, until);
    if (end > start) clipped.push_back({start, end});
  }
  std::sort(clipped.begin(), clipped.end(),
            [](const Interval& a, const Interval& b) { return a.start < b.start; });
  std::vector<Interval> merged;
  for (const Interval& pause : clipped) {
    if (!merged.empty() && pause.start <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, pause.end);
    } else {
      merged.push_back(pause);
    }
  }
  Period period;
  period.due_at = base_due;
  std::int64_t pushed = 0;
  for (const Interval& pause : merged) {
    const std::int64_t length = pause.end - pause.start;
    period.paused_millis += length;
    if (pause.start < period.due_at) {
      pushed += length;
      period.due_at = RoundUpToDeadline(settings, base_due + pushed, unit);
      if (!stopped && pause.end == until) period.paused_now = true;
    }
  }
  return period;
}

int DaysBetween(Date from, Date to) {
  return static_cast<int>((sys_days(to) - sys_days(from)).count());
}

int DaysLeft(UnixMillis due_at, UnixMillis now, int utc_offset_minutes) {
  return DaysBetween(MissionDate(now, utc_offset_minutes),
                     MissionDate(due_at - 1, utc_offset_minutes));
}

}  // namespace

Result<std::vector<RuleClock>> ComputeClocks(const TimelineSettings& settings,
                                             const CaseFacts& facts, UnixMillis now) {
  for (std::size_t i = 0; i < facts.pauses.size(); ++i) {
    Status status = ValidatePause(facts.pauses[i]);
    if (!status.ok()) {
      const std::string field = "pauses[" + std::to_string(i) + "]." + status.field();
      return InvalidArgument(status.message(), field);
    }
  }
  std::vector<ClockEvent> events;
  events.reserve(facts.events.size());
  for (const ClockEvent& event : facts.events) {
    if (event.at <= now) events.push_back(event);
  }
  std::sort(events.begin(), events.end(), [](const ClockEvent& a, const ClockEvent& b) {
    return a.at != b.at ? a.at < b.at : a.kind < b.kind;
  });

  std::vector<RuleClock> clocks;
  clocks.reserve(std::size(kAllRuleIds));
  for (RuleId id : kAllRuleIds) {
    const auto rule_it = std::find_if(settings.rules.begin(), settings.rules.end(),
                                      [id](const TimelineRule& rule) { return rule.id == id; });
    if (rule_it == settings.rules.end()) continue;
    const TimelineRule& rule = *rule_it;
    if (!rule.enabled || !Applies(rule.applies_to, facts)) continue;

    RuleClock clock;
    clock.rule = id;
    clock.recurring = rule.repeat_every > 0;
    const auto start_it = std::find_if(events.begin(), events.end(), [&](const ClockEvent& event) {
      return event.kind == rule.start;
    });
    if (start_it == events.end()) {
      clock.state = ClockState::kNotStarted;
      clocks.push_back(std::move(clock));
      continue;
    }
    const UnixMillis started_at = start_it->at;
    const auto stop_it = std::find_if(start_it, events.end(), [&](const ClockEvent& event) {
      return Contains(rule.stop, event.kind);
    });
    const bool stopped = stop_it != events.end();
    const UnixMillis until = stopped ? stop_it->at : now;
    if (stopped) clock.stopped_at = until;

    std::vector<Interval> pauses;
    for (const ClockPause& pause : facts.pauses) {
      if (pause.rule && *pause.rule != id) continue;
      // An open pause runs to the end of the clock's run (its stop, or now).
      pauses.push_back({pause.start, pause.end.value_or(until)});
    }

    UnixMillis period_start = started_at;
    UnixMillis base_due = Deadline(settings, period_start, rule.amount, rule.unit);
    if (clock.recurring) {
      for (auto it = start_it; it != events.end() && it->at <= until; ++it) {
        if (!Contains(rule.met_by, it->kind)) continue;
        const Period met_period =
            RunPeriod(settings, rule.unit, period_start, base_due, it->at, true, pauses);
        if (it->at <= met_period.due_at) {
          ++clock.periods_met;
        } else {
          ++clock.periods_late;
        }
        clock.last_met_at = it->at;
        period_start = it->at;
        base_due = Deadline(settings, period_start, rule.repeat_every, rule.unit);
      }
    }
    const Period period =
        RunPeriod(settings, rule.unit, period_start, base_due, until, stopped, pauses);
    clock.started_at = period_start;
    clock.due_at = period.due_at;
    clock.paused_millis = period.paused_millis;
    if (stopped) {
      const bool late = until > period.due_at;
      if (clock.recurring) {
        if (late) ++clock.periods_late;
        clock.state = clock.periods_late > 0 ? ClockState::kMetLate : ClockState::kMetOnTime;
      } else {
        clock.state = late ? ClockState::kMetLate : ClockState::kMetOnTime;
      }
    } else {
      if (now >= period.due_at) {
        clock.state = ClockState::kOverdue;
      } else if (period.paused_now) {
        clock.state = ClockState::kPaused;
      } else {
        clock.state = ClockState::kRunning;
      }
      clock.days_left = DaysLeft(period.due_at, now, settings.utc_offset_minutes);
    }
    clocks.push_back(std::move(clock));
  }
  return clocks;
}

json::object RuleClockJson(const RuleClock& clock) {
  json::object out{
      {"rule", RuleIdName(clock.rule)},
      {"state", ClockStateName(clock.state)},
      {"started_at", TimeOrNull(clock.started_at)},
      {"due_at", TimeOrNull(clock.due_at)},
      {"stopped_at", TimeOrNull(clock.stopped_at)},
      {"paused_seconds", clock.paused_millis / 1000},
      {"days_left", clock.days_left ? json::value(*clock.days_left) : json::value(nullptr)},
      {"recurring", clock.recurring},
      {"last_met_at", TimeOrNull(clock.last_met_at)},
      {"periods_met", clock.periods_met},
      {"periods_late", clock.periods_late},
  };
  return out;
}

// ---------------------------------------------------------------------------------------------
// Due and overdue.

std::vector<DueItem> ListDueAndOverdue(std::span<const CaseClocks> cases, UnixMillis now,
                                       int within_days, int utc_offset_minutes,
                                       std::optional<std::string_view> assignee_id) {
  return PageDueAndOverdue(cases, now, within_days, utc_offset_minutes, 0,
                           std::numeric_limits<std::int64_t>::max(), assignee_id)
      .items;
}

DuePage PageDueAndOverdue(std::span<const CaseClocks> cases, UnixMillis now, int within_days,
                          int utc_offset_minutes, std::int64_t offset, std::int64_t limit,
                          std::optional<std::string_view> assignee_id) {
  // Sorted as small records first; the strings are copied only into the page.
  struct Candidate {
    UnixMillis due_at;
    const CaseClocks* owner;
    const RuleClock* clock;
    int days_left;
  };
  std::vector<Candidate> candidates;
  for (const CaseClocks& case_clocks : cases) {
    if (assignee_id && std::find(case_clocks.assignee_ids.begin(), case_clocks.assignee_ids.end(),
                                 *assignee_id) == case_clocks.assignee_ids.end()) {
      continue;
    }
    for (const RuleClock& clock : case_clocks.clocks) {
      if (clock.state != ClockState::kRunning && clock.state != ClockState::kOverdue) continue;
      if (!clock.due_at) continue;
      const int days_left = DaysLeft(*clock.due_at, now, utc_offset_minutes);
      if (now < *clock.due_at && days_left > within_days) continue;
      candidates.push_back({*clock.due_at, &case_clocks, &clock, days_left});
    }
  }
  const auto before = [](const Candidate& a, const Candidate& b) {
    if (a.due_at != b.due_at) return a.due_at < b.due_at;
    if (a.owner->reference != b.owner->reference) return a.owner->reference < b.owner->reference;
    if (a.clock->rule != b.clock->rule) return a.clock->rule < b.clock->rule;
    return a.owner->case_id < b.owner->case_id;
  };
  DuePage page;
  page.total = static_cast<std::int64_t>(candidates.size());
  page.overdue = std::count_if(candidates.begin(), candidates.end(),
                               [now](const Candidate& c) { return now >= c.due_at; });
  const std::size_t first =
      static_cast<std::size_t>(std::clamp<std::int64_t>(offset, 0, page.total));
  const std::size_t last = static_cast<std::size_t>(
      first + std::clamp<std::int64_t>(limit, 0, page.total - static_cast<std::int64_t>(first)));
  // Only the first `last` need their order: the first page of a large view sorts little.
  if (last == candidates.size()) {
    std::sort(candidates.begin(), candidates.end(), before);
  } else {
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(last),
                      candidates.end(), before);
  }
  page.items.reserve(last - first);
  for (std::size_t i = first; i < last; ++i) {
    const Candidate& candidate = candidates[i];
    DueItem item;
    item.case_id = candidate.owner->case_id;
    item.reference = candidate.owner->reference;
    item.rule = candidate.clock->rule;
    item.state = now >= candidate.due_at ? ClockState::kOverdue : ClockState::kRunning;
    item.due_at = candidate.due_at;
    item.days_left = candidate.days_left;
    item.assignee_ids = candidate.owner->assignee_ids;
    page.items.push_back(std::move(item));
  }
  return page;
}

json::object DueItemJson(const DueItem& item) {
  json::array assignees;
  for (const std::string& id : item.assignee_ids) assignees.emplace_back(id);
  return json::object{
      {"case_id", item.case_id},
      {"reference", item.reference},
      {"rule", RuleIdName(item.rule)},
      {"state", ClockStateName(item.state)},
      {"due_at", FormatIso8601(item.due_at)},
      {"days_left", item.days_left},
      {"assignee_ids", std::move(assignees)},
  };
}

}  // namespace psea::cases
