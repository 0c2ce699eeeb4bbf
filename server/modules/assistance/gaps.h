// The gap table and the "victims assisted" figure (issue 13, "map existing services and ensure
// advocacy to address the gaps"): for each prefecture and service type, the providers that
// offer it there against the victims who need it. Pure computation over two aggregates, one from
// the providers' directory (ProvidersService::CountByPrefectureAndService) and one from the
// assistance files (GapsStore::NeedsByPrefectureAndType): no SQL, no HTTP, no identities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psea::assistance {

// Supply: active providers offering `service` in `prefecture`; `stale` of them not verified
// within the directory's stale days.
struct ServiceSupply {
  std::string prefecture;
  std::string service;
  std::int64_t providers = 0;
  std::int64_t stale = 0;
};

// Demand: distinct open files of `prefecture` with an open need of type `service` (`needing`),
// and distinct files (open or closed) with a need of that type met (`assisted`).
struct NeedDemand {
  std::string prefecture;  // "" when the file records none
  std::string service;
  std::int64_t needing = 0;
  std::int64_t assisted = 0;
};

struct PrefectureRef {
  std::string code;
  std::string name;
};

// Where a row stands, worst first.
enum class GapState {
  kGap,        // victims need it and no active provider offers it there
  kStaleOnly,  // victims need it and every provider there is stale: check before referring
  kCovered,    // victims need it and at least one verified provider offers it
  kNoNeed,     // providers and no victim needing it (now)
};
std::string_view GapStateName(GapState state);

struct GapRow {
  std::string prefecture;
  std::string prefecture_name;   // the places list's name; "" for an unknown prefecture
  bool known_prefecture = true;  // false: "" or a code the places list no longer has
  std::string service;
  std::int64_t providers = 0;
  std::int64_t stale = 0;
  std::int64_t needing = 0;
  std::int64_t assisted = 0;
  GapState state = GapState::kNoNeed;
  bool needing_suppressed = false;  // SuppressSmallCounts hid a count of 1..4
  bool assisted_suppressed = false;
  std::int64_t fresh() const { return providers - stale; }
};

struct GapFilter {
  std::optional<std::string> service;
  std::optional<std::string> prefecture;
};

struct GapSummary {
  std::int64_t gaps = 0;        // rows in kGap
  std::int64_t stale_only = 0;  // rows in kStaleOnly
  std::int64_t covered = 0;
  std::int64_t no_need = 0;
};

// One row per (prefecture, service) where a provider offers it or a victim needs it or was
// assisted; rows where all three are zero are left out. Ordered by the places list's order of
// prefectures (unknown ones after, by code, "" last), then by the service vocabulary's order
// (unknown services after, by name). `filter` keeps only the rows that match.
std::vector<GapRow> ComputeGaps(const std::vector<ServiceSupply>& supply,
                                const std::vector<NeedDemand>& demand,
                                const std::vector<PrefectureRef>& prefectures,
                                const GapFilter& filter);
GapSummary Summarise(const std::vector<GapRow>& rows);

// For readers other than the VRA: counts of victims from 1 to 4 are replaced by 0 with the
// suppressed flag set (the answer writes null), as the complaint figures do for leadership. The
// state is kept: a gap stays a gap. Provider counts are not personal data and stay.
inline constexpr std::int64_t kSmallCount = 5;
void SuppressSmallCounts(std::vector<GapRow>& rows);

// The months [from, to] ("YYYY-MM") of an indicator's period as [start, end) in UTC
// milliseconds; nullopt when either is malformed or `to` comes before `from`.
struct MonthSpan {
  std::int64_t start = 0;
  std::int64_t end = 0;
};
std::optional<MonthSpan> SpanOfMonths(std::string_view from, std::string_view to);

}  // namespace psea::assistance
