#include "modules/intake/handlers.h"

#include <cmath>
#include <functional>

#include "core/utf8.h"
#include "http/download.h"
#include "http/json.h"
#include "modules/intake/countries.h"
#include "security/crypto.h"

namespace psea::intake {

namespace json = boost::json;
using http::HttpResponse;
using http::RequestContext;

namespace {
// The queue's page: the service also bounds it (IntakeService::Queue).
constexpr std::int64_t kMaxQueuePage = 500;
constexpr std::int64_t kMaxQueueOffset = 1000000;

RequestInfo InfoOf(const http::HttpRequest& request) {
  return RequestInfo{request.remote_address, request.request_id};
}

json::value TimeOrNull(const std::optional<UnixMillis>& time) {
  if (!time) return nullptr;
  return json::value(FormatIso8601(*time));
}

json::value IdOrNull(const std::optional<std::int64_t>& id) {
  if (!id) return nullptr;
  return json::value(*id);
}

json::value AssessmentJson(const std::optional<Assessment>& a) {
  if (!a) return nullptr;
  return json::object{{"is_sea", a->is_sea},
                      {"category", a->category},
                      {"type", a->type},
                      {"perpetrator_affiliation", a->affiliation},
                      {"perpetrator_identified", a->perpetrator_identified},
                      {"assessed_by_username", a->assessed_by_username},
                      {"assessed_at", FormatIso8601(a->assessed_at)}};
}

json::value RoutingJson(const std::optional<Routing>& r) {
  if (!r) return nullptr;
  return json::object{{"route", RouteName(r->route)},
                      {"entity", r->entity},
                      {"handed_over_on", r->handed_over_on},
                      {"acknowledged_on", r->acknowledged_on},
                      {"acknowledgement", r->acknowledgement},
                      {"office", r->office},
                      {"reason", r->reason},
                      {"routed_by_username", r->routed_by_username},
                      {"routed_at", FormatIso8601(r->routed_at)}};
}

json::array VictimsJson(const std::vector<VictimFacts>& list) {
  json::array victims;
  for (const auto& v : list) {
    victims.emplace_back(json::object{{"age", v.age ? json::value(*v.age) : json::value(nullptr)},
                                      {"age_group", v.age_group},
                                      {"sex", v.sex},
                                      {"referral_consent", v.referral_consent}});
  }
  return victims;
}

json::object ComplaintJson(const Complaint& c) {
  json::array victims = VictimsJson(c.victims);
  json::array perpetrators;
  for (const auto& p : c.perpetrators) {
    perpetrators.emplace_back(json::object{{"category", p.category},
                                           {"nationality", p.nationality},
                                           {"unit", p.unit},
                                           {"rank", p.rank},
                                           {"identified", p.identified}});
  }
  return json::object{
      {"id", c.id},
      {"reference", c.reference},
      {"channel", ChannelName(c.channel)},
      {"status", StatusName(c.status)},
      {"received_at", FormatIso8601(c.received_at)},
      {"entered_by", IdOrNull(c.entered_by)},
      {"entered_by_username", c.entered_by_username},
      {"reporter_relation", c.reporter_relation},
      {"anonymous", c.anonymous},
      {"contact_consent", c.contact_consent},
      {"contact_method", c.contact_method},
      {"language", c.language},
      {"prefecture", c.prefecture},
      {"sub_prefecture", c.sub_prefecture},
      {"town", c.town},
      {"incident_date_precision", c.incident_date_precision},
      {"incident_date", c.incident_date},
      {"victims", std::move(victims)},
      {"perpetrators", std::move(perpetrators)},
      {"risk_child", c.risk_child},
      {"risk_danger", c.risk_danger},
      {"risk_medical", c.risk_medical},
      {"urgent", c.urgent},
      {"acknowledged_at", TimeOrNull(c.acknowledged_at)},
      {"assigned_to", IdOrNull(c.assigned_to)},
      {"assigned_to_username", c.assigned_to_username},
      {"duplicate_of", IdOrNull(c.duplicate_of)},
      {"cbcm_name", c.cbcm_name},
      {"site", c.site},
      {"field_office", c.field_office},
      {"assessment", AssessmentJson(c.assessment)},
      {"routing", RoutingJson(c.routing)},
      {"vra_visible", ReachesVictimsAdvocate(c)},
      {"message_count", c.message_count},
      {"unread_from_reporter", c.unread_from_reporter},
      {"updated_at", FormatIso8601(c.updated_at)},
  };
}

json::array StringsJson(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// An error inside a list item, named by its place: "victims[0].age".
Status Prefixed(const Status& status, const std::string& prefix) {
  return Status(status.code(), prefix + ": " + status.message(),
                status.field().empty() ? prefix : prefix + "." + status.field());
}

// victims: [{"age"?, "age_group"?, "sex"?, "referral_consent"?, "name"?, "pregnant"?,
// "child_born"?}], perpetrators: [{"category"?, "nationality"?, "unit"?, "rank"?,
// "identified"?, "name"?, "description"?}]. The sealed lists are parallel to the facts; the
// `sealed_*` flags say whether any item carried a sealed key (a correction by a non-reader must
// not).
struct People {
  std::optional<std::vector<VictimFacts>> victims;
  std::vector<std::string> victim_names, victim_pregnant, victim_child_born;
  bool sealed_victims = false;
  std::optional<std::vector<PerpetratorFacts>> perpetrators;
  std::vector<std::string> perpetrator_names, perpetrator_descriptions;
  bool sealed_perpetrators = false;
};

Result<People> ParsePeople(const json::object& body, http::JsonFields& fields) {
  auto array_of = [&](std::string_view key) -> Result<const json::array*> {
    if (!fields.Has(key)) return static_cast<const json::array*>(nullptr);
    const auto& value = body.at(key);
    if (!value.is_array())
      return InvalidArgument(std::string(key) + " must be a list", std::string(key));
    if (value.as_array().size() > 50) {
      return InvalidArgument(std::string(key) + " holds at most 50 people", std::string(key));
    }
    return &value.as_array();
  };
  ASSIGN_OR_RETURN(const json::array* victims, array_of("victims"));
  ASSIGN_OR_RETURN(const json::array* perpetrators, array_of("perpetrators"));
  fields.Accept("victims");  // their items are read below
  fields.Accept("perpetrators");
  People out;
  if (victims) {
    out.victims.emplace();
    for (std::size_t i = 0; i < victims->size(); ++i) {
      const std::string prefix = "victims[" + std::to_string(i) + "]";
      if (!(*victims)[i].is_object()) return InvalidArgument(prefix + " must be an object", prefix);
      VictimFacts victim;
      std::string name, pregnant, child_born;
      Status read = [&]() -> Status {
        http::JsonFields item((*victims)[i].as_object());
        ASSIGN_OR_RETURN(auto age, item.OptionalInt("age", 0, 120));
        if (age) victim.age = static_cast<int>(*age);
        ASSIGN_OR_RETURN(auto group, item.OptionalString("age_group", 16));
        victim.age_group = group.value_or("unknown");
        ASSIGN_OR_RETURN(auto sex, item.OptionalString("sex", 16));
        victim.sex = sex.value_or("unknown");
        ASSIGN_OR_RETURN(auto consent, item.OptionalString("referral_consent", 16));
        victim.referral_consent = consent.value_or("unknown");
        for (const char* key : {"name", "pregnant", "child_born"}) {
          if (item.Has(key)) out.sealed_victims = true;
        }
        ASSIGN_OR_RETURN(auto n, item.OptionalString("name", 200));
        name = n.value_or("");
        ASSIGN_OR_RETURN(auto p, item.OptionalString("pregnant", 16));
        pregnant = p.value_or("unknown");
        ASSIGN_OR_RETURN(auto b, item.OptionalString("child_born", 16));
        child_born = b.value_or("unknown");
        return item.Finish();
      }();
      if (!read.ok()) return Prefixed(read, prefix);
      out.victims->push_back(std::move(victim));
      out.victim_names.push_back(std::move(name));
      out.victim_pregnant.push_back(std::move(pregnant));
      out.victim_child_born.push_back(std::move(child_born));
    }
  }
  if (perpetrators) {
    out.perpetrators.emplace();
    for (std::size_t i = 0; i < perpetrators->size(); ++i) {
      const std::string prefix = "perpetrators[" + std::to_string(i) + "]";
      if (!(*perpetrators)[i].is_object()) {
        return InvalidArgument(prefix + " must be an object", prefix);
      }
      PerpetratorFacts perpetrator;
      std::string name, description;
      Status read = [&]() -> Status {
        http::JsonFields item((*perpetrators)[i].as_object());
        ASSIGN_OR_RETURN(auto category, item.OptionalString("category", 40));
        perpetrator.category = category.value_or("unknown");
        ASSIGN_OR_RETURN(auto nationality, item.OptionalString("nationality", 100));
        perpetrator.nationality = nationality.value_or("");
        ASSIGN_OR_RETURN(auto unit, item.OptionalString("unit", 100));
        perpetrator.unit = unit.value_or("");
        ASSIGN_OR_RETURN(auto rank, item.OptionalString("rank", 60));
        perpetrator.rank = rank.value_or("");
        ASSIGN_OR_RETURN(auto identified, item.OptionalString("identified", 16));
        perpetrator.identified = identified.value_or("unknown");
        for (const char* key : {"name", "description"}) {
          if (item.Has(key)) out.sealed_perpetrators = true;
        }
        ASSIGN_OR_RETURN(auto n, item.OptionalString("name", 200));
        name = n.value_or("");
        ASSIGN_OR_RETURN(auto text, item.OptionalText("description", 2000));
        description = text.value_or("");
        return item.Finish();
      }();
      if (!read.ok()) return Prefixed(read, prefix);
      out.perpetrators->push_back(std::move(perpetrator));
      out.perpetrator_names.push_back(std::move(name));
      out.perpetrator_descriptions.push_back(std::move(description));
    }
  }
  return out;
}

// The body of a complaint, from staff or a partner (JSON).
Result<NewComplaint> ParseComplaint(const json::object& body, bool staff) {
  http::JsonFields fields(body);
  NewComplaint n;
  if (staff) {
    ASSIGN_OR_RETURN(auto channel, fields.RequiredString("channel", 1, 32));
    auto parsed = ParseChannel(channel);
    if (!parsed) return Unprocessable("channel is not a known channel", "channel");
    n.channel = *parsed;
    ASSIGN_OR_RETURN(auto received, fields.OptionalString("received_at", 40));
    if (received) {
      auto time = ParseIso8601(*received);
      if (!time) return InvalidArgument("received_at is not an ISO 8601 time", "received_at");
      n.received_at = *time;
    }
  }
  ASSIGN_OR_RETURN(auto relation, fields.OptionalString("reporter_relation", 40));
  n.reporter_relation = relation.value_or("anonymous");
  ASSIGN_OR_RETURN(auto anonymous, fields.OptionalBool("anonymous"));
  n.anonymous = anonymous.value_or(false);
  ASSIGN_OR_RETURN(auto consent, fields.OptionalBool("contact_consent"));
  n.contact_consent = consent.value_or(false);
  ASSIGN_OR_RETURN(auto method, fields.OptionalString("contact_method", 40));
  n.contact_method = method.value_or("none");
  ASSIGN_OR_RETURN(auto language, fields.OptionalString("language", 8));
  n.language = language.value_or("fr");
  ASSIGN_OR_RETURN(auto prefecture, fields.OptionalString("prefecture", 16));
  n.prefecture = prefecture.value_or("");
  ASSIGN_OR_RETURN(auto sub_prefecture, fields.OptionalString("sub_prefecture", 16));
  n.sub_prefecture = sub_prefecture.value_or("");
  ASSIGN_OR_RETURN(auto town, fields.OptionalString("town", 100));
  n.town = town.value_or("");
  ASSIGN_OR_RETURN(auto precision, fields.OptionalString("incident_date_precision", 16));
  n.incident_date_precision = precision.value_or("unknown");
  ASSIGN_OR_RETURN(auto date, fields.OptionalString("incident_date", 10));
  n.incident_date = date.value_or("");
  ASSIGN_OR_RETURN(auto child, fields.OptionalBool("risk_child"));
  n.risk_child = child.value_or(false);
  ASSIGN_OR_RETURN(auto danger, fields.OptionalBool("risk_danger"));
  n.risk_danger = danger.value_or(false);
  ASSIGN_OR_RETURN(auto medical, fields.OptionalBool("risk_medical"));
  n.risk_medical = medical.value_or(false);
  ASSIGN_OR_RETURN(auto name, fields.OptionalString("reporter_name", 200));
  n.identifying.reporter_name = name.value_or("");
  ASSIGN_OR_RETURN(auto phone, fields.OptionalString("reporter_phone", 40));
  n.identifying.reporter_phone = phone.value_or("");
  ASSIGN_OR_RETURN(auto email, fields.OptionalString("reporter_email", 254));
  n.identifying.reporter_email = email.value_or("");
  ASSIGN_OR_RETURN(auto address, fields.OptionalText("reporter_address", 500));
  n.identifying.reporter_address = address.value_or("");
  ASSIGN_OR_RETURN(n.identifying.narrative, fields.RequiredText("narrative", 1, 20000));

  ASSIGN_OR_RETURN(auto cbcm_name, fields.OptionalString("cbcm_name", 100));
  n.cbcm_name = cbcm_name.value_or("");
  ASSIGN_OR_RETURN(auto site, fields.OptionalString("site", 16));
  n.site = site.value_or("");
  ASSIGN_OR_RETURN(auto people, ParsePeople(body, fields));
  RETURN_IF_ERROR(fields.Finish());
  if (people.victims) {
    n.victims = std::move(*people.victims);
    n.identifying.victim_names = std::move(people.victim_names);
    n.identifying.victim_pregnant = std::move(people.victim_pregnant);
    n.identifying.victim_child_born = std::move(people.victim_child_born);
  }
  if (people.perpetrators) {
    n.perpetrators = std::move(*people.perpetrators);
    n.identifying.perpetrator_names = std::move(people.perpetrator_names);
    n.identifying.perpetrator_descriptions = std::move(people.perpetrator_descriptions);
  }
  return n;
}

// {"prefectures": [{"code","name","pcode"?,"sub_prefectures": [{"code","name","field_office"?,
// "towns": ["..."]}]}], "field_offices"?: [{"code","name"}], "sites"?: [{"code","name","type",
// "sub_prefecture"}]}: unknown fields refused at every level, errors named by their place. The
// two lists are optional for clients written before them: without them the list has none.
Result<PlacesList> ParsePlacesBody(const json::object& body) {
  http::JsonFields fields(body);
  fields.Accept("prefectures");
  fields.Accept("field_offices");
  fields.Accept("sites");
  RETURN_IF_ERROR(fields.Finish());
  const json::value* list = body.if_contains("prefectures");
  if (!list || !list->is_array()) {
    return InvalidArgument("prefectures must be a list", "prefectures");
  }
  PlacesList out;
  // An optional list of objects under `key`, each read by `read` (errors prefixed "key[i]").
  auto read_list = [&body](const char* key, std::size_t max_items,
                           const std::function<Status(http::JsonFields&)>& read) -> Status {
    const json::value* items = body.if_contains(key);
    if (!items || items->is_null()) return Status::Ok();
    if (!items->is_array()) return InvalidArgument(std::string(key) + " must be a list", key);
    if (items->as_array().size() > max_items) {
      return InvalidArgument(std::string(key) + " has too many items", key);
    }
    for (std::size_t i = 0; i < items->as_array().size(); ++i) {
      const std::string at = std::string(key) + "[" + std::to_string(i) + "]";
      const auto& item = items->as_array()[i];
      if (!item.is_object()) return InvalidArgument(at + " must be an object", at);
      http::JsonFields item_fields(item.as_object());
      Status read_item = read(item_fields);
      if (read_item.ok()) read_item = item_fields.Finish();
      if (!read_item.ok()) return Prefixed(read_item, at);
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(read_list("field_offices", 100, [&](http::JsonFields& f) -> Status {
    FieldOffice office;
    ASSIGN_OR_RETURN(office.code, f.RequiredString("code", 1, 16));
    ASSIGN_OR_RETURN(office.name, f.RequiredString("name", 1, 100));
    out.field_offices.push_back(std::move(office));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(read_list("sites", 1000, [&](http::JsonFields& f) -> Status {
    Site site;
    ASSIGN_OR_RETURN(site.code, f.RequiredString("code", 1, 16));
    ASSIGN_OR_RETURN(site.name, f.RequiredString("name", 1, 100));
    ASSIGN_OR_RETURN(site.type, f.RequiredString("type", 1, 40));
    ASSIGN_OR_RETURN(site.sub_prefecture, f.RequiredString("sub_prefecture", 1, 16));
    out.sites.push_back(std::move(site));
    return Status::Ok();
  }));
  for (std::size_t i = 0; i < list->as_array().size(); ++i) {
    const std::string at = "prefectures[" + std::to_string(i) + "]";
    const auto& item = list->as_array()[i];
    if (!item.is_object()) return InvalidArgument(at + " must be an object", at);
    Prefecture prefecture;
    Status read = [&]() -> Status {
      http::JsonFields p(item.as_object());
      ASSIGN_OR_RETURN(prefecture.code, p.RequiredString("code", 1, 16));
      ASSIGN_OR_RETURN(prefecture.name, p.RequiredString("name", 1, 100));
      ASSIGN_OR_RETURN(auto pcode, p.OptionalString("pcode", 16));
      prefecture.pcode = pcode.value_or("");
      p.Accept("sub_prefectures");
      RETURN_IF_ERROR(p.Finish());
      const json::value* subs = item.as_object().if_contains("sub_prefectures");
      if (!subs || subs->is_null()) return Status::Ok();
      if (!subs->is_array()) return InvalidArgument("must be a list", "sub_prefectures");
      for (std::size_t j = 0; j < subs->as_array().size(); ++j) {
        const std::string sat = "sub_prefectures[" + std::to_string(j) + "]";
        const auto& sub_item = subs->as_array()[j];
        if (!sub_item.is_object()) return InvalidArgument(sat + " must be an object", sat);
        SubPrefecture sub;
        Status sub_read = [&]() -> Status {
          http::JsonFields sp(sub_item.as_object());
          ASSIGN_OR_RETURN(sub.code, sp.RequiredString("code", 1, 16));
          ASSIGN_OR_RETURN(sub.name, sp.RequiredString("name", 1, 100));
          ASSIGN_OR_RETURN(auto office, sp.OptionalString("field_office", 16));
          sub.field_office = office.value_or("");
          ASSIGN_OR_RETURN(auto towns, sp.StringArray("towns", 500, 100));
          for (auto& town : towns) sub.towns.push_back(Town{std::move(town)});
          return sp.Finish();
        }();
        if (!sub_read.ok()) return Prefixed(sub_read, sat);
        prefecture.sub_prefectures.push_back(std::move(sub));
      }
      return Status::Ok();
    }();
    if (!read.ok()) return Prefixed(read, at);
    out.prefectures.push_back(std::move(prefecture));
  }
  return out;
}

json::object SubmittedJson(const Submitted& submitted) {
  return json::object{{"complaint", ComplaintJson(submitted.complaint)},
                      {"receipt_code", submitted.receipt_code}};
}

json::array MessagesJson(const std::vector<Message>& messages, bool with_text) {
  json::array out;
  for (const auto& m : messages) {
    json::object item{{"id", m.id},
                      {"from_reporter", m.from_reporter},
                      {"author", m.author_username},
                      {"created_at", FormatIso8601(m.created_at)}};
    item["text"] = with_text ? json::value(m.text) : json::value(nullptr);
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::int64_t> BodyInt(const json::object& body, std::string_view key, bool nullable,
                             std::optional<std::int64_t>* out) {
  http::JsonFields fields(body);
  ASSIGN_OR_RETURN(auto value, fields.OptionalInt(key, 1, std::int64_t{1} << 53));
  RETURN_IF_ERROR(fields.Finish());
  if (!value && !(nullable && body.contains(key) && body.at(key).is_null())) {
    return InvalidArgument(std::string(key) + " is required", std::string(key));
  }
  if (out) *out = value;
  return value.value_or(0);
}

json::value ParsedOrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec) return json::value(text);
  return value;
}

json::array HistoryJson(const std::vector<Correction>& history) {
  json::array out;
  for (const auto& h : history) {
    out.push_back(json::object{{"id", h.id},
                               {"field", h.field},
                               {"at", FormatIso8601(h.at)},
                               {"by_username", h.by_username},
                               {"sealed", h.sealed},
                               {"old", ParsedOrNull(h.old_json)},
                               {"new", ParsedOrNull(h.new_json)}});
  }
  return out;
}

// PATCH /complaints/{id}: any subset of the facts; unknown fields refused.
Result<ComplaintPatch> ParsePatch(const json::object& body) {
  http::JsonFields fields(body);
  ComplaintPatch p;
  ASSIGN_OR_RETURN(auto received, fields.OptionalString("received_at", 40));
  if (received) {
    auto time = ParseIso8601(*received);
    if (!time) return InvalidArgument("received_at is not an ISO 8601 time", "received_at");
    p.received_at = *time;
  }
  ASSIGN_OR_RETURN(auto channel, fields.OptionalString("channel", 32));
  if (channel) {
    p.channel = ParseChannel(*channel);
    if (!p.channel) return Unprocessable("channel is not a known channel", "channel");
  }
  auto text = [&](const char* key, std::size_t max, std::optional<std::string>& out) -> Status {
    ASSIGN_OR_RETURN(out, fields.OptionalString(key, max));
    return Status::Ok();
  };
  RETURN_IF_ERROR(text("cbcm_name", 100, p.cbcm_name));
  RETURN_IF_ERROR(text("reporter_relation", 40, p.reporter_relation));
  RETURN_IF_ERROR(text("prefecture", 16, p.prefecture));
  RETURN_IF_ERROR(text("sub_prefecture", 16, p.sub_prefecture));
  RETURN_IF_ERROR(text("town", 100, p.town));
  RETURN_IF_ERROR(text("site", 16, p.site));
  RETURN_IF_ERROR(text("incident_date_precision", 16, p.incident_date_precision));
  RETURN_IF_ERROR(text("incident_date", 10, p.incident_date));
  RETURN_IF_ERROR(text("reporter_name", 200, p.reporter_name));
  RETURN_IF_ERROR(text("reporter_phone", 40, p.reporter_phone));
  RETURN_IF_ERROR(text("reporter_email", 254, p.reporter_email));
  ASSIGN_OR_RETURN(p.reporter_address, fields.OptionalText("reporter_address", 500));
  ASSIGN_OR_RETURN(p.narrative, fields.OptionalText("narrative", 20000));
  if (p.narrative && p.narrative->empty()) {
    return InvalidArgument("narrative cannot be emptied", "narrative");
  }
  ASSIGN_OR_RETURN(p.risk_child, fields.OptionalBool("risk_child"));
  ASSIGN_OR_RETURN(p.risk_danger, fields.OptionalBool("risk_danger"));
  ASSIGN_OR_RETURN(p.risk_medical, fields.OptionalBool("risk_medical"));
  ASSIGN_OR_RETURN(auto people, ParsePeople(body, fields));
  RETURN_IF_ERROR(fields.Finish());
  if (people.victims) {
    p.victims = std::move(people.victims);
    if (people.sealed_victims) {
      p.victim_names = std::move(people.victim_names);
      p.victim_pregnant = std::move(people.victim_pregnant);
      p.victim_child_born = std::move(people.victim_child_born);
    }
  }
  if (people.perpetrators) {
    p.perpetrators = std::move(people.perpetrators);
    if (people.sealed_perpetrators) {
      p.perpetrator_names = std::move(people.perpetrator_names);
      p.perpetrator_descriptions = std::move(people.perpetrator_descriptions);
    }
  }
  return p;
}

json::array NamesJson(const std::vector<std::string_view>& names) {
  json::array out;
  for (auto name : names) out.emplace_back(name);
  return out;
}

json::object SeaTypeJson(const SeaType& t) {
  return json::object{
      {"code", t.code}, {"label_en", t.label_en}, {"label_fr", t.label_fr}, {"active", t.active}};
}

json::array ItemsJson(const std::vector<FigureItem>& items, bool suppress) {
  json::array out;
  for (const auto& item : items) {
    json::object o{{"key", item.key}};
    if (suppress && item.count > 0 && item.count < 5) {
      o["count"] = nullptr;
      o["fewer_than_5"] = true;
    } else {
      o["count"] = item.count;
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::value HoursOrNull(const std::optional<double>& hours) {
  if (!hours) return nullptr;
  return json::value(std::round(*hours * 10) / 10);
}

json::object VictimPartJson(const Complaint& c) {
  return json::object{
      {"id", c.id},
      {"reference", c.reference},
      {"received_at", FormatIso8601(c.received_at)},
      {"status", StatusName(c.status)},
      {"urgent", c.urgent},
      {"risk_child", c.risk_child},
      {"risk_danger", c.risk_danger},
      {"risk_medical", c.risk_medical},
      {"prefecture", c.prefecture},
      {"sub_prefecture", c.sub_prefecture},
      {"field_office", c.field_office},
      {"town", c.town},
      {"incident_date", c.incident_date},
      {"incident_date_precision", c.incident_date_precision},
      {"victims", VictimsJson(c.victims)},
      {"reporter_is_victim", c.reporter_relation == "victim"},
      {"contact_consent", c.contact_consent},
      {"contact_method", c.contact_method},
      {"route", c.routing ? json::value(RouteName(c.routing->route)) : json::value(nullptr)},
      {"assessment_category",
       c.assessment ? json::value(c.assessment->category) : json::value(nullptr)},
      {"assessment_type", c.assessment ? json::value(c.assessment->type) : json::value(nullptr)}};
}

// The reader set a readers request is about: the intake readers or the victims readers.
Result<ReaderSet> ScopeOf(std::string_view name) {
  if (name == "intake") return ReaderSet::kIntake;
  if (name == "victims") return ReaderSet::kVictims;
  return InvalidArgument("scope must be intake or victims", "scope");
}

// ---- SMS gateways: each token names its kind, which decides the request shape, the proof the
// gateway can give besides the token, and the answer it understands.

// A request that carries another gateway's mark: the token was made for another kind.
Status RefuseOtherKindsShape(SmsGateway kind, const http::HttpRequest& request) {
  struct Mark {
    const char* header;
    SmsGateway owner;
  };
  static constexpr Mark kMarks[] = {{"x-psea-signature", SmsGateway::kGeneric},
                                    {"x-twilio-signature", SmsGateway::kTwilio},
                                    {"x-kannel-from", SmsGateway::kKannel},
                                    {"x-kannel-smsc", SmsGateway::kKannel},
                                    {"x-signature", SmsGateway::kAndroid}};
  for (const auto& mark : kMarks) {
    if (mark.owner != kind && request.Header(mark.header)) {
      return Status(ErrorCode::kPermissionDenied,
                    "this token is for " + std::string(SmsGatewayName(kind)) +
                        " gateways; the request is shaped as " +
                        std::string(SmsGatewayName(mark.owner)) + " sends it",
                    "gateway");
    }
  }
  return Status::Ok();
}

constexpr std::int64_t kAndroidSignatureWindowSeconds = 300;

// The proof besides the token, for the kinds that have one.
Status CheckGatewayProof(SmsGateway kind, IntakeService& s, const security::Principal& token,
                         const http::HttpRequest& request, UnixMillis now) {
  if (kind == SmsGateway::kGeneric) {
    const auto signature = request.Header("x-psea-signature");
    if (!signature || !VerifySmsSignature(s.SmsSigningKey(), request.body, *signature)) {
      return Unauthenticated(
          "X-Psea-Signature must be sha256=<hex HMAC-SHA256 of the body> with the SMS key");
    }
    return Status::Ok();
  }
  if (kind != SmsGateway::kTwilio && kind != SmsGateway::kAndroid) return Status::Ok();
  ASSIGN_OR_RETURN(SmsGatewaySettings settings, s.GatewaySettings(token.token_id));
  if (kind == SmsGateway::kTwilio) {
    // Twilio always signs: without its auth token psea cannot tell Twilio from anyone holding
    // the URL, so it refuses until an administrator sets it.
    if (settings.twilio_auth_token.empty() || settings.public_url.empty()) {
      return Unauthenticated(
          "set this token's twilio_auth_token and public_url (PUT "
          "/api/v1/intake/sms/gateways/{token_id}) before Twilio can deliver");
    }
    if (!VerifyTwilioSignature(settings.twilio_auth_token, settings.public_url, request.body,
                               request.Header("x-twilio-signature").value_or(""))) {
      return Unauthenticated("X-Twilio-Signature does not match the auth token and public_url");
    }
    return Status::Ok();
  }
  if (settings.signing_key.empty()) return Status::Ok();
  if (!VerifyAndroidSignature(
          settings.signing_key, request.body, request.Header("x-timestamp").value_or(""),
          request.Header("x-signature").value_or(""), now / 1000, kAndroidSignatureWindowSeconds)) {
    return Unauthenticated(
        "X-Signature must be the hex HMAC-SHA256 of the body and X-Timestamp (within 5 minutes) "
        "with the signing key");
  }
  return Status::Ok();
}

HttpResponse TextAnswer(std::string body, std::string_view content_type) {
  HttpResponse response;
  response.status = 200;
  response.body = std::move(body);
  response.SetHeader("Content-Type", std::string(content_type));
  return response;
}

HttpResponse TwimlAnswer(std::string_view reply) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>";
  if (!reply.empty()) body += "<Message>" + EscapeMarkup(reply) + "</Message>";
  body += "</Response>";
  return TextAnswer(std::move(body), "text/xml; charset=utf-8");
}

// What the reporter reads when the message itself cannot be filed: for gateways that text the
// answer back (Kannel, Twilio) and drop a refused message, a 200 with a short sentence is worth
// more than a 4xx nobody sees.
std::string RefusedSentence(const Status& why) {
  if (why.field() == "text" || why.field() == "Body" || why.field() == "message" ||
      why.field() == "input.text") {
    return "Message vide non enregistre: ecrivez votre signalement. / Empty message not "
           "recorded: please write your report.";
  }
  return "Message non enregistre, veuillez reessayer. / Message not recorded, please try again.";
}

// The answer to a message the gateway sent but psea cannot file.
Result<HttpResponse> AnswerRefused(SmsGateway kind, const Status& why) {
  if (why.code() != ErrorCode::kInvalidArgument && why.code() != ErrorCode::kBadJson) return why;
  switch (kind) {
    case SmsGateway::kKannel:
      return TextAnswer(RefusedSentence(why), "text/plain; charset=utf-8");
    case SmsGateway::kTwilio:
      return TwimlAnswer(RefusedSentence(why));
    case SmsGateway::kSmsSync:
      return http::JsonResponse(
          json::object{{"payload", json::object{{"success", false}, {"error", why.message()}}}});
    default:
      return why;
  }
}

HttpResponse AnswerFiled(SmsGateway kind, const SmsReceipt& receipt, const SmsMessage& sms) {
  switch (kind) {
    case SmsGateway::kKannel:
      // A duplicate answers empty: with omit-empty = true Kannel sends nothing.
      return TextAnswer(receipt.duplicate ? "" : receipt.reply, "text/plain; charset=utf-8");
    case SmsGateway::kTwilio:
      return TwimlAnswer(receipt.duplicate ? "" : receipt.reply);
    case SmsGateway::kSmsSync: {
      json::object payload{{"success", true}, {"error", nullptr}};
      if (!receipt.duplicate && !receipt.reply.empty()) {
        payload["task"] = "send";
        payload["messages"] =
            json::array{json::object{{"to", sms.from},
                                     {"message", receipt.reply},
                                     {"uuid", security::HexEncode(security::RandomBytes(16))}}};
      }
      return http::JsonResponse(json::object{{"payload", std::move(payload)}});
    }
    case SmsGateway::kAfricasTalking:
    case SmsGateway::kAndroid:
      // These gateways send replies only through their own API; the body is an ack.
      return http::JsonResponse(json::object{{"complaint_id", receipt.complaint_id},
                                             {"joined", receipt.joined},
                                             {"duplicate", receipt.duplicate}},
                                receipt.duplicate ? 200 : 201);
    case SmsGateway::kGeneric:
    case SmsGateway::kRapidPro:
      break;
  }
  json::object out{{"complaint_id", receipt.complaint_id},
                   {"joined", receipt.joined},
                   {"duplicate", receipt.duplicate}};
  out["reply"] = receipt.duplicate ? json::value(nullptr) : json::value(receipt.reply);
  return http::JsonResponse(out, receipt.duplicate ? 200 : 201);
}

Result<HttpResponse> ReceiveFromGateway(IntakeService& s, RequestContext& ctx) {
  const security::Principal& token = ctx.caller();
  RETURN_IF_ERROR(security::AuthorizeScope(token, "intake.sms"));
  const auto kind = SmsGatewayFromName(token.sms_gateway.empty() ? "generic" : token.sms_gateway);
  if (!kind) return PermissionDenied("this token names no SMS gateway kind psea knows");
  RETURN_IF_ERROR(RefuseOtherKindsShape(*kind, ctx.request));
  RETURN_IF_ERROR(CheckGatewayProof(*kind, s, token, ctx.request, s.Now()));
  Result<SmsMessage> sms = ParseSmsRequest(*kind, ctx.request);
  if (!sms.ok()) return AnswerRefused(*kind, sms.status());
  if (*kind == SmsGateway::kGeneric) RETURN_IF_ERROR(RequireSignedSmsId(*sms));
  if (*kind == SmsGateway::kSmsSync) {
    ASSIGN_OR_RETURN(SmsGatewaySettings settings, s.GatewaySettings(token.token_id));
    if (!settings.signing_key.empty() &&
        !security::ConstantTimeEquals(settings.signing_key, sms->gateway_secret)) {
      return Unauthenticated("secret does not match this token's signing_key");
    }
  }
  ASSIGN_OR_RETURN(auto receipt, s.ReceiveSms(token, *sms, InfoOf(ctx.request)));
  if ((*kind == SmsGateway::kAfricasTalking || *kind == SmsGateway::kAndroid) &&
      !receipt.duplicate && !receipt.reply.empty()) {
    // These gateways take replies only through their own API: the outbox sends it.
    RETURN_IF_ERROR(s.QueueSmsReply(token, SmsGatewayName(*kind), receipt.complaint_id, sms->from,
                                    receipt.reply));
  }
  return AnswerFiled(*kind, receipt, *sms);
}

json::object GatewaySettingsJson(std::int64_t token_id, const SmsGatewaySettings& settings) {
  return json::object{{"token_id", token_id},
                      {"twilio_auth_token", settings.twilio_auth_token},
                      {"public_url", settings.public_url},
                      {"signing_key", settings.signing_key},
                      {"outgoing_url", settings.outgoing_url},
                      {"outgoing_username", settings.outgoing_username},
                      {"outgoing_secret", settings.outgoing_secret},
                      {"sender", settings.sender}};
}

}  // namespace

void RegisterIntakeRoutes(http::Router& router, IntakeService& service) {
  IntakeService* s = &service;
  constexpr std::size_t kComplaintBody = 128 * 1024;

  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/complaints",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto complaint, ParseComplaint(body, true));
                ASSIGN_OR_RETURN(auto submitted, s->Submit(ctx.caller(), std::move(complaint),
                                                           InfoOf(ctx.request)));
                return http::JsonResponse(SubmittedJson(submitted), 201);
              },
              .max_body = kComplaintBody,
              .summary = "Enter a complaint (hotline, walk-in, CBCM, e-mail, SMS, other)",
              .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/complaints",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                QueueFilter filter;
                const http::QueryParams q = ctx.query();
                ASSIGN_OR_RETURN(auto status, q.Text("status", 40));
                if (status == "all") {
                  filter.open_only = false;
                } else if (status) {
                  filter.status = ParseStatus(*status);
                  if (!filter.status) return InvalidArgument("unknown status", "status");
                }
                ASSIGN_OR_RETURN(filter.urgent_only, q.Bool("urgent"));
                ASSIGN_OR_RETURN(auto channel, q.Text("channel", 40));
                if (channel) {
                  filter.channel = ParseChannel(*channel);
                  if (!filter.channel) return InvalidArgument("unknown channel", "channel");
                }
                ASSIGN_OR_RETURN(auto prefecture, q.Text("prefecture", 200));
                ASSIGN_OR_RETURN(auto field_office, q.Text("field_office", 200));
                ASSIGN_OR_RETURN(auto sea_type, q.Text("sea_type", 100));
                ASSIGN_OR_RETURN(auto text, q.Text("q", 100));
                filter.prefecture = prefecture.value_or("");
                filter.field_office = field_office.value_or("");
                filter.sea_type = sea_type.value_or("");
                filter.query = text.value_or("");
                ASSIGN_OR_RETURN(auto route, q.Text("route", 40));
                if (route) {
                  filter.route = ParseRoute(*route);
                  if (!filter.route) return InvalidArgument("unknown route", "route");
                }
                ASSIGN_OR_RETURN(auto limit, q.Int("limit", 1, kMaxQueuePage));
                ASSIGN_OR_RETURN(auto offset, q.Int("offset", 0, kMaxQueueOffset));
                filter.limit = static_cast<int>(limit.value_or(filter.limit));
                filter.offset = static_cast<int>(offset.value_or(0));
                ASSIGN_OR_RETURN(auto complaints, s->Queue(ctx.caller(), filter));
                json::array out;
                for (const auto& c : complaints) out.emplace_back(ComplaintJson(c));
                return http::JsonResponse(json::object{{"complaints", std::move(out)}});
              },
              .query = {"status", "urgent", "channel", "prefecture", "field_office", "sea_type",
                        "q", "route", "limit", "offset"},
              .summary = "The queue: open complaints, urgent first (yours only for operators)",
              .tag = "intake"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/intake/complaints/{id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto detail, s->Get(ctx.caller(), id, InfoOf(ctx.request)));
         json::object out{{"complaint", ComplaintJson(detail.complaint)},
                          {"can_read_identifying", detail.can_read_identifying},
                          {"identifying_open", detail.identifying_open},
                          {"reauth_required", detail.reauth_required}};
         if (detail.identifying_open) {
           const auto& i = detail.identifying;
           out["identifying"] =
               json::object{{"reporter_name", i.reporter_name},
                            {"reporter_phone", i.reporter_phone},
                            {"reporter_email", i.reporter_email},
                            {"reporter_address", i.reporter_address},
                            {"narrative", i.narrative},
                            {"victim_names", StringsJson(i.victim_names)},
                            {"victim_pregnant", StringsJson(i.victim_pregnant)},
                            {"victim_child_born", StringsJson(i.victim_child_born)},
                            {"perpetrator_names", StringsJson(i.perpetrator_names)},
                            {"perpetrator_descriptions", StringsJson(i.perpetrator_descriptions)},
                            {"place_text", i.place_text}};
         } else {
           out["identifying"] = nullptr;
         }
         out["messages"] = MessagesJson(detail.messages, detail.identifying_open);
         json::array notes;
         for (const auto& n : detail.notes) {
           json::object note{{"id", n.id},
                             {"author", n.author_username},
                             {"created_at", FormatIso8601(n.created_at)}};
           note["text"] = detail.identifying_open ? json::value(n.text) : json::value(nullptr);
           notes.push_back(std::move(note));
         }
         out["notes"] = std::move(notes);
         json::array duplicates;
         for (auto d : detail.duplicates) duplicates.emplace_back(d);
         out["duplicates"] = std::move(duplicates);
         json::array attachments;
         for (const auto& a : detail.attachments) {
           json::object item{{"id", a.id},
                             {"content_type", a.content_type},
                             {"size", a.size},
                             {"sha256", a.sha256},
                             {"created_at", FormatIso8601(a.created_at)},
                             {"added_by", a.added_by_username}};
           item["filename"] =
               detail.identifying_open ? json::value(a.filename) : json::value(nullptr);
           attachments.push_back(std::move(item));
         }
         out["attachments"] = std::move(attachments);
         out["history"] = HistoryJson(detail.history);
         return http::JsonResponse(out);
       },
       .summary = "One complaint; identities, narrative, messages and notes for intake readers",
       .tag = "intake"});

  auto action = [&](const char* suffix, const char* summary,
                    std::function<Status(RequestContext&, std::int64_t)> work) {
    router.Add({.method = "POST",
                .pattern = std::string("/api/v1/intake/complaints/{id}/") + suffix,
                .handler = [work](RequestContext& ctx) -> Result<HttpResponse> {
                  ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
                  RETURN_IF_ERROR(work(ctx, id));
                  return http::NoContent();
                },
                .max_body = 32 * 1024,
                .summary = summary,
                .tag = "intake"});
  };
  action("acknowledge", "Acknowledge a complaint", [s](RequestContext& ctx, std::int64_t id) {
    return s->Acknowledge(ctx.caller(), id, InfoOf(ctx.request));
  });
  action("assign", "Assign a complaint to a CDT officer (null: nobody)",
         [s](RequestContext& ctx, std::int64_t id) -> Status {
           ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
           std::optional<std::int64_t> assignee;
           auto parsed = BodyInt(body, "assignee", true, &assignee);
           if (!parsed.ok()) return parsed.status();
           return s->Assign(ctx.caller(), id, assignee, InfoOf(ctx.request));
         });
  action("notes", "Add a note (sealed for the intake readers)",
         [s](RequestContext& ctx, std::int64_t id) -> Status {
           ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
           http::JsonFields fields(body);
           ASSIGN_OR_RETURN(auto text, fields.RequiredText("text", 1, 20000));
           RETURN_IF_ERROR(fields.Finish());
           return s->AddNote(ctx.caller(), id, text, InfoOf(ctx.request));
         });
  action("messages", "Write to the reporter (read with the receipt code)",
         [s](RequestContext& ctx, std::int64_t id) -> Status {
           ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
           http::JsonFields fields(body);
           ASSIGN_OR_RETURN(auto text, fields.RequiredText("text", 1, 4000));
           RETURN_IF_ERROR(fields.Finish());
           return s->ReplyToReporter(ctx.caller(), id, text, InfoOf(ctx.request));
         });
  action("duplicate", "Mark as a duplicate of another complaint",
         [s](RequestContext& ctx, std::int64_t id) -> Status {
           ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
           auto of = BodyInt(body, "of", false, nullptr);
           if (!of.ok()) return of.status();
           return s->MarkDuplicate(ctx.caller(), id, *of, InfoOf(ctx.request));
         });
  action("status", "Set the status (acknowledged, assessing)",
         [s](RequestContext& ctx, std::int64_t id) -> Status {
           ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
           http::JsonFields fields(body);
           ASSIGN_OR_RETURN(auto status, fields.RequiredString("status", 1, 40));
           RETURN_IF_ERROR(fields.Finish());
           auto parsed = ParseStatus(status);
           if (!parsed) return InvalidArgument("unknown status", "status");
           return s->SetStatus(ctx.caller(), id, *parsed, InfoOf(ctx.request));
         });

  // Assessment, routing and corrections answer with the complaint as it now stands.
  auto complaint_step =
      [&](const char* suffix, const char* summary,
          std::function<Result<Complaint>(RequestContext&, std::int64_t, const json::object&)>
              work) {
        router.Add(
            {.method = "POST",
             .pattern = std::string("/api/v1/intake/complaints/{id}/") + suffix,
             .handler = [work](RequestContext& ctx) -> Result<HttpResponse> {
               ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
               ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
               ASSIGN_OR_RETURN(auto complaint, work(ctx, id, body));
               return http::JsonResponse(json::object{{"complaint", ComplaintJson(complaint)}});
             },
             .max_body = 32 * 1024,
             .summary = summary,
             .tag = "intake"});
      };
  complaint_step(
      "assessment", "Record the preliminary assessment (is it SEA, category, type, perpetrator)",
      [s](RequestContext& ctx, std::int64_t id, const json::object& body) -> Result<Complaint> {
        http::JsonFields fields(body);
        Assessment a;
        ASSIGN_OR_RETURN(auto is_sea, fields.OptionalBool("is_sea"));
        if (!is_sea) return InvalidArgument("is_sea is required", "is_sea");
        a.is_sea = *is_sea;
        ASSIGN_OR_RETURN(auto category, fields.OptionalString("category", 40));
        a.category = category.value_or("");
        ASSIGN_OR_RETURN(auto type, fields.OptionalString("type", 40));
        a.type = type.value_or("");
        ASSIGN_OR_RETURN(a.affiliation, fields.RequiredString("perpetrator_affiliation", 1, 40));
        ASSIGN_OR_RETURN(auto identified, fields.OptionalBool("perpetrator_identified"));
        a.perpetrator_identified = identified.value_or(false);
        RETURN_IF_ERROR(fields.Finish());
        return s->Assess(ctx.caller(), id, std::move(a), InfoOf(ctx.request));
      });
  complaint_step(
      "route",
      "Route an assessed complaint: to a case, handed over, GBV referral, other misconduct, closed",
      [s](RequestContext& ctx, std::int64_t id, const json::object& body) -> Result<Complaint> {
        http::JsonFields fields(body);
        RouteRequest r;
        ASSIGN_OR_RETURN(auto route, fields.RequiredString("route", 1, 40));
        auto parsed = ParseRoute(route);
        if (!parsed) {
          return Unprocessable(
              "route must be case, handed_over, gbv_referral, other_misconduct or closed", "route");
        }
        r.route = *parsed;
        ASSIGN_OR_RETURN(auto entity, fields.OptionalString("entity", 200));
        r.entity = entity.value_or("");
        ASSIGN_OR_RETURN(auto on, fields.OptionalString("handed_over_on", 10));
        r.handed_over_on = on.value_or("");
        ASSIGN_OR_RETURN(auto office, fields.OptionalString("office", 200));
        r.office = office.value_or("");
        ASSIGN_OR_RETURN(auto reason, fields.OptionalString("reason", 40));
        r.reason = reason.value_or("");
        ASSIGN_OR_RETURN(r.duplicate_of,
                         fields.OptionalInt("duplicate_of", 1, std::int64_t{1} << 53));
        RETURN_IF_ERROR(fields.Finish());
        return s->RouteComplaint(ctx.caller(), id, r, InfoOf(ctx.request));
      });
  complaint_step(
      "handover-acknowledged", "Record that the entity a complaint was handed to acknowledged it",
      [s](RequestContext& ctx, std::int64_t id, const json::object& body) -> Result<Complaint> {
        http::JsonFields fields(body);
        ASSIGN_OR_RETURN(auto on, fields.RequiredString("acknowledged_on", 10, 10));
        ASSIGN_OR_RETURN(auto how, fields.RequiredText("acknowledgement", 1, 500));
        RETURN_IF_ERROR(fields.Finish());
        return s->AcknowledgeHandover(ctx.caller(), id, on, how, InfoOf(ctx.request));
      });

  router.Add(
      {.method = "PATCH",
       .pattern = "/api/v1/intake/complaints/{id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         ASSIGN_OR_RETURN(auto patch, ParsePatch(body));
         ASSIGN_OR_RETURN(auto corrected, s->Correct(ctx.caller(), id, patch, InfoOf(ctx.request)));
         json::array changed;
         for (const auto& field : corrected.second) changed.emplace_back(field);
         return http::JsonResponse(json::object{{"complaint", ComplaintJson(corrected.first)},
                                                {"changed", std::move(changed)}});
       },
       .max_body = kComplaintBody,
       .summary = "Correct a complaint's facts (each change kept in its history)",
       .tag = "intake"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/intake/assignees",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto staff, s->Assignees(ctx.caller()));
         json::array out;
         for (const auto& m : staff) {
           out.push_back(json::object{{"user_id", m.id},
                                      {"username", m.username},
                                      {"display_name", m.display_name},
                                      {"role", security::RoleName(m.role)}});
         }
         return http::JsonResponse(json::object{{"assignees", std::move(out)}});
       },
       .summary = "The staff a complaint can be assigned to (active CDT chiefs and officers)",
       .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/vocabularies",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto types, s->SeaTypes(ctx.caller()));
                json::array channels, statuses, routes, countries, sea_types;
                for (auto c : AllChannels()) channels.emplace_back(ChannelName(c));
                for (auto r : AllRoutes()) routes.emplace_back(RouteName(r));
                for (auto code : CountryCodes()) countries.emplace_back(code);
                for (const auto& t : types) sea_types.push_back(SeaTypeJson(t));
                for (auto st : AllStatuses()) statuses.emplace_back(StatusName(st));
                return http::JsonResponse(
                    json::object{{"channels", std::move(channels)},
                                 {"statuses", std::move(statuses)},
                                 {"reporter_relations", NamesJson(kReporterRelations)},
                                 {"personnel_categories", NamesJson(kPersonnelCategories)},
                                 {"sea_categories", NamesJson(kSeaCategories)},
                                 {"sea_types", std::move(sea_types)},
                                 {"perpetrator_affiliations", NamesJson(kAffiliations)},
                                 {"routes", std::move(routes)},
                                 {"close_reasons", NamesJson(kCloseReasons)},
                                 {"yes_no_unknown", NamesJson(kYesNoUnknown)},
                                 {"countries", std::move(countries)}});
              },
              .summary = "The vocabularies of complaints (channels, categories, SEA types, ...)",
              .tag = "intake"});

  auto sea_type_body = [](const json::object& body, bool with_code) -> Result<SeaType> {
    http::JsonFields fields(body);
    SeaType t;
    if (with_code) {
      ASSIGN_OR_RETURN(t.code, fields.RequiredString("code", 1, 40));
    }
    ASSIGN_OR_RETURN(t.label_en, fields.RequiredString("label_en", 1, 100));
    ASSIGN_OR_RETURN(t.label_fr, fields.RequiredString("label_fr", 1, 100));
    ASSIGN_OR_RETURN(auto active, fields.OptionalBool("active"));
    t.active = active.value_or(true);
    RETURN_IF_ERROR(fields.Finish());
    return t;
  };
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/sea-types",
              .handler = [s, sea_type_body](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto type, sea_type_body(body, true));
                ASSIGN_OR_RETURN(auto stored,
                                 s->AddSeaType(ctx.caller(), std::move(type), InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"sea_type", SeaTypeJson(stored)}}, 201);
              },
              .max_body = 4096,
              .summary = "Add a type to the SEA types vocabulary (CDT chief)",
              .tag = "intake"});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/intake/sea-types/{code}",
              .handler = [s, sea_type_body](RequestContext& ctx) -> Result<HttpResponse> {
                const std::string code = ctx.path_params.at("code");
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto type, sea_type_body(body, false));
                type.code = code;
                ASSIGN_OR_RETURN(auto stored, s->UpdateSeaType(ctx.caller(), std::move(type),
                                                               InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"sea_type", SeaTypeJson(stored)}});
              },
              .max_body = 4096,
              .summary = "Rename or retire a SEA type (CDT chief)",
              .tag = "intake"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/intake/victims",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto complaints, s->VictimsQueue(ctx.caller()));
         json::array out;
         for (const auto& c : complaints) out.push_back(VictimPartJson(c));
         return http::JsonResponse(json::object{{"complaints", std::move(out)}});
       },
       .summary = "The victim part of the complaints that reach the Victims' Rights Advocate",
       .tag = "intake"});
  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/intake/victims/{id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
         ASSIGN_OR_RETURN(auto part, s->OpenVictimPart(ctx.caller(), id, InfoOf(ctx.request)));
         json::object out{{"victim_part", VictimPartJson(part.complaint)},
                          {"can_read", part.can_read},
                          {"open", part.open},
                          {"reauth_required", part.reauth_required}};
         if (part.open) {
           const auto& i = part.identifying;
           out["identifying"] =
               json::object{{"victim_names", StringsJson(i.victim_names)},
                            {"victim_pregnant", StringsJson(i.victim_pregnant)},
                            {"victim_child_born", StringsJson(i.victim_child_born)},
                            {"reporter_name", i.reporter_name},
                            {"reporter_phone", i.reporter_phone},
                            {"reporter_email", i.reporter_email},
                            {"reporter_address", i.reporter_address}};
         } else {
           out["identifying"] = nullptr;
         }
         return http::JsonResponse(out);
       },
       .summary = "One complaint's victim part; identities for the victims readers (audited)",
       .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/figures",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto from, ctx.query().Month("from"));
                ASSIGN_OR_RETURN(auto to, ctx.query().Month("to"));
                ASSIGN_OR_RETURN(auto figures,
                                 s->Figures(ctx.caller(), from.value_or(""), to.value_or("")));
                const bool suppress =
                    !security::HasPermission(ctx.caller(), security::Permission::kIntakeQueue);
                auto delay = [&](const DelayFigures& d, bool with_target) {
                  json::object o{{"count", d.count},
                                 {"median_hours", HoursOrNull(d.median_hours)},
                                 {"p90_hours", HoursOrNull(d.p90_hours)}};
                  if (with_target) {
                    o["within_target"] = d.within_target;
                    o["share_within_target"] =
                        d.count ? json::value(std::round(1000.0 * d.within_target / d.count) / 1000)
                                : json::value(nullptr);
                  }
                  return o;
                };
                json::object total{{"key", "total"}};
                return http::JsonResponse(json::object{
                    {"from", figures.from},
                    {"to", figures.to},
                    {"suppressed", suppress},
                    {"total", suppress && figures.total > 0 && figures.total < 5
                                  ? json::value(nullptr)
                                  : json::value(figures.total)},
                    {"by_month", ItemsJson(figures.by_month, suppress)},
                    {"by_channel", ItemsJson(figures.by_channel, suppress)},
                    {"by_prefecture", ItemsJson(figures.by_prefecture, suppress)},
                    {"by_field_office", ItemsJson(figures.by_field_office, suppress)},
                    {"by_category", ItemsJson(figures.by_category, suppress)},
                    {"by_type", ItemsJson(figures.by_type, suppress)},
                    {"by_route", ItemsJson(figures.by_route, suppress)},
                    {"acknowledgement", delay(figures.acknowledgement, true)},
                    {"assessment", delay(figures.assessment, false)},
                    {"targets", json::object{{"urgent_hours", figures.targets.urgent_hours},
                                             {"other_hours", figures.targets.other_hours}}}});
              },
              .query = {"from", "to"},
              .summary = "Complaint figures for a period (leadership: cells under 5 hidden)",
              .tag = "intake"});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/intake/figures/targets",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                FigureTargets t;
                ASSIGN_OR_RETURN(auto urgent, fields.RequiredInt("urgent_hours", 1, 24 * 30));
                ASSIGN_OR_RETURN(auto other, fields.RequiredInt("other_hours", 1, 24 * 30));
                RETURN_IF_ERROR(fields.Finish());
                t.urgent_hours = static_cast<int>(urgent);
                t.other_hours = static_cast<int>(other);
                ASSIGN_OR_RETURN(auto stored,
                                 s->SetFigureTargets(ctx.caller(), t, InfoOf(ctx.request)));
                return http::JsonResponse(json::object{{"urgent_hours", stored.urgent_hours},
                                                       {"other_hours", stored.other_hours}});
              },
              .max_body = 1024,
              .summary = "Set the acknowledgement targets in hours (CDT chief)",
              .tag = "intake"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/intake/complaints/{id}/attachments",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
         const std::string filename =
             http::PercentDecodeHeader(ctx.request.Header("x-filename").value_or(""));
         ASSIGN_OR_RETURN(auto attachment, s->AddAttachment(ctx.caller(), id, filename,
                                                            ctx.request.body, InfoOf(ctx.request)));
         return http::JsonResponse(
             json::object{{"attachment", json::object{{"id", attachment.id},
                                                      {"content_type", attachment.content_type},
                                                      {"size", attachment.size},
                                                      {"sha256", attachment.sha256}}}},
             201);
       },
       .max_body = 10 * 1024 * 1024,
       .summary = "Attach a file to a complaint (raw body, X-Filename; sealed; type read from the "
                  "content)",
       .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/complaints/{id}/attachments/{attachment_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto attachment_id, ctx.IdParam("attachment_id"));
                ASSIGN_OR_RETURN(auto file, s->ReadAttachment(ctx.caller(), id, attachment_id,
                                                              InfoOf(ctx.request)));
                // Downloaded, never shown: whatever it holds cannot run in the app's origin.
                HttpResponse response = http::DownloadResponse(
                    std::move(file.second), file.first.content_type, file.first.filename,
                    "attachment-" + std::to_string(attachment_id));
                response.SetHeader("X-Content-SHA256", file.first.sha256);
                response.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
                return response;
              },
              .summary = "Download an attachment (intake readers; audited)",
              .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/places",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                if (!security::HasPermission(ctx.caller(), security::Permission::kIntakeSubmit)) {
                  return PermissionDenied("your role may not see the places list");
                }
                ASSIGN_OR_RETURN(auto places, s->Places());
                return http::JsonResponse(PlacesJson(*places));
              },
              .summary = "The places list: prefectures, sub-prefectures and towns",
              .tag = "intake"});

  router.Add({.method = "PUT",
              .pattern = "/api/v1/intake/places",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                ASSIGN_OR_RETURN(auto places, ParsePlacesBody(body));
                RETURN_IF_ERROR(
                    s->ReplacePlaces(ctx.caller(), std::move(places), InfoOf(ctx.request)));
                ASSIGN_OR_RETURN(auto stored, s->Places());
                return http::JsonResponse(PlacesJson(*stored));
              },
              .max_body = 512 * 1024,
              .summary = "Replace the places list (CDT)",
              .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/alerts",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(int count, s->UnacknowledgedUrgent(ctx.caller()));
                ASSIGN_OR_RETURN(std::int64_t changes, s->UnseenReaderChanges(ctx.caller()));
                return http::JsonResponse(
                    json::object{{"unacknowledged_urgent", count}, {"reader_changes", changes}});
              },
              .summary = "Urgent complaints nobody has acknowledged yet (the alert badge)",
              .tag = "intake"});

  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/intake/readers",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto scope_name, ctx.query().Enum("scope", {"intake", "victims"}));
         ASSIGN_OR_RETURN(auto scope, ScopeOf(scope_name.value_or("intake")));
         ASSIGN_OR_RETURN(auto overview, s->Readers(ctx.caller(), scope));
         json::array readers, eligible, changes;
         for (const auto& reader : overview.readers) {
           readers.push_back(json::object{{"user_id", reader.entry.user_id},
                                          {"username", reader.username},
                                          {"display_name", reader.display_name},
                                          {"role", security::RoleName(reader.role)},
                                          {"added_by", reader.entry.added_by_name},
                                          {"added_at", FormatIso8601(reader.entry.added_at)}});
         }
         for (const auto& member : overview.eligible) {
           eligible.push_back(json::object{{"user_id", member.id},
                                           {"username", member.username},
                                           {"display_name", member.display_name},
                                           {"role", security::RoleName(member.role)}});
         }
         for (const auto& change : overview.changes) {
           changes.push_back(json::object{{"id", change.id},
                                          {"change", security::ReaderChangeName(change.kind)},
                                          {"user_id", change.user_id},
                                          {"username", change.username},
                                          {"by", change.by_name},
                                          {"reason", change.reason},
                                          {"at", FormatIso8601(change.at)}});
         }
         return http::JsonResponse(json::object{{"readers", std::move(readers)},
                                                {"eligible", std::move(eligible)},
                                                {"changes", std::move(changes)},
                                                {"unseen_changes", overview.unseen_changes},
                                                {"you_are_reader", overview.caller_is_reader}});
       },
       .query = {"scope"},
       .summary = "The intake readers, the staff eligible to become one, recent changes",
       .tag = "intake"});

  auto reader_change = [s](bool add) {
    return [s, add](RequestContext& ctx) -> Result<HttpResponse> {
      ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
      http::JsonFields fields(body);
      ASSIGN_OR_RETURN(std::int64_t user, fields.RequiredInt("user_id", 1, std::int64_t{1} << 53));
      ASSIGN_OR_RETURN(auto proof, http::StepUpFields(fields));
      ASSIGN_OR_RETURN(auto scope_name, fields.OptionalString("scope", 16));
      RETURN_IF_ERROR(fields.Finish());
      ASSIGN_OR_RETURN(auto scope, ScopeOf(scope_name.value_or("intake")));
      RETURN_IF_ERROR(add ? s->AddReader(ctx.caller(), user, proof, InfoOf(ctx.request), scope)
                          : s->RemoveReader(ctx.caller(), user, proof, InfoOf(ctx.request), scope));
      return http::NoContent();
    };
  };
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/readers",
              .handler = reader_change(true),
              .max_body = 16 * 1024,
              .summary = "Add an intake reader (a reader who is CDT chief; needs "
                         "current_password and totp_code)",
              .tag = "intake"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/readers/remove",
              .handler = reader_change(false),
              .max_body = 16 * 1024,
              .summary = "Remove an intake reader (a reader who is CDT chief; needs "
                         "current_password and totp_code); never the last one",
              .tag = "intake"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/readers/seen",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
                http::JsonFields fields(body);
                ASSIGN_OR_RETURN(std::int64_t up_to,
                                 fields.RequiredInt("up_to", 0, std::int64_t{1} << 53));
                RETURN_IF_ERROR(fields.Finish());
                RETURN_IF_ERROR(s->MarkReaderChangesSeen(ctx.caller(), up_to));
                return http::NoContent();
              },
              .max_body = 1024,
              .summary = "Mark the changes of readers up to an id as seen (the badge)",
              .tag = "intake"});

  const auto receive = [s](RequestContext& ctx) { return ReceiveFromGateway(*s, ctx); };
  constexpr std::size_t kSmsBody = 64 * 1024;
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/sms",
              .handler = receive,
              .max_body = kSmsBody,
              // A gateway names its own query parameters (Kannel: whatever get-url lists).
              .lenient_query = true,
              .summary = "An SMS gateway delivers a message (token scope intake.sms as Bearer or "
                         "Basic password; the token's gateway kind decides shape and answer)",
              .tag = "intake"});
  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/sms",
              .handler = receive,
              .max_body = 1024,
              // A gateway names its own query parameters (Kannel: whatever get-url lists).
              .lenient_query = true,
              .summary = "Kannel's get-url delivers a message (token as the Basic password)",
              .tag = "intake"});
  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/sms/in/{token}",
              .access = http::Access::kTokenInPath,
              .handler = receive,
              .max_body = kSmsBody,
              // A gateway names its own query parameters (Kannel: whatever get-url lists).
              .lenient_query = true,
              .summary = "An SMS gateway that can set no header delivers a message (the token "
                         "in the path)",
              .tag = "intake"});
  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/sms/in/{token}",
              .access = http::Access::kTokenInPath,
              .handler = receive,
              .max_body = 1024,
              // A gateway names its own query parameters (Kannel: whatever get-url lists).
              .lenient_query = true,
              .summary = "Kannel's get-url delivers a message (the token in the path)",
              .tag = "intake"});
  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/sms/gateways/{token_id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto token_id, ctx.IdParam("token_id"));
                ASSIGN_OR_RETURN(auto settings, s->MaskedGatewaySettings(ctx.caller(), token_id));
                return http::JsonResponse(GatewaySettingsJson(token_id, settings));
              },
              .summary = "An SMS gateway token's settings, secrets masked (administrator or CDT "
                         "chief)",
              .tag = "intake"});
  router.Add(
      {.method = "PUT",
       .pattern = "/api/v1/intake/sms/gateways/{token_id}",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         ASSIGN_OR_RETURN(auto token_id, ctx.IdParam("token_id"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         http::JsonFields fields(body);
         SmsGatewaySettingsPatch patch;
         ASSIGN_OR_RETURN(patch.twilio_auth_token, fields.OptionalString("twilio_auth_token", 200));
         ASSIGN_OR_RETURN(patch.public_url, fields.OptionalString("public_url", 2000));
         ASSIGN_OR_RETURN(patch.signing_key, fields.OptionalString("signing_key", 200));
         ASSIGN_OR_RETURN(patch.outgoing_url, fields.OptionalString("outgoing_url", 2000));
         ASSIGN_OR_RETURN(patch.outgoing_username, fields.OptionalString("outgoing_username", 200));
         ASSIGN_OR_RETURN(patch.outgoing_secret, fields.OptionalString("outgoing_secret", 500));
         ASSIGN_OR_RETURN(patch.sender, fields.OptionalString("sender", 64));
         RETURN_IF_ERROR(fields.Finish());
         RETURN_IF_ERROR(s->SetGatewaySettings(ctx.caller(), token_id, patch, InfoOf(ctx.request)));
         ASSIGN_OR_RETURN(auto settings, s->MaskedGatewaySettings(ctx.caller(), token_id));
         return http::JsonResponse(GatewaySettingsJson(token_id, settings));
       },
       .max_body = 16 * 1024,
       .summary = "Set an SMS gateway token's settings: Twilio's auth token and URL, Android's "
                  "signing key, the outgoing API (administrator or CDT chief; audited)",
       .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/quarantine",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto list, s->ListQuarantine(ctx.caller()));
                json::array out;
                for (const auto& q : list) {
                  out.emplace_back(json::object{{"id", q.id},
                                                {"received_at", FormatIso8601(q.received_at)},
                                                {"channel", q.channel},
                                                {"reason", q.reason},
                                                {"resolved_at", TimeOrNull(q.resolved_at)}});
                }
                return http::JsonResponse(json::object{{"messages", std::move(out)}});
              },
              .summary = "Messages that could not be filed (malformed e-mail), kept for a human",
              .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/quarantine/{id}",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
                ASSIGN_OR_RETURN(auto raw,
                                 s->OpenQuarantined(ctx.caller(), id, InfoOf(ctx.request)));
                return http::DownloadResponse(std::move(raw), "application/octet-stream",
                                              "quarantined-" + std::to_string(id) + ".eml");
              },
              .summary = "The raw bytes of a quarantined message (intake readers; audited)",
              .tag = "intake"});

  router.Add({.method = "POST",
              .pattern = "/api/v1/intake/quarantine/{id}/resolve",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto id, ctx.IdParam("id"));
                RETURN_IF_ERROR(s->ResolveQuarantined(ctx.caller(), id, InfoOf(ctx.request)));
                return http::NoContent();
              },
              .max_body = 1024,
              .summary = "Mark a quarantined message as dealt with",
              .tag = "intake"});

  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/intake/partner/complaints",
       .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
         RETURN_IF_ERROR(security::AuthorizeScope(ctx.caller(), "intake.partner"));
         ASSIGN_OR_RETURN(auto body, http::ParseJsonObject(ctx.request));
         ASSIGN_OR_RETURN(auto complaint, ParseComplaint(body, false));
         ASSIGN_OR_RETURN(auto submitted, s->SubmitPartner(ctx.caller(), std::move(complaint),
                                                           InfoOf(ctx.request)));
         return http::JsonResponse(
             json::object{{"id", submitted.complaint.id},
                          {"status", PublicStatusName(PublicStatusOf(submitted.complaint.status))},
                          {"received_at", FormatIso8601(submitted.complaint.received_at)},
                          {"receipt_code", submitted.receipt_code}},
             201);
       },
       .max_body = kComplaintBody,
       .summary = "A partner organisation submits a complaint (token scope intake.partner)",
       .tag = "intake"});

  router.Add({.method = "GET",
              .pattern = "/api/v1/intake/partner/complaints",
              .handler = [s](RequestContext& ctx) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(auto complaints, s->PartnerSubmissions(ctx.caller()));
                json::array out;
                for (const auto& c : complaints) {
                  out.emplace_back(
                      json::object{{"id", c.id},
                                   {"status", PublicStatusName(PublicStatusOf(c.status))},
                                   {"received_at", FormatIso8601(c.received_at)}});
                }
                return http::JsonResponse(json::object{{"complaints", std::move(out)}});
              },
              .summary = "The status of this partner token's own submissions",
              .tag = "intake"});
}

}  // namespace psea::intake
