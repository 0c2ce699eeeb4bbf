#include "modules/plan/handlers.h"

#include <algorithm>
#include <charconv>

#include "http/download.h"
#include "http/json.h"
#include "modules/plan/json_text.h"
#include "modules/plan/report.h"

namespace psea::plan {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

json::array IntArray(const std::vector<int>& values) {
  json::array out;
  for (int value : values) out.emplace_back(value);
  return out;
}

json::array TextArray(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

json::array UnitArray(const std::vector<std::int64_t>& ids,
                      const std::map<std::int64_t, UnitRef>& units) {
  json::array out;
  for (std::int64_t id : ids) {
    auto found = units.find(id);
    if (found == units.end()) continue;
    out.emplace_back(
        json::object{{"id", id}, {"code", found->second.code}, {"name", found->second.name}});
  }
  return out;
}

json::object SummaryJson(const PlanSummary& plan) {
  return json::object{{"id", plan.id},
                      {"key", plan.key},
                      {"version", plan.version},
                      {"version_number", plan.version_number},
                      {"title", plan.title},
                      {"mission", plan.mission},
                      {"period", json::object{{"start", FormatMonth(plan.period_start)},
                                              {"end", FormatMonth(plan.period_end)}}},
                      {"supersedes", plan.supersedes},
                      {"imported_at", FormatIso8601(plan.imported_at)},
                      {"imported_by", plan.imported_by},
                      {"latest", plan.latest},
                      {"unmatched_partners", TextArray(plan.unmatched_partners)}};
}

json::value CountsJson(const std::optional<OccurrenceCounts>& counts) {
  if (!counts) return nullptr;
  return json::object{{"done", counts->done},
                      {"due", counts->due},
                      {"overdue", counts->overdue},
                      {"upcoming", counts->upcoming}};
}

json::value SecondPillarJson(const Activity& activity) {
  if (activity.second_pillar.empty()) return nullptr;
  return json::string(activity.second_pillar);
}

json::object ActivityJson(const Activity& activity, const std::map<std::int64_t, UnitRef>& units,
                          const std::map<MonthIndex, ActivityStatus>* months,
                          const std::optional<OccurrenceCounts>& occurrences) {
  json::object month_statuses;
  if (months) {
    for (const auto& [month, status] : *months)
      month_statuses[FormatMonth(month)] = StatusName(status);
  }
  return json::object{{"id", activity.id},
                      {"goal_id", activity.goal_id},
                      {"letter", activity.letter},
                      {"text", activity.text},
                      {"second_pillar", SecondPillarJson(activity)},
                      {"status", StatusName(activity.status)},
                      {"frequency", FrequencyName(activity.frequency)},
                      {"target_months", IntArray(activity.target_months)},
                      {"lead_units", UnitArray(activity.lead_unit_ids, units)},
                      {"support_units", UnitArray(activity.support_unit_ids, units)},
                      {"updated_at", FormatIso8601(activity.updated_at)},
                      {"months", std::move(month_statuses)},
                      {"occurrences", CountsJson(occurrences)}};
}

json::object EvidenceJson(const Evidence& evidence) {
  return json::object{
      {"id", evidence.id},
      {"kind", evidence.kind},
      {"filename", evidence.filename},
      {"content_type", evidence.content_type},
      {"size", evidence.size},
      {"sha256", evidence.sha256},
      {"url",
       evidence.kind == "file" ? "/api/v1/evidence/" + std::to_string(evidence.id) : evidence.url},
      {"title", evidence.title}};
}

json::object EntryJson(const Entry& entry) {
  json::array evidence;
  for (const auto& item : entry.evidence) evidence.emplace_back(EvidenceJson(item));
  json::value corrects = nullptr;
  if (entry.corrects) corrects = *entry.corrects;
  json::value occurred_on = nullptr;
  if (!entry.occurred_on.empty()) occurred_on = entry.occurred_on;
  return json::object{{"id", entry.id},
                      {"activity_id", entry.activity_id},
                      {"month", FormatMonth(entry.month)},
                      {"occurred_on", occurred_on},
                      {"status", StatusName(entry.status)},
                      {"narrative", entry.narrative},
                      {"author", entry.author},
                      {"created_at", FormatIso8601(entry.created_at)},
                      {"corrects", corrects},
                      {"evidence", std::move(evidence)}};
}

json::object IndicatorJson(const IndicatorView& view) {
  json::array result_ids;
  for (std::int64_t id : view.result_ids) result_ids.emplace_back(id);
  json::array values;
  for (const auto& value : view.values) {
    values.emplace_back(json::object{{"value", std::stod(value.value)},
                                     {"date", value.date},
                                     {"note", value.note},
                                     {"entered_by", value.entered_by}});
  }
  json::value latest = nullptr;
  if (view.computed_value) {
    latest = json::object{{"value", *view.computed_value}, {"period", "computed"}};
  } else if (view.latest) {
    latest = json::object{{"value", std::stod(view.latest->value)},
                          {"date", view.latest->date},
                          {"entered_by", view.latest->entered_by}};
  }
  json::value target = nullptr;
  if (!view.target.empty()) target = std::stod(view.target);
  return json::object{{"key", view.key},
                      {"description", view.description},
                      {"unit", view.unit},
                      {"target", target},
                      {"kind", view.kind},
                      {"result_ids", std::move(result_ids)},
                      {"values", std::move(values)},
                      {"latest", latest}};
}

json::object OccurrenceJson(const Occurrence& occurrence) {
  json::array ids;
  for (std::int64_t id : occurrence.entry_ids) ids.emplace_back(id);
  return json::object{{"start", occurrence.start},
                      {"end", occurrence.end},
                      {"state", OccurrenceStateName(occurrence.state)},
                      {"entry_ids", std::move(ids)}};
}

// ---- The matrix and the report as text (json_text.h) -------------------------------------
// The same members, in the same order, as the json::object builders above would give.

HttpResponse JsonTextResponse(std::string body) {
  HttpResponse response;
  response.SetHeader("Content-Type", "application/json; charset=utf-8");
  response.body = std::move(body);
  return response;
}

void WriteTexts(JsonText& out, const std::vector<std::string>& values) {
  out.BeginArray();
  for (const auto& value : values) out.String(value);
  out.EndArray();
}

void WriteInts(JsonText& out, const std::vector<int>& values) {
  out.BeginArray();
  for (int value : values) out.Int(value);
  out.EndArray();
}

void WriteUnits(JsonText& out, const std::vector<std::int64_t>& ids,
                const std::map<std::int64_t, UnitRef>& units) {
  out.BeginArray();
  for (std::int64_t id : ids) {
    auto found = units.find(id);
    if (found == units.end()) continue;
    out.BeginObject();
    out.Key("id").Int(id);
    out.Key("code").String(found->second.code);
    out.Key("name").String(found->second.name);
    out.EndObject();
  }
  out.EndArray();
}

// SummaryJson's members, without the braces.
void WriteSummaryMembers(JsonText& out, const PlanSummary& plan) {
  out.Key("id").Int(plan.id);
  out.Key("key").String(plan.key);
  out.Key("version").String(plan.version);
  out.Key("version_number").Int(plan.version_number);
  out.Key("title").String(plan.title);
  out.Key("mission").String(plan.mission);
  out.Key("period").BeginObject();
  out.Key("start").String(FormatMonth(plan.period_start));
  out.Key("end").String(FormatMonth(plan.period_end));
  out.EndObject();
  out.Key("supersedes").String(plan.supersedes);
  out.Key("imported_at").String(FormatIso8601(plan.imported_at));
  out.Key("imported_by").String(plan.imported_by);
  out.Key("latest").Bool(plan.latest);
  out.Key("unmatched_partners");
  WriteTexts(out, plan.unmatched_partners);
}

// ActivityJson's members, without the braces.
void WriteActivityMembers(JsonText& out, const Activity& activity,
                          const std::map<std::int64_t, UnitRef>& units,
                          const std::map<MonthIndex, ActivityStatus>* months,
                          const std::optional<OccurrenceCounts>& occurrences) {
  out.Key("id").Int(activity.id);
  out.Key("goal_id").Int(activity.goal_id);
  out.Key("letter").String(activity.letter);
  out.Key("text").String(activity.text);
  out.Key("second_pillar");
  if (activity.second_pillar.empty()) {
    out.Null();
  } else {
    out.String(activity.second_pillar);
  }
  out.Key("status").String(StatusName(activity.status));
  out.Key("frequency").String(FrequencyName(activity.frequency));
  out.Key("target_months");
  WriteInts(out, activity.target_months);
  out.Key("lead_units");
  WriteUnits(out, activity.lead_unit_ids, units);
  out.Key("support_units");
  WriteUnits(out, activity.support_unit_ids, units);
  out.Key("updated_at").String(FormatIso8601(activity.updated_at));
  out.Key("months").BeginObject();
  if (months) {
    for (const auto& [month, status] : *months)
      out.Key(FormatMonth(month)).String(StatusName(status));
  }
  out.EndObject();
  out.Key("occurrences");
  if (occurrences) {
    out.BeginObject();
    out.Key("done").Int(occurrences->done);
    out.Key("due").Int(occurrences->due);
    out.Key("overdue").Int(occurrences->overdue);
    out.Key("upcoming").Int(occurrences->upcoming);
    out.EndObject();
  } else {
    out.Null();
  }
}

void WriteEntry(JsonText& out, const Entry& entry) {
  out.BeginObject();
  out.Key("id").Int(entry.id);
  out.Key("activity_id").Int(entry.activity_id);
  out.Key("month").String(FormatMonth(entry.month));
  out.Key("occurred_on");
  if (entry.occurred_on.empty()) {
    out.Null();
  } else {
    out.String(entry.occurred_on);
  }
  out.Key("status").String(StatusName(entry.status));
  out.Key("narrative").String(entry.narrative);
  out.Key("author").String(entry.author);
  out.Key("created_at").String(FormatIso8601(entry.created_at));
  out.Key("corrects");
  if (entry.corrects) {
    out.Int(*entry.corrects);
  } else {
    out.Null();
  }
  out.Key("evidence").BeginArray();
  for (const auto& item : entry.evidence) out.Value(EvidenceJson(item));
  out.EndArray();
  out.EndObject();
}

void WriteResults(JsonText& out, const std::vector<ExpectedResult>& results) {
  out.BeginArray();
  for (const auto& result : results) {
    out.BeginObject();
    out.Key("id").Int(result.id);
    out.Key("numeral").String(result.numeral);
    out.Key("text").String(result.text);
    out.Key("indicators");
    WriteTexts(out, result.indicator_keys);
    out.EndObject();
  }
  out.EndArray();
}

std::size_t ActivityCount(const std::vector<Pillar>& pillars) {
  std::size_t count = 0;
  for (const auto& pillar : pillars) {
    for (const auto& goal : pillar.goals) count += goal.activities.size();
  }
  return count;
}

// `plan` stands for matrix.plan, filtered or not.
std::string MatrixText(const PlanMatrix& matrix, const Plan& plan,
                       const std::map<std::int64_t, UnitRef>& units) {
  // About 600 bytes per activity with a year of months: one allocation for the whole answer.
  JsonText out(64 * 1024 + 640 * ActivityCount(plan.pillars));
  out.BeginObject();
  WriteSummaryMembers(out, plan.summary);
  out.Key("context").String(plan.context);
  out.Key("purpose").String(plan.purpose);
  out.Key("core_principles").BeginObject();
  out.Key("intro").String(plan.principles_intro);
  out.Key("items");
  WriteTexts(out, plan.principles);
  out.EndObject();
  out.Key("reference_materials");
  WriteTexts(out, plan.reference_materials);
  out.Key("months_from").String(FormatMonth(matrix.from));
  out.Key("months_to").String(FormatMonth(matrix.to));
  out.Key("pillars").BeginArray();
  for (const auto& pillar : plan.pillars) {
    out.BeginObject();
    out.Key("id").Int(pillar.id);
    out.Key("key").String(pillar.key);
    out.Key("title").String(pillar.title);
    out.Key("objective").String(pillar.objective);
    out.Key("goals").BeginArray();
    for (const auto& goal : pillar.goals) {
      out.BeginObject();
      out.Key("id").Int(goal.id);
      out.Key("number").Int(goal.number);
      out.Key("title").String(goal.title);
      out.Key("references");
      WriteTexts(out, goal.references);
      out.Key("partners").String(goal.partners);
      out.Key("status_text").String(goal.status_text);
      out.Key("follow_up").String(goal.follow_up);
      out.Key("months");
      WriteInts(out, goal.months);
      out.Key("activities").BeginArray();
      for (const auto& activity : goal.activities) {
        auto months = matrix.month_statuses.find(activity.id);
        auto counts = matrix.occurrences.find(activity.id);
        out.BeginObject();
        WriteActivityMembers(
            out, activity, units, months == matrix.month_statuses.end() ? nullptr : &months->second,
            counts == matrix.occurrences.end() ? std::nullopt : std::optional(counts->second));
        out.EndObject();
      }
      out.EndArray();
      out.Key("expected_results");
      WriteResults(out, goal.results);
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  return out.Take();
}

std::string ReportText(const PlanReport& report, const std::vector<IndicatorView>& indicators,
                       const std::map<std::int64_t, UnitRef>& units) {
  JsonText out(64 * 1024 + 960 * static_cast<std::size_t>(report.activities));
  out.BeginObject();
  out.Key("plan").BeginObject();
  WriteSummaryMembers(out, report.plan);
  out.EndObject();
  out.Key("from").String(FormatMonth(report.from));
  out.Key("to").String(FormatMonth(report.to));
  out.Key("summary").BeginObject();
  out.Key("activities").Int(report.activities);
  out.Key("by_status").BeginObject();
  for (const auto& [status, count] : report.activities_by_status) out.Key(status).Int(count);
  out.EndObject();
  out.Key("late").Int(report.late);
  out.Key("entries").Int(report.entries);
  out.EndObject();
  out.Key("pillars").BeginArray();
  for (const auto& pillar : report.pillars) {
    out.BeginObject();
    out.Key("key").String(pillar.key);
    out.Key("title").String(pillar.title);
    out.Key("goals").BeginArray();
    for (const auto& goal : pillar.goals) {
      out.BeginObject();
      out.Key("id").Int(goal.id);
      out.Key("number").Int(goal.number);
      out.Key("title").String(goal.title);
      out.Key("partners").String(goal.partners);
      out.Key("status").String(StatusName(goal.status));
      out.Key("expected_results");
      WriteResults(out, goal.results);
      out.Key("activities").BeginArray();
      for (const auto& row : goal.activities) {
        out.BeginObject();
        WriteActivityMembers(out, row.activity, units, &row.months, row.occurrences);
        out.Key("entry_count").Int(row.entry_count);
        out.Key("latest_entry");
        if (row.entries.empty()) {
          out.Null();
        } else {
          WriteEntry(out, row.entries.back());
        }
        out.Key("late").Bool(!row.late_reasons.empty());
        out.Key("late_reasons");
        WriteTexts(out, row.late_reasons);
        out.EndObject();
      }
      out.EndArray();
      out.EndObject();
    }
    out.EndArray();
    out.EndObject();
  }
  out.EndArray();
  out.Key("indicators").BeginArray();
  for (const auto& indicator : indicators) out.Value(IndicatorJson(indicator));
  out.EndArray();
  out.EndObject();
  return out.Take();
}

Result<std::optional<MonthIndex>> MonthQuery(const http::QueryParams& query, const char* name) {
  ASSIGN_OR_RETURN(auto text, query.Month(name));
  if (!text) return std::optional<MonthIndex>();
  auto month = ParseMonth(*text);
  if (!month) return InvalidArgument(std::string(name) + " must be YYYY-MM", name);
  return std::optional<MonthIndex>(*month);
}

// "pillar": one of the pillar keys, or absent.
Result<std::optional<std::string>> PillarQuery(const http::QueryParams& query) {
  return query.Enum("pillar", {"prevention", "enforcement", "remedial_action"});
}

Result<ActivityStatus> StatusField(const std::string& text, const char* field) {
  auto status = ParseStatus(text);
  if (!status) {
    return InvalidArgument(
        std::string(field) +
            " must be one of not_started, on_track, at_risk, delayed, completed, "
            "continuous, cancelled",
        field);
  }
  return *status;
}

// The first report language (report.h) the browser accepts, by the order it lists them
// ("fr-FR,fr;q=0.9,en;q=0.8" -> fr); English when it names none.
std::string AcceptedLanguage(const http::HttpRequest& request) {
  std::string_view accept = request.Header("accept-language").value_or("");
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    std::string_view tag = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    const std::string primary(tag.substr(0, std::min(tag.find_first_of("-;"), tag.size())));
    if (IsReportLanguage(primary)) return primary;
  }
  return "en";
}

bool IsYamlType(std::string_view type) {
  for (std::string_view accepted :
       {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}) {
    if (type.substr(0, accepted.size()) == accepted) return true;
  }
  return false;
}

}  // namespace

void RegisterPlanRoutes(http::Router& router, PlanService& service) {
  PlanService* s = &service;
  using security::Authorize;
  using security::Permission;

  router.Add({.method = "GET",
              .pattern = "/api/v1/plans",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(auto plans, s->List());
                json::array out;
                for (const auto& plan : plans) out.emplace_back(SummaryJson(plan));
                return http::JsonResponse(json::object{{"plans", std::move(out)}});
              },
              .summary = "List action plans and their versions",
              .tag = "plan"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/plans",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanImport));
                if (!IsYamlType(ctx.request.Header("content-type").value_or(""))) {
                  return Status(ErrorCode::kUnsupportedMediaType,
                                "send the plan file as application/yaml");
                }
                ASSIGN_OR_RETURN(auto plan,
                                 s->Import(ctx.caller(), ctx.request.body, ctx.request.request_id));
                return http::JsonResponse(json::object{{"plan", SummaryJson(plan)}}, 201);
              },
              .max_body = 2 * 1024 * 1024,
              .summary = "Import a plan file (docs/plan-format.md) as a new plan or a new version",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/plans/{id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto year, ctx.query().Int("year", 1900, 2999));
                ASSIGN_OR_RETURN(auto pillar, PillarQuery(ctx.query()));
                ASSIGN_OR_RETURN(auto matrix,
                                 s->MatrixOf(id, year ? std::optional<int>(static_cast<int>(*year))
                                                      : std::nullopt));
                if (pillar) {
                  return JsonTextResponse(MatrixText(
                      *matrix.body, FilterByPillar(matrix.body->plan, *pillar), matrix.units));
                }
                return JsonTextResponse(MatrixText(*matrix.body, matrix.body->plan, matrix.units));
              },
              .query = {"year", "pillar"},
              .summary = "The whole plan as a matrix, with each activity's month statuses",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/plans/{id}/versions",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto versions, s->Versions(id));
                json::array out;
                for (const auto& plan : versions) out.emplace_back(SummaryJson(plan));
                return http::JsonResponse(json::object{{"versions", std::move(out)}});
              },
              .summary = "The versions of a plan, oldest first",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/plans/{id}/diff",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto against, ctx.query().Id("against"));
                if (!against) return InvalidArgument("against is required", "against");
                ASSIGN_OR_RETURN(auto changes, s->Diff(id, *against));
                json::array out;
                for (const auto& change : changes) {
                  out.emplace_back(json::object{{"kind", change.kind},
                                                {"path", change.path},
                                                {"field", change.field},
                                                {"before", change.before},
                                                {"after", change.after}});
                }
                return http::JsonResponse(json::object{{"changes", std::move(out)}});
              },
              .query = {"against"},
              .summary = "What changed between two versions of a plan",
              .tag = "plan"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/plans/{id}/report",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto from, MonthQuery(ctx.query(), "from"));
         ASSIGN_OR_RETURN(auto to, MonthQuery(ctx.query(), "to"));
         ASSIGN_OR_RETURN(auto format_asked, ctx.query().Enum("format", {"json", "csv", "xlsx"}));
         const std::string format = format_asked.value_or("json");
         ASSIGN_OR_RETURN(auto language, ctx.query().Enum("lang", {"en", "fr"}));
         ASSIGN_OR_RETURN(auto view, s->ReportOf(id, from, to, format == "json"));
         const PlanReport& report = *view.body;
         const std::string name =
             report.plan.key + "-" + FormatMonth(report.from) + "-" + FormatMonth(report.to);
         if (format == "csv") {
           return http::DownloadResponse(ReportCsv(report, view.units), "text/csv; charset=utf-8",
                                         name + ".csv");
         }
         if (format == "xlsx") {
           ASSIGN_OR_RETURN(auto bytes,
                            ReportXlsx(report, view.indicators, view.units,
                                       language.value_or(AcceptedLanguage(ctx.request))));
           return http::DownloadResponse(
               std::move(bytes),
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
         }
         return JsonTextResponse(ReportText(report, view.indicators, view.units));
       },
       .query = {"from", "to", "format", "lang"},
       .summary = "Progress report for a period as JSON, CSV or XLSX",
       .tag = "plan"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/activities/{id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto detail, s->GetActivity(id));
         json::array occurrences;
         for (const auto& occurrence : detail.occurrences)
           occurrences.emplace_back(OccurrenceJson(occurrence));
         json::array entries;
         for (const auto& entry : detail.entries) entries.emplace_back(EntryJson(entry));
         std::optional<OccurrenceCounts> counts;
         if (IsRecurring(detail.activity.frequency)) counts = CountOccurrences(detail.occurrences);
         std::map<MonthIndex, ActivityStatus> months;
         for (auto it = detail.entries.rbegin(); it != detail.entries.rend(); ++it)
           months[it->month] = it->status;
         return http::JsonResponse(json::object{
             {"activity", ActivityJson(detail.activity, detail.units, &months, counts)},
             {"goal", json::object{{"id", detail.goal_id},
                                   {"number", detail.goal_number},
                                   {"title", detail.goal_title}}},
             {"pillar", json::object{{"key", detail.pillar_key}, {"title", detail.pillar_title}}},
             {"plan", SummaryJson(detail.plan)},
             {"occurrences", std::move(occurrences)},
             {"entries", std::move(entries)}});
       },
       .summary = "One activity with its occurrences and the history of its entries",
       .tag = "plan"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/activities/{id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanEdit));
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ActivityPatch patch;
         ASSIGN_OR_RETURN(auto status, fields.OptionalString("status", 32));
         ASSIGN_OR_RETURN(auto frequency, fields.OptionalString("frequency", 32));
         if (fields.Has("target_months")) {
           ASSIGN_OR_RETURN(auto months, fields.IntArray("target_months", 12, 1, 12));
           patch.target_months = std::vector<int>(months.begin(), months.end());
         }
         if (fields.Has("lead_unit_ids")) {
           ASSIGN_OR_RETURN(auto ids, fields.IntArray("lead_unit_ids", 50, 1, INT64_MAX));
           patch.lead_unit_ids = std::move(ids);
         }
         if (fields.Has("support_unit_ids")) {
           ASSIGN_OR_RETURN(auto ids, fields.IntArray("support_unit_ids", 50, 1, INT64_MAX));
           patch.support_unit_ids = std::move(ids);
         }
         RETURN_IF_ERROR(fields.Finish());
         if (status) {
           ASSIGN_OR_RETURN(auto parsed, StatusField(*status, "status"));
           patch.status = parsed;
         }
         if (frequency) {
           auto parsed = ParseFrequency(*frequency);
           if (!parsed) {
             return InvalidArgument(
                 "frequency must be one of none, weekly, biweekly, monthly, "
                 "quarterly, biannual, per_event",
                 "frequency");
           }
           patch.frequency = *parsed;
         }
         ASSIGN_OR_RETURN(auto activity,
                          s->UpdateActivity(ctx.caller(), id, patch, ctx.request.request_id));
         ASSIGN_OR_RETURN(auto detail, s->GetActivity(activity.id));
         return http::JsonResponse(json::object{
             {"activity", ActivityJson(detail.activity, detail.units, nullptr, std::nullopt)}});
       },
       .max_body = 16 * 1024,
       .summary = "Change an activity's status, frequency, target months or units",
       .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/activities/{id}/entries",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto entries, s->ListEntries(id));
                json::array out;
                for (const auto& entry : entries) out.emplace_back(EntryJson(entry));
                return http::JsonResponse(json::object{{"entries", std::move(out)}});
              },
              .summary = "The progress entries of an activity, newest first",
              .tag = "plan"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/activities/{id}/entries",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanEntry));
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewEntry entry;
         ASSIGN_OR_RETURN(auto month, fields.RequiredString("month", 7, 7));
         ASSIGN_OR_RETURN(auto occurred_on, fields.OptionalString("occurred_on", 10));
         ASSIGN_OR_RETURN(auto status, fields.RequiredString("status", 1, 32));
         ASSIGN_OR_RETURN(entry.narrative, fields.RequiredText("narrative", 1, 20000));
         ASSIGN_OR_RETURN(entry.evidence_ids, fields.IntArray("evidence_ids", 20, 1, INT64_MAX));
         ASSIGN_OR_RETURN(entry.corrects, fields.OptionalInt("corrects", 1, INT64_MAX));
         if (fields.Has("links")) {
           (void)fields.StringArray("links", 0, 0);  // marks the field; validated below
           const json::value& links = body.at("links");
           if (!links.is_array() || links.as_array().size() > 20) {
             return InvalidArgument("links must be a list of at most 20 {url, title}", "links");
           }
           for (const auto& link : links.as_array()) {
             if (!link.is_object()) return InvalidArgument("links must hold {url, title}", "links");
             http::JsonFields link_fields(link.as_object());
             ASSIGN_OR_RETURN(auto url, link_fields.RequiredString("url", 8, 2000));
             ASSIGN_OR_RETURN(auto title, link_fields.OptionalString("title", 200));
             RETURN_IF_ERROR(link_fields.Finish());
             entry.links.emplace_back(url, title.value_or(""));
           }
         }
         RETURN_IF_ERROR(fields.Finish());
         auto parsed_month = ParseMonth(month);
         if (!parsed_month) return InvalidArgument("month must be YYYY-MM", "month");
         entry.month = *parsed_month;
         entry.occurred_on = occurred_on.value_or("");
         ASSIGN_OR_RETURN(entry.status, StatusField(status, "status"));
         ASSIGN_OR_RETURN(auto created,
                          s->AddEntry(ctx.caller(), id, entry, ctx.request.request_id));
         return http::JsonResponse(json::object{{"entry", EntryJson(created)}}, 201);
       },
       .max_body = 256 * 1024,
       .summary = "Record a monthly progress entry (a correction is a new entry)",
       .tag = "plan"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/evidence",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanEntry));
                const std::string filename =
                    http::PercentDecodeHeader(ctx.request.Header("x-filename").value_or(""));
                const std::string type(
                    ctx.request.Header("content-type").value_or("application/octet-stream"));
                ASSIGN_OR_RETURN(auto evidence,
                                 s->UploadEvidence(ctx.caller(), filename, type.substr(0, 100),
                                                   ctx.request.body, ctx.request.request_id));
                return http::JsonResponse(json::object{{"evidence", EvidenceJson(evidence)}}, 201);
              },
              .max_body = kMaxEvidenceBytes,
              .summary = "Upload an evidence file (encrypted at rest) to attach to an entry",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/evidence/{id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto file,
                                 s->ReadEvidence(ctx.caller(), id, ctx.request.request_id));
                // Served as a download, never rendered in the app's origin.
                HttpResponse response = http::DownloadResponse(
                    std::move(file.second), "application/octet-stream", file.first.filename);
                response.SetHeader("X-Content-SHA256", file.first.sha256);
                return response;
              },
              .summary = "Download an evidence file",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/my/activities",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                if (ctx.caller().kind != security::Principal::Kind::kUser)
                  return PermissionDenied();
                ASSIGN_OR_RETURN(auto pillar, PillarQuery(ctx.query()));
                ASSIGN_OR_RETURN(auto mine, s->MyActivitiesOf(ctx.caller(), pillar));
                auto rows = [&](const std::vector<ActivityRow>& list) {
                  json::array out;
                  for (const auto& row : list) {
                    json::object item =
                        ActivityJson(row.activity, mine.unit_names, nullptr, row.occurrences);
                    item["plan_id"] = row.plan_id;
                    item["goal_number"] = row.goal_number;
                    item["pillar_key"] = row.pillar_key;
                    out.emplace_back(std::move(item));
                  }
                  return out;
                };
                json::array units;
                for (const auto& unit : mine.units) {
                  units.emplace_back(
                      json::object{{"id", unit.id}, {"code", unit.code}, {"name", unit.name}});
                }
                return http::JsonResponse(
                    json::object{{"units", std::move(units)},
                                 {"lead", rows(mine.lead)},
                                 {"support", rows(mine.support)},
                                 {"due_this_month", rows(mine.due_this_month)},
                                 {"overdue", rows(mine.overdue)}});
              },
              .query = {"pillar"},
              .summary = "The activities your units lead or support, what is due and overdue",
              .tag = "plan"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/indicators",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanRead));
                ASSIGN_OR_RETURN(auto plan_id, ctx.query().Id("plan_id"));
                ASSIGN_OR_RETURN(auto from, MonthQuery(ctx.query(), "from"));
                ASSIGN_OR_RETURN(auto to, MonthQuery(ctx.query(), "to"));
                ASSIGN_OR_RETURN(auto views, s->Indicators(plan_id, from, to));
                json::array out;
                for (const auto& view : views) out.emplace_back(IndicatorJson(view));
                return http::JsonResponse(json::object{{"indicators", std::move(out)}});
              },
              .query = {"plan_id", "from", "to"},
              .summary = "Indicators, manual and computed, with their values",
              .tag = "plan"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/indicators",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanEdit));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         IndicatorDefinition definition;
         ASSIGN_OR_RETURN(definition.key, fields.RequiredString("key", 3, 100));
         ASSIGN_OR_RETURN(definition.description, fields.RequiredString("description", 1, 1000));
         ASSIGN_OR_RETURN(auto unit, fields.OptionalString("unit", 32));
         ASSIGN_OR_RETURN(auto target, fields.OptionalString("target", 32));
         ASSIGN_OR_RETURN(definition.result_ids, fields.IntArray("result_ids", 50, 1, INT64_MAX));
         RETURN_IF_ERROR(fields.Finish());
         definition.unit = unit.value_or("");
         definition.target = target.value_or("");
         RETURN_IF_ERROR(s->DefineIndicator(ctx.caller(), definition, ctx.request.request_id));
         return http::JsonResponse(json::object{{"key", definition.key}}, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Define a manual indicator or link an indicator to expected results",
       .tag = "plan"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/indicators/{key}/values",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(Authorize(ctx.caller(), Permission::kPlanEdit));
                const std::string key = ctx.path_params.at("key");
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                const json::value* value = body.if_contains("value");
                (void)fields.OptionalString("__value_marker", 0);
                if (!value || !(value->is_number()))
                  return InvalidArgument("value must be a number", "value");
                ASSIGN_OR_RETURN(auto date, fields.RequiredString("date", 10, 10));
                ASSIGN_OR_RETURN(auto note, fields.OptionalString("note", 2000));
                std::string number = json::serialize(*value);
                if (body.size() != 2 + (note ? 1 : 0)) {
                  for (const auto& [name, ignored] : body) {
                    if (name != "value" && name != "date" && name != "note") {
                      return Status(ErrorCode::kUnknownField, "unknown field " + std::string(name),
                                    std::string(name));
                    }
                  }
                }
                RETURN_IF_ERROR(s->AddIndicatorValue(ctx.caller(), key, number, date,
                                                     note.value_or(""), ctx.request.request_id));
                return http::JsonResponse(json::object{{"key", key}, {"date", date}}, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record a value of a manual indicator",
              .tag = "plan"});
}

}  // namespace psea::plan
