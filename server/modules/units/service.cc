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

}  // namespace

Result<std::vector<Unit>> UnitsService::List() {
  return database_.Read<std::vector<Unit>>(
      [&](storage::Connection& c) { return store_.ListUnits(c); });
}

Result<Unit> UnitsService::Load(storage::Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto unit, store_.FindUnit(c, id));
  if (!unit) return NotFound("no such unit");
  return std::move(*unit);
}

Result<Unit> UnitsService::Get(std::int64_t id) {
  return database_.Read<Unit>([&](storage::Connection& c) { return Load(c, id); });
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
        ASSIGN_OR_RETURN(const std::int64_t new_id, store_.InsertUnit(c, unit, clock_.Now()));
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
    ASSIGN_OR_RETURN(Unit unit, Load(c, id));
    std::vector<std::string> fields;
    if (patch.name) {
      unit.name = *patch.name;
      fields.push_back("\"name\"");
    }
    if (patch.aliases) {
      unit.aliases = *patch.aliases;
      fields.push_back("\"aliases\"");
    }
    RETURN_IF_ERROR(store_.UpdateUnit(c, id, unit.name, unit.aliases));
    if (patch.focal_points) {
      fields.push_back("\"focal_points\"");
      RETURN_IF_ERROR(store_.ReplaceFocalPoints(c, id, *patch.focal_points));
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
      [&](storage::Connection& c) { return store_.ListUnitsOfUser(c, user_id); });
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
