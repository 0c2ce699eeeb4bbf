#include "modules/cases/handlers.h"

#include "http/json.h"
#include "http/versions.h"
#include "modules/cases/list.h"

namespace psea::cases {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = std::int64_t{1} << 53;

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

std::string_view AccessName(CaseAccess access) {
  switch (access) {
    case CaseAccess::kFull:
      return "full";
    case CaseAccess::kVictims:
      return "victims";
    case CaseAccess::kInvestigation:
      return "investigation";
    case CaseAccess::kNone:
      break;
  }
  return "none";
}

// Strings of a closed vocabulary: kInvalidArgument naming the field for any other value.
Result<std::optional<std::string>> OptionalEnum(http::JsonFields& fields, std::string_view key,
                                                const std::vector<std::string_view>& vocabulary) {
  ASSIGN_OR_RETURN(auto value, fields.OptionalString(key, 64));
  if (value && !IsOneOf(vocabulary, *value)) {
    return InvalidArgument("unknown value", std::string(key));
  }
  return value;
}

}  // namespace

json::object CaseJson(const CaseView& view, bool with_lists) {
  const Case& k = view.kase;
  json::object out{{"id", k.id},
                   {"reference", k.reference},
                   {"mission", k.mission},
                   {"date_reported", k.date_reported},
                   {"incident_date_precision", k.incident_date_precision},
                   {"incident_date", k.incident_date},
                   {"location", k.location},
                   {"category", k.category},
                   {"type", k.type},
                   {"risk_child", k.risk_child},
                   {"risk_violence", k.risk_violence},
                   {"risk_ongoing", k.risk_ongoing},
                   {"urgent", k.urgent},
                   {"paternity_claim", k.paternity_claim},
                   {"investigating_entity", k.investigating_entity},
                   {"status", CaseStatusName(k.status)},
                   {"status_date", k.status_date},
                   {"outcome", k.outcome},
                   {"closure_reason", k.closure_reason},
                   {"version", k.version},
                   {"created_at", FormatIso8601(k.created_at)},
                   {"updated_at", FormatIso8601(k.updated_at)},
                   {"access", AccessName(view.access)},
                   {"can_reveal", view.can_reveal}};
  if (!with_lists) {
    // A list row: its next due clock (or null) and, for full access, its officers.
    out["next_due"] = view.next_due ? json::value(DueItemJson(*view.next_due)) : nullptr;
    if (view.access == CaseAccess::kFull) {
      json::array names;
      for (const auto& name : view.officer_usernames) names.emplace_back(name);
      out["officer_usernames"] = std::move(names);
    }
    return out;
  }
  json::array complaints, victims, subjects, officers, entries, timeline;
  for (const auto& c : k.complaints) {
    complaints.push_back(json::object{{"id", c.complaint_id}, {"reference", c.reference}});
  }
  for (const auto& v : k.victims) {
    json::object victim{{"id", v.id},
                        {"pseudonym", v.pseudonym},
                        {"sex", v.sex},
                        {"age_group", v.age_group},
                        {"child_born", v.child_born}};
    victim["age"] = v.age ? json::value(*v.age) : json::value(nullptr);
    victims.push_back(std::move(victim));
  }
  for (const auto& s : k.subjects) {
    subjects.push_back(json::object{{"id", s.id},
                                    {"personnel_category", s.personnel_category},
                                    {"nationality", s.nationality},
                                    {"unit", s.unit},
                                    {"rank", s.rank},
                                    {"identified", s.identified},
                                    {"other_cases", s.other_cases}});
  }
  for (const auto& o : k.officers) {
    officers.push_back(json::object{{"user_id", o.user_id},
                                    {"username", o.username},
                                    {"assigned_at", FormatIso8601(o.assigned_at)}});
  }
  for (const auto& e : k.entries) {
    entries.push_back(json::object{{"id", e.id},
                                   {"kind", e.kind},
                                   {"type", e.type},
                                   {"date", e.date},
                                   {"end_date", e.end_date},
                                   {"note", e.note},
                                   {"amount", e.amount},
                                   {"by", e.created_by_username},
                                   {"created_at", FormatIso8601(e.created_at)}});
  }
  for (const auto& e : k.timeline) {
    timeline.push_back(json::object{{"id", e.id},
                                    {"at", FormatIso8601(e.at)},
                                    {"by", e.username},
                                    {"kind", e.kind},
                                    {"from_status", e.from_status},
                                    {"to_status", e.to_status},
                                    {"reason", e.reason},
                                    {"date", e.date}});
  }
  out["complaints"] = std::move(complaints);
  out["victims"] = std::move(victims);
  out["subjects"] = std::move(subjects);
  out["officers"] = std::move(officers);
  json::array advocates;
  for (const auto& a : k.advocates) {
    advocates.push_back(json::object{{"user_id", a.user_id},
                                     {"username", a.username},
                                     {"linked_at", FormatIso8601(a.assigned_at)}});
  }
  out["advocates"] = std::move(advocates);
  out["entries"] = std::move(entries);
  out["timeline"] = std::move(timeline);
  json::array clocks, pauses;
  for (const auto& clock : view.clocks) clocks.push_back(RuleClockJson(clock));
  for (const auto& p : view.pauses) {
    json::value end = nullptr;
    if (p.pause.end) end = FormatIso8601(*p.pause.end);
    pauses.push_back(json::object{{"id", p.id},
                                  {"rule", p.pause.rule ? RuleIdName(*p.pause.rule) : "all"},
                                  {"start", FormatIso8601(p.pause.start)},
                                  {"end", end},
                                  {"reason", p.pause.reason},
                                  {"by", p.by_username},
                                  {"ended_by", p.ended_by_username}});
  }
  out["clocks"] = std::move(clocks);
  out["clock_pauses"] = std::move(pauses);
  return out;
}

void RegisterCaseRoutes(http::Router& router, CasesService& cases) {
  // Literal /api/v1/cases/review first: it must come before /api/v1/cases/{id}.
  RegisterInformRoutes(router, cases);
  CasesService* s = &cases;
  auto reply = [](const CaseView& view, int status = 200) {
    auto response = http::JsonResponse(json::object{{"case", CaseJson(view, true)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.kase.version));
    return response;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto filter, ParseCaseListFilter(ctx.query()));
                ASSIGN_OR_RETURN(auto page, s->ListPage(ctx.caller(), filter));
                json::array out;
                for (const auto& view : page.cases) out.push_back(CaseJson(view, false));
                return http::JsonResponse(json::object{{"cases", std::move(out)},
                                                       {"total", page.total},
                                                       {"limit", filter.limit},
                                                       {"offset", filter.offset}});
              },
              .query = CaseListParameterNames(),
              .summary = "The allegation cases the caller may see, filtered, searched and paged "
                         "(newest first by default)",
              .tag = "cases"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewCase request;
         ASSIGN_OR_RETURN(request.complaint_ids, fields.IntArray("complaints", 50, 1, kMaxId));
         ASSIGN_OR_RETURN(request.date_reported, fields.OptionalString("date_reported", 10));
         ASSIGN_OR_RETURN(request.incident_date_precision,
                          OptionalEnum(fields, "incident_date_precision", kDatePrecisions));
         ASSIGN_OR_RETURN(request.incident_date, fields.OptionalString("incident_date", 10));
         ASSIGN_OR_RETURN(request.location, fields.OptionalString("location", 200));
         ASSIGN_OR_RETURN(request.category, OptionalEnum(fields, "category", kCaseCategories));
         ASSIGN_OR_RETURN(request.type, OptionalEnum(fields, "type", kCaseTypes));
         ASSIGN_OR_RETURN(request.risk_ongoing, fields.OptionalBool("risk_ongoing"));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto view, s->Create(ctx.caller(), request, InfoOf(ctx.request)));
         return reply(view, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Open an allegation case from complaints ready for a case (CDT; an intake "
                  "reader with a recent proof)",
       .tag = "cases"});

  // Literal paths under /api/v1/cases/ come before /api/v1/cases/{id}: the first match wins.
  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/due",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                const auto query = ctx.query();
                ASSIGN_OR_RETURN(auto within, query.Int("within_days", 0, 365));
                ASSIGN_OR_RETURN(bool mine, query.Bool("mine"));
                // Paged as the case list is (list.h): 50 by default, at most 200.
                ASSIGN_OR_RETURN(auto limit, query.Int("limit", 1, kMaxCasePage));
                ASSIGN_OR_RETURN(auto offset, query.Int("offset", 0, kMaxCaseOffset));
                const std::int64_t page_limit = limit.value_or(kDefaultCasePage);
                const std::int64_t page_offset = offset.value_or(0);
                ASSIGN_OR_RETURN(auto page,
                                 s->Due(ctx.caller(), static_cast<int>(within.value_or(7)), mine,
                                        page_offset, page_limit));
                json::array out;
                for (const auto& item : page.items) out.push_back(DueItemJson(item));
                return http::JsonResponse(json::object{{"items", std::move(out)},
                                                       {"total", page.total},
                                                       {"overdue", page.overdue},
                                                       {"limit", page_limit},
                                                       {"offset", page_offset}});
              },
              .query = {"within_days", "mine", "limit", "offset"},
              .summary = "Overdue clocks and clocks due within N days (default 7) over the cases "
                         "the caller may see, most late first, paged",
              .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/timeline-rules",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto settings, s->TimelineRules(ctx.caller()));
                return http::JsonResponse(TimelineSettingsJson(settings));
              },
              .summary = "The timeline rule table of the case clocks (CDT)",
              .tag = "cases"});

  router.Add({.method = "PUT",
              .pattern = "/api/v1/cases/timeline-rules",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto saved, s->SetTimelineRules(ctx.caller(), json::value(body),
                                                                 InfoOf(ctx.request)));
                return http::JsonResponse(TimelineSettingsJson(saved));
              },
              .max_body = 64 * 1024,
              .summary = "Replace the timeline rule table (CDT chief: cases.readers); every "
                         "case's clocks follow",
              .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->Get(ctx.caller(), id));
                return reply(view);
              },
              .summary = "One case with its victims, subjects, measures and timeline",
              .tag = "cases"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/cases/{id}",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         CasePatch patch;
         ASSIGN_OR_RETURN(patch.date_reported, fields.OptionalString("date_reported", 10));
         ASSIGN_OR_RETURN(patch.incident_date_precision,
                          OptionalEnum(fields, "incident_date_precision", kDatePrecisions));
         ASSIGN_OR_RETURN(patch.incident_date, fields.OptionalString("incident_date", 10));
         ASSIGN_OR_RETURN(patch.location, fields.OptionalString("location", 200));
         ASSIGN_OR_RETURN(patch.category, OptionalEnum(fields, "category", kCaseCategories));
         ASSIGN_OR_RETURN(patch.type, OptionalEnum(fields, "type", kCaseTypes));
         ASSIGN_OR_RETURN(patch.risk_child, fields.OptionalBool("risk_child"));
         ASSIGN_OR_RETURN(patch.risk_violence, fields.OptionalBool("risk_violence"));
         ASSIGN_OR_RETURN(patch.risk_ongoing, fields.OptionalBool("risk_ongoing"));
         ASSIGN_OR_RETURN(patch.paternity_claim, fields.OptionalBool("paternity_claim"));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(
             auto view,
             s->Update(ctx.caller(), id, patch, expected.version, InfoOf(ctx.request),
                       (expected.if_match ? VersionSource::kIfMatch : VersionSource::kBody)));
         return reply(view);
       },
       .max_body = 16 * 1024,
       .summary = "Change a case's clear facts (If-Match: the ETag read, 412 when it "
                  "changed; or version in the body, 409)",
       .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/complaints",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto ids, fields.IntArray("complaints", 50, 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                if (ids.empty())
                  return InvalidArgument("name at least one complaint", "complaints");
                ASSIGN_OR_RETURN(auto view,
                                 s->AbsorbComplaints(ctx.caller(), id, ids, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 16 * 1024,
              .summary = "Add later complaints (ready for a case) to a case",
              .tag = "cases"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/transitions",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(std::string status, fields.RequiredString("status", 1, 64));
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ASSIGN_OR_RETURN(auto reason, fields.OptionalText("reason", 2000));
         ASSIGN_OR_RETURN(auto entity, OptionalEnum(fields, "entity", kInvestigatingEntities));
         ASSIGN_OR_RETURN(auto outcome, OptionalEnum(fields, "outcome", kOutcomes));
         ASSIGN_OR_RETURN(auto date, fields.OptionalString("date", 10));
         RETURN_IF_ERROR(fields.Finish());
         auto to = ParseCaseStatus(status);
         if (!to) return InvalidArgument("unknown status", "status");
         TransitionRequest request;
         request.to = *to;
         request.reason = reason.value_or("");
         request.entity = entity.value_or("");
         request.outcome = outcome.value_or("");
         request.date = date.value_or("");
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(
             auto view,
             s->Transition(ctx.caller(), id, request, expected.version, InfoOf(ctx.request),
                           (expected.if_match ? VersionSource::kIfMatch : VersionSource::kBody)));
         return reply(view);
       },
       .max_body = 16 * 1024,
       .summary = "Move a case along its workflow (409 naming status for an illegal step; "
                  "If-Match or version as for PATCH)",
       .tag = "cases"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/victims",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         Victim victim;
         ASSIGN_OR_RETURN(victim.pseudonym, fields.RequiredString("pseudonym", 1, 40));
         ASSIGN_OR_RETURN(auto sex, OptionalEnum(fields, "sex", kSexes));
         ASSIGN_OR_RETURN(auto age_group, OptionalEnum(fields, "age_group", kAgeGroups));
         ASSIGN_OR_RETURN(auto age, fields.OptionalInt("age", 0, 120));
         ASSIGN_OR_RETURN(auto child_born, OptionalEnum(fields, "child_born", kYesNoUnknown));
         VictimIdentity identity;
         ASSIGN_OR_RETURN(auto name, fields.OptionalString("name", 200));
         ASSIGN_OR_RETURN(auto contacts, fields.OptionalString("contacts", 500));
         ASSIGN_OR_RETURN(auto address, fields.OptionalString("address", 500));
         RETURN_IF_ERROR(fields.Finish());
         victim.sex = sex.value_or("unknown");
         victim.age_group = age_group.value_or("unknown");
         if (age) victim.age = static_cast<int>(*age);
         victim.child_born = child_born.value_or("unknown");
         identity = {name.value_or(""), contacts.value_or(""), address.value_or("")};
         ASSIGN_OR_RETURN(auto view, s->AddVictim(ctx.caller(), id, std::move(victim), identity,
                                                  InfoOf(ctx.request)));
         return reply(view, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Add a victim (identity sealed for the case's readers and the victims readers)",
       .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/subjects",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                Subject subject;
                ASSIGN_OR_RETURN(subject.personnel_category,
                                 fields.RequiredString("personnel_category", 1, 64));
                ASSIGN_OR_RETURN(auto nationality, fields.OptionalString("nationality", 2));
                ASSIGN_OR_RETURN(auto unit, fields.OptionalString("unit", 200));
                ASSIGN_OR_RETURN(auto rank, fields.OptionalString("rank", 100));
                ASSIGN_OR_RETURN(auto name, fields.OptionalString("name", 200));
                ASSIGN_OR_RETURN(auto description, fields.OptionalText("description", 2000));
                RETURN_IF_ERROR(fields.Finish());
                subject.nationality = nationality.value_or("");
                subject.unit = unit.value_or("");
                subject.rank = rank.value_or("");
                const SubjectIdentity identity{name.value_or(""), description.value_or("")};
                ASSIGN_OR_RETURN(auto view, s->AddSubject(ctx.caller(), id, std::move(subject),
                                                          identity, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Add a subject (identity sealed; repeat subjects are flagged through a "
                         "keyed blind index)",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/entries",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                CaseEntry entry;
                ASSIGN_OR_RETURN(entry.kind, fields.RequiredString("kind", 1, 32));
                ASSIGN_OR_RETURN(entry.type, fields.RequiredString("type", 1, 64));
                ASSIGN_OR_RETURN(entry.date, fields.RequiredString("date", 1, 10));
                ASSIGN_OR_RETURN(auto end_date, fields.OptionalString("end_date", 10));
                ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
                ASSIGN_OR_RETURN(auto amount, fields.OptionalString("amount", 64));
                RETURN_IF_ERROR(fields.Finish());
                entry.end_date = end_date.value_or("");
                entry.note = note.value_or("");
                entry.amount = amount.value_or("");
                ASSIGN_OR_RETURN(auto view, s->AddEntry(ctx.caller(), id, std::move(entry),
                                                        InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record a Member State step, an interim measure or an action taken",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/officers",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(std::int64_t user, fields.RequiredInt("user_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto view,
                                 s->AssignOfficer(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 16 * 1024,
              .summary = "Assign a CDT officer to a case (a cases reader; grants the case's "
                         "keys)",
              .tag = "cases"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/cases/{id}/officers/{user_id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t user, ctx.IdParam("user_id"));
                ASSIGN_OR_RETURN(auto view,
                                 s->UnassignOfficer(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "Unassign an officer (a cases reader; revokes the case's keys at once)",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/victims/{victim_id}/reveal",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t victim, ctx.IdParam("victim_id"));
                ASSIGN_OR_RETURN(auto identity,
                                 s->RevealVictim(ctx.caller(), id, victim, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"name", identity.name},
                                                       {"contacts", identity.contacts},
                                                       {"address", identity.address}});
              },
              .summary = "Open a victim's identity (2FA in the session; audited)",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/subjects/{subject_id}/reveal",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t subject, ctx.IdParam("subject_id"));
                ASSIGN_OR_RETURN(auto identity,
                                 s->RevealSubject(ctx.caller(), id, subject, InfoOf(ctx.request)));
                return http::JsonResponse(
                    json::object{{"name", identity.name}, {"description", identity.description}});
              },
              .summary = "Open a subject's identity (2FA in the session; audited)",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/pauses",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                PauseRequest request;
                ASSIGN_OR_RETURN(request.reason, fields.RequiredString("reason", 1, 2000));
                ASSIGN_OR_RETURN(auto rule, fields.OptionalString("rule", 64));
                ASSIGN_OR_RETURN(auto start, fields.OptionalString("start", 10));
                RETURN_IF_ERROR(fields.Finish());
                if (rule && *rule != "all") {
                  request.rule = ParseRuleId(*rule);
                  if (!request.rule) return InvalidArgument("unknown rule", "rule");
                }
                request.start_date = start.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->AddPause(ctx.caller(), id, request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Pause a case's clocks (one rule or all) with a recorded reason",
              .tag = "cases"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/pauses/{pause_id}/end",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t pause_id, ctx.IdParam("pause_id"));
                ASSIGN_OR_RETURN(auto view,
                                 s->EndPause(ctx.caller(), id, pause_id, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "End a clock pause now (409 naming pause_id when it has ended)",
              .tag = "cases"});

  // ---- The VRA's cases (migration 4)
  router.Add({.method = "POST",
              .pattern = "/api/v1/cases/{id}/advocates",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(std::int64_t user, fields.RequiredInt("user_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                ASSIGN_OR_RETURN(auto view,
                                 s->LinkAdvocate(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 16 * 1024,
              .summary = "Link the Victims' Rights Advocate to a case's victims (full access): "
                         "she then sees the case",
              .tag = "cases"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/cases/{id}/advocates/{user_id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t user, ctx.IdParam("user_id"));
                ASSIGN_OR_RETURN(auto view,
                                 s->UnlinkAdvocate(ctx.caller(), id, user, InfoOf(ctx.request)));
                return reply(view);
              },
              .summary = "Unlink a VRA from a case (full access): she no longer sees it",
              .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/case-readers",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto view, s->Readers(ctx.caller()));
                json::array readers, eligible;
                for (const auto& r : view.readers) {
                  readers.push_back(json::object{{"user_id", r.user_id},
                                                 {"added_by", r.added_by_name},
                                                 {"added_at", FormatIso8601(r.added_at)}});
                }
                for (const auto& m : view.eligible) {
                  eligible.push_back(json::object{{"user_id", m.id},
                                                  {"username", m.username},
                                                  {"display_name", m.display_name},
                                                  {"role", security::RoleName(m.role)}});
                }
                return http::JsonResponse(json::object{{"readers", std::move(readers)},
                                                       {"eligible", std::move(eligible)}});
              },
              .summary = "The cases readers and the staff eligible to become one",
              .tag = "cases"});

  auto reader_change = [s](bool add) {
    return [s, add](RequestContext& ctx) -> Result<HttpResponse> {
      ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
      http::JsonFields fields(body);
      ASSIGN_OR_RETURN(std::int64_t user, fields.RequiredInt("user_id", 1, kMaxId));
      ASSIGN_OR_RETURN(auto proof, http::StepUpFields(fields));
      RETURN_IF_ERROR(fields.Finish());
      RETURN_IF_ERROR(add ? s->AddReader(ctx.caller(), user, proof, InfoOf(ctx.request))
                          : s->RemoveReader(ctx.caller(), user, proof, InfoOf(ctx.request)));
      return http::NoContent();
    };
  };
  router.Add({.method = "POST",
              .pattern = "/api/v1/case-readers",
              .handler = reader_change(true),
              .max_body = 16 * 1024,
              .summary = "Add a cases reader (a cases reader who is CDT chief, or the first by "
                         "an intake reader; needs current_password and totp_code)",
              .tag = "cases"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/case-readers/remove",
              .handler = reader_change(false),
              .max_body = 16 * 1024,
              .summary = "Remove a cases reader (needs current_password and totp_code); never "
                         "the last one",
              .tag = "cases"});
}

// ---- Keeping victims informed, the bi-weekly review

namespace {

json::object VictimContactJson(const VictimContact& contact) {
  json::object out{{"id", contact.id},
                   {"case_id", contact.case_id},
                   {"victim_id", contact.victim_id},
                   {"date", contact.date},
                   {"channel", contact.channel},
                   {"has_note", contact.note_item != 0},
                   {"by", contact.by_username},
                   {"created_at", FormatIso8601(contact.created_at)}};
  out["note"] = contact.note ? json::value(*contact.note) : json::value(nullptr);
  return out;
}

json::object ReviewDecisionJson(const ReviewDecision& decision) {
  return json::object{{"id", decision.id},
                      {"case_id", decision.case_id},
                      {"meeting_date", decision.meeting_date},
                      {"decision", decision.decision},
                      {"action_owner", decision.action_owner},
                      {"due_date", decision.due_date},
                      {"by", decision.by_username},
                      {"created_at", FormatIso8601(decision.created_at)}};
}

}  // namespace

void RegisterInformRoutes(http::Router& router, CasesService& cases) {
  CasesService* s = &cases;

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/review",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto rows, s->Review(ctx.caller()));
                json::array out;
                for (const auto& row : rows) {
                  const ReviewFacts& f = row.facts;
                  json::object item{{"case_id", f.case_id},
                                    {"reference", f.reference},
                                    {"status", f.status},
                                    {"status_date", f.status_date},
                                    {"date_reported", f.date_reported},
                                    {"investigating_entity", f.investigating_entity},
                                    {"age_days", row.age_days}};
                  item["last_activity_at"] = f.last_activity_at
                                                 ? json::value(FormatIso8601(*f.last_activity_at))
                                                 : json::value(nullptr);
                  item["days_since_activity"] = row.days_since_activity
                                                    ? json::value(*row.days_since_activity)
                                                    : json::value(nullptr);
                  item["next_due"] =
                      f.next_due_at
                          ? json::value(json::object{{"rule", f.next_due_rule},
                                                     {"due_at", FormatIso8601(*f.next_due_at)}})
                          : json::value(nullptr);
                  json::array officers;
                  for (const auto& name : row.officers) officers.emplace_back(name);
                  item["officers"] = std::move(officers);
                  item["last_decision"] = row.last_decision
                                              ? json::value(ReviewDecisionJson(*row.last_decision))
                                              : json::value(nullptr);
                  out.push_back(std::move(item));
                }
                return http::JsonResponse(json::object{{"cases", std::move(out)}});
              },
              .summary = "The bi-weekly review: pending cases the caller works, oldest first, "
                         "with days since the last activity and the next due clock",
              .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/victims/{victim_id}/contacts",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t victim, ctx.IdParam("victim_id"));
                ASSIGN_OR_RETURN(auto view, s->VictimContacts(ctx.caller(), id, victim));
                json::array out;
                for (const auto& contact : view.contacts) out.push_back(VictimContactJson(contact));
                return http::JsonResponse(json::object{{"contacts", std::move(out)},
                                                       {"notes_open", view.notes_open},
                                                       {"reauth_required", view.reauth_required}});
              },
              .summary = "The contacts logged with one victim, newest first (notes opened with "
                         "an unlocked key and 2FA in the session; audited)",
              .tag = "cases"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/victims/{victim_id}/contacts",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(std::int64_t victim, ctx.IdParam("victim_id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         CasesService::NewVictimContact request;
         ASSIGN_OR_RETURN(request.date, fields.RequiredString("date", 1, 10));
         ASSIGN_OR_RETURN(request.channel, fields.RequiredString("channel", 1, 32));
         ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 4000));
         RETURN_IF_ERROR(fields.Finish());
         request.note = note.value_or("");
         ASSIGN_OR_RETURN(auto contact, s->AddVictimContact(ctx.caller(), id, victim, request,
                                                            InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"contact", VictimContactJson(contact)}}, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Log a contact with a victim (note sealed); meets the victim_information "
                  "clock",
       .tag = "cases"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/cases/{id}/review-decisions",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto decisions, s->ReviewDecisions(ctx.caller(), id));
                json::array out;
                for (const auto& decision : decisions) out.push_back(ReviewDecisionJson(decision));
                return http::JsonResponse(json::object{{"decisions", std::move(out)}});
              },
              .summary = "The review meetings' decisions on a case, newest meeting first",
              .tag = "cases"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/cases/{id}/review-decisions",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ReviewDecision decision;
         ASSIGN_OR_RETURN(decision.meeting_date, fields.RequiredString("meeting_date", 1, 10));
         ASSIGN_OR_RETURN(decision.decision, fields.RequiredText("decision", 1, 2000));
         ASSIGN_OR_RETURN(auto owner, fields.OptionalString("action_owner", 200));
         ASSIGN_OR_RETURN(auto due, fields.OptionalString("due_date", 10));
         RETURN_IF_ERROR(fields.Finish());
         decision.action_owner = owner.value_or("");
         decision.due_date = due.value_or("");
         ASSIGN_OR_RETURN(auto saved, s->AddReviewDecision(ctx.caller(), id, std::move(decision),
                                                           InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"decision", ReviewDecisionJson(saved)}}, 201);
       },
       .max_body = 16 * 1024,
       .summary = "Record a review meeting's decision on a case (shown in its timeline)",
       .tag = "cases"});
}

}  // namespace psea::cases
