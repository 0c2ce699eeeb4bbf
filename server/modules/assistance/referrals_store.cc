#include "modules/assistance/referrals_store.h"

namespace psea::assistance {

using storage::Connection;
using storage::Opt;

namespace {

constexpr const char* kReferralColumns =
    "r.id, r.file_id, r.need_id, r.service, r.provider_id, COALESCE(p.name, ''), r.status, "
    "r.referred_at, r.referred_by, r.referred_by_username, r.consent_id, r.emergency, "
    "r.justification, r.service_started_at, r.closed_at, r.outcome, r.notes, "
    "r.last_follow_up_at, r.next_follow_up_at, r.is_current, r.updated_at, r.updated_by, "
    "r.version";
constexpr std::size_t kReferralColumnCount = 23;

Referral ReferralFromRow(const storage::Row& row) {
  Referral r;
  r.id = row.Int(0);
  r.file_id = row.Int(1);
  r.need_id = row.Int(2);
  r.service = row.Text(3);
  r.provider_id = row.Int(4);
  r.provider_name = row.Text(5);
  r.status = row.Text(6);
  r.referred_at = row.Int(7);
  r.referred_by = row.Int(8);
  r.referred_by_username = row.Text(9);
  r.consent_id = row.OptInt(10);
  r.emergency = row.Bool(11);
  r.justification = row.Text(12);
  r.service_started_at = row.OptInt(13);
  r.closed_at = row.OptInt(14);
  r.outcome = row.Text(15);
  r.notes = row.Text(16);
  r.last_follow_up_at = row.OptInt(17);
  r.next_follow_up_at = row.OptInt(18);
  r.current = row.Bool(19);
  r.updated_at = row.Int(20);
  r.updated_by = row.Text(21);
  r.version = row.Int(22);
  return r;
}

// The SQL of "overdue" (parameter: now), the same rule as model.h IsOverdue.
constexpr const char* kOverdueSql =
    "CASE WHEN r.status IN ('referred', 'accepted', 'in_progress') AND r.next_follow_up_at < ? "
    "THEN 1 ELSE 0 END";

// The filters on the referral's columns shared by the table and the provider's list.
void AddReferralFilters(const TrackingFilter& filter, UnixMillis now, std::string& where,
                        storage::Params& params) {
  if (filter.status) {
    if (*filter.status == "not_referred") {
      where += " AND r.id IS NULL";
    } else {
      where += " AND r.status = ?";
      params.push_back(*filter.status);
    }
  }
  if (filter.provider_id) {
    where += " AND r.provider_id = ?";
    params.push_back(*filter.provider_id);
  }
  if (filter.overdue) {
    where += *filter.overdue
                 ? " AND r.status IN ('referred', 'accepted', 'in_progress') AND "
                   "r.next_follow_up_at < ?"
                 : " AND NOT (r.id IS NOT NULL AND r.status IN ('referred', 'accepted', "
                   "'in_progress') AND r.next_follow_up_at IS NOT NULL AND r.next_follow_up_at "
                   "< ?)";
    params.push_back(now);
  }
  if (filter.referred_from) {
    where += " AND r.referred_at >= ?";
    params.push_back(*filter.referred_from);
  }
  if (filter.referred_to) {
    where += " AND r.referred_at < ?";
    params.push_back(*filter.referred_to);
  }
}

}  // namespace

std::vector<storage::Migration> ReferralsStore::Migrations() {
  // is_current marks the newest referral of each need: the tracking table joins it by
  // (need_id, is_current) without a subquery per row; the partial index of the current ones
  // covers every column the table sorts and filters on, so that paging never reads the
  // referrals' rows (and PostgreSQL scans 15,000 entries, not 40,000).
  return {{"referrals", 1, "victims' referrals to service providers (the service tracking table)",
           R"sql(
CREATE TABLE assistance_referrals (
  id {{ID}},
  file_id BIGINT NOT NULL REFERENCES assistance_files (id),
  need_id BIGINT NOT NULL REFERENCES assistance_needs (id),
  service TEXT NOT NULL,
  provider_id BIGINT NOT NULL REFERENCES providers (id),
  status TEXT NOT NULL,
  referred_at BIGINT NOT NULL,
  referred_by BIGINT NOT NULL,
  referred_by_username TEXT NOT NULL,
  consent_id BIGINT REFERENCES assistance_consents (id),
  emergency INTEGER NOT NULL,
  justification TEXT NOT NULL,
  service_started_at BIGINT,
  closed_at BIGINT,
  outcome TEXT NOT NULL,
  notes TEXT NOT NULL,
  last_follow_up_at BIGINT,
  next_follow_up_at BIGINT,
  is_current INTEGER NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX assistance_referrals_need ON assistance_referrals (need_id, is_current);
CREATE INDEX assistance_referrals_tracking ON assistance_referrals (need_id, status, next_follow_up_at, referred_at, provider_id, service) WHERE is_current = 1;
CREATE INDEX assistance_referrals_file ON assistance_referrals (file_id, referred_at);
CREATE INDEX assistance_referrals_provider ON assistance_referrals (provider_id, status);
CREATE INDEX assistance_referrals_current ON assistance_referrals (is_current, status, next_follow_up_at);
CREATE INDEX assistance_referrals_started ON assistance_referrals (referred_at, service_started_at);
)sql"}};
}

Result<std::int64_t> ReferralsStore::Insert(Connection& c, const Referral& r) const {
  RETURN_IF_ERROR(c.Execute("UPDATE assistance_referrals SET is_current = 0 WHERE need_id = ? "
                            "AND is_current = 1",
                            {r.need_id})
                      .status());
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "INSERT INTO assistance_referrals (file_id, need_id, service, provider_id, status, "
          "referred_at, referred_by, referred_by_username, consent_id, emergency, justification, "
          "service_started_at, closed_at, outcome, notes, last_follow_up_at, next_follow_up_at, "
          "is_current, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, 1, ?, ?, 1) RETURNING id",
          {r.file_id, r.need_id, r.service, r.provider_id, r.status, r.referred_at, r.referred_by,
           r.referred_by_username, Opt(r.consent_id), std::int64_t{r.emergency ? 1 : 0},
           r.justification, Opt(r.service_started_at), Opt(r.closed_at), r.outcome, r.notes,
           Opt(r.last_follow_up_at), Opt(r.next_follow_up_at), r.updated_at, r.updated_by}));
  if (!row) return Internal("the referral was not stored");
  return row->Int(0);
}

Result<bool> ReferralsStore::Update(Connection& c, const Referral& r, std::int64_t expected) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE assistance_referrals SET status = ?, service_started_at = ?, closed_at = "
                "?, outcome = ?, notes = ?, last_follow_up_at = ?, next_follow_up_at = ?, "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ? AND version "
                "= ?",
                {r.status, Opt(r.service_started_at), Opt(r.closed_at), r.outcome, r.notes,
                 Opt(r.last_follow_up_at), Opt(r.next_follow_up_at), r.updated_at, r.updated_by,
                 r.id, expected}));
  return changed == 1;
}

Result<std::optional<Referral>> ReferralsStore::Find(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kReferralColumns +
                                            " FROM assistance_referrals r LEFT JOIN providers p "
                                            "ON p.id = r.provider_id WHERE r.id = ?",
                                        {id}));
  if (!row) return std::optional<Referral>();
  return std::optional<Referral>(ReferralFromRow(*row));
}

Result<std::vector<Referral>> ReferralsStore::OfFile(Connection& c, std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kReferralColumns +
                                          " FROM assistance_referrals r LEFT JOIN providers p ON "
                                          "p.id = r.provider_id WHERE r.file_id = ? ORDER BY "
                                          "r.referred_at, r.id",
                                      {file_id}));
  std::vector<Referral> out;
  for (const auto& row : rows.rows) out.push_back(ReferralFromRow(row));
  return out;
}

Result<std::vector<TrackingRow>> ReferralsStore::Tracking(Connection& c,
                                                          const TrackingFilter& filter,
                                                          UnixMillis now,
                                                          std::int64_t& total) const {
  storage::Params params;
  params.push_back(now);  // the overdue column
  std::string where = " WHERE 1 = 1";
  if (filter.service) {
    where += " AND COALESCE(r.service, n.type) = ?";
    params.push_back(*filter.service);
  }
  if (filter.prefecture) {
    where += " AND f.prefecture = ?";
    params.push_back(*filter.prefecture);
  }
  AddReferralFilters(filter, now, where, params);
  params.push_back(filter.limit);
  params.push_back(filter.offset);
  // One query: the inner one orders and pages narrow rows (need id, current referral id, the
  // sort keys; the referral's columns from its covering index) and counts them all with
  // COUNT(*) OVER () (SQLite 3.25+, PostgreSQL); the outer one fetches the page's 50 rows'
  // files, referrals and providers. Joining those for every row before paging cost three times
  // as much at 15,000 rows (docs/performance.md).
  const bool by_file = filter.prefecture.has_value();
  const std::string sql =
      std::string(
          "SELECT f.id, f.reference, f.prefecture, n.id, n.type, n.urgency, n.status, r.id, "
          "COALESCE(r.service, ''), r.provider_id, COALESCE(p.name, ''), COALESCE(r.status, ''), "
          "r.referred_at, r.service_started_at, r.last_follow_up_at, r.next_follow_up_at, "
          "COALESCE(r.emergency, 0), page.overdue, page.total FROM (SELECT n.id AS need_id, r.id "
          "AS referral_id, ") +
      kOverdueSql +
      " AS overdue, COALESCE(r.next_follow_up_at, 9000000000000000000) AS due, COUNT(*) OVER () "
      "AS total FROM assistance_needs n" +
      (by_file ? " JOIN assistance_files f ON f.id = n.file_id" : "") +
      " LEFT JOIN assistance_referrals r ON r.need_id = n.id AND r.is_current = 1" + where +
      " ORDER BY overdue DESC, due, n.id DESC LIMIT ? OFFSET ?) page JOIN assistance_needs n ON "
      "n.id = page.need_id JOIN assistance_files f ON f.id = n.file_id LEFT JOIN "
      "assistance_referrals r ON r.id = page.referral_id LEFT JOIN providers p ON p.id = "
      "r.provider_id ORDER BY page.overdue DESC, page.due, n.id DESC";
  std::vector<TrackingRow> out;
  total = -1;
  RETURN_IF_ERROR(c.ForEachRow(sql, params, [&](const storage::Row& row) -> Status {
    TrackingRow t;
    t.file_id = row.Int(0);
    t.file_reference = row.Text(1);
    t.prefecture = row.Text(2);
    t.need_id = row.Int(3);
    t.need_type = row.Text(4);
    t.urgency = row.Text(5);
    t.need_status = row.Text(6);
    t.referral_id = row.OptInt(7);
    t.service = row.Text(8);
    t.provider_id = row.OptInt(9);
    t.provider_name = row.Text(10);
    t.status = row.Text(11);
    t.referred_at = row.OptInt(12);
    t.service_started_at = row.OptInt(13);
    t.last_follow_up_at = row.OptInt(14);
    t.next_follow_up_at = row.OptInt(15);
    t.emergency = row.Int(16) != 0;
    t.overdue = row.Int(17) != 0;
    total = row.Int(18);
    out.push_back(std::move(t));
    return Status::Ok();
  }));
  if (total < 0) {
    // An offset past the end: no row to carry the total, so count apart (rare).
    params.resize(params.size() - 2);
    params.erase(params.begin());
    ASSIGN_OR_RETURN(
        auto count,
        c.QueryOne("SELECT COUNT(*) FROM assistance_needs n JOIN assistance_files f ON f.id = "
                   "n.file_id LEFT JOIN assistance_referrals r ON r.need_id = n.id AND "
                   "r.is_current = 1" +
                       where,
                   params));
    total = count ? count->Int(0) : 0;
  }
  return out;
}

Result<std::vector<ProviderReferralRow>> ReferralsStore::OfProvider(Connection& c,
                                                                    std::int64_t provider_id,
                                                                    const TrackingFilter& filter,
                                                                    UnixMillis now,
                                                                    std::int64_t& total) const {
  storage::Params params;
  params.push_back(now);
  params.push_back(provider_id);
  std::string where = " WHERE r.provider_id = ?";
  if (filter.service) {
    where += " AND r.service = ?";
    params.push_back(*filter.service);
  }
  TrackingFilter rest = filter;
  rest.provider_id.reset();
  AddReferralFilters(rest, now, where, params);
  params.push_back(filter.limit);
  params.push_back(filter.offset);
  const std::string sql = std::string("SELECT ") + kReferralColumns +
                          ", f.reference, n.type, n.urgency, " + kOverdueSql +
                          " AS overdue, COUNT(*) OVER () FROM assistance_referrals r JOIN "
                          "assistance_files f ON f.id = r.file_id JOIN assistance_needs n ON n.id "
                          "= r.need_id LEFT JOIN providers p ON p.id = r.provider_id" +
                          where +
                          " ORDER BY overdue DESC, r.referred_at DESC, r.id DESC LIMIT ? "
                          "OFFSET ?";
  std::vector<ProviderReferralRow> out;
  total = 0;
  ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  for (const auto& row : rows.rows) {
    ProviderReferralRow p;
    p.referral = ReferralFromRow(row);
    p.file_reference = row.Text(kReferralColumnCount);
    p.need_type = row.Text(kReferralColumnCount + 1);
    p.urgency = row.Text(kReferralColumnCount + 2);
    p.overdue = row.Int(kReferralColumnCount + 3) != 0;
    total = row.Int(kReferralColumnCount + 4);
    out.push_back(std::move(p));
  }
  if (out.empty() && filter.offset > 0) {
    params.resize(params.size() - 2);
    params.erase(params.begin());
    ASSIGN_OR_RETURN(auto count,
                     c.QueryOne("SELECT COUNT(*) FROM assistance_referrals r" + where, params));
    total = count ? count->Int(0) : 0;
  }
  return out;
}

Result<std::vector<FirstReferral>> ReferralsStore::FirstReferrals(Connection& c, UnixMillis from,
                                                                  UnixMillis to) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT f.opened_at, (SELECT MIN(r.referred_at) FROM "
                           "assistance_referrals r WHERE r.file_id = f.id) FROM assistance_files "
                           "f WHERE f.opened_at >= ? AND f.opened_at < ?",
                           {from, to}));
  std::vector<FirstReferral> out;
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.OptInt(1)});
  return out;
}

Result<std::vector<ServiceStart>> ReferralsStore::ServiceStarts(Connection& c, UnixMillis from,
                                                                UnixMillis to) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT referred_at, service_started_at FROM "
                                      "assistance_referrals WHERE referred_at >= ? AND "
                                      "referred_at < ? AND service_started_at IS NOT NULL",
                                      {from, to}));
  std::vector<ServiceStart> out;
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.Int(1)});
  return out;
}

}  // namespace psea::assistance
