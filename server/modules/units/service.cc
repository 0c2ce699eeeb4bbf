#include "modules/units/service.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace psea::units {

namespace {
std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Strips spaces, punctuation and en dashes from both ends. The en dash is three bytes in
// UTF-8 and is stripped as a whole: stripping its bytes one by one would also cut the last
// byte of letters such as "À" (C3 80) or "Ó" (C3 93).
std::string Trim(std::string_view text) {
  constexpr std::string_view kPunctuation = " \t\r\n.-:[]()";
  constexpr std::string_view kEnDash = "\xE2\x80\x93";
  for (bool trimmed = true; trimmed && !text.empty();) {
    trimmed = false;
    if (kPunctuation.find(text.front()) != std::string_view::npos) {
      text.remove_prefix(1);
      trimmed = true;
    } else if (text.substr(0, kEnDash.size()) == kEnDash) {
      text.remove_prefix(kEnDash.size());
      trimmed = true;
    }
    if (text.empty()) break;
    if (kPunctuation.find(text.back()) != std::string_view::npos) {
      text.remove_suffix(1);
      trimmed = true;
    } else if (text.size() >= kEnDash.size() &&
               text.substr(text.size() - kEnDash.size()) == kEnDash) {
      text.remove_suffix(kEnDash.size());
      trimmed = true;
    }
  }
  return std::string(text);
}

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

std::vector<std::string> SplitPieces(const std::string& text) {
  std::vector<std::string> pieces;
  std::string current;
  auto flush = [&] {
    std::string piece = Trim(current);
    if (!piece.empty()) pieces.push_back(piece);
    current.clear();
  };
  for (char c : text) {
    if (c == ';' || c == ',' || c == '\n' || c == '[' || c == ']' || c == '(' || c == ')') {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return pieces;
}

Result<Unit> LoadUnit(storage::Connection& c, std::int64_t id) {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT id, code, name, aliases FROM org_units WHERE id = ?", {id}));
  if (!row) return NotFound("no such unit");
  Unit unit{row->Int(0), row->Text(1), row->Text(2), SplitLines(row->Text(3)), {}};
  // Focal points are shown with the account names the accounts module stores in the audit;
  // here only ids and the names copied at assignment time.
  ASSIGN_OR_RETURN(auto points, c.Query("SELECT user_id, username, display_name FROM "
                                        "org_unit_focal_points WHERE unit_id = ? ORDER BY username",
                                        {id}));
  for (const auto& point : points.rows) {
    unit.focal_points.push_back({point.Int(0), point.Text(1), point.Text(2)});
  }
  return unit;
}
}  // namespace

std::vector<storage::Migration> UnitsService::Migrations() {
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

Result<std::vector<Unit>> UnitsService::List() {
  return database_.Read<std::vector<Unit>>([](storage::Connection& c) -> Result<std::vector<Unit>> {
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
  });
}

Result<Unit> UnitsService::Get(std::int64_t id) {
  return database_.Read<Unit>([&](storage::Connection& c) { return LoadUnit(c, id); });
}

Result<Unit> UnitsService::Create(const security::Principal& actor, Unit unit,
                                  const std::string& request_id) {
  unit.code = Trim(unit.code);
  if (unit.code.empty() || unit.code.size() > 32) {
    return InvalidArgument("code must be 1 to 32 characters", "code");
  }
  if (Trim(unit.name).empty()) return InvalidArgument("name is required", "name");
  ASSIGN_OR_RETURN(
      std::int64_t id,
      database_.Write<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
        auto row = c.QueryOne(
            "INSERT INTO org_units (code, name, aliases, "
            "created_at) VALUES (?, ?, ?, ?) RETURNING id",
            {unit.code, unit.name, JoinLines(unit.aliases), clock_.Now()});
        if (!row.ok()) {
          if (row.status().code() == ErrorCode::kConflict) {
            return Conflict("a unit with this code exists", "code");
          }
          return row.status();
        }
        const std::int64_t new_id = (*row)->Int(0);
        RETURN_IF_ERROR(audit_.Append(c, {actor.user_id, actor.username, "unit.create", "unit",
                                          std::to_string(new_id), request_id, "{}"}));
        return new_id;
      }));
  return Get(id);
}

Result<Unit> UnitsService::Update(const security::Principal& actor, std::int64_t id,
                                  const UnitPatch& patch, const std::string& request_id) {
  if (patch.name && Trim(*patch.name).empty()) return InvalidArgument("name is empty", "name");
  RETURN_IF_ERROR(database_.WriteTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(Unit unit, LoadUnit(c, id));
    std::vector<std::string> fields;
    if (patch.name) {
      unit.name = *patch.name;
      fields.push_back("\"name\"");
    }
    if (patch.aliases) {
      unit.aliases = *patch.aliases;
      fields.push_back("\"aliases\"");
    }
    RETURN_IF_ERROR(c.Execute("UPDATE org_units SET name = ?, aliases = ? WHERE id = ?",
                              {unit.name, JoinLines(unit.aliases), id}));
    if (patch.focal_points) {
      fields.push_back("\"focal_points\"");
      RETURN_IF_ERROR(c.Execute("DELETE FROM org_unit_focal_points WHERE unit_id = ?", {id}));
      std::set<std::int64_t> added;
      for (const auto& point : *patch.focal_points) {
        if (!added.insert(point.user_id).second) continue;
        RETURN_IF_ERROR(
            c.Execute("INSERT INTO org_unit_focal_points (unit_id, user_id, username, "
                      "display_name) VALUES (?, ?, ?, ?)",
                      {id, point.user_id, point.username, point.display_name}));
      }
    }
    std::string list;
    for (const auto& field : fields) list += (list.empty() ? "" : ",") + field;
    return audit_.Append(c, {actor.user_id, actor.username, "unit.update", "unit",
                             std::to_string(id), request_id, "{\"fields\":[" + list + "]}"});
  }));
  return Get(id);
}

Result<std::vector<std::int64_t>> UnitsService::UnitsOfUser(std::int64_t user_id) {
  return database_.Read<std::vector<std::int64_t>>(
      [&](storage::Connection& c) -> Result<std::vector<std::int64_t>> {
        ASSIGN_OR_RETURN(auto rows, c.Query("SELECT unit_id FROM org_unit_focal_points WHERE "
                                            "user_id = ? ORDER BY unit_id",
                                            {user_id}));
        std::vector<std::int64_t> ids;
        for (const auto& row : rows.rows) ids.push_back(row.Int(0));
        return ids;
      });
}

UnitMatch UnitsService::MatchAgainst(const std::vector<Unit>& units, const std::string& text) {
  std::map<std::string, std::int64_t> names;
  for (const auto& unit : units) {
    names.emplace(Lower(unit.code), unit.id);
    names.emplace(Lower(unit.name), unit.id);
    for (const auto& alias : unit.aliases) names.emplace(Lower(Trim(alias)), unit.id);
  }
  UnitMatch match;
  std::set<std::int64_t> seen;
  std::set<std::string> unmatched_seen;
  auto add = [&](std::int64_t id) {
    if (seen.insert(id).second) match.unit_ids.push_back(id);
  };
  auto try_piece = [&](const std::string& piece) -> bool {
    auto found = names.find(Lower(piece));
    if (found != names.end()) {
      add(found->second);
      return true;
    }
    // "MINUSCA Force" -> "Force"
    const std::string lowered = Lower(piece);
    if (lowered.rfind("minusca ", 0) == 0) {
      found = names.find(lowered.substr(8));
      if (found != names.end()) {
        add(found->second);
        return true;
      }
    }
    return false;
  };
  static const std::set<std::string> kFiller = {"etc", "etc.", "and", "coordination", "members"};
  for (const auto& piece : SplitPieces(text)) {
    if (kFiller.count(Lower(piece))) continue;
    if (try_piece(piece)) continue;
    // "MINUSCA Force and Police": try the parts.
    std::vector<std::string> parts;
    std::string rest = piece;
    std::string prefix = Lower(rest).rfind("minusca ", 0) == 0 ? "MINUSCA " : "";
    for (std::size_t at; (at = Lower(rest).find(" and ")) != std::string::npos;) {
      parts.push_back(Trim(rest.substr(0, at)));
      rest = rest.substr(at + 5);
    }
    parts.push_back(Trim(rest));
    bool all = parts.size() > 1;
    for (const auto& part : parts) {
      if (part.empty()) continue;
      if (!try_piece(part) && !try_piece(prefix + part)) all = false;
    }
    if (!all && unmatched_seen.insert(piece).second) match.unmatched.push_back(piece);
  }
  return match;
}

Result<UnitMatch> UnitsService::Match(const std::string& partner_text) {
  ASSIGN_OR_RETURN(auto units, List());
  return MatchAgainst(units, partner_text);
}

}  // namespace psea::units
