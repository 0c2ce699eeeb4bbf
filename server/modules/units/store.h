// SQL for the units tables (org_units, org_unit_focal_points). Every method runs on the
// caller's connection, inside the caller's transaction when there is one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/units/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::units {

class UnitsStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // Every unit with its focal points, by code.
  Result<std::vector<Unit>> ListUnits(storage::Connection& c) const;
  Result<std::optional<Unit>> FindUnit(storage::Connection& c, std::int64_t id) const;
  // kConflict naming "code" when a unit has this code. Returns the new id.
  Result<std::int64_t> InsertUnit(storage::Connection& c, const Unit& unit, UnixMillis now) const;
  Status UpdateUnit(storage::Connection& c, std::int64_t id, const std::string& name,
                    const std::vector<std::string>& aliases) const;
  // Replaces the unit's focal points; a user named twice is kept once.
  Status ReplaceFocalPoints(storage::Connection& c, std::int64_t unit_id,
                            const std::vector<FocalPoint>& points) const;
  // The units a user is a focal point of, by id.
  Result<std::vector<std::int64_t>> ListUnitsOfUser(storage::Connection& c,
                                                    std::int64_t user_id) const;
};

}  // namespace psea::units
