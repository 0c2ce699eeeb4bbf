#include "modules/assistance/gaps_store.h"

namespace psea::assistance {

using storage::Connection;

Result<std::vector<NeedDemand>> GapsStore::NeedsByPrefectureAndType(Connection& c) const {
  ASSIGN_OR_RETURN(
      auto rows,
      // Assisted: the need is met, or a referral of it has its service started (the provider's
      // case manager recorded it), whatever the referral's status since.
      c.Query("SELECT f.prefecture, n.type, COUNT(DISTINCT CASE WHEN n.status = 'open' AND "
              "f.status = 'open' THEN n.file_id END), COUNT(DISTINCT CASE WHEN n.status = 'met' "
              "OR EXISTS (SELECT 1 FROM assistance_referrals r WHERE r.need_id = n.id AND "
              "r.is_current = 1 AND r.service_started_at IS NOT NULL) THEN n.file_id END) FROM "
              "assistance_needs n JOIN assistance_files f ON f.id = n.file_id WHERE n.status IN "
              "('open', 'met') GROUP BY f.prefecture, n.type",
              {}));
  std::vector<NeedDemand> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    out.push_back({row.Text(0), row.Text(1), row.Int(2), row.Int(3)});
  }
  return out;
}

Result<std::int64_t> GapsStore::FilesWithNeedMetBetween(Connection& c, UnixMillis from,
                                                        UnixMillis to) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(DISTINCT file_id) FROM assistance_needs "
                                        "WHERE status = 'met' AND closed_at >= ? AND closed_at < ?",
                                        {from, to}));
  return row ? row->Int(0) : 0;
}

}  // namespace psea::assistance
