#include "modules/units/handlers.h"

#include "http/json.h"

namespace psea::units {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

json::object UnitJson(const Unit& unit) {
  json::array aliases;
  for (const auto& alias : unit.aliases) aliases.emplace_back(alias);
  json::array points;
  for (const auto& point : unit.focal_points) {
    points.emplace_back(json::object{
        {"id", point.user_id}, {"username", point.username}, {"display_name", point.display_name}});
  }
  return json::object{{"id", unit.id},
                      {"code", unit.code},
                      {"name", unit.name},
                      {"aliases", std::move(aliases)},
                      {"focal_points", std::move(points)}};
}

void RegisterUnitRoutes(http::Router& router, UnitsService& units,
                        accounts::AccountsService& accounts) {
  UnitsService* s = &units;
  accounts::AccountsService* a = &accounts;
  router.Add({.method = "GET",
              .pattern = "/api/v1/units",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                if (ctx.caller().kind != security::Principal::Kind::kUser)
                  return PermissionDenied();
                ASSIGN_OR_RETURN(auto list, s->List());
                json::array out;
                for (const auto& unit : list) out.emplace_back(UnitJson(unit));
                return http::JsonResponse(json::object{{"units", std::move(out)}});
              },
              .summary = "List organisation units and their focal points",
              .tag = "units"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/units",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(security::Authorize(ctx.caller(), security::Permission::kUnitsManage));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         Unit unit;
         ASSIGN_OR_RETURN(unit.code, fields.RequiredString("code", 1, 32));
         ASSIGN_OR_RETURN(unit.name, fields.RequiredString("name", 1, 200));
         ASSIGN_OR_RETURN(unit.aliases, fields.StringArray("aliases", 50, 200));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto created, s->Create(ctx.caller(), unit, ctx.request.request_id));
         return http::JsonResponse(json::object{{"unit", UnitJson(created)}}, 201);
       },
       .max_body = 64 * 1024,
       .summary = "Create an organisation unit",
       .tag = "units"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/units/{id}",
       .handler = [s, a](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(security::Authorize(ctx.caller(), security::Permission::kUnitsManage));
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         UnitPatch patch;
         ASSIGN_OR_RETURN(patch.name, fields.OptionalString("name", 200));
         if (fields.Has("aliases")) {
           ASSIGN_OR_RETURN(auto aliases, fields.StringArray("aliases", 50, 200));
           patch.aliases = std::move(aliases);
         }
         if (fields.Has("focal_point_ids")) {
           ASSIGN_OR_RETURN(auto ids, fields.IntArray("focal_point_ids", 100, 1, INT64_MAX));
           std::vector<FocalPoint> points;
           for (std::int64_t user_id : ids) {
             auto user = a->GetUser(user_id);
             if (!user.ok()) {
               return Unprocessable("no user with id " + std::to_string(user_id),
                                    "focal_point_ids");
             }
             points.push_back({user->id, user->username, user->display_name});
           }
           patch.focal_points = std::move(points);
         }
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto updated, s->Update(ctx.caller(), id, patch, ctx.request.request_id));
         return http::JsonResponse(json::object{{"unit", UnitJson(updated)}});
       },
       .max_body = 64 * 1024,
       .summary = "Change a unit's name, aliases or focal points",
       .tag = "units"});
}

}  // namespace psea::units
