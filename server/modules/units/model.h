// Organisation units (CDT, SCPI, Force, Police, OIOS, VRA, UN agencies, ...) shared by every
// module, each with focal points (users).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace psea::units {

struct FocalPoint {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
};

struct Unit {
  std::int64_t id = 0;
  std::string code;                  // "CDT"
  std::string name;                  // "Conduct and Discipline Team"
  std::vector<std::string> aliases;  // other spellings found in plans: "[CDT]", "MINUSCA CDT"
  std::vector<FocalPoint> focal_points;
};

struct UnitPatch {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> aliases;
  // Replaces the focal points; the caller resolves user names through the accounts service.
  std::optional<std::vector<FocalPoint>> focal_points;
};

// The result of matching free partner text ("MINUSCA Force and Police; [OIOS]") to units.
struct UnitMatch {
  std::vector<std::int64_t> unit_ids;  // matched, in order of first appearance, no duplicates
  std::vector<std::string> unmatched;  // names that matched no unit, as written
};

}  // namespace psea::units
