#include "modules/assistance/gaps_handlers.h"

#include "http/json.h"
#include "modules/assistance/model.h"
#include "modules/cases/clock.h"

namespace psea::assistance {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

json::value Count(std::int64_t count, bool suppressed) {
  return suppressed ? json::value(nullptr) : json::value(count);
}

json::object GapRowJson(const GapRow& row) {
  return json::object{{"prefecture", row.prefecture},
                      {"prefecture_name", row.prefecture_name},
                      {"known_prefecture", row.known_prefecture},
                      {"service", row.service},
                      {"providers", row.providers},
                      {"stale", row.stale},
                      {"fresh", row.fresh()},
                      {"needing", Count(row.needing, row.needing_suppressed)},
                      {"assisted", Count(row.assisted, row.assisted_suppressed)},
                      {"state", GapStateName(row.state)}};
}

json::value TextOrNull(const std::optional<std::string>& text) {
  return text ? json::value(json::string(*text)) : json::value(nullptr);
}

}  // namespace

json::object GapTableJson(const GapTable& table) {
  json::array rows, prefectures, services;
  for (const auto& row : table.rows) rows.push_back(GapRowJson(row));
  for (const auto& p : table.prefectures) {
    prefectures.push_back(json::object{{"code", p.code}, {"name", p.name}});
  }
  for (auto service : kNeedTypes) services.push_back(json::string(service));
  return json::object{{"rows", std::move(rows)},
                      {"summary", json::object{{"gaps", table.summary.gaps},
                                               {"stale_only", table.summary.stale_only},
                                               {"covered", table.summary.covered},
                                               {"no_need", table.summary.no_need}}},
                      {"filter", json::object{{"service", TextOrNull(table.filter.service)},
                                              {"prefecture", TextOrNull(table.filter.prefecture)}}},
                      {"prefectures", std::move(prefectures)},
                      {"services", std::move(services)},
                      {"stale_days", table.stale_days},
                      {"suppressed", table.suppressed}};
}

void RegisterGapsRoutes(http::Router& router, GapsService& gaps) {
  GapsService* s = &gaps;
  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/gaps",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                auto query = ctx.query();
                GapFilter filter;
                ASSIGN_OR_RETURN(filter.service, query.Text("service", 64));
                ASSIGN_OR_RETURN(filter.prefecture, query.Text("prefecture", 16));
                if (filter.service && !IsOneOf(kNeedTypes, *filter.service)) {
                  return InvalidArgument("unknown service", "service");
                }
                ASSIGN_OR_RETURN(auto table, s->Gaps(ctx.caller(), filter));
                return http::JsonResponse(GapTableJson(table));
              },
              .query = {"service", "prefecture"},
              .summary = "The gap table: per prefecture and service type, active providers (and "
                         "how many stale) against victims needing it and victims assisted",
              .tag = "assistance"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/assistance/overdue-contacts",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto items, s->OverdueContacts(ctx.caller()));
         json::array out;
         for (const auto& item : items) out.push_back(cases::DueItemJson(item));
         const auto total = static_cast<std::int64_t>(out.size());
         return http::JsonResponse(json::object{{"items", std::move(out)}, {"total", total}});
       },
       .summary = "The VRA's overdue victim contacts: cases whose interval to inform the "
                  "victim has passed without a logged contact",
       .tag = "assistance"});
}

}  // namespace psea::assistance
