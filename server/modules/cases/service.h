// Allegation cases: made by the CDT from complaints that intake assessed as SEA by mission
// personnel (ready_for_case), through IntakeService::TakeForCaseIn in the case's own
// transaction. The rules live here (validation, the workflow, need-to-know, sealing); SQL
// lives in CasesStore; HTTP in handlers.cc.
//
// Need-to-know, per case (anyone else gets kNotFound, as if the case did not exist):
//  - the cases readers (security::ReaderRegistry, scope "cases"): every case, every identity;
//  - the officers a cases reader assigns to a case: that case and its identities (assigning
//    grants the case's vault wraps from the reader's key, unassigning revokes them, in the
//    same transaction);
//  - the Victims' Rights Advocate (role vra): the cases a CDT member with full access linked
//    her to (LinkAdvocate: she accompanies their victims), and the victims' identities only
//    when a victims reader (they are sealed for that set too);
//  - an investigator who is a focal point of the unit of the entity the case was referred to
//    (oios and joint: unit OIOS; mission_siu: unit SIU): the case without victims' pseudonyms
//    or identities;
//  - leadership and every other role: nothing (aggregates come later).
// Identities are opened only by "reveal", a separate audited call that needs a recent proof of
// presence (2FA) in the session.
//
// Every change is one transaction, audited, and written to the case's timeline. Changes to
// the clear half carry the version the caller read: another version is kConflict naming
// "version". A case in a final status refuses every change (kConflict naming "status").
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/revision_cache.h"
#include "modules/cases/model.h"
#include "modules/cases/store.h"
#include "modules/intake/service.h"
#include "security/audit.h"
#include "security/blind_index.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::cases {

using intake::RequestInfo;
using intake::StaffMember;

// The reader set that opens every case.
inline constexpr std::string_view kCaseReaderScope = "cases";

struct CaseSettings {
  std::string reference_prefix = "MINUSCA";  // --case-prefix
  std::string mission = "MINUSCA";
  // Active staff, to check whom a reader assigns or adds (app.cc: the accounts module).
  intake::StaffDirectory staff;
  // The codes of the organisation units a user is a focal point of (app.cc: units).
  std::function<Result<std::vector<std::string>>(std::int64_t user)> units_of_user;
  // The step-up of a change of case readers (app.cc: the accounts module).
  security::StepUpVerifier verify_step_up;
};

// What a new case is made of. The clear facts default to the first complaint's.
struct NewCase {
  std::vector<std::int64_t> complaint_ids;
  std::optional<std::string> date_reported;  // default: the first complaint's received date
  std::optional<std::string> incident_date_precision;
  std::optional<std::string> incident_date;
  std::optional<std::string> location;
  std::optional<std::string> category;  // default: the complaint's assessment
  std::optional<std::string> type;
  std::optional<bool> risk_ongoing;
};

// A change of the clear half (PATCH). Unset fields stay.
struct CasePatch {
  std::optional<std::string> date_reported;
  std::optional<std::string> incident_date_precision;
  std::optional<std::string> incident_date;
  std::optional<std::string> location;
  std::optional<std::string> category;
  std::optional<std::string> type;
  std::optional<bool> risk_child;
  std::optional<bool> risk_violence;
  std::optional<bool> risk_ongoing;
  std::optional<bool> paternity_claim;
};

struct CaseView {
  Case kase;
  CaseAccess access = CaseAccess::kNone;
  bool can_reveal = false;  // the caller may ask to reveal identities (a reader or assigned)
  // The case's clocks as of now (clock.h), for whoever sees the case.
  std::vector<RuleClock> clocks;
  // The clock pauses, for full access only (their reasons are the CDT's).
  std::vector<StoredPause> pauses;
  // List rows only (ListPage): the first item of the case in the due view of the year ahead
  // (overdue first), and the assigned officers' usernames for full access.
  std::optional<DueItem> next_due;
  std::vector<std::string> officer_usernames;
};

struct PauseRequest {
  std::optional<RuleId> rule;  // nullopt: every clock of the case
  std::string reason;
  std::string start_date;  // "YYYY-MM-DD"; empty: now
};

// Where the version a change was made against came from: the body's `version` (a mismatch is
// 409) or the If-Match header (412, RFC 9110 13.1.1).
enum class VersionSource { kBody, kIfMatch };

struct CaseListPage {
  std::vector<CaseView> cases;  // clear halves, no lists
  std::int64_t total = 0;       // how many of the caller's cases pass the filter
};

struct CaseReadersView {
  std::vector<security::ReaderEntry> readers;
  std::vector<StaffMember> eligible;  // active CDT chiefs and officers who are not readers
};

class CasesService {
 public:
  CasesService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
               const security::Vault& vault, const security::KeyRing& keyring,
               intake::IntakeService& intake, const security::SecretBytes& server_key,
               CaseSettings settings);

  static std::vector<storage::Migration> Migrations() { return CasesStore::Migrations(); }

  // cases.manage. The complaints must be ready_for_case and the caller an intake reader with
  // a recent proof (their sealed halves are opened and re-sealed). Victims and subjects come
  // from the complaints' facts, their names re-sealed for the case's readers. A caller who is
  // not a cases reader is assigned to the case. kInvalidArgument / kUnprocessable naming the
  // field for a bad value or an impossible date.
  Result<CaseView> Create(const security::Principal& caller, const NewCase& request,
                          const RequestInfo& info);
  // Adds later complaints (ready_for_case) to a case the caller may work.
  Result<CaseView> AbsorbComplaints(const security::Principal& caller, std::int64_t id,
                                    const std::vector<std::int64_t>& complaint_ids,
                                    const RequestInfo& info);

  // The cases the caller may see, newest first (kPermissionDenied for roles that see none):
  // the first kMaxCasePage of them. ListPage filters, sorts and pages (list.h).
  Result<std::vector<CaseView>> List(const security::Principal& caller);
  Result<CaseView> Get(const security::Principal& caller, std::int64_t id);

  // `version`: the version the caller read; another one is kConflict naming "version", or
  // kPreconditionFailed naming "If-Match" when it came from that header (VersionSource).
  // nullopt (If-Match: *) checks nothing.
  Result<CaseView> Update(const security::Principal& caller, std::int64_t id,
                          const CasePatch& patch, std::optional<std::int64_t> version,
                          const RequestInfo& info, VersionSource source = VersionSource::kBody);
  // The workflow (model.h CheckTransition) plus the dates: the step's date lies between the
  // date reported (and the last step's date) and today (kUnprocessable naming "date").
  Result<CaseView> Transition(const security::Principal& caller, std::int64_t id,
                              const TransitionRequest& request, std::optional<std::int64_t> version,
                              const RequestInfo& info, VersionSource source = VersionSource::kBody);

  Result<CaseView> AddVictim(const security::Principal& caller, std::int64_t id, Victim victim,
                             const VictimIdentity& identity, const RequestInfo& info);
  Result<CaseView> AddSubject(const security::Principal& caller, std::int64_t id, Subject subject,
                              const SubjectIdentity& identity, const RequestInfo& info);
  // Member State steps, interim measures and actions; the date not before the date reported
  // nor after today (kUnprocessable naming "date").
  Result<CaseView> AddEntry(const security::Principal& caller, std::int64_t id, CaseEntry entry,
                            const RequestInfo& info);

  // A cases reader with an unlocked key assigns an active CDT officer or chief: the case's
  // wraps are granted from the reader's key in the same transaction. Unassigning revokes the
  // wraps the officer holds through the assignment only.
  Result<CaseView> AssignOfficer(const security::Principal& caller, std::int64_t id,
                                 std::int64_t user, const RequestInfo& info);
  Result<CaseView> UnassignOfficer(const security::Principal& caller, std::int64_t id,
                                   std::int64_t user, const RequestInfo& info);

  // Opens one identity: a caller with full access (or the VRA, for victims) who holds a wrap,
  // an unlocked key and a recent proof (kReauthRequired). Audited (cases.victim.reveal,
  // cases.subject.reveal).
  Result<VictimIdentity> RevealVictim(const security::Principal& caller, std::int64_t id,
                                      std::int64_t victim_id, const RequestInfo& info);
  Result<SubjectIdentity> RevealSubject(const security::Principal& caller, std::int64_t id,
                                        std::int64_t subject_id, const RequestInfo& info);

  // The cases readers (cases.manage to list). A reader who holds cases.readers adds or removes
  // one with the step-up; while the set is empty, an intake reader who holds cases.readers
  // may add the first. Adding grants every case item the adder's key opens; removing revokes
  // every case item except those of the cases the user is assigned to (and the victims'
  // items a victims reader keeps). Removing the last reader is kConflict.
  Result<CaseReadersView> Readers(const security::Principal& caller);
  Status AddReader(const security::Principal& caller, std::int64_t user,
                   const std::optional<security::StepUpProof>& proof, const RequestInfo& info);
  Status RemoveReader(const security::Principal& caller, std::int64_t user,
                      const std::optional<security::StepUpProof>& proof, const RequestInfo& info);
  // The server's console (`psea cases readers`): a reader added with the organisation's
  // recovery key receives every case item from its copies (the way to name a reader when no
  // reader can, or to give a new reader the cases the adder could not open). Removing revokes
  // like RemoveReader; the last reader is kConflict. Both are audited with actor "console".
  Result<std::int64_t> AddReaderFromConsole(const std::string& username,
                                            std::string_view recovery_key, const RequestInfo& info);
  Result<std::int64_t> RemoveReaderFromConsole(const std::string& username,
                                               const RequestInfo& info);
  Result<std::vector<security::ReaderEntry>> ListReadersForConsole();

  // The victims readers hold every case's victims' items (identities, notes of contacts): the
  // intake readers' flow grants them to a victims reader added later, and revokes them from
  // one removed but for VictimItemsHeldBy, what the user holds as a cases reader (every case)
  // or as an officer of the case. app.cc registers both with intake.
  Result<std::vector<std::int64_t>> VictimItems(storage::Connection& c) const;
  Result<std::vector<std::int64_t>> VictimItemsHeldBy(storage::Connection& c,
                                                      std::int64_t user) const;

  // Retention (the retention module decides what is due and what is held; these run inside
  // its transaction). Cases in a final status with the date of their closing step (midnight
  // UTC) before `closed_before`, oldest first.
  struct RetentionCandidate {
    std::int64_t id = 0;
    UnixMillis closed_at = 0;
  };
  Result<std::vector<RetentionCandidate>> RetentionCandidates(storage::Connection& c,
                                                              UnixMillis closed_before) const;
  // Whether a case exists (for a legal hold on it).
  Result<bool> CaseExists(storage::Connection& c, std::int64_t id) const;
  // Deletes each case with its complaint links, victims, subjects, officers, entries and
  // timeline, and every vault item it sealed (victims' and subjects' identities, their wraps
  // included). The purge hooks remove what other modules keep on the case (evidence and its files).
  // The complaints the case took stay (intake's records, status referred). Returns how many cases
  // and items were deleted.
  struct PurgeCounts {
    std::int64_t cases = 0;
    std::int64_t vault_items = 0;
  };
  // `files`: where the purge hooks (AddPurgeHook) list the files of the purged cases, for the
  // caller to erase after its commit; nullptr when the caller erases none.
  Result<PurgeCounts> PurgeCases(storage::Connection& c, const std::vector<std::int64_t>& ids,
                                 std::vector<std::string>* files = nullptr) const;

  // ---- Clocks (docs/case-timelines.md)
  //
  // A case's clocks come from its facts: the date reported (case_received), the moves to
  // under_assessment (acknowledged), referred_for_investigation or under_investigation
  // (referred), report_received, action_pending (review_completed) and any final status
  // (closed), and its member_state entries (notification, nio_appointed,
  // answer_will_not_investigate); urgency and uniformed subjects from the case. Each change of
  // a case refreshes its cached clocks (table case_clocks) in the same transaction, so the
  // due view reads an index instead of computing every case.

  // The rule table (cases.manage); the documented defaults until the chief saves one.
  Result<TimelineSettings> TimelineRules(const security::Principal& caller);
  // Replaces the table with `table` (its JSON, clock.h ParseTimelineSettings): cases.readers
  // (the CDT chief), checked before the table is read. Every case's clocks are refreshed in
  // the same transaction. kInvalidArgument naming the field ("rules[2].amount"). Audited.
  Result<TimelineSettings> SetTimelineRules(const security::Principal& caller,
                                            const boost::json::value& table,
                                            const RequestInfo& info);
  // Overdue clocks and running clocks due within `within_days` (0..365) mission days, over the
  // cases the caller may see (List's need-to-know), most late first; `mine`: only the cases
  // assigned to the caller. assignee_ids are the officers' usernames. One page: at most
  // `limit` items from `offset` (clock.h PageDueAndOverdue), with the view's totals.
  Result<DuePage> Due(const security::Principal& caller, int within_days, bool mine,
                      std::int64_t offset = 0,
                      std::int64_t limit = std::numeric_limits<std::int64_t>::max());
  // Pauses one clock (or all when request.rule is nullopt) from now, or from the start of
  // request.start_date in mission time (not in the future nor before the date reported:
  // kUnprocessable naming "start"); the reason is required (kInvalidArgument naming
  // "reason"). Full access and cases.manage; audited.
  Result<CaseView> AddPause(const security::Principal& caller, std::int64_t id,
                            const PauseRequest& request, const RequestInfo& info);
  // Ends an open pause now. kNotFound for another case's pause; kConflict naming "pause_id"
  // when it has ended already.
  Result<CaseView> EndPause(const security::Principal& caller, std::int64_t id,
                            std::int64_t pause_id, const RequestInfo& info);

  // ---- Keeping victims and reporters informed, the bi-weekly review, reminders (issue 12)

  // Logs one contact with a victim of the case: a caller with full access and cases.manage,
  // or the VRA (who sees every case with victims). `date` YYYY-MM-DD, not in the future nor
  // before the date reported (kUnprocessable naming "date"); `channel` one of
  // kContactChannels (kInvalidArgument naming "channel"); `note` at most 4000 characters,
  // sealed like the victims' identities (case readers, officers, victims readers). The
  // contact meets the victim_information clock: its next period is due N days after the
  // contact's day. Audited (cases.victim_contact.add) and in the timeline (kind
  // victim_contact, the channel only). kNotFound for an unknown victim or a case the caller
  // may not see; kConflict naming "status" on a closed case.
  struct NewVictimContact {
    std::string date;
    std::string channel;
    std::string note;
  };
  Result<VictimContact> AddVictimContact(const security::Principal& caller, std::int64_t id,
                                         std::int64_t victim_id, const NewVictimContact& contact,
                                         const RequestInfo& info);
  // The contacts with one victim, newest first. Notes are opened when the caller holds a wrap,
  // an unlocked key and a recent proof of presence; otherwise `note` stays empty and
  // notes_open false (reauth_required when only the proof is missing).
  struct VictimContactsView {
    std::vector<VictimContact> contacts;
    bool notes_open = false;
    bool reauth_required = false;
  };
  Result<VictimContactsView> VictimContacts(const security::Principal& caller, std::int64_t id,
                                            std::int64_t victim_id);

  // The bi-weekly review: the cases not in a final status that the caller has full access to
  // (cases.manage; kPermissionDenied otherwise), oldest report first, with their age, the days
  // since the last timeline event, the next due clock and the last decision.
  struct ReviewRow {
    ReviewFacts facts;
    int age_days = 0;
    std::optional<int> days_since_activity;
    std::optional<ReviewDecision> last_decision;
    std::vector<std::string> officers;
  };
  Result<std::vector<ReviewRow>> Review(const security::Principal& caller);
  // Records a meeting's decision on one case (full access, cases.manage, not closed):
  // meeting_date YYYY-MM-DD not in the future (kUnprocessable naming "meeting_date"), decision
  // 1..2000 characters, action_owner at most 200, due_date empty or YYYY-MM-DD not before the
  // meeting (kUnprocessable naming "due_date"). Audited (cases.review_decision.add) and in the
  // timeline (kind review_decision, the decision as its reason, which only full access sees).
  Result<ReviewDecision> AddReviewDecision(const security::Principal& caller, std::int64_t id,
                                           ReviewDecision decision, const RequestInfo& info);
  Result<std::vector<ReviewDecision>> ReviewDecisions(const security::Principal& caller,
                                                      std::int64_t id);

  // What the reporter of a complaint taken by a case sees (model.h ReporterStepOf), inside
  // intake's transaction; nullopt when no case holds the complaint.
  Result<std::optional<intake::PublicStatus>> ReporterStepOfComplaint(
      storage::Connection& c, std::int64_t complaint_id) const;

  // Reminders: the overdue clocks and the clocks due within `within_days` (0..365) of every
  // case, one digest per assigned officer (recipient = user name; "" for the cases no officer
  // is assigned to), leaving out the items already sent to that recipient (same case, rule,
  // due date and state) and the recipients already sent a digest this mission day. The job
  // (app/reminders.h) mails each digest, then calls MarkReminderSent.
  struct ReminderDigest {
    std::string recipient;
    std::vector<DueItem> items;
    int utc_offset_minutes = 0;  // of the rule table: the due days are mission days
  };
  Result<std::vector<ReminderDigest>> PendingReminders(int within_days);
  // Remembers the digest's items as sent today; audited (cases.reminders.sent, actor
  // "system", the recipient and the count only). `queue_mail`, when given, runs in the same
  // transaction (the digest put in the mail outbox): the items count as sent exactly when the
  // message is durably queued.
  Status MarkReminderSent(const ReminderDigest& digest,
                          const std::function<Status(storage::Connection&)>& queue_mail = nullptr);
  // ---- Figures, the UN public table and information-sharing extracts (figures.h;
  // figures_service.cc)
  //
  // Figures are aggregates over every case, whatever the caller's need-to-know: they need
  // intake.figures (the CDT and leadership; leadership sees no case itself).
  // Leadership (no cases.manage) always gets counts 1..4 suppressed, as for complaint figures:
  // the filter answered is the one applied.
  struct FiguresView {
    FiguresFilter filter;
    FiguresCounts counts;
  };
  Result<FiguresView> Figures(const security::Principal& caller, FiguresFilter filter);
  // The public table's rows (no identity, no pseudonym, no free text): intake.figures and
  // cases.manage (the CDT; not leadership, whose view is aggregate only). Audited
  // (cases.export) with the period, the format and the number of rows.
  Result<std::vector<PublicTableRow>> PublicTable(const security::Principal& caller,
                                                  const FiguresFilter& filter,
                                                  std::string_view format, const RequestInfo& info);
  // A redacted extract of one case for a partner entity (the information-sharing protocol):
  // full access only (a cases reader or an assigned officer; kNotFound for anyone else, as for
  // the case). `recipient` and `purpose` are required (kInvalidArgument naming them). Recorded
  // in case_extracts, on the case's timeline and in the audit log (cases.extract: who, to
  // whom, when, why).
  struct Extract {
    Case kase;
    ExtractRecord record;
  };
  Result<Extract> MakeExtract(const security::Principal& caller, std::int64_t id,
                              const std::string& recipient, const std::string& purpose,
                              const RequestInfo& info);
  // The extracts made of a case, newest first (full access).
  Result<std::vector<ExtractRecord>> Extracts(const security::Principal& caller, std::int64_t id);

  // The action plan's computed indicators (app.cc registers them). `from` and `to` are months
  // "YYYY-MM"; the cases counted are those reported in [from, to].
  static constexpr std::string_view kIndicatorInvestigationsWithinTimeline =
      "cases.investigations_within_timeline_pct";
  static constexpr std::string_view kIndicatorOpenAllegations = "cases.open_allegations";
  static constexpr std::string_view kIndicatorMedianInvestigationDays =
      "cases.median_investigation_days";
  static constexpr std::string_view kIndicatorVictimsInformed =
      "cases.victims_informed_within_interval_pct";
  Result<double> IndicatorValue(storage::Connection& c, std::string_view key,
                                const std::string& from, const std::string& to) const;

  // ---- The case list and the VRA's cases (list.h, migration 4)

  // One page of the cases the caller may see that pass `filter`: the need-to-know is part of
  // the query, so `total` counts only visible cases. kPermissionDenied for roles that see none.
  Result<CaseListPage> ListPage(const security::Principal& caller, const CaseListFilter& filter);
  // Links an active VRA to a case (a CDT member with full access): she then sees the case and
  // its victims (and opens their identities if she is a victims reader). kUnprocessable naming
  // user_id for anyone but an active VRA, kConflict naming user_id when linked already.
  // Audited (cases.advocate.link, cases.advocate.unlink) and in the timeline.
  Result<CaseView> LinkAdvocate(const security::Principal& caller, std::int64_t id,
                                std::int64_t user, const RequestInfo& info);
  Result<CaseView> UnlinkAdvocate(const security::Principal& caller, std::int64_t id,
                                  std::int64_t user, const RequestInfo& info);

  // `psea generate --cases N` (generator.cc): invented cases for benchmarks, written through
  // the store in transactions of 500 (no audit entries): three years of cases at every stage,
  // their victims' and subjects' identities sealed, a quarter assigned to `officers` in turn, a
  // tenth linked to `advocates`, clocks and search documents computed, and the source
  // complaint of each (every 25th two) written in intake as referred to it
  // (IntakeService::GenerateForCaseIn: an intake reader or the recovery key must exist).
  // `chief` becomes the first cases reader when there is none. Never for real data. Answers
  // what the evidence generator needs of each case made
  // (evidence::EvidenceService::GenerateEvidence).
  struct GeneratedCase {
    std::int64_t id = 0;
    std::string location;
    UnixMillis reported_at = 0;
    // When it moved to under_investigation; nullopt when it never did.
    std::optional<UnixMillis> investigation_at;
  };
  Result<std::vector<GeneratedCase>> GenerateCases(
      int count, const security::Principal& chief, const std::vector<security::Principal>& officers,
      const std::vector<security::Principal>& advocates);

 private:
  struct Who {
    CaseAccess access = CaseAccess::kNone;
    bool full() const { return access == CaseAccess::kFull; }
  };
  // `units`: the caller's units (CallerUnits, read before the transaction).
  Result<Who> AccessTo(storage::Connection& c, const security::Principal& caller,
                       const CaseAccessFacts& facts, const std::vector<std::string>& units) const;
  // The unit codes of an investigator; empty for everyone else.
  Result<std::vector<std::string>> CallerUnits(const security::Principal& caller) const;
  Result<bool> IsCaseReader(storage::Connection& c, const security::Principal& caller) const;
  // The caller's need-to-know as a list scope, and the access every case in it gives.
  // kPermissionDenied for roles that see no case.
  Result<std::pair<CasesStore::ListScope, CaseAccess>> ScopeOf(
      storage::Connection& c, const security::Principal& caller,
      const std::vector<std::string>& units) const;
  // kConflict naming "version", or kPreconditionFailed naming "If-Match".
  static Status AsPrecondition(VersionSource source, Status status);
  static Status CheckVersion(const Case& kase, std::optional<std::int64_t> version,
                             VersionSource source);
  // Loads the case for a change: kNotFound unless the caller has full access; kConflict
  // naming "status" when the case is in a final status.
  Result<Case> LoadForChange(storage::Connection& c, const security::Principal& caller,
                             std::int64_t id) const;
  Result<CaseView> View(storage::Connection& c, const security::Principal& caller, std::int64_t id,
                        const std::vector<std::string>& units) const;
  Status Record(storage::Connection& c, const security::Principal& caller, std::int64_t case_id,
                CaseEvent event, const std::string& action, const RequestInfo& info,
                const std::string& details = "{}") const;
  // Readers of a new item of the case: cases readers, its officers, and for victims the
  // victims readers.
  Result<std::vector<std::int64_t>> SealingReaders(storage::Connection& c, std::int64_t case_id,
                                                   bool victim) const;
  Result<std::int64_t> SealVictim(storage::Connection& c, std::int64_t case_id,
                                  const VictimIdentity& identity) const;
  Result<std::int64_t> SealSubject(storage::Connection& c, std::int64_t case_id,
                                   const SubjectIdentity& identity) const;
  // Victims and subjects of complaints taken by a case.
  Status AddFromComplaints(storage::Connection& c, const security::Principal& caller, Case& kase,
                           const std::vector<intake::IntakeService::TakenComplaint>& taken,
                           const RequestInfo& info) const;
  // Writes the clear half and refreshes the case's cached clocks.
  Status Bump(storage::Connection& c, Case& kase, std::int64_t expected) const;
  Result<TimelineSettings> LoadTimelineSettings(storage::Connection& c) const;
  Result<std::vector<RuleClock>> ClocksOf(const TimelineSettings& settings,
                                          const ClockInputs& inputs) const;
  // `settings`: the table when the caller holds it (the refresh of every case); else loaded.
  Status RefreshClocks(storage::Connection& c, std::int64_t case_id,
                       const TimelineSettings* settings = nullptr) const;
  Result<StaffMember> ActiveStaff(std::int64_t user) const;
  Result<StaffMember> ActiveStaffByName(const std::string& username) const;
  Result<std::int64_t> RevokeReaderItems(storage::Connection& c, std::int64_t user) const;
  Status AuditConsoleReaderChange(storage::Connection& c, std::string_view action,
                                  const StaffMember& member, std::int64_t items,
                                  const RequestInfo& info) const;
  std::string Today() const;

  storage::Database& database_;
  CasesStore store_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  const security::KeyRing& keyring_;
  intake::IntakeService& intake_;
  security::BlindIndex subject_index_;
  CaseSettings settings_;
  security::ReaderRegistry readers_;
  // Each month's figures, keyed by the part of the month a period covers ("YYYY-MM-DD" first
  // and last day), at the month's revision (store.h FigureMonths). 36 months of history with
  // the whole-month and the edge-month keys of a few periods fit.
  RevisionCache<std::pair<std::string, std::string>, MonthFigures> figures_cache_{512};

  // ---- For modules that keep records on a case (evidence, IRT deployments). They reach the
  // case only through these calls.
 public:
  // The investigator's units for AccessToCase, read before the caller's transaction (empty
  // for every other role).
  Result<std::vector<std::string>> UnitsForAccess(const security::Principal& caller) const {
    return CallerUnits(caller);
  }
  struct CaseAccessCheck {
    CaseAccess access = CaseAccess::kNone;  // kNone also when there is no such case
    bool final = false;                     // the case is in a final status
  };
  // The caller's need-to-know access to the case, on the caller's connection.
  Result<CaseAccessCheck> AccessToCase(storage::Connection& c, const security::Principal& caller,
                                       std::int64_t id,
                                       const std::vector<std::string>& units) const;
  // Called by PurgeCases for each purged case, inside its transaction: deletes the module's
  // rows of the case and appends the paths of its files to `files` (erased after the commit).
  // Returns how many records it deleted. Registered at start-up, before any purge.
  using PurgeHook = std::function<Result<std::int64_t>(storage::Connection& c, std::int64_t case_id,
                                                       std::vector<std::string>& files)>;
  void AddPurgeHook(PurgeHook hook) { purge_hooks_.push_back(std::move(hook)); }

 private:
  std::vector<PurgeHook> purge_hooks_;
};

}  // namespace psea::cases
