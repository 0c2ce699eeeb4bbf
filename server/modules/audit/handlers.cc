#include "modules/audit/handlers.h"

#include <charconv>

#include "http/json.h"

namespace psea::audit {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {
constexpr int kMaxPage = 500;
constexpr int kMaxExport = 100000;

Result<std::optional<std::int64_t>> IntQuery(const http::HttpRequest& request, const char* name,
                                             std::int64_t min, std::int64_t max) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return InvalidArgument(std::string(name) + " must be a number from " + std::to_string(min) +
                               " to " + std::to_string(max),
                           name);
  }
  return std::optional<std::int64_t>(value);
}

Result<std::optional<UnixMillis>> DateQuery(const http::HttpRequest& request, const char* name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<UnixMillis>();
  auto parsed = ParseIso8601(*text);
  if (!parsed) {
    return InvalidArgument(std::string(name) + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", name);
  }
  return std::optional<UnixMillis>(*parsed);
}

std::optional<std::string> TextQuery(const http::HttpRequest& request, const char* name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::nullopt;
  return std::string(text->substr(0, 200));
}

std::string CsvField(const std::string& text) {
  // Quote everything, double the quotes, and defuse spreadsheet formulas.
  std::string out = "\"";
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    out += '\'';
  }
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

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
         const bool csv = request.Query("format").value_or("json") == "csv";
         if (!csv && request.Query("format").value_or("json") != "json") {
           return InvalidArgument("format must be json or csv", "format");
         }
         security::AuditFilter filter;
         filter.actor = TextQuery(request, "actor");
         filter.action = TextQuery(request, "action");
         filter.object_type = TextQuery(request, "object_type");
         filter.object_id = TextQuery(request, "object_id");
         ASSIGN_OR_RETURN(filter.from, DateQuery(request, "from"));
         ASSIGN_OR_RETURN(auto to, DateQuery(request, "to"));
         // A bare date in "to" names the whole day.
         if (to) filter.to = *to + (request.Query("to")->size() == 10 ? 86400 * 1000 : 0);
         ASSIGN_OR_RETURN(filter.before_id, IntQuery(request, "before_id", 1, INT64_MAX));
         ASSIGN_OR_RETURN(auto limit, IntQuery(request, "limit", 1, kMaxPage));
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
           HttpResponse response;
           response.SetHeader("Content-Type", "text/csv; charset=utf-8");
           response.SetHeader("Content-Disposition", "attachment; filename=\"psea-audit.csv\"");
           std::string body =
               "id,time,actor_id,actor,action,object_type,object_id,request_id,details,hash\r\n";
           for (const auto& entry : entries) {
             body += std::to_string(entry.id) + "," + CsvField(FormatIso8601(entry.ts)) + "," +
                     (entry.event.actor_user_id ? std::to_string(*entry.event.actor_user_id) : "") +
                     "," + CsvField(entry.event.actor) + "," + CsvField(entry.event.action) + "," +
                     CsvField(entry.event.object_type) + "," + CsvField(entry.event.object_id) +
                     "," + CsvField(entry.event.request_id) + "," + CsvField(entry.event.details) +
                     "," + entry.hash + "\r\n";
           }
           response.body = std::move(body);
           return response;
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
       .summary = "Read or export (format=csv) the audit log, newest first",
       .tag = "audit"});
}

}  // namespace psea::audit
