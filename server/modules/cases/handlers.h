// HTTP endpoints of allegation cases: /api/v1/cases... and /api/v1/case-readers.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/cases/service.h"

namespace psea::cases {

void RegisterCaseRoutes(http::Router& router, CasesService& cases);
// Victim contacts and the bi-weekly review (RegisterCaseRoutes calls it first).
void RegisterInformRoutes(http::Router& router, CasesService& cases);
// Figures, the UN public-table export and extracts (figures_handlers.cc). Registered before
// RegisterCaseRoutes: /api/v1/cases/figures and /export must match before /api/v1/cases/{id}.
void RegisterCaseFigureRoutes(http::Router& router, CasesService& cases);

// The case as the caller may see it.
boost::json::object CaseJson(const CaseView& view, bool with_lists);

}  // namespace psea::cases
