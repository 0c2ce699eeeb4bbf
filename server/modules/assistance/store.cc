#include "modules/assistance/store.h"

namespace psea::assistance {

using storage::Connection;
using storage::Opt;

namespace {
constexpr const char* kFileColumns =
    "f.id, f.reference, f.pseudonym, f.sex, f.age_group, f.age, f.prefecture, f.status, "
    "f.identity_item, f.opened_at, f.closed_at, f.created_by, f.created_by_username, "
    "f.updated_at, f.version";

AssistanceFile FileFromRow(const storage::Row& row) {
  AssistanceFile f;
  f.id = row.Int(0);
  f.reference = row.Text(1);
  f.pseudonym = row.Text(2);
  f.sex = row.Text(3);
  f.age_group = row.Text(4);
  f.age = row.OptInt(5);
  f.prefecture = row.Text(6);
  f.status = row.Text(7);
  f.identity_item = row.OptInt(8);
  f.opened_at = row.Int(9);
  f.closed_at = row.OptInt(10);
  f.created_by = row.Int(11);
  f.created_by_username = row.Text(12);
  f.updated_at = row.Int(13);
  f.version = row.Int(14);
  return f;
}

constexpr const char* kConsentColumns =
    "id, file_id, scope, provider_id, with_whom, channel, given_at, means, given_by, guardian, "
    "expires_at, notes, recorded_by, recorded_by_username, recorded_at, withdrawn_at, "
    "withdrawn_by, withdrawn_by_username, withdrawal_note";

Consent ConsentFromRow(const storage::Row& row) {
  Consent c;
  c.id = row.Int(0);
  c.file_id = row.Int(1);
  c.scope = row.Text(2);
  c.provider_id = row.OptInt(3);
  c.with_whom = row.Text(4);
  c.channel = row.Text(5);
  c.given_at = row.Int(6);
  c.means = row.Text(7);
  c.given_by = row.Text(8);
  c.guardian = row.Text(9);
  c.expires_at = row.OptInt(10);
  c.notes = row.Text(11);
  c.recorded_by = row.Int(12);
  c.recorded_by_username = row.Text(13);
  c.recorded_at = row.Int(14);
  c.withdrawn_at = row.OptInt(15);
  c.withdrawn_by = row.OptInt(16).value_or(0);
  c.withdrawn_by_username = row.Text(17);
  c.withdrawal_note = row.Text(18);
  return c;
}

constexpr const char* kNeedColumns =
    "id, file_id, type, urgency, notes, status, after_rape, incident_at, assessed_at, "
    "assessed_by, assessed_by_username, closed_at, closed_by_username, updated_at";

Need NeedFromRow(const storage::Row& row) {
  Need n;
  n.id = row.Int(0);
  n.file_id = row.Int(1);
  n.type = row.Text(2);
  n.urgency = row.Text(3);
  n.notes = row.Text(4);
  n.status = row.Text(5);
  n.after_rape = row.Bool(6);
  n.incident_at = row.OptInt(7);
  n.assessed_at = row.Int(8);
  n.assessed_by = row.Int(9);
  n.assessed_by_username = row.Text(10);
  n.closed_at = row.OptInt(11);
  n.closed_by_username = row.Text(12);
  n.updated_at = row.Int(13);
  return n;
}
}  // namespace

std::vector<storage::Migration> AssistanceStore::Migrations() {
  return {{"assistance", 1, "victims' assistance files, case links, designees, consents, needs",
           R"sql(
CREATE TABLE assistance_files (
  id {{ID}},
  reference TEXT NOT NULL UNIQUE,
  pseudonym TEXT NOT NULL,
  sex TEXT NOT NULL,
  age_group TEXT NOT NULL,
  age BIGINT,
  prefecture TEXT NOT NULL,
  status TEXT NOT NULL,
  identity_item BIGINT,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX assistance_files_status ON assistance_files (status, prefecture);
CREATE TABLE assistance_file_cases (
  file_id BIGINT NOT NULL REFERENCES assistance_files (id),
  case_id BIGINT NOT NULL,
  linked_by BIGINT NOT NULL,
  linked_by_username TEXT NOT NULL,
  linked_at BIGINT NOT NULL,
  PRIMARY KEY (file_id, case_id)
);
CREATE INDEX assistance_file_cases_case ON assistance_file_cases (case_id);
CREATE TABLE assistance_designees (
  file_id BIGINT NOT NULL REFERENCES assistance_files (id),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  added_by_username TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (file_id, user_id)
);
CREATE INDEX assistance_designees_user ON assistance_designees (user_id);
CREATE TABLE assistance_consents (
  id {{ID}},
  file_id BIGINT NOT NULL REFERENCES assistance_files (id),
  scope TEXT NOT NULL,
  provider_id BIGINT,
  with_whom TEXT NOT NULL,
  channel TEXT NOT NULL,
  given_at BIGINT NOT NULL,
  means TEXT NOT NULL,
  given_by TEXT NOT NULL,
  guardian TEXT NOT NULL,
  expires_at BIGINT,
  notes TEXT NOT NULL,
  recorded_by BIGINT NOT NULL,
  recorded_by_username TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  withdrawn_at BIGINT,
  withdrawn_by BIGINT,
  withdrawn_by_username TEXT NOT NULL,
  withdrawal_note TEXT NOT NULL
);
CREATE INDEX assistance_consents_file ON assistance_consents (file_id);
CREATE TABLE assistance_needs (
  id {{ID}},
  file_id BIGINT NOT NULL REFERENCES assistance_files (id),
  type TEXT NOT NULL,
  urgency TEXT NOT NULL,
  notes TEXT NOT NULL,
  status TEXT NOT NULL,
  after_rape INTEGER NOT NULL,
  incident_at BIGINT,
  assessed_at BIGINT NOT NULL,
  assessed_by BIGINT NOT NULL,
  assessed_by_username TEXT NOT NULL,
  closed_at BIGINT,
  closed_by_username TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assistance_needs_file ON assistance_needs (file_id);
CREATE INDEX assistance_needs_open ON assistance_needs (status, type);
)sql"}};
}

Result<std::int64_t> AssistanceStore::NextReferenceNumber(Connection& c,
                                                          const std::string& prefix) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM assistance_files WHERE "
                                        "substr(reference, 1, ?) = ?",
                                        {static_cast<std::int64_t>(prefix.size()), prefix}));
  return (row ? row->Int(0) : 0) + 1;
}

Result<std::int64_t> AssistanceStore::InsertFile(Connection& c, const AssistanceFile& f) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO assistance_files (reference, pseudonym, sex, age_group, age, "
                 "prefecture, status, identity_item, opened_at, closed_at, created_by, "
                 "created_by_username, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?) RETURNING id",
                 {f.reference, f.pseudonym, f.sex, f.age_group, Opt(f.age), f.prefecture, f.status,
                  Opt(f.identity_item), f.opened_at, Opt(f.closed_at), f.created_by,
                  f.created_by_username, f.updated_at, f.version}));
  if (!row) return Internal("the assistance file was not stored");
  return row->Int(0);
}

Result<bool> AssistanceStore::UpdateFile(Connection& c, const AssistanceFile& f,
                                         std::int64_t expected) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE assistance_files SET pseudonym = ?, sex = ?, age_group = ?, age = ?, "
                "prefecture = ?, status = ?, identity_item = ?, closed_at = ?, updated_at = ?, "
                "version = version + 1 WHERE id = ? AND version = ?",
                {f.pseudonym, f.sex, f.age_group, Opt(f.age), f.prefecture, f.status,
                 Opt(f.identity_item), Opt(f.closed_at), f.updated_at, f.id, expected}));
  return changed == 1;
}

Result<std::optional<AssistanceFile>> AssistanceStore::FindFile(Connection& c,
                                                                std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kFileColumns +
                                            " FROM assistance_files f WHERE f.id = ?",
                                        {id}));
  if (!row) return std::optional<AssistanceFile>();
  return std::optional<AssistanceFile>(FileFromRow(*row));
}

Result<std::vector<FileSummary>> AssistanceStore::ListFiles(Connection& c, const FileFilter& filter,
                                                            std::int64_t& total) const {
  std::string where = " WHERE 1 = 1";
  std::vector<storage::Value> params;
  if (filter.status) {
    where += " AND f.status = ?";
    params.push_back(*filter.status);
  }
  if (filter.prefecture) {
    where += " AND f.prefecture = ?";
    params.push_back(*filter.prefecture);
  }
  if (filter.age_group) {
    where += " AND f.age_group = ?";
    params.push_back(*filter.age_group);
  }
  if (filter.need) {
    where +=
        " AND EXISTS (SELECT 1 FROM assistance_needs n WHERE n.file_id = f.id AND n.status = "
        "'open' AND n.type = ?)";
    params.push_back(*filter.need);
  }
  if (filter.case_id) {
    where +=
        " AND EXISTS (SELECT 1 FROM assistance_file_cases l WHERE l.file_id = f.id AND "
        "l.case_id = ?)";
    params.push_back(*filter.case_id);
  }
  if (filter.designee) {
    where +=
        " AND EXISTS (SELECT 1 FROM assistance_designees d WHERE d.file_id = f.id AND "
        "d.user_id = ?)";
    params.push_back(*filter.designee);
  }
  ASSIGN_OR_RETURN(auto count,
                   c.QueryOne("SELECT COUNT(*) FROM assistance_files f" + where, params));
  total = count ? count->Int(0) : 0;
  params.push_back(filter.limit);
  params.push_back(filter.offset);
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query(std::string("SELECT ") + kFileColumns +
                  ", (SELECT COUNT(*) FROM assistance_needs n WHERE n.file_id = f.id AND "
                  "n.status = 'open'), (SELECT COUNT(*) FROM assistance_needs n WHERE n.file_id = "
                  "f.id AND n.status = 'open' AND n.urgency = 'immediate'), (SELECT COUNT(*) FROM "
                  "assistance_file_cases l WHERE l.file_id = f.id) FROM assistance_files f" +
                  where + " ORDER BY f.opened_at DESC, f.id DESC LIMIT ? OFFSET ?",
              params));
  std::vector<FileSummary> out;
  for (const auto& row : rows.rows) {
    FileSummary summary;
    summary.file = FileFromRow(row);
    summary.open_needs = row.Int(15);
    summary.urgent_needs = row.Int(16);
    summary.cases = row.Int(17);
    out.push_back(std::move(summary));
  }
  return out;
}

Result<std::vector<CaseLink>> AssistanceStore::CaseLinks(Connection& c,
                                                         std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT case_id, linked_by_username, linked_at, linked_by FROM "
                           "assistance_file_cases WHERE file_id = ? ORDER BY case_id",
                           {file_id}));
  std::vector<CaseLink> out;
  for (const auto& row : rows.rows)
    out.push_back({row.Int(0), row.Text(1), row.Int(2), row.Int(3)});
  return out;
}

Status AssistanceStore::LinkCase(Connection& c, std::int64_t file_id, const CaseLink& link) const {
  ASSIGN_OR_RETURN(auto existing,
                   c.QueryOne("SELECT 1 FROM assistance_file_cases WHERE file_id = ? AND "
                              "case_id = ?",
                              {file_id, link.case_id}));
  if (existing) return Conflict("the file is linked to this case already", "case_id");
  return c
      .Execute(
          "INSERT INTO assistance_file_cases (file_id, case_id, linked_by, "
          "linked_by_username, linked_at) VALUES (?, ?, ?, ?, ?)",
          {file_id, link.case_id, link.linked_by, link.linked_by_username, link.linked_at})
      .status();
}

Result<bool> AssistanceStore::UnlinkCase(Connection& c, std::int64_t file_id,
                                         std::int64_t case_id) const {
  ASSIGN_OR_RETURN(std::int64_t gone,
                   c.Execute("DELETE FROM assistance_file_cases WHERE file_id = ? AND case_id = ?",
                             {file_id, case_id}));
  return gone > 0;
}

Result<std::int64_t> AssistanceStore::UnlinkCaseEverywhere(Connection& c,
                                                           std::int64_t case_id) const {
  return c.Execute("DELETE FROM assistance_file_cases WHERE case_id = ?", {case_id});
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> AssistanceStore::IdentityItems(
    Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, identity_item FROM assistance_files WHERE "
                                      "identity_item IS NOT NULL ORDER BY id"));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& row : rows.rows) out.emplace_back(row.Int(0), row.Int(1));
  return out;
}

Result<std::vector<std::int64_t>> AssistanceStore::FilesOfDesignee(Connection& c,
                                                                   std::int64_t user) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT file_id FROM assistance_designees WHERE user_id = ? "
                                      "ORDER BY file_id",
                                      {user}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<std::int64_t>> AssistanceStore::IdentityItemsOfDesignee(
    Connection& c, std::int64_t user) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT f.identity_item FROM assistance_files f JOIN "
                                      "assistance_designees d ON d.file_id = f.id WHERE "
                                      "d.user_id = ? AND f.identity_item IS NOT NULL",
                                      {user}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<Designee>> AssistanceStore::Designees(Connection& c,
                                                         std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT user_id, username, added_by_username, added_at FROM "
                           "assistance_designees WHERE file_id = ? ORDER BY added_at, user_id",
                           {file_id}));
  std::vector<Designee> out;
  for (const auto& row : rows.rows) {
    out.push_back({row.Int(0), row.Text(1), row.Text(2), row.Int(3)});
  }
  return out;
}

Result<bool> AssistanceStore::IsDesignee(Connection& c, std::int64_t file_id,
                                         std::int64_t user) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT 1 FROM assistance_designees WHERE file_id = ? AND "
                                        "user_id = ?",
                                        {file_id, user}));
  return row.has_value();
}

Status AssistanceStore::AddDesignee(Connection& c, std::int64_t file_id,
                                    const Designee& designee) const {
  ASSIGN_OR_RETURN(bool already, IsDesignee(c, file_id, designee.user_id));
  if (already) return Conflict("this person is designated for the file already", "user_id");
  return c
      .Execute(
          "INSERT INTO assistance_designees (file_id, user_id, username, "
          "added_by_username, added_at) VALUES (?, ?, ?, ?, ?)",
          {file_id, designee.user_id, designee.username, designee.added_by_username,
           designee.added_at})
      .status();
}

Result<bool> AssistanceStore::RemoveDesignee(Connection& c, std::int64_t file_id,
                                             std::int64_t user) const {
  ASSIGN_OR_RETURN(std::int64_t gone,
                   c.Execute("DELETE FROM assistance_designees WHERE file_id = ? AND user_id = ?",
                             {file_id, user}));
  return gone > 0;
}

Result<std::int64_t> AssistanceStore::InsertConsent(Connection& c, const Consent& k) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO assistance_consents (file_id, scope, provider_id, with_whom, "
                 "channel, given_at, means, given_by, guardian, expires_at, notes, recorded_by, "
                 "recorded_by_username, recorded_at, withdrawn_at, withdrawn_by, "
                 "withdrawn_by_username, withdrawal_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, NULL, NULL, '', '') RETURNING id",
                 {k.file_id, k.scope, Opt(k.provider_id), k.with_whom, k.channel, k.given_at,
                  k.means, k.given_by, k.guardian, Opt(k.expires_at), k.notes, k.recorded_by,
                  k.recorded_by_username, k.recorded_at}));
  if (!row) return Internal("the consent was not stored");
  return row->Int(0);
}

Result<std::vector<Consent>> AssistanceStore::Consents(Connection& c, std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kConsentColumns +
                                          " FROM assistance_consents WHERE file_id = ? ORDER BY "
                                          "given_at, id",
                                      {file_id}));
  std::vector<Consent> out;
  for (const auto& row : rows.rows) out.push_back(ConsentFromRow(row));
  return out;
}

Result<std::optional<Consent>> AssistanceStore::FindConsent(Connection& c, std::int64_t file_id,
                                                            std::int64_t consent_id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne(std::string("SELECT ") + kConsentColumns +
                                  " FROM assistance_consents WHERE file_id = ? AND id = ?",
                              {file_id, consent_id}));
  if (!row) return std::optional<Consent>();
  return std::optional<Consent>(ConsentFromRow(*row));
}

Result<bool> AssistanceStore::WithdrawConsent(Connection& c, const Consent& k) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE assistance_consents SET withdrawn_at = ?, withdrawn_by = ?, "
                "withdrawn_by_username = ?, withdrawal_note = ? WHERE id = ? AND file_id = ? AND "
                "withdrawn_at IS NULL",
                {Opt(k.withdrawn_at), k.withdrawn_by, k.withdrawn_by_username, k.withdrawal_note,
                 k.id, k.file_id}));
  return changed == 1;
}

Result<std::int64_t> AssistanceStore::InsertNeed(Connection& c, const Need& n) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "INSERT INTO assistance_needs (file_id, type, urgency, notes, status, "
          "after_rape, incident_at, assessed_at, assessed_by, assessed_by_username, "
          "closed_at, closed_by_username, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?) RETURNING id",
          {n.file_id, n.type, n.urgency, n.notes, n.status, std::int64_t{n.after_rape ? 1 : 0},
           Opt(n.incident_at), n.assessed_at, n.assessed_by, n.assessed_by_username,
           Opt(n.closed_at), n.closed_by_username, n.updated_at}));
  if (!row) return Internal("the need was not stored");
  return row->Int(0);
}

Result<std::vector<Need>> AssistanceStore::Needs(Connection& c, std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kNeedColumns +
                                          " FROM assistance_needs WHERE file_id = ? ORDER BY id",
                                      {file_id}));
  std::vector<Need> out;
  for (const auto& row : rows.rows) out.push_back(NeedFromRow(row));
  return out;
}

Result<std::optional<Need>> AssistanceStore::FindNeed(Connection& c, std::int64_t file_id,
                                                      std::int64_t need_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kNeedColumns +
                                            " FROM assistance_needs WHERE file_id = ? AND id = ?",
                                        {file_id, need_id}));
  if (!row) return std::optional<Need>();
  return std::optional<Need>(NeedFromRow(*row));
}

Status AssistanceStore::UpdateNeed(Connection& c, const Need& n) const {
  return c
      .Execute(
          "UPDATE assistance_needs SET urgency = ?, notes = ?, status = ?, after_rape = ?, "
          "incident_at = ?, closed_at = ?, closed_by_username = ?, updated_at = ? WHERE id "
          "= ? AND file_id = ?",
          {n.urgency, n.notes, n.status, std::int64_t{n.after_rape ? 1 : 0}, Opt(n.incident_at),
           Opt(n.closed_at), n.closed_by_username, n.updated_at, n.id, n.file_id})
      .status();
}

}  // namespace psea::assistance
