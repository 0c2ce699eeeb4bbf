#include "modules/cases/figures.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/csv.h"
#include "security/crypto.h"

namespace psea::cases {

namespace json = boost::json;

namespace {

std::optional<std::chrono::sys_days> ParseDay(std::string_view text) {
  if (!IsIsoDate(text)) return std::nullopt;
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const unsigned month = static_cast<unsigned>(std::stoi(std::string(text.substr(5, 2))));
  const unsigned day = static_cast<unsigned>(std::stoi(std::string(text.substr(8, 2))));
  return std::chrono::sys_days(std::chrono::year{year} / std::chrono::month{month} /
                               std::chrono::day{day});
}

double Round1(double value) { return std::round(value * 10.0) / 10.0; }

json::array RowsJson(const std::vector<CountRow>& rows, int below) {
  json::array out;
  for (const auto& row : rows) {
    out.push_back(json::object{{"key", row.key},
                               {"allegations", SuppressedCount(row.allegations, below)},
                               {"per_subject", SuppressedCount(row.per_subject, below)}});
  }
  return out;
}

// "sexual_exploitation" -> "Sexual exploitation": the published tables use words.
std::string Label(std::string_view code) {
  std::string out(code);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// The published cells of a row, as text (CSV) or, for counts, as numbers (XLSX).
struct Cell {
  std::string text;
  std::optional<std::int64_t> number;
};

std::vector<Cell> CellsOf(const PublicTableRow& row, int below) {
  auto count = [below](std::int64_t n) -> Cell {
    if (below > 0 && n >= 1 && n < below) return {SuppressedText(n, below), std::nullopt};
    return {std::to_string(n), n};
  };
  std::vector<Cell> cells;
  cells.push_back({row.mission, std::nullopt});
  cells.push_back({row.month_reported, std::nullopt});
  cells.push_back({Label(row.category), std::nullopt});
  cells.push_back({Label(row.type), std::nullopt});
  cells.push_back({Label(row.personnel_category), std::nullopt});
  cells.push_back({row.nationality, std::nullopt});
  cells.push_back(count(row.subjects));
  cells.push_back(count(row.victims));
  cells.push_back(count(row.women));
  cells.push_back(count(row.girls));
  cells.push_back(count(row.men));
  cells.push_back(count(row.boys));
  cells.push_back(count(row.victims_other));
  cells.push_back({row.paternity_claim ? "Yes" : "No", std::nullopt});
  cells.push_back({Label(row.investigating_entity), std::nullopt});
  cells.push_back({Label(row.status), std::nullopt});
  if (row.investigation_days) {
    cells.push_back({std::to_string(*row.investigation_days), *row.investigation_days});
  } else {
    cells.push_back({"", std::nullopt});
  }
  std::vector<std::string> interim, actions;
  for (const auto& item : row.interim_measures) interim.push_back(Label(item));
  for (const auto& item : row.actions) actions.push_back(Label(item));
  cells.push_back({Join(interim, "; "), std::nullopt});
  cells.push_back({Label(row.outcome), std::nullopt});
  cells.push_back({Join(actions, "; "), std::nullopt});
  cells.push_back({row.referred_national_authorities ? "Yes" : "No", std::nullopt});
  return cells;
}

}  // namespace

Status ValidateFiguresFilter(const FiguresFilter& filter) {
  if (!filter.from.empty() && !IsIsoDate(filter.from)) {
    return InvalidArgument("expected a date YYYY-MM-DD", "from");
  }
  if (!filter.to.empty() && !IsIsoDate(filter.to)) {
    return InvalidArgument("expected a date YYYY-MM-DD", "to");
  }
  if (!filter.from.empty() && !filter.to.empty() && filter.to < filter.from) {
    return InvalidArgument("the end of the period is before its start", "to");
  }
  if (filter.suppress_below != 0 && (filter.suppress_below < 2 || filter.suppress_below > 100)) {
    return InvalidArgument("0 (off) or a threshold from 2 to 100", "suppress_below");
  }
  return Status::Ok();
}

std::optional<std::int64_t> DaysBetween(std::string_view start, std::string_view end) {
  const auto from = ParseDay(start);
  const auto to = ParseDay(end);
  if (!from || !to || *to < *from) return std::nullopt;
  return (*to - *from).count();
}

DurationStats SummariseDurations(const std::vector<InvestigationSpan>& spans) {
  DurationStats stats;
  std::vector<std::int64_t> days;
  for (const auto& span : spans) {
    if (span.start.empty()) continue;
    if (span.end.empty()) {
      ++stats.open;
      continue;
    }
    if (auto d = DaysBetween(span.start, span.end)) days.push_back(*d);
  }
  stats.completed = static_cast<std::int64_t>(days.size());
  stats.buckets = {{"0-30", 0}, {"31-90", 0}, {"91-180", 0}, {"181-365", 0}, {"366+", 0}};
  for (std::int64_t d : days) {
    const std::size_t bucket = d <= 30 ? 0 : d <= 90 ? 1 : d <= 180 ? 2 : d <= 365 ? 3 : 4;
    ++stats.buckets[bucket].second;
  }
  if (days.empty()) return stats;
  std::sort(days.begin(), days.end());
  const std::size_t n = days.size();
  stats.median_days =
      n % 2 == 1 ? static_cast<double>(days[n / 2])
                 : (static_cast<double>(days[n / 2 - 1]) + static_cast<double>(days[n / 2])) / 2.0;
  // Nearest rank: the smallest value with at least 90% of the values at or below it.
  const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(n)));
  stats.p90_days = static_cast<double>(days[std::max<std::size_t>(rank, 1) - 1]);
  return stats;
}

FiguresCounts MergeFigures(const std::vector<const FiguresCounts*>& months) {
  FiguresCounts out;
  std::map<std::string, CountRow> month, category, type, personnel, nationality, status;
  std::map<std::pair<std::string, std::string>, std::int64_t> victims, clocks;
  auto add = [](std::map<std::string, CountRow>& into, const std::vector<CountRow>& rows) {
    for (const auto& row : rows) {
      CountRow& sum = into[row.key];
      sum.key = row.key;
      sum.allegations += row.allegations;
      sum.per_subject += row.per_subject;
    }
  };
  for (const FiguresCounts* m : months) {
    out.allegations += m->allegations;
    out.per_subject += m->per_subject;
    add(month, m->by_month);
    add(category, m->by_category);
    add(type, m->by_type);
    add(personnel, m->by_personnel_category);
    add(nationality, m->by_nationality);
    add(status, m->by_status);
    for (const auto& v : m->victims) victims[{v.sex, v.age_group}] += v.count;
    for (const auto& k : m->clocks) clocks[{k.rule, k.state}] += k.count;
    out.investigations.insert(out.investigations.end(), m->investigations.begin(),
                              m->investigations.end());
  }
  for (const auto& [into, from] :
       {std::pair{&out.by_month, &month}, std::pair{&out.by_category, &category},
        std::pair{&out.by_type, &type}, std::pair{&out.by_personnel_category, &personnel},
        std::pair{&out.by_nationality, &nationality}, std::pair{&out.by_status, &status}}) {
    into->reserve(from->size());
    for (const auto& entry : *from) into->push_back(entry.second);
  }
  for (const auto& [key, count] : victims) out.victims.push_back({key.first, key.second, count});
  for (const auto& [key, count] : clocks) out.clocks.push_back({key.first, key.second, count});
  std::sort(
      out.investigations.begin(), out.investigations.end(),
      [](const InvestigationSpan& a, const InvestigationSpan& b) { return a.case_id < b.case_id; });
  return out;
}

std::vector<TimelineShare> SummariseClocks(const std::vector<ClockStateCount>& clocks) {
  std::map<std::string, TimelineShare> by_rule;
  for (const auto& c : clocks) {
    TimelineShare& share = by_rule[c.rule];
    share.rule = c.rule;
    if (c.state == "met_on_time") share.met_on_time += c.count;
    if (c.state == "met_late") share.met_late += c.count;
    if (c.state == "overdue") share.overdue += c.count;
    if (c.state == "running" || c.state == "paused") share.open += c.count;
  }
  std::vector<TimelineShare> out;
  // In the rule table's order, so the page lists them as the CDT chief's table does.
  for (RuleId id : kAllRuleIds) {
    auto found = by_rule.find(std::string(RuleIdName(id)));
    if (found == by_rule.end()) continue;
    TimelineShare share = found->second;
    const std::int64_t met = share.met_on_time + share.met_late;
    if (met > 0) {
      share.on_time_pct =
          Round1(100.0 * static_cast<double>(share.met_on_time) / static_cast<double>(met));
    }
    out.push_back(std::move(share));
  }
  return out;
}

TimelineShare InvestigationShare(const std::vector<TimelineShare>& shares) {
  TimelineShare total;
  total.rule = "investigation";
  for (const auto& s : shares) {
    if (s.rule != RuleIdName(RuleId::kInvestigationCompletion) &&
        s.rule != RuleIdName(RuleId::kInvestigationCompletionUrgent)) {
      continue;
    }
    total.met_on_time += s.met_on_time;
    total.met_late += s.met_late;
    total.overdue += s.overdue;
    total.open += s.open;
  }
  const std::int64_t met = total.met_on_time + total.met_late;
  if (met > 0) {
    total.on_time_pct =
        Round1(100.0 * static_cast<double>(total.met_on_time) / static_cast<double>(met));
  }
  return total;
}

std::string SuppressedText(std::int64_t count, int suppress_below) {
  if (suppress_below > 0 && count >= 1 && count < suppress_below) {
    return "<" + std::to_string(suppress_below);
  }
  return std::to_string(count);
}

json::value SuppressedCount(std::int64_t count, int suppress_below) {
  if (suppress_below > 0 && count >= 1 && count < suppress_below) {
    return json::value(SuppressedText(count, suppress_below));
  }
  return json::value(count);
}

json::value SuppressedShare(std::optional<double> value, std::int64_t base, int suppress_below) {
  if (!value) return nullptr;
  if (suppress_below > 0 && base < suppress_below) return nullptr;
  return *value;
}

json::object FiguresJson(const FiguresFilter& filter, const FiguresCounts& counts) {
  const int below = filter.suppress_below;
  std::int64_t victim_total = 0;
  std::map<std::string, std::int64_t> by_sex, by_age;
  json::array victims;
  for (const auto& v : counts.victims) {
    victim_total += v.count;
    by_sex[v.sex] += v.count;
    by_age[v.age_group] += v.count;
    victims.push_back(json::object{
        {"sex", v.sex}, {"age_group", v.age_group}, {"count", SuppressedCount(v.count, below)}});
  }
  auto totals_of = [below](const std::map<std::string, std::int64_t>& map) {
    json::array out;
    for (const auto& [key, n] : map) {
      out.push_back(json::object{{"key", key}, {"count", SuppressedCount(n, below)}});
    }
    return out;
  };

  const DurationStats durations = SummariseDurations(counts.investigations);
  json::array buckets;
  for (const auto& [key, n] : durations.buckets) {
    buckets.push_back(json::object{{"key", key}, {"count", SuppressedCount(n, below)}});
  }
  const auto shares = SummariseClocks(counts.clocks);
  json::array timelines;
  auto share_json = [below](const TimelineShare& s) {
    return json::object{
        {"rule", s.rule},
        {"met_on_time", SuppressedCount(s.met_on_time, below)},
        {"met_late", SuppressedCount(s.met_late, below)},
        {"overdue", SuppressedCount(s.overdue, below)},
        {"open", SuppressedCount(s.open, below)},
        {"on_time_pct", SuppressedShare(s.on_time_pct, s.met_on_time + s.met_late, below)}};
  };
  for (const auto& s : shares) timelines.push_back(share_json(s));

  return json::object{
      {"from", filter.from},
      {"to", filter.to},
      {"suppress_below", below},
      {"totals", json::object{{"allegations", SuppressedCount(counts.allegations, below)},
                              {"per_subject", SuppressedCount(counts.per_subject, below)},
                              {"victims", SuppressedCount(victim_total, below)}}},
      {"by_month", RowsJson(counts.by_month, below)},
      {"by_category", RowsJson(counts.by_category, below)},
      {"by_type", RowsJson(counts.by_type, below)},
      {"by_personnel_category", RowsJson(counts.by_personnel_category, below)},
      {"by_nationality", RowsJson(counts.by_nationality, below)},
      {"by_status", RowsJson(counts.by_status, below)},
      {"victims", std::move(victims)},
      {"victims_by_sex", totals_of(by_sex)},
      {"victims_by_age_group", totals_of(by_age)},
      {"investigations",
       json::object{
           {"completed", SuppressedCount(durations.completed, below)},
           {"open", SuppressedCount(durations.open, below)},
           {"median_days", SuppressedShare(durations.median_days, durations.completed, below)},
           {"p90_days", SuppressedShare(durations.p90_days, durations.completed, below)},
           {"buckets", std::move(buckets)}}},
      {"investigations_within_timeline", share_json(InvestigationShare(shares))},
      {"timelines", std::move(timelines)}};
}

// ---- The UN public table

const std::vector<std::string_view>& PublicTableHeadings() {
  static const std::vector<std::string_view> headings = {"Mission",
                                                         "Month reported",
                                                         "Category",
                                                         "Type",
                                                         "Personnel category",
                                                         "Nationality",
                                                         "Subjects",
                                                         "Victims",
                                                         "Women",
                                                         "Girls",
                                                         "Men",
                                                         "Boys",
                                                         "Victims of other or unknown sex or age",
                                                         "Paternity claim",
                                                         "Investigating entity",
                                                         "Status",
                                                         "Investigation days",
                                                         "Interim measures",
                                                         "Outcome",
                                                         "Actions taken",
                                                         "Referred to national authorities"};
  return headings;
}

std::string PublicTableCsv(const std::vector<PublicTableRow>& rows, int suppress_below) {
  csv::Writer out;
  for (auto heading : PublicTableHeadings()) out.Text(heading);
  out.EndRow();
  for (const auto& row : rows) {
    for (const auto& cell : CellsOf(row, suppress_below)) {
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

Result<std::string> PublicTableXlsx(const std::vector<PublicTableRow>& rows, int suppress_below) {
  namespace fs = std::filesystem;
  const fs::path path =
      fs::temp_directory_path() / ("psea-allegations-" + security::RandomToken(12) + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Internal("cannot create the workbook");
  lxw_format* header = workbook_add_format(workbook);
  format_set_bold(header);
  format_set_text_wrap(header);
  format_set_align(header, LXW_ALIGN_VERTICAL_TOP);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "Allegations");
  lxw_col_t column = 0;
  for (auto heading : PublicTableHeadings()) {
    worksheet_write_string(sheet, 0, column++, std::string(heading).c_str(), header);
  }
  worksheet_set_column(sheet, 0, 1, 14, nullptr);
  worksheet_set_column(sheet, 2, 4, 24, nullptr);
  worksheet_set_column(sheet, 17, 19, 30, nullptr);
  worksheet_freeze_panes(sheet, 1, 0);
  lxw_row_t row_index = 1;
  for (const auto& row : rows) {
    column = 0;
    for (const auto& cell : CellsOf(row, suppress_below)) {
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
  if (!rows.empty()) {
    worksheet_autofilter(sheet, 0, 0, row_index - 1,
                         static_cast<lxw_col_t>(PublicTableHeadings().size() - 1));
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

// ---- The extract

json::object ExtractRecordJson(const ExtractRecord& record) {
  return json::object{
      {"id", record.id},           {"case_id", record.case_id}, {"recipient", record.recipient},
      {"purpose", record.purpose}, {"by", record.by_username},  {"at", FormatIso8601(record.at)}};
}

json::object ExtractJson(const Case& k, const ExtractRecord& record) {
  json::array victims, subjects, timeline, entries;
  for (const auto& v : k.victims) {
    victims.push_back(
        json::object{{"pseudonym", v.pseudonym}, {"sex", v.sex}, {"age_group", v.age_group}});
  }
  for (const auto& s : k.subjects) {
    subjects.push_back(json::object{{"personnel_category", s.personnel_category},
                                    {"nationality", s.nationality},
                                    {"unit", s.unit}});
  }
  for (const auto& e : k.timeline) {
    // Status changes only: the other events name people (reveals, assignments) or edits.
    if (e.kind != "status" && e.kind != "created") continue;
    timeline.push_back(
        json::object{{"kind", e.kind},
                     {"date", e.date.empty() ? FormatIso8601(e.at).substr(0, 10) : e.date},
                     {"from_status", e.from_status},
                     {"to_status", e.to_status}});
  }
  for (const auto& e : k.entries) {
    entries.push_back(json::object{
        {"kind", e.kind}, {"type", e.type}, {"date", e.date}, {"end_date", e.end_date}});
  }
  return json::object{{"extract", ExtractRecordJson(record)},
                      {"case", json::object{{"reference", k.reference},
                                            {"mission", k.mission},
                                            {"date_reported", k.date_reported},
                                            {"incident_date_precision", k.incident_date_precision},
                                            {"incident_date", k.incident_date},
                                            {"location", k.location},
                                            {"category", k.category},
                                            {"type", k.type},
                                            {"urgent", k.urgent},
                                            {"paternity_claim", k.paternity_claim},
                                            {"investigating_entity", k.investigating_entity},
                                            {"status", CaseStatusName(k.status)},
                                            {"status_date", k.status_date},
                                            {"outcome", k.outcome},
                                            {"victims", std::move(victims)},
                                            {"subjects", std::move(subjects)},
                                            {"timeline", std::move(timeline)},
                                            {"entries", std::move(entries)}}}};
}

std::string ExtractText(const Case& k, const ExtractRecord& record) {
  const json::object extract = ExtractJson(k, record);
  const json::object& kase = extract.at("case").as_object();
  std::ostringstream out;
  auto text = [](const json::value& v) -> std::string {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_bool()) return v.as_bool() ? "yes" : "no";
    return json::serialize(v);
  };
  auto or_dash = [](std::string value) { return value.empty() ? std::string("-") : value; };
  out << "INFORMATION-SHARING EXTRACT - CONFIDENTIAL\n";
  out << "Case " << k.reference << " (" << k.mission << ")\n";
  out << "Extract no. " << record.id << ", made " << FormatIso8601(record.at) << " by "
      << record.by_username << "\n";
  out << "For: " << record.recipient << "\n";
  out << "Purpose: " << record.purpose << "\n";
  out << "Identities are left out; victims are shown by code, sex and age group.\n\n";
  for (const char* key :
       {"date_reported", "incident_date_precision", "incident_date", "location", "category", "type",
        "urgent", "paternity_claim", "investigating_entity", "status", "status_date", "outcome"}) {
    out << Label(key) << ": " << or_dash(text(kase.at(key))) << "\n";
  }
  out << "\nVictims\n";
  for (const auto& v : kase.at("victims").as_array()) {
    const auto& o = v.as_object();
    out << "  " << or_dash(text(o.at("pseudonym"))) << ": " << text(o.at("sex")) << ", "
        << text(o.at("age_group")) << "\n";
  }
  out << "\nSubjects\n";
  for (const auto& s : kase.at("subjects").as_array()) {
    const auto& o = s.as_object();
    out << "  " << text(o.at("personnel_category")) << ", " << or_dash(text(o.at("nationality")))
        << ", " << or_dash(text(o.at("unit"))) << "\n";
  }
  out << "\nTimeline\n";
  for (const auto& e : kase.at("timeline").as_array()) {
    const auto& o = e.as_object();
    out << "  " << text(o.at("date")) << "  " << text(o.at("kind"));
    if (!text(o.at("to_status")).empty()) {
      out << " " << or_dash(text(o.at("from_status"))) << " -> " << text(o.at("to_status"));
    }
    out << "\n";
  }
  out << "\nMeasures and actions\n";
  for (const auto& e : kase.at("entries").as_array()) {
    const auto& o = e.as_object();
    out << "  " << text(o.at("date")) << "  " << text(o.at("kind")) << ": " << text(o.at("type"));
    if (!text(o.at("end_date")).empty()) out << " (until " << text(o.at("end_date")) << ")";
    out << "\n";
  }
  return out.str();
}

}  // namespace psea::cases
