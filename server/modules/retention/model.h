// Retention: how long each kind of record is kept, legal holds that stop a purge, and the
// report of a purge (or of a dry run). The records belong to other modules (intake, accounts,
// the audit log); this module owns only its policies and holds.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace psea::retention {

enum class Kind {
  kComplaintsNotSea,  // closed as other misconduct or referred to GBV services
  kComplaintsClosed,  // closed with a reason, as a duplicate, or handed over
  kCasesClosed,       // allegation cases in a final status (closed, not SEA, no investigation)
  kQuarantine,        // intake's quarantined messages (e-mail and SMS never filed)
  kSessions,          // ended sign-in sessions, with the address they came from
  kAudit,             // audit entries, from the start of the chain
};
const std::vector<Kind>& AllKinds();
std::string_view KindName(Kind kind);  // the wire value: "complaints_not_sea", ...
std::optional<Kind> ParseKind(std::string_view name);
// Kinds whose reports list ids and held records (complaints and cases; the ids of the other
// kinds mean nothing to a reader), and what those ids name: "complaint" or "case", the
// object_type of their holds; empty for the other kinds.
std::string_view ObjectTypeOf(Kind kind);

// A kind's policy: records of the kind are due `after_days` days after their reference date
// (closure, receipt, last use, entry time) when `enabled`.
struct Policy {
  Kind kind = Kind::kQuarantine;
  bool enabled = false;
  std::int64_t after_days = 0;
  UnixMillis updated_at = 0;  // 0: the default, never changed
  std::string updated_by;
};

// The shipped default of each kind (see docs/operations.md for why) and the bounds of
// after_days (the audit log is kept at least a year).
Policy DefaultPolicy(Kind kind);
std::int64_t MinDays(Kind kind);
constexpr std::int64_t kMaxDays = 36500;

// The reference date before which records are due: `as_of` minus the policy's days.
UnixMillis Cutoff(UnixMillis as_of, std::int64_t after_days);

// A legal hold: the record named by (object_type, object_id) is never purged while the hold
// is active (lifted_at empty). Object types are registered by the modules that own records
// ("complaint" by intake, "case" by case management).
struct Hold {
  std::int64_t id = 0;
  std::string object_type;
  std::int64_t object_id = 0;
  std::string reason;
  std::int64_t placed_by = 0;
  std::string placed_by_username;
  UnixMillis placed_at = 0;
  std::optional<UnixMillis> lifted_at;
  std::string lifted_by_username;
  std::string lift_reason;
};

// A closed complaint a policy reaches, as the intake module lists it, or a case in a final
// status (closed_at: the date of the closing step; never any duplicates).
struct ClosedRecord {
  std::int64_t id = 0;
  UnixMillis closed_at = 0;
  std::vector<std::int64_t> duplicates;  // complaints closed as duplicates of this one
};

// What a complaint policy removes: records closed before the cutoff, except those on hold
// and those another complaint that stays points at as its original (removing the original
// first would leave the duplicate pointing at nothing). Duplicates come before their
// originals in `due`, so that deleting in that order never breaks a reference.
struct DueRecords {
  std::vector<std::int64_t> due;
  std::vector<std::int64_t> held;
  std::vector<std::int64_t> kept_for_duplicates;
};
DueRecords ComputeDue(const std::vector<ClosedRecord>& records, UnixMillis cutoff,
                      const std::set<std::int64_t>& held);

// One kind in a purge's report.
struct KindReport {
  Kind kind = Kind::kQuarantine;
  bool enabled = false;
  std::int64_t after_days = 0;
  UnixMillis cutoff = 0;   // 0 when disabled
  std::int64_t count = 0;  // records removed (or, in a dry run, due)
  // Complaint and case kinds only (ObjectTypeOf): the ids (never for other kinds, whose ids
  // mean nothing to a reader).
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> held;
  std::vector<std::int64_t> kept_for_duplicates;
};

struct RunReport {
  bool dry_run = true;
  UnixMillis as_of = 0;
  std::vector<KindReport> kinds;
  std::int64_t vault_items = 0;  // sealed items destroyed with complaints, cases, quarantine
  std::int64_t files = 0;        // attachment files overwritten and removed
};

}  // namespace psea::retention
