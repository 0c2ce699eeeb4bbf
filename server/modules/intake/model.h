// Complaints: what arrives on any channel, before the CDT makes an allegation case of it.
//
// A complaint has two halves. What the queue needs (channel, times, place down to the town,
// age group and sex of victims, personnel category of the alleged perpetrators, the risk
// flags) is stored in clear. What identifies a person (names, phone numbers, e-mail and exact
// addresses, the narrative, descriptions, messages and attachments) is sealed with the vault
// for the designated intake readers and the recovery key only: the server cannot read it back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace psea::intake {

enum class Channel {
  kHotline4044,
  kHotline4445,
  kEmail,
  kSms,
  kWalkIn,
  kCbcm,
  kPartner,
  kWebForm,
  kOther,
  kComplaintBox,
  kCommunityLiaison,  // a community liaison assistant
  kReferralOiosHq,    // referred by OIOS or Headquarters
  kObservation,       // seen by the Immediate Response Team, a patrol or staff
  kMedia,
};
const std::vector<Channel>& AllChannels();
std::string_view ChannelName(Channel channel);  // "hotline_4044", ..., "web"
std::optional<Channel> ParseChannel(std::string_view name);

// Where a complaint is. After the preliminary assessment its route decides: SEA by mission
// personnel becomes an allegation case; SEA by personnel of another UN entity or of an
// implementing partner is handed to that entity (and still counted as SEA); abuse by
// others is gender-based violence, its survivor referred to GBV services; other misconduct
// goes to the office that handles it.
enum class ComplaintStatus {
  kNew,              // nobody has looked at it
  kAcknowledged,     // a CDT officer has seen it
  kAssessing,        // a preliminary assessment is being made
  kReadyForCase,     // assessed as SEA by mission personnel: to become an allegation case
  kReferred,         // a case was made of it (case management)
  kHandedOver,       // SEA by another UN entity's or a partner's personnel: handed to it
  kGbvReferral,      // not UN-related: the survivor referred to GBV services
  kOtherMisconduct,  // not SEA: sent to the office that handles it
  kDuplicate,        // the same facts as another complaint
  kClosed,           // closed with a reason (CloseReason)
};
const std::vector<ComplaintStatus>& AllStatuses();
std::string_view StatusName(ComplaintStatus status);
std::optional<ComplaintStatus> ParseStatus(std::string_view name);

// What an anonymous reporter is told, in plain words.
enum class PublicStatus {
  kReceived,
  kBeingAssessed,
  kReferredForInvestigation,
  kReferredElsewhere,  // handed to the entity or service that handles it
  kClosed,
  // Steps of the allegation case a complaint became (cases::ReporterStepOf; never from
  // PublicStatusOf, which knows complaints only).
  kInvestigationUnderWay,
  kInvestigationConcluded,  // the reporter asks the CDT or the VRA for the outcome
};
PublicStatus PublicStatusOf(ComplaintStatus status);
std::string_view PublicStatusName(PublicStatus status);

// The outcome of the assessment (POST .../route).
enum class Route { kCase, kHandedOver, kGbvReferral, kOtherMisconduct, kClosed };
const std::vector<Route>& AllRoutes();
std::string_view RouteName(Route route);
std::optional<Route> ParseRoute(std::string_view name);

// Closed vocabularies of the form. Their names are the wire values; the labels live in the
// web app's translations.
extern const std::vector<std::string_view> kReporterRelations;  // victim, witness, family, ...
extern const std::vector<std::string_view> kContactMethods;     // none, phone, sms, email, ...
extern const std::vector<std::string_view> kLanguages;          // fr, en, sg, other
extern const std::vector<std::string_view> kDatePrecisions;  // exact, month, approximate, unknown
extern const std::vector<std::string_view> kAgeGroups;       // minor, adult, unknown
extern const std::vector<std::string_view> kSexes;           // female, male, other, unknown
extern const std::vector<std::string_view>
    kPersonnelCategories;  // UN categories, coarse ones, unknown
extern const std::vector<std::string_view> kYesNoUnknown;
extern const std::vector<std::string_view> kSeaCategories;  // sexual_exploitation, sexual_abuse
extern const std::vector<std::string_view>
    kAffiliations;  // mission, un_entity, implementing_partner, not_un, unknown
extern const std::vector<std::string_view>
    kCloseReasons;  // insufficient_information, withdrawn, duplicate, outside_mandate
// The seed of the editable list of SEA types (code, English, French).
struct SeaType {
  std::string code;
  std::string label_en;
  std::string label_fr;
  bool active = true;
};
const std::vector<SeaType>& DefaultSeaTypes();
bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

struct VictimFacts {
  std::optional<int> age;  // years, when known
  std::string age_group;   // minor / adult / unknown (derived from age when given)
  std::string sex;         // female / male / other / unknown
  std::string referral_consent = "unknown";  // to be referred for assistance: kYesNoUnknown
  bool operator==(const VictimFacts&) const = default;
};

struct PerpetratorFacts {
  std::string category;                // kPersonnelCategories, or "unknown"
  std::string nationality;             // ISO 3166-1 alpha-2 (countries.h), or empty when not known
  std::string unit;                    // contingent or unit, free text, may be empty
  std::string rank;                    // rank or grade, free text, may be empty
  std::string identified = "unknown";  // kYesNoUnknown
  bool operator==(const PerpetratorFacts&) const = default;
};

// The preliminary assessment of a complaint.
struct Assessment {
  bool is_sea = false;
  std::string category;                 // kSeaCategories, empty when not SEA
  std::string type;                     // a SEA type code, empty when not SEA
  std::string affiliation = "unknown";  // kAffiliations: the alleged perpetrator's
  bool perpetrator_identified = false;
  std::int64_t assessed_by = 0;
  std::string assessed_by_username;
  UnixMillis assessed_at = 0;
};

// Where the assessment sent the complaint.
struct Routing {
  Route route = Route::kCase;
  std::string entity;           // handed over: which UN entity or implementing partner
  std::string handed_over_on;   // "2026-11-03"
  std::string acknowledged_on;  // the entity acknowledged receipt
  std::string acknowledgement;  // how (its reference, a letter, an e-mail)
  std::string office;           // other misconduct: the office it went to
  std::string reason;           // closed: kCloseReasons
  std::int64_t routed_by = 0;
  std::string routed_by_username;
  UnixMillis routed_at = 0;
};

// The sealed half. Every field may be empty.
struct Identifying {
  std::string reporter_name;
  std::string reporter_phone;
  std::string reporter_email;
  std::string reporter_address;
  std::string narrative;
  std::vector<std::string> victim_names;       // parallel to Complaint::victims
  std::vector<std::string> victim_pregnant;    // kYesNoUnknown, parallel to victims
  std::vector<std::string> victim_child_born;  // of the alleged abuse, parallel to victims
  std::vector<std::string> perpetrator_names;  // parallel to Complaint::perpetrators
  std::vector<std::string> perpetrator_descriptions;
  // Where it happened, in the reporter's own words (the public form's free-text town): what a
  // member of the public types is sealed; only coded choices stay in the clear half.
  std::string place_text;
};

struct Complaint {
  std::int64_t id = 0;
  std::string reference;  // "C-2026-00042": for staff, never shown to reporters
  Channel channel = Channel::kOther;
  ComplaintStatus status = ComplaintStatus::kNew;
  UnixMillis received_at = 0;
  std::optional<std::int64_t> entered_by;  // the staff member who entered it
  std::string entered_by_username;
  std::optional<std::int64_t> partner_token_id;  // the partner API token that sent it
  std::string reporter_relation;                 // kReporterRelations
  bool anonymous = false;
  bool contact_consent = false;
  std::string contact_method;  // kContactMethods
  std::string language;        // kLanguages
  std::string prefecture;      // location codes from the reference list; may be empty
  std::string sub_prefecture;
  std::string town;                     // free text (a town of the list or another)
  std::string incident_date_precision;  // kDatePrecisions
  std::string incident_date;            // "2026-11-03", "2026-11" or "" (unknown)
  std::vector<VictimFacts> victims;
  std::vector<PerpetratorFacts> perpetrators;
  bool risk_child = false;
  bool risk_danger = false;
  bool risk_medical = false;  // medical care needed within 72 hours
  bool urgent = false;        // any of the three
  std::optional<UnixMillis> acknowledged_at;
  std::optional<std::int64_t> acknowledged_by;
  std::optional<std::int64_t> assigned_to;
  std::string assigned_to_username;
  std::optional<std::int64_t> duplicate_of;
  std::string cbcm_name;     // which CBCM received it (channel cbcm)
  std::string site;          // a site code of the places list, or empty
  std::string field_office;  // derived from sub_prefecture through the places list (not stored)
  std::optional<Assessment> assessment;
  std::optional<Routing> routing;
  std::int64_t sealed_item = 0;  // the vault item holding Identifying as JSON
  int message_count = 0;
  int unread_from_reporter = 0;
  UnixMillis updated_at = 0;
};

// What a channel hands to the service.
struct NewComplaint {
  Channel channel = Channel::kOther;
  std::optional<UnixMillis> received_at;  // default: now
  std::string reporter_relation = "anonymous";
  bool anonymous = true;
  bool contact_consent = false;
  std::string contact_method = "none";
  std::string language = "fr";
  std::string prefecture;
  std::string sub_prefecture;
  std::string town;
  std::string incident_date_precision = "unknown";
  std::string incident_date;
  std::vector<VictimFacts> victims;
  std::vector<PerpetratorFacts> perpetrators;
  bool risk_child = false;
  bool risk_danger = false;
  bool risk_medical = false;
  std::string cbcm_name;
  std::string site;
  Identifying identifying;
};

// "C-2026-00042": the year it was received and the id.
std::string ComplaintReference(std::int64_t id, UnixMillis received_at);

// The victim part of a complaint reaches the Victims' Rights Advocate when it names a need
// (a child, danger, the 72-hour medical window) or was routed to a case, to another entity or
// to GBV services: assistance is due whatever the investigation.
bool ReachesVictimsAdvocate(const Complaint& complaint);

// One corrected fact: who, when, the old and the new value. A sealed fact's values are in a
// vault item ({"old","new"}), never in the clear.
struct Correction {
  std::int64_t id = 0;
  std::int64_t complaint_id = 0;
  std::string field;
  std::int64_t by = 0;
  std::string by_username;
  UnixMillis at = 0;
  bool sealed = false;
  std::string old_json;  // clear corrections: the JSON values
  std::string new_json;
  std::int64_t sealed_item = 0;
};

struct Message {
  std::int64_t id = 0;
  std::int64_t complaint_id = 0;
  bool from_reporter = false;
  std::optional<std::int64_t> author;  // staff member; empty for the reporter
  std::string author_username;
  UnixMillis created_at = 0;
  std::int64_t sealed_item = 0;
  std::string text;  // filled only for readers who opened it
};

// A file sealed with the complaint: its name is sealed too; its type comes from its content.
struct Attachment {
  std::int64_t id = 0;
  std::int64_t complaint_id = 0;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  UnixMillis created_at = 0;
  std::string added_by_username;  // empty for the reporter or a channel
  std::string filename;           // filled only for readers who opened it
};

struct Note {
  std::int64_t id = 0;
  std::int64_t complaint_id = 0;
  std::int64_t author = 0;
  std::string author_username;
  UnixMillis created_at = 0;
  std::int64_t sealed_item = 0;
  std::string text;
};

// A receipt code as shown once to the reporter: 80 random bits in Crockford base 32, four
// groups of four ("7KQ2-M9XD-4TGA-B1ZC").
struct Receipt {
  std::string code;
  std::int64_t complaint_id = 0;
};

// A message that could not be filed, kept sealed; the clear half says only why, in general
// words.
struct QuarantinedMessage {
  std::int64_t id = 0;
  UnixMillis received_at = 0;
  std::string channel;
  std::string reason;
  std::int64_t sealed_item = 0;
  std::optional<UnixMillis> resolved_at;
};

// A correction of a complaint's facts (PATCH): only what is set changes. Victims and
// perpetrators are replaced as whole lists; their sealed parts (names, pregnancy, child born,
// descriptions) come in the sealed_* lists, set only when the caller sent them.
struct ComplaintPatch {
  std::optional<UnixMillis> received_at;
  std::optional<Channel> channel;
  std::optional<std::string> cbcm_name;
  std::optional<std::string> reporter_relation;
  std::optional<std::string> prefecture;
  std::optional<std::string> sub_prefecture;
  std::optional<std::string> town;
  std::optional<std::string> site;
  std::optional<std::string> incident_date_precision;
  std::optional<std::string> incident_date;
  std::optional<bool> risk_child;
  std::optional<bool> risk_danger;
  std::optional<bool> risk_medical;
  std::optional<std::vector<VictimFacts>> victims;
  std::optional<std::vector<PerpetratorFacts>> perpetrators;
  // Sealed.
  std::optional<std::string> reporter_name;
  std::optional<std::string> reporter_phone;
  std::optional<std::string> reporter_email;
  std::optional<std::string> reporter_address;
  std::optional<std::string> narrative;
  std::optional<std::vector<std::string>> victim_names;
  std::optional<std::vector<std::string>> victim_pregnant;
  std::optional<std::vector<std::string>> victim_child_born;
  std::optional<std::vector<std::string>> perpetrator_names;
  std::optional<std::vector<std::string>> perpetrator_descriptions;
  bool TouchesSealed() const {
    return reporter_name || reporter_phone || reporter_email || reporter_address || narrative ||
           victim_names || victim_pregnant || victim_child_born || perpetrator_names ||
           perpetrator_descriptions;
  }
};

// What POST .../route asks for.
struct RouteRequest {
  Route route = Route::kCase;
  std::string entity;
  std::string handed_over_on;
  std::string office;
  std::string reason;
  std::optional<std::int64_t> duplicate_of;
};

// What the Victims' Rights Advocate may open of a complaint: the victims, and the reporter
// only when the reporter is the victim. Sealed for the intake readers and the victims readers.
struct VictimIdentifying {
  std::vector<std::string> victim_names;
  std::vector<std::string> victim_pregnant;
  std::vector<std::string> victim_child_born;
  std::string reporter_name;
  std::string reporter_phone;
  std::string reporter_email;
  std::string reporter_address;
};

// Complaint figures (the CDT's charts, leadership's aggregates, the plan's indicators).
struct FigureItem {
  std::string key;
  std::int64_t count = 0;
};
struct DelayFigures {
  std::int64_t count = 0;  // complaints that reached the step
  std::optional<double> median_hours;
  std::optional<double> p90_hours;
  std::int64_t within_target = 0;  // acknowledgement only
};
struct FigureTargets {
  int urgent_hours = 24;
  int other_hours = 72;
};
struct ComplaintFigures {
  std::string from;  // "2026-01"
  std::string to;    // "2026-12", inclusive
  std::int64_t total = 0;
  std::vector<FigureItem> by_month;
  std::vector<FigureItem> by_channel;
  std::vector<FigureItem> by_prefecture;
  std::vector<FigureItem> by_field_office;
  std::vector<FigureItem> by_category;
  std::vector<FigureItem> by_type;
  std::vector<FigureItem> by_route;
  DelayFigures acknowledgement;
  DelayFigures assessment;
  FigureTargets targets;
};

// The queue.
struct QueueFilter {
  std::optional<ComplaintStatus> status;
  bool open_only = true;  // new, acknowledged, assessing, ready for case
  bool urgent_only = false;
  std::optional<Channel> channel;
  std::string prefecture;
  std::string field_office;  // a field office code: its sub-prefectures
  // Set by the service from field_office: only these sub-prefectures (none: nothing matches).
  bool by_sub_prefectures = false;
  std::vector<std::string> sub_prefectures;
  std::string sea_type;
  std::optional<Route> route;
  std::string query;  // a reference, a number, or part of the town
  int limit = 100;
  int offset = 0;
};

}  // namespace psea::intake
