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

SubPrefecture ReadSubPrefecture(const YAML::Node& node, const std::string& field,
                                std::set<std::string>& seen_codes) {
  CheckMapping(node, field, {"code", "name", "towns"});
  SubPrefecture sub_prefecture;
  sub_prefecture.code = RequiredCode(node, field, seen_codes);
  sub_prefecture.name = RequiredText(node, field, "name", kMaxNameBytes);
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

std::vector<Prefecture> ReadDocument(const YAML::Node& root) {
  CheckMapping(root, "", {"prefectures"});
  const YAML::Node prefectures = RequiredList(root, "", "prefectures", false);
  std::vector<Prefecture> out;
  std::set<std::string> seen_codes;
  std::set<std::string> prefecture_names;
  for (std::size_t p = 0; p < prefectures.size(); ++p) {
    const std::string field = Item("prefectures", p);
    const YAML::Node node = prefectures[p];
    CheckMapping(node, field, {"code", "name", "sub_prefectures"});
    Prefecture prefecture;
    prefecture.code = RequiredCode(node, field, seen_codes);
    prefecture.name = RequiredText(node, field, "name", kMaxNameBytes);
    if (!prefecture_names.insert(prefecture.name).second) {
      Fail(Join(field, "name"), node["name"], "(" + prefecture.name + ") is used twice");
    }
    const YAML::Node subs = RequiredList(node, field, "sub_prefectures", false);
    std::set<std::string> sub_names;
    for (std::size_t s = 0; s < subs.size(); ++s) {
      const std::string sub_field = Item(Join(field, "sub_prefectures"), s);
      SubPrefecture sub = ReadSubPrefecture(subs[s], sub_field, seen_codes);
      if (!sub_names.insert(sub.name).second) {
        Fail(Join(sub_field, "name"), subs[s]["name"],
             "(" + sub.name + ") appears twice in this prefecture");
      }
      prefecture.sub_prefectures.push_back(std::move(sub));
    }
    out.push_back(std::move(prefecture));
  }
  return out;
}

}  // namespace

Result<std::vector<Prefecture>> ParseLocationsYaml(std::string_view text) {
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

boost::json::array PlacesJson(const std::vector<Prefecture>& places) {
  namespace json = boost::json;
  json::array out;
  for (const auto& p : places) {
    json::array subs;
    for (const auto& sp : p.sub_prefectures) {
      json::array towns;
      for (const auto& t : sp.towns) towns.emplace_back(t.name);
      subs.emplace_back(
          json::object{{"code", sp.code}, {"name", sp.name}, {"towns", std::move(towns)}});
    }
    out.emplace_back(
        json::object{{"code", p.code}, {"name", p.name}, {"sub_prefectures", std::move(subs)}});
  }
  return out;
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
