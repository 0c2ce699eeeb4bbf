// HTTP endpoints of the evidence module: /api/v1/cases/{id}/evidence... (items, custody,
// attachments, the integrity check, the printable chain of custody) and /api/v1/cases/{id}/irt
// (the Immediate Response Team's deployments).
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/evidence/service.h"

namespace psea::evidence {

void RegisterEvidenceRoutes(http::Router& router, EvidenceService& evidence);

boost::json::object ItemJson(const Item& item);
boost::json::object IntegrityJson(const std::vector<ItemIntegrity>& items);
boost::json::object DeploymentJson(const Deployment& deployment);

}  // namespace psea::evidence
