// HTTP endpoints of the action plan: /api/v1/plans, /api/v1/activities, /api/v1/evidence,
// /api/v1/my/activities, /api/v1/indicators.
#pragma once

#include "http/router.h"
#include "modules/plan/service.h"

namespace psea::plan {

void RegisterPlanRoutes(http::Router& router, PlanService& service);

}  // namespace psea::plan
