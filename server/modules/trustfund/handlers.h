// HTTP endpoints of the Trust Fund: /api/v1/trust-fund/... (projects and their beneficiaries'
// counts, transfers of withheld amounts, the figures, the CSV and XLSX exports).
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/trustfund/service.h"

namespace psea::trustfund {

void RegisterTrustFundRoutes(http::Router& router, TrustFundService& trust_fund);

boost::json::object ProjectJson(const ProjectView& view);
boost::json::object TransferJson(const TransferView& view);
boost::json::object FiguresJson(const Figures& figures);

}  // namespace psea::trustfund
