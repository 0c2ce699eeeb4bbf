// HTTP endpoints of the units module: /api/v1/units.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/accounts/service.h"
#include "modules/units/service.h"

namespace psea::units {

// Focal points are users: their names come from the accounts service.
void RegisterUnitRoutes(http::Router& router, UnitsService& units,
                        accounts::AccountsService& accounts);

boost::json::object UnitJson(const Unit& unit);

}  // namespace psea::units
