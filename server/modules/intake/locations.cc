#include "modules/intake/locations.h"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace psea::intake {

namespace {

constexpr std::size_t kMaxCodeChars = 32;
constexpr std::size_t kMaxNameBytes = 200;

// Thrown out of the readers with the first error; caught in ParseLocationsYaml.
struct LocationsFileError {
  std::string field;
  int line;
  std::string message;
};

[[noreturn]] void Fail(const std::string& field, const YAML::Node& node,
                       const std::string& message) {
  const int line = node.IsDefined() ? node.Mark().line + 1 : 0;
  throw LocationsFileError{field, line, message};
}

std::string Join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// A mapping whose keys must all be among `known`: a misspelt key would otherwise drop data
// silently.
void CheckMapping(const YAML::Node& node, const std::string& field,
                  std::initializer_list<const char*> known) {
  if (!node.IsMap()) Fail(field.empty() ? "(document)" : field, node, "must be a mapping");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
    bool found = false;
    for (const char* name : known) found = found || key == name;
    if (!found) {
      Fail(Join(field, key), it->first, "is not a field of this format");
    }
  }
}

// A name or code: a scalar, trimmed, non-empty, without control characters.
std::string Text(const YAML::Node& value, const std::string& field, std::size_t max_bytes) {
  if (!value.IsScalar()) Fail(field, value, "must be text");
  std::string text = value.Scalar();
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) Fail(field, value, "must not be empty");
  text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      Fail(field, value, "must not contain control characters");
    }
  }
  if (text.size() > max_bytes) Fail(field, value, "is too long");
  return text;
}

std::string RequiredText(const YAML::Node& map, const std::string& parent, const char* key,
                         std::size_t max_bytes) {
  const std::string field = Join(parent, key);
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) Fail(field, map, "is required");
  return Text(value, field, max_bytes);
}

// Codes are what other records refer to, so they are kept to a plain form: "OMP", "OMP-BOA".
std::string RequiredCode(const YAML::Node& map, const std::string& parent,
                         std::set<std::string>& seen_codes) {
  const std::string code = RequiredText(map, parent, "code", kMaxCodeChars);
  const YAML::Node value = map["code"];
  for (const char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
      Fail(Join(parent, "code"), value, "must be capital letters, digits and '-'");
    }
  }
  if (!seen_codes.insert(code).second) {
    Fail(Join(parent, "code"), value, "(" + code + ") is used twice in the file");
  }
  return code;
}

// A list under `key` with at least one item (`allow_missing`: or absent, giving no items).
YAML::Node RequiredList(const YAML::Node& map, const std::string& parent, const char* key,
                        bool allow_missing) {
  const std::string field = Join(parent, key);
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) {
    if (allow_missing) return YAML::Node(YAML::NodeType::Sequence);
    Fail(field, map, "is required");
  }
  if (!value.IsSequence()) Fail(field, value, "must be a list");
  if (value.size() == 0 && !allow_missing) Fail(field, value, "must have at least one item");
  return value;
}

std::string Item(const std::string& field, std::size_t index) {
  return field + "[" + std::to_string(index) + "]";
}

// An optional code naming something else in the file: "" when absent.
std::string OptionalReference(const YAML::Node& map, const std::string& parent, const char* key) {
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) return "";
  return Text(value, Join(parent, key), kMaxCodeChars);
}

SubPrefecture ReadSubPrefecture(const YAML::Node& node, const std::string& field,
                                std::set<std::string>& seen_codes,
                                const std::set<std::string>& field_offices) {
  CheckMapping(node, field, {"code", "name", "towns", "field_office"});
  SubPrefecture sub_prefecture;
  sub_prefecture.code = RequiredCode(node, field, seen_codes);
  sub_prefecture.name = RequiredText(node, field, "name", kMaxNameBytes);
  sub_prefecture.field_office = OptionalReference(node, field, "field_office");
  if (!sub_prefecture.field_office.empty() &&
      !field_offices.contains(sub_prefecture.field_office)) {
    Fail(Join(field, "field_office"), node["field_office"],
         "(" + sub_prefecture.field_office + ") is not a code of field_offices");
  }
  const YAML::Node towns = RequiredList(node, field, "towns", true);
  std::set<std::string> town_names;
  for (std::size_t i = 0; i < towns.size(); ++i) {
    const std::string town_field = Item(Join(field, "towns"), i);
    const YAML::Node town = towns[i];
    // yaml-cpp marks an empty item after its end, so the list's own line is the better hint.
    if (town.IsNull()) Fail(town_field, towns, "must not be empty");
    Town parsed{Text(town, town_field, kMaxNameBytes)};
    if (!town_names.insert(parsed.name).second) {
      Fail(town_field, town, "(" + parsed.name + ") appears twice in this sub-prefecture");
    }
    sub_prefecture.towns.push_back(std::move(parsed));
  }
  return sub_prefecture;
}

std::vector<FieldOffice> ReadFieldOffices(const YAML::Node& root) {
  const YAML::Node list = RequiredList(root, "", "field_offices", true);
  std::vector<FieldOffice> out;
  std::set<std::string> seen_codes;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = Item("field_offices", i);
    const YAML::Node node = list[i];
    CheckMapping(node, field, {"code", "name"});
    FieldOffice office;
    office.code = RequiredCode(node, field, seen_codes);
    office.name = RequiredText(node, field, "name", kMaxNameBytes);
    if (!names.insert(office.name).second) {
      Fail(Join(field, "name"), node["name"], "(" + office.name + ") is used twice");
    }
    out.push_back(std::move(office));
  }
  return out;
}

std::vector<Site> ReadSites(const YAML::Node& root, const std::set<std::string>& sub_prefectures) {
  const YAML::Node list = RequiredList(root, "", "sites", true);
  std::vector<Site> out;
  std::set<std::string> seen_codes;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = Item("sites", i);
    const YAML::Node node = list[i];
    CheckMapping(node, field, {"code", "name", "type", "sub_prefecture"});
    Site site;
    site.code = RequiredCode(node, field, seen_codes);
    // A complaint keeps its site in 16 bytes.
    if (site.code.size() > 16) Fail(Join(field, "code"), node["code"], "is too long");
    site.name = RequiredText(node, field, "name", kMaxNameBytes);
    site.type = RequiredText(node, field, "type", kMaxCodeChars);
    bool known_type = false;
    for (const auto type : kSiteTypes) known_type = known_type || site.type == type;
    if (!known_type) {
      Fail(Join(field, "type"), node["type"], "must be mission_camp_or_base, idp_site or other");
    }
    site.sub_prefecture = RequiredText(node, field, "sub_prefecture", kMaxCodeChars);
    if (!sub_prefectures.contains(site.sub_prefecture)) {
      Fail(Join(field, "sub_prefecture"), node["sub_prefecture"],
           "(" + site.sub_prefecture + ") is not a sub-prefecture of the file");
    }
    out.push_back(std::move(site));
  }
  return out;
}

// An OCHA P-code: capital letters then digits ("CF11").
std::string OptionalPcode(const YAML::Node& node, const std::string& parent) {
  const YAML::Node value = node["pcode"];
  if (!value.IsDefined() || value.IsNull()) return "";
  const std::string pcode = Text(value, Join(parent, "pcode"), 16);
  const auto digits = pcode.find_first_of("0123456789");
  bool valid = digits != 0 && digits != std::string::npos;
  for (std::size_t i = 0; valid && i < pcode.size(); ++i) {
    valid =
        i < digits ? (pcode[i] >= 'A' && pcode[i] <= 'Z') : (pcode[i] >= '0' && pcode[i] <= '9');
  }
  if (!valid) Fail(Join(parent, "pcode"), value, "must be capital letters then digits (CF11)");
  return pcode;
}

PlacesList ReadDocument(const YAML::Node& root) {
  CheckMapping(root, "", {"field_offices", "prefectures", "sites"});
  PlacesList out;
  out.field_offices = ReadFieldOffices(root);
  std::set<std::string> office_codes;
  for (const auto& office : out.field_offices) office_codes.insert(office.code);
  const YAML::Node prefectures = RequiredList(root, "", "prefectures", false);
  std::set<std::string> seen_codes;
  std::set<std::string> prefecture_names;
  std::set<std::string> sub_prefecture_codes;
  for (std::size_t p = 0; p < prefectures.size(); ++p) {
    const std::string field = Item("prefectures", p);
    const YAML::Node node = prefectures[p];
    CheckMapping(node, field, {"code", "name", "pcode", "sub_prefectures"});
    Prefecture prefecture;
    prefecture.code = RequiredCode(node, field, seen_codes);
    prefecture.name = RequiredText(node, field, "name", kMaxNameBytes);
    prefecture.pcode = OptionalPcode(node, field);
    if (!prefecture_names.insert(prefecture.name).second) {
      Fail(Join(field, "name"), node["name"], "(" + prefecture.name + ") is used twice");
    }
    const YAML::Node subs = RequiredList(node, field, "sub_prefectures", false);
    std::set<std::string> sub_names;
    for (std::size_t s = 0; s < subs.size(); ++s) {
      const std::string sub_field = Item(Join(field, "sub_prefectures"), s);
      SubPrefecture sub = ReadSubPrefecture(subs[s], sub_field, seen_codes, office_codes);
      if (!sub_names.insert(sub.name).second) {
        Fail(Join(sub_field, "name"), subs[s]["name"],
             "(" + sub.name + ") appears twice in this prefecture");
      }
      sub_prefecture_codes.insert(sub.code);
      prefecture.sub_prefectures.push_back(std::move(sub));
    }
    out.prefectures.push_back(std::move(prefecture));
  }
  out.sites = ReadSites(root, sub_prefecture_codes);
  return out;
}

}  // namespace

Result<PlacesList> ParseLocationsYaml(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsDefined() || root.IsNull()) {
      return InvalidArgument("line 1: the file is empty", "prefectures");
    }
    return ReadDocument(root);
  } catch (const LocationsFileError& error) {
    return InvalidArgument(
        "line " + std::to_string(error.line) + ": " + error.field + " " + error.message,
        error.field);
  } catch (const YAML::Exception& error) {
    return InvalidArgument("line " + std::to_string(error.mark.line + 1) +
                               ": the file is not valid YAML: " + error.msg,
                           "(document)");
  }
}

boost::json::object PlacesJson(const PlacesList& places) {
  namespace json = boost::json;
  json::array prefectures;
  for (const auto& p : places.prefectures) {
    json::array subs;
    for (const auto& sp : p.sub_prefectures) {
      json::array towns;
      for (const auto& t : sp.towns) towns.emplace_back(t.name);
      subs.emplace_back(json::object{{"code", sp.code},
                                     {"name", sp.name},
                                     {"field_office", sp.field_office},
                                     {"towns", std::move(towns)}});
    }
    json::object prefecture{{"code", p.code}, {"name", p.name}};
    if (!p.pcode.empty()) prefecture["pcode"] = p.pcode;
    prefecture["sub_prefectures"] = std::move(subs);
    prefectures.emplace_back(std::move(prefecture));
  }
  json::array field_offices;
  for (const auto& office : places.field_offices) {
    field_offices.emplace_back(json::object{{"code", office.code}, {"name", office.name}});
  }
  json::array sites;
  for (const auto& site : places.sites) {
    sites.emplace_back(json::object{{"code", site.code},
                                    {"name", site.name},
                                    {"type", site.type},
                                    {"sub_prefecture", site.sub_prefecture}});
  }
  return json::object{{"prefectures", std::move(prefectures)},
                      {"field_offices", std::move(field_offices)},
                      {"sites", std::move(sites)}};
}

std::string FieldOfficeOf(const std::vector<Prefecture>& places, std::string_view sub_prefecture) {
  if (sub_prefecture.empty()) return "";
  for (const auto& prefecture : places) {
    for (const auto& sub : prefecture.sub_prefectures) {
      if (sub.code == sub_prefecture) return sub.field_office;
    }
  }
  return "";
}

std::vector<std::string> SubPrefecturesOf(const std::vector<Prefecture>& places,
                                          std::string_view field_office) {
  std::vector<std::string> out;
  for (const auto& prefecture : places) {
    for (const auto& sub : prefecture.sub_prefectures) {
      if (sub.field_office == field_office) out.push_back(sub.code);
    }
  }
  return out;
}

}  // namespace psea::intake
