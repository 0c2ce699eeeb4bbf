#include "modules/assistance/handlers.h"

#include "http/json.h"
#include "http/versions.h"

namespace psea::assistance {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = 9'000'000'000'000'000'000;

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

json::object FileClearJson(const AssistanceFile& f) {
  return json::object{{"id", f.id},
                      {"reference", f.reference},
                      {"pseudonym", f.pseudonym},
                      {"sex", f.sex},
                      {"age_group", f.age_group},
                      {"age", IntOrNull(f.age)},
                      {"prefecture", f.prefecture},
                      {"status", f.status},
                      {"opened_at", FormatIso8601(f.opened_at)},
                      {"closed_at", TimeOrNull(f.closed_at)},
                      {"created_by", f.created_by_username},
                      {"updated_at", FormatIso8601(f.updated_at)},
                      {"version", f.version}};
}

// The sealed half of a file, given as an object; errors name "identity.<field>".
Result<FileIdentity> ReadIdentity(const json::value& value) {
  if (!value.is_object()) return InvalidArgument("identity must be an object", "identity");
  http::JsonFields fields(value.as_object());
  auto prefixed = [](const Status& status) {
    return Status(status.code(), status.message(), "identity." + status.field());
  };
  FileIdentity identity;
  auto read = [&](std::string_view key, std::size_t max, std::string& out) -> Status {
    auto text = fields.OptionalString(key, max);
    if (!text.ok()) return prefixed(text.status());
    out = text->value_or("");
    return Status::Ok();
  };
  RETURN_IF_ERROR(read("name", 200, identity.name));
  RETURN_IF_ERROR(read("contacts", 500, identity.contacts));
  RETURN_IF_ERROR(read("address", 500, identity.address));
  RETURN_IF_ERROR(read("guardian_name", 200, identity.guardian_name));
  RETURN_IF_ERROR(read("guardian_contact", 500, identity.guardian_contact));
  if (auto done = fields.Finish(); !done.ok()) return prefixed(done);
  return identity;
}

}  // namespace

json::object ConsentJson(const Consent& k) {
  return json::object{{"id", k.id},
                      {"file_id", k.file_id},
                      {"scope", k.scope},
                      {"provider_id", IntOrNull(k.provider_id)},
                      {"with_whom", k.with_whom},
                      {"channel", k.channel},
                      {"given_at", FormatIso8601(k.given_at)},
                      {"means", k.means},
                      {"given_by", k.given_by},
                      {"guardian", k.guardian},
                      {"expires_at", TimeOrNull(k.expires_at)},
                      {"notes", k.notes},
                      {"recorded_by", k.recorded_by_username},
                      {"recorded_at", FormatIso8601(k.recorded_at)},
                      {"withdrawn_at", TimeOrNull(k.withdrawn_at)},
                      {"withdrawn_by", k.withdrawn_by_username},
                      {"withdrawal_note", k.withdrawal_note}};
}

json::object NeedJson(const NeedView& view) {
  const Need& n = view.need;
  json::value pep = nullptr;
  if (view.pep.state != PepState::kNotApplicable) {
    pep = json::object{{"state", PepStateName(view.pep.state)},
                       {"deadline", TimeOrNull(view.pep.deadline)},
                       {"urgent", view.pep.urgent}};
  }
  return json::object{{"id", n.id},
                      {"file_id", n.file_id},
                      {"type", n.type},
                      {"urgency", n.urgency},
                      {"notes", n.notes},
                      {"status", n.status},
                      {"after_rape", n.after_rape},
                      {"incident_at", TimeOrNull(n.incident_at)},
                      {"assessed_at", FormatIso8601(n.assessed_at)},
                      {"assessed_by", n.assessed_by_username},
                      {"closed_at", TimeOrNull(n.closed_at)},
                      {"closed_by", n.closed_by_username},
                      {"pep", std::move(pep)}};
}

json::object FileJson(const FileView& view) {
  json::object out = FileClearJson(view.file);
  json::array cases, designees, consents, needs;
  for (const auto& link : view.cases) {
    cases.push_back(json::object{{"case_id", link.case_id},
                                 {"reference", link.reference},
                                 {"linked_by", link.linked_by_username},
                                 {"linked_at", FormatIso8601(link.linked_at)}});
  }
  for (const auto& d : view.file.designees) {
    designees.push_back(json::object{{"user_id", d.user_id},
                                     {"username", d.username},
                                     {"added_by", d.added_by_username},
                                     {"added_at", FormatIso8601(d.added_at)}});
  }
  for (const auto& k : view.consents) consents.push_back(ConsentJson(k));
  for (const auto& n : view.needs) needs.push_back(NeedJson(n));
  out["cases"] = std::move(cases);
  out["designees"] = std::move(designees);
  out["consents"] = std::move(consents);
  out["needs"] = std::move(needs);
  out["can_work"] = view.can_work;
  out["has_identity"] = view.has_identity;
  out["can_reveal"] = view.can_reveal;
  return out;
}

void RegisterAssistanceRoutes(http::Router& router, AssistanceService& assistance) {
  AssistanceService* s = &assistance;
  auto reply = [](const FileView& view, int status = 200) {
    HttpResponse response = http::JsonResponse(json::object{{"file", FileJson(view)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.file.version));
    return response;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/vocabulary",
              .handler = [s](RequestContext&) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto places, s->Prefectures());
                json::array prefectures;
                for (const auto& [code, name] : places) {
                  prefectures.push_back(json::object{{"code", code}, {"name", name}});
                }
                return http::JsonResponse(
                    json::object{{"prefectures", std::move(prefectures)},
                                 {"sexes", Words(kSexes)},
                                 {"age_groups", Words(kAgeGroups)},
                                 {"file_statuses", Words(kFileStatuses)},
                                 {"need_types", Words(kNeedTypes)},
                                 {"urgencies", Words(kUrgencies)},
                                 {"need_statuses", Words(kNeedStatuses)},
                                 {"consent_scopes", Words(kConsentScopes)},
                                 {"consent_means", Words(kConsentMeans)},
                                 {"consent_givers", Words(kConsentGivers)},
                                 {"contact_channels", Words(kContactChannels)}});
              },
              .summary = "The closed vocabularies of victims' assistance (need types, consent "
                         "scopes, ...)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/designable",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto staff, s->Designables(ctx.caller()));
                json::array out;
                for (const auto& m : staff) {
                  out.push_back(json::object{{"id", m.id},
                                             {"username", m.username},
                                             {"display_name", m.display_name},
                                             {"role", security::RoleName(m.role)}});
                }
                return http::JsonResponse(json::object{{"users", std::move(out)}});
              },
              .summary = "The staff a VRA may designate to read a file",
              .tag = "assistance"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/assistance/readers/sync",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto sync, s->SyncIdentityReaders(ctx.caller(), InfoOf(ctx.request)));
         return http::JsonResponse(json::object{
             {"granted", sync.granted}, {"revoked", sync.revoked}, {"unopened", sync.unopened}});
       },
       .summary = "Bring the identities' keys in line with the victims readers and the "
                  "designees",
       .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/files",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                const auto query = ctx.query();
                FileFilter filter;
                ASSIGN_OR_RETURN(filter.status, query.Text("status", 16));
                ASSIGN_OR_RETURN(filter.prefecture, query.Text("prefecture", 16));
                ASSIGN_OR_RETURN(filter.age_group, query.Text("age_group", 16));
                ASSIGN_OR_RETURN(filter.need, query.Text("need", 32));
                ASSIGN_OR_RETURN(filter.case_id, query.Id("case_id"));
                ASSIGN_OR_RETURN(auto limit, query.Int("limit", 1, 200));
                ASSIGN_OR_RETURN(auto offset, query.Int("offset", 0, 1'000'000));
                filter.limit = limit.value_or(50);
                filter.offset = offset.value_or(0);
                ASSIGN_OR_RETURN(auto page, s->ListFiles(ctx.caller(), filter));
                json::array files;
                for (const auto& summary : page.files) {
                  json::object row = FileClearJson(summary.file);
                  row["open_needs"] = summary.open_needs;
                  row["urgent_needs"] = summary.urgent_needs;
                  row["cases"] = summary.cases;
                  files.push_back(std::move(row));
                }
                return http::JsonResponse(json::object{{"files", std::move(files)},
                                                       {"total", page.total},
                                                       {"limit", filter.limit},
                                                       {"offset", filter.offset}});
              },
              .query = {"status", "prefecture", "age_group", "need", "case_id", "limit", "offset"},
              .summary = "Assistance files: a VRA's all (filters), anyone else's those they are "
                         "designated for",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewFile request;
                ASSIGN_OR_RETURN(auto pseudonym, fields.OptionalString("pseudonym", 100));
                ASSIGN_OR_RETURN(auto sex, fields.OptionalString("sex", 16));
                ASSIGN_OR_RETURN(request.age_group, fields.OptionalString("age_group", 16));
                ASSIGN_OR_RETURN(request.age, fields.OptionalInt("age", 0, 120));
                ASSIGN_OR_RETURN(auto prefecture, fields.OptionalString("prefecture", 16));
                ASSIGN_OR_RETURN(request.case_ids, fields.IntArray("case_ids", 20, 1, kMaxId));
                fields.Accept("identity");
                RETURN_IF_ERROR(fields.Finish());
                if (const auto* identity = body.if_contains("identity");
                    identity && !identity->is_null()) {
                  ASSIGN_OR_RETURN(request.identity, ReadIdentity(*identity));
                }
                request.pseudonym = pseudonym.value_or("");
                request.sex = sex.value_or("unknown");
                request.prefecture = prefecture.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->CreateFile(ctx.caller(), request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Open an assistance file (the identity, when given, is sealed at once)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/files/{id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->GetFile(ctx.caller(), id));
                return reply(view);
              },
              .summary = "One assistance file: clear half, cases, designees, consents, needs "
                         "(with the 72-hour window)",
              .tag = "assistance"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/assistance/files/{id}",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         FilePatch patch;
         ASSIGN_OR_RETURN(patch.pseudonym, fields.OptionalString("pseudonym", 100));
         ASSIGN_OR_RETURN(patch.sex, fields.OptionalString("sex", 16));
         ASSIGN_OR_RETURN(patch.age_group, fields.OptionalString("age_group", 16));
         ASSIGN_OR_RETURN(auto age, fields.OptionalInt("age", 0, 120));
         if (age) {
           patch.age = std::optional<std::int64_t>(*age);
         } else if (const auto* given = body.if_contains("age"); given && given->is_null()) {
           patch.age = std::optional<std::int64_t>();
         }
         ASSIGN_OR_RETURN(patch.prefecture, fields.OptionalString("prefecture", 16));
         ASSIGN_OR_RETURN(patch.status, fields.OptionalString("status", 16));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto view, s->UpdateFile(ctx.caller(), id, patch, expected.version,
                                                   (expected.if_match ? VersionSource::kIfMatch
                                                                      : VersionSource::kBody),
                                                   InfoOf(ctx.request)));
         return reply(view);
       },
       .max_body = 8 * 1024,
       .summary = "Change a file's clear half or close/reopen it (If-Match: 412; or version: "
                  "409)",
       .tag = "assistance"});

  router.Add({.method = "PUT",
              .pattern = "/api/v1/assistance/files/{id}/identity",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto identity, ReadIdentity(json::value(body)));
                ASSIGN_OR_RETURN(auto view,
                                 s->SetIdentity(ctx.caller(), id, identity, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 16 * 1024,
              .summary = "Seal (or replace) a file's identity for the victims readers and the "
                         "designees",
              .tag = "assistance"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/assistance/files/{id}/identity/reveal",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto identity, s->RevealIdentity(ctx.caller(), id, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"name", identity.name},
                                                {"contacts", identity.contacts},
                                                {"address", identity.address},
                                                {"guardian_name", identity.guardian_name},
                                                {"guardian_contact", identity.guardian_contact}});
       },
       .summary = "Open a file's identity (victims readers and designees; recent 2FA "
                  "proof; audited)",
       .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/cases",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto case_id, fields.RequiredInt("case_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto view,
                                 s->LinkCase(ctx.caller(), id, case_id, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 1024,
              .summary = "Link a file to a case the VRA sees",
              .tag = "assistance"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/assistance/files/{id}/cases/{case_id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t case_id, ctx.IdParam("case_id"));
                ASSIGN_OR_RETURN(auto view,
                                 s->UnlinkCase(ctx.caller(), id, case_id, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "Unlink a file from a case",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/designees",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto user, fields.RequiredInt("user_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto view,
                                 s->Designate(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 1024,
              .summary = "Designate someone to read a file and open its identity",
              .tag = "assistance"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/assistance/files/{id}/designees/{user_id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t user, ctx.IdParam("user_id"));
                ASSIGN_OR_RETURN(auto view,
                                 s->Undesignate(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "End a designation (the key is revoked at once)",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/consents",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewConsent request;
                ASSIGN_OR_RETURN(request.scope, fields.RequiredString("scope", 1, 32));
                ASSIGN_OR_RETURN(request.provider_id, fields.OptionalInt("provider_id", 1, kMaxId));
                ASSIGN_OR_RETURN(auto with_whom, fields.OptionalString("with_whom", 500));
                ASSIGN_OR_RETURN(auto channel, fields.OptionalString("channel", 32));
                ASSIGN_OR_RETURN(auto given_at, fields.OptionalString("given_at", 20));
                ASSIGN_OR_RETURN(request.means, fields.RequiredString("means", 1, 32));
                ASSIGN_OR_RETURN(auto given_by, fields.OptionalString("given_by", 16));
                ASSIGN_OR_RETURN(auto guardian, fields.OptionalString("guardian", 100));
                ASSIGN_OR_RETURN(auto expires_at, fields.OptionalString("expires_at", 20));
                ASSIGN_OR_RETURN(auto notes, fields.OptionalText("notes", 2000));
                RETURN_IF_ERROR(fields.Finish());
                request.with_whom = with_whom.value_or("");
                request.channel = channel.value_or("");
                request.given_at = given_at.value_or("");
                request.given_by = given_by.value_or("victim");
                request.guardian = guardian.value_or("");
                request.expires_at = expires_at.value_or("");
                request.notes = notes.value_or("");
                ASSIGN_OR_RETURN(auto consent,
                                 s->AddConsent(ctx.caller(), id, request, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"consent", ConsentJson(consent)}}, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record an informed consent (a child's is the guardian's)",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/consents/{consent_id}/withdraw",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t consent_id, ctx.IdParam("consent_id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto at, fields.OptionalString("withdrawn_at", 20));
                ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto consent,
                                 s->WithdrawConsent(ctx.caller(), id, consent_id, at.value_or(""),
                                                    note.value_or(""), InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"consent", ConsentJson(consent)}});
              },
              .max_body = 8 * 1024,
              .summary = "Record the withdrawal of a consent (kept, never deleted)",
              .tag = "assistance"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/assistance/files/{id}/consent-check",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                const auto query = ctx.query();
                ConsentQuery request;
                ASSIGN_OR_RETURN(auto scope, query.Text("scope", 32));
                if (!scope) return InvalidArgument("scope is required", "scope");
                request.scope = *scope;
                ASSIGN_OR_RETURN(request.provider_id, query.Id("provider_id"));
                ASSIGN_OR_RETURN(auto channel, query.Text("channel", 32));
                request.channel = channel.value_or("");
                ASSIGN_OR_RETURN(auto at, query.Time("at"));
                request.at = at.value_or(0);
                ASSIGN_OR_RETURN(auto decision, s->CheckConsent(ctx.caller(), id, request));
                return http::JsonResponse(
                    json::object{{"covered", decision.covered()},
                                 {"verdict", ConsentVerdictName(decision.verdict)},
                                 {"consent_id", IntOrNull(decision.consent_id)}});
              },
              .query = {"scope", "provider_id", "channel", "at"},
              .summary = "Whether a valid consent of the file covers an action (scope, "
                         "provider, channel, time)",
              .tag = "assistance"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/assistance/files/{id}/needs",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewNeed request;
                ASSIGN_OR_RETURN(request.type, fields.RequiredString("type", 1, 32));
                ASSIGN_OR_RETURN(auto urgency, fields.OptionalString("urgency", 16));
                ASSIGN_OR_RETURN(auto notes, fields.OptionalText("notes", 4000));
                ASSIGN_OR_RETURN(auto after_rape, fields.OptionalBool("after_rape"));
                ASSIGN_OR_RETURN(auto incident_at, fields.OptionalString("incident_at", 20));
                RETURN_IF_ERROR(fields.Finish());
                request.urgency = urgency.value_or("medium");
                request.notes = notes.value_or("");
                request.after_rape = after_rape.value_or(false);
                request.incident_at = incident_at.value_or("");
                ASSIGN_OR_RETURN(auto need,
                                 s->AddNeed(ctx.caller(), id, request, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"need", NeedJson(need)}}, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record an assessed need (medical after rape: the 72-hour window)",
              .tag = "assistance"});

  router.Add({.method = "PATCH",
              .pattern = "/api/v1/assistance/files/{id}/needs/{need_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t need_id, ctx.IdParam("need_id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NeedPatch patch;
                ASSIGN_OR_RETURN(patch.urgency, fields.OptionalString("urgency", 16));
                ASSIGN_OR_RETURN(patch.notes, fields.OptionalText("notes", 4000));
                ASSIGN_OR_RETURN(patch.status, fields.OptionalString("status", 16));
                ASSIGN_OR_RETURN(patch.after_rape, fields.OptionalBool("after_rape"));
                ASSIGN_OR_RETURN(patch.incident_at, fields.OptionalString("incident_at", 20));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto need, s->UpdateNeed(ctx.caller(), id, need_id, patch,
                                                          InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"need", NeedJson(need)}});
              },
              .max_body = 16 * 1024,
              .summary = "Change a need, or mark it met or closed",
              .tag = "assistance"});
}

}  // namespace psea::assistance
