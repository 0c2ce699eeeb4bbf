// Units and their focal points. Other modules refer to units by id and call this service;
// only this module reads its tables (through UnitsStore, store.h, which holds its SQL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/units/model.h"
#include "modules/units/store.h"
#include "security/audit.h"
#include "security/permissions.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::units {

class UnitsService {
 public:
  UnitsService(storage::Database& database, const Clock& clock, const security::AuditLog& audit)
      : database_(database), clock_(clock), audit_(audit) {}

  static std::vector<storage::Migration> Migrations() { return UnitsStore::Migrations(); }

  Result<std::vector<Unit>> List();
  Result<Unit> Get(std::int64_t id);
  Result<Unit> Create(const security::Principal& actor, Unit unit, const std::string& request_id);
  Result<Unit> Update(const security::Principal& actor, std::int64_t id, const UnitPatch& patch,
                      const std::string& request_id);
  // The units a user is a focal point of.
  Result<std::vector<std::int64_t>> UnitsOfUser(std::int64_t user_id);

  // Splits partner text on ';', ',', newlines, "and", brackets and matches each piece to a
  // unit by code, name or alias (case-insensitive). A piece that names several units
  // ("MINUSCA Force and Police") is split on " and ".
  Result<UnitMatch> Match(const std::string& partner_text);
  // Pure matching against a list (exposed for tests).
  static UnitMatch MatchAgainst(const std::vector<Unit>& units, const std::string& partner_text);

 private:
  // kNotFound when there is no such unit.
  Result<Unit> Load(storage::Connection& c, std::int64_t id) const;

  storage::Database& database_;
  UnitsStore store_;
  const Clock& clock_;
  const security::AuditLog& audit_;
};

}  // namespace psea::units
