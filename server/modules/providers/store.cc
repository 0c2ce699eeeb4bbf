#include "modules/providers/store.h"

#include <map>

namespace psea::providers {

using storage::Connection;
using storage::Value;

namespace {
constexpr const char* kColumns =
    "id, name, kind, prefecture, town, lat_e6, lon_e6, hours, languages, capacity, cost, "
    "cost_note, public_phone, active, last_verified, contacts_item, version, created_at, "
    "updated_at, updated_by";

// Languages are kept one per line (the API refuses control characters in them).
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

Provider FromRow(const storage::Row& row) {
  Provider p;
  p.id = row.Int(0);
  p.name = row.Text(1);
  p.kind = row.Text(2);
  p.prefecture = row.Text(3);
  p.town = row.Text(4);
  if (!row.IsNull(5) && !row.IsNull(6)) p.coordinates = Coordinates{row.Int(5), row.Int(6)};
  p.hours = row.Text(7);
  p.languages = SplitLines(row.Text(8));
  p.capacity = row.Text(9);
  p.cost = row.Text(10);
  p.cost_note = row.Text(11);
  p.public_phone = row.Text(12);
  p.active = row.Bool(13);
  p.last_verified = row.Int(14);
  p.contacts_item = row.OptInt(15);
  p.version = row.Int(16);
  p.created_at = row.Int(17);
  p.updated_at = row.Int(18);
  p.updated_by = row.Text(19);
  return p;
}

Value LatOf(const Provider& p) {
  return p.coordinates ? Value(p.coordinates->lat_e6) : storage::Null();
}
Value LonOf(const Provider& p) {
  return p.coordinates ? Value(p.coordinates->lon_e6) : storage::Null();
}

Status WriteServices(Connection& c, const Provider& p) {
  RETURN_IF_ERROR(c.Execute("DELETE FROM providers_services WHERE provider_id = ?", {p.id}));
  for (const auto& service : p.services) {
    RETURN_IF_ERROR(c.Execute("INSERT INTO providers_services (provider_id, service) VALUES (?, ?)",
                              {p.id, service}));
  }
  return Status::Ok();
}

// Fills each provider's services (in vocabulary order: ValidateProvider wrote them so).
Status ReadServices(Connection& c, std::vector<Provider>& providers,
                    std::optional<std::int64_t> only) {
  std::map<std::int64_t, Provider*> by_id;
  for (auto& p : providers) by_id[p.id] = &p;
  Result<storage::QueryResult> rows =
      only ? c.Query("SELECT provider_id, service FROM providers_services WHERE provider_id = ?",
                     {*only})
           : c.Query("SELECT provider_id, service FROM providers_services", {});
  if (!rows.ok()) return rows.status();
  for (const auto& row : rows->rows) {
    auto found = by_id.find(row.Int(0));
    if (found != by_id.end()) found->second->services.push_back(row.Text(1));
  }
  for (auto& p : providers) {
    std::vector<std::string> sorted;
    for (auto name : kServices) {
      for (const auto& s : p.services) {
        if (s == name) sorted.push_back(s);
      }
    }
    p.services = std::move(sorted);
  }
  return Status::Ok();
}
}  // namespace

std::vector<storage::Migration> ProvidersStore::Migrations() {
  return {{"providers", 1, "service providers' directory, their services and case managers",
           R"sql(
CREATE TABLE providers (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  prefecture TEXT NOT NULL,
  town TEXT NOT NULL,
  lat_e6 BIGINT,
  lon_e6 BIGINT,
  hours TEXT NOT NULL,
  languages TEXT NOT NULL,
  capacity TEXT NOT NULL,
  cost TEXT NOT NULL,
  cost_note TEXT NOT NULL,
  public_phone TEXT NOT NULL,
  active INTEGER NOT NULL,
  last_verified BIGINT NOT NULL,
  contacts_item BIGINT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE providers_services (
  provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  service TEXT NOT NULL,
  PRIMARY KEY (provider_id, service)
);
CREATE INDEX providers_services_service ON providers_services (service);
CREATE TABLE providers_members (
  user_id BIGINT PRIMARY KEY,
  provider_id BIGINT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL
);
CREATE INDEX providers_members_provider ON providers_members (provider_id);
)sql"}};
}

Result<std::int64_t> ProvidersStore::Insert(Connection& c, const Provider& p) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne("INSERT INTO providers (name, kind, prefecture, town, lat_e6, lon_e6, hours, "
                 "languages, capacity, cost, cost_note, public_phone, active, last_verified, "
                 "contacts_item, version, created_at, updated_at, updated_by) VALUES (?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id",
                 {p.name, p.kind, p.prefecture, p.town, LatOf(p), LonOf(p), p.hours,
                  JoinLines(p.languages), p.capacity, p.cost, p.cost_note, p.public_phone,
                  std::int64_t{p.active ? 1 : 0}, p.last_verified, storage::Opt(p.contacts_item),
                  p.created_at, p.updated_at, p.updated_by}));
  Provider stored = p;
  stored.id = row->Int(0);
  RETURN_IF_ERROR(WriteServices(c, stored));
  return stored.id;
}

Result<bool> ProvidersStore::Update(Connection& c, const Provider& p,
                                    std::int64_t expected_version) const {
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE providers SET name = ?, kind = ?, prefecture = ?, town = ?, lat_e6 = ?, "
                "lon_e6 = ?, hours = ?, languages = ?, capacity = ?, cost = ?, cost_note = ?, "
                "public_phone = ?, active = ?, last_verified = ?, contacts_item = ?, "
                "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND "
                "version = ?",
                {p.name, p.kind, p.prefecture, p.town, LatOf(p), LonOf(p), p.hours,
                 JoinLines(p.languages), p.capacity, p.cost, p.cost_note, p.public_phone,
                 std::int64_t{p.active ? 1 : 0}, p.last_verified, storage::Opt(p.contacts_item),
                 p.updated_at, p.updated_by, p.id, expected_version}));
  if (changed == 0) return false;
  RETURN_IF_ERROR(WriteServices(c, p));
  return true;
}

Result<std::optional<Provider>> ProvidersStore::Find(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(std::string("SELECT ") + kColumns + " FROM providers WHERE id = ?", {id}));
  if (!row) return std::optional<Provider>();
  std::vector<Provider> one{FromRow(*row)};
  RETURN_IF_ERROR(ReadServices(c, one, id));
  return std::optional<Provider>(std::move(one.front()));
}

Result<std::vector<Provider>> ProvidersStore::List(Connection& c) const {
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query(std::string("SELECT ") + kColumns + " FROM providers ORDER BY name, id", {}));
  std::vector<Provider> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(FromRow(row));
  RETURN_IF_ERROR(ReadServices(c, out, std::nullopt));
  return out;
}

Result<std::vector<std::int64_t>> ProvidersStore::ContactItems(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT contacts_item FROM providers WHERE contacts_item IS "
                                      "NOT NULL ORDER BY id",
                                      {}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<ServiceCount>> ProvidersStore::CountByPrefectureAndService(
    Connection& c, UnixMillis stale_at_or_before) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT p.prefecture, s.service, COUNT(*), SUM(CASE WHEN "
                           "p.last_verified <= ? THEN 1 ELSE 0 END) FROM providers p JOIN "
                           "providers_services s ON s.provider_id = p.id WHERE p.active = 1 "
                           "GROUP BY p.prefecture, s.service ORDER BY p.prefecture, s.service",
                           {stale_at_or_before}));
  std::vector<ServiceCount> out;
  for (const auto& row : rows.rows) {
    out.push_back({row.Text(0), row.Text(1), row.Int(2), row.Int(3)});
  }
  return out;
}

Status ProvidersStore::PutMember(Connection& c, const Member& m) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM providers_members WHERE user_id = ?", {m.user_id}));
  return c
      .Execute(
          "INSERT INTO providers_members (user_id, provider_id, added_by, added_at) VALUES "
          "(?, ?, ?, ?)",
          {m.user_id, m.provider_id, m.added_by, m.added_at})
      .status();
}

Result<bool> ProvidersStore::DeleteMember(Connection& c, std::int64_t provider_id,
                                          std::int64_t user_id) const {
  ASSIGN_OR_RETURN(std::int64_t deleted,
                   c.Execute("DELETE FROM providers_members WHERE user_id = ? AND provider_id = ?",
                             {user_id, provider_id}));
  return deleted > 0;
}

Result<std::optional<std::int64_t>> ProvidersStore::ProviderOfUser(Connection& c,
                                                                   std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT provider_id FROM providers_members WHERE "
                                        "user_id = ?",
                                        {user_id}));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(row->Int(0));
}

Result<std::vector<Member>> ProvidersStore::Members(Connection& c, std::int64_t provider_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT user_id, provider_id, added_by, added_at FROM "
                                      "providers_members WHERE provider_id = ? ORDER BY user_id",
                                      {provider_id}));
  std::vector<Member> out;
  for (const auto& row : rows.rows) {
    Member m;
    m.user_id = row.Int(0);
    m.provider_id = row.Int(1);
    m.added_by = row.Text(2);
    m.added_at = row.Int(3);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace psea::providers
