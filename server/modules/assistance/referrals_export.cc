// The service tracking table as CSV and XLSX: file references, needs, providers, dates and
// statuses; never a name, a contact or a pseudonym.
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "modules/assistance/referrals.h"
#include "security/crypto.h"

namespace psea::assistance {

namespace {

const std::vector<std::string_view>& Headings() {
  static const std::vector<std::string_view> headings = {"file",
                                                         "prefecture",
                                                         "need",
                                                         "urgency",
                                                         "need_status",
                                                         "service",
                                                         "provider",
                                                         "status",
                                                         "referred_at",
                                                         "service_started_at",
                                                         "last_follow_up_at",
                                                         "next_follow_up_at",
                                                         "emergency",
                                                         "overdue"};
  return headings;
}

std::string Day(const std::optional<UnixMillis>& at) {
  return at ? FormatIso8601(*at).substr(0, 10) : std::string();
}

std::vector<std::string> CellsOf(const TrackingRow& row) {
  return {row.file_reference,
          row.prefecture,
          row.need_type,
          row.urgency,
          row.need_status,
          row.service,
          row.provider_name,
          row.status.empty() ? "not_referred" : row.status,
          Day(row.referred_at),
          Day(row.service_started_at),
          Day(row.last_follow_up_at),
          Day(row.next_follow_up_at),
          row.emergency ? "yes" : "no",
          row.overdue ? "yes" : "no"};
}

}  // namespace

std::string TrackingCsv(const std::vector<TrackingRow>& rows) {
  csv::Writer out;
  for (auto heading : Headings()) out.Text(heading);
  out.EndRow();
  for (const auto& row : rows) {
    for (const auto& cell : CellsOf(row)) out.Text(cell);
    out.EndRow();
  }
  return out.Take();
}

Result<std::string> TrackingXlsx(const std::vector<TrackingRow>& rows) {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() / ("psea-tracking-" + security::RandomToken(12) + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Internal("cannot create the workbook");
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  lxw_format* overdue = workbook_add_format(workbook);
  format_set_bg_color(overdue, 0xFCE4D6);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Service tracking");
  lxw_col_t column = 0;
  for (auto heading : Headings()) {
    worksheet_write_string(sheet, 0, column++, std::string(heading).c_str(), header);
  }
  worksheet_set_column(sheet, 0, 0, 14, nullptr);
  worksheet_set_column(sheet, 5, 6, 24, nullptr);
  worksheet_set_column(sheet, 7, 11, 16, nullptr);
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_row_t row_index = 1;
  for (const auto& row : rows) {
    column = 0;
    for (const auto& cell : CellsOf(row)) {
      if (!cell.empty()) {
        worksheet_write_string(sheet, row_index, column, cell.c_str(),
                               row.overdue ? overdue : nullptr);
      }
      ++column;
    }
    ++row_index;
  }
  if (!rows.empty()) {
    worksheet_autofilter(sheet, 0, 0, row_index - 1, static_cast<lxw_col_t>(Headings().size() - 1));
  }
  const lxw_error error = workbook_close(workbook);
  std::error_code ignored;
  if (error != LXW_NO_ERROR) {
    fs::remove(path, ignored);
    return Internal(std::string("cannot write the workbook: ") + lxw_strerror(error));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  fs::remove(path, ignored);
  return bytes.str();
}

}  // namespace psea::assistance
