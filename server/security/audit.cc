#include "security/audit.h"

#include <algorithm>

#include "security/crypto.h"

namespace psea::security {

namespace {
const std::string kGenesisHash(64, '0');

void AppendField(std::string& out, std::string_view field) {
  // Length-prefixed so that no two different entries serialise alike.
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

constexpr const char* kColumns =
    "id, ts, actor_user_id, actor, action, object_type, object_id, request_id, details, "
    "prev_hash, hash";

AuditEntry EntryFromRow(const storage::Row& row) {
  AuditEntry entry;
  entry.id = row.Int(0);
  entry.ts = row.Int(1);
  entry.event.actor_user_id = row.OptInt(2);
  entry.event.actor = row.Text(3);
  entry.event.action = row.Text(4);
  entry.event.object_type = row.Text(5);
  entry.event.object_id = row.Text(6);
  entry.event.request_id = row.Text(7);
  entry.event.details = row.Text(8);
  entry.prev_hash = row.Text(9);
  entry.hash = row.Text(10);
  return entry;
}
}  // namespace

std::string AuditLog::ComputeHash(const AuditEntry& entry) {
  std::string canonical = "psea-audit-v1;";
  AppendField(canonical, std::to_string(entry.id));
  AppendField(canonical, std::to_string(entry.ts));
  AppendField(canonical,
              entry.event.actor_user_id ? std::to_string(*entry.event.actor_user_id) : "");
  AppendField(canonical, entry.event.actor);
  AppendField(canonical, entry.event.action);
  AppendField(canonical, entry.event.object_type);
  AppendField(canonical, entry.event.object_id);
  AppendField(canonical, entry.event.request_id);
  AppendField(canonical, entry.event.details);
  AppendField(canonical, entry.prev_hash);
  return HexEncode(Sha256(canonical));
}

Status AuditLog::Append(storage::Connection& c, const AuditEvent& event) const {
  // Taking the next id through an UPDATE locks the head row until commit on PostgreSQL;
  // SQLite write transactions are serial anyway.
  ASSIGN_OR_RETURN(auto head, c.QueryOne("UPDATE audit_head SET last_id = last_id + 1 "
                                         "WHERE singleton = 1 RETURNING last_id, last_hash"));
  if (!head) return Internal("the audit head row is missing");
  AuditEntry entry;
  entry.id = head->Int(0);
  entry.ts = clock_.Now();
  entry.event = event;
  if (entry.event.details.empty()) entry.event.details = "{}";
  entry.prev_hash = head->Text(1);
  entry.hash = ComputeHash(entry);
  RETURN_IF_ERROR(c.Execute(
      "INSERT INTO audit_log (id, ts, actor_user_id, actor, action, object_type, object_id, "
      "request_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {entry.id, entry.ts, storage::Opt(entry.event.actor_user_id), entry.event.actor,
       entry.event.action, entry.event.object_type, entry.event.object_id, entry.event.request_id,
       entry.event.details, entry.prev_hash, entry.hash}));
  RETURN_IF_ERROR(
      c.Execute("UPDATE audit_head SET last_hash = ? WHERE singleton = 1", {entry.hash}));
  return Status::Ok();
}

Status AuditLog::AppendNow(storage::Database& database, const AuditEvent& event) const {
  return database.WriteTransaction([&](storage::Connection& c) { return Append(c, event); });
}

Result<std::vector<AuditEntry>> AuditLog::Query(storage::Connection& c, const AuditFilter& filter) {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1 = 1";
  storage::Params params;
  auto add = [&](const char* clause, storage::Value value) {
    sql += clause;
    params.push_back(std::move(value));
  };
  if (filter.actor) add(" AND actor = ?", *filter.actor);
  if (filter.action) add(" AND action = ?", *filter.action);
  if (filter.object_type) add(" AND object_type = ?", *filter.object_type);
  if (filter.object_id) add(" AND object_id = ?", *filter.object_id);
  if (filter.from) add(" AND ts >= ?", *filter.from);
  if (filter.to) add(" AND ts < ?", *filter.to);
  if (filter.before_id) add(" AND id < ?", *filter.before_id);
  add(" ORDER BY id DESC LIMIT ?", std::int64_t{filter.limit});
  ASSIGN_OR_RETURN(auto result, c.Query(sql, params));
  std::vector<AuditEntry> entries;
  entries.reserve(result.rows.size());
  for (const auto& row : result.rows) entries.push_back(EntryFromRow(row));
  return entries;
}

std::string FormatAuditAnchor(const AuditAnchor& anchor) {
  return std::to_string(anchor.id) + ":" + anchor.hash;
}

Result<AuditAnchor> ParseAuditAnchor(std::string_view text) {
  const auto malformed = [] {
    return InvalidArgument("an anchor is ID:HASH, an entry id and its 64 hex digit hash", "anchor");
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 18) return malformed();
  AuditAnchor anchor;
  for (char digit : text.substr(0, colon)) {
    if (digit < '0' || digit > '9') return malformed();
    anchor.id = anchor.id * 10 + (digit - '0');
  }
  const std::string_view hash = text.substr(colon + 1);
  if (hash.size() != 64) return malformed();
  for (char digit : hash) {
    if (digit >= '0' && digit <= '9') {
      anchor.hash += digit;
    } else if ((digit >= 'a' && digit <= 'f') || (digit >= 'A' && digit <= 'F')) {
      anchor.hash += static_cast<char>(digit | 0x20);  // lower case, as stored
    } else {
      return malformed();
    }
  }
  return anchor;
}

Result<AuditAnchor> AuditLog::Head(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto head, c.QueryOne("SELECT last_id, last_hash FROM audit_head"));
  if (!head) return Internal("the audit head row is missing");
  return AuditAnchor{head->Int(0), head->Text(1)};
}

namespace {
Result<AuditVerification> VerifyInSnapshot(storage::Connection& c,
                                           const std::optional<AuditAnchor>& anchor) {
  AuditVerification report;
  auto fail = [&](std::int64_t id, std::string problem) {
    report.ok = false;
    report.first_bad_id = id;
    report.problem = std::move(problem);
    return report;
  };
  ASSIGN_OR_RETURN(auto head_row, c.QueryOne("SELECT last_id, last_hash FROM audit_head"));
  if (!head_row) return fail(0, "the audit head row is missing");
  report.head = AuditAnchor{head_row->Int(0), head_row->Text(1)};
  const std::int64_t head_id = report.head.id;
  ASSIGN_OR_RETURN(report.base, AuditLog::Base(c));
  if (anchor && anchor->id != 0 && anchor->id < report.base.id) {
    return fail(anchor->id, "the anchor names entry " + std::to_string(anchor->id) +
                                ", which retention removed (the chain now starts after entry " +
                                std::to_string(report.base.id) + "); check a newer anchor");
  }
  if (anchor && anchor->id != 0 && anchor->id == report.base.id &&
      anchor->hash != report.base.hash) {
    return fail(anchor->id, "the chain's base (entry " + std::to_string(anchor->id) +
                                ") does not match the anchor (the chain was rewritten)");
  }
  std::string previous_hash = report.base.hash;
  std::int64_t expected_id = report.base.id + 1;
  constexpr std::int64_t kBatch = 5000;
  while (expected_id <= head_id) {
    ASSIGN_OR_RETURN(auto batch,
                     c.Query(std::string("SELECT ") + kColumns +
                                 " FROM audit_log WHERE id >= ? AND id <= ? ORDER BY id LIMIT ?",
                             {expected_id, head_id, kBatch}));
    for (const auto& row : batch.rows) {
      AuditEntry entry = EntryFromRow(row);
      if (entry.id != expected_id) {
        return fail(expected_id, "entry " + std::to_string(expected_id) +
                                     " is missing (the next entry is " + std::to_string(entry.id) +
                                     ")");
      }
      if (entry.prev_hash != previous_hash) {
        return fail(entry.id, "entry " + std::to_string(entry.id) +
                                  " does not follow the entry before it (removed or reordered)");
      }
      if (AuditLog::ComputeHash(entry) != entry.hash) {
        return fail(entry.id,
                    "entry " + std::to_string(entry.id) + " was altered (its hash does not match)");
      }
      if (anchor && anchor->id == entry.id && anchor->hash != entry.hash) {
        return fail(entry.id, "entry " + std::to_string(entry.id) +
                                  " does not match the anchor (the chain was rewritten)");
      }
      previous_hash = entry.hash;
      ++expected_id;
      ++report.entries_checked;
    }
    if (static_cast<std::int64_t>(batch.rows.size()) < kBatch) break;
  }
  if (expected_id - 1 != head_id || previous_hash != report.head.hash) {
    return fail(expected_id, "entries after " + std::to_string(expected_id - 1) +
                                 " were removed or altered (the head records entry " +
                                 std::to_string(head_id) + ")");
  }
  // Entries at or below the base are gone by design; one still there was put back.
  ASSIGN_OR_RETURN(auto below,
                   c.QueryOne("SELECT MAX(id) FROM audit_log WHERE id <= ?", {report.base.id}));
  if (below && !below->IsNull(0)) {
    return fail(below->Int(0), "entry " + std::to_string(below->Int(0)) +
                                   " lies at or below the chain's base (entry " +
                                   std::to_string(report.base.id) + ", removed by retention)");
  }
  // The head is rewound together with the entries it names when someone cuts the end and
  // then appends outside psea, or an entry may be slipped in past it: in one snapshot, an
  // honest chain has nothing beyond its head.
  ASSIGN_OR_RETURN(auto beyond,
                   c.QueryOne("SELECT MIN(id) FROM audit_log WHERE id > ?", {head_id}));
  if (beyond && !beyond->IsNull(0)) {
    return fail(beyond->Int(0), "entry " + std::to_string(beyond->Int(0)) +
                                    " lies past the head (entry " + std::to_string(head_id) +
                                    "): the head was rewound or the entry added outside psea");
  }
  if (anchor) {
    if (anchor->id > head_id) {
      return fail(head_id + 1, "the chain ends at entry " + std::to_string(head_id) +
                                   ", before the anchored entry " + std::to_string(anchor->id) +
                                   " (entries were cut from the end)");
    }
    if (anchor->id == 0 && anchor->hash != kGenesisHash) {
      return fail(0, "the anchor names entry 0 with a hash other than the chain's start");
    }
    report.anchor_checked = true;
  }
  return report;
}
}  // namespace

Result<AuditAnchor> AuditLog::Base(storage::Connection& c) {
  ASSIGN_OR_RETURN(auto base, c.QueryOne("SELECT base_id, base_hash FROM audit_base"));
  if (!base) return Internal("the audit base row is missing");
  return AuditAnchor{base->Int(0), base->Text(1)};
}

namespace {
// The last entry of the run of entries older than `cutoff` that starts the chain; 0 for none.
// The head itself is never purged, so the chain always ends at an entry that is stored.
Result<std::int64_t> LastPurgeable(storage::Connection& c, UnixMillis cutoff) {
  ASSIGN_OR_RETURN(const AuditAnchor head, AuditLog::Head(c));
  ASSIGN_OR_RETURN(auto newer, c.QueryOne("SELECT MIN(id) FROM audit_log WHERE ts >= ?", {cutoff}));
  std::int64_t last = head.id - 1;
  if (newer && !newer->IsNull(0)) last = std::min(last, newer->Int(0) - 1);
  return std::max<std::int64_t>(last, 0);
}
}  // namespace

Result<std::int64_t> AuditLog::CountPurgeable(storage::Connection& c, UnixMillis cutoff) {
  ASSIGN_OR_RETURN(const AuditAnchor base, Base(c));
  ASSIGN_OR_RETURN(const std::int64_t last, LastPurgeable(c, cutoff));
  return std::max<std::int64_t>(last - base.id, 0);
}

Result<std::int64_t> AuditLog::PurgeBefore(storage::Connection& c, UnixMillis cutoff) {
  ASSIGN_OR_RETURN(const AuditAnchor base, Base(c));
  ASSIGN_OR_RETURN(const std::int64_t last, LastPurgeable(c, cutoff));
  if (last <= base.id) return std::int64_t{0};
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT hash FROM audit_log WHERE id = ?", {last}));
  if (!row) return Internal("audit entry " + std::to_string(last) + " is missing");
  // The base moves first: the database refuses to delete entries above it.
  RETURN_IF_ERROR(c.Execute("UPDATE audit_base SET base_id = ?, base_hash = ? WHERE singleton = 1",
                            {last, row->Text(0)}));
  RETURN_IF_ERROR(c.Execute("DELETE FROM audit_log WHERE id <= ?", {last}));
  return last - base.id;
}

Result<AuditVerification> AuditLog::Verify(storage::Database& database,
                                           const std::optional<AuditAnchor>& anchor) {
  AuditVerification report;
  RETURN_IF_ERROR(database.ReadTransaction([&](storage::Connection& c) -> Status {
    ASSIGN_OR_RETURN(report, VerifyInSnapshot(c, anchor));
    return Status::Ok();
  }));
  return report;
}

std::vector<storage::Migration> AuditLog::Migrations() {
  storage::Migration tables{"audit", 1, "audit chain", R"sql(
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  ts BIGINT NOT NULL,
  actor_user_id BIGINT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_ts ON audit_log (ts);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id, id);
CREATE TABLE audit_head (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)sql"};
  // The database refuses to change or delete entries; someone with the database's own
  // credentials can drop the trigger, which is what `psea audit verify` is for.
  storage::Migration append_only{"audit", 2, "audit log is append-only", R"sql(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"};
  append_only.postgres_sql = R"sql(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
)sql";
  // Retention removes entries from the start of the chain only, below a recorded base (see
  // PurgeBefore); deleting an entry above the base, or changing one, is still refused.
  storage::Migration base{"audit", 3, "retention may remove the oldest entries below a base",
                          R"sql(
CREATE TABLE audit_base (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  base_id BIGINT NOT NULL,
  base_hash TEXT NOT NULL
);
INSERT INTO audit_base (singleton, base_id, base_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN OLD.id > (SELECT base_id FROM audit_base)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql"};
  base.postgres_sql = R"sql(
CREATE TABLE audit_base (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  base_id BIGINT NOT NULL,
  base_hash TEXT NOT NULL
);
INSERT INTO audit_base (singleton, base_id, base_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.id <= (SELECT base_id FROM audit_base) THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END; $$;
)sql";
  return {tables, append_only, base};
}

}  // namespace psea::security
