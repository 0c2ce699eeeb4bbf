#include "modules/plan/generator.h"

#include <cstdint>

namespace psea::plan {

namespace {
// A small deterministic generator, so that generated data is the same run after run.
std::uint64_t Mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

std::string Letter(int index) {
  std::string letter;
  if (index >= 26) letter += static_cast<char>('a' + index / 26 - 1);
  letter += static_cast<char>('a' + index % 26);
  return letter;
}
}  // namespace

PlanDocument GeneratePlanDocument(int goals, int activities, int years, int start_year) {
  PlanDocument doc;
  doc.key = "generated-" + std::to_string(goals) + "-" + std::to_string(activities);
  doc.version = "generated";
  doc.title = "Generated plan (" + std::to_string(goals) + " goals, " + std::to_string(activities) +
              " activities) - not a real plan";
  doc.mission = "GENERATED";
  doc.period_start = MakeMonth(start_year, 1);
  doc.period_end = MakeMonth(start_year + years - 1, 12);
  const char* pillar_keys[] = {"prevention", "enforcement", "remedial_action"};
  const char* pillar_titles[] = {"Prevention", "Enforcement", "Remedial action"};
  const char* frequencies[] = {"weekly", "monthly", "quarterly", "bi-annual", "bi-weekly"};
  for (int p = 0; p < 3; ++p)
    doc.pillars.push_back({pillar_keys[p], pillar_titles[p], "Generated objective", {}});
  int made = 0;
  for (int g = 0; g < goals; ++g) {
    GoalDoc goal;
    goal.number = g / 3 + 1;
    goal.title = "Generated goal " + std::to_string(g + 1);
    goal.partners = (g % 2 == 0) ? "CDT; Force" : "Police; UN Agencies";
    const int count = activities / goals + (g < activities % goals ? 1 : 0);
    for (int a = 0; a < count; ++a, ++made) {
      std::string text = "Generated activity " + std::to_string(made + 1);
      if (made % 10 == 0) text += std::string(" held ") + frequencies[(made / 10) % 5];
      ActivityDoc activity;
      activity.letter = Letter(a);
      activity.text = std::move(text);
      goal.activities.push_back(std::move(activity));
    }
    goal.expected_results.push_back({"i", "Generated expected result"});
    doc.pillars[g % 3].goals.push_back(std::move(goal));
  }
  return doc;
}

Status GenerateEntries(PlanService& service, const security::Principal& actor, std::int64_t plan_id,
                       double share) {
  ASSIGN_OR_RETURN(auto matrix, service.Matrix(plan_id, std::nullopt));
  const ActivityStatus statuses[] = {ActivityStatus::kOnTrack, ActivityStatus::kOnTrack,
                                     ActivityStatus::kOnTrack, ActivityStatus::kAtRisk,
                                     ActivityStatus::kDelayed, ActivityStatus::kCompleted};
  std::vector<const Activity*> activities;
  for (const auto& pillar : matrix.plan.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& activity : goal.activities) activities.push_back(&activity);
    }
  }
  // Month by month, as the entries of a real plan arrive: the database then keeps a month's
  // entries together, as it would after years of use.
  std::vector<std::pair<Activity, NewEntry>> batch;
  for (MonthIndex month = matrix.plan.summary.period_start; month <= matrix.plan.summary.period_end;
       ++month) {
    for (const Activity* activity : activities) {
      const std::uint64_t roll = Mix(static_cast<std::uint64_t>(activity->id) * 1000003u +
                                     static_cast<std::uint64_t>(month));
      if (static_cast<double>(roll % 1000) >= share * 1000) continue;
      NewEntry entry;
      entry.month = month;
      entry.status = statuses[(roll >> 10) % 6];
      entry.narrative = "Generated progress entry for " + FormatMonth(month) + ".";
      batch.emplace_back(*activity, std::move(entry));
      if (batch.size() >= 5000) {
        RETURN_IF_ERROR(service.BulkInsertEntries(actor, batch));
        batch.clear();
      }
    }
  }
  if (!batch.empty()) RETURN_IF_ERROR(service.BulkInsertEntries(actor, batch));
  return service.FollowLatestEntries(plan_id);
}

}  // namespace psea::plan
