// The action plan service: import and versions, the matrix, tracking of activities,
// progress entries with evidence, indicators and the progress report. Callers check role
// permissions (security::Authorize) before calling; the per-activity rule for partner focal
// points (only activities their units lead or support) is checked here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/revision_cache.h"
#include "modules/plan/indicators.h"
#include "modules/plan/model.h"
#include "modules/plan/occurrences.h"
#include "modules/plan/store.h"
#include "modules/units/service.h"
#include "security/audit.h"
#include "security/crypto.h"
#include "security/permissions.h"
#include "storage/database.h"

namespace psea::plan {

constexpr std::size_t kMaxEvidenceBytes = 10 * 1024 * 1024;

struct PlanMatrix {
  Plan plan;
  MonthIndex from = 0;  // the months whose statuses are filled
  MonthIndex to = 0;
  std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>> month_statuses;
  std::map<std::int64_t, OccurrenceCounts> occurrences;  // recurring activities only
  std::map<std::int64_t, UnitRef> units;
};

struct ActivityDetail {
  Activity activity;
  PlanSummary plan;
  int goal_number = 0;
  std::string goal_title;
  std::int64_t goal_id = 0;
  std::string pillar_key;
  std::string pillar_title;
  std::vector<Occurrence> occurrences;
  std::vector<Entry> entries;
  std::map<std::int64_t, UnitRef> units;
};

struct ActivityRow {
  Activity activity;
  std::int64_t plan_id = 0;
  int goal_number = 0;
  std::string pillar_key;
  std::optional<OccurrenceCounts> occurrences;
};

struct MyActivities {
  std::vector<UnitRef> units;
  std::vector<ActivityRow> lead;
  std::vector<ActivityRow> support;
  std::vector<ActivityRow> due_this_month;
  std::vector<ActivityRow> overdue;
  std::map<std::int64_t, UnitRef> unit_names;
};

struct IndicatorView {
  std::string key;
  std::string description;
  std::string unit;
  std::string target;
  std::string kind;  // manual | computed
  std::vector<std::int64_t> result_ids;
  std::optional<double> computed_value;  // computed: for the requested period
  std::vector<IndicatorValue> values;    // manual: values in the period
  std::optional<IndicatorValue> latest;  // manual: the latest value
};

struct ReportActivity {
  Activity activity;
  std::map<MonthIndex, ActivityStatus> months;
  std::vector<Entry> entries;  // all of the period, or only the latest (see Report)
  int entry_count = 0;         // entries of the period
  std::optional<OccurrenceCounts> occurrences;
  std::vector<std::string> late_reasons;
};
struct ReportGoal {
  std::int64_t id = 0;
  int number = 0;
  std::string title;
  std::string partners;
  ActivityStatus status = ActivityStatus::kNotStarted;
  std::vector<ExpectedResult> results;
  std::vector<ReportActivity> activities;
};
struct ReportPillar {
  std::string key;
  std::string title;
  std::vector<ReportGoal> goals;
};
struct PlanReport {
  PlanSummary plan;
  MonthIndex from = 0;
  MonthIndex to = 0;
  std::vector<ReportPillar> pillars;
  std::vector<IndicatorView> indicators;
  std::map<std::string, int> activities_by_status;
  int activities = 0;
  int late = 0;
  int entries = 0;
  std::map<std::int64_t, UnitRef> units;
};

// A matrix or report as the service caches it (shared, never changed), with what each request
// reads fresh: unit names and indicator values. The body's own `units` and `indicators` are
// empty.
struct MatrixView {
  std::shared_ptr<const PlanMatrix> body;
  std::map<std::int64_t, UnitRef> units;
};
struct ReportView {
  std::shared_ptr<const PlanReport> body;
  std::vector<IndicatorView> indicators;
  std::map<std::int64_t, UnitRef> units;
};

class PlanService {
 public:
  PlanService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
              units::UnitsService& units, IndicatorRegistry& indicators,
              security::SecretBytes server_key, std::string evidence_dir);

  static std::vector<storage::Migration> Migrations() { return PlanStore::Migrations(); }

  // Import: validates the whole file first; writes nothing on any error.
  Result<PlanSummary> Import(const security::Principal& actor, std::string_view yaml_text,
                             const std::string& request_id);
  Result<PlanSummary> ImportDocument(const security::Principal& actor, const PlanDocument& doc,
                                     const std::string& request_id);
  // For generators (demo, benchmarks): many entries in one transaction, unchecked, audited once.
  // The activities' statuses are left alone until FollowLatestEntries, called once after the
  // last batch: updating an activity per entry left PostgreSQL's table of 2,000 activities at
  // 13 MB after 120,000 entries.
  Status BulkInsertEntries(const security::Principal& actor,
                           const std::vector<std::pair<Activity, NewEntry>>& entries);
  Status FollowLatestEntries(std::int64_t plan_id);
  Result<std::vector<PlanSummary>> List();
  Result<PlanSummary> Summary(std::int64_t plan_id);
  // `year` selects which twelve months fill the month grid (default: the plan's first year).
  // `pillar` keeps only the activities that serve it (ServesPillar), with their goals and
  // pillars; kInvalidArgument when it is not a pillar key.
  Result<PlanMatrix> Matrix(std::int64_t plan_id, std::optional<int> year,
                            const std::optional<std::string>& pillar = std::nullopt);
  // The same without a copy of the cached body (the HTTP handlers).
  Result<MatrixView> MatrixOf(std::int64_t plan_id, std::optional<int> year);
  Result<std::vector<PlanSummary>> Versions(std::int64_t plan_id);
  Result<std::vector<PlanChange>> Diff(std::int64_t plan_id, std::int64_t other_id);

  // Activities and entries.
  Result<ActivityDetail> GetActivity(std::int64_t activity_id);
  Result<Activity> UpdateActivity(const security::Principal& actor, std::int64_t activity_id,
                                  const ActivityPatch& patch, const std::string& request_id);
  Result<std::vector<Entry>> ListEntries(std::int64_t activity_id);
  Result<Entry> AddEntry(const security::Principal& actor, std::int64_t activity_id,
                         const NewEntry& entry, const std::string& request_id);
  // `pillar` as for Matrix.
  Result<MyActivities> MyActivitiesOf(const security::Principal& actor,
                                      const std::optional<std::string>& pillar = std::nullopt);

  // Evidence files, encrypted at rest with a per-file key sealed under the server key.
  Result<Evidence> UploadEvidence(const security::Principal& actor, const std::string& filename,
                                  const std::string& content_type, std::string_view content,
                                  const std::string& request_id);
  Result<std::pair<Evidence, std::string>> ReadEvidence(const security::Principal& actor,
                                                        std::int64_t evidence_id,
                                                        const std::string& request_id);

  // Indicators.
  Result<std::vector<IndicatorView>> Indicators(std::optional<std::int64_t> plan_id,
                                                std::optional<MonthIndex> from,
                                                std::optional<MonthIndex> to);
  Status DefineIndicator(const security::Principal& actor, const IndicatorDefinition& definition,
                         const std::string& request_id);
  Status AddIndicatorValue(const security::Principal& actor, const std::string& key,
                           const std::string& value, const std::string& date,
                           const std::string& note, const std::string& request_id);

  // The progress report for [from, to] (defaults: the plan's period).
  // `latest_entries_only`: each activity carries only its latest entry of the period (the JSON
  // report, read on slow links); the CSV and XLSX downloads carry every entry.
  Result<PlanReport> Report(std::int64_t plan_id, std::optional<MonthIndex> from,
                            std::optional<MonthIndex> to, bool latest_entries_only = false);
  Result<ReportView> ReportOf(std::int64_t plan_id, std::optional<MonthIndex> from,
                              std::optional<MonthIndex> to, bool latest_entries_only);

  std::string Today() const;

 private:
  // `actor_units`: the units the actor is a focal point of (read before the transaction).
  Status CheckEntryRights(const security::Principal& actor, const Activity& activity,
                          const std::vector<std::int64_t>& actor_units);
  Result<std::map<std::int64_t, UnitRef>> UnitNames();
  // Indicators(), taking the values of computed indicators in `known` (by key) as given.
  Result<std::vector<IndicatorView>> IndicatorsWith(std::optional<std::int64_t> plan_id,
                                                    std::optional<MonthIndex> from,
                                                    std::optional<MonthIndex> to,
                                                    const std::map<std::string, double>& known);
  void RegisterOwnIndicators();

  // The matrix and the JSON report (latest entries only) without what is read fresh for every
  // request (unit names, indicator values), kept against the plan's revision
  // (PlanStore::Revision) and the day, on which occurrences and lateness depend.
  struct MatrixKey {
    std::int64_t plan_id = 0;
    std::optional<int> year;
    std::string today;
    bool operator==(const MatrixKey&) const = default;
  };
  struct ReportKey {
    std::int64_t plan_id = 0;
    std::optional<MonthIndex> from;
    std::optional<MonthIndex> to;
    bool latest_entries_only = false;
    std::string today;
    bool operator==(const ReportKey&) const = default;
  };
  struct ReportBody {
    PlanReport report;                    // without indicators and unit names
    std::map<std::string, double> known;  // the plan's own computed indicators
  };
  Result<ReportBody> ComputeReport(storage::Connection& c, std::int64_t plan_id,
                                   std::optional<MonthIndex> from, std::optional<MonthIndex> to,
                                   bool latest_entries_only, const std::string& today);
  // The value of `cache` for `key` at the plan's revision, read in the same read transaction
  // as `compute` would read the plan; computed and kept when the cache has none.
  template <typename Value, typename Key>
  Result<std::shared_ptr<const Value>> Cached(
      RevisionCache<Key, Value>& cache, std::int64_t plan_id, const Key& key,
      const std::function<Result<Value>(storage::Connection&)>& compute);
  Result<PlanMatrix> ComputeMatrix(storage::Connection& c, std::int64_t plan_id,
                                   std::optional<int> year, const std::string& today);

  storage::Database& database_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  units::UnitsService& units_;
  IndicatorRegistry& indicators_;
  security::SecretBytes server_key_;
  std::string evidence_dir_;
  PlanStore store_;
  RevisionCache<MatrixKey, PlanMatrix> matrix_cache_{8};
  RevisionCache<ReportKey, ReportBody> report_cache_{8};
};

// `plan` with only the activities that serve `pillar` (ServesPillar), the goals that keep any
// and the pillars that keep any goal, in their order. A goal keeps all its expected results.
Plan FilterByPillar(const Plan& plan, std::string_view pillar);

// Aggregates the statuses of a goal's activities into one.
ActivityStatus GoalStatus(const std::vector<ActivityStatus>& statuses);

}  // namespace psea::plan
