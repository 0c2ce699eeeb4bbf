#include "modules/cases/store.h"

#include <map>

namespace psea::cases {

using storage::Connection;
using storage::Value;

namespace {

constexpr const char* kCaseColumns =
    "id, reference, mission, date_reported, incident_date_precision, incident_date, location, "
    "category, type, risk_child, risk_violence, risk_ongoing, urgent, paternity_claim, "
    "investigating_entity, status, status_date, outcome, closure_reason, version, created_by, "
    "created_at, updated_at";

Case CaseFrom(const storage::Row& row) {
  Case k;
  k.id = row.Int(0);
  k.reference = row.Text(1);
  k.mission = row.Text(2);
  k.date_reported = row.Text(3);
  k.incident_date_precision = row.Text(4);
  k.incident_date = row.Text(5);
  k.location = row.Text(6);
  k.category = row.Text(7);
  k.type = row.Text(8);
  k.risk_child = row.Bool(9);
  k.risk_violence = row.Bool(10);
  k.risk_ongoing = row.Bool(11);
  k.urgent = row.Bool(12);
  k.paternity_claim = row.Bool(13);
  k.investigating_entity = row.Text(14);
  k.status = ParseCaseStatus(row.Text(15)).value_or(CaseStatus::kReceived);
  k.status_date = row.Text(16);
  k.outcome = row.Text(17);
  k.closure_reason = row.Text(18);
  k.version = row.Int(19);
  k.created_by = row.Int(20);
  k.created_at = row.Int(21);
  k.updated_at = row.Int(22);
  return k;
}

Value OptionalInt(const std::optional<int>& value) {
  if (!value) return std::monostate{};
  return static_cast<std::int64_t>(*value);
}

Victim VictimFrom(const storage::Row& row) {
  Victim v;
  v.id = row.Int(0);
  v.pseudonym = row.Text(1);
  v.sex = row.Text(2);
  v.age_group = row.Text(3);
  if (auto age = row.OptInt(4)) v.age = static_cast<int>(*age);
  v.child_born = row.Text(5);
  v.identity_item = row.Int(6);
  return v;
}

Subject SubjectFrom(const storage::Row& row) {
  Subject s;
  s.id = row.Int(0);
  s.personnel_category = row.Text(1);
  s.nationality = row.Text(2);
  s.unit = row.Text(3);
  s.rank = row.Text(4);
  s.identity_item = row.Int(5);
  s.identified = !row.Text(6).empty();
  return s;
}

}  // namespace

std::vector<storage::Migration> CasesStore::Migrations() {
  return {{"cases", 1, "allegation cases", R"sql(
CREATE TABLE case_sequences (
  prefix TEXT NOT NULL,
  year BIGINT NOT NULL,
  last_number BIGINT NOT NULL,
  PRIMARY KEY (prefix, year)
);
CREATE TABLE cases (
  id {{ID}},
  reference TEXT NOT NULL UNIQUE,
  mission TEXT NOT NULL,
  date_reported TEXT NOT NULL,
  incident_date_precision TEXT NOT NULL,
  incident_date TEXT NOT NULL,
  location TEXT NOT NULL,
  category TEXT NOT NULL,
  type TEXT NOT NULL,
  risk_child INTEGER NOT NULL,
  risk_violence INTEGER NOT NULL,
  risk_ongoing INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  paternity_claim INTEGER NOT NULL,
  investigating_entity TEXT NOT NULL,
  status TEXT NOT NULL,
  status_date TEXT NOT NULL,
  outcome TEXT NOT NULL,
  closure_reason TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX cases_status ON cases (status);
CREATE TABLE case_complaints (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  complaint_id BIGINT NOT NULL UNIQUE,
  complaint_reference TEXT NOT NULL,
  added_at BIGINT NOT NULL
);
CREATE INDEX case_complaints_case ON case_complaints (case_id);
CREATE TABLE case_victims (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  pseudonym TEXT NOT NULL,
  sex TEXT NOT NULL,
  age_group TEXT NOT NULL,
  age BIGINT,
  child_born TEXT NOT NULL,
  identity_item BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_victims_case ON case_victims (case_id);
CREATE TABLE case_subjects (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  personnel_category TEXT NOT NULL,
  nationality TEXT NOT NULL,
  unit TEXT NOT NULL,
  rank TEXT NOT NULL,
  identity_item BIGINT NOT NULL,
  identity_tag TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_subjects_case ON case_subjects (case_id);
CREATE INDEX case_subjects_tag ON case_subjects (identity_tag);
CREATE TABLE case_officers (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  assigned_by BIGINT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_officers_user ON case_officers (user_id);
CREATE TABLE case_events (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  at BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL,
  event_date TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id);
CREATE TABLE case_entries (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  kind TEXT NOT NULL,
  type TEXT NOT NULL,
  entry_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  note TEXT NOT NULL,
  amount TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_entries_case ON case_entries (case_id);
)sql"},
          {"cases", 2, "case clocks: the timeline rule table, pauses, computed due dates", R"sql(
CREATE TABLE case_timeline_settings (
  id BIGINT PRIMARY KEY,
  settings TEXT NOT NULL,
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE case_clock_pauses (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  rule TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT,
  reason TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  ended_by BIGINT,
  ended_by_username TEXT NOT NULL
);
CREATE INDEX case_clock_pauses_case ON case_clock_pauses (case_id);
CREATE TABLE case_clocks (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  rule TEXT NOT NULL,
  state TEXT NOT NULL,
  due_at BIGINT,
  PRIMARY KEY (case_id, rule)
);
CREATE INDEX case_clocks_due ON case_clocks (due_at);
)sql"},
          {"cases", 3, "victim contacts, review decisions, reminders sent", R"sql(
CREATE TABLE case_victim_contacts (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  victim_id BIGINT NOT NULL REFERENCES case_victims (id),
  contact_date TEXT NOT NULL,
  channel TEXT NOT NULL,
  note_item BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_victim_contacts_case ON case_victim_contacts (case_id);
CREATE TABLE case_review_decisions (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  meeting_date TEXT NOT NULL,
  decision TEXT NOT NULL,
  action_owner TEXT NOT NULL,
  due_date TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_review_decisions_case ON case_review_decisions (case_id);
CREATE TABLE case_reminders (
  recipient TEXT NOT NULL,
  case_id BIGINT NOT NULL REFERENCES cases (id),
  rule TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  sent_day TEXT NOT NULL,
  sent_at BIGINT NOT NULL,
  PRIMARY KEY (recipient, case_id, rule, due_at, state)
);
CREATE INDEX case_reminders_day ON case_reminders (recipient, sent_day);
CREATE INDEX case_reminders_case ON case_reminders (case_id);
)sql"},
          {"cases", 4, "case list: VRA links, filter indexes, full-text search of the clear half",
           R"sql(
CREATE TABLE case_advocates (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  assigned_by BIGINT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_advocates_user ON case_advocates (user_id);
CREATE INDEX cases_entity ON cases (investigating_entity);
CREATE INDEX cases_category_type ON cases (category, type);
CREATE INDEX cases_reported ON cases (date_reported);
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX case_subjects_category ON case_subjects (personnel_category, case_id);
CREATE VIRTUAL TABLE case_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO case_search (rowid, body) SELECT c.id, c.reference || ' ' || c.location || ' ' ||
  c.category || ' ' || c.type || ' ' || c.investigating_entity || ' ' || c.status || ' ' ||
  c.outcome || ' ' || COALESCE((SELECT group_concat(p.complaint_reference, ' ') FROM
  case_complaints p WHERE p.case_id = c.id), '') || ' ' || COALESCE((SELECT
  group_concat(s.personnel_category || ' ' || s.nationality || ' ' || s.unit, ' ') FROM
  case_subjects s WHERE s.case_id = c.id), '') FROM cases c;
)sql",
           R"sql(
CREATE TABLE case_advocates (
  case_id BIGINT NOT NULL REFERENCES cases (id),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  assigned_by BIGINT NOT NULL,
  assigned_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_advocates_user ON case_advocates (user_id);
CREATE INDEX cases_entity ON cases (investigating_entity);
CREATE INDEX cases_category_type ON cases (category, type);
CREATE INDEX cases_reported ON cases (date_reported);
CREATE INDEX cases_updated ON cases (updated_at);
CREATE INDEX case_subjects_category ON case_subjects (personnel_category, case_id);
CREATE TABLE case_search (
  case_id BIGINT PRIMARY KEY REFERENCES cases (id),
  document tsvector NOT NULL
);
CREATE INDEX case_search_document ON case_search USING GIN (document);
INSERT INTO case_search (case_id, document) SELECT c.id, to_tsvector('simple', translate(c.reference ||
  ' ' || c.location || ' ' || c.category || ' ' || c.type || ' ' || c.investigating_entity ||
  ' ' || c.status || ' ' || c.outcome || ' ' || COALESCE((SELECT
  string_agg(p.complaint_reference, ' ') FROM case_complaints p WHERE p.case_id = c.id), '') ||
  ' ' || COALESCE((SELECT string_agg(s.personnel_category || ' ' || s.nationality || ' ' ||
  s.unit, ' ') FROM case_subjects s WHERE s.case_id = c.id), ''), '-./@:', '     ')) FROM cases c;
)sql"},
          {"cases", 5, "case figures and extracts: an index for the status steps, the extracts log",
           R"sql(
CREATE INDEX case_events_to_status ON case_events (to_status, case_id);
CREATE TABLE case_extracts (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  recipient TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_username TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_extracts_case ON case_extracts (case_id);
)sql"},
          // The due view reads the open clocks due before a date; case_clocks_due walks every
          // clock with a due date, the met ones too (nine in ten over a mission's years). Only the
          // open clocks are indexed here; DueClocks repeats the condition word for word so that
          // both engines use it (docs/performance.md).
          {"cases", 6, "case clocks: an index of the open clocks by due date", R"sql(
CREATE INDEX case_clocks_open ON case_clocks (due_at) WHERE state IN ('running', 'overdue');
)sql"},
          // The figures are cached per month reported, each at its month's revision, bumped
          // in the transaction of every change to a case of that month (SaveClocks, which every
          // write of a case runs; UpdateCase when the date reported moves; DeleteCase).
          {"cases", 7, "case figures: a revision per month reported", R"sql(
CREATE TABLE case_figure_months (
  month TEXT PRIMARY KEY,
  revision BIGINT NOT NULL
);
INSERT INTO case_figure_months (month, revision)
  SELECT DISTINCT SUBSTR(date_reported, 1, 7), 1 FROM cases;
)sql"}};
}

Result<std::int64_t> CasesStore::NextNumber(Connection& c, const std::string& prefix,
                                            int year) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO case_sequences (prefix, year, last_number) "
                                        "VALUES (?, ?, 1) ON CONFLICT (prefix, year) DO UPDATE "
                                        "SET last_number = case_sequences.last_number + 1 "
                                        "RETURNING last_number",
                                        {prefix, static_cast<std::int64_t>(year)}));
  if (!row) return Internal("the case sequence did not answer");
  return row->Int(0);
}

Result<std::int64_t> CasesStore::InsertCase(Connection& c, const Case& k) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(
          "INSERT INTO cases (reference, mission, date_reported, incident_date_precision, "
          "incident_date, location, category, type, risk_child, risk_violence, risk_ongoing, "
          "urgent, paternity_claim, investigating_entity, status, status_date, outcome, "
          "closure_reason, version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {k.reference,
           k.mission,
           k.date_reported,
           k.incident_date_precision,
           k.incident_date,
           k.location,
           k.category,
           k.type,
           std::int64_t{k.risk_child},
           std::int64_t{k.risk_violence},
           std::int64_t{k.risk_ongoing},
           std::int64_t{k.urgent},
           std::int64_t{k.paternity_claim},
           k.investigating_entity,
           std::string(CaseStatusName(k.status)),
           k.status_date,
           k.outcome,
           k.closure_reason,
           k.version,
           k.created_by,
           k.created_at,
           k.updated_at}));
  if (!row) return Internal("the case was not stored");
  return row->Int(0);
}

Result<std::optional<Case>> CasesStore::FindCase(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(
      auto row,
      c.QueryOne(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = ?", {id}));
  if (!row) return std::optional<Case>();
  return std::optional<Case>(CaseFrom(*row));
}

Status CasesStore::LoadLists(Connection& c, Case& k) const {
  ASSIGN_OR_RETURN(auto complaints, c.Query("SELECT complaint_id, complaint_reference FROM "
                                            "case_complaints WHERE case_id = ? ORDER BY "
                                            "complaint_id",
                                            {k.id}));
  k.complaints.clear();
  for (const auto& row : complaints.rows) k.complaints.push_back({row.Int(0), row.Text(1)});
  ASSIGN_OR_RETURN(auto victims, c.Query("SELECT id, pseudonym, sex, age_group, age, "
                                         "child_born, identity_item FROM case_victims WHERE "
                                         "case_id = ? ORDER BY id",
                                         {k.id}));
  k.victims.clear();
  for (const auto& row : victims.rows) k.victims.push_back(VictimFrom(row));
  // other_cases: cases other than this one holding a subject with the same identity tag.
  ASSIGN_OR_RETURN(
      auto subjects,
      c.Query("SELECT s.id, s.personnel_category, s.nationality, s.unit, s.rank, "
              "s.identity_item, s.identity_tag, (SELECT COUNT(DISTINCT o.case_id) FROM "
              "case_subjects o WHERE s.identity_tag <> '' AND o.identity_tag = s.identity_tag "
              "AND o.case_id <> s.case_id) FROM case_subjects s WHERE s.case_id = ? ORDER BY s.id",
              {k.id}));
  k.subjects.clear();
  for (const auto& row : subjects.rows) {
    Subject s = SubjectFrom(row);
    s.other_cases = row.Int(7);
    k.subjects.push_back(std::move(s));
  }
  ASSIGN_OR_RETURN(auto officers, c.Query("SELECT user_id, username, assigned_at FROM "
                                          "case_officers WHERE case_id = ? ORDER BY username",
                                          {k.id}));
  k.officers.clear();
  for (const auto& row : officers.rows) {
    k.officers.push_back({row.Int(0), row.Text(1), row.Int(2)});
  }
  ASSIGN_OR_RETURN(auto entries, c.Query("SELECT id, kind, type, entry_date, end_date, note, "
                                         "amount, created_by_username, created_at FROM "
                                         "case_entries WHERE case_id = ? ORDER BY entry_date, id",
                                         {k.id}));
  k.entries.clear();
  for (const auto& row : entries.rows) {
    k.entries.push_back({row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                         row.Text(5), row.Text(6), row.Text(7), row.Int(8)});
  }
  ASSIGN_OR_RETURN(auto events, c.Query("SELECT id, at, user_id, username, kind, from_status, "
                                        "to_status, reason, event_date FROM case_events WHERE "
                                        "case_id = ? ORDER BY id",
                                        {k.id}));
  k.timeline.clear();
  for (const auto& row : events.rows) {
    k.timeline.push_back({row.Int(0), row.Int(1), row.Int(2), row.Text(3), row.Text(4), row.Text(5),
                          row.Text(6), row.Text(7), row.Text(8)});
  }
  return Status::Ok();
}

Result<std::vector<Case>> CasesStore::ListCases(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query(std::string("SELECT ") + kCaseColumns + " FROM cases ORDER BY id DESC",
                           storage::Params{}));
  std::vector<Case> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.push_back(CaseFrom(row));
  return out;
}

Result<std::vector<CaseAccessFacts>> CasesStore::AccessFacts(
    Connection& c, std::optional<std::int64_t> only) const {
  storage::Params params;
  std::string where;
  if (only) {
    where = " WHERE c.id = ?";
    params.push_back(*only);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT c.id, c.investigating_entity, (SELECT COUNT(*) "
                                      "FROM case_victims v WHERE v.case_id = c.id) FROM cases c" +
                                          where,
                                      params));
  std::string officer_sql = "SELECT case_id, user_id FROM case_officers";
  if (only) officer_sql += " WHERE case_id = ?";
  ASSIGN_OR_RETURN(auto officers, c.Query(officer_sql, params));
  std::map<std::int64_t, std::vector<std::int64_t>> by_case;
  for (const auto& row : officers.rows) by_case[row.Int(0)].push_back(row.Int(1));
  std::vector<CaseAccessFacts> out;
  std::string advocate_sql = "SELECT case_id, user_id FROM case_advocates";
  if (only) advocate_sql += " WHERE case_id = ?";
  ASSIGN_OR_RETURN(auto advocates, c.Query(advocate_sql, params));
  std::map<std::int64_t, std::vector<std::int64_t>> advocates_by_case;
  for (const auto& row : advocates.rows) advocates_by_case[row.Int(0)].push_back(row.Int(1));
  for (const auto& row : rows.rows) {
    out.push_back(
        {row.Int(0), row.Text(1), row.Int(2), by_case[row.Int(0)], advocates_by_case[row.Int(0)]});
  }
  return out;
}

Result<bool> CasesStore::UpdateCase(Connection& c, const Case& k,
                                    std::int64_t expected_version) const {
  // The month the case leaves, when the date reported moves (SaveClocks bumps the new one).
  RETURN_IF_ERROR(TouchFigureMonth(c, k.id, k.date_reported));
  ASSIGN_OR_RETURN(
      std::int64_t changed,
      c.Execute("UPDATE cases SET mission = ?, date_reported = ?, incident_date_precision = ?, "
                "incident_date = ?, location = ?, category = ?, type = ?, risk_child = ?, "
                "risk_violence = ?, risk_ongoing = ?, urgent = ?, paternity_claim = ?, "
                "investigating_entity = ?, status = ?, status_date = ?, outcome = ?, "
                "closure_reason = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                {k.mission,
                 k.date_reported,
                 k.incident_date_precision,
                 k.incident_date,
                 k.location,
                 k.category,
                 k.type,
                 std::int64_t{k.risk_child},
                 std::int64_t{k.risk_violence},
                 std::int64_t{k.risk_ongoing},
                 std::int64_t{k.urgent},
                 std::int64_t{k.paternity_claim},
                 k.investigating_entity,
                 std::string(CaseStatusName(k.status)),
                 k.status_date,
                 k.outcome,
                 k.closure_reason,
                 k.version,
                 k.updated_at,
                 k.id,
                 expected_version}));
  return changed == 1;
}

Status CasesStore::LinkComplaint(Connection& c, std::int64_t case_id,
                                 const LinkedComplaint& complaint, UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO case_complaints (case_id, complaint_id, complaint_reference, "
          "added_at) VALUES (?, ?, ?, ?)",
          {case_id, complaint.complaint_id, complaint.reference, now})
      .status();
}

Result<std::int64_t> CasesStore::InsertVictim(Connection& c, std::int64_t case_id, const Victim& v,
                                              UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO case_victims (case_id, pseudonym, sex, "
                                        "age_group, age, child_born, identity_item, created_at) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                                        {case_id, v.pseudonym, v.sex, v.age_group,
                                         OptionalInt(v.age), v.child_born, v.identity_item, now}));
  if (!row) return Internal("the victim was not stored");
  return row->Int(0);
}

Result<std::int64_t> CasesStore::InsertSubject(Connection& c, std::int64_t case_id,
                                               const Subject& s, const std::string& tag,
                                               UnixMillis now) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO case_subjects (case_id, personnel_category, "
                              "nationality, unit, rank, identity_item, identity_tag, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {case_id, s.personnel_category, s.nationality, s.unit, s.rank,
                               s.identity_item, tag, now}));
  if (!row) return Internal("the subject was not stored");
  return row->Int(0);
}

Result<std::optional<Victim>> CasesStore::FindVictim(Connection& c, std::int64_t case_id,
                                                     std::int64_t victim_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, pseudonym, sex, age_group, age, child_born, "
                                        "identity_item FROM case_victims WHERE case_id = ? AND "
                                        "id = ?",
                                        {case_id, victim_id}));
  if (!row) return std::optional<Victim>();
  return std::optional<Victim>(VictimFrom(*row));
}

Result<std::optional<Subject>> CasesStore::FindSubject(Connection& c, std::int64_t case_id,
                                                       std::int64_t subject_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT id, personnel_category, nationality, unit, rank, "
                                        "identity_item, identity_tag FROM case_subjects WHERE "
                                        "case_id = ? AND id = ?",
                                        {case_id, subject_id}));
  if (!row) return std::optional<Subject>();
  return std::optional<Subject>(SubjectFrom(*row));
}

Status CasesStore::InsertEvent(Connection& c, std::int64_t case_id, const CaseEvent& e) const {
  return c
      .Execute(
          "INSERT INTO case_events (case_id, at, user_id, username, kind, from_status, "
          "to_status, reason, event_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {case_id, e.at, e.user_id, e.username, e.kind, e.from_status, e.to_status, e.reason,
           e.date})
      .status();
}

Result<std::int64_t> CasesStore::InsertEntry(Connection& c, std::int64_t case_id,
                                             const CaseEntry& e, std::int64_t by) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO case_entries (case_id, kind, type, entry_date, "
                              "end_date, note, amount, created_by, created_by_username, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {case_id, e.kind, e.type, e.date, e.end_date, e.note, e.amount, by,
                               e.created_by_username, e.created_at}));
  if (!row) return Internal("the entry was not stored");
  return row->Int(0);
}

Status CasesStore::AssignOfficer(Connection& c, std::int64_t case_id, const AssignedOfficer& o,
                                 std::int64_t by) const {
  ASSIGN_OR_RETURN(auto existing, c.QueryOne("SELECT 1 FROM case_officers WHERE case_id = ? AND "
                                             "user_id = ?",
                                             {case_id, o.user_id}));
  if (existing) return Conflict("the officer is assigned already", "user_id");
  return c
      .Execute(
          "INSERT INTO case_officers (case_id, user_id, username, assigned_by, assigned_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {case_id, o.user_id, o.username, by, o.assigned_at})
      .status();
}

Result<bool> CasesStore::UnassignOfficer(Connection& c, std::int64_t case_id,
                                         std::int64_t user_id) const {
  ASSIGN_OR_RETURN(
      std::int64_t deleted,
      c.Execute("DELETE FROM case_officers WHERE case_id = ? AND user_id = ?", {case_id, user_id}));
  return deleted > 0;
}

Result<std::vector<std::int64_t>> CasesStore::CasesOfOfficer(Connection& c,
                                                             std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT case_id FROM case_officers WHERE user_id = ?", {user_id}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<CasesStore::CaseItems> CasesStore::Items(Connection& c,
                                                std::optional<std::int64_t> case_id) const {
  storage::Params params;
  std::string where;
  if (case_id) {
    where = " WHERE case_id = ?";
    params.push_back(*case_id);
  }
  CaseItems items;
  ASSIGN_OR_RETURN(auto victims, c.Query("SELECT identity_item FROM case_victims" + where, params));
  for (const auto& row : victims.rows) items.victim_items.push_back(row.Int(0));
  ASSIGN_OR_RETURN(auto subjects,
                   c.Query("SELECT identity_item FROM case_subjects" + where, params));
  for (const auto& row : subjects.rows) items.subject_items.push_back(row.Int(0));
  // The notes of contacts with victims are sealed for the same readers as the victims.
  ASSIGN_OR_RETURN(auto notes, c.Query("SELECT note_item FROM case_victim_contacts" + where +
                                           (case_id ? " AND" : " WHERE") + " note_item <> 0",
                                       params));
  for (const auto& row : notes.rows) items.victim_items.push_back(row.Int(0));
  return items;
}

Result<std::vector<CasesStore::DatedCase>> CasesStore::CasesIn(
    Connection& c, const std::vector<CaseStatus>& statuses) const {
  std::vector<DatedCase> out;
  if (statuses.empty()) return out;
  std::string marks;
  storage::Params params;
  for (CaseStatus status : statuses) {
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(std::string(CaseStatusName(status)));
  }
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, status_date FROM cases WHERE status IN (" +
                                          marks + ") ORDER BY status_date, id",
                                      params));
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.Text(1)});
  return out;
}

Result<bool> CasesStore::DeleteCase(Connection& c, std::int64_t case_id) const {
  // The owned rows first: they reference the case.
  RETURN_IF_ERROR(DeleteSearch(c, case_id));
  RETURN_IF_ERROR(TouchFigureMonth(c, case_id, ""));
  for (const char* table :
       {"case_victim_contacts", "case_review_decisions", "case_reminders", "case_complaints",
        "case_victims", "case_subjects", "case_officers", "case_events", "case_entries",
        "case_clock_pauses", "case_clocks", "case_extracts", "case_advocates"}) {
    RETURN_IF_ERROR(
        c.Execute(std::string("DELETE FROM ") + table + " WHERE case_id = ?", {case_id}).status());
  }
  ASSIGN_OR_RETURN(std::int64_t deleted, c.Execute("DELETE FROM cases WHERE id = ?", {case_id}));
  return deleted > 0;
}

// ---- Clocks

namespace {

StoredPause PauseFrom(const storage::Row& row) {
  StoredPause p;
  p.id = row.Int(0);
  p.case_id = row.Int(1);
  p.pause.rule = ParseRuleId(row.Text(2));
  p.pause.start = row.Int(3);
  p.pause.end = row.OptInt(4);
  p.pause.reason = row.Text(5);
  p.by_username = row.Text(6);
  p.ended_by_username = row.Text(7);
  return p;
}

constexpr const char* kPauseColumns =
    "id, case_id, rule, start_at, end_at, reason, created_by_username, ended_by_username";

}  // namespace

Result<std::optional<std::string>> CasesStore::TimelineSettingsText(Connection& c) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT settings FROM case_timeline_settings WHERE id = 1",
                                        storage::Params{}));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(row->Text(0));
}

Status CasesStore::SaveTimelineSettings(Connection& c, const std::string& json_text,
                                        std::int64_t by, UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO case_timeline_settings (id, settings, updated_by, updated_at) VALUES (1, "
          "?, ?, ?) ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_by = "
          "excluded.updated_by, updated_at = excluded.updated_at",
          {json_text, by, now})
      .status();
}

Result<ClockInputs> CasesStore::LoadClockInputs(Connection& c, std::int64_t case_id) const {
  ClockInputs in;
  in.case_id = case_id;
  ASSIGN_OR_RETURN(auto kase, c.QueryOne("SELECT reference, date_reported, urgent FROM cases "
                                         "WHERE id = ?",
                                         {case_id}));
  if (!kase) return NotFound("no such case");
  in.reference = kase->Text(0);
  in.date_reported = kase->Text(1);
  in.urgent = kase->Bool(2);
  ASSIGN_OR_RETURN(auto uniformed,
                   c.QueryOne("SELECT COUNT(*) FROM case_subjects WHERE case_id = ? AND "
                              "(personnel_category LIKE 'military%' OR personnel_category LIKE "
                              "'police%')",
                              {case_id}));
  in.uniformed_subjects = uniformed && uniformed->Int(0) > 0;
  ASSIGN_OR_RETURN(auto transitions, c.Query("SELECT to_status, event_date FROM case_events "
                                             "WHERE case_id = ? AND kind = 'status' ORDER BY id",
                                             {case_id}));
  for (const auto& row : transitions.rows) in.transitions.emplace_back(row.Text(0), row.Text(1));
  ASSIGN_OR_RETURN(auto entries, c.Query("SELECT type, entry_date FROM case_entries WHERE "
                                         "case_id = ? AND kind = 'member_state' ORDER BY id",
                                         {case_id}));
  for (const auto& row : entries.rows) {
    in.member_state_entries.emplace_back(row.Text(0), row.Text(1));
  }
  ASSIGN_OR_RETURN(auto pauses, c.Query(std::string("SELECT ") + kPauseColumns +
                                            " FROM case_clock_pauses WHERE case_id = ? ORDER BY id",
                                        {case_id}));
  for (const auto& row : pauses.rows) in.pauses.push_back(PauseFrom(row));
  ASSIGN_OR_RETURN(auto officers, c.Query("SELECT username FROM case_officers WHERE case_id = ? "
                                          "ORDER BY username",
                                          {case_id}));
  for (const auto& row : officers.rows) in.officer_usernames.push_back(row.Text(0));
  ASSIGN_OR_RETURN(auto contacts, c.Query("SELECT contact_date FROM case_victim_contacts WHERE "
                                          "case_id = ? ORDER BY contact_date",
                                          {case_id}));
  for (const auto& row : contacts.rows) in.victim_contact_dates.push_back(row.Text(0));
  return in;
}

Result<std::int64_t> CasesStore::InsertPause(Connection& c, std::int64_t case_id,
                                             const ClockPause& pause, std::int64_t by,
                                             const std::string& by_username) const {
  const std::string rule = pause.rule ? std::string(RuleIdName(*pause.rule)) : "all";
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO case_clock_pauses (case_id, rule, start_at, reason, "
                              "created_by, created_by_username, ended_by_username) VALUES (?, ?, "
                              "?, ?, ?, ?, '') RETURNING id",
                              {case_id, rule, pause.start, pause.reason, by, by_username}));
  if (!row) return Internal("the pause was not stored");
  return row->Int(0);
}

Result<std::optional<StoredPause>> CasesStore::FindPause(Connection& c, std::int64_t case_id,
                                                         std::int64_t pause_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT ") + kPauseColumns +
                                            " FROM case_clock_pauses WHERE case_id = ? AND id = ?",
                                        {case_id, pause_id}));
  if (!row) return std::optional<StoredPause>();
  return std::optional<StoredPause>(PauseFrom(*row));
}

Result<bool> CasesStore::EndPause(Connection& c, std::int64_t pause_id, UnixMillis end,
                                  std::int64_t by, const std::string& by_username) const {
  ASSIGN_OR_RETURN(std::int64_t changed,
                   c.Execute("UPDATE case_clock_pauses SET end_at = ?, ended_by = ?, "
                             "ended_by_username = ? WHERE id = ? AND end_at IS NULL",
                             {end, by, by_username, pause_id}));
  return changed == 1;
}

Status CasesStore::SaveClocks(Connection& c, std::int64_t case_id,
                              const std::vector<RuleClock>& clocks) const {
  RETURN_IF_ERROR(TouchFigureMonth(c, case_id, ""));
  RETURN_IF_ERROR(c.Execute("DELETE FROM case_clocks WHERE case_id = ?", {case_id}).status());
  for (const auto& clock : clocks) {
    Value due = std::monostate{};
    if (clock.due_at) due = *clock.due_at;
    RETURN_IF_ERROR(c.Execute("INSERT INTO case_clocks (case_id, rule, state, due_at) VALUES (?, "
                              "?, ?, ?)",
                              {case_id, std::string(RuleIdName(clock.rule)),
                               std::string(ClockStateName(clock.state)), due})
                        .status());
  }
  return Status::Ok();
}

Result<std::vector<std::int64_t>> CasesStore::CasesWithClocksDueBefore(
    Connection& c, UnixMillis due_before) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT DISTINCT case_id FROM case_clocks WHERE due_at < ? "
                                      "AND state IN ('running', 'overdue') ORDER BY case_id",
                                      {due_before}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<std::int64_t>> CasesStore::AllCaseIds(Connection& c) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM cases ORDER BY id", storage::Params{}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows.rows) out.push_back(row.Int(0));
  return out;
}

// ---- Victim contacts, review decisions, reminders sent

namespace {

VictimContact ContactFrom(const storage::Row& row) {
  VictimContact v;
  v.id = row.Int(0);
  v.case_id = row.Int(1);
  v.victim_id = row.Int(2);
  v.date = row.Text(3);
  v.channel = row.Text(4);
  v.note_item = row.Int(5);
  v.by_username = row.Text(6);
  v.created_at = row.Int(7);
  return v;
}

ReviewDecision DecisionFrom(const storage::Row& row) {
  ReviewDecision d;
  d.id = row.Int(0);
  d.case_id = row.Int(1);
  d.meeting_date = row.Text(2);
  d.decision = row.Text(3);
  d.action_owner = row.Text(4);
  d.due_date = row.Text(5);
  d.by_username = row.Text(6);
  d.created_at = row.Int(7);
  return d;
}

}  // namespace

Result<std::int64_t> CasesStore::InsertVictimContact(Connection& c, const VictimContact& v) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO case_victim_contacts (case_id, victim_id, "
                              "contact_date, channel, note_item, created_by, created_by_username, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {v.case_id, v.victim_id, v.date, v.channel, v.note_item, v.by_user_id,
                               v.by_username, v.created_at}));
  if (!row) return Internal("the contact was not stored");
  return row->Int(0);
}

Result<std::vector<VictimContact>> CasesStore::VictimContacts(
    Connection& c, std::int64_t case_id, std::optional<std::int64_t> victim_id) const {
  storage::Params params{case_id};
  std::string sql =
      "SELECT id, case_id, victim_id, contact_date, channel, note_item, created_by_username, "
      "created_at FROM case_victim_contacts WHERE case_id = ?";
  if (victim_id) {
    sql += " AND victim_id = ?";
    params.push_back(*victim_id);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query(sql + " ORDER BY contact_date DESC, id DESC", params));
  std::vector<VictimContact> out;
  for (const auto& row : rows.rows) out.push_back(ContactFrom(row));
  return out;
}

Result<std::int64_t> CasesStore::InsertReviewDecision(Connection& c,
                                                      const ReviewDecision& d) const {
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("INSERT INTO case_review_decisions (case_id, meeting_date, "
                              "decision, action_owner, due_date, created_by, created_by_username, "
                              "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              {d.case_id, d.meeting_date, d.decision, d.action_owner, d.due_date,
                               d.by_user_id, d.by_username, d.created_at}));
  if (!row) return Internal("the decision was not stored");
  return row->Int(0);
}

Result<std::vector<ReviewDecision>> CasesStore::ReviewDecisions(Connection& c,
                                                                std::int64_t case_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, case_id, meeting_date, decision, action_owner, "
                                      "due_date, created_by_username, created_at FROM "
                                      "case_review_decisions WHERE case_id = ? ORDER BY "
                                      "meeting_date DESC, id DESC",
                                      {case_id}));
  std::vector<ReviewDecision> out;
  for (const auto& row : rows.rows) out.push_back(DecisionFrom(row));
  return out;
}

Result<std::vector<ReviewFacts>> CasesStore::PendingCases(
    Connection& c, const std::vector<CaseStatus>& final_statuses) const {
  std::string marks;
  storage::Params params;
  for (CaseStatus status : final_statuses) {
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(std::string(CaseStatusName(status)));
  }
  const std::string where = marks.empty() ? "" : " WHERE c.status NOT IN (" + marks + ")";
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT c.id, c.reference, c.status, c.status_date, c.date_reported, "
              "c.investigating_entity, (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = "
              "c.id), (SELECT MIN(k.due_at) FROM case_clocks k WHERE k.case_id = c.id AND "
              "k.state IN ('running', 'overdue') AND k.due_at IS NOT NULL), (SELECT k.rule FROM "
              "case_clocks k WHERE k.case_id = c.id AND k.state IN ('running', 'overdue') AND "
              "k.due_at IS NOT NULL ORDER BY k.due_at, k.rule LIMIT 1) FROM cases c" +
                  where + " ORDER BY c.date_reported, c.id",
              params));
  std::vector<ReviewFacts> out;
  for (const auto& row : rows.rows) {
    ReviewFacts f;
    f.case_id = row.Int(0);
    f.reference = row.Text(1);
    f.status = row.Text(2);
    f.status_date = row.Text(3);
    f.date_reported = row.Text(4);
    f.investigating_entity = row.Text(5);
    f.last_activity_at = row.OptInt(6);
    f.next_due_at = row.OptInt(7);
    f.next_due_rule = f.next_due_at ? row.Text(8) : "";
    out.push_back(std::move(f));
  }
  return out;
}

Result<bool> CasesStore::ReminderSent(Connection& c, const std::string& recipient,
                                      std::int64_t case_id, const std::string& rule,
                                      UnixMillis due_at, const std::string& state) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT 1 FROM case_reminders WHERE recipient = ? AND "
                                        "case_id = ? AND rule = ? AND due_at = ? AND state = ?",
                                        {recipient, case_id, rule, due_at, state}));
  return row.has_value();
}

Result<bool> CasesStore::DigestSentOn(Connection& c, const std::string& recipient,
                                      const std::string& day) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT 1 FROM case_reminders WHERE recipient = ? AND "
                                        "sent_day = ? LIMIT 1",
                                        {recipient, day}));
  return row.has_value();
}

Status CasesStore::RecordReminder(Connection& c, const std::string& recipient, std::int64_t case_id,
                                  const std::string& rule, UnixMillis due_at,
                                  const std::string& state, const std::string& day,
                                  UnixMillis now) const {
  return c
      .Execute(
          "INSERT INTO case_reminders (recipient, case_id, rule, due_at, state, sent_day, "
          "sent_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, case_id, rule, due_at, "
          "state) DO NOTHING",
          {recipient, case_id, rule, due_at, state, day, now})
      .status();
}

Result<std::optional<CaseStatus>> CasesStore::StatusOfComplaintCase(
    Connection& c, std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT c.status FROM cases c JOIN case_complaints l ON "
                                        "l.case_id = c.id WHERE l.complaint_id = ?",
                                        {complaint_id}));
  if (!row) return std::optional<CaseStatus>();
  return ParseCaseStatus(row->Text(0));
}

// ---- Figures, the UN public table and extracts

namespace {

constexpr const char* kPeriod = " c.date_reported >= ? AND c.date_reported <= ?";

// The open ends of a period as bounds every date reported lies within.
std::pair<std::string, std::string> Bounds(const std::string& from, const std::string& to) {
  return {from.empty() ? "0000-01-01" : from, to.empty() ? "9999-12-31" : to};
}

ExtractRecord ExtractFrom(const storage::Row& row) {
  ExtractRecord r;
  r.id = row.Int(0);
  r.case_id = row.Int(1);
  r.recipient = row.Text(2);
  r.purpose = row.Text(3);
  r.by_username = row.Text(4);
  r.at = row.Int(5);
  return r;
}

}  // namespace

Result<FiguresCounts> CasesStore::CountFigures(Connection& c, const std::string& from,
                                               const std::string& to, UnixMillis now) const {
  ASSIGN_OR_RETURN(auto months, CountFiguresByMonth(c, from, to, now));
  std::vector<const FiguresCounts*> parts;
  parts.reserve(months.size());
  for (const auto& [month, figures] : months) parts.push_back(&figures.counts);
  return MergeFigures(parts);
}

Result<std::map<std::string, MonthFigures>> CasesStore::CountFiguresByMonth(Connection& c,
                                                                            const std::string& from,
                                                                            const std::string& to,
                                                                            UnixMillis now) const {
  const auto [lo, hi] = Bounds(from, to);
  const std::string period(kPeriod);
  std::map<std::string, MonthFigures> out;
  // Every query groups by the month reported first, so that each month's counts can be cached
  // on their own (service: a change to a case recounts its month only).
  constexpr const char* kMonth = "SUBSTR(c.date_reported, 1, 7)";
  // One pass over the period's cases, grouped by month, category, type and status, with the
  // number of subjects of each case (at least 1: a case without subjects counts once); the
  // totals and the four breakdowns are sums of these groups. One GROUP BY instead of five.
  ASSIGN_OR_RETURN(
      auto cube, c.Query(std::string("SELECT ") + kMonth +
                             ", c.category, c.type, c.status, COUNT(*), "
                             "CAST(SUM(COALESCE(NULLIF((SELECT COUNT(*) FROM case_subjects s WHERE "
                             "s.case_id = c.id), 0), 1)) AS BIGINT) FROM cases c WHERE" +
                             period + " GROUP BY 1, 2, 3, 4",
                         {lo, hi}));
  struct Sums {
    std::map<std::string, CountRow> category, type, status;
  };
  std::map<std::string, Sums> sums;
  auto add = [](std::map<std::string, CountRow>& into, const std::string& key, std::int64_t cases,
                std::int64_t subjects) {
    CountRow& row = into[key];
    row.key = key;
    row.allegations += cases;
    row.per_subject += subjects;
  };
  for (const auto& row : cube.rows) {
    const std::string& month = row.Text(0);
    const std::int64_t cases = row.Int(4);
    const std::int64_t subjects = row.Int(5);
    FiguresCounts& counts = out[month].counts;
    counts.allegations += cases;
    counts.per_subject += subjects;
    Sums& s = sums[month];
    add(s.category, row.Text(1), cases, subjects);
    add(s.type, row.Text(2), cases, subjects);
    add(s.status, row.Text(3), cases, subjects);
  }
  for (auto& [month, figures] : out) {
    FiguresCounts& counts = figures.counts;
    counts.by_month.push_back({month, counts.allegations, counts.per_subject});
    Sums& s = sums[month];
    for (const auto& [into, from_map] :
         {std::pair{&counts.by_category, &s.category}, std::pair{&counts.by_type, &s.type},
          std::pair{&counts.by_status, &s.status}}) {
      for (const auto& [key, row] : *from_map) into->push_back(row);
    }
  }
  // Subjects' personnel category and nationality: a case counts once per value it has; the
  // cases without subjects count under "unknown".
  std::map<std::string, std::int64_t> with_subjects;
  ASSIGN_OR_RETURN(auto subject_cases,
                   c.Query(std::string("SELECT ") + kMonth +
                               ", COUNT(DISTINCT s.case_id) FROM case_subjects s JOIN cases c ON "
                               "c.id = s.case_id WHERE" +
                               period + " GROUP BY 1",
                           {lo, hi}));
  for (const auto& row : subject_cases.rows) with_subjects[row.Text(0)] = row.Int(1);
  const std::pair<const char*, std::vector<CountRow> FiguresCounts::*> subject_breakdowns[] = {
      {"s.personnel_category", &FiguresCounts::by_personnel_category},
      {"COALESCE(NULLIF(s.nationality, ''), 'unknown')", &FiguresCounts::by_nationality},
  };
  for (const auto& [expression, member] : subject_breakdowns) {
    ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kMonth + ", " + expression +
                                            ", COUNT(DISTINCT s.case_id), COUNT(*) FROM "
                                            "case_subjects s JOIN cases c ON c.id = s.case_id "
                                            "WHERE" +
                                            period + " GROUP BY 1, 2",
                                        {lo, hi}));
    std::map<std::string, std::map<std::string, CountRow>> values;
    for (const auto& row : rows.rows) {
      values[row.Text(0)][row.Text(1)] = {row.Text(1), row.Int(2), row.Int(3)};
    }
    for (auto& [month, figures] : out) {
      auto& month_values = values[month];
      const std::int64_t without = figures.counts.allegations - with_subjects[month];
      if (without > 0) {
        CountRow& unknown = month_values["unknown"];
        unknown.key = "unknown";
        unknown.allegations += without;
        unknown.per_subject += without;
      }
      for (const auto& [key, row] : month_values) (figures.counts.*member).push_back(row);
    }
  }
  ASSIGN_OR_RETURN(auto victims,
                   c.Query(std::string("SELECT ") + kMonth +
                               ", v.sex, v.age_group, COUNT(*) FROM case_victims v JOIN cases c "
                               "ON c.id = v.case_id WHERE" +
                               period + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           {lo, hi}));
  for (const auto& row : victims.rows) {
    out[row.Text(0)].counts.victims.push_back({row.Text(1), row.Text(2), row.Int(3)});
  }
  // As InvestigationSpans, with each case's month.
  ASSIGN_OR_RETURN(
      auto spans,
      c.Query("SELECT e.case_id, MIN(CASE WHEN e.to_status IN ('referred_for_investigation', "
              "'under_investigation') THEN e.event_date END), MIN(CASE WHEN e.to_status = "
              "'report_received' THEN e.event_date END), MIN(SUBSTR(c.date_reported, 1, 7)) "
              "FROM cases c CROSS JOIN case_events e WHERE e.case_id = c.id AND e.kind = "
              "'status' AND e.to_status IN ('referred_for_investigation', "
              "'under_investigation', 'report_received') AND" +
                  period + " GROUP BY e.case_id ORDER BY e.case_id",
              {lo, hi}));
  for (const auto& row : spans.rows) {
    out[row.Text(3)].counts.investigations.push_back(
        {row.Int(0), row.OptText(1).value_or(std::string()), row.OptText(2).value_or("")});
  }
  // As ClockStates, with each month's first due date still ahead: the month's counts change
  // when that clock falls due, without any write.
  ASSIGN_OR_RETURN(
      auto clocks,
      c.Query(std::string("SELECT ") + kMonth +
                  ", k.rule, CASE WHEN k.state = 'running' AND k.due_at IS NOT NULL AND "
                  "k.due_at < ? THEN 'overdue' ELSE k.state END, COUNT(*), MIN(CASE WHEN "
                  "k.state = 'running' AND k.due_at >= ? THEN k.due_at END) FROM case_clocks k "
                  "JOIN cases c ON c.id = k.case_id WHERE" +
                  period + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
              {now, now, lo, hi}));
  for (const auto& row : clocks.rows) {
    MonthFigures& month = out[row.Text(0)];
    month.counts.clocks.push_back({row.Text(1), row.Text(2), row.Int(3)});
    if (auto due = row.OptInt(4)) month.valid_until = std::min(month.valid_until, *due);
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> CasesStore::FigureMonths(
    Connection& c, const std::string& from, const std::string& to) const {
  const auto [lo, hi] = Bounds(from, to);
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT month, revision FROM case_figure_months WHERE month >= ? AND "
                           "month <= ? ORDER BY month",
                           {lo.substr(0, 7), hi.substr(0, 7)}));
  std::vector<std::pair<std::string, std::int64_t>> out;
  out.reserve(rows.rows.size());
  for (const auto& row : rows.rows) out.emplace_back(row.Text(0), row.Int(1));
  return out;
}

Status CasesStore::TouchFigureMonth(Connection& c, std::int64_t case_id,
                                    const std::string& unless_reported) const {
  // INSERT ... SELECT needs its WHERE before ON CONFLICT on SQLite (else ON reads as a join).
  return c
      .Execute(
          "INSERT INTO case_figure_months (month, revision) SELECT SUBSTR(date_reported, 1, "
          "7), 1 FROM cases WHERE id = ? AND date_reported <> ? ON CONFLICT (month) DO "
          "UPDATE SET revision = case_figure_months.revision + 1",
          {case_id, unless_reported})
      .status();
}

Result<std::vector<InvestigationSpan>> CasesStore::InvestigationSpans(Connection& c,
                                                                      const std::string& from,
                                                                      const std::string& to) const {
  const auto [lo, hi] = Bounds(from, to);
  // The period's cases first, then their events by case: SQLite otherwise walks the status
  // steps of every case ever (case_events_to_status) and drops those outside the period, which
  // cost a one-year period as much as the whole history. CROSS JOIN fixes SQLite's join order;
  // PostgreSQL plans it as any inner join.
  ASSIGN_OR_RETURN(
      auto rows,
      c.Query("SELECT e.case_id, MIN(CASE WHEN e.to_status IN ('referred_for_investigation', "
              "'under_investigation') THEN e.event_date END), MIN(CASE WHEN e.to_status = "
              "'report_received' THEN e.event_date END) FROM cases c CROSS JOIN case_events e "
              "WHERE e.case_id = c.id AND e.kind = 'status' AND e.to_status IN "
              "('referred_for_investigation', 'under_investigation', 'report_received') AND" +
                  std::string(kPeriod) + " GROUP BY e.case_id ORDER BY e.case_id",
              {lo, hi}));
  std::vector<InvestigationSpan> spans;
  spans.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    spans.push_back(
        {row.Int(0), row.OptText(1).value_or(std::string()), row.OptText(2).value_or("")});
  }
  return spans;
}

Result<std::vector<ClockStateCount>> CasesStore::ClockStates(Connection& c, const std::string& from,
                                                             const std::string& to,
                                                             UnixMillis now) const {
  const auto [lo, hi] = Bounds(from, to);
  ASSIGN_OR_RETURN(auto rows,
                   c.Query("SELECT k.rule, CASE WHEN k.state = 'running' AND k.due_at IS NOT NULL "
                           "AND k.due_at < ? THEN 'overdue' ELSE k.state END, COUNT(*) FROM "
                           "case_clocks k JOIN cases c ON c.id = k.case_id WHERE" +
                               std::string(kPeriod) + " GROUP BY 1, 2 ORDER BY 1, 2",
                           {now, lo, hi}));
  std::vector<ClockStateCount> out;
  for (const auto& row : rows.rows) out.push_back({row.Text(0), row.Text(1), row.Int(2)});
  return out;
}

Result<std::int64_t> CasesStore::CountOpenCases(Connection& c, const std::string& from,
                                                const std::string& to) const {
  const auto [lo, hi] = Bounds(from, to);
  ASSIGN_OR_RETURN(auto row,
                   c.QueryOne("SELECT COUNT(*) FROM cases c WHERE" + std::string(kPeriod) +
                                  " AND c.status NOT IN ('not_sea', "
                                  "'closed_without_investigation', 'closed')",
                              {lo, hi}));
  return row ? row->Int(0) : 0;
}

Result<std::vector<PublicTableRow>> CasesStore::PublicTable(Connection& c, const std::string& from,
                                                            const std::string& to) const {
  const auto [lo, hi] = Bounds(from, to);
  const std::string period(kPeriod);
  ASSIGN_OR_RETURN(auto cases,
                   c.Query("SELECT c.id, c.mission, c.date_reported, c.category, c.type, "
                           "c.paternity_claim, c.investigating_entity, c.status, c.outcome FROM "
                           "cases c WHERE" +
                               period + " ORDER BY c.date_reported, c.id",
                           {lo, hi}));
  struct SubjectGroup {
    std::string personnel_category, nationality;
    std::int64_t count = 0;
  };
  std::map<std::int64_t, std::vector<SubjectGroup>> subjects;
  ASSIGN_OR_RETURN(auto subject_rows,
                   c.Query("SELECT s.case_id, s.personnel_category, s.nationality, COUNT(*) FROM "
                           "case_subjects s JOIN cases c ON c.id = s.case_id WHERE" +
                               period + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           {lo, hi}));
  for (const auto& row : subject_rows.rows) {
    subjects[row.Int(0)].push_back({row.Text(1), row.Text(2), row.Int(3)});
  }
  std::map<std::int64_t, PublicTableRow> victims;  // the victim columns of each case
  ASSIGN_OR_RETURN(auto victim_rows,
                   c.Query("SELECT v.case_id, v.sex, v.age_group, COUNT(*) FROM case_victims v "
                           "JOIN cases c ON c.id = v.case_id WHERE" +
                               period + " GROUP BY 1, 2, 3",
                           {lo, hi}));
  for (const auto& row : victim_rows.rows) {
    PublicTableRow& v = victims[row.Int(0)];
    const std::string& sex = row.Text(1);
    const std::string& age = row.Text(2);
    const std::int64_t n = row.Int(3);
    v.victims += n;
    if (sex == "female" && age == "adult") {
      v.women += n;
    } else if (sex == "female" && age == "minor") {
      v.girls += n;
    } else if (sex == "male" && age == "adult") {
      v.men += n;
    } else if (sex == "male" && age == "minor") {
      v.boys += n;
    } else {
      v.victims_other += n;
    }
  }
  std::map<std::int64_t, PublicTableRow> entries;  // interim measures and actions of each case
  ASSIGN_OR_RETURN(auto entry_rows,
                   c.Query("SELECT e.case_id, e.kind, e.type FROM case_entries e JOIN cases c ON "
                           "c.id = e.case_id WHERE e.kind IN ('interim_measure', 'action') AND" +
                               period + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           {lo, hi}));
  for (const auto& row : entry_rows.rows) {
    PublicTableRow& e = entries[row.Int(0)];
    if (row.Text(1) == "interim_measure") {
      e.interim_measures.push_back(row.Text(2));
    } else if (row.Text(2) == "referral_national_authorities") {
      e.referred_national_authorities = true;
    } else {
      e.actions.push_back(row.Text(2));
    }
  }
  std::map<std::int64_t, std::int64_t> days;
  ASSIGN_OR_RETURN(auto spans, InvestigationSpans(c, from, to));
  for (const auto& span : spans) {
    if (auto d = DaysBetween(span.start, span.end)) days[span.case_id] = *d;
  }

  std::vector<PublicTableRow> out;
  for (const auto& row : cases.rows) {
    const std::int64_t id = row.Int(0);
    PublicTableRow base;
    if (auto v = victims.find(id); v != victims.end()) base = v->second;
    if (auto e = entries.find(id); e != entries.end()) {
      base.interim_measures = e->second.interim_measures;
      base.actions = e->second.actions;
      base.referred_national_authorities = e->second.referred_national_authorities;
    }
    base.mission = row.Text(1);
    base.month_reported = row.Text(2).substr(0, 7);
    base.category = row.Text(3);
    base.type = row.Text(4);
    base.paternity_claim = row.Bool(5);
    base.investigating_entity = row.Text(6);
    base.status = row.Text(7);
    base.outcome = row.Text(8);
    if (auto d = days.find(id); d != days.end()) base.investigation_days = d->second;
    auto groups = subjects.find(id);
    if (groups == subjects.end()) {
      base.personnel_category = "unknown";
      out.push_back(std::move(base));
      continue;
    }
    for (const auto& group : groups->second) {
      PublicTableRow split = base;
      split.personnel_category = group.personnel_category;
      split.nationality = group.nationality;
      split.subjects = group.count;
      out.push_back(std::move(split));
    }
  }
  return out;
}

Result<std::int64_t> CasesStore::InsertExtract(Connection& c, const ExtractRecord& record,
                                               std::int64_t by) const {
  ASSIGN_OR_RETURN(auto row, c.QueryOne("INSERT INTO case_extracts (case_id, recipient, purpose, "
                                        "created_by, created_by_username, created_at) VALUES (?, "
                                        "?, ?, ?, ?, ?) RETURNING id",
                                        {record.case_id, record.recipient, record.purpose, by,
                                         record.by_username, record.at}));
  if (!row) return Internal("the extract was not recorded");
  return row->Int(0);
}

Result<std::vector<ExtractRecord>> CasesStore::ListExtracts(Connection& c,
                                                            std::int64_t case_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, case_id, recipient, purpose, "
                                      "created_by_username, created_at FROM case_extracts WHERE "
                                      "case_id = ? ORDER BY id DESC",
                                      {case_id}));
  std::vector<ExtractRecord> out;
  for (const auto& row : rows.rows) out.push_back(ExtractFrom(row));
  return out;
}

// ---- The case list, full-text search and the VRA's cases

namespace {

// The need-to-know of a list query, as SQL over the alias c (cases).
void AppendScope(const CasesStore::ListScope& scope, std::string& where, storage::Params& params) {
  using Kind = CasesStore::ListScope::Kind;
  switch (scope.kind) {
    case Kind::kAll:
      return;
    case Kind::kAssigned:
      where +=
          " AND EXISTS (SELECT 1 FROM case_officers o WHERE o.case_id = c.id AND "
          "o.user_id = ?)";
      params.push_back(scope.user_id);
      return;
    case Kind::kAdvocate:
      where +=
          " AND EXISTS (SELECT 1 FROM case_advocates a WHERE a.case_id = c.id AND "
          "a.user_id = ?)";
      params.push_back(scope.user_id);
      return;
    case Kind::kEntities:
      if (scope.entities.empty()) {
        where += " AND 1 = 0";
        return;
      }
      where += " AND c.investigating_entity IN (";
      for (std::size_t i = 0; i < scope.entities.size(); ++i) {
        where += i == 0 ? "?" : ", ?";
        params.push_back(scope.entities[i]);
      }
      where += ")";
      return;
  }
}

// The engine's full-text match of every term as a prefix. The terms hold only letters and
// digits (list.h SearchTerms), so neither syntax can be broken by them.
std::string SearchCondition(storage::Engine engine) {
  if (engine == storage::Engine::kPostgres) {
    return " AND c.id IN (SELECT case_id FROM case_search WHERE document @@ "
           "to_tsquery('simple', ?))";
  }
  return " AND c.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)";
}

std::string SearchExpression(storage::Engine engine, const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& term : terms) {
    if (engine == storage::Engine::kPostgres) {
      out += (out.empty() ? "" : " & ") + term + ":*";
    } else {
      out += (out.empty() ? "\"" : " AND \"") + term + "\"*";
    }
  }
  return out;
}

std::string_view OrderBy(CaseSort sort) {
  switch (sort) {
    case CaseSort::kNewest:
      return " ORDER BY c.id DESC";
    case CaseSort::kOldest:
      return " ORDER BY c.id";
    case CaseSort::kReported:
      return " ORDER BY c.date_reported DESC, c.id DESC";
    case CaseSort::kUpdated:
      return " ORDER BY c.updated_at DESC, c.id DESC";
    case CaseSort::kReference:
      return " ORDER BY c.reference";
  }
  return " ORDER BY c.id DESC";
}

// The words a case is found by (list.h): its clear half and its subjects' coded facts.
// PostgreSQL's parser reads "MINUSCA-2026-0003" as minusca, -2026, -0003 and "a.b" as a host:
// the body's punctuation becomes spaces first, so both engines index the words SearchTerms
// makes of a query.
constexpr const char* kSqliteSearchBody =
    "c.reference || ' ' || c.location || ' ' || c.category || ' ' || c.type || ' ' || "
    "c.investigating_entity || ' ' || c.status || ' ' || c.outcome || ' ' || "
    "COALESCE((SELECT group_concat(p.complaint_reference, ' ') FROM case_complaints p WHERE "
    "p.case_id = c.id), '') || ' ' || COALESCE((SELECT group_concat(s.personnel_category || ' ' "
    "|| s.nationality || ' ' || s.unit, ' ') FROM case_subjects s WHERE s.case_id = c.id), '')";
constexpr const char* kPostgresSearchBody =
    "c.reference || ' ' || c.location || ' ' || c.category || ' ' || c.type || ' ' || "
    "c.investigating_entity || ' ' || c.status || ' ' || c.outcome || ' ' || "
    "COALESCE((SELECT string_agg(p.complaint_reference, ' ') FROM case_complaints p WHERE "
    "p.case_id = c.id), '') || ' ' || COALESCE((SELECT string_agg(s.personnel_category || ' ' "
    "|| s.nationality || ' ' || s.unit, ' ') FROM case_subjects s WHERE s.case_id = c.id), '')";

}  // namespace

Result<CasesStore::CasePage> CasesStore::QueryCases(Connection& c, const ListScope& scope,
                                                    const CaseListFilter& filter,
                                                    std::int64_t caller, UnixMillis now) const {
  std::string where = " WHERE 1 = 1";
  storage::Params params;
  AppendScope(scope, where, params);
  if (!filter.statuses.empty()) {
    where += " AND c.status IN (";
    for (std::size_t i = 0; i < filter.statuses.size(); ++i) {
      where += i == 0 ? "?" : ", ?";
      params.push_back(std::string(CaseStatusName(filter.statuses[i])));
    }
    where += ")";
  }
  auto equals = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    where += std::string(" AND c.") + column + " = ?";
    params.push_back(value);
  };
  equals("category", filter.category);
  equals("type", filter.type);
  equals("investigating_entity", filter.entity);
  if (!filter.personnel_category.empty()) {
    where += " AND c.id IN (SELECT s.case_id FROM case_subjects s WHERE s.personnel_category = ?)";
    params.push_back(filter.personnel_category);
  }
  if (filter.urgent) where += " AND c.urgent = 1";
  if (filter.mine) {
    where +=
        " AND EXISTS (SELECT 1 FROM case_officers m WHERE m.case_id = c.id AND "
        "m.user_id = ?)";
    params.push_back(caller);
  }
  if (filter.overdue) {
    where +=
        " AND EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.state IN "
        "('running', 'overdue') AND k.due_at < ?)";
    params.push_back(now);
  }
  const auto terms = SearchTerms(filter.text);
  if (!terms.empty()) {
    where += SearchCondition(c.engine());
    params.push_back(SearchExpression(c.engine(), terms));
  }
  CasePage page;
  ASSIGN_OR_RETURN(auto count, c.QueryOne("SELECT COUNT(*) FROM cases c" + where, params));
  page.total = count ? count->Int(0) : 0;
  if (page.total <= filter.offset) return page;
  storage::Params page_params = params;
  page_params.push_back(std::int64_t{filter.limit});
  page_params.push_back(std::int64_t{filter.offset});
  std::string columns;
  for (std::string_view rest = kCaseColumns; !rest.empty();) {
    const std::size_t comma = rest.find(", ");
    columns += (columns.empty() ? "c." : ", c.") + std::string(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT " + columns + " FROM cases c" + where +
                                          std::string(OrderBy(filter.sort)) + " LIMIT ? OFFSET ?",
                                      page_params));
  page.cases.reserve(rows.rows.size());
  for (const auto& row : rows.rows) page.cases.push_back(CaseFrom(row));
  return page;
}

Result<std::vector<CaseClocks>> CasesStore::DueClocks(Connection& c, const ListScope& scope,
                                                      UnixMillis due_before,
                                                      std::optional<std::int64_t> assigned_to,
                                                      bool with_officers) const {
  std::string where = " WHERE k.state IN ('running', 'overdue') AND k.due_at < ?";
  storage::Params params{due_before};
  AppendScope(scope, where, params);
  if (assigned_to) {
    where +=
        " AND EXISTS (SELECT 1 FROM case_officers m WHERE m.case_id = c.id AND "
        "m.user_id = ?)";
    params.push_back(*assigned_to);
  }
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT c.id, c.reference, k.rule, k.state, k.due_at FROM "
                                      "case_clocks k JOIN cases c ON c.id = k.case_id" +
                                          where + " ORDER BY c.id",
                                      params));
  std::vector<CaseClocks> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& row : rows.rows) {
    const auto rule = ParseRuleId(row.Text(2));
    if (!rule) continue;
    auto [at, added] = index.try_emplace(row.Int(0), out.size());
    if (added) out.push_back({std::to_string(row.Int(0)), row.Text(1), {}, {}});
    RuleClock clock;
    clock.rule = *rule;
    clock.state = row.Text(3) == "overdue" ? ClockState::kOverdue : ClockState::kRunning;
    clock.due_at = row.Int(4);
    out[at->second].clocks.push_back(clock);
  }
  if (with_officers && !out.empty()) {
    ASSIGN_OR_RETURN(auto officers,
                     c.Query("SELECT c.id, o.username FROM case_officers o JOIN cases c ON c.id "
                             "= o.case_id WHERE c.id IN (SELECT k.case_id FROM case_clocks k "
                             "WHERE k.state IN ('running', 'overdue') AND k.due_at < ?) ORDER BY "
                             "o.username",
                             {due_before}));
    for (const auto& row : officers.rows) {
      auto found = index.find(row.Int(0));
      if (found != index.end()) out[found->second].assignee_ids.push_back(row.Text(1));
    }
  }
  return out;
}

Result<std::vector<CaseClocks>> CasesStore::OpenClocksOf(Connection& c,
                                                         const std::vector<std::int64_t>& case_ids,
                                                         bool with_officers) const {
  std::vector<CaseClocks> out;
  if (case_ids.empty()) return out;
  std::string marks;
  storage::Params params;
  for (std::int64_t id : case_ids) {
    marks += marks.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  std::map<std::int64_t, std::size_t> index;
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT c.id, c.reference, k.rule, k.state, k.due_at FROM "
                                      "case_clocks k JOIN cases c ON c.id = k.case_id WHERE "
                                      "k.state IN ('running', 'overdue') AND k.case_id IN (" +
                                          marks + ") ORDER BY c.id",
                                      params));
  for (const auto& row : rows.rows) {
    const auto rule = ParseRuleId(row.Text(2));
    if (!rule || row.IsNull(4)) continue;
    auto [at, added] = index.try_emplace(row.Int(0), out.size());
    if (added) out.push_back({std::to_string(row.Int(0)), row.Text(1), {}, {}});
    RuleClock clock;
    clock.rule = *rule;
    clock.state = row.Text(3) == "overdue" ? ClockState::kOverdue : ClockState::kRunning;
    clock.due_at = row.Int(4);
    out[at->second].clocks.push_back(clock);
  }
  if (with_officers) {
    ASSIGN_OR_RETURN(auto officers, c.Query("SELECT case_id, username FROM case_officers WHERE "
                                            "case_id IN (" +
                                                marks + ") ORDER BY username",
                                            params));
    for (const auto& row : officers.rows) {
      auto [at, added] = index.try_emplace(row.Int(0), out.size());
      if (added) out.push_back({std::to_string(row.Int(0)), "", {}, {}});
      out[at->second].assignee_ids.push_back(row.Text(1));
    }
  }
  return out;
}

Status CasesStore::RefreshSearch(Connection& c, std::int64_t case_id) const {
  if (c.engine() == storage::Engine::kPostgres) {
    return c
        .Execute(std::string("INSERT INTO case_search (case_id, document) SELECT c.id, "
                             "to_tsvector('simple', translate(") +
                     kPostgresSearchBody +
                     ", '-./@:', '     ')) FROM cases c WHERE c.id = ? ON CONFLICT (case_id) DO "
                     "UPDATE SET "
                     "document = excluded.document",
                 {case_id})
        .status();
  }
  RETURN_IF_ERROR(DeleteSearch(c, case_id));
  return c
      .Execute(std::string("INSERT INTO case_search (rowid, body) SELECT c.id, ") +
                   kSqliteSearchBody + " FROM cases c WHERE c.id = ?",
               {case_id})
      .status();
}

Status CasesStore::DeleteSearch(Connection& c, std::int64_t case_id) const {
  const char* sql = c.engine() == storage::Engine::kPostgres
                        ? "DELETE FROM case_search WHERE case_id = ?"
                        : "DELETE FROM case_search WHERE rowid = ?";
  return c.Execute(sql, {case_id}).status();
}

Status CasesStore::LinkAdvocate(Connection& c, std::int64_t case_id, const AssignedOfficer& a,
                                std::int64_t by) const {
  ASSIGN_OR_RETURN(auto existing, c.QueryOne("SELECT 1 FROM case_advocates WHERE case_id = ? "
                                             "AND user_id = ?",
                                             {case_id, a.user_id}));
  if (existing) return Conflict("the VRA is linked already", "user_id");
  return c
      .Execute(
          "INSERT INTO case_advocates (case_id, user_id, username, assigned_by, assigned_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {case_id, a.user_id, a.username, by, a.assigned_at})
      .status();
}

Result<bool> CasesStore::UnlinkAdvocate(Connection& c, std::int64_t case_id,
                                        std::int64_t user_id) const {
  ASSIGN_OR_RETURN(std::int64_t deleted,
                   c.Execute("DELETE FROM case_advocates WHERE case_id = ? AND user_id = ?",
                             {case_id, user_id}));
  return deleted > 0;
}

Result<std::vector<AssignedOfficer>> CasesStore::Advocates(Connection& c,
                                                           std::int64_t case_id) const {
  ASSIGN_OR_RETURN(auto rows, c.Query("SELECT user_id, username, assigned_at FROM case_advocates "
                                      "WHERE case_id = ? ORDER BY username",
                                      {case_id}));
  std::vector<AssignedOfficer> out;
  for (const auto& row : rows.rows) out.push_back({row.Int(0), row.Text(1), row.Int(2)});
  return out;
}

}  // namespace psea::cases
