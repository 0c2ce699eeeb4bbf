#include "modules/trustfund/export.h"

#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/csv.h"
#include "security/crypto.h"

namespace psea::trustfund {

namespace {
// One cell: a number or a text.
struct Cell {
  std::optional<std::int64_t> number;
  std::string text;
};
Cell Num(std::int64_t value) { return Cell{value, ""}; }
Cell Text(std::string value) { return Cell{std::nullopt, std::move(value)}; }

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ' ';
    out += item;
  }
  return out;
}

const std::vector<std::string>& ProjectHeadings() {
  static const std::vector<std::string> headings = {"id",
                                                    "title",
                                                    "partner",
                                                    "provider_id",
                                                    "amount_minor",
                                                    "amount",
                                                    "currency",
                                                    "start",
                                                    "end",
                                                    "prefectures",
                                                    "services",
                                                    "status",
                                                    "women",
                                                    "girls",
                                                    "men",
                                                    "boys",
                                                    "children_born_of_sea",
                                                    "beneficiaries",
                                                    "periods"};
  return headings;
}

std::vector<std::vector<Cell>> ProjectRows(const std::vector<ProjectView>& projects) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& view : projects) {
    const Project& p = view.project;
    BeneficiaryTotals totals;
    for (const auto& e : view.beneficiaries) {
      totals.women += e.women;
      totals.girls += e.girls;
      totals.men += e.men;
      totals.boys += e.boys;
      totals.children_born_of_sea += e.children_born_of_sea;
    }
    rows.push_back(
        {Num(p.id), Text(p.title), Text(p.partner), p.provider_id ? Num(*p.provider_id) : Text(""),
         Num(p.amount_minor), Text(FormatAmount(p.amount_minor, p.currency)), Text(p.currency),
         Text(FormatDay(p.start_day)), Text(FormatDay(p.end_day)), Text(Join(p.prefectures)),
         Text(Join(p.services)), Text(p.status), Num(totals.women), Num(totals.girls),
         Num(totals.men), Num(totals.boys), Num(totals.children_born_of_sea), Num(totals.Total()),
         Num(static_cast<std::int64_t>(view.beneficiaries.size()))});
  }
  return rows;
}

const std::vector<std::string>& TransferHeadings() {
  static const std::vector<std::string> headings = {
      "id", "date", "amount_minor", "amount", "currency", "contributor", "case", "reference"};
  return headings;
}

std::vector<std::vector<Cell>> TransferRows(const std::vector<TransferView>& transfers) {
  std::vector<std::vector<Cell>> rows;
  for (const auto& view : transfers) {
    const Transfer& t = view.transfer;
    rows.push_back({Num(t.id), Text(FormatDay(t.transfer_day)), Num(t.amount_minor),
                    Text(FormatAmount(t.amount_minor, t.currency)), Text(t.currency),
                    Text(t.contributor), Text(view.case_reference), Text(t.reference)});
  }
  return rows;
}

std::string Csv(const std::vector<std::string>& headings,
                const std::vector<std::vector<Cell>>& rows) {
  csv::Writer out;
  for (const auto& heading : headings) out.Text(heading);
  out.EndRow();
  for (const auto& row : rows) {
    for (const auto& cell : row) {
      if (cell.number) {
        out.Number(*cell.number);
      } else {
        out.Text(cell.text);
      }
    }
    out.EndRow();
  }
  return out.Take();
}

Result<std::string> Xlsx(const char* sheet_name, const std::vector<std::string>& headings,
                         const std::vector<std::vector<Cell>>& rows) {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() / ("psea-trustfund-" + security::RandomToken(12) + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Internal("cannot create the workbook");
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name);
  lxw_col_t column = 0;
  for (const auto& heading : headings) {
    worksheet_write_string(sheet, 0, column++, heading.c_str(), header);
  }
  worksheet_set_column(sheet, 0, static_cast<lxw_col_t>(headings.size() - 1), 16, nullptr);
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_row_t row_index = 1;
  for (const auto& row : rows) {
    column = 0;
    for (const auto& cell : row) {
      if (cell.number) {
        worksheet_write_number(sheet, row_index, column, static_cast<double>(*cell.number),
                               nullptr);
      } else if (!cell.text.empty()) {
        worksheet_write_string(sheet, row_index, column, cell.text.c_str(), nullptr);
      }
      ++column;
    }
    ++row_index;
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
}  // namespace

std::string FormatAmount(std::int64_t amount_minor, const std::string& currency) {
  const auto exponent = static_cast<std::size_t>(CurrencyExponent(currency).value_or(2));
  const bool negative = amount_minor < 0;
  // Through unsigned: the lowest int64 has no positive counterpart.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(amount_minor)
                                           : static_cast<std::uint64_t>(amount_minor);
  const std::string digits = std::to_string(magnitude);
  std::string padded;
  if (digits.size() <= exponent) padded.assign(exponent + 1 - digits.size(), '0');
  padded += digits;
  std::string out;
  if (negative) out += '-';
  out.append(padded, 0, padded.size() - exponent);
  if (exponent > 0) {
    out += '.';
    out.append(padded, padded.size() - exponent, exponent);
  }
  return out;
}

std::string ProjectsCsv(const std::vector<ProjectView>& projects) {
  return Csv(ProjectHeadings(), ProjectRows(projects));
}

std::string TransfersCsv(const std::vector<TransferView>& transfers) {
  return Csv(TransferHeadings(), TransferRows(transfers));
}

Result<std::string> ProjectsXlsx(const std::vector<ProjectView>& projects) {
  return Xlsx("Projects", ProjectHeadings(), ProjectRows(projects));
}

Result<std::string> TransfersXlsx(const std::vector<TransferView>& transfers) {
  return Xlsx("Transfers", TransferHeadings(), TransferRows(transfers));
}

}  // namespace psea::trustfund
