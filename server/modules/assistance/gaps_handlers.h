// HTTP endpoints of the gap table and the VRA's overdue victim contacts:
// GET /api/v1/assistance/gaps and GET /api/v1/assistance/overdue-contacts.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/assistance/gaps_service.h"

namespace psea::assistance {

void RegisterGapsRoutes(http::Router& router, GapsService& gaps);

boost::json::object GapTableJson(const GapTable& table);

}  // namespace psea::assistance
