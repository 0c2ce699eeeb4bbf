// The intake's HTTP API (/api/v1/intake/...) and the public reporting pages (/report).
#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "modules/intake/locations.h"
#include "modules/intake/service.h"

namespace psea::intake {

void RegisterIntakeRoutes(http::Router& router, IntakeService& service);

// The public pages: /report (the form), /report/follow-up (status and messages with a receipt
// code). Plain HTML forms that work without JavaScript, in French and English.
// data/locations/car.yaml, embedded at build time.
const std::string& CarPlacesYaml();

void RegisterPublicPages(http::Router& router, IntakeService& service);

}  // namespace psea::intake
