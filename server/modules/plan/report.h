// The progress report as CSV and as an XLSX workbook laid out like the plan matrix
// (libxlsxwriter). The JSON form is built by the handlers from the same PlanReport.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "modules/plan/service.h"

namespace psea::plan {

// The languages a workbook is written in: "en" and "fr".
bool IsReportLanguage(std::string_view language);

// With the unit names and indicators given apart from the report (a cached ReportView's
// body has none), or those of the report itself.
// The CSV is data for other programs: its column names and status codes are the API's
// (pillar, on_track, ...) in every language; it starts with the UTF-8 byte order mark and is
// quoted as RFC 4180 says (core/csv.h).
std::string ReportCsv(const PlanReport& report, const std::map<std::int64_t, UnitRef>& units);
std::string ReportCsv(const PlanReport& report);
// The workbook's bytes, for people: headings, statuses, frequencies and sheet names in
// `language` (IsReportLanguage; anything else is English), figures as numbers, percentages
// with a percent format, dates as dates. kInternal when libxlsxwriter fails.
Result<std::string> ReportXlsx(const PlanReport& report,
                               const std::vector<IndicatorView>& indicators,
                               const std::map<std::int64_t, UnitRef>& units,
                               std::string_view language = "en");
Result<std::string> ReportXlsx(const PlanReport& report, std::string_view language = "en");

// "Prevention 1 (a)" style label of an activity.
std::string ActivityLabel(const std::string& pillar_title, int goal_number,
                          const std::string& letter);

}  // namespace psea::plan
