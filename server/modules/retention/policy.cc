#include <algorithm>
#include <map>

#include "modules/retention/model.h"

namespace psea::retention {

namespace {
struct KindInfo {
  Kind kind;
  std::string_view name;
  bool enabled;
  std::int64_t days;
  std::int64_t min_days;
};

// Defaults (docs/operations.md, "Retention"): complaints, cases and the audit log are kept until
// the CDT chief decides (their retention follows the mission's records schedule, which psea cannot
// know); quarantined messages and ended sessions are purged after 90 days (neither is a record
// anybody filed, and both hold personal data: raw messages, addresses).
constexpr KindInfo kKinds[] = {
    {Kind::kComplaintsNotSea, "complaints_not_sea", false, 365, 30},
    {Kind::kComplaintsClosed, "complaints_closed", false, 365, 30},
    {Kind::kCasesClosed, "cases_closed", false, 365, 30},
    {Kind::kQuarantine, "quarantine", true, 90, 7},
    {Kind::kSessions, "sessions", true, 90, 1},
    {Kind::kAudit, "audit", false, 3650, 365},
};

const KindInfo& InfoOf(Kind kind) {
  for (const auto& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];
}
}  // namespace

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kinds = [] {
    std::vector<Kind> out;
    for (const auto& info : kKinds) out.push_back(info.kind);
    return out;
  }();
  return kinds;
}

std::string_view KindName(Kind kind) { return InfoOf(kind).name; }

std::optional<Kind> ParseKind(std::string_view name) {
  for (const auto& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

std::string_view ObjectTypeOf(Kind kind) {
  switch (kind) {
    case Kind::kComplaintsNotSea:
    case Kind::kComplaintsClosed:
      return "complaint";
    case Kind::kCasesClosed:
      return "case";
    default:
      return {};
  }
}

Policy DefaultPolicy(Kind kind) {
  const KindInfo& info = InfoOf(kind);
  Policy policy;
  policy.kind = kind;
  policy.enabled = info.enabled;
  policy.after_days = info.days;
  return policy;
}

std::int64_t MinDays(Kind kind) { return InfoOf(kind).min_days; }

UnixMillis Cutoff(UnixMillis as_of, std::int64_t after_days) {
  return as_of - after_days * std::int64_t{24 * 3600 * 1000};
}

DueRecords ComputeDue(const std::vector<ClosedRecord>& records, UnixMillis cutoff,
                      const std::set<std::int64_t>& held) {
  DueRecords out;
  std::set<std::int64_t> due;
  for (const auto& record : records) {
    if (record.closed_at >= cutoff) continue;
    if (held.count(record.id)) {
      out.held.push_back(record.id);
    } else {
      due.insert(record.id);
    }
  }
  // An original stays while one of its duplicates stays. Duplicates point at an original
  // directly (marking a duplicate moves its own duplicates to the original), but keeping one
  // record can keep another, so repeat until nothing changes.
  std::set<std::int64_t> kept;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& record : records) {
      if (!due.count(record.id)) continue;
      const bool duplicate_stays =
          std::any_of(record.duplicates.begin(), record.duplicates.end(),
                      [&](std::int64_t duplicate) { return !due.count(duplicate); });
      if (duplicate_stays) {
        due.erase(record.id);
        kept.insert(record.id);
        changed = true;
      }
    }
  }
  out.kept_for_duplicates.assign(kept.begin(), kept.end());
  // Duplicates first, then originals, each in the order listed (oldest closure first).
  std::set<std::int64_t> originals;
  for (const auto& record : records) {
    if (due.count(record.id) && !record.duplicates.empty()) originals.insert(record.id);
  }
  for (const auto& record : records) {
    if (due.count(record.id) && !originals.count(record.id)) out.due.push_back(record.id);
  }
  for (const auto& record : records) {
    if (originals.count(record.id)) out.due.push_back(record.id);
  }
  return out;
}

}  // namespace psea::retention
