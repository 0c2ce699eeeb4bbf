// The intake's HTTP API (/api/v1/intake/...) and the public reporting pages (/report).
#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "modules/intake/contact.h"
#include "modules/intake/locations.h"
#include "modules/intake/report_catalog.h"
#include "modules/intake/service.h"

namespace psea::intake {

void RegisterIntakeRoutes(http::Router& router, IntakeService& service);

// data/locations/car.yaml, embedded at build time.
const std::string& CarPlacesYaml();

// What the public pages show besides the form: the languages offered (their catalogs, the
// default first, each already complete: see LoadReportCatalogs) and how else to reach the team.
struct PublicPageSettings {
  std::vector<ReportCatalog> catalogs;  // empty: the pages show their keys (route-table tests)
  ReportingContact contact;
};

// Every catalog key the public pages read; LoadReportCatalogs checks the files against it.
const std::vector<std::string_view>& PublicPageKeys();

// The public pages: /report (the form), /report/follow-up (status and messages with a receipt
// code). Plain HTML forms that work without JavaScript, in the languages of `settings`.
void RegisterPublicPages(http::Router& router, IntakeService& service, PublicPageSettings settings);

}  // namespace psea::intake
