// HTTP endpoints of the providers module: /api/v1/providers... (the directory, one entry, its
// sealed contacts, its verification and deactivation, its case managers' accounts).
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/providers/service.h"

namespace psea::providers {

void RegisterProviderRoutes(http::Router& router, ProvidersService& providers);

// `stale` as the service computes it for now.
boost::json::object ProviderJson(const Provider& provider, bool stale);

}  // namespace psea::providers
