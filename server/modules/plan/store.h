// SQL for the plan tables. Every method runs on the caller's connection and transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/plan/model.h"
#include "modules/plan/occurrences.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::plan {

struct StoredEvidenceFile {
  Evidence evidence;
  std::string file_key_sealed;  // the file's key, sealed under the server key
  std::int64_t uploaded_by = 0;
};

struct IndicatorDefinition {
  std::string key;
  std::string description;
  std::string unit;
  std::string target;  // decimal text, may be empty
  std::string kind;    // manual | computed
  std::vector<std::int64_t> result_ids;
};

struct IndicatorValue {
  std::string key;
  std::string value;  // decimal text
  std::string date;   // YYYY-MM-DD
  std::string note;
  std::string entered_by;
  UnixMillis created_at = 0;
};

class PlanStore {
 public:
  static std::vector<storage::Migration> Migrations();

  // Import.
  Result<int> NextVersionNumber(storage::Connection& c, const std::string& key) const;
  Result<std::int64_t> InsertPlan(storage::Connection& c, const PlanDocument& doc,
                                  int version_number, const std::string& imported_by,
                                  UnixMillis now, const std::vector<std::string>& unmatched) const;
  Result<std::int64_t> InsertPillar(storage::Connection& c, std::int64_t plan_id,
                                    const PillarDoc& pillar, int position) const;
  Result<std::int64_t> InsertGoal(storage::Connection& c, std::int64_t plan_id,
                                  std::int64_t pillar_id, const GoalDoc& goal, int position) const;
  Result<std::int64_t> InsertActivity(storage::Connection& c, std::int64_t plan_id,
                                      std::int64_t goal_id, const ActivityDoc& activity,
                                      Frequency frequency, int position, UnixMillis now) const;
  Status InsertResult(storage::Connection& c, std::int64_t plan_id, std::int64_t goal_id,
                      const ResultDoc& result, int position) const;
  Status SetActivityUnits(storage::Connection& c, std::int64_t activity_id,
                          const std::vector<std::int64_t>& lead,
                          const std::vector<std::int64_t>& support) const;

  // Reading.
  Result<std::vector<PlanSummary>> ListPlans(storage::Connection& c) const;
  Result<std::optional<PlanSummary>> GetSummary(storage::Connection& c, std::int64_t plan_id) const;
  // The plan's revision: every write to the plan's rows (activities, units, entries, evidence,
  // the indicators linked to its results, a newer version of it) raises it in the writing
  // transaction, so that data derived from the plan can be cached against it. Empty when there
  // is no such plan.
  Result<std::optional<std::int64_t>> Revision(storage::Connection& c, std::int64_t plan_id) const;
  Result<std::optional<Plan>> LoadPlan(storage::Connection& c, std::int64_t plan_id) const;
  Result<std::optional<Activity>> GetActivity(storage::Connection& c,
                                              std::int64_t activity_id) const;
  // The latest entry's status of each month in [from, to] for every activity of the plan.
  // When given, `counts` and `latest_ids` receive each activity's number of entries in the
  // period and the id of its latest one, from the same pass over the index.
  Result<std::map<std::int64_t, std::map<MonthIndex, ActivityStatus>>> MonthStatuses(
      storage::Connection& c, std::int64_t plan_id, MonthIndex from, MonthIndex to,
      std::map<std::int64_t, int>* counts = nullptr,
      std::map<std::int64_t, std::int64_t>* latest_ids = nullptr) const;
  // Entries by id (any order), with their evidence.
  Result<std::vector<Entry>> EntriesByIds(storage::Connection& c,
                                          const std::vector<std::int64_t>& ids) const;
  // Dated entries (not cancelled) of `activity_ids` with months in [from, to], for occurrences;
  // callers pass the recurring activities. An entry's date falls in its month, so entries of
  // other months cannot fall in any window of [from, to].
  Result<std::map<std::int64_t, std::vector<DatedEntry>>> DatedEntries(
      storage::Connection& c, const std::vector<std::int64_t>& activity_ids, MonthIndex from,
      MonthIndex to) const;
  Result<std::map<std::int64_t, std::vector<DatedEntry>>> DatedEntriesOf(
      storage::Connection& c, std::int64_t activity_id) const;
  // Activities led or supported by any of `unit_ids`, in plans that are the latest version.
  Result<std::vector<std::pair<Activity, std::string>>> ActivitiesOfUnits(
      storage::Connection& c, const std::vector<std::int64_t>& unit_ids) const;

  // Tracking.
  Status UpdateActivity(storage::Connection& c, const Activity& activity, UnixMillis now) const;
  // Also sets the activity's status when the entry is for its most recent month.
  Result<std::int64_t> InsertEntry(storage::Connection& c, std::int64_t plan_id,
                                   std::int64_t activity_id, const NewEntry& entry,
                                   std::int64_t author_id, const std::string& author,
                                   UnixMillis now) const;
  // Many entries (generators): the rows only; then FollowLatestEntries once.
  Status InsertEntryRows(storage::Connection& c,
                         const std::vector<std::pair<Activity, NewEntry>>& entries,
                         std::int64_t author_id, const std::string& author, UnixMillis now) const;
  // Sets every activity of the plan that has entries to the status of its latest entry for
  // its most recent month (what InsertEntry keeps up entry by entry), in one statement.
  Status FollowLatestEntries(storage::Connection& c, std::int64_t plan_id, UnixMillis now) const;
  Result<std::optional<Entry>> GetEntry(storage::Connection& c, std::int64_t entry_id) const;
  // Newest first; `activity_id` or every activity of `plan_id` with months in [from, to].
  Result<std::vector<Entry>> ListEntries(storage::Connection& c, std::int64_t activity_id) const;
  Result<std::vector<Entry>> EntriesInPeriod(storage::Connection& c, std::int64_t plan_id,
                                             MonthIndex from, MonthIndex to) const;

  // Evidence.
  Result<std::int64_t> InsertFileEvidence(storage::Connection& c, const Evidence& evidence,
                                          const std::string& file_key_sealed,
                                          std::int64_t uploaded_by, UnixMillis now) const;
  Result<std::int64_t> InsertLinkEvidence(storage::Connection& c, std::int64_t entry_id,
                                          const std::string& url, const std::string& title,
                                          std::int64_t uploaded_by, UnixMillis now) const;
  Result<std::optional<StoredEvidenceFile>> GetEvidence(storage::Connection& c,
                                                        std::int64_t id) const;
  Status AttachEvidence(storage::Connection& c, std::int64_t evidence_id,
                        std::int64_t entry_id) const;
  // Uploads never attached to an entry before `cutoff`; their rows are deleted, ids returned.
  Result<std::vector<std::int64_t>> DeleteOrphanEvidence(storage::Connection& c,
                                                         UnixMillis cutoff) const;

  // Indicators.
  Result<std::vector<IndicatorDefinition>> ListIndicatorDefinitions(storage::Connection& c) const;
  Status UpsertIndicatorDefinition(storage::Connection& c,
                                   const IndicatorDefinition& definition) const;
  Status InsertIndicatorValue(storage::Connection& c, const IndicatorValue& value,
                              std::int64_t entered_by_id, UnixMillis now) const;
  Result<std::vector<IndicatorValue>> IndicatorValues(storage::Connection& c,
                                                      const std::string& key,
                                                      const std::string& from_date,
                                                      const std::string& to_date) const;
};

}  // namespace psea::plan
