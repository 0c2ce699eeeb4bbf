// HTTP endpoints of the victims' assistance module: /api/v1/assistance/... (the VRA's files,
// their sealed identity and its reveal, case links, designees, consents and needs).
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/assistance/service.h"

namespace psea::assistance {

void RegisterAssistanceRoutes(http::Router& router, AssistanceService& assistance);

boost::json::object FileJson(const FileView& view);
boost::json::object ConsentJson(const Consent& consent);
boost::json::object NeedJson(const NeedView& need);

}  // namespace psea::assistance
