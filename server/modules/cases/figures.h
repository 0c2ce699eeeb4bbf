// Figures of the allegation cases (aggregates only), the export in the layout of the UN's
// public table of allegations, and the redacted extract of one case for a partner entity
// (the information-sharing protocol).
//
// Pure computation and formatting: the counts come from CasesStore's GROUP BY queries
// (store.h, "Figures"), who may ask is decided in service.h. Nothing here reads identities:
// the types below have no field that could hold a name, a pseudonym (except the extract's
// victim pseudonym, a code the CDT chose) or free text.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/cases/clock.h"
#include "modules/cases/model.h"

namespace psea::cases {

// The period of the figures and of the export: cases whose date reported lies in
// [from, to] ("YYYY-MM-DD", both inclusive; empty = open).
struct FiguresFilter {
  std::string from;
  std::string to;
  // Small-number suppression: counts 1..suppress_below-1 are shown as "<N". 0 = off.
  int suppress_below = 0;
};
// kInvalidArgument naming "from", "to" (not a date, or to before from) or "suppress_below"
// (not 0 nor 2..100).
Status ValidateFiguresFilter(const FiguresFilter& filter);

// One cell of a breakdown. `allegations` counts cases; `per_subject` counts (case, subject)
// pairs, a case without a recorded subject counting once: the UN counts allegations per
// subject.
struct CountRow {
  std::string key;
  std::int64_t allegations = 0;
  std::int64_t per_subject = 0;
};

struct VictimCount {
  std::string sex;
  std::string age_group;
  std::int64_t count = 0;
};

// When a case's investigation started (its first move to referred_for_investigation or
// under_investigation) and ended (its first move to report_received), "YYYY-MM-DD" or empty.
struct InvestigationSpan {
  std::int64_t case_id = 0;
  std::string start;
  std::string end;
};

// Cached clock states of one rule (store: case_clocks), a running clock past its due date
// counted as overdue.
struct ClockStateCount {
  std::string rule;
  std::string state;
  std::int64_t count = 0;
};

// What the store counts for a period.
struct FiguresCounts {
  std::int64_t allegations = 0;
  std::int64_t per_subject = 0;
  std::vector<CountRow> by_month, by_category, by_type, by_personnel_category, by_nationality,
      by_status;
  std::vector<VictimCount> victims;
  std::vector<InvestigationSpan> investigations;
  std::vector<ClockStateCount> clocks;
};

// The counts of one month of date reported ("YYYY-MM"), as the service caches them (at the
// month's revision, store.h FigureMonths): true until `valid_until`, the first instant at which
// a running clock of the month falls due and would count as overdue.
struct MonthFigures {
  FiguresCounts counts;
  UnixMillis valid_until = std::numeric_limits<UnixMillis>::max();
};
// The sum of several months' counts: each breakdown summed by key and ordered by key, the
// investigations in case order. What CountFigures answers for the months' whole period.
FiguresCounts MergeFigures(const std::vector<const FiguresCounts*>& months);

struct DurationStats {
  std::int64_t completed = 0;  // investigations with a start and an end
  std::int64_t open = 0;       // started, no report yet
  std::optional<double> median_days;
  std::optional<double> p90_days;  // nearest rank
  // "0-30", "31-90", "91-180", "181-365", "366+" days, in that order.
  std::vector<std::pair<std::string, std::int64_t>> buckets;
};

// Whole days from `start` to `end` ("YYYY-MM-DD"); nullopt when either is not a date or end is
// before start.
std::optional<std::int64_t> DaysBetween(std::string_view start, std::string_view end);
// Completed investigations' durations summarised; `open` counts spans with a start only.
DurationStats SummariseDurations(const std::vector<InvestigationSpan>& spans);

// A rule's cached clocks summarised: on_time_pct = met_on_time / (met_on_time + met_late),
// nullopt when none was met.
struct TimelineShare {
  std::string rule;
  std::int64_t met_on_time = 0;
  std::int64_t met_late = 0;
  std::int64_t overdue = 0;
  std::int64_t open = 0;  // running or paused
  std::optional<double> on_time_pct;
};
std::vector<TimelineShare> SummariseClocks(const std::vector<ClockStateCount>& clocks);
// The two investigation rules (investigation_completion and its urgent twin) together.
TimelineShare InvestigationShare(const std::vector<TimelineShare>& shares);

// A count as shown: the number, or "<N" when 1 <= count < suppress_below.
boost::json::value SuppressedCount(std::int64_t count, int suppress_below);
std::string SuppressedText(std::int64_t count, int suppress_below);
// A percentage or a duration computed over `base` items: hidden (null) when suppression is on
// and base < suppress_below, so a small group cannot be read back from a share.
boost::json::value SuppressedShare(std::optional<double> value, std::int64_t base,
                                   int suppress_below);

// GET /api/v1/cases/figures.
boost::json::object FiguresJson(const FiguresFilter& filter, const FiguresCounts& counts);

// ---- The UN public table of allegations

// One row per allegation: a case split per personnel category and nationality of its subjects
// (the UN's counting); each row carries the case's victims by sex and age group.
struct PublicTableRow {
  std::string mission;
  std::string month_reported;  // "YYYY-MM"
  std::string category;
  std::string type;
  std::string personnel_category;
  std::string nationality;
  std::int64_t subjects = 0;
  std::int64_t victims = 0;
  std::int64_t women = 0;  // female adults
  std::int64_t girls = 0;  // female minors
  std::int64_t men = 0;
  std::int64_t boys = 0;
  std::int64_t victims_other = 0;  // any other sex or an unknown age group
  bool paternity_claim = false;
  std::string investigating_entity;
  std::string status;
  std::optional<std::int64_t> investigation_days;
  std::vector<std::string> interim_measures;  // entry types (vocabulary), sorted
  std::string outcome;
  std::vector<std::string> actions;  // entry types except referral_national_authorities
  bool referred_national_authorities = false;
};

// The column headings, in order (English: the UN publishes its table in English).
const std::vector<std::string_view>& PublicTableHeadings();
// RFC 4180 with CRLF and the UTF-8 byte order mark (core/csv.h says why).
std::string PublicTableCsv(const std::vector<PublicTableRow>& rows, int suppress_below);
// One sheet "Allegations"; counts as numbers unless suppressed. kInternal when
// libxlsxwriter fails.
Result<std::string> PublicTableXlsx(const std::vector<PublicTableRow>& rows, int suppress_below);

// ---- The information-sharing extract

struct ExtractRecord {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string recipient;  // the partner entity
  std::string purpose;
  std::string by_username;
  UnixMillis at = 0;
};

// The extract of a case (full access view) for `record`: facts without identities, victims as
// pseudonym / sex / age group, subjects as personnel category / nationality / unit, the
// timeline's dated steps without reasons or names, the entries' kinds, types and dates
// without notes. Clock pauses and officers are left out.
boost::json::object ExtractJson(const Case& kase, const ExtractRecord& record);
// The same as plain text to print (UTF-8, LF).
std::string ExtractText(const Case& kase, const ExtractRecord& record);
boost::json::object ExtractRecordJson(const ExtractRecord& record);

}  // namespace psea::cases
