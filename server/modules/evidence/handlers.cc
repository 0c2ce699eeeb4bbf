#include "modules/evidence/handlers.h"

#include "http/download.h"
#include "http/json.h"
#include "modules/evidence/print.h"

namespace psea::evidence {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

json::object AttachmentJson(const Attachment& a) {
  return json::object{{"id", a.id},
                      {"item_id", a.item_id},
                      {"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"added_by", a.added_by_username},
                      {"added_at", FormatIso8601(a.added_at)}};
}

}  // namespace

json::object ItemJson(const Item& item) {
  json::array custody, attachments;
  for (const auto& e : item.custody) {
    custody.push_back(json::object{{"seq", e.seq},
                                   {"from", e.from_holder},
                                   {"to", e.to_holder},
                                   {"at", FormatIso8601(e.at)},
                                   {"purpose", e.purpose},
                                   {"status", e.status},
                                   {"storage_location", e.storage_location},
                                   {"recorded_by", e.recorded_by_username},
                                   {"recorded_at", FormatIso8601(e.recorded_at)},
                                   {"prev_hash", e.prev_hash},
                                   {"hash", e.hash}});
  }
  for (const auto& a : item.attachments) attachments.push_back(AttachmentJson(a));
  return json::object{{"id", item.id},
                      {"case_id", item.case_id},
                      {"label", item.label},
                      {"description", item.description},
                      {"collected_by", item.collected_by},
                      {"collected_at", FormatIso8601(item.collected_at)},
                      {"place_collected", item.place_collected},
                      {"storage_location", item.storage_location},
                      {"status", item.status},
                      {"created_by", item.created_by_username},
                      {"created_at", FormatIso8601(item.created_at)},
                      {"custody", std::move(custody)},
                      {"attachments", std::move(attachments)}};
}

json::object IntegrityJson(const std::vector<ItemIntegrity>& items) {
  json::array out;
  bool all = true;
  for (const auto& item : items) {
    json::array problems, attachments;
    for (const auto& p : item.custody_problems) problems.push_back(json::string(p));
    for (const auto& a : item.attachments) {
      attachments.push_back(json::object{
          {"id", a.id}, {"filename", a.filename}, {"sha256", a.sha256}, {"state", a.state}});
    }
    all = all && item.intact();
    out.push_back(json::object{{"item_id", item.item_id},
                               {"label", item.label},
                               {"intact", item.intact()},
                               {"custody_intact", item.custody_intact},
                               {"custody_problems", std::move(problems)},
                               {"attachments", std::move(attachments)}});
  }
  return json::object{{"intact", all}, {"items", std::move(out)}};
}

json::object DeploymentJson(const Deployment& d) {
  json::value deployed = nullptr, hours = nullptr;
  if (d.deployed_at) deployed = FormatIso8601(*d.deployed_at);
  if (auto h = HoursToDeploy(d)) hours = *h;
  return json::object{{"id", d.id},
                      {"case_id", d.case_id},
                      {"alerted_at", FormatIso8601(d.alerted_at)},
                      {"deployed_at", deployed},
                      {"hours_to_deploy", hours},
                      {"team", d.team},
                      {"place", d.place},
                      {"actions", d.actions},
                      {"created_by", d.created_by_username},
                      {"created_at", FormatIso8601(d.created_at)}};
}

void RegisterEvidenceRoutes(http::Router& router, EvidenceService& evidence) {
  EvidenceService* s = &evidence;

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/evidence",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto items, s->ListItems(ctx.caller(), id));
                json::array out;
                for (const auto& item : items) out.push_back(ItemJson(item));
                return http::JsonResponse(json::object{{"items", std::move(out)}});
              },
              .summary = "The evidence log of a case: items, their chain of custody and files",
              .tag = "evidence"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/evidence",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewItem request;
         ASSIGN_OR_RETURN(request.label, fields.RequiredString("label", 1, 200));
         ASSIGN_OR_RETURN(auto description, fields.OptionalText("description", 4000));
         ASSIGN_OR_RETURN(request.collected_by, fields.RequiredString("collected_by", 1, 200));
         ASSIGN_OR_RETURN(request.collected_at, fields.RequiredString("collected_at", 1, 20));
         ASSIGN_OR_RETURN(auto place, fields.OptionalString("place_collected", 200));
         ASSIGN_OR_RETURN(request.storage_location,
                          fields.RequiredString("storage_location", 1, 200));
         RETURN_IF_ERROR(fields.Finish());
         request.description = description.value_or("");
         request.place_collected = place.value_or("");
         ASSIGN_OR_RETURN(auto item, s->AddItem(ctx.caller(), id, request, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"item", ItemJson(item)}}, 201);
       },
       .max_body = 32 * 1024,
       .summary = "Record an evidence item (its collection is custody entry 1)",
       .tag = "evidence"});

  // Literal paths under /evidence/ come before /evidence/{item_id}: the first match wins.
  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/evidence/integrity",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto item, ctx.query().Id("item"));
                ASSIGN_OR_RETURN(auto items, s->CheckIntegrity(ctx.caller(), id, item));
                return http::JsonResponse(IntegrityJson(items));
              },
              .query = {"item"},
              .summary = "Recompute the custody hash chains and the files' SHA-256 of a case's "
                         "evidence (or of one item)",
              .tag = "evidence"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/evidence/{item_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t item_id, ctx.IdParam("item_id"));
                ASSIGN_OR_RETURN(auto item, s->GetItem(ctx.caller(), id, item_id));
                return http::JsonResponse(json::object{{"item", ItemJson(item)}});
              },
              .summary = "One evidence item with its chain of custody and files",
              .tag = "evidence"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/evidence/{item_id}/custody",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(std::int64_t item_id, ctx.IdParam("item_id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         Transfer request;
         ASSIGN_OR_RETURN(request.from_holder, fields.OptionalString("from", 200));
         ASSIGN_OR_RETURN(request.to_holder, fields.RequiredString("to", 1, 200));
         ASSIGN_OR_RETURN(request.at, fields.RequiredString("at", 1, 20));
         ASSIGN_OR_RETURN(request.purpose, fields.RequiredText("purpose", 1, 1000));
         ASSIGN_OR_RETURN(request.status, fields.OptionalString("status", 20));
         ASSIGN_OR_RETURN(request.storage_location, fields.OptionalString("storage_location", 200));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto item,
                          s->AddTransfer(ctx.caller(), id, item_id, request, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"item", ItemJson(item)}}, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Record a transfer of custody (appended to the item's hash chain)",
       .tag = "evidence"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/evidence/{item_id}/attachments",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(std::int64_t item_id, ctx.IdParam("item_id"));
         const std::string filename =
             http::PercentDecodeHeader(ctx.request.Header("x-filename").value_or(""));
         const std::string type(ctx.request.Header("content-type").value_or(""));
         ASSIGN_OR_RETURN(auto attachment,
                          s->AddAttachment(ctx.caller(), id, item_id, filename, type,
                                           ctx.request.body, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"attachment", AttachmentJson(attachment)}}, 201);
       },
       .max_body = kMaxAttachmentBytes,
       .summary = "Attach a file to an evidence item (raw body, X-Filename; encrypted at rest; "
                  "at most 10 MiB)",
       .tag = "evidence"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/evidence/{item_id}/attachments/{attachment_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t item_id, ctx.IdParam("item_id"));
                ASSIGN_OR_RETURN(std::int64_t attachment_id, ctx.IdParam("attachment_id"));
                ASSIGN_OR_RETURN(auto file, s->ReadAttachment(ctx.caller(), id, item_id,
                                                              attachment_id, InfoOf(ctx.request)));
                // Downloaded, never shown: whatever it holds cannot run in the app's origin.
                HttpResponse response = http::DownloadResponse(
                    std::move(file.second), file.first.content_type, file.first.filename,
                    "evidence-" + std::to_string(attachment_id));
                response.SetHeader("X-Content-SHA256", file.first.sha256);
                response.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
                return response;
              },
              .summary = "Download an evidence file (checked against its SHA-256; audited)",
              .tag = "evidence"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/evidence/{item_id}/print",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t item_id, ctx.IdParam("item_id"));
                ASSIGN_OR_RETURN(auto lang, ctx.query().Enum("lang", {"en", "fr"}));
                ASSIGN_OR_RETURN(auto report, s->CustodyReportOf(ctx.caller(), id, item_id,
                                                                 InfoOf(ctx.request)));
                HttpResponse response;
                response.SetHeader("Content-Type", "text/html; charset=utf-8");
                response.SetHeader("Content-Security-Policy", std::string(kCustodyPagePolicy));
                response.SetHeader("Cache-Control", "no-store");
                response.body = RenderCustodyHtml(report, lang.value_or("en"));
                return response;
              },
              .query = {"lang"},
              .summary = "The printable chain of custody of an evidence item (HTML, en or fr; "
                         "audited)",
              .tag = "evidence"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/irt",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto list, s->ListDeployments(ctx.caller(), id));
                json::array out;
                for (const auto& d : list) out.push_back(DeploymentJson(d));
                return http::JsonResponse(json::object{{"deployments", std::move(out)}});
              },
              .summary = "The Immediate Response Team's deployments on a case",
              .tag = "evidence"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/irt",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewDeployment request;
         ASSIGN_OR_RETURN(request.alerted_at, fields.RequiredString("alerted_at", 1, 20));
         ASSIGN_OR_RETURN(request.deployed_at, fields.OptionalString("deployed_at", 20));
         ASSIGN_OR_RETURN(request.team, fields.RequiredText("team", 1, 2000));
         ASSIGN_OR_RETURN(request.place, fields.RequiredString("place", 1, 200));
         ASSIGN_OR_RETURN(auto actions, fields.OptionalText("actions", 4000));
         RETURN_IF_ERROR(fields.Finish());
         request.actions = actions.value_or("");
         ASSIGN_OR_RETURN(auto deployment,
                          s->AddDeployment(ctx.caller(), id, request, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"deployment", DeploymentJson(deployment)}}, 201);
       },
       .max_body = 32 * 1024,
       .summary = "Record an IRT deployment (hours from alert to deployment computed; 422 naming "
                  "deployed_at when before the alert)",
       .tag = "evidence"});
}

}  // namespace psea::evidence
