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
};
const std::vector<Channel>& AllChannels();
std::string_view ChannelName(Channel channel);  // "hotline_4044", ..., "web"
std::optional<Channel> ParseChannel(std::string_view name);

enum class ComplaintStatus {
  kNew,           // nobody has looked at it
  kAcknowledged,  // a CDT officer has seen it
  kAssessing,     // being assessed (is it SEA? enough to refer?)
  kReadyForCase,  // to become an allegation case (case management)
  kReferred,      // a case was made of it and referred for investigation
  kNotSea,        // not SEA: referred elsewhere (see NotSeaDestination)
  kDuplicate,     // the same facts as another complaint
  kClosed,
};
std::string_view StatusName(ComplaintStatus status);
std::optional<ComplaintStatus> ParseStatus(std::string_view name);

// What an anonymous reporter is told, in plain words.
enum class PublicStatus { kReceived, kBeingAssessed, kReferredForInvestigation, kClosed };
PublicStatus PublicStatusOf(ComplaintStatus status);
std::string_view PublicStatusName(PublicStatus status);

enum class NotSeaDestination { kOtherMisconduct, kAnotherEntity, kNotUnRelated };
std::string_view DestinationName(NotSeaDestination destination);
std::optional<NotSeaDestination> ParseDestination(std::string_view name);

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
bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value);

struct VictimFacts {
  std::optional<int> age;  // years, when known
  std::string age_group;   // minor / adult / unknown (derived from age when given)
  std::string sex;         // female / male / other / unknown
};

struct PerpetratorFacts {
  std::string category;     // kPersonnelCategories, or "unknown"
  std::string nationality;  // country or contingent, free text, may be empty
  std::string unit;         // free text, may be empty
};

// The sealed half. Every field may be empty.
struct Identifying {
  std::string reporter_name;
  std::string reporter_phone;
  std::string reporter_email;
  std::string reporter_address;
  std::string narrative;
  std::vector<std::string> victim_names;       // parallel to Complaint::victims
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
  std::optional<NotSeaDestination> not_sea_destination;
  std::optional<std::int64_t> duplicate_of;
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
  Identifying identifying;
};

// "C-2026-00042": the year it was received and the id.
std::string ComplaintReference(std::int64_t id, UnixMillis received_at);

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

// The queue.
struct QueueFilter {
  std::optional<ComplaintStatus> status;
  bool open_only = true;  // new, acknowledged, assessing, ready for case
  bool urgent_only = false;
  std::optional<Channel> channel;
  std::string prefecture;
  int limit = 100;
  int offset = 0;
};

}  // namespace psea::intake
