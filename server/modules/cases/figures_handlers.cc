// HTTP endpoints of the case figures, the UN public-table export and the information-sharing
// extracts (service.h, "Figures").
#include "http/download.h"
#include "http/json.h"
#include "modules/cases/handlers.h"

namespace psea::cases {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

// from, to ("YYYY-MM-DD") and suppress_below (0 = off, 2..100) of the query.
Result<FiguresFilter> FilterOf(const http::QueryParams& query) {
  FiguresFilter filter;
  ASSIGN_OR_RETURN(auto from, query.Text("from", 10));
  ASSIGN_OR_RETURN(auto to, query.Text("to", 10));
  ASSIGN_OR_RETURN(auto below, query.Int("suppress_below", 0, 100));
  filter.from = from.value_or("");
  filter.to = to.value_or("");
  filter.suppress_below = static_cast<int>(below.value_or(0));
  RETURN_IF_ERROR(ValidateFiguresFilter(filter));
  return filter;
}

}  // namespace

void RegisterCaseFigureRoutes(http::Router& router, CasesService& cases) {
  CasesService* s = &cases;

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/figures",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto filter, FilterOf(ctx.query()));
                ASSIGN_OR_RETURN(auto view, s->Figures(ctx.caller(), filter));
                return http::JsonResponse(FiguresJson(view.filter, view.counts));
              },
              .query = {"from", "to", "suppress_below"},
              .summary = "Allegation figures for a period (aggregates only; small numbers "
                         "suppressed on request)",
              .tag = "cases"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/cases/export",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         const auto query = ctx.query();
         ASSIGN_OR_RETURN(auto filter, FilterOf(query));
         ASSIGN_OR_RETURN(auto format_asked, query.Enum("format", {"csv", "xlsx"}));
         const std::string format = format_asked.value_or("csv");
         ASSIGN_OR_RETURN(auto rows,
                          s->PublicTable(ctx.caller(), filter, format,
                                         {ctx.request.remote_address, ctx.request.request_id}));
         std::string name = "allegations";
         if (!filter.from.empty()) name += "-from-" + filter.from;
         if (!filter.to.empty()) name += "-to-" + filter.to;
         if (format == "xlsx") {
           ASSIGN_OR_RETURN(auto bytes, PublicTableXlsx(rows, filter.suppress_below));
           return http::DownloadResponse(
               std::move(bytes),
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
         }
         return http::DownloadResponse(PublicTableCsv(rows, filter.suppress_below),
                                       "text/csv; charset=utf-8", name + ".csv");
       },
       .query = {"from", "to", "suppress_below", "format"},
       .summary = "The allegations in the layout of the UN public table, as CSV or XLSX "
                  "(published fields only; audited)",
       .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/extract",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto format_asked, ctx.query().Enum("format", {"json", "text"}));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto recipient, fields.OptionalText("recipient", 200));
                ASSIGN_OR_RETURN(auto purpose, fields.OptionalText("purpose", 1000));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(
                    auto extract,
                    s->MakeExtract(ctx.caller(), id, recipient.value_or(""), purpose.value_or(""),
                                   {ctx.request.remote_address, ctx.request.request_id}));
                if (format_asked.value_or("json") == "text") {
                  return http::DownloadResponse(ExtractText(extract.kase, extract.record),
                                                "text/plain; charset=utf-8",
                                                extract.kase.reference + "-extract-" +
                                                    std::to_string(extract.record.id) + ".txt");
                }
                return http::JsonResponse(ExtractJson(extract.kase, extract.record), 201);
              },
              .max_body = 8 * 1024,
              .query = {"format"},
              .summary = "Make a redacted extract of a case for a partner entity (recorded and "
                         "audited)",
              .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/extracts",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto list, s->Extracts(ctx.caller(), id));
                json::array out;
                for (const auto& record : list) out.push_back(ExtractRecordJson(record));
                return http::JsonResponse(json::object{{"extracts", std::move(out)}});
              },
              .summary = "The extracts made of a case: to whom, why, by whom, when",
              .tag = "cases"});
}

}  // namespace psea::cases
