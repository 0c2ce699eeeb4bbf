#include "modules/providers/handlers.h"

#include <limits>

#include "http/json.h"
#include "http/versions.h"

namespace psea::providers {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

json::value Degrees(std::int64_t e6) { return static_cast<double>(e6) / 1'000'000.0; }

// Strings of a closed vocabulary: kInvalidArgument naming the field for any other value.
Result<std::optional<std::string>> OptionalEnum(http::JsonFields& fields, std::string_view key,
                                                const std::vector<std::string_view>& vocabulary) {
  ASSIGN_OR_RETURN(auto value, fields.OptionalString(key, 64));
  if (value && !IsOneOf(vocabulary, *value)) {
    return InvalidArgument("unknown value", std::string(key));
  }
  return value;
}

// One coordinate: a JSON number (or null to remove both). nullopt when absent.
Result<std::optional<std::optional<std::int64_t>>> ReadDegrees(const json::object& body,
                                                               http::JsonFields& fields,
                                                               std::string_view key) {
  fields.Accept(key);
  const json::value* value = body.if_contains(key);
  if (!value) return std::optional<std::optional<std::int64_t>>();
  if (value->is_null()) {
    return std::optional<std::optional<std::int64_t>>(std::optional<std::int64_t>());
  }
  if (!value->is_number()) return InvalidArgument("a number of degrees", std::string(key));
  auto e6 = DegreesToE6(value->to_number<double>());
  if (!e6) return InvalidArgument("a number of degrees", std::string(key));
  return std::optional<std::optional<std::int64_t>>(e6);
}

// "lat" and "lon" together: absent (nullopt), both null (remove), or both numbers.
Result<std::optional<std::optional<Coordinates>>> ReadCoordinates(const json::object& body,
                                                                  http::JsonFields& fields) {
  ASSIGN_OR_RETURN(auto lat, ReadDegrees(body, fields, "lat"));
  ASSIGN_OR_RETURN(auto lon, ReadDegrees(body, fields, "lon"));
  if (!lat && !lon) return std::optional<std::optional<Coordinates>>();
  if (!lat || !lon || lat->has_value() != lon->has_value()) {
    return InvalidArgument("send lat and lon together", lat ? "lon" : "lat");
  }
  if (!lat->has_value()) {
    return std::optional<std::optional<Coordinates>>(std::optional<Coordinates>());
  }
  return std::optional<std::optional<Coordinates>>(Coordinates{**lat, **lon});
}

// "contacts": {"person", "phone", "email"} (each optional) or null (none). nullopt when absent.
Result<std::optional<ProviderContacts>> ReadContacts(const json::object& body,
                                                     http::JsonFields& fields) {
  fields.Accept("contacts");
  const json::value* value = body.if_contains("contacts");
  if (!value) return std::optional<ProviderContacts>();
  if (value->is_null()) return std::optional<ProviderContacts>(ProviderContacts{});
  if (!value->is_object()) {
    return InvalidArgument("an object with person, phone and email", "contacts");
  }
  http::JsonFields inner(value->as_object());
  ProviderContacts contacts;
  auto prefixed = [](Status status) {
    return Status(status.code(), status.message(), "contacts." + status.field());
  };
  auto person = inner.OptionalString("person", 200);
  if (!person.ok()) return prefixed(person.status());
  auto phone = inner.OptionalString("phone", 40);
  if (!phone.ok()) return prefixed(phone.status());
  auto email = inner.OptionalString("email", 200);
  if (!email.ok()) return prefixed(email.status());
  if (Status finished = inner.Finish(); !finished.ok()) return prefixed(finished);
  contacts.person = person->value_or("");
  contacts.phone = phone->value_or("");
  contacts.email = email->value_or("");
  if (!contacts.email.empty() && contacts.email.find('@') == std::string::npos) {
    return InvalidArgument("an e-mail address", "contacts.email");
  }
  return std::optional<ProviderContacts>(std::move(contacts));
}

Result<std::optional<std::vector<std::string>>> OptionalList(const json::object& body,
                                                             http::JsonFields& fields,
                                                             std::string_view key,
                                                             std::size_t max_items,
                                                             std::size_t max_chars) {
  if (!body.contains(key)) {
    fields.Accept(key);
    return std::optional<std::vector<std::string>>();
  }
  ASSIGN_OR_RETURN(auto items, fields.StringArray(key, max_items, max_chars));
  return std::optional<std::vector<std::string>>(std::move(items));
}

Result<std::optional<UnixMillis>> OptionalDay(http::JsonFields& fields, std::string_view key) {
  ASSIGN_OR_RETURN(auto text, fields.OptionalString(key, 10));
  if (!text) return std::optional<UnixMillis>();
  ASSIGN_OR_RETURN(UnixMillis day, ParseDay(*text, key));
  return std::optional<UnixMillis>(day);
}

// Every field of an entry, as a create or a patch sends them (a create requires some).
Result<ProviderPatch> ReadPatch(const json::object& body, http::JsonFields& fields) {
  ProviderPatch patch;
  ASSIGN_OR_RETURN(patch.name, fields.OptionalString("name", 200));
  ASSIGN_OR_RETURN(patch.kind, OptionalEnum(fields, "kind", kProviderKinds));
  ASSIGN_OR_RETURN(patch.services, OptionalList(body, fields, "services", 16, 64));
  ASSIGN_OR_RETURN(patch.prefecture, fields.OptionalString("prefecture", 16));
  ASSIGN_OR_RETURN(patch.town, fields.OptionalString("town", 100));
  ASSIGN_OR_RETURN(patch.coordinates, ReadCoordinates(body, fields));
  ASSIGN_OR_RETURN(patch.hours, fields.OptionalString("hours", 200));
  ASSIGN_OR_RETURN(patch.languages, OptionalList(body, fields, "languages", 10, 40));
  ASSIGN_OR_RETURN(patch.capacity, fields.OptionalString("capacity", 200));
  ASSIGN_OR_RETURN(patch.cost, OptionalEnum(fields, "cost", kCosts));
  ASSIGN_OR_RETURN(patch.cost_note, fields.OptionalText("cost_note", 1000));
  ASSIGN_OR_RETURN(patch.public_phone, fields.OptionalString("public_phone", 40));
  ASSIGN_OR_RETURN(patch.active, fields.OptionalBool("active"));
  ASSIGN_OR_RETURN(patch.last_verified, OptionalDay(fields, "last_verified"));
  ASSIGN_OR_RETURN(patch.contacts, ReadContacts(body, fields));
  if (patch.services) {
    for (const auto& service : *patch.services) {
      if (!IsOneOf(kServices, service)) return InvalidArgument("unknown service", "services");
    }
  }
  return patch;
}

}  // namespace

json::object ProviderJson(const Provider& p, bool stale) {
  json::array services, languages;
  for (const auto& s : p.services) services.push_back(json::string(s));
  for (const auto& l : p.languages) languages.push_back(json::string(l));
  json::value lat = nullptr, lon = nullptr;
  if (p.coordinates) {
    lat = Degrees(p.coordinates->lat_e6);
    lon = Degrees(p.coordinates->lon_e6);
  }
  return json::object{{"id", p.id},
                      {"name", p.name},
                      {"kind", p.kind},
                      {"services", std::move(services)},
                      {"prefecture", p.prefecture},
                      {"town", p.town},
                      {"lat", lat},
                      {"lon", lon},
                      {"hours", p.hours},
                      {"languages", std::move(languages)},
                      {"capacity", p.capacity},
                      {"cost", p.cost},
                      {"cost_note", p.cost_note},
                      {"public_phone", p.public_phone},
                      {"active", p.active},
                      {"last_verified", FormatDay(p.last_verified)},
                      {"stale", stale},
                      {"has_contacts", p.contacts_item.has_value()},
                      {"version", p.version},
                      {"created_at", FormatIso8601(p.created_at)},
                      {"updated_at", FormatIso8601(p.updated_at)},
                      {"updated_by", p.updated_by}};
}

void RegisterProviderRoutes(http::Router& router, ProvidersService& providers) {
  ProvidersService* s = &providers;
  auto reply = [s](const Provider& p, int status = 200) {
    auto response =
        http::JsonResponse(json::object{{"provider", ProviderJson(p, s->IsStale(p))}}, status);
    response.SetHeader("ETag", http::EntityTag(p.version));
    return response;
  };

  router.Add({.method = "GET",
              .pattern = "/api/v1/providers",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                auto query = ctx.query();
                ProviderFilter filter;
                ASSIGN_OR_RETURN(filter.service, query.Text("service", 64));
                ASSIGN_OR_RETURN(filter.prefecture, query.Text("prefecture", 16));
                ASSIGN_OR_RETURN(filter.kind, query.Text("kind", 64));
                ASSIGN_OR_RETURN(auto stale, query.Enum("stale", {"true", "false"}));
                ASSIGN_OR_RETURN(auto active, query.Enum("active", {"true", "false"}));
                ASSIGN_OR_RETURN(filter.q, query.Text("q", 200));
                if (filter.service && !IsOneOf(kServices, *filter.service)) {
                  return InvalidArgument("unknown service", "service");
                }
                if (filter.kind && !IsOneOf(kProviderKinds, *filter.kind)) {
                  return InvalidArgument("unknown kind", "kind");
                }
                if (stale) filter.stale = *stale == "true";
                if (active) filter.active = *active == "true";
                ASSIGN_OR_RETURN(auto list, s->List(ctx.caller(), filter));
                ASSIGN_OR_RETURN(auto prefectures, s->Prefectures());
                json::array out, names;
                for (const auto& p : list) out.push_back(ProviderJson(p, s->IsStale(p)));
                for (const auto& p : prefectures) {
                  names.push_back(json::object{{"code", p.code}, {"name", p.name}});
                }
                return http::JsonResponse(json::object{{"providers", std::move(out)},
                                                       {"prefectures", std::move(names)},
                                                       {"stale_days", s->stale_days()}});
              },
              .query = {"service", "prefecture", "kind", "stale", "active", "q"},
              .summary = "The service providers' directory, filtered (a provider case manager "
                         "sees their own entry)",
              .tag = "providers"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/providers",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto patch, ReadPatch(body, fields));
         RETURN_IF_ERROR(fields.Finish());
         if (!patch.name) return InvalidArgument("a provider needs a name", "name");
         if (!patch.kind) return InvalidArgument("a provider needs a kind", "kind");
         if (!patch.services) return InvalidArgument("name at least one service", "services");
         if (!patch.prefecture)
           return InvalidArgument("a provider needs its prefecture", "prefecture");
         if (!patch.cost) return InvalidArgument("free, subsidised or paid", "cost");
         Provider provider;
         provider.active = true;
         auto contacts = patch.contacts;
         patch.contacts.reset();
         ApplyPatch(provider, patch);
         ASSIGN_OR_RETURN(auto created, s->Create(ctx.caller(), std::move(provider), contacts,
                                                  InfoOf(ctx.request)));
         return reply(created, 201);
       },
       .max_body = 32 * 1024,
       .summary = "Add a provider to the directory (contacts sealed for the victims readers)",
       .tag = "providers"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/providers/{id}",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto provider, s->Get(ctx.caller(), id));
                return reply(provider);
              },
              .summary = "One provider's entry (ETag: its version)",
              .tag = "providers"});

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/providers/{id}",
       .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         ASSIGN_OR_RETURN(auto body_version, fields.OptionalInt("version", 1, kMaxId));
         ASSIGN_OR_RETURN(auto patch, ReadPatch(body, fields));
         RETURN_IF_ERROR(fields.Finish());
         ASSIGN_OR_RETURN(auto expected, http::ReadExpectedVersion(ctx.request, body_version));
         ASSIGN_OR_RETURN(auto provider, s->Update(ctx.caller(), id, patch, expected.version,
                                                   (expected.if_match ? VersionSource::kIfMatch
                                                                      : VersionSource::kBody),
                                                   InfoOf(ctx.request)));
         return reply(provider);
       },
       .max_body = 32 * 1024,
       .summary = "Change a provider's entry (If-Match: the ETag read, 412 when it changed; or "
                  "version in the body, 409)",
       .tag = "providers"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/providers/{id}/verify",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                std::optional<UnixMillis> day;
                if (!ctx.request.body.empty()) {
                  ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                  http::JsonFields fields(body);
                  ASSIGN_OR_RETURN(day, OptionalDay(fields, "date"));
                  RETURN_IF_ERROR(fields.Finish());
                }
                ASSIGN_OR_RETURN(auto provider,
                                 s->MarkVerified(ctx.caller(), id, day, InfoOf(ctx.request)));
                return reply(provider);
              },
              .max_body = 1024,
              .summary = "Record that the entry was checked (today, or the given date)",
              .tag = "providers"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/providers/{id}/deactivate",
              .handler = [s, reply](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto provider,
                                 s->Deactivate(ctx.caller(), id, InfoOf(ctx.request)));
                return reply(provider);
              },
              .max_body = 1024,
              .summary = "Take a provider out of service (PATCH active=true brings it back)",
              .tag = "providers"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/providers/{id}/contacts",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto contacts,
                                 s->OpenContacts(ctx.caller(), id, InfoOf(ctx.request)));
                return http::JsonResponse(
                    json::object{{"contacts", json::object{{"person", contacts.person},
                                                           {"phone", contacts.phone},
                                                           {"email", contacts.email}}}});
              },
              .summary = "Open a provider's sealed contact persons (victims readers; audited)",
              .tag = "providers"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/providers/{id}/members",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto members, s->Members(ctx.caller(), id));
                ASSIGN_OR_RETURN(auto unlinked, s->Unlinked(ctx.caller()));
                json::array out, eligible;
                for (const auto& m : unlinked) {
                  eligible.push_back(json::object{{"user_id", m.user_id},
                                                  {"username", m.username},
                                                  {"display_name", m.display_name}});
                }
                for (const auto& m : members) {
                  out.push_back(json::object{{"user_id", m.user_id},
                                             {"username", m.username},
                                             {"display_name", m.display_name},
                                             {"added_by", m.added_by},
                                             {"added_at", FormatIso8601(m.added_at)}});
                }
                return http::JsonResponse(
                    json::object{{"members", std::move(out)}, {"eligible", std::move(eligible)}});
              },
              .summary = "The provider case managers' accounts linked to a provider, and those "
                         "linked to none",
              .tag = "providers"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/providers/{id}/members",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(std::int64_t user, fields.RequiredInt("user_id", 1, kMaxId));
                RETURN_IF_ERROR(fields.Finish());
                RETURN_IF_ERROR(s->AddMember(ctx.caller(), id, user, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .max_body = 1024,
              .summary = "Link a provider case manager's account to the provider (moves it "
                         "from another)",
              .tag = "providers"});

  router.Add({.method = "DELETE",
              .pattern = "/api/v1/providers/{id}/members/{user_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(std::int64_t user, ctx.IdParam("user_id"));
                RETURN_IF_ERROR(s->RemoveMember(ctx.caller(), id, user, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .summary = "Unlink a provider case manager's account from the provider",
              .tag = "providers"});
}

}  // namespace psea::providers
