#include "modules/units/store.h"

#include <map>
#include <set>
#include <sstream>

namespace psea::units {

using storage::Connection;

namespace {
std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

std::vector<storage::Migration> UnitsStore::Migrations() {
  return {{"units", 1, "organisation units and focal points", R"sql(
CREATE TABLE org_units (
  id {{ID}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  aliases TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE org_unit_focal_points (
  unit_id BIGINT NOT NULL REFERENCES org_units (id),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  PRIMARY KEY (unit_id, user_id)
);
CREATE INDEX org_unit_focal_points_user ON org_unit_focal_points (user_id);
)sql"},
          // The partners named by SEA action plans in UN peacekeeping missions; editable.
          {"units", 2, "default units", R"sql(
INSERT INTO org_units (code, name, aliases, created_at) VALUES
 ('CDT', 'Conduct and Discipline Team', 'MINUSCA CDT
CDT officers
Conduct and Discipline', 0),
 ('HOM', 'Head of Mission', 'MINUSCA leadership
SRSG
HoM
All principals, managers, supervisors', 0),
 ('SCPI', 'Strategic Communications and Public Information Division', 'MINUSCA Strategic Communications and Public Information Division (SCPI)
MINUSCA Spokesperson
Spokesperson
Public Information', 0),
 ('FORCE', 'Force', 'MINUSCA Force
MP
Military Police
Force Commander
FC
O/FC
OFC
TCC/OFC
Military', 0),
 ('POLICE', 'Police', 'MINUSCA Police
UNPOL
Police Commissioner
PC
O/PC
OPC
PCC/OPC
FPU', 0),
 ('OIOS', 'Office of Internal Oversight Services', 'TCC/OIOS', 0),
 ('VRA', 'Victims'' Rights Advocate', 'Field Victims'' Rights Advocate
Senior Victims'' Rights Officer', 0),
 ('HRD', 'Human Rights Division', 'HROs
Human Rights
OHCHR', 0),
 ('SIU', 'Special Investigation Unit', '', 0),
 ('CBCM', 'Community-based complaint mechanisms', 'CBCM members', 0),
 ('CAS', 'Civil Affairs Section', 'CLAs
CLA
Community Liaison Assistants
CAS through CLAs', 0),
 ('UNCT', 'UN Country Team agencies', 'UN Agencies
UNCT agencies
UNICEF
UNFPA
UNHCR
OCHA
UNDP
WFP
UN Communications Group (UNCG)
UNCG', 0),
 ('GENDER', 'Gender Unit', 'Gender', 0),
 ('CP', 'Child Protection', 'CPOs
Child Protection Unit', 0),
 ('CRSV', 'Conflict-Related Sexual Violence unit', 'Women Protection Advisers', 0),
 ('SECURITY', 'Security Section', 'Security
UNDSS', 0),
 ('SUPPORT', 'Mission Support', 'Support
Service providers', 0),
 ('HR', 'Human Resources', 'Human Resources Section', 0),
 ('IRT', 'Immediate Response Team', 'SEA Immediate Response Team', 0),
 ('OCOS', 'Office of the Chief of Staff', 'CoS
Chief of Staff
HoM through CoS informed', 0),
 ('MANAGERS', 'Managers and supervisors', 'All principals
managers
supervisors
HoOs
Heads of Office
All staff
including managers
All supervisors and managers
including Chiefs of sections and heads of Office
in HQ and in the Field', 0),
 ('POC', 'Protection of Civilians', 'Protection of Civilians Unit', 0),
 ('NATAUTH', 'National authorities', 'Nat Aut
Host Country
National authorities', 0),
 ('PARTNERS', 'International NGOs and local partners', 'International NGOs
Local partners
NGOs
UNV support', 0);
)sql"}};
}

Result<std::vector<Unit>> UnitsStore::ListUnits(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT id, code, name, aliases FROM org_units ORDER BY code"));
  ASSIGN_OR_RETURN(auto points, c.Query("SELECT unit_id, user_id, username, display_name FROM "
                                        "org_unit_focal_points ORDER BY username"));
  std::map<std::int64_t, std::vector<FocalPoint>> by_unit;
  for (const auto& p : points.rows) {
    by_unit[p.Int(0)].push_back({p.Int(1), p.Text(2), p.Text(3)});
  }
  std::vector<Unit> units;
  for (const auto& row : rows.rows) {
    units.push_back(
        {row.Int(0), row.Text(1), row.Text(2), SplitLines(row.Text(3)), by_unit[row.Int(0)]});
  }
  return units;
}

Result<std::optional<Unit>> UnitsStore::FindUnit(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT id, code, name, aliases FROM org_units WHERE id = ?", {id}));
  if (!row) return std::optional<Unit>();
  Unit unit{row->Int(0), row->Text(1), row->Text(2), SplitLines(row->Text(3)), {}};
  // Focal points are shown with the account names the accounts module stores in the audit;
  // here only ids and the names copied at assignment time.
  ASSIGN_OR_RETURN(auto points, c.Query("SELECT user_id, username, display_name FROM "
                                        "org_unit_focal_points WHERE unit_id = ? ORDER BY username",
                                        {id}));
  for (const auto& point : points.rows) {
    unit.focal_points.push_back({point.Int(0), point.Text(1), point.Text(2)});
  }
  return std::optional<Unit>(std::move(unit));
}

Result<std::int64_t> UnitsStore::InsertUnit(Connection& c, const Unit& unit, UnixMillis now) const {
  auto row = c.QueryOne(
      "INSERT INTO org_units (code, name, aliases, "
      "created_at) VALUES (?, ?, ?, ?) RETURNING id",
      {unit.code, unit.name, JoinLines(unit.aliases), now});
  if (!row.ok()) {
    if (row.status().code() == ErrorCode::kConflict) {
      return Conflict("a unit with this code exists", "code");
    }
    return row.status();
  }
  return (*row)->Int(0);
}

Status UnitsStore::UpdateUnit(Connection& c, std::int64_t id, const std::string& name,
                              const std::vector<std::string>& aliases) const {
  return c
      .Execute("UPDATE org_units SET name = ?, aliases = ? WHERE id = ?",
               {name, JoinLines(aliases), id})
      .status();
}

Status UnitsStore::ReplaceFocalPoints(Connection& c, std::int64_t unit_id,
                                      const std::vector<FocalPoint>& points) const {
  RETURN_IF_ERROR(c.Execute("DELETE FROM org_unit_focal_points WHERE unit_id = ?", {unit_id}));
  std::set<std::int64_t> added;
  for (const auto& point : points) {
    if (!added.insert(point.user_id).second) continue;
    RETURN_IF_ERROR(
        c.Execute("INSERT INTO org_unit_focal_points (unit_id, user_id, username, "
                  "display_name) VALUES (?, ?, ?, ?)",
                  {unit_id, point.user_id, point.username, point.display_name}));
  }
  return Status::Ok();
}

Result<std::vector<std::int64_t>> UnitsStore::ListUnitsOfUser(Connection& c,
                                                              std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT unit_id FROM org_unit_focal_points WHERE "
                                      "user_id = ? ORDER BY unit_id",
                                      {user_id}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows.rows) ids.push_back(row.Int(0));
  return ids;
}

}  // namespace psea::units
