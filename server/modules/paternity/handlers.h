// HTTP endpoints of the paternity module: /api/v1/paternity/... (claims of an assistance file,
// their sealed part and its reveal, the DNA sample's custody, child support and payments, the
// figure of open claims by age, and the sealed parts' key sync).
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/paternity/service.h"

namespace psea::paternity {

void RegisterPaternityRoutes(http::Router& router, PaternityService& paternity);

boost::json::object ClaimJson(const ClaimView& view);

}  // namespace psea::paternity
