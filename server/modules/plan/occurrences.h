// Occurrences of recurring duties: the windows in which a weekly, bi-weekly, monthly,
// quarterly or bi-annual activity must happen within the plan's period, and whether each
// was done (an entry dated inside it), is due (contains today), overdue (ended without an
// entry) or upcoming. Pure functions: no clock, no database.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "modules/plan/model.h"

namespace psea::plan {

struct DatedEntry {
  std::string date;  // "YYYY-MM-DD": the entry's occurred_on, or the 1st of its month
  std::int64_t entry_id = 0;
};

// Windows from the first day of `period_start` to the last day of `period_end`. Weekly
// windows are ISO weeks (Monday to Sunday) and bi-weekly windows pairs of them, both clipped to
// the period; monthly, quarterly and bi-annual windows follow the calendar. Frequencies kNone
// and kPerEvent have no windows. `today` is "YYYY-MM-DD".
std::vector<Occurrence> GenerateOccurrences(Frequency frequency, MonthIndex period_start,
                                            MonthIndex period_end,
                                            const std::vector<DatedEntry>& entries,
                                            const std::string& today);

OccurrenceCounts CountOccurrences(const std::vector<Occurrence>& occurrences);

// The same counts as CountOccurrences(GenerateOccurrences(...)) without building the windows'
// texts: the matrix computes this for every recurring activity of a plan.
OccurrenceCounts CountOccurrenceStates(Frequency frequency, MonthIndex period_start,
                                       MonthIndex period_end,
                                       const std::vector<DatedEntry>& entries,
                                       const std::string& today);

bool IsRecurring(Frequency frequency);
// "YYYY-MM-DD" is a valid calendar date.
bool IsValidDate(const std::string& date);

}  // namespace psea::plan
