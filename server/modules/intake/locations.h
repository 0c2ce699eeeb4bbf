// The reference list of places in the Central African Republic used to say where an incident
// happened: prefectures, their sub-prefectures and towns. Loaded from a file under data/
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
};

// kInvalidArgument naming the line and field when the file is malformed or a code repeats.
Result<std::vector<Prefecture>> ParseLocationsYaml(std::string_view text);

// [{"code","name","sub_prefectures": [{"code","name","towns": ["..."]}]}]: the shape the API
// answers with and the database keeps.
boost::json::array PlacesJson(const std::vector<Prefecture>& places);

// The field office a sub-prefecture belongs to ("" when unknown), and a field office's
// sub-prefectures.
std::string FieldOfficeOf(const std::vector<Prefecture>& places, std::string_view sub_prefecture);
std::vector<std::string> SubPrefecturesOf(const std::vector<Prefecture>& places,
                                          std::string_view field_office);

}  // namespace psea::intake
