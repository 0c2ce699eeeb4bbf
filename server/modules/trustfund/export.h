// The Trust Fund's projects and transfers as CSV (core/csv.h) and XLSX (libxlsxwriter, through
// a temporary file). Pure of the database: the service hands the rows as the caller may see
// them (a transfer's case reference only where the caller sees the case). Free-text notes are
// left out: an export travels further than the application.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "modules/trustfund/service.h"

namespace psea::trustfund {

// The amount in major units with the currency's minor digits: 123456 USD is "1234.56",
// 5000 XAF is "5000".
std::string FormatAmount(std::int64_t amount_minor, const std::string& currency);

std::string ProjectsCsv(const std::vector<ProjectView>& projects);
std::string TransfersCsv(const std::vector<TransferView>& transfers);
// kInternal when the workbook cannot be written.
Result<std::string> ProjectsXlsx(const std::vector<ProjectView>& projects);
Result<std::string> TransfersXlsx(const std::vector<TransferView>& transfers);

}  // namespace psea::trustfund
