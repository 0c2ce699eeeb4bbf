// HTTP endpoints of the retention module: /api/v1/retention/... (policies, legal holds, the
// purge's preview). The purge itself runs from the command line and the server's daily run.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/retention/service.h"

namespace psea::retention {

void RegisterRetentionRoutes(http::Router& router, RetentionService& retention);

boost::json::object PolicyJson(const Policy& policy);
boost::json::object HoldJson(const Hold& hold);
boost::json::object RunReportJson(const RunReport& report);

}  // namespace psea::retention
