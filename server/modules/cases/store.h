// SQL for the cases tables. Every method runs on the caller's connection, inside the
// caller's transaction. Nothing here knows who may see what (service.h does).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/cases/clock.h"
#include "modules/cases/figures.h"
#include "modules/cases/list.h"
#include "modules/cases/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::cases {

// What the need-to-know check reads of every case: cheap, one query for the list.
struct CaseAccessFacts {
  std::int64_t id = 0;
  std::string investigating_entity;
  std::int64_t victim_count = 0;
  std::vector<std::int64_t> officers;
  std::vector<std::int64_t> advocates;  // the VRAs linked to the case's victims
};

// A clock pause as stored (clock.h ClockPause plus who and which row).
struct StoredPause {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  ClockPause pause;
  std::string by_username;
  std::string ended_by_username;
};

// What the clocks of one case are computed from (clock.h CaseFacts), plus what the due view
// shows beside them.
struct ClockInputs {
  std::int64_t case_id = 0;
  std::string reference;
  std::string date_reported;
  bool urgent = false;
  bool uniformed_subjects = false;
  // (to_status, event_date) of every status change, oldest first.
  std::vector<std::pair<std::string, std::string>> transitions;
  // (type, entry_date) of every member_state entry.
  std::vector<std::pair<std::string, std::string>> member_state_entries;
  std::vector<StoredPause> pauses;
  std::vector<std::string> officer_usernames;
  // The dates (YYYY-MM-DD) of the contacts logged with the case's victims (migration 3).
  std::vector<std::string> victim_contact_dates;
};

// What the bi-weekly review lists of one pending case.
struct ReviewFacts {
  std::int64_t case_id = 0;
  std::string reference;
  std::string status;
  std::string status_date;
  std::string date_reported;
  std::string investigating_entity;
  std::optional<UnixMillis> last_activity_at;  // the newest timeline event
  std::optional<UnixMillis> next_due_at;       // the earliest running or overdue clock
  std::string next_due_rule;
};

class CasesStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // The next number of the (prefix, year) sequence, from 1.
  Result<std::int64_t> NextNumber(storage::Connection& c, const std::string& prefix,
                                  int year) const;
  // Inserts the clear half; returns the id. `kase.version` is stored as given.
  Result<std::int64_t> InsertCase(storage::Connection& c, const Case& kase) const;
  // The clear half alone (no lists).
  Result<std::optional<Case>> FindCase(storage::Connection& c, std::int64_t id) const;
  // Fills complaints, victims, subjects (other_cases counted), officers, entries, timeline.
  Status LoadLists(storage::Connection& c, Case& kase) const;
  // Every case's clear half, newest first.
  Result<std::vector<Case>> ListCases(storage::Connection& c) const;
  Result<std::vector<CaseAccessFacts>> AccessFacts(storage::Connection& c,
                                                   std::optional<std::int64_t> only) const;
  // Writes the clear half when the stored version is `expected_version`, and stores
  // kase.version. false when someone else changed it first.
  Result<bool> UpdateCase(storage::Connection& c, const Case& kase,
                          std::int64_t expected_version) const;

  Status LinkComplaint(storage::Connection& c, std::int64_t case_id,
                       const LinkedComplaint& complaint, UnixMillis now) const;
  Result<std::int64_t> InsertVictim(storage::Connection& c, std::int64_t case_id,
                                    const Victim& victim, UnixMillis now) const;
  // `tag`: the blind index of the subject's identity, empty when unnamed.
  Result<std::int64_t> InsertSubject(storage::Connection& c, std::int64_t case_id,
                                     const Subject& subject, const std::string& tag,
                                     UnixMillis now) const;
  Result<std::optional<Victim>> FindVictim(storage::Connection& c, std::int64_t case_id,
                                           std::int64_t victim_id) const;
  Result<std::optional<Subject>> FindSubject(storage::Connection& c, std::int64_t case_id,
                                             std::int64_t subject_id) const;
  Status InsertEvent(storage::Connection& c, std::int64_t case_id, const CaseEvent& event) const;
  Result<std::int64_t> InsertEntry(storage::Connection& c, std::int64_t case_id,
                                   const CaseEntry& entry, std::int64_t by) const;

  // kConflict naming user_id when assigned already.
  Status AssignOfficer(storage::Connection& c, std::int64_t case_id, const AssignedOfficer& officer,
                       std::int64_t by) const;
  // false when the officer was not assigned.
  Result<bool> UnassignOfficer(storage::Connection& c, std::int64_t case_id,
                               std::int64_t user_id) const;
  // The cases an officer is assigned to.
  Result<std::vector<std::int64_t>> CasesOfOfficer(storage::Connection& c,
                                                   std::int64_t user_id) const;

  // Vault items of one case (or of every case when `case_id` is nullopt): victims' identities
  // and subjects' identities.
  struct CaseItems {
    std::vector<std::int64_t> victim_items;
    std::vector<std::int64_t> subject_items;
  };
  Result<CaseItems> Items(storage::Connection& c, std::optional<std::int64_t> case_id) const;

  // Retention: the cases in one of `statuses` with their status_date (the date of the last
  // step), oldest first; and the deletion of one case with every row it owns (complaint
  // links, victims, subjects, officers, timeline, entries). false when there was no case.
  struct DatedCase {
    std::int64_t id = 0;
    std::string status_date;
  };
  Result<std::vector<DatedCase>> CasesIn(storage::Connection& c,
                                         const std::vector<CaseStatus>& statuses) const;
  Result<bool> DeleteCase(storage::Connection& c, std::int64_t case_id) const;

  // ---- Clocks (migration 2)

  // The stored timeline rule table as JSON text; nullopt when none was stored (defaults).
  Result<std::optional<std::string>> TimelineSettingsText(storage::Connection& c) const;
  Status SaveTimelineSettings(storage::Connection& c, const std::string& json_text, std::int64_t by,
                              UnixMillis now) const;
  Result<ClockInputs> LoadClockInputs(storage::Connection& c, std::int64_t case_id) const;
  Result<std::int64_t> InsertPause(storage::Connection& c, std::int64_t case_id,
                                   const ClockPause& pause, std::int64_t by,
                                   const std::string& by_username) const;
  Result<std::optional<StoredPause>> FindPause(storage::Connection& c, std::int64_t case_id,
                                               std::int64_t pause_id) const;
  // false when the pause had ended already.
  Result<bool> EndPause(storage::Connection& c, std::int64_t pause_id, UnixMillis end,
                        std::int64_t by, const std::string& by_username) const;
  // Replaces the case's cached clocks (rule, state, due_at).
  Status SaveClocks(storage::Connection& c, std::int64_t case_id,
                    const std::vector<RuleClock>& clocks) const;
  // Cases with a running or overdue clock due before `due_before` (the index on due_at).
  Result<std::vector<std::int64_t>> CasesWithClocksDueBefore(storage::Connection& c,
                                                             UnixMillis due_before) const;
  Result<std::vector<std::int64_t>> AllCaseIds(storage::Connection& c) const;

  // ---- Victim contacts, review decisions, reminders sent (migration 3)

  Result<std::int64_t> InsertVictimContact(storage::Connection& c,
                                           const VictimContact& contact) const;
  // A case's contacts (one victim's when `victim_id` is set), newest first; note left empty.
  Result<std::vector<VictimContact>> VictimContacts(storage::Connection& c, std::int64_t case_id,
                                                    std::optional<std::int64_t> victim_id) const;
  Result<std::int64_t> InsertReviewDecision(storage::Connection& c,
                                            const ReviewDecision& decision) const;
  // A case's review decisions, newest meeting first.
  Result<std::vector<ReviewDecision>> ReviewDecisions(storage::Connection& c,
                                                      std::int64_t case_id) const;
  // Cases not in one of `final_statuses`, oldest report first.
  Result<std::vector<ReviewFacts>> PendingCases(
      storage::Connection& c, const std::vector<CaseStatus>& final_statuses) const;
  // Whether `recipient` was sent this reminder (case, rule, due date, "overdue" or
  // "due_soon") already, and whether they were sent a digest on `day` (YYYY-MM-DD).
  Result<bool> ReminderSent(storage::Connection& c, const std::string& recipient,
                            std::int64_t case_id, const std::string& rule, UnixMillis due_at,
                            const std::string& state) const;
  Result<bool> DigestSentOn(storage::Connection& c, const std::string& recipient,
                            const std::string& day) const;
  Status RecordReminder(storage::Connection& c, const std::string& recipient, std::int64_t case_id,
                        const std::string& rule, UnixMillis due_at, const std::string& state,
                        const std::string& day, UnixMillis now) const;
  // The status of the case holding a complaint, if any.
  Result<std::optional<CaseStatus>> StatusOfComplaintCase(storage::Connection& c,
                                                          std::int64_t complaint_id) const;
  // ---- Figures, the UN public table and extracts (migration 5). `from` and `to` bound the
  // date reported ("YYYY-MM-DD", inclusive; empty = open). Counts only: no identity, no
  // pseudonym, no free text leaves these queries (GROUP BY in SQL).

  // Every breakdown of figures.h FiguresCounts. `now`: a running clock due before it counts
  // as overdue (the cache is refreshed on each change of a case, not as time passes).
  Result<FiguresCounts> CountFigures(storage::Connection& c, const std::string& from,
                                     const std::string& to, UnixMillis now) const;
  // The same counts month by month ("YYYY-MM" of the date reported), each with the first due
  // date still ahead of `now` among its running clocks.
  Result<std::map<std::string, MonthFigures>> CountFiguresByMonth(storage::Connection& c,
                                                                  const std::string& from,
                                                                  const std::string& to,
                                                                  UnixMillis now) const;
  // The months reported within the period that hold or held a case, with their revision
  // (migration 7): bumped by every change to a case of the month, in its transaction.
  Result<std::vector<std::pair<std::string, std::int64_t>>> FigureMonths(
      storage::Connection& c, const std::string& from, const std::string& to) const;
  // Bumps the revision of the month `case_id` is reported in, unless its date reported is
  // `unless_reported` (UpdateCase: only when the date moves).
  Status TouchFigureMonth(storage::Connection& c, std::int64_t case_id,
                          const std::string& unless_reported) const;
  Result<std::vector<InvestigationSpan>> InvestigationSpans(storage::Connection& c,
                                                            const std::string& from,
                                                            const std::string& to) const;
  Result<std::vector<ClockStateCount>> ClockStates(storage::Connection& c, const std::string& from,
                                                   const std::string& to, UnixMillis now) const;
  // Cases not in a final status, reported in the period.
  Result<std::int64_t> CountOpenCases(storage::Connection& c, const std::string& from,
                                      const std::string& to) const;
  // The rows of the public table, by date reported, case, personnel category, nationality.
  Result<std::vector<PublicTableRow>> PublicTable(storage::Connection& c, const std::string& from,
                                                  const std::string& to) const;
  Result<std::int64_t> InsertExtract(storage::Connection& c, const ExtractRecord& record,
                                     std::int64_t by) const;
  // A case's extracts, newest first.
  Result<std::vector<ExtractRecord>> ListExtracts(storage::Connection& c,
                                                  std::int64_t case_id) const;
  // ---- The case list, full-text search and the VRA's cases (migration 4)

  // Whose cases a query may return: the service decides (service.h, need-to-know) and the
  // store puts it in the WHERE clause, so a page and its total hold only visible cases.
  struct ListScope {
    enum class Kind {
      kAll,       // a cases reader
      kAssigned,  // the cases `user_id` is assigned to
      kAdvocate,  // the cases the VRA `user_id` is linked to
      kEntities,  // the cases referred to one of `entities` (an investigator's units)
    };
    Kind kind = Kind::kAll;
    std::int64_t user_id = 0;
    std::vector<std::string> entities;
  };
  struct CasePage {
    std::vector<Case> cases;  // clear halves, no lists
    std::int64_t total = 0;   // how many cases in the scope pass the filter
  };
  // One page of `filter` (list.h) within `scope`; `caller` is who "mine" means, `now` decides
  // "overdue" (a cached running or overdue clock due before it).
  Result<CasePage> QueryCases(storage::Connection& c, const ListScope& scope,
                              const CaseListFilter& filter, std::int64_t caller,
                              UnixMillis now) const;
  // The cached clocks (running or overdue, due before `due_before`) of the cases in `scope`
  // (and assigned to `assigned_to` when given), with each case's reference and, when
  // `with_officers`, its officers' usernames: the due view without recomputing any case.
  Result<std::vector<CaseClocks>> DueClocks(storage::Connection& c, const ListScope& scope,
                                            UnixMillis due_before,
                                            std::optional<std::int64_t> assigned_to,
                                            bool with_officers) const;
  // The same cached clocks (running or overdue) of the cases `case_ids` (at most a list
  // page), and their officers' usernames when `with_officers`: a list row's next due date.
  Result<std::vector<CaseClocks>> OpenClocksOf(storage::Connection& c,
                                               const std::vector<std::int64_t>& case_ids,
                                               bool with_officers) const;
  // Rewrites the case's search document from its clear half and its subjects' coded facts
  // (list.h says which), in the caller's transaction; DeleteSearch drops it.
  Status RefreshSearch(storage::Connection& c, std::int64_t case_id) const;
  Status DeleteSearch(storage::Connection& c, std::int64_t case_id) const;
  // The VRAs linked to a case. kConflict naming user_id when linked already.
  Status LinkAdvocate(storage::Connection& c, std::int64_t case_id, const AssignedOfficer& advocate,
                      std::int64_t by) const;
  // false when the VRA was not linked.
  Result<bool> UnlinkAdvocate(storage::Connection& c, std::int64_t case_id,
                              std::int64_t user_id) const;
  Result<std::vector<AssignedOfficer>> Advocates(storage::Connection& c,
                                                 std::int64_t case_id) const;
};

}  // namespace psea::cases
