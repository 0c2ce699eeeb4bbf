#include "modules/trustfund/handlers.h"

#include <limits>
#include <map>

#include "http/download.h"
#include "http/json.h"
#include "http/versions.h"
#include "modules/trustfund/export.h"

namespace psea::trustfund {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
// Numbers are read over a wide range so that a negative or too large one reaches the model's
// check, which answers 422 naming the field.
constexpr std::int64_t kWide = std::numeric_limits<std::int64_t>::max() / 4;

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

Result<std::optional<UnixMillis>> OptionalDay(http::JsonFields& fields, std::string_view key) {
  ASSIGN_OR_RETURN(auto text, fields.OptionalString(key, 10));
  if (!text) return std::optional<UnixMillis>();
  ASSIGN_OR_RETURN(UnixMillis day, ParseDay(*text, key));
  return std::optional<UnixMillis>(day);
}

// An id that may be null (unlink). nullopt when absent.
Result<std::optional<std::optional<std::int64_t>>> NullableId(const json::object& body,
                                                              http::JsonFields& fields,
                                                              std::string_view key) {
  const json::value* value = body.if_contains(key);
  if (value && value->is_null()) {
    fields.Accept(key);
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>());
  }
  ASSIGN_OR_RETURN(auto id, fields.OptionalInt(key, 1, kMaxId));
  if (!id) return std::optional<std::optional<std::int64_t>>();
  return std::optional<std::optional<std::int64_t>>(id);
}

Result<std::optional<std::vector<std::string>>> OptionalList(const json::object& body,
                                                             http::JsonFields& fields,
                                                             std::string_view key) {
  if (!body.contains(key)) {
    fields.Accept(key);
    return std::optional<std::vector<std::string>>();
  }
  ASSIGN_OR_RETURN(auto items, fields.StringArray(key, 32, 64));
  return std::optional<std::vector<std::string>>(std::move(items));
}

Result<ProjectPatch> ReadProjectPatch(const json::object& body, http::JsonFields& fields) {
  ProjectPatch patch;
  ASSIGN_OR_RETURN(patch.title, fields.OptionalString("title", 200));
  ASSIGN_OR_RETURN(patch.partner, fields.OptionalString("partner", 200));
  ASSIGN_OR_RETURN(patch.provider_id, NullableId(body, fields, "provider_id"));
  ASSIGN_OR_RETURN(patch.amount_minor, fields.OptionalInt("amount_minor", -kWide, kWide));
  ASSIGN_OR_RETURN(patch.currency, fields.OptionalString("currency", 8));
  ASSIGN_OR_RETURN(patch.start_day, OptionalDay(fields, "start_day"));
  ASSIGN_OR_RETURN(patch.end_day, OptionalDay(fields, "end_day"));
  ASSIGN_OR_RETURN(patch.prefectures, OptionalList(body, fields, "prefectures"));
  ASSIGN_OR_RETURN(patch.services, OptionalList(body, fields, "services"));
  ASSIGN_OR_RETURN(patch.status, fields.OptionalString("status", 32));
  ASSIGN_OR_RETURN(patch.notes, fields.OptionalText("notes", 4000));
  if (patch.status && !IsOneOf(kProjectStatuses, *patch.status)) {
    return InvalidArgument("planned, active, completed or cancelled", "status");
  }
  if (patch.services) {
    for (const auto& service : *patch.services) {
      if (!IsOneOf(kServices, service)) return InvalidArgument("unknown service", "services");
    }
  }
  return patch;
}

Result<TransferPatch> ReadTransferPatch(const json::object& body, http::JsonFields& fields) {
  TransferPatch patch;
  ASSIGN_OR_RETURN(patch.transfer_day, OptionalDay(fields, "transfer_day"));
  ASSIGN_OR_RETURN(patch.amount_minor, fields.OptionalInt("amount_minor", -kWide, kWide));
  ASSIGN_OR_RETURN(patch.currency, fields.OptionalString("currency", 8));
  ASSIGN_OR_RETURN(patch.contributor, fields.OptionalString("contributor", 200));
  ASSIGN_OR_RETURN(patch.case_id, NullableId(body, fields, "case_id"));
  ASSIGN_OR_RETURN(patch.reference, fields.OptionalString("reference", 100));
  ASSIGN_OR_RETURN(patch.notes, fields.OptionalText("notes", 4000));
  return patch;
}

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.push_back(json::string(item));
  return out;
}

json::object TotalsJson(const BeneficiaryTotals& t) {
  json::object out{{"women", t.women},
                   {"girls", t.girls},
                   {"men", t.men},
                   {"boys", t.boys},
                   {"children_born_of_sea", t.children_born_of_sea},
                   {"total", t.Total()}};
  if (t.year != 0) out["year"] = t.year;
  return out;
}

json::array SumsJson(const std::vector<Sum>& sums) {
  json::array out;
  for (const auto& sum : sums) {
    out.push_back(json::object{{"year", sum.year},
                               {"currency", sum.currency},
                               {"amount_minor", sum.amount_minor},
                               {"minor_digits", CurrencyExponent(sum.currency).value_or(2)},
                               {"count", sum.count}});
  }
  return out;
}

}  // namespace

json::object ProjectJson(const ProjectView& view) {
  const Project& p = view.project;
  json::array periods;
  BeneficiaryTotals totals;
  for (const auto& e : view.beneficiaries) {
    periods.push_back(json::object{{"id", e.id},
                                   {"period_start", FormatDay(e.period_start)},
                                   {"period_end", FormatDay(e.period_end)},
                                   {"women", e.women},
                                   {"girls", e.girls},
                                   {"men", e.men},
                                   {"boys", e.boys},
                                   {"children_born_of_sea", e.children_born_of_sea},
                                   {"total", e.Total()},
                                   {"note", e.note},
                                   {"recorded_at", FormatIso8601(e.recorded_at)},
                                   {"recorded_by", e.recorded_by}});
    totals.women += e.women;
    totals.girls += e.girls;
    totals.men += e.men;
    totals.boys += e.boys;
    totals.children_born_of_sea += e.children_born_of_sea;
  }
  json::value provider = nullptr;
  if (p.provider_id) provider = *p.provider_id;
  return json::object{{"id", p.id},
                      {"title", p.title},
                      {"partner", p.partner},
                      {"provider_id", provider},
                      {"amount_minor", p.amount_minor},
                      {"currency", p.currency},
                      {"minor_digits", CurrencyExponent(p.currency).value_or(2)},
                      {"start_day", FormatDay(p.start_day)},
                      {"end_day", FormatDay(p.end_day)},
                      {"prefectures", Strings(p.prefectures)},
                      {"services", Strings(p.services)},
                      {"status", p.status},
                      {"notes", p.notes},
                      {"beneficiaries", std::move(periods)},
                      {"beneficiaries_total", TotalsJson(totals)},
                      {"version", p.version},
                      {"created_at", FormatIso8601(p.created_at)},
                      {"updated_at", FormatIso8601(p.updated_at)},
                      {"updated_by", p.updated_by}};
}

json::object TransferJson(const TransferView& view) {
  const Transfer& t = view.transfer;
  json::value case_id = nullptr, reference = nullptr;
  if (view.case_id) {
    case_id = *view.case_id;
    reference = json::string(view.case_reference);
  }
  return json::object{{"id", t.id},
                      {"transfer_day", FormatDay(t.transfer_day)},
                      {"amount_minor", t.amount_minor},
                      {"currency", t.currency},
                      {"minor_digits", CurrencyExponent(t.currency).value_or(2)},
                      {"contributor", t.contributor},
                      {"case_id", case_id},
                      {"case_reference", reference},
                      {"reference", t.reference},
                      {"notes", t.notes},
                      {"version", t.version},
                      {"created_at", FormatIso8601(t.created_at)},
                      {"updated_at", FormatIso8601(t.updated_at)},
                      {"updated_by", t.updated_by}};
}

json::object FiguresJson(const Figures& f) {
  json::array by_year;
  for (const auto& totals : f.beneficiaries_by_year) by_year.push_back(TotalsJson(totals));
  return json::object{{"projects", f.projects},
                      {"active_projects", f.active_projects},
                      {"funded", SumsJson(f.funded)},
                      {"transferred", SumsJson(f.transferred)},
                      {"beneficiaries_by_year", std::move(by_year)},
                      {"beneficiaries_total", TotalsJson(f.beneficiaries_total)}};
}

void RegisterTrustFundRoutes(http::Router& router, TrustFundService& trust_fund) {
  TrustFundService* s = &trust_fund;
  auto project_reply = [](const ProjectView& view, int status = 200) {
    auto response = http::JsonResponse(json::object{{"project", ProjectJson(view)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.project.version));
    return response;
  };
  auto transfer_reply = [](const TransferView& view, int status = 200) {
    auto response = http::JsonResponse(json::object{{"transfer", TransferJson(view)}}, status);
    response.SetHeader("ETag", http::EntityTag(view.transfer.version));
    return response;
  };
  auto source_of = [](const http::ExpectedVersion& expected) {
    return expected.if_match ? VersionSource::kIfMatch : VersionSource::kBody;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/trust-fund/projects",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto projects, s->ListProjects(ctx.caller()));
                json::array out;
                for (const auto& view : projects) out.push_back(ProjectJson(view));
                return http::JsonResponse(json::object{{"projects", std::move(out)}});
              },
              .summary = "The Trust Fund's projects, latest first, with their beneficiaries' "
                         "counts",
              .tag = "trust-fund"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/trust-fund/projects",
              .handler = [s, project_reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto patch, ReadProjectPatch(body, fields));
                RETURN_IF_ERROR(fields.Finish());
                if (!patch.title) return InvalidArgument("a project needs a title", "title");
                if (!patch.partner && !(patch.provider_id && *patch.provider_id)) {
                  return InvalidArgument("name the implementing partner", "partner");
                }
                if (!patch.amount_minor) return InvalidArgument("the amount", "amount_minor");
                if (!patch.currency) return InvalidArgument("the currency", "currency");
                if (!patch.start_day) return InvalidArgument("the start date", "start_day");
                if (!patch.end_day) return InvalidArgument("the end date", "end_day");
                Project project;
                ApplyPatch(project, patch);
                ASSIGN_OR_RETURN(auto created, s->CreateProject(ctx.caller(), std::move(project),
                                                                InfoOf(ctx.request)));
                return project_reply(created, 201);
              },
              .max_body = 32 * 1024,
              .summary = "Record a project funded by the Trust Fund",
              .tag = "trust-fund"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/trust-fund/projects/{id}",
              .handler = [s, project_reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->GetProject(ctx.caller(), id));
                return project_reply(view);
              },
              .summary = "One Trust Fund project (ETag: its version)",
              .tag = "trust-fund"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/trust-fund/projects/{id}",
       .handler = [s, project_reply, source_of](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ASSIGN_OR_RETURN(auto patch, ReadProjectPatch(body, fields));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto view, s->UpdateProject(ctx.caller(), id, patch, expected.version,
                                                      source_of(expected), InfoOf(ctx.request)));
         return project_reply(view);
       },
       .max_body = 32 * 1024,
       .summary = "Change a Trust Fund project (If-Match: the ETag read, 412 when it "
                  "changed; or version in the body, 409)",
       .tag = "trust-fund"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/trust-fund/projects/{id}/beneficiaries",
       .handler = [s, project_reply, source_of](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         Beneficiaries entry;
         ASSIGN_OR_RETURN(auto start, OptionalDay(fields, "period_start"));
         ASSIGN_OR_RETURN(auto end, OptionalDay(fields, "period_end"));
         const std::pair<const char*, std::int64_t*> groups[] = {
             {"women", &entry.women},
             {"girls", &entry.girls},
             {"men", &entry.men},
             {"boys", &entry.boys},
             {"children_born_of_sea", &entry.children_born_of_sea}};
         for (const auto& [name, count] : groups) {
           ASSIGN_OR_RETURN(auto value, fields.OptionalInt(name, -kWide, kWide));
           *count = value.value_or(0);
         }
         ASSIGN_OR_RETURN(auto note, fields.OptionalText("note", 1000));
         RETURN_IF_ERROR(fields.Finish());
         if (!start) return InvalidArgument("the period's first day", "period_start");
         if (!end) return InvalidArgument("the period's last day", "period_end");
         entry.period_start = *start;
         entry.period_end = *end;
         entry.note = note.value_or("");
         std::optional<std::int64_t> expected;
         VersionSource source = VersionSource::kBody;
         if (body_version || ctx.request.Header("If-Match")) {
           ASSIGN_OR_RETURN(auto read, http::ReadExpectedVersion(ctx.request, body_version));
           expected = read.version;
           source = source_of(read);
         }
         ASSIGN_OR_RETURN(auto view, s->PutBeneficiaries(ctx.caller(), id, entry, expected, source,
                                                         InfoOf(ctx.request)));
         return project_reply(view);
       },
       .max_body = 8 * 1024,
       .summary = "Record the people a project reached in one period, as counts (the same "
                  "period start replaces them)",
       .tag = "trust-fund"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/trust-fund/projects/{id}/beneficiaries/{entry_id}",
              .handler = [s, project_reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t entry, ctx.IdParam("entry_id"));
                ASSIGN_OR_RETURN(auto view, s->DeleteBeneficiaries(ctx.caller(), id, entry,
                                                                   InfoOf(ctx.request)));
                return project_reply(view);
              },
              .summary = "Remove one period of a project's beneficiaries' counts",
              .tag = "trust-fund"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/trust-fund/transfers",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto transfers, s->ListTransfers(ctx.caller()));
                json::array out;
                std::map<std::pair<int, std::string>, Sum> sums;
                for (const auto& view : transfers) {
                  out.push_back(TransferJson(view));
                  const Transfer& t = view.transfer;
                  auto& sum = sums[{YearOfDay(t.transfer_day), t.currency}];
                  sum.year = YearOfDay(t.transfer_day);
                  sum.currency = t.currency;
                  sum.amount_minor += t.amount_minor;
                  ++sum.count;
                }
                std::vector<Sum> totals;
                for (const auto& [key, sum] : sums) totals.push_back(sum);
                return http::JsonResponse(
                    json::object{{"transfers", std::move(out)}, {"totals", SumsJson(totals)}});
              },
              .summary = "Amounts withheld and transferred to the Trust Fund, latest first, "
                         "with totals by year and currency",
              .tag = "trust-fund"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/trust-fund/transfers",
              .handler = [s, transfer_reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(auto patch, ReadTransferPatch(body, fields));
                RETURN_IF_ERROR(fields.Finish());
                if (!patch.transfer_day) return InvalidArgument("the date", "transfer_day");
                if (!patch.amount_minor) return InvalidArgument("the amount", "amount_minor");
                if (!patch.currency) return InvalidArgument("the currency", "currency");
                if (!patch.contributor) {
                  return InvalidArgument("name the Member State or entity", "contributor");
                }
                Transfer transfer;
                ApplyPatch(transfer, patch);
                ASSIGN_OR_RETURN(auto created, s->CreateTransfer(ctx.caller(), std::move(transfer),
                                                                 InfoOf(ctx.request)));
                return transfer_reply(created, 201);
              },
              .max_body = 16 * 1024,
              .summary = "Record an amount withheld from a perpetrator and transferred to the "
                         "Trust Fund",
              .tag = "trust-fund"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/trust-fund/transfers/{id}",
              .handler = [s, transfer_reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto view, s->GetTransfer(ctx.caller(), id));
                return transfer_reply(view);
              },
              .summary = "One transfer to the Trust Fund (ETag: its version)",
              .tag = "trust-fund"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/trust-fund/transfers/{id}",
       .handler = [s, transfer_reply, source_of](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ASSIGN_OR_RETURN(auto patch, ReadTransferPatch(body, fields));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto view, s->UpdateTransfer(ctx.caller(), id, patch, expected.version,
                                                       source_of(expected), InfoOf(ctx.request)));
         return transfer_reply(view);
       },
       .max_body = 16 * 1024,
       .summary = "Correct a transfer (If-Match: the ETag read, 412 when it changed; or "
                  "version in the body, 409)",
       .tag = "trust-fund"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/trust-fund/figures",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto figures, s->GetFigures(ctx.caller()));
                return http::JsonResponse(json::object{{"figures", FiguresJson(figures)}});
              },
              .summary = "The Trust Fund's figures: amounts funded and transferred by year and "
                         "currency, people reached (aggregates only)",
              .tag = "trust-fund"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/trust-fund/export",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         const auto query = ctx.query();
         ASSIGN_OR_RETURN(auto what, query.Enum("what", {"projects", "transfers"}));
         ASSIGN_OR_RETURN(auto format_asked, query.Enum("format", {"csv", "xlsx"}));
         if (!what) return InvalidArgument("projects or transfers", "what");
         const std::string format = format_asked.value_or("csv");
         const std::string name = "trust-fund-" + *what;
         constexpr const char* kXlsxType =
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
         if (*what == "projects") {
           ASSIGN_OR_RETURN(auto rows,
                            s->ExportProjects(ctx.caller(), format, InfoOf(ctx.request)));
           if (format == "xlsx") {
             ASSIGN_OR_RETURN(auto bytes, ProjectsXlsx(rows));
             return http::DownloadResponse(std::move(bytes), kXlsxType, name + ".xlsx");
           }
           return http::DownloadResponse(ProjectsCsv(rows), "text/csv; charset=utf-8",
                                         name + ".csv");
         }
         ASSIGN_OR_RETURN(auto rows, s->ExportTransfers(ctx.caller(), format, InfoOf(ctx.request)));
         if (format == "xlsx") {
           ASSIGN_OR_RETURN(auto bytes, TransfersXlsx(rows));
           return http::DownloadResponse(std::move(bytes), kXlsxType, name + ".xlsx");
         }
         return http::DownloadResponse(TransfersCsv(rows), "text/csv; charset=utf-8",
                                       name + ".csv");
       },
       .query = {"what", "format"},
       .summary = "The Trust Fund's projects or transfers as CSV or XLSX (no notes; audited)",
       .tag = "trust-fund"});
}

}  // namespace psea::trustfund
