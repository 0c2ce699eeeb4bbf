// The action plan: a versioned matrix of pillars, goals, activities and expected results,
// with tracking (status, frequency, target months, units), progress entries with evidence,
// and indicators.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace psea::plan {

// "YYYY-MM" as a count of months since year 0, so that ranges and comparisons are integers.
using MonthIndex = int;
MonthIndex MakeMonth(int year, int month);
std::optional<MonthIndex> ParseMonth(std::string_view text);  // "2018-03"
std::string FormatMonth(MonthIndex month);
inline int YearOf(MonthIndex month) { return month / 12; }
inline int MonthOfYear(MonthIndex month) { return month % 12 + 1; }

enum class ActivityStatus {
  kNotStarted,
  kOnTrack,
  kAtRisk,
  kDelayed,
  kCompleted,
  kContinuous,
  kCancelled
};
const char* StatusName(ActivityStatus status);
std::optional<ActivityStatus> ParseStatus(std::string_view text);

enum class Frequency { kNone, kWeekly, kBiweekly, kMonthly, kQuarterly, kBiannual, kPerEvent };
const char* FrequencyName(Frequency frequency);
std::optional<Frequency> ParseFrequency(std::string_view text);
// The frequency an activity's wording implies ("Hold weekly meeting ..." -> weekly).
Frequency InferFrequency(std::string_view activity_text);

// The pillars of every plan: prevention, enforcement, remedial action.
bool IsPillarKey(std::string_view key);

// Whether a filter on `pillar` finds `activity`, whose goal belongs to `goal_pillar`: by its
// goal's pillar or by its second pillar.
struct Activity;
bool ServesPillar(const Activity& activity, std::string_view goal_pillar, std::string_view pillar);

// How a plan's text marks a fragment the transcription could not read in the source
// (docs/plan-format.md): "[illegible] every town hall meeting in the field and at HQ." The
// marker is stored and sent as written; the app and the reports show it as "illegible in the
// source" rather than passing the rest off as a whole sentence.
inline constexpr std::string_view kIllegibleMarker = "[illegible]";
bool HasIllegible(std::string_view text);
// `text` with every marker replaced by `replacement`.
std::string ReplaceIllegible(std::string_view text, std::string_view replacement);

// ---- The plan file (docs/plan-format.md), as parsed -------------------------------------
struct ActivityDoc {
  std::string letter;
  std::string text;
  // A second pillar the activity serves besides its goal's ("" when none).
  std::string second_pillar;
  // When the plan states the recurrence outside the activity's own words (a goal's follow-up
  // "Monthly meetings to be held."); otherwise the import infers it from the text.
  std::optional<Frequency> frequency;
};
struct ResultDoc {
  std::string numeral;
  std::string text;
};
struct GoalDoc {
  int number = 0;
  std::string title;
  std::vector<std::string> references;
  std::vector<ActivityDoc> activities;
  std::vector<ResultDoc> expected_results;
  std::string partners;
  std::string status;
  std::string follow_up;
  std::vector<int> months;
};
struct PillarDoc {
  std::string key;
  std::string title;
  std::string objective;
  std::vector<GoalDoc> goals;
};
struct PlanDocument {
  std::string key;
  std::string version;
  std::string title;
  std::string mission;
  MonthIndex period_start = 0;
  MonthIndex period_end = 0;
  std::string supersedes;
  std::string context;
  std::string purpose;
  std::string principles_intro;
  std::vector<std::string> principles;
  std::vector<std::string> reference_materials;
  std::vector<PillarDoc> pillars;
};

// ---- Stored plan -------------------------------------------------------------------------
struct UnitRef {
  std::int64_t id = 0;
  std::string code;
  std::string name;
};

struct PlanSummary {
  std::int64_t id = 0;
  std::string key;
  std::string version;
  int version_number = 0;
  std::string title;
  std::string mission;
  MonthIndex period_start = 0;
  MonthIndex period_end = 0;
  std::string supersedes;
  UnixMillis imported_at = 0;
  std::string imported_by;
  bool latest = false;
  std::vector<std::string> unmatched_partners;
};

struct Activity {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::int64_t goal_id = 0;
  std::string letter;
  std::string text;
  std::string second_pillar;  // a pillar key, or "" when the activity has only its goal's
  ActivityStatus status = ActivityStatus::kNotStarted;
  Frequency frequency = Frequency::kNone;
  std::vector<int> target_months;  // 1-12
  std::vector<std::int64_t> lead_unit_ids;
  std::vector<std::int64_t> support_unit_ids;
  UnixMillis updated_at = 0;
};

struct ExpectedResult {
  std::int64_t id = 0;
  std::string numeral;
  std::string text;
  std::vector<std::string> indicator_keys;
};

struct Goal {
  std::int64_t id = 0;
  int number = 0;
  std::string title;
  std::vector<std::string> references;
  std::string partners;
  std::string status_text;
  std::string follow_up;
  std::vector<int> months;
  std::vector<Activity> activities;
  std::vector<ExpectedResult> results;
};

struct Pillar {
  std::int64_t id = 0;
  std::string key;
  std::string title;
  std::string objective;
  std::vector<Goal> goals;
};

struct Plan {
  PlanSummary summary;
  std::string context;
  std::string purpose;
  std::string principles_intro;
  std::vector<std::string> principles;
  std::vector<std::string> reference_materials;
  std::vector<Pillar> pillars;
};

struct Evidence {
  std::int64_t id = 0;
  std::optional<std::int64_t> entry_id;
  std::string kind;  // "file" | "link"
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::string url;    // links only
  std::string title;  // links only
};

struct Entry {
  std::int64_t id = 0;
  std::int64_t activity_id = 0;
  MonthIndex month = 0;
  std::string occurred_on;  // "YYYY-MM-DD" or empty
  ActivityStatus status = ActivityStatus::kOnTrack;
  std::string narrative;
  std::string author;
  UnixMillis created_at = 0;
  std::optional<std::int64_t> corrects;
  std::vector<Evidence> evidence;
};

struct NewEntry {
  MonthIndex month = 0;
  std::string occurred_on;
  ActivityStatus status = ActivityStatus::kOnTrack;
  std::string narrative;
  std::vector<std::int64_t> evidence_ids;
  std::vector<std::pair<std::string, std::string>> links;  // url, title
  std::optional<std::int64_t> corrects;
};

struct ActivityPatch {
  std::optional<ActivityStatus> status;
  std::optional<Frequency> frequency;
  std::optional<std::vector<int>> target_months;
  std::optional<std::vector<std::int64_t>> lead_unit_ids;
  std::optional<std::vector<std::int64_t>> support_unit_ids;
};

// One window of a recurring duty.
struct Occurrence {
  std::string start;  // "YYYY-MM-DD"
  std::string end;    // inclusive
  enum class State { kDone, kDue, kOverdue, kUpcoming } state = State::kUpcoming;
  std::vector<std::int64_t> entry_ids;
};
const char* OccurrenceStateName(Occurrence::State state);

struct OccurrenceCounts {
  int done = 0;
  int due = 0;
  int overdue = 0;
  int upcoming = 0;
};

struct PlanChange {
  std::string kind;  // added | removed | changed
  std::string path;  // "prevention/1/a"
  std::string field;
  std::string before;
  std::string after;
};

}  // namespace psea::plan
