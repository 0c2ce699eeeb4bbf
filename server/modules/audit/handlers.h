// HTTP endpoints of the audit log: GET /api/v1/audit (JSON, or CSV for export).
#pragma once

#include "http/router.h"
#include "security/audit.h"
#include "storage/database.h"

namespace psea::audit {

void RegisterAuditRoutes(http::Router& router, storage::Database& database,
                         const security::AuditLog& audit);

}  // namespace psea::audit
