// The reference list of places in the Central African Republic used to say where an incident
// happened: prefectures, their sub-prefectures and towns, MINUSCA's field offices each
// sub-prefecture belongs to, and named sites (camps, IDP sites). Loaded from a file under data/
// (data/locations/car.yaml) into the database, then edited by the CDT.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "core/result.h"

namespace psea::intake {

struct Town {
  std::string name;
};

struct SubPrefecture {
  std::string code;  // stable, e.g. "OP-BOZ" (unique in the file)
  std::string name;
  std::vector<Town> towns;
  std::string field_office;  // the MINUSCA field office it belongs to (a code), may be empty
};

struct Prefecture {
  std::string code;  // stable, e.g. "OP" (unique in the file)
  std::string name;
  std::vector<SubPrefecture> sub_prefectures;
  std::string pcode;  // OCHA admin1 P-code ("CF11"), may be empty
};

struct FieldOffice {
  std::string code;  // stable, e.g. "BBR" (unique among field offices)
  std::string name;
};

// The kinds of site; a site's `type` is one of these.
inline constexpr std::string_view kSiteTypes[] = {"mission_camp_or_base", "idp_site", "other"};

struct Site {
  std::string code;  // stable, e.g. "S-MPOKO" (unique among sites; complaints keep it)
  std::string name;
  std::string type;            // one of kSiteTypes
  std::string sub_prefecture;  // the code of the sub-prefecture it lies in
};

// The whole list. Field offices and sites are lists of their own, not parts of the tree: a
// field office covers sub-prefectures of several prefectures, and a site is named by code from
// complaints and the risk register.
struct PlacesList {
  std::vector<FieldOffice> field_offices;
  std::vector<Prefecture> prefectures;
  std::vector<Site> sites;
};

// kInvalidArgument naming the line and field when the file is malformed, a code repeats or a
// reference (a sub-prefecture's field office, a site's sub-prefecture) names nothing in the
// file.
Result<PlacesList> ParseLocationsYaml(std::string_view text);

// {"prefectures": [{"code","name","pcode"?,"sub_prefectures": [{"code","name","field_office",
// "towns": ["..."]}]}], "field_offices": [{"code","name"}], "sites": [{"code","name","type",
// "sub_prefecture"}]}: the shape the API answers with and the database keeps.
boost::json::object PlacesJson(const PlacesList& places);

// The field office a sub-prefecture belongs to ("" when unknown), and a field office's
// sub-prefectures.
std::string FieldOfficeOf(const std::vector<Prefecture>& places, std::string_view sub_prefecture);
std::vector<std::string> SubPrefecturesOf(const std::vector<Prefecture>& places,
                                          std::string_view field_office);
inline std::string FieldOfficeOf(const PlacesList& places, std::string_view sub_prefecture) {
  return FieldOfficeOf(places.prefectures, sub_prefecture);
}
inline std::vector<std::string> SubPrefecturesOf(const PlacesList& places,
                                                 std::string_view field_office) {
  return SubPrefecturesOf(places.prefectures, field_office);
}

}  // namespace psea::intake
