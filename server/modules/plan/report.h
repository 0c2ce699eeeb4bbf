// The progress report as CSV and as an XLSX workbook laid out like the plan matrix
// (libxlsxwriter). The JSON form is built by the handlers from the same PlanReport.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "modules/plan/service.h"

namespace psea::plan {

// With the unit names and indicators given apart from the report (a cached ReportView's
// body has none), or those of the report itself.
std::string ReportCsv(const PlanReport& report, const std::map<std::int64_t, UnitRef>& units);
std::string ReportCsv(const PlanReport& report);
// The workbook's bytes. kInternal when libxlsxwriter fails.
Result<std::string> ReportXlsx(const PlanReport& report,
                               const std::vector<IndicatorView>& indicators,
                               const std::map<std::int64_t, UnitRef>& units);
Result<std::string> ReportXlsx(const PlanReport& report);

// "Prevention 1 (a)" style label of an activity.
std::string ActivityLabel(const std::string& pillar_title, int goal_number,
                          const std::string& letter);

}  // namespace psea::plan
