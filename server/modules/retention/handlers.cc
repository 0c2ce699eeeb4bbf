#include "modules/retention/handlers.h"

#include "http/json.h"

namespace psea::retention {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;
using security::Permission;

namespace {
json::value OptTime(const std::optional<UnixMillis>& time) {
  if (!time) return nullptr;
  return json::value(FormatIso8601(*time));
}

json::array Ids(const std::vector<std::int64_t>& ids) {
  json::array out;
  for (std::int64_t id : ids) out.emplace_back(id);
  return out;
}
}  // namespace

json::object PolicyJson(const Policy& policy) {
  const Policy fallback = DefaultPolicy(policy.kind);
  return json::object{
      {"kind", KindName(policy.kind)},
      {"enabled", policy.enabled},
      {"after_days", policy.after_days},
      {"min_days", MinDays(policy.kind)},
      {"max_days", kMaxDays},
      {"default_enabled", fallback.enabled},
      {"default_days", fallback.after_days},
      {"updated_at",
       OptTime(policy.updated_at ? std::optional<UnixMillis>(policy.updated_at) : std::nullopt)},
      {"updated_by", policy.updated_by}};
}

json::object HoldJson(const Hold& hold) {
  return json::object{{"id", hold.id},
                      {"object_type", hold.object_type},
                      {"object_id", hold.object_id},
                      {"reason", hold.reason},
                      {"placed_by", hold.placed_by_username},
                      {"placed_at", FormatIso8601(hold.placed_at)},
                      {"active", !hold.lifted_at.has_value()},
                      {"lifted_at", OptTime(hold.lifted_at)},
                      {"lifted_by", hold.lifted_by_username},
                      {"lift_reason", hold.lift_reason}};
}

json::object RunReportJson(const RunReport& report) {
  json::array kinds;
  for (const auto& kind : report.kinds) {
    json::object out{
        {"kind", KindName(kind.kind)},
        {"enabled", kind.enabled},
        {"after_days", kind.after_days},
        {"cutoff", kind.enabled ? json::value(FormatIso8601(kind.cutoff)) : json::value(nullptr)},
        {"count", kind.count}};
    if (!ObjectTypeOf(kind.kind).empty()) {
      out["ids"] = Ids(kind.ids);
      out["held"] = Ids(kind.held);
      out["kept_for_duplicates"] = Ids(kind.kept_for_duplicates);
    }
    kinds.emplace_back(std::move(out));
  }
  return json::object{{"dry_run", report.dry_run},
                      {"as_of", FormatIso8601(report.as_of)},
                      {"kinds", std::move(kinds)},
                      {"vault_items", report.vault_items},
                      {"files", report.files}};
}

void RegisterRetentionRoutes(http::Router& router, RetentionService& retention) {
  RetentionService* s = &retention;
  router.Add({.method = "GET",
              .pattern = "/api/v1/retention/policies",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionManage));
                ASSIGN_OR_RETURN(auto policies, s->ListPolicies());
                json::array out;
                for (const auto& policy : policies) out.emplace_back(PolicyJson(policy));
                return http::JsonResponse(json::object{{"policies", std::move(out)}});
              },
              .summary = "List the retention policy of every kind of record",
              .tag = "retention"});

  router.Add({.method = "PUT",
              .pattern = "/api/v1/retention/policies/{kind}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionManage));
                const auto kind = ParseKind(ctx.path_params["kind"]);
                if (!kind) return NotFound("no such kind of record");
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto enabled, fields.OptionalBool("enabled"));
                if (!enabled) return InvalidArgument("enabled is required", "enabled");
                ASSIGN_OR_RETURN(std::int64_t after_days,
                                 fields.RequiredInt("after_days", 0, kMaxDays));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto policy, s->SetPolicy(ctx.caller(), *kind, *enabled,
                                                           after_days, ctx.request.request_id));
                return http::JsonResponse(json::object{{"policy", PolicyJson(policy)}});
              },
              .max_body = 4 * 1024,
              .summary = "Set the retention policy of one kind of record",
              .tag = "retention"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/retention/preview",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionManage));
                ASSIGN_OR_RETURN(auto report, s->Run(true, RunActor{}));
                return http::JsonResponse(RunReportJson(report));
              },
              .summary = "What the next purge would remove (a dry run)",
              .tag = "retention"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/retention/holds",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionHold));
                ASSIGN_OR_RETURN(auto holds, s->ListHolds());
                json::array out;
                for (const auto& hold : holds) out.emplace_back(HoldJson(hold));
                return http::JsonResponse(json::object{{"holds", std::move(out)}});
              },
              .summary = "List legal holds, active ones first",
              .tag = "retention"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/retention/holds",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionHold));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto object_type, fields.RequiredString("object_type", 1, 32));
                ASSIGN_OR_RETURN(std::int64_t object_id,
                                 fields.RequiredInt("object_id", 1, INT64_MAX));
                ASSIGN_OR_RETURN(auto reason, fields.RequiredText("reason", 1, 500));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto hold, s->PlaceHold(ctx.caller(), object_type, object_id,
                                                         reason, ctx.request.request_id));
                return http::JsonResponse(json::object{{"hold", HoldJson(hold)}}, 201);
              },
              .max_body = 8 * 1024,
              .summary = "Place a legal hold on a record",
              .tag = "retention"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/retention/holds/{id}/lift",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                RETURN_IF_ERROR(security::Authorize(ctx.caller(), Permission::kRetentionManage));
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto reason, fields.RequiredText("reason", 1, 500));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto hold,
                                 s->LiftHold(ctx.caller(), id, reason, ctx.request.request_id));
                return http::JsonResponse(json::object{{"hold", HoldJson(hold)}});
              },
              .max_body = 8 * 1024,
              .summary = "Lift a legal hold",
              .tag = "retention"});
}

}  // namespace psea::retention
