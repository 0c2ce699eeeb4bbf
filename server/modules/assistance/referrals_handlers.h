// HTTP endpoints of the referrals: /api/v1/assistance/files/{id}/referrals (refer, the file's
// referrals), /api/v1/assistance/referrals/{id} (read, record progress),
// /api/v1/assistance/tracking (the service tracking table and its CSV/XLSX export),
// /api/v1/assistance/provider-portal (a provider case manager's referrals) and
// /api/v1/assistance/referral-figures.
#pragma once

#include <boost/json.hpp>

#include "http/router.h"
#include "modules/assistance/referrals.h"

namespace psea::assistance {

void RegisterReferralRoutes(http::Router& router, ReferralsService& referrals);

boost::json::object ReferralJson(const ReferralView& view);

}  // namespace psea::assistance
