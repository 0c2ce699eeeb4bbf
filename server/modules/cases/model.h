// Allegation cases: what the CDT makes of one or more assessed complaints, from receipt to
// closure. Like a complaint, a case has a clear half (dates, place, category and type,
// personnel category and nationality of subjects, victims' sex and age group, status and its
// history, measures and actions) and sealed parts: each victim's and each subject's identity
// is a vault item of its own, sealed for the case's readers (security/readers.h, scope
// "cases"), the officers assigned to the case and, for victims, the victims readers.
// Nothing sealed is ever copied into the clear half.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/intake/model.h"
#include "security/permissions.h"

namespace psea::cases {

// The workflow of issue 12: received -> under assessment -> (not SEA | closed without
// investigation | referred for investigation) -> under investigation -> report received ->
// under review -> (action pending ->) closed.
enum class CaseStatus {
  kReceived,
  kUnderAssessment,
  kNotSea,
  kClosedWithoutInvestigation,
  kReferredForInvestigation,
  kUnderInvestigation,
  kReportReceived,
  kUnderReview,
  kActionPending,
  kClosed,
};
const std::vector<CaseStatus>& AllCaseStatuses();
std::string_view CaseStatusName(CaseStatus status);
std::optional<CaseStatus> ParseCaseStatus(std::string_view name);
// not_sea, closed_without_investigation and closed: nothing may change afterwards.
bool IsFinal(CaseStatus status);

// Closed vocabularies (wire values).
extern const std::vector<std::string_view> kCaseCategories;  // sexual_exploitation, sexual_abuse
extern const std::vector<std::string_view> kCaseTypes;       // rape, sexual_assault, ...
extern const std::vector<std::string_view> kDatePrecisions;  // exact, month, year, unknown
extern const std::vector<std::string_view> kInvestigatingEntities;  // oios, tcc_nio, pcc, ...
extern const std::vector<std::string_view> kOutcomes;   // substantiated, not_substantiated, ...
extern const std::vector<std::string_view> kAgeGroups;  // adult, minor, unknown
extern const std::vector<std::string_view> kSexes;      // female, male, other, unknown
extern const std::vector<std::string_view> kYesNoUnknown;
// Typed lists of a case: the entry kind and the types each kind takes.
extern const std::vector<std::string_view> kEntryKinds;  // member_state, interim_measure, action
const std::vector<std::string_view>& EntryTypesOf(std::string_view kind);
bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

// What a transition needs besides the target status.
struct TransitionRequest {
  CaseStatus to = CaseStatus::kUnderAssessment;
  std::string reason;   // required for not_sea and closed_without_investigation
  std::string entity;   // kInvestigatingEntities; required for under_investigation
  std::string outcome;  // kOutcomes; required for closed
  std::string date;     // "YYYY-MM-DD" the step happened; empty: today
};

// Who may move a case from `from` to `to`. kConflict naming "status" when the workflow has no
// such edge; kPermissionDenied when the role may not take it (final decisions are the CDT
// chief's; an investigator records only that the report was received); kInvalidArgument
// naming the missing field (reason, entity, outcome) or an unknown value.
Status CheckTransition(CaseStatus from, const TransitionRequest& request, security::Role role);

// "YYYY-MM-DD", a real calendar date.
bool IsIsoDate(std::string_view text);
// The incident date in the shape its precision requires: exact "YYYY-MM-DD", month
// "YYYY-MM", year "YYYY", unknown "". kInvalidArgument naming incident_date.
Status CheckIncidentDate(std::string_view precision, std::string_view date);
// The earliest day the incident date can mean ("2026-03" -> "2026-03-01"), for comparisons.
std::string IncidentDateStart(std::string_view precision, std::string_view date);

struct Victim {
  std::int64_t id = 0;
  std::string pseudonym;  // a code the CDT chooses ("V1"), never a name
  std::string sex = "unknown";
  std::string age_group = "unknown";
  std::optional<int> age;
  std::string child_born = "unknown";  // kYesNoUnknown
  std::int64_t identity_item = 0;      // vault item: VictimIdentity as JSON
};

// The sealed part of a victim.
struct VictimIdentity {
  std::string name;
  std::string contacts;
  std::string address;
};

struct Subject {
  std::int64_t id = 0;
  std::string personnel_category = "unknown";  // intake's kPersonnelCategories
  std::string nationality;                     // ISO 3166-1 alpha-2, for uniformed personnel
  std::string unit;                            // contingent or unit
  std::string rank;
  std::int64_t identity_item = 0;  // vault item: SubjectIdentity as JSON
  bool identified = false;         // a name was recorded (the blind index exists)
  std::int64_t other_cases = 0;    // other cases with the same identity (repeat subject)
};

struct SubjectIdentity {
  std::string name;
  std::string description;
};

// One line of the case's timeline (a transition, an assignment, an edit, a reveal...).
struct CaseEvent {
  std::int64_t id = 0;
  UnixMillis at = 0;
  std::int64_t user_id = 0;
  std::string username;
  std::string kind;  // created, status, edit, complaint_added, victim_added, ...
  std::string from_status;
  std::string to_status;
  std::string reason;
  std::string date;  // the date the step happened, for transitions
};

struct CaseEntry {
  std::int64_t id = 0;
  std::string kind;  // kEntryKinds
  std::string type;  // EntryTypesOf(kind)
  std::string date;  // YYYY-MM-DD
  std::string end_date;
  std::string note;    // clear: never a name
  std::string amount;  // actions: money withheld or sent to the Trust Fund, as text
  std::string created_by_username;
  UnixMillis created_at = 0;
};

struct AssignedOfficer {
  std::int64_t user_id = 0;
  std::string username;
  UnixMillis assigned_at = 0;
};

struct LinkedComplaint {
  std::int64_t complaint_id = 0;
  std::string reference;
};

struct Case {
  std::int64_t id = 0;
  std::string reference;  // "MINUSCA-2026-0001"
  std::string mission;
  std::string date_reported;  // YYYY-MM-DD
  std::string incident_date_precision = "unknown";
  std::string incident_date;
  std::string location;  // the coded place or town of the complaint, never finer
  std::string category;  // kCaseCategories
  std::string type;      // kCaseTypes
  bool risk_child = false;
  bool risk_violence = false;
  bool risk_ongoing = false;
  bool urgent = false;  // any of the three
  bool paternity_claim = false;
  std::string investigating_entity;  // empty until referred
  CaseStatus status = CaseStatus::kReceived;
  std::string status_date;  // the date of the last transition
  std::string outcome;      // kOutcomes, once closed
  std::string closure_reason;
  std::int64_t version = 1;
  std::int64_t created_by = 0;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  std::vector<LinkedComplaint> complaints;
  std::vector<Victim> victims;
  std::vector<Subject> subjects;
  std::vector<AssignedOfficer> officers;
  std::vector<AssignedOfficer> advocates;  // the VRAs linked to the case (full access only)
  std::vector<CaseEntry> entries;
  std::vector<CaseEvent> timeline;
};

// How much of a case a caller sees (service.h decides).
enum class CaseAccess {
  kNone,           // 404
  kFull,           // a cases reader or an assigned officer
  kVictims,        // the Victims' Rights Advocate: the case and its victims
  kInvestigation,  // an investigator of the entity: no victim identity, no pseudonym
};

// ---- Keeping the victim and the reporter informed; the bi-weekly review (issue 12)

// What the reporter's follow-up page (receipt code) says of a case, in plain words: the step
// only, never a detail. received/under_assessment -> being_assessed (the complaint was
// assessed already; the case goes on with it), referred_for_investigation ->
// referred_for_investigation, under_investigation -> investigation_under_way,
// report_received/under_review/action_pending -> investigation_concluded (the reporter asks
// the CDT or the VRA for the outcome), not_sea/closed_without_investigation/closed -> closed.
intake::PublicStatus ReporterStepOf(CaseStatus status);

// How the CDT (or the VRA) reached a victim to tell them where their case stands.
extern const std::vector<std::string_view> kContactChannels;  // in_person, phone, vra, ...

struct VictimContact {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t victim_id = 0;
  std::string date;     // YYYY-MM-DD the contact happened
  std::string channel;  // kContactChannels
  // What was said: sealed (a vault item, like the identities) for the case's readers, its
  // officers and the victims readers; 0 when nothing was written.
  std::int64_t note_item = 0;
  std::optional<std::string> note;  // filled only when the caller could open it
  std::int64_t by_user_id = 0;
  std::string by_username;
  UnixMillis created_at = 0;
};

// A decision of the CDT's bi-weekly review meeting about one case (clear text: never a name).
struct ReviewDecision {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::string meeting_date;  // YYYY-MM-DD
  std::string decision;
  std::string action_owner;  // who acts on it (a name of staff or a role), may be empty
  std::string due_date;      // YYYY-MM-DD or empty
  std::int64_t by_user_id = 0;
  std::string by_username;
  UnixMillis created_at = 0;
};

}  // namespace psea::cases
