#include "modules/assistance/referrals_handlers.h"

#include "http/download.h"
#include "http/json.h"
#include "http/versions.h"

namespace psea::assistance {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = 9'000'000'000'000'000'000;
constexpr std::int64_t kDayMillis = 86'400'000;

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

json::value TimeOrNull(const std::optional<UnixMillis>& time) {
  return time ? json::value(FormatIso8601(*time)) : json::value(nullptr);
}

json::value IntOrNull(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::array Words(const std::vector<std::string_view>& words) {
  json::array out;
  for (auto word : words) out.push_back(json::string(word));
  return out;
}

json::object TrackingRowJson(const TrackingRow& row) {
  return json::object{{"file_id", row.file_id},
                      {"file_reference", row.file_reference},
                      {"prefecture", row.prefecture},
                      {"need_id", row.need_id},
                      {"need_type", row.need_type},
                      {"urgency", row.urgency},
                      {"need_status", row.need_status},
                      {"referral_id", IntOrNull(row.referral_id)},
                      {"service", row.service},
                      {"provider_id", IntOrNull(row.provider_id)},
                      {"provider_name", row.provider_name},
                      {"status", row.status.empty() ? "not_referred" : row.status},
                      {"referred_at", TimeOrNull(row.referred_at)},
                      {"service_started_at", TimeOrNull(row.service_started_at)},
                      {"last_follow_up_at", TimeOrNull(row.last_follow_up_at)},
                      {"next_follow_up_at", TimeOrNull(row.next_follow_up_at)},
                      {"emergency", row.emergency},
                      {"overdue", row.overdue}};
}

// The filters of the table, the export and the portal (`with_prefecture`: not the portal).
Result<TrackingFilter> FilterOf(const http::QueryParams& query, bool paged) {
  TrackingFilter filter;
  ASSIGN_OR_RETURN(filter.status, query.Text("status", 32));
  ASSIGN_OR_RETURN(filter.service, query.Text("service", 32));
  ASSIGN_OR_RETURN(filter.provider_id, query.Id("provider_id"));
  ASSIGN_OR_RETURN(filter.prefecture, query.Text("prefecture", 16));
  ASSIGN_OR_RETURN(auto overdue, query.Enum("overdue", {"true", "false"}));
  if (overdue) filter.overdue = *overdue == "true";
  ASSIGN_OR_RETURN(filter.referred_from, query.Time("referred_from"));
  ASSIGN_OR_RETURN(auto to, query.Time("referred_to"));
  // A day names the whole day: referred_to=2026-12-05 takes the referrals of the 5th.
  if (to) filter.referred_to = *to + (*to % kDayMillis == 0 ? kDayMillis : 1);
  if (paged) {
    ASSIGN_OR_RETURN(auto limit, query.Int("limit", 1, 200));
    ASSIGN_OR_RETURN(auto offset, query.Int("offset", 0, 10'000'000));
    filter.limit = limit.value_or(50);
    filter.offset = offset.value_or(0);
  }
  return filter;
}

}  // namespace

json::object ReferralJson(const ReferralView& view) {
  const Referral& r = view.referral;
  return json::object{{"id", r.id},
                      {"file_id", r.file_id},
                      {"file_reference", view.file_reference},
                      {"need_id", r.need_id},
                      {"need_type", view.need_type},
                      {"urgency", view.urgency},
                      {"service", r.service},
                      {"provider_id", r.provider_id},
                      {"provider_name", r.provider_name},
                      {"status", r.status},
                      {"referred_at", FormatIso8601(r.referred_at)},
                      {"referred_by", r.referred_by_username},
                      {"consent_id", IntOrNull(r.consent_id)},
                      {"emergency", r.emergency},
                      {"justification", r.justification},
                      {"service_started_at", TimeOrNull(r.service_started_at)},
                      {"closed_at", TimeOrNull(r.closed_at)},
                      {"outcome", r.outcome},
                      {"notes", r.notes},
                      {"last_follow_up_at", TimeOrNull(r.last_follow_up_at)},
                      {"next_follow_up_at", TimeOrNull(r.next_follow_up_at)},
                      {"current", r.current},
                      {"overdue", view.overdue},
                      {"can_update", view.can_update},
                      {"information_shared", view.information_shared},
                      {"contact_allowed", view.contact_allowed},
                      {"contact_channel", view.contact_channel},
                      {"updated_at", FormatIso8601(r.updated_at)},
                      {"updated_by", r.updated_by},
                      {"version", r.version}};
}

void RegisterReferralRoutes(http::Router& router, ReferralsService& referrals) {
  ReferralsService* s = &referrals;
  auto reply = [](const ReferralView& view, int status = 200) {
    HttpResponse response =
        http::JsonResponse(json::object{{"referral", ReferralJson(view)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.referral.version));
    return response;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/referral-vocabulary",
              .handler = [](RequestContext&) -> Result<HttpResponse> {
                return http::JsonResponse(
                    json::object{{"statuses", Words(kReferralStatuses)},
                                 {"provider_statuses", Words(kProviderStatuses)}});
              },
              .summary = "The referral statuses, and those a provider's case manager records",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/referrals",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewReferral request;
                ASSIGN_OR_RETURN(request.need_id, fields.RequiredInt("need_id", 1, kMaxId));
                ASSIGN_OR_RETURN(request.provider_id, fields.RequiredInt("provider_id", 1, kMaxId));
                ASSIGN_OR_RETURN(auto service, fields.OptionalString("service", 32));
                ASSIGN_OR_RETURN(auto referred_at, fields.OptionalString("referred_at", 20));
                ASSIGN_OR_RETURN(auto emergency, fields.OptionalBool("emergency"));
                ASSIGN_OR_RETURN(auto justification, fields.OptionalText("justification", 2000));
                ASSIGN_OR_RETURN(auto next, fields.OptionalString("next_follow_up_at", 20));
                ASSIGN_OR_RETURN(auto notes, fields.OptionalText("notes", 4000));
                RETURN_IF_ERROR(fields.Finish());
                request.service = service.value_or("");
                request.referred_at = referred_at.value_or("");
                request.emergency = emergency.value_or(false);
                request.justification = justification.value_or("");
                request.next_follow_up_at = next.value_or("");
                request.notes = notes.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->Refer(ctx.caller(), id, request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Refer a victim's need to a provider (a valid referral consent, or an "
                         "emergency medical referral with its justification)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/files/{id}/referrals",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto views, s->OfFile(ctx.caller(), id));
                json::array out;
                for (const auto& view : views) out.push_back(ReferralJson(view));
                return http::JsonResponse(json::object{{"referrals", std::move(out)}});
              },
              .summary = "A file's referrals, oldest first",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/referrals/{id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->Get(ctx.caller(), id, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "One referral (a provider's case manager: their provider's only; a "
                         "refusal is audited)",
              .tag = "assistance"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/assistance/referrals/{id}",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ReferralPatch patch;
         ASSIGN_OR_RETURN(patch.status, fields.OptionalString("status", 32));
         ASSIGN_OR_RETURN(patch.service_started_at,
                          fields.OptionalString("service_started_at", 20));
         ASSIGN_OR_RETURN(patch.outcome, fields.OptionalText("outcome", 2000));
         ASSIGN_OR_RETURN(patch.notes, fields.OptionalText("notes", 4000));
         ASSIGN_OR_RETURN(patch.last_follow_up_at, fields.OptionalString("last_follow_up_at", 20));
         ASSIGN_OR_RETURN(patch.next_follow_up_at, fields.OptionalString("next_follow_up_at", 20));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto view, s->Update(ctx.caller(), id, patch, expected.version,
                                               expected.if_match ? VersionSource::kIfMatch
                                                                 : VersionSource::kBody,
                                               InfoOf(ctx.request)));
         return reply(view);
       },
       .max_body = 16 * 1024,
       .summary = "Record a referral's progress: status, service start, outcome, notes, "
                  "follow-ups (If-Match: 412; or version: 409)",
       .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/referrals/{id}/share-identity",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto user, fields.RequiredInt("user_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto view,
                                 s->ShareIdentity(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 1024,
              .summary = "Share the victim's identity with a case manager of the referral's "
                         "provider, as the consent allows (designates them for the file)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/tracking",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto filter, FilterOf(ctx.query(), true));
                ASSIGN_OR_RETURN(auto page, s->Tracking(ctx.caller(), filter));
                json::array rows;
                for (const auto& row : page.rows) rows.push_back(TrackingRowJson(row));
                return http::JsonResponse(json::object{{"rows", std::move(rows)},
                                                       {"total", page.total},
                                                       {"limit", filter.limit},
                                                       {"offset", filter.offset}});
              },
              .query = {"status", "service", "provider_id", "prefecture", "overdue",
                        "referred_from", "referred_to", "limit", "offset"},
              .summary = "The service tracking table: one row per victim's file and need, "
                         "overdue follow-ups first (file references, never identities)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/tracking/export",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                const auto query = ctx.query();
                ASSIGN_OR_RETURN(auto filter, FilterOf(query, false));
                ASSIGN_OR_RETURN(auto format_asked, query.Enum("format", {"csv", "xlsx"}));
                const std::string format = format_asked.value_or("csv");
                ASSIGN_OR_RETURN(auto rows, s->TrackingExport(ctx.caller(), filter, format,
                                                              InfoOf(ctx.request)));
                if (format == "xlsx") {
                  ASSIGN_OR_RETURN(auto bytes, TrackingXlsx(rows));
                  return http::DownloadResponse(
                      std::move(bytes),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "service-tracking.xlsx");
                }
                return http::DownloadResponse(TrackingCsv(rows), "text/csv; charset=utf-8",
                                              "service-tracking.csv");
              },
              .query = {"status", "service", "provider_id", "prefecture", "overdue",
                        "referred_from", "referred_to", "format"},
              .summary = "The service tracking table as CSV or XLSX, without identities (audited)",
              .tag = "assistance"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/assistance/provider-portal",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto filter, FilterOf(ctx.query(), true));
         ASSIGN_OR_RETURN(auto page, s->ForProvider(ctx.caller(), filter));
         json::array out;
         for (const auto& view : page.referrals) out.push_back(ReferralJson(view));
         return http::JsonResponse(json::object{{"referrals", std::move(out)},
                                                {"total", page.total},
                                                {"limit", filter.limit},
                                                {"offset", filter.offset}});
       },
       .query = {"status", "service", "overdue", "referred_from", "referred_to", "limit", "offset"},
       .summary = "A provider case manager's referrals: their provider's only, with "
                  "what the consents let the provider have",
       .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/referral-figures",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                const auto query = ctx.query();
                ASSIGN_OR_RETURN(auto from, query.Time("from"));
                ASSIGN_OR_RETURN(auto to, query.Time("to"));
                if (!from) return InvalidArgument("from is required", "from");
                if (!to) return InvalidArgument("to is required", "to");
                // A day names the whole day.
                const UnixMillis end = *to + (*to % kDayMillis == 0 ? kDayMillis : 1);
                ASSIGN_OR_RETURN(auto figures, s->Figures(ctx.caller(), *from, end));
                auto number = [](const std::optional<double>& v) {
                  return v ? json::value(*v) : json::value(nullptr);
                };
                return http::JsonResponse(json::object{
                    {"victims", figures.victims},
                    {"referred_within_24h", figures.referred_within_24h},
                    {"referred_within_72h", figures.referred_within_72h},
                    {"share_within_24h", number(figures.share_within_24h)},
                    {"share_within_72h", number(figures.share_within_72h)},
                    {"services_started", figures.services_started},
                    {"median_days_to_service", number(figures.median_days_to_service)}});
              },
              .query = {"from", "to"},
              .summary = "Referrals' timeliness: victims referred within 24 and 72 hours of the "
                         "first report, median days from referral to service start",
              .tag = "assistance"});
}

}  // namespace psea::assistance
