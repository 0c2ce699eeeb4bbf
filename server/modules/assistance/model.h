// Victims' assistance: the Victims' Rights Advocate's files (one per victim), the victim's
// informed consents and the assessment of their needs. Types and pure rules only: no database,
// no HTTP. The rules that decide whether a consent covers an action and where a medical need
// stands against the 72-hour window of post-exposure care are here so that they are tested
// alone and reused by the referrals and shares that build on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace psea::assistance {

// Closed vocabularies (the API refuses any other value, naming the field).
inline const std::vector<std::string_view> kSexes = {"female", "male", "other", "unknown"};
inline const std::vector<std::string_view> kAgeGroups = {"adult", "minor", "unknown"};
inline const std::vector<std::string_view> kFileStatuses = {"open", "closed"};
// Shared with the providers module: a provider offers services of these types.
inline const std::vector<std::string_view> kNeedTypes = {
    "safety_protection", "medical",    "psychosocial",   "legal",
    "education",         "livelihood", "basic_material", "child_support"};
inline const std::vector<std::string_view> kUrgencies = {"immediate", "high", "medium", "low"};
// open: to be met; met: the service was given; closed: no longer needed (or declined).
inline const std::vector<std::string_view> kNeedStatuses = {"open", "met", "closed"};
inline const std::vector<std::string_view> kConsentScopes = {"assistance", "referral",
                                                             "information_sharing", "contact"};
inline const std::vector<std::string_view> kConsentMeans = {"oral", "written", "thumbprint",
                                                            "electronic"};
inline const std::vector<std::string_view> kConsentGivers = {"victim", "guardian"};
inline const std::vector<std::string_view> kContactChannels = {"phone", "sms", "in_person",
                                                               "through_focal_point", "email"};

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

// The window of post-exposure prophylaxis after rape: care must start within 72 hours.
inline constexpr std::int64_t kPepWindowMillis = 72LL * 3600 * 1000;

struct CaseLink {
  std::int64_t case_id = 0;
  std::string linked_by_username;
  UnixMillis linked_at = 0;
  std::int64_t linked_by = 0;
};

// Someone the VRA named to read this file and open its identity (revoked at once).
struct Designee {
  std::int64_t user_id = 0;
  std::string username;
  std::string added_by_username;
  UnixMillis added_at = 0;
};

// The clear half of a file: nothing here identifies the person (prefecture is for counts).
struct AssistanceFile {
  std::int64_t id = 0;
  std::string reference;  // "VA-2026-0001", made by the server
  std::string pseudonym;  // chosen by the VRA ("Victim A"); never a name
  std::string sex = "unknown";
  std::string age_group = "unknown";
  std::optional<std::int64_t> age;
  std::string prefecture;  // a prefecture code of the intake places list, or ""
  std::string status = "open";
  std::optional<std::int64_t> identity_item;  // the sealed identity (vault item)
  UnixMillis opened_at = 0;
  std::optional<UnixMillis> closed_at;
  std::int64_t created_by = 0;
  std::string created_by_username;
  UnixMillis updated_at = 0;
  std::int64_t version = 1;
  std::vector<CaseLink> cases;
  std::vector<Designee> designees;
};

// What the vault keeps sealed for a file.
struct FileIdentity {
  std::string name;
  std::string contacts;
  std::string address;
  std::string guardian_name;     // for a child
  std::string guardian_contact;  // for a child
};

// One informed consent. Never deleted: withdrawal is recorded on it.
struct Consent {
  std::int64_t id = 0;
  std::int64_t file_id = 0;
  std::string scope;  // kConsentScopes
  // referral and information_sharing: only this provider (nullopt: any).
  std::optional<std::int64_t> provider_id;
  std::string with_whom;  // information_sharing: with whom, in words
  std::string channel;    // contact: by which channel (kContactChannels); "" for other scopes
  UnixMillis given_at = 0;
  std::string means;     // kConsentMeans
  std::string given_by;  // "victim" or "guardian"
  // For a child: the guardian who consented, by relationship ("mother"), never by name (the
  // name is in the sealed identity).
  std::string guardian;
  std::optional<UnixMillis> expires_at;
  std::string notes;
  std::int64_t recorded_by = 0;
  std::string recorded_by_username;
  UnixMillis recorded_at = 0;
  std::optional<UnixMillis> withdrawn_at;
  std::int64_t withdrawn_by = 0;
  std::string withdrawn_by_username;
  std::string withdrawal_note;
};

// What an action needs a consent for.
struct ConsentQuery {
  std::string scope;
  std::optional<std::int64_t> provider_id;  // the provider referred to or shared with
  std::string channel;                      // contact: the channel to be used ("" any)
  UnixMillis at = 0;
  bool minor = false;  // the file's age group is minor
};

enum class ConsentVerdict {
  kCovered,
  kNone,           // no consent of that scope
  kNotYetGiven,    // given after the time asked about
  kWithdrawn,      // withdrawn at or before that time
  kExpired,        // expired at or before that time
  kOtherProvider,  // limited to another provider
  kOtherChannel,   // limited to another contact channel
  kNoGuardian,     // the victim is a child and no guardian gave it
};
std::string_view ConsentVerdictName(ConsentVerdict verdict);

struct ConsentDecision {
  ConsentVerdict verdict = ConsentVerdict::kNone;
  std::optional<std::int64_t> consent_id;  // the consent that covers (or came closest)
  bool covered() const { return verdict == ConsentVerdict::kCovered; }
};

// Whether one consent covers the action.
ConsentVerdict ConsentCovers(const Consent& consent, const ConsentQuery& query);
// Whether any of the file's consents covers the action. When none does, the verdict of the
// consent that came closest (scope matched; later in the list of verdicts above is closer), so
// the refusal can say why.
ConsentDecision DecideConsent(const std::vector<Consent>& consents, const ConsentQuery& query);

struct Need {
  std::int64_t id = 0;
  std::int64_t file_id = 0;
  std::string type;  // kNeedTypes
  std::string urgency = "medium";
  std::string notes;
  std::string status = "open";
  bool after_rape = false;                // medical: post-exposure care applies
  std::optional<UnixMillis> incident_at;  // when known: starts the 72 hours
  UnixMillis assessed_at = 0;
  std::int64_t assessed_by = 0;
  std::string assessed_by_username;
  std::optional<UnixMillis> closed_at;  // met or closed
  std::string closed_by_username;
  UnixMillis updated_at = 0;
};

// Where a medical need after rape stands against the 72-hour window.
enum class PepState {
  kNotApplicable,  // not a medical need after rape
  kUnknown,        // the incident time is not known: treated as urgent while open
  kInsideWindow,   // open, before the deadline: urgent
  kMissed,         // open after the deadline, or met/closed after it
  kMetInTime,      // met or closed before the deadline
};
std::string_view PepStateName(PepState state);

struct PepWindow {
  PepState state = PepState::kNotApplicable;
  std::optional<UnixMillis> deadline;
  bool urgent = false;  // flag it: open and inside the window (or the time unknown)
};
PepWindow PepWindowOf(const Need& need, UnixMillis now);

}  // namespace psea::assistance
