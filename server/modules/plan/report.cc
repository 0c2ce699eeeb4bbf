#include "modules/plan/report.h"

#include <xlsxwriter.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "core/csv.h"
#include "security/crypto.h"

namespace psea::plan {

namespace {
std::string UnitList(const std::vector<std::int64_t>& ids,
                     const std::map<std::int64_t, UnitRef>& units) {
  std::string out;
  for (std::int64_t id : ids) {
    auto found = units.find(id);
    if (found != units.end()) out += (out.empty() ? "" : ", ") + found->second.code;
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Colours of the statuses, as in the web matrix.
lxw_color_t StatusColour(ActivityStatus status) {
  switch (status) {
    case ActivityStatus::kOnTrack:
      return 0xC6EFCE;
    case ActivityStatus::kCompleted:
      return 0x9BC2E6;
    case ActivityStatus::kContinuous:
      return 0xD9E1F2;
    case ActivityStatus::kAtRisk:
      return 0xFFEB9C;
    case ActivityStatus::kDelayed:
      return 0xFFC7CE;
    case ActivityStatus::kCancelled:
      return 0xD9D9D9;
    case ActivityStatus::kNotStarted:
      return 0xFFFFFF;
  }
  return 0xFFFFFF;
}

// The words of a workbook in one language. The French are those of the web app
// (web/src/i18n/plan.fr.ts), so that the report reads like the screen.
struct Words {
  const char* matrix_sheet;
  const char* entries_sheet;
  const char* indicators_sheet;
  const char* subtitle;                       // "{from}", "{to}", "{version}" are replaced
  std::array<const char*, 7> matrix_headers;  // goal ... status, then "late"
  std::array<const char*, 7> entry_headers;
  std::array<const char*, 7> indicator_headers;
  const char* manual;
  const char* computed;
  std::map<ActivityStatus, const char*> statuses;
  // The late reasons the service writes in English (PlanService::ReportOf), translated.
  const char* late_status;
  const char* late_occurrences;
  const char* late_target;
  const char* date_format;
  const char* month_format;
};

const Words kEnglish{
    "Matrix",
    "Entries",
    "Indicators",
    "Progress report {from} to {to} - version {version}",
    {"Goal", "Activity", "Expected results", "Lead", "Supporting", "Status", "Late"},
    {"Activity", "Month", "Date", "Status", "Narrative", "Author", "Evidence"},
    {"Indicator", "Description", "Kind", "Unit", "Target", "Value", "Value date"},
    "manual",
    "computed",
    {{ActivityStatus::kNotStarted, "Not started"},
     {ActivityStatus::kOnTrack, "On track"},
     {ActivityStatus::kAtRisk, "At risk"},
     {ActivityStatus::kDelayed, "Delayed"},
     {ActivityStatus::kCompleted, "Completed"},
     {ActivityStatus::kContinuous, "Continuous"},
     {ActivityStatus::kCancelled, "Cancelled"}},
    "status ",
    " occurrence(s) without an entry",
    "no entry for target month ",
    "yyyy-mm-dd",
    "yyyy-mm",
};

const Words kFrench{
    "Matrice",
    "Saisies",
    "Indicateurs",
    "Rapport d'avancement de {from} à {to} - version {version}",
    {"Objectif", "Activité", "Résultats attendus", "Chef de file", "Appui", "Statut", "Retard"},
    {"Activité", "Mois", "Date", "Statut", "Récit", "Auteur", "Preuves"},
    {"Indicateur", "Description", "Type", "Unité", "Cible", "Valeur", "Date de la valeur"},
    "manuel",
    "calculé",
    {{ActivityStatus::kNotStarted, "Non commencé"},
     {ActivityStatus::kOnTrack, "En bonne voie"},
     {ActivityStatus::kAtRisk, "À risque"},
     {ActivityStatus::kDelayed, "En retard"},
     {ActivityStatus::kCompleted, "Achevé"},
     {ActivityStatus::kContinuous, "Continu"},
     {ActivityStatus::kCancelled, "Annulé"}},
    "statut ",
    " occurrence(s) sans saisie",
    "aucune saisie pour le mois cible ",
    "dd/mm/yyyy",
    "mm/yyyy",
};

const Words& WordsFor(std::string_view language) { return language == "fr" ? kFrench : kEnglish; }

std::string Replace(std::string text, std::string_view name, const std::string& value) {
  if (auto at = text.find(name); at != std::string::npos) text.replace(at, name.size(), value);
  return text;
}

std::string LateReason(const std::string& reason, const Words& words) {
  constexpr std::string_view kStatus = "status ";
  constexpr std::string_view kOccurrences = " occurrence(s) without an entry";
  constexpr std::string_view kTarget = "no entry for target month ";
  if (reason.rfind(kStatus, 0) == 0) {
    auto status = ParseStatus(std::string_view(reason).substr(kStatus.size()));
    if (status) return words.late_status + std::string(words.statuses.at(*status));
  }
  if (reason.size() > kOccurrences.size() &&
      reason.compare(reason.size() - kOccurrences.size(), kOccurrences.size(), kOccurrences) == 0) {
    return reason.substr(0, reason.size() - kOccurrences.size()) + words.late_occurrences;
  }
  if (reason.rfind(kTarget, 0) == 0) return words.late_target + reason.substr(kTarget.size());
  return reason;
}

// "2018-03-14" as a spreadsheet date; nullopt when it is not one.
std::optional<lxw_datetime> DateOf(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t size, int& out) {
    auto [end, error] = std::from_chars(text.data() + from, text.data() + from + size, out);
    return error == std::errc() && end == text.data() + from + size;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day) || month < 1 ||
      month > 12 || day < 1 || day > 31) {
    return std::nullopt;
  }
  return lxw_datetime{year, month, day, 0, 0, 0.0};
}

// A decimal figure as the indicators store it ("12", "87.5", "100%"); nullopt when the text
// is not a number (a target may be words: "all contingents").
std::optional<double> NumberOf(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsPercent(const std::string& unit) { return unit == "%" || unit == "percent"; }

// The reports are read away from the app: a fragment the source does not let anyone read is
// said to be so in words, not left as a marker or passed off as a whole sentence.
std::string Shown(const std::string& text) {
  return ReplaceIllegible(text, "[illegible in the source]");
}
}  // namespace

std::string ActivityLabel(const std::string& pillar_title, int goal_number,
                          const std::string& letter) {
  return pillar_title + " " + std::to_string(goal_number) + " (" + letter + ")";
}

std::string ReportCsv(const PlanReport& report, const std::map<std::int64_t, UnitRef>& units) {
  csv::Writer out;
  for (const char* column : {"pillar", "goal", "goal_status", "activity", "activity_text", "lead",
                             "support", "status", "frequency"}) {
    out.Text(column);
  }
  for (MonthIndex month = report.from; month <= report.to; ++month) out.Text(FormatMonth(month));
  for (const char* column : {"entries", "occurrences_done", "occurrences_overdue", "late"}) {
    out.Text(column);
  }
  out.EndRow();
  for (const auto& pillar : report.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& row : goal.activities) {
        const Activity& a = row.activity;
        out.Text(pillar.title)
            .Number(goal.number)
            .Text(StatusName(goal.status))
            .Text(a.letter)
            .Text(Shown(a.text))
            .Text(UnitList(a.lead_unit_ids, units))
            .Text(UnitList(a.support_unit_ids, units))
            .Text(StatusName(a.status))
            .Text(FrequencyName(a.frequency));
        for (MonthIndex month = report.from; month <= report.to; ++month) {
          auto found = row.months.find(month);
          if (found != row.months.end()) {
            out.Text(StatusName(found->second));
          } else {
            out.Empty();
          }
        }
        out.Number(static_cast<std::int64_t>(row.entries.size()));
        if (row.occurrences) {
          out.Number(row.occurrences->done).Number(row.occurrences->overdue);
        } else {
          out.Empty().Empty();
        }
        out.Text(Join(row.late_reasons, "; ")).EndRow();
      }
    }
  }
  return out.Take();
}

Result<std::string> ReportXlsx(const PlanReport& report,
                               const std::vector<IndicatorView>& indicators,
                               const std::map<std::int64_t, UnitRef>& units,
                               std::string_view language) {
  namespace fs = std::filesystem;
  const Words& words = WordsFor(language);
  const fs::path path =
      fs::temp_directory_path() / ("psea-report-" + security::RandomToken(12) + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Internal("cannot create the workbook");

  lxw_format* title = workbook_add_format(workbook);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_bg_color(header, 0x1F4E79);
  format_set_font_color(header, LXW_COLOR_WHITE);
  format_set_text_wrap(header);
  format_set_border(header, LXW_BORDER_THIN);
  format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(wrap, LXW_BORDER_THIN);
  auto cell_format = [&](const char* number_format) {
    lxw_format* format = workbook_add_format(workbook);
    format_set_num_format(format, number_format);
    format_set_align(format, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(format, LXW_BORDER_THIN);
    return format;
  };
  lxw_format* date_format = cell_format(words.date_format);
  lxw_format* month_format = cell_format(words.month_format);
  lxw_format* number_format = cell_format("0.##");
  lxw_format* percent_format = cell_format("0.0%");
  lxw_format* pillar_format = workbook_add_format(workbook);
  format_set_bold(pillar_format);
  format_set_bg_color(pillar_format, 0xDDEBF7);
  std::map<ActivityStatus, lxw_format*> status_formats;
  for (const auto& [status, name] : words.statuses) {
    lxw_format* format = workbook_add_format(workbook);
    format_set_bg_color(format, StatusColour(status));
    format_set_border(format, LXW_BORDER_THIN);
    format_set_align(format, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(format);
    format_set_font_size(format, 8);
    status_formats[status] = format;
  }
  auto status_text = [&](ActivityStatus status) { return words.statuses.at(status); };
  // A figure: percentages (unit "%") as fractions with a percent format, others as numbers;
  // text that is no number stays text.
  auto write_figure = [&](lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column,
                          const std::string& text, std::optional<double> value, bool percent) {
    if (!value) {
      worksheet_write_string(sheet, row, column, text.c_str(), wrap);
    } else if (percent) {
      worksheet_write_number(sheet, row, column, *value / 100.0, percent_format);
    } else {
      worksheet_write_number(sheet, row, column, *value, number_format);
    }
  };
  auto write_date = [&](lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column,
                        const std::string& text, lxw_format* format) {
    if (auto date = DateOf(text)) {
      worksheet_write_datetime(sheet, row, column, &*date, format);
    } else if (text.empty()) {
      worksheet_write_blank(sheet, row, column, wrap);
    } else {
      worksheet_write_string(sheet, row, column, text.c_str(), wrap);
    }
  };

  lxw_worksheet* sheet = workbook_add_worksheet(workbook, words.matrix_sheet);
  worksheet_write_string(sheet, 0, 0, report.plan.title.c_str(), title);
  const std::string subtitle =
      Replace(Replace(Replace(words.subtitle, "{from}", FormatMonth(report.from)), "{to}",
                      FormatMonth(report.to)),
              "{version}", report.plan.version);
  worksheet_write_string(sheet, 1, 0, subtitle.c_str(), nullptr);
  lxw_row_t row_index = 3;
  lxw_col_t column = 0;
  for (std::size_t i = 0; i + 1 < words.matrix_headers.size(); ++i) {
    worksheet_write_string(sheet, row_index, column++, words.matrix_headers[i], header);
  }
  const lxw_col_t first_month_column = column;
  for (MonthIndex month = report.from; month <= report.to; ++month) {
    worksheet_write_string(sheet, row_index, column++, FormatMonth(month).c_str(), header);
  }
  const lxw_col_t late_column = column;
  worksheet_write_string(sheet, row_index, late_column, words.matrix_headers.back(), header);
  worksheet_set_column(sheet, 0, 0, 30, nullptr);
  worksheet_set_column(sheet, 1, 1, 45, nullptr);
  worksheet_set_column(sheet, 2, 2, 40, nullptr);
  worksheet_set_column(sheet, 3, 4, 12, nullptr);
  worksheet_set_column(sheet, 5, 5, 12, nullptr);
  worksheet_set_column(sheet, first_month_column, late_column - 1, 9, nullptr);
  worksheet_set_column(sheet, late_column, late_column, 35, nullptr);
  worksheet_freeze_panes(sheet, row_index + 1, 2);
  ++row_index;

  for (const auto& pillar : report.pillars) {
    worksheet_write_string(sheet, row_index++, 0, pillar.title.c_str(), pillar_format);
    for (const auto& goal : pillar.goals) {
      std::string results;
      for (const auto& result : goal.results) {
        if (!results.empty()) results += '\n';
        results += '(';
        results += result.numeral;
        results += ") ";
        results += Shown(result.text);
      }
      const std::string goal_text = std::to_string(goal.number) + ". " + Shown(goal.title);
      for (std::size_t i = 0; i < goal.activities.size(); ++i) {
        const auto& row = goal.activities[i];
        const Activity& a = row.activity;
        worksheet_write_string(sheet, row_index, 0, i == 0 ? goal_text.c_str() : "", wrap);
        const std::string activity_text = "(" + a.letter + ") " + Shown(a.text);
        worksheet_write_string(sheet, row_index, 1, activity_text.c_str(), wrap);
        worksheet_write_string(sheet, row_index, 2, i == 0 ? results.c_str() : "", wrap);
        worksheet_write_string(sheet, row_index, 3, UnitList(a.lead_unit_ids, units).c_str(), wrap);
        worksheet_write_string(sheet, row_index, 4, UnitList(a.support_unit_ids, units).c_str(),
                               wrap);
        worksheet_write_string(sheet, row_index, 5, status_text(a.status),
                               status_formats[a.status]);
        lxw_col_t month_column = first_month_column;
        for (MonthIndex month = report.from; month <= report.to; ++month, ++month_column) {
          auto found = row.months.find(month);
          if (found != row.months.end()) {
            worksheet_write_string(sheet, row_index, month_column, status_text(found->second),
                                   status_formats[found->second]);
          } else {
            worksheet_write_blank(sheet, row_index, month_column, wrap);
          }
        }
        std::string late;
        for (const auto& reason : row.late_reasons) {
          if (!late.empty()) late += '\n';
          late += LateReason(reason, words);
        }
        worksheet_write_string(sheet, row_index, late_column, late.c_str(), wrap);
        ++row_index;
      }
    }
  }

  lxw_worksheet* entries = workbook_add_worksheet(workbook, words.entries_sheet);
  column = 0;
  for (const char* text : words.entry_headers) {
    worksheet_write_string(entries, 0, column++, text, header);
  }
  worksheet_set_column(entries, 0, 0, 22, nullptr);
  worksheet_set_column(entries, 1, 2, 12, nullptr);
  worksheet_set_column(entries, 4, 4, 60, nullptr);
  worksheet_set_column(entries, 6, 6, 40, nullptr);
  lxw_row_t entry_row = 1;
  for (const auto& pillar : report.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& row : goal.activities) {
        for (const auto& entry : row.entries) {
          std::string evidence;
          for (const auto& item : entry.evidence) {
            evidence +=
                (evidence.empty() ? "" : "\n") +
                (item.kind == "file" ? item.filename + " (sha256 " + item.sha256.substr(0, 12) + ")"
                                     : item.url);
          }
          worksheet_write_string(
              entries, entry_row, 0,
              ActivityLabel(pillar.title, goal.number, row.activity.letter).c_str(), wrap);
          write_date(entries, entry_row, 1, FormatMonth(entry.month) + "-01", month_format);
          write_date(entries, entry_row, 2, entry.occurred_on, date_format);
          worksheet_write_string(entries, entry_row, 3, status_text(entry.status),
                                 status_formats[entry.status]);
          worksheet_write_string(entries, entry_row, 4, entry.narrative.c_str(), wrap);
          worksheet_write_string(entries, entry_row, 5, entry.author.c_str(), wrap);
          worksheet_write_string(entries, entry_row, 6, evidence.c_str(), wrap);
          ++entry_row;
        }
      }
    }
  }

  lxw_worksheet* indicator_sheet = workbook_add_worksheet(workbook, words.indicators_sheet);
  column = 0;
  for (const char* text : words.indicator_headers) {
    worksheet_write_string(indicator_sheet, 0, column++, text, header);
  }
  worksheet_set_column(indicator_sheet, 0, 0, 32, nullptr);
  worksheet_set_column(indicator_sheet, 1, 1, 60, nullptr);
  worksheet_set_column(indicator_sheet, 6, 6, 14, nullptr);
  lxw_row_t indicator_row = 1;
  for (const auto& indicator : indicators) {
    const bool percent = IsPercent(indicator.unit);
    worksheet_write_string(indicator_sheet, indicator_row, 0, indicator.key.c_str(), wrap);
    worksheet_write_string(indicator_sheet, indicator_row, 1, indicator.description.c_str(), wrap);
    worksheet_write_string(indicator_sheet, indicator_row, 2,
                           indicator.kind == "computed" ? words.computed : words.manual, wrap);
    worksheet_write_string(indicator_sheet, indicator_row, 3, indicator.unit.c_str(), wrap);
    write_figure(indicator_sheet, indicator_row, 4, indicator.target, NumberOf(indicator.target),
                 percent);
    if (indicator.computed_value) {
      write_figure(indicator_sheet, indicator_row, 5, "", indicator.computed_value, percent);
    } else if (!indicator.values.empty()) {
      const auto& latest = indicator.values.back();
      write_figure(indicator_sheet, indicator_row, 5, latest.value, NumberOf(latest.value),
                   percent);
      write_date(indicator_sheet, indicator_row, 6, latest.date, date_format);
    }
    ++indicator_row;
  }

  const lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    std::error_code ignored;
    fs::remove(path, ignored);
    return Internal(std::string("cannot write the workbook: ") + lxw_strerror(error));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::error_code ignored;
  fs::remove(path, ignored);
  return bytes.str();
}

std::string ReportCsv(const PlanReport& report) { return ReportCsv(report, report.units); }

Result<std::string> ReportXlsx(const PlanReport& report, std::string_view language) {
  return ReportXlsx(report, report.indicators, report.units, language);
}

bool IsReportLanguage(std::string_view language) { return language == "en" || language == "fr"; }

}  // namespace psea::plan
