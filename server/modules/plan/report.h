// The progress report as CSV and as an XLSX workbook laid out like the plan matrix
// (libxlsxwriter). The JSON form is built by the handlers from the same PlanReport.
#pragma once

#include <string>

#include "core/result.h"
#include "modules/plan/service.h"

namespace psea::plan {

std::string ReportCsv(const PlanReport& report);
// The workbook's bytes. kInternal when libxlsxwriter fails.
Result<std::string> ReportXlsx(const PlanReport& report);

// "Prevention 1 (a)" style label of an activity.
std::string ActivityLabel(const std::string& pillar_title, int goal_number,
                          const std::string& letter);

}  // namespace psea::plan
