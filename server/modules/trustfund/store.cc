#include "modules/trustfund/store.h"

namespace psea::trustfund {

using storage::Connection;

namespace {
constexpr const char* kProjectColumns =
    "id, title, partner, provider_id, amount_minor, currency, start_day, end_day, prefectures, "
    "services, status, notes, version, created_at, updated_at, updated_by";
constexpr const char* kBeneficiaryColumns =
    "id, project_id, period_start, period_end, women, girls, men, boys, children_born_of_sea, "
    "note, recorded_at, recorded_by";
constexpr const char* kTransferColumns =
    "id, transfer_day, amount_minor, currency, contributor, case_id, reference, notes, version, "
    "created_at, updated_at, updated_by";

// Codes of closed vocabularies, one per line (they hold no line breaks).
std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Project ProjectFromRow(const storage::Row& row) {
  Project p;
  p.id = row.Int(0);
  p.title = row.Text(1);
  p.partner = row.Text(2);
  p.provider_id = row.OptInt(3);
  p.amount_minor = row.Int(4);
  p.currency = row.Text(5);
  p.start_day = row.Int(6);
  p.end_day = row.Int(7);
  p.prefectures = SplitLines(row.Text(8));
  p.services = SplitLines(row.Text(9));
  p.status = row.Text(10);
  p.notes = row.Text(11);
  p.version = row.Int(12);
  p.created_at = row.Int(13);
  p.updated_at = row.Int(14);
  p.updated_by = row.Text(15);
  return p;
}

Beneficiaries BeneficiariesFromRow(const storage::Row& row) {
  Beneficiaries e;
  e.id = row.Int(0);
  e.project_id = row.Int(1);
  e.period_start = row.Int(2);
  e.period_end = row.Int(3);
  e.women = row.Int(4);
  e.girls = row.Int(5);
  e.men = row.Int(6);
  e.boys = row.Int(7);
  e.children_born_of_sea = row.Int(8);
  e.note = row.Text(9);
  e.recorded_at = row.Int(10);
  e.recorded_by = row.Text(11);
  return e;
}

Transfer TransferFromRow(const storage::Row& row) {
  Transfer t;
  t.id = row.Int(0);
  t.transfer_day = row.Int(1);
  t.amount_minor = row.Int(2);
  t.currency = row.Text(3);
  t.contributor = row.Text(4);
  t.case_id = row.OptInt(5);
  t.reference = row.Text(6);
  t.notes = row.Text(7);
  t.version = row.Int(8);
  t.created_at = row.Int(9);
  t.updated_at = row.Int(10);
  t.updated_by = row.Text(11);
  return t;
}
}  // namespace

std::vector<storage::Migration> TrustFundStore::Migrations() {
  return {{"trustfund", 1, "Trust Fund projects, their beneficiaries' counts and transfers",
           R"sql(
CREATE TABLE trustfund_projects (
  id {{ID}},
  title TEXT NOT NULL,
  partner TEXT NOT NULL,
  provider_id BIGINT,
  amount_minor BIGINT NOT NULL CHECK (amount_minor >= 0),
  currency TEXT NOT NULL,
  start_day BIGINT NOT NULL,
  end_day BIGINT NOT NULL,
  prefectures TEXT NOT NULL,
  services TEXT NOT NULL,
  status TEXT NOT NULL,
  notes TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  CHECK (end_day >= start_day)
);
CREATE TABLE trustfund_beneficiaries (
  id {{ID}},
  project_id BIGINT NOT NULL REFERENCES trustfund_projects (id) ON DELETE CASCADE,
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  women BIGINT NOT NULL CHECK (women >= 0),
  girls BIGINT NOT NULL CHECK (girls >= 0),
  men BIGINT NOT NULL CHECK (men >= 0),
  boys BIGINT NOT NULL CHECK (boys >= 0),
  children_born_of_sea BIGINT NOT NULL CHECK (children_born_of_sea >= 0),
  note TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (project_id, period_start)
);
CREATE INDEX trustfund_beneficiaries_start ON trustfund_beneficiaries (period_start);
CREATE TABLE trustfund_transfers (
  id {{ID}},
  transfer_day BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
  currency TEXT NOT NULL,
  contributor TEXT NOT NULL,
  case_id BIGINT,
  reference TEXT NOT NULL,
  notes TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE INDEX trustfund_transfers_case ON trustfund_transfers (case_id);
)sql"}};
}

Result<std::int64_t> TrustFundStore::InsertProject(Connection& c, const Project& p) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO trustfund_projects (title, partner, provider_id, amount_minor, "
                 "currency, start_day, end_day, prefectures, services, status, notes, version, "
                 "created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, "
                 "?, ?, ?) RETURNING id",
                 {p.title, p.partner, storage::Opt(p.provider_id), p.amount_minor, p.currency,
                  p.start_day, p.end_day, JoinLines(p.prefectures), JoinLines(p.services), p.status,
                  p.notes, p.created_at, p.updated_at, p.updated_by}));
  return row->Int(0);
}

Result<bool> TrustFundStore::UpdateProject(Connection& c, const Project& p,
                                           std::int64_t expected_version) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE trustfund_projects SET title = ?, partner = ?, provider_id = ?, "
                "amount_minor = ?, currency = ?, start_day = ?, end_day = ?, prefectures = ?, "
                "services = ?, status = ?, notes = ?, version = version + 1, updated_at = ?, "
                "updated_by = ? WHERE id = ? AND version = ?",
                {p.title, p.partner, storage::Opt(p.provider_id), p.amount_minor, p.currency,
                 p.start_day, p.end_day, JoinLines(p.prefectures), JoinLines(p.services), p.status,
                 p.notes, p.updated_at, p.updated_by, p.id, expected_version}));
  return changed > 0;
}

Result<bool> TrustFundStore::TouchProject(Connection& c, std::int64_t id,
                                          std::int64_t expected_version, UnixMillis at,
                                          const std::string& by) const {
  ASSIGN_OR_RETURN(std::int64_t changed,
                   c.Execute("UPDATE trustfund_projects SET version = version + 1, updated_at = "
                             "?, updated_by = ? WHERE id = ? AND version = ?",
                             {at, by, id, expected_version}));
  return changed > 0;
}

Result<std::optional<Project>> TrustFundStore::FindProject(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kProjectColumns +
                                            " FROM trustfund_projects WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<Project>();
  return std::optional<Project>(ProjectFromRow(*row));
}

Result<std::vector<Project>> TrustFundStore::ListProjects(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kProjectColumns +
                                          " FROM trustfund_projects ORDER BY start_day DESC, id",
                                      {}));
  std::vector<Project> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(ProjectFromRow(row));
  return out;
}

Status TrustFundStore::PutBeneficiaries(Connection& c, const Beneficiaries& e) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM trustfund_beneficiaries WHERE project_id = ? AND "
                            "period_start = ?",
                            {e.project_id, e.period_start})
                      .status());
  return c
      .Execute(
          "INSERT INTO trustfund_beneficiaries (project_id, period_start, period_end, women, "
          "girls, men, boys, children_born_of_sea, note, recorded_at, recorded_by) VALUES (?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {e.project_id, e.period_start, e.period_end, e.women, e.girls, e.men, e.boys,
           e.children_born_of_sea, e.note, e.recorded_at, e.recorded_by})
      .status();
}

Result<bool> TrustFundStore::DeleteBeneficiaries(Connection& c, std::int64_t project_id,
                                                 std::int64_t entry_id) const {
  ASSIGN_OR_RETURN(std::int64_t deleted,
                   c.Execute("DELETE FROM trustfund_beneficiaries WHERE id = ? AND project_id = ?",
                             {entry_id, project_id}));
  return deleted > 0;
}

Result<std::vector<Beneficiaries>> TrustFundStore::ListBeneficiaries(
    Connection& c, std::optional<std::int64_t> project_id) const {
  const std::string select =
      std::string("SELECT ") + kBeneficiaryColumns + " FROM trustfund_beneficiaries ";
  Result<storage::QueryResult> rows =
      project_id ? c.Query(select + "WHERE project_id = ? ORDER BY period_start, id", {*project_id})
                 : c.Query(select + "ORDER BY period_start, id", {});
  if (!rows.ok()) return rows.status();
  std::vector<Beneficiaries> out;
  out.reserve(rows->rows.size());
  for (const auto& row : rows->rows) out.push_back(BeneficiariesFromRow(row));
  return out;
}

Result<std::int64_t> TrustFundStore::BeneficiariesStartingIn(Connection& c, UnixMillis from,
                                                             UnixMillis to) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT CAST(COALESCE(SUM(women + girls + men + boys + "
                                        "children_born_of_sea), 0) AS BIGINT) FROM "
                                        "trustfund_beneficiaries "
                                        "WHERE period_start >= ? AND period_start <= ?",
                                        {from, to}));
  return row ? row->Int(0) : 0;
}

Result<std::int64_t> TrustFundStore::InsertTransfer(Connection& c, const Transfer& t) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "INSERT INTO trustfund_transfers (transfer_day, amount_minor, currency, "
          "contributor, case_id, reference, notes, version, created_at, updated_at, "
          "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
          {t.transfer_day, t.amount_minor, t.currency, t.contributor, storage::Opt(t.case_id),
           t.reference, t.notes, t.created_at, t.updated_at, t.updated_by}));
  return row->Int(0);
}

Result<bool> TrustFundStore::UpdateTransfer(Connection& c, const Transfer& t,
                                            std::int64_t expected_version) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE trustfund_transfers SET transfer_day = ?, amount_minor = ?, currency = ?, "
                "contributor = ?, case_id = ?, reference = ?, notes = ?, version = version + 1, "
                "updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
                {t.transfer_day, t.amount_minor, t.currency, t.contributor, storage::Opt(t.case_id),
                 t.reference, t.notes, t.updated_at, t.updated_by, t.id, expected_version}));
  return changed > 0;
}

Result<std::optional<Transfer>> TrustFundStore::FindTransfer(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kTransferColumns +
                                            " FROM trustfund_transfers WHERE id = ?",
                                        {id}));
  if (!row) return std::optional<Transfer>();
  return std::optional<Transfer>(TransferFromRow(*row));
}

Result<std::vector<Transfer>> TrustFundStore::ListTransfers(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kTransferColumns +
                                          " FROM trustfund_transfers ORDER BY transfer_day DESC, "
                                          "id DESC",
                                      {}));
  std::vector<Transfer> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(TransferFromRow(row));
  return out;
}

Result<std::int64_t> TrustFundStore::UnlinkCase(Connection& c, std::int64_t case_id) const {
  return c.Execute("UPDATE trustfund_transfers SET case_id = NULL WHERE case_id = ?", {case_id});
}

}  // namespace psea::trustfund
