#include "modules/audit/handlers.h"

#include "core/csv.h"
#include "http/download.h"
#include "http/json.h"

namespace psea::audit {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {
constexpr int kMaxPage = 500;
constexpr int kMaxExport = 100000;

json::object EntryJson(const security::AuditEntry& entry) {
  json::value actor_id = nullptr;
  if (entry.event.actor_user_id) actor_id = *entry.event.actor_user_id;
  json::value details = json::parse(entry.event.details.empty() ? "{}" : entry.event.details);
  return json::object{{"id", entry.id},
                      {"ts", FormatIso8601(entry.ts)},
                      {"actor_id", actor_id},
                      {"actor", entry.event.actor},
                      {"action", entry.event.action},
                      {"object_type", entry.event.object_type},
                      {"object_id", entry.event.object_id},
                      {"request_id", entry.event.request_id},
                      {"details", details},
                      {"hash", entry.hash}};
}
}  // namespace

void RegisterAuditRoutes(http::Router& router, storage::Database& database,
                         const security::AuditLog& audit) {
  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/audit",
       .handler = [&database, &audit](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(security::Authorize(ctx.caller(), security::Permission::kAuditRead));
         const auto& request = ctx.request;
         const http::QueryParams query = ctx.query();
         ASSIGN_OR_RETURN(auto format, query.Enum("format", {"json", "csv"}));
         const bool csv = format == "csv";
         security::AuditFilter filter;
         ASSIGN_OR_RETURN(filter.actor, query.Text("actor", 200));
         ASSIGN_OR_RETURN(filter.action, query.Text("action", 200));
         ASSIGN_OR_RETURN(filter.object_type, query.Text("object_type", 200));
         ASSIGN_OR_RETURN(filter.object_id, query.Text("object_id", 200));
         ASSIGN_OR_RETURN(filter.from, query.Time("from"));
         ASSIGN_OR_RETURN(auto to, query.Time("to"));
         // A bare date in "to" names the whole day.
         if (to) filter.to = *to + (request.Query("to")->size() == 10 ? 86400 * 1000 : 0);
         ASSIGN_OR_RETURN(filter.before_id, query.Id("before_id"));
         ASSIGN_OR_RETURN(auto limit, query.Int("limit", 1, kMaxPage));
         filter.limit = csv ? kMaxExport : static_cast<int>(limit.value_or(100));
         ASSIGN_OR_RETURN(auto entries,
                          database.Read<std::vector<security::AuditEntry>>(
                              [&](storage::Connection& c) { return audit.Query(c, filter); }));
         if (csv) {
           security::AuditEvent event{ctx.caller().user_id,
                                      ctx.caller().username,
                                      "audit.export",
                                      "audit",
                                      "",
                                      request.request_id,
                                      "{\"entries\":" + std::to_string(entries.size()) + "}"};
           RETURN_IF_ERROR(audit.AppendNow(database, event));
           csv::Writer out;
           for (const char* column : {"id", "time", "actor_id", "actor", "action", "object_type",
                                      "object_id", "request_id", "details", "hash"}) {
             out.Text(column);
           }
           out.EndRow();
           for (const auto& entry : entries) {
             out.Number(entry.id).Text(FormatIso8601(entry.ts));
             if (entry.event.actor_user_id) {
               out.Number(*entry.event.actor_user_id);
             } else {
               out.Empty();
             }
             out.Text(entry.event.actor)
                 .Text(entry.event.action)
                 .Text(entry.event.object_type)
                 .Text(entry.event.object_id)
                 .Text(entry.event.request_id)
                 .Text(entry.event.details)
                 .Text(entry.hash)
                 .EndRow();
           }
           return http::DownloadResponse(out.Take(), "text/csv; charset=utf-8", "psea-audit.csv");
         }
         json::array out;
         for (const auto& entry : entries) out.emplace_back(EntryJson(entry));
         json::value next = nullptr;
         if (static_cast<int>(entries.size()) == filter.limit && !entries.empty()) {
           next = entries.back().id;
         }
         return http::JsonResponse(
             json::object{{"entries", std::move(out)}, {"next_before_id", next}});
       },
       .query = {"format", "actor", "action", "object_type", "object_id", "from", "to", "before_id",
                 "limit"},
       .summary = "Read or export (format=csv) the audit log, newest first",
       .tag = "audit"});
}

}  // namespace psea::audit
