#include "modules/paternity/handlers.h"

#include <cmath>

#include "http/json.h"
#include "http/versions.h"

namespace psea::paternity {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = 9'000'000'000'000'000'000;
// 10^12 units of any currency, in hundredths.
constexpr std::int64_t kMaxCents = 100'000'000'000'000;

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

json::value Amount(std::int64_t cents) { return static_cast<double>(cents) / 100.0; }

// `amount`: a JSON number with at most two decimals, in units of the currency.
Result<std::int64_t> ReadAmount(const json::object& body, http::JsonFields& fields) {
  fields.Accept("amount");
  const auto* value = body.if_contains("amount");
  if (!value || value->is_null()) return InvalidArgument("amount is required", "amount");
  double units = 0;
  if (value->is_int64()) {
    units = static_cast<double>(value->as_int64());
  } else if (value->is_uint64()) {
    units = static_cast<double>(value->as_uint64());
  } else if (value->is_double()) {
    units = value->as_double();
  } else {
    return InvalidArgument("amount must be a number", "amount");
  }
  const double cents = std::round(units * 100.0);
  if (!std::isfinite(units) || std::fabs(units * 100.0 - cents) > 1e-6 ||
      std::fabs(cents) > static_cast<double>(kMaxCents)) {
    return InvalidArgument("amount must be a number with at most two decimals", "amount");
  }
  return static_cast<std::int64_t>(cents);
}

// The sealed part, given as an object; errors name "sealed.<field>".
Result<SealedPart> ReadSealed(const json::value& value) {
  if (!value.is_object()) return InvalidArgument("sealed must be an object", "sealed");
  http::JsonFields fields(value.as_object());
  auto prefixed = [](const Status& status) {
    return Status(status.code(), status.message(), "sealed." + status.field());
  };
  SealedPart sealed;
  auto name = fields.OptionalString("child_name", 200);
  if (!name.ok()) return prefixed(name.status());
  auto born = fields.OptionalString("child_date_of_birth", 10);
  if (!born.ok()) return prefixed(born.status());
  auto wishes = fields.OptionalText("wishes", 4000);
  if (!wishes.ok()) return prefixed(wishes.status());
  if (auto done = fields.Finish(); !done.ok()) return prefixed(done);
  sealed.child_name = name->value_or("");
  sealed.child_date_of_birth = born->value_or("");
  sealed.wishes = wishes->value_or("");
  return sealed;
}

// A nullable id: absent (nullopt), null (set to none) or a value.
Result<std::optional<std::optional<std::int64_t>>> NullableId(const json::object& body,
                                                              http::JsonFields& fields,
                                                              std::string_view key) {
  ASSIGN_OR_RETURN(auto value, fields.OptionalInt(key, 1, kMaxId));
  if (value) return std::optional<std::optional<std::int64_t>>(value);
  if (const auto* given = body.if_contains(key); given && given->is_null()) {
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>());
  }
  return std::optional<std::optional<std::int64_t>>();
}

}  // namespace

json::object ClaimJson(const ClaimView& view) {
  const Claim& k = view.claim;
  json::array custody, support;
  for (const auto& e : k.custody) {
    custody.push_back(json::object{{"seq", e.seq},
                                   {"from_holder", e.from_holder},
                                   {"to_holder", e.to_holder},
                                   {"at", FormatIso8601(e.at)},
                                   {"place", e.place},
                                   {"seal_intact", e.seal_intact},
                                   {"note", e.note},
                                   {"recorded_by", e.recorded_by_username},
                                   {"recorded_at", FormatIso8601(e.recorded_at)},
                                   {"hash", e.hash}});
  }
  for (const auto& s : k.support) {
    json::array payments;
    std::int64_t received = 0, missed = 0;
    for (const auto& p : s.payments) {
      (p.state == "received" ? received : missed) += p.amount_cents;
      payments.push_back(json::object{{"id", p.id},
                                      {"on", FormatIso8601(p.on)},
                                      {"amount", Amount(p.amount_cents)},
                                      {"state", p.state},
                                      {"note", p.note},
                                      {"recorded_by", p.recorded_by_username},
                                      {"recorded_at", FormatIso8601(p.recorded_at)}});
    }
    support.push_back(json::object{{"id", s.id},
                                   {"kind", s.kind},
                                   {"amount", Amount(s.amount_cents)},
                                   {"currency", s.currency},
                                   {"frequency", s.frequency},
                                   {"payer", s.payer},
                                   {"starts_on", FormatIso8601(s.starts_on)},
                                   {"note", s.note},
                                   {"recorded_by", s.recorded_by_username},
                                   {"recorded_at", FormatIso8601(s.recorded_at)},
                                   {"received_total", Amount(received)},
                                   {"missed_total", Amount(missed)},
                                   {"payments", std::move(payments)}});
  }
  json::array problems;
  for (const auto& p : view.custody.problems) problems.push_back(json::string(p));
  json::value sample = nullptr;
  if (k.sample_collected_at) {
    sample = json::object{{"collected_by", k.sample_collected_by},
                          {"collected_at", FormatIso8601(*k.sample_collected_at)},
                          {"place", k.sample_place},
                          {"holder", k.custody.empty() ? "" : k.custody.back().to_holder},
                          {"custody_intact", view.custody.intact},
                          {"seals_intact", view.custody.seals_intact},
                          {"custody_problems", std::move(problems)}};
  }
  return json::object{{"id", k.id},
                      {"file_id", k.file_id},
                      {"case_id", IntOrNull(k.case_id)},
                      {"case_reference", view.case_reference},
                      {"subject_id", IntOrNull(k.subject_id)},
                      {"claim_date", FormatIso8601(k.claim_date)},
                      {"status", k.status},
                      {"closed_at", TimeOrNull(k.closed_at)},
                      {"ms_notified_at", TimeOrNull(k.ms_notified_at)},
                      {"ms_reference", k.ms_reference},
                      {"sample", std::move(sample)},
                      {"custody", std::move(custody)},
                      {"lab", k.lab},
                      {"tested_at", TimeOrNull(k.tested_at)},
                      {"result", k.result},
                      {"result_at", TimeOrNull(k.result_at)},
                      {"support", std::move(support)},
                      {"created_by", k.created_by_username},
                      {"created_at", FormatIso8601(k.created_at)},
                      {"updated_at", FormatIso8601(k.updated_at)},
                      {"version", k.version},
                      {"can_work", view.can_work},
                      {"has_sealed", view.has_sealed},
                      {"can_reveal", view.can_reveal}};
}

void RegisterPaternityRoutes(http::Router& router, PaternityService& paternity) {
  PaternityService* s = &paternity;
  auto reply = [](const ClaimView& view, int status = 200) {
    HttpResponse response = http::JsonResponse(json::object{{"claim", ClaimJson(view)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.claim.version));
    return response;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/paternity/vocabulary",
              .handler = [](RequestContext&) -> Result<HttpResponse> {
                return http::JsonResponse(json::object{{"claim_statuses", Words(kClaimStatuses)},
                                                       {"results", Words(kResults)},
                                                       {"support_kinds", Words(kSupportKinds)},
                                                       {"frequencies", Words(kFrequencies)},
                                                       {"payers", Words(kPayers)},
                                                       {"payment_states", Words(kPaymentStates)}});
              },
              .summary = "The closed vocabularies of paternity claims (results, support kinds, "
                         "...)",
              .tag = "paternity"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/paternity/figures/open-by-age",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto figure, s->OpenByAge(ctx.caller()));
         json::array bands;
         for (std::size_t i = 0; i < kAgeBands.size(); ++i) {
           bands.push_back(json::object{{"band", kAgeBands[i]}, {"count", figure.bands.counts[i]}});
         }
         return http::JsonResponse(json::object{{"at", FormatIso8601(figure.at)},
                                                {"total", figure.bands.total},
                                                {"bands", std::move(bands)}});
       },
       .summary = "Open paternity claims by age (days since the claim date, in bands)",
       .tag = "paternity"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/paternity/readers/sync",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto sync, s->SyncReaders(ctx.caller(), InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"granted", sync.granted},
                                                       {"revoked", sync.revoked},
                                                       {"unopened", sync.unopened}});
              },
              .summary = "Bring the sealed parts' keys in line with the victims readers and the "
                         "files' designees",
              .tag = "paternity"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/paternity/claims",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                const auto query = ctx.query();
                ASSIGN_OR_RETURN(auto file_id, query.Id("file_id"));
                if (!file_id) return InvalidArgument("file_id is required", "file_id");
                ASSIGN_OR_RETURN(auto views, s->ListClaims(ctx.caller(), *file_id));
                json::array claims;
                for (const auto& view : views) claims.push_back(ClaimJson(view));
                return http::JsonResponse(json::object{{"claims", std::move(claims)}});
              },
              .query = {"file_id"},
              .summary = "The paternity claims of an assistance file the caller sees",
              .tag = "paternity"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/paternity/claims",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewClaim request;
                ASSIGN_OR_RETURN(request.file_id, fields.RequiredInt("file_id", 1, kMaxId));
                ASSIGN_OR_RETURN(request.case_id, fields.OptionalInt("case_id", 1, kMaxId));
                ASSIGN_OR_RETURN(request.subject_id, fields.OptionalInt("subject_id", 1, kMaxId));
                ASSIGN_OR_RETURN(auto claim_date, fields.OptionalString("claim_date", 20));
                fields.Accept("sealed");
                RETURN_IF_ERROR(fields.Finish());
                if (const auto* sealed = body.if_contains("sealed"); sealed && !sealed->is_null()) {
                  ASSIGN_OR_RETURN(request.sealed, ReadSealed(*sealed));
                }
                request.claim_date = claim_date.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->CreateClaim(ctx.caller(), request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record a paternity claim of a victim (the child's identity, when "
                         "given, is sealed at once)",
              .tag = "paternity"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/paternity/claims/{id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->GetClaim(ctx.caller(), id));
                return reply(view);
              },
              .summary = "One paternity claim: notification, sample and custody, result, "
                         "support and payments",
              .tag = "paternity"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/paternity/claims/{id}",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ClaimPatch patch;
         ASSIGN_OR_RETURN(patch.case_id, NullableId(body, fields, "case_id"));
         ASSIGN_OR_RETURN(patch.subject_id, NullableId(body, fields, "subject_id"));
         ASSIGN_OR_RETURN(patch.claim_date, fields.OptionalString("claim_date", 20));
         ASSIGN_OR_RETURN(patch.ms_notified_at, fields.OptionalString("ms_notified_at", 20));
         ASSIGN_OR_RETURN(patch.ms_reference, fields.OptionalString("ms_reference", 200));
         ASSIGN_OR_RETURN(patch.lab, fields.OptionalString("lab", 200));
         ASSIGN_OR_RETURN(patch.tested_at, fields.OptionalString("tested_at", 20));
         ASSIGN_OR_RETURN(patch.result, fields.OptionalString("result", 32));
         ASSIGN_OR_RETURN(patch.result_at, fields.OptionalString("result_at", 20));
         ASSIGN_OR_RETURN(patch.status, fields.OptionalString("status", 16));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto view, s->UpdateClaim(ctx.caller(), id, patch, expected.version,
                                                    (expected.if_match ? VersionSource::kIfMatch
                                                                       : VersionSource::kBody),
                                                    InfoOf(ctx.request)));
         return reply(view);
       },
       .max_body = 8 * 1024,
       .summary = "Change a claim: case and subject, Member State notification, laboratory, "
                  "test, result, closing (If-Match: 412; or version: 409)",
       .tag = "paternity"});

  router.Add({.method = "PUT",
              .pattern = "/api/v1/paternity/claims/{id}/sealed",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto sealed, ReadSealed(json::value(body)));
                ASSIGN_OR_RETURN(auto view,
                                 s->SetSealed(ctx.caller(), id, sealed, InfoOf(ctx.request)));
                return reply(view);
              },
              .max_body = 16 * 1024,
              .summary = "Seal (or replace) the child's name and date of birth and the mother's "
                         "or guardian's wishes",
              .tag = "paternity"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/paternity/claims/{id}/sealed/reveal",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto sealed, s->RevealSealed(ctx.caller(), id, InfoOf(ctx.request)));
         return http::JsonResponse(json::object{{"child_name", sealed.child_name},
                                                {"child_date_of_birth", sealed.child_date_of_birth},
                                                {"wishes", sealed.wishes}});
       },
       .summary = "Open a claim's sealed part (victims readers and the file's designees; "
                  "recent 2FA proof; audited)",
       .tag = "paternity"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/paternity/claims/{id}/sample",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         NewSample request;
         ASSIGN_OR_RETURN(request.collected_by, fields.RequiredString("collected_by", 1, 200));
         ASSIGN_OR_RETURN(request.collected_at, fields.RequiredString("collected_at", 1, 20));
         ASSIGN_OR_RETURN(request.place, fields.RequiredString("place", 1, 200));
         ASSIGN_OR_RETURN(auto seal, fields.OptionalBool("seal_intact"));
         ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
         RETURN_IF_ERROR(fields.Finish());
         request.seal_intact = seal.value_or(true);
         request.note = note.value_or("");
         ASSIGN_OR_RETURN(auto view,
                          s->CollectSample(ctx.caller(), id, request, InfoOf(ctx.request)));
         return reply(view, 201);
       },
       .max_body = 8 * 1024,
       .summary = "Record the DNA sample's collection (the first custody entry)",
       .tag = "paternity"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/paternity/claims/{id}/sample/custody",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewHandOver request;
                ASSIGN_OR_RETURN(request.from_holder, fields.RequiredString("from_holder", 1, 200));
                ASSIGN_OR_RETURN(request.to_holder, fields.RequiredString("to_holder", 1, 200));
                ASSIGN_OR_RETURN(request.at, fields.RequiredString("at", 1, 20));
                ASSIGN_OR_RETURN(auto place, fields.OptionalString("place", 200));
                ASSIGN_OR_RETURN(auto seal, fields.OptionalBool("seal_intact"));
                ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
                RETURN_IF_ERROR(fields.Finish());
                request.place = place.value_or("");
                request.seal_intact = seal.value_or(true);
                request.note = note.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->HandOver(ctx.caller(), id, request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 8 * 1024,
              .summary = "Record a hand-over of the DNA sample (appended to its hash-chained "
                         "custody, with the seal check)",
              .tag = "paternity"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/paternity/claims/{id}/support",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewSupport request;
                ASSIGN_OR_RETURN(request.kind, fields.RequiredString("kind", 1, 32));
                ASSIGN_OR_RETURN(request.amount_cents, ReadAmount(body, fields));
                ASSIGN_OR_RETURN(request.currency, fields.RequiredString("currency", 1, 8));
                ASSIGN_OR_RETURN(request.frequency, fields.RequiredString("frequency", 1, 16));
                ASSIGN_OR_RETURN(request.payer, fields.RequiredString("payer", 1, 32));
                ASSIGN_OR_RETURN(request.starts_on, fields.RequiredString("starts_on", 1, 20));
                ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
                RETURN_IF_ERROR(fields.Finish());
                request.note = note.value_or("");
                ASSIGN_OR_RETURN(auto view,
                                 s->AddSupport(ctx.caller(), id, request, InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 8 * 1024,
              .summary = "Record a child support arrangement (kind, amount, currency, frequency, "
                         "from whom)",
              .tag = "paternity"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/paternity/claims/{id}/support/{support_id}/payments",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t support_id, ctx.IdParam("support_id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                NewPayment request;
                ASSIGN_OR_RETURN(request.on, fields.RequiredString("on", 1, 20));
                ASSIGN_OR_RETURN(request.amount_cents, ReadAmount(body, fields));
                ASSIGN_OR_RETURN(request.state, fields.RequiredString("state", 1, 16));
                ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 2000));
                RETURN_IF_ERROR(fields.Finish());
                request.note = note.value_or("");
                ASSIGN_OR_RETURN(auto view, s->AddPayment(ctx.caller(), id, support_id, request,
                                                          InfoOf(ctx.request)));
                return reply(view, 201);
              },
              .max_body = 8 * 1024,
              .summary = "Record a child support payment, received or missed",
              .tag = "paternity"});
}

}  // namespace psea::paternity
