// Generated plan data for the demo and the benchmarks. Never real data: generated plans are
// labelled as such, and demo entries say they are demo entries.
#pragma once

#include <cstdint>

#include "modules/plan/service.h"

namespace psea::plan {

// A synthetic plan of `goals` goals over three pillars with `activities` activities in all,
// covering `years` years from January of `start_year`. Every tenth activity recurs.
PlanDocument GeneratePlanDocument(int goals, int activities, int years, int start_year);

// Progress entries for a plan: for every activity, one entry in each month with probability
// `share` (deterministic), with statuses that mostly say on track.
Status GenerateEntries(PlanService& service, const security::Principal& actor, std::int64_t plan_id,
                       double share);

}  // namespace psea::plan
