// Intake: complaints from every channel, their receipt codes, the queue the CDT works and the
// messages with reporters. The rules live here (validation, need-to-know, sealing, throttling);
// SQL lives in IntakeStore (store.h); HTTP lives in handlers.cc and public_page.cc.
//
// Need-to-know:
//  - the CDT chief and CDT officers see every complaint's clear half and work the queue;
//  - the sealed half (identities, narrative, messages, notes, attachments) opens only for the
//    designated intake readers (every CDT chief, and the officers a chief names) and the
//    recovery key; the server itself cannot open it, nor can the operator who typed it in;
//  - a hotline operator or CBCM focal point sees only the clear half of the complaints they
//    entered;
//  - a partner token sees only the status of its own submissions;
//  - leadership and every other role see none (aggregates come from the reports).
// Every opening of a sealed half is audited.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/rate_limiter.h"
#include "core/result.h"
#include "core/revision_cache.h"
#include "http/outgoing.h"
#include "modules/intake/contact.h"
#include "modules/intake/email_message.h"
#include "modules/intake/locations.h"
#include "modules/intake/model.h"
#include "modules/intake/sms_message.h"
#include "modules/intake/store.h"
#include "security/audit.h"
#include "security/keyring.h"
#include "security/permissions.h"
#include "security/readers.h"
#include "security/vault.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::intake {

struct RequestInfo {
  std::string remote_address;
  std::string request_id;
};

struct IntakeSettings {
  // Receipt look-ups: per source address and for the whole server, per minute.
  int follow_ups_per_address_per_minute = 10;
  int follow_ups_per_minute = 300;
  // Called once an urgent complaint is stored, after the commit and outside any transaction
  // (an e-mail to the CDT, written to the mail outbox); never waits for the mail system.
  std::function<void(const Complaint&)> on_urgent;
  // Where sealed attachments are written (DATA_DIR/intake); empty: attachments are refused.
  std::string files_dir;
  std::int64_t max_attachment_bytes = 10 * 1024 * 1024;
  std::int64_t max_attachments_bytes_per_complaint = 50 * 1024 * 1024;
  // Public submissions per source address per hour (a shared phone or cyber café is fine).
  int public_submissions_per_address_per_hour = 30;
  // Checks the step-up (password and fresh 2FA code) of a change of readers (app.cc: the
  // accounts module). Without it every change of readers is refused.
  security::StepUpVerifier verify_step_up;
  // Called after a change of readers commits, outside any transaction, to announce it
  // (e-mail, written to the mail outbox); never waits for the mail system.
  std::function<void(const security::ReaderChange&)> on_readers_changed;
  // The gateway kind of a live API token with scope intake.sms, nullopt for any other id (app.cc:
  // the accounts module). Settings are kept only for such tokens; without it every id is taken.
  std::function<Result<std::optional<std::string>>(std::int64_t token_id)> sms_gateway_of;
  // Public submissions per minute from everybody: above it the page sends reporters to the
  // hotlines (SubmitPublic's kRateLimited with field kAllReportersField).
  int public_submissions_per_minute = 120;
  // The hotlines, e-mail address and contact text an SMS reply names (--public-hotlines, ...).
  ReportingContact contact;
  // The SMS outbox's first retry delay (doubled at each failure, at most an hour) and when it
  // gives up (--sms-retry-base-ms; tests make it short).
  std::int64_t sms_retry_base_millis = 30 * 1000;
  std::int64_t sms_retry_give_up_millis = 24 * 60 * 60 * 1000;
};

// The reader set that opens what intake seals.
inline constexpr std::string_view kReaderScope = "intake";
// The reader set that opens the victim part of complaints: the Victims' Rights Advocate and
// whom the VRA designates. It opens the victims' identities and, when the reporter is the
// victim, the reporter's; never another reporter's.
inline constexpr std::string_view kVictimReaderScope = "victims";
enum class ReaderSet { kIntake, kVictims };
// The field of SubmitPublic's kRateLimited when the server-wide limit, not the reporter's own
// address, refused the report.
inline constexpr std::string_view kAllReportersField = "all_reporters";

// The people intake needs to know of, from the accounts module (app.cc wires it).
struct StaffMember {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  security::Role role = security::Role::kLeadership;
  bool disabled = false;
};
using StaffDirectory = std::function<Result<std::vector<StaffMember>>()>;

// The intake readers as a chief manages them.
struct ReaderView {
  security::ReaderEntry entry;
  std::string username;  // empty when the account no longer exists
  std::string display_name;
  security::Role role = security::Role::kLeadership;
};
struct ReadersOverview {
  std::vector<ReaderView> readers;
  std::vector<StaffMember> eligible;            // active CDT chiefs and officers, not readers
  std::vector<security::ReaderChange> changes;  // newest first, at most 50
  std::int64_t unseen_changes = 0;              // for the caller, when a reader
  bool caller_is_reader = false;
};

struct Submitted {
  Complaint complaint;
  std::string receipt_code;  // shown once; stored only as a locator and a slow hash
};

// What an SMS gateway gets back: the text to send to the reporter.
struct SmsReceipt {
  std::int64_t complaint_id = 0;
  bool joined = false;     // added to the sender's complaint of the last 30 minutes
  bool duplicate = false;  // the gateway sent this message id before: nothing was filed
  std::string reply;       // empty for a duplicate
};

// What an SMS gateway token needs besides the token, per kind. Secrets are stored encrypted
// under a key derived from the server key and never shown back whole.
struct SmsGatewaySettings {
  std::string twilio_auth_token;  // twilio: the account's auth token (secret)
  std::string public_url;         // twilio: the exact URL Twilio calls (holds the token: secret)
  std::string signing_key;        // android: X-Signature key; smssync: its "secret" (secret)
  std::string outgoing_url;       // africastalking, android: where replies are sent
  std::string outgoing_username;  // africastalking: the app's username; android: Basic user
  std::string outgoing_secret;    // africastalking: apiKey; android: Basic password (secret)
  std::string sender;             // africastalking: the short code replies come from
};
// A change: absent fields stay as they are, an empty string clears one.
struct SmsGatewaySettingsPatch {
  std::optional<std::string> twilio_auth_token, public_url, signing_key, outgoing_url,
      outgoing_username, outgoing_secret, sender;
};

// What the reporter sees with a receipt code.
struct FollowUpView {
  PublicStatus status = PublicStatus::kReceived;
  UnixMillis received_at = 0;
  std::vector<Message> messages;  // text filled: the reporter wrote or was sent them
  // An operator, a focal point or a partner entered the report and saw the code, and it was
  // not replaced yet: the page offers the reporter a new code only they know.
  bool code_seen_by_staff = false;
};

struct ComplaintDetail {
  Complaint complaint;
  bool identifying_open = false;      // the caller is a reader and their key is unlocked
  bool can_read_identifying = false;  // the caller is a reader (the key may be locked)
  bool reauth_required = false;       // a reader without a recent proof of presence
  Identifying identifying;
  std::vector<Message> messages;
  std::vector<Note> notes;
  std::vector<std::int64_t> duplicates;  // complaints marked as duplicates of this one
  std::vector<Attachment> attachments;
  std::vector<Correction> history;  // newest first; sealed values only when identifying_open
};

// The victim part as the Victims' Rights Advocate opens it.
struct VictimPartDetail {
  Complaint complaint;
  bool can_read = false;  // a victims reader (or an intake reader)
  bool open = false;
  bool reauth_required = false;
  VictimIdentifying identifying;
};

// The words the quarantine's clear half keeps for why a message was not filed.
std::string GenericQuarantineReason(const Status& why);

class IntakeService {
 public:
  IntakeService(storage::Database& database, const Clock& clock, const security::AuditLog& audit,
                const security::Vault& vault, const security::KeyRing& keyring,
                security::SecretBytes server_key, StaffDirectory staff,
                IntakeSettings settings = {});

  static std::vector<storage::Migration> Migrations() { return IntakeStore::Migrations(); }

  // The intake readers: an explicit list (security::ReaderRegistry, scope "intake"). A role
  // makes an account eligible (an active CDT chief or CDT officer), never a reader.
  Result<std::vector<std::int64_t>> ReaderIds();
  // The readers, the eligible staff and the recent changes (intake.queue).
  Result<ReadersOverview> Readers(const security::Principal& caller,
                                  ReaderSet set = ReaderSet::kIntake);
  // A reader who holds intake.readers (a chief) adds or removes a reader, with the step-up
  // (kInvalidCredentials / kTotpRequired / kTotpInvalid naming the field). Adding grants every
  // earlier item from the adder's own key (kPermissionDenied when it is locked); removing
  // revokes the reader's wraps at once; removing the last reader is kConflict. Audited and
  // announced.
  // The victims readers (set kVictims) are managed the same way by a victims reader who is
  // a Victims' Rights Advocate; eligible are active VRA accounts.
  Status AddReader(const security::Principal& chief, std::int64_t user,
                   const std::optional<security::StepUpProof>& proof, const RequestInfo& info,
                   ReaderSet set = ReaderSet::kIntake);
  Status RemoveReader(const security::Principal& chief, std::int64_t user,
                      const std::optional<security::StepUpProof>& proof, const RequestInfo& info,
                      ReaderSet set = ReaderSet::kIntake);
  Status MarkReaderChangesSeen(const security::Principal& caller, std::int64_t up_to);
  // The server's console (`psea intake readers`): the first reader of an installation is added
  // with the organisation's recovery key, from whose copies every earlier item is granted.
  // Returns how many items were granted.
  Result<std::int64_t> AddReaderFromConsole(const std::string& username,
                                            std::string_view recovery_key, const RequestInfo& info,
                                            ReaderSet set = ReaderSet::kIntake);
  Status RemoveReaderFromConsole(const std::string& username, const RequestInfo& info,
                                 ReaderSet set = ReaderSet::kIntake);
  Result<std::vector<security::ReaderEntry>> ListReadersForConsole(
      ReaderSet set = ReaderSet::kIntake);

  // The places list (field offices, prefectures, sub-prefectures, towns, sites). The first call
  // on a new database stores `defaults` (data/locations/car.yaml); afterwards the CDT edits it.
  void SetDefaultPlaces(PlacesList defaults);

  // What a complaint taken by a case (status referred) shows its reporter: the case's step in
  // plain words (cases::ReporterStepOf), answered inside the follow-up's transaction by the
  // cases module (app.cc wires it; intake never reads the cases tables). nullopt: no case (any
  // more), the complaint's own status shows. Set once, before serving.
  using CaseProgress = std::function<Result<std::optional<PublicStatus>>(
      storage::Connection& c, std::int64_t complaint_id)>;
  void SetCaseProgress(CaseProgress progress) { case_progress_ = std::move(progress); }
  // Vault items of other modules that the victims readers hold (the providers' contacts, the
  // cases' victims, the assistance files' identities): a victims reader added later is granted
  // them with the rest, a removed one loses them but for those `held_by` says they still hold
  // on another title (a cases reader, an officer of the case, a designee of the file). The
  // intake readers do not hold them. Set once, before serving.
  struct VictimItemsSource {
    std::function<Result<std::vector<std::int64_t>>(storage::Connection& c)> items;
    // May be empty: nobody holds these items but as a victims reader.
    std::function<Result<std::vector<std::int64_t>>(storage::Connection& c, std::int64_t user)>
        held_by;
  };
  void AddVictimItemsSource(VictimItemsSource source) {
    victim_item_sources_.push_back(std::move(source));
  }
  Result<std::shared_ptr<const PlacesList>> Places();
  // Replaces the whole list (intake.queue); kInvalidArgument naming the item (codes unique in
  // their list, a sub-prefecture's field office and a site's sub-prefecture must be in the
  // list, a site's type one of kSiteTypes). Complaints keep the codes they were given.
  Status ReplacePlaces(const security::Principal& caller, PlacesList places,
                       const RequestInfo& info);
  static Status ValidatePlaces(const PlacesList& places);

  // Checks a complaint from any channel; kInvalidArgument naming the field.
  static Status Validate(const NewComplaint& complaint);

  // Staff entry (hotline, walk-in, CBCM, e-mail and SMS tools): needs kIntakeSubmit.
  Result<Submitted> Submit(const security::Principal& actor, NewComplaint complaint,
                           const RequestInfo& info);
  // The public page: anonymous, throttled per address.
  Result<Submitted> SubmitPublic(NewComplaint complaint, const RequestInfo& info);
  // A partner organisation's token (scope intake.partner).
  Result<Submitted> SubmitPartner(const security::Principal& token, NewComplaint complaint,
                                  const RequestInfo& info);
  // An SMS gateway's message (token scope intake.sms; the HTTP layer checked the signature).
  // Consecutive messages from one number within 30 minutes join one complaint while it is new.
  Result<SmsReceipt> ReceiveSms(const security::Principal& token, const SmsMessage& sms,
                                const RequestInfo& info);
  UnixMillis Now() const { return clock_.Now(); }
  // The settings of an SMS gateway token, for the HTTP layer that checks a gateway's
  // signature (the token was authenticated already). Empty settings when none were saved.
  Result<SmsGatewaySettings> GatewaySettings(std::int64_t token_id);
  // The same for an administrator or a CDT chief, with every secret masked ("...abcd").
  Result<SmsGatewaySettings> MaskedGatewaySettings(const security::Principal& caller,
                                                   std::int64_t token_id);
  // Saves a change (administrator or CDT chief; audited without the values).
  // kInvalidArgument naming the field for a URL that is not http(s) or a value too long.
  Status SetGatewaySettings(const security::Principal& caller, std::int64_t token_id,
                            const SmsGatewaySettingsPatch& patch, const RequestInfo& info);
  // The same from the server's console (`psea intake sms-gateway`), audited with actor "cli".
  Status SetGatewaySettingsFromConsole(std::int64_t token_id, const SmsGatewaySettingsPatch& patch,
                                       const RequestInfo& info);
  Result<SmsGatewaySettings> MaskedGatewaySettingsFromConsole(std::int64_t token_id);
  // A reply that `token`'s gateway (africastalking, android) can send only through its own
  // API: kept sealed in the outbox until SendDueSmsReplies sends it.
  Status QueueSmsReply(const security::Principal& token, std::string_view gateway,
                       std::int64_t complaint_id, std::string_view to, std::string_view text);
  // Sends the replies that are due through `client`: on success the sealed reply is erased;
  // on failure it is tried again after sms_retry_base, twice that, four times ... (at most an
  // hour apart) until sms_retry_give_up after it was queued, when it is marked failed and a
  // note on the complaint tells the CDT. Returns how many were sent. Run from one thread.
  Result<int> SendDueSmsReplies(http::HttpClient& client);
  // The secret SMS gateways sign bodies with (hex; derived from the server key, so every
  // server of a deployment agrees; `psea intake sms-key` prints it).
  std::string SmsSigningKey() const;
  // An e-mail piped in by the mail server (`psea intake email`).
  Result<Submitted> ReceiveEmail(const EmailMessage& email, const RequestInfo& info);
  // A message that could not be filed: kept sealed for the intake readers, never dropped. The
  // clear half records only a generic reason (GenericQuarantineReason), never names read from
  // the message.
  Result<std::int64_t> Quarantine(std::string_view channel, std::string_view raw, const Status& why,
                                  const RequestInfo& info);
  Result<std::vector<QuarantinedMessage>> ListQuarantine(const security::Principal& caller);
  // The raw bytes, for a reader with an unlocked vault; audited.
  Result<std::string> OpenQuarantined(const security::Principal& caller, std::int64_t id,
                                      const RequestInfo& info);
  Status ResolveQuarantined(const security::Principal& caller, std::int64_t id,
                            const RequestInfo& info);

  // Retention (called by the retention module inside its write or read transaction on `c`;
  // the retention module decides what is due and what is held). Complaints in `statuses`
  // closed before `closed_before`, oldest first, with the duplicates that point at each.
  Result<std::vector<RetentionCandidate>> RetentionCandidates(
      storage::Connection& c, const std::vector<ComplaintStatus>& statuses,
      UnixMillis closed_before);
  // Whether a complaint exists (for a legal hold on it).
  Result<bool> ComplaintExists(storage::Connection& c, std::int64_t id);
  // Deletes each complaint with its messages, notes, corrections, attachments' rows, SMS rows
  // and every vault item it sealed (wraps included). The attachment files cannot be removed
  // inside a transaction: their paths are added to `files_to_erase`, for EraseFiles after the
  // commit. A complaint another complaint points at as a duplicate must not be among `ids`
  // unless that one is too, earlier. Returns how many complaints were deleted.
  struct PurgeCounts {
    std::int64_t complaints = 0;
    std::int64_t vault_items = 0;
    std::int64_t files = 0;
  };
  Result<PurgeCounts> PurgeComplaints(storage::Connection& c, const std::vector<std::int64_t>& ids,
                                      std::vector<std::string>& files_to_erase);
  // Quarantined messages received before `received_before`, and their vault items.
  Result<std::int64_t> CountQuarantinedBefore(storage::Connection& c, UnixMillis received_before);
  Result<std::int64_t> PurgeQuarantinedBefore(storage::Connection& c, UnixMillis received_before);
  // Overwrites each file with zeros, flushes it and removes it. Returns how many were removed;
  // a file that is already gone counts as removed, one that cannot be removed is logged.
  static std::int64_t EraseFiles(const std::vector<std::string>& paths);

  // Status of a partner token's own submissions.
  Result<std::vector<Complaint>> PartnerSubmissions(const security::Principal& token);

  // Receipt codes. A wrong code and an expired one get the same kNotFound after the same work.
  Result<FollowUpView> FollowUp(const std::string& code, const RequestInfo& info);
  Status ReporterMessage(const std::string& code, const std::string& text, const RequestInfo& info);
  // The reporter replaces a code that staff saw (once): the new code is returned to be shown
  // once and the old one stops working. kConflict when the code was never shared or was
  // replaced already; kNotFound as FollowUp. Audited without the address.
  Result<std::string> ReplaceReceiptCode(const std::string& code, const RequestInfo& info);

  // The CDT's queue: open ones, urgent first then oldest first.
  Result<std::vector<Complaint>> Queue(const security::Principal& caller,
                                       const QueueFilter& filter);
  Result<ComplaintDetail> Get(const security::Principal& caller, std::int64_t id,
                              const RequestInfo& info);
  Status Acknowledge(const security::Principal& caller, std::int64_t id, const RequestInfo& info);
  Status Assign(const security::Principal& caller, std::int64_t id,
                std::optional<std::int64_t> assignee, const RequestInfo& info);
  Status AddNote(const security::Principal& caller, std::int64_t id, const std::string& text,
                 const RequestInfo& info);
  Status ReplyToReporter(const security::Principal& caller, std::int64_t id,
                         const std::string& text, const RequestInfo& info);
  Status MarkDuplicate(const security::Principal& caller, std::int64_t id, std::int64_t of,
                       const RequestInfo& info);
  // acknowledged or assessing only; the other statuses come from routing (and case management).
  Status SetStatus(const security::Principal& caller, std::int64_t id, ComplaintStatus status,
                   const RequestInfo& info);
  // Attachments: 413 beyond the per-file or per-complaint limit, 415 for a program; the type is
  // read from the content. Staff who may see the complaint add; readers read (audited).
  Result<Attachment> AddAttachment(const security::Principal& caller, std::int64_t complaint_id,
                                   const std::string& filename, std::string_view content,
                                   const RequestInfo& info);
  Result<std::pair<Attachment, std::string>> ReadAttachment(const security::Principal& caller,
                                                            std::int64_t complaint_id,
                                                            std::int64_t attachment_id,
                                                            const RequestInfo& info);
  // The preliminary assessment (intake.queue): the assessor and date are the caller and now.
  // kInvalidArgument naming the field for a value outside its vocabulary or a category/type
  // that does not fit is_sea; kConflict once a case was made. Moves new/acknowledged to
  // assessing. Kept in the history.
  Result<Complaint> Assess(const security::Principal& caller, std::int64_t id,
                           Assessment assessment, const RequestInfo& info);
  // Routes an assessed complaint (kInvalidArgument field "assessment" before an assessment;
  // field "route" when the assessment does not allow the route). Kept in the history.
  Result<Complaint> RouteComplaint(const security::Principal& caller, std::int64_t id,
                                   const RouteRequest& request, const RequestInfo& info);
  // The entity a complaint was handed to acknowledged it (kConflict unless handed over).
  Result<Complaint> AcknowledgeHandover(const security::Principal& caller, std::int64_t id,
                                        const std::string& on, const std::string& how,
                                        const RequestInfo& info);
  // Corrects facts after intake (intake.queue). Sealed facts need an intake reader with an
  // unlocked key and a recent proof; each changed field becomes a history entry (sealed ones
  // sealed). Returns the complaint and the changed fields' names.
  Result<std::pair<Complaint, std::vector<std::string>>> Correct(const security::Principal& caller,
                                                                 std::int64_t id,
                                                                 const ComplaintPatch& patch,
                                                                 const RequestInfo& info);
  // Active CDT chiefs and officers (intake.queue).
  Result<std::vector<StaffMember>> Assignees(const security::Principal& caller);
  // The SEA types vocabulary: read by anyone who works with complaints; edited by a chief
  // (intake.readers). Codes are lower-case letters, digits and underscores.
  Result<std::vector<SeaType>> SeaTypes(const security::Principal& caller);
  Result<SeaType> AddSeaType(const security::Principal& caller, SeaType type,
                             const RequestInfo& info);
  Result<SeaType> UpdateSeaType(const security::Principal& caller, SeaType type,
                                const RequestInfo& info);
  // The Victims' Rights Advocate's view (intake.victims): the complaints whose victim part
  // reaches the VRA (ReachesVictimsAdvocate), urgent first, and one victim part, opened for a
  // victims reader (audited as intake.victim_part.read).
  Result<std::vector<Complaint>> VictimsQueue(const security::Principal& caller);
  Result<VictimPartDetail> OpenVictimPart(const security::Principal& caller, std::int64_t id,
                                          const RequestInfo& info);
  // Figures over complaints received in [from, to] (months "YYYY-MM", inclusive; empty: the
  // last 12 months). intake.figures; the caller's HTTP layer hides small cells for those
  // without intake.queue.
  Result<ComplaintFigures> Figures(const security::Principal& caller, std::string from,
                                   std::string to);
  Result<FigureTargets> SetFigureTargets(const security::Principal& caller, FigureTargets targets,
                                         const RequestInfo& info);

  // The action plan's computed indicators from complaints (app.cc registers them): complaints
  // received, those on the hotline 4044, and the share acknowledged within the target, over
  // the months [from, to]. Runs inside the caller's read.
  static constexpr std::string_view kIndicatorComplaints = "intake.complaints_recorded";
  static constexpr std::string_view kIndicatorHotline4044 = "intake.hotline_4044_complaints";
  static constexpr std::string_view kIndicatorAcknowledgedInTime =
      "intake.acknowledged_within_target_pct";
  Result<double> IndicatorValue(storage::Connection& c, std::string_view key,
                                const std::string& from, const std::string& to) const;

  // Counts for the alert badge: open urgent complaints nobody acknowledged yet.
  Result<int> UnacknowledgedUrgent(const security::Principal& caller);
  // Changes of readers the caller (a reader) has not marked seen; 0 for anyone else.
  Result<std::int64_t> UnseenReaderChanges(const security::Principal& caller);

  // For case management: the complaints a case is made from, marked referred, in one call.
  Result<std::vector<Complaint>> TakeForCase(const security::Principal& caller,
                                             const std::vector<std::int64_t>& ids,
                                             const RequestInfo& info);
  // For case management, inside the case's own transaction: each complaint must be
  // ready_for_case (kConflict naming "complaints"), and is marked referred and audited. The
  // caller must be able to open the sealed halves, which the case re-seals for its own
  // readers: an intake reader (kPermissionDenied naming "complaints"), with an unlocked key
  // and a recent proof of presence (kReauthRequired). kNotFound for an unknown id.
  struct TakenComplaint {
    Complaint complaint;
    Identifying identifying;
  };
  Result<std::vector<TakenComplaint>> TakeForCaseIn(storage::Connection& c,
                                                    const security::Principal& caller,
                                                    const std::vector<std::int64_t>& ids,
                                                    const RequestInfo& info);

  // `psea generate --cases N`, inside the case generator's transaction: one complaint per spec
  // as a case takes it, entered by `chief` on `received_at`, acknowledged, assessed as SEA by
  // mission personnel (the spec's category and type), routed to a case and referred. Its
  // identifying half and victim part are sealed as Store seals them; its receipt holds the
  // hash of a code nobody has, so no reporter follows it up. No audit or history entries.
  // Never for real data. Answers each complaint's id and reference, in the specs' order.
  struct CaseComplaintSpec {
    UnixMillis received_at = 0;
    std::string town;
    std::string incident_date;  // YYYY-MM
    std::string category;       // sexual_exploitation | sexual_abuse
    std::string type;           // a SEA type
    std::vector<VictimFacts> victims;
    std::vector<PerpetratorFacts> perpetrators;
    bool risk_child = false;
    bool risk_danger = false;
  };
  struct GeneratedComplaint {
    std::int64_t id = 0;
    std::string reference;
  };
  Result<std::vector<GeneratedComplaint>> GenerateForCaseIn(
      storage::Connection& c, const security::Principal& chief,
      const std::vector<CaseComplaintSpec>& specs);

 private:
  // Fixed windows (core/rate_limiter.h): a count per address (its ThrottleKey, so an IPv6
  // client by its /64) and one for everybody; a request is counted by both or refused.
  struct Throttle {
    KeyedRateLimiter by_address;
    WindowCounter global;
  };
  Status CheckRate(Throttle& throttle, const std::string& address, UnixMillis now);
  // `also` runs in the same transaction, with the new complaint's id.
  Result<Submitted> Store(
      NewComplaint complaint, std::optional<security::Principal> actor, const RequestInfo& info,
      const std::function<Status(storage::Connection&, std::int64_t)>& also = nullptr);
  Result<std::optional<std::int64_t>> FindByReceipt(const std::string& code);
  Result<Complaint> LoadVisible(storage::Connection& c, const security::Principal& caller,
                                std::int64_t id);
  Status Audit(storage::Connection& c, const std::optional<security::Principal>& actor,
               std::string action, std::int64_t complaint_id, const RequestInfo& info,
               std::string details = "{}") const;
  // Inside the caller's transaction; the written file's path goes to `written` so that a
  // rolled-back transaction can remove it.
  Result<Attachment> SealAttachment(storage::Connection& c, std::int64_t complaint_id,
                                    const std::optional<security::Principal>& author,
                                    const std::string& filename, std::string_view content,
                                    const std::vector<std::int64_t>& readers,
                                    std::vector<std::string>& written);
  Result<std::int64_t> QuarantineOn(storage::Connection& c, std::string_view channel,
                                    std::string_view raw, const Status& why,
                                    const RequestInfo& info);
  // SMS senders are joined through a keyed hash of the number. The key lives only in memory
  // and turns daily (the previous one serves the 30-minute join window across the turn), and
  // the hash is cleared once the window has passed or the complaint left the queue: whoever
  // holds server.key and the database cannot enumerate the country's numbers against it.
  std::pair<std::string, std::string> SenderHashes(const std::string& from, UnixMillis now);
  Status ClearSmsSenders(storage::Connection& c, UnixMillis now);
  Status SaveGatewaySettings(const std::optional<security::Principal>& actor, std::int64_t token_id,
                             const SmsGatewaySettingsPatch& patch, const RequestInfo& info);
  // A sealed note on the complaint listing what the gateway sent that psea could not read.
  Status NoteUnparsed(storage::Connection& c, std::int64_t id, const SmsMessage& sms,
                      const std::vector<std::int64_t>& readers, UnixMillis now);
  void ClearSmsSendersNow();  // at most once a minute
  // Readers.
  Result<std::vector<std::int64_t>> SealingReaders(storage::Connection& c);
  Result<std::vector<std::int64_t>> SealedItems(storage::Connection& c);
  Result<bool> IsIntakeReader(storage::Connection& c, const security::Principal& caller) const;
  static bool IsEligibleReader(const StaffMember& member);
  static bool IsEligible(const StaffMember& member, ReaderSet set);
  static std::string_view ScopeOf(ReaderSet set);
  Result<StaffMember> EligibleMember(std::int64_t user, ReaderSet set);
  Result<StaffMember> MemberByName(const std::string& username);
  Status CheckReaderChange(const security::Principal& chief,
                           const std::optional<security::StepUpProof>& proof,
                           const RequestInfo& info, ReaderSet set);
  Status AuditReaderChange(storage::Connection& c, const std::optional<security::Principal>& actor,
                           std::string action, const StaffMember& member, const RequestInfo& info,
                           std::int64_t items, ReaderSet set) const;
  Result<std::vector<std::int64_t>> ItemsOf(storage::Connection& c, ReaderSet set);
  Status RevokeItems(storage::Connection& c, ReaderSet set, std::int64_t user,
                     std::int64_t& revoked);
  void Announce(std::string_view change, const StaffMember& member, std::string_view by,
                ReaderSet set);
  // The intake readers and the victims readers: who the victim part is sealed for.
  Result<std::vector<std::int64_t>> VictimSealingReaders(
      storage::Connection& c, const std::vector<std::int64_t>& intake_readers);
  // One history entry of a clear fact (JSON values).
  Status RecordCorrection(storage::Connection& c, const security::Principal& caller,
                          std::int64_t id, std::string field, std::string old_json,
                          std::string new_json) const;
  Result<FigureTargets> LoadTargets(storage::Connection& c) const;
  Status Change(const security::Principal& caller, std::int64_t id, const RequestInfo& info,
                const std::string& action,
                const std::function<Status(storage::Connection&, const Complaint&)>& work);

  storage::Database& database_;
  IntakeStore store_;
  const Clock& clock_;
  const security::AuditLog& audit_;
  const security::Vault& vault_;
  const security::KeyRing& keyring_;
  security::SecretBytes server_key_;
  StaffDirectory staff_;
  IntakeSettings settings_;
  std::string dummy_receipt_hash_;
  CaseProgress case_progress_;
  Status CheckPlace(const NewComplaint& complaint);
  std::mutex places_mutex_;
  PlacesList default_places_;
  std::vector<VictimItemsSource> victim_item_sources_;
  std::shared_ptr<const PlacesList> places_;
  security::ReaderRegistry readers_;
  // Figures by period ("from", "to"), at the revision they were computed from.
  RevisionCache<std::pair<std::string, std::string>, ComplaintFigures> figures_cache_{8};
  struct SenderKey {
    std::string key;
    UnixMillis created_at = 0;
  };
  static constexpr std::int64_t kSenderKeyLife = 24 * 60 * 60 * 1000;
  std::mutex sender_keys_mutex_;
  SenderKey sender_key_;
  SenderKey previous_sender_key_;
  std::atomic<UnixMillis> last_sender_sweep_{0};
  std::mutex throttle_mutex_;
  static constexpr std::int64_t kMinuteMillis = 60 * 1000;
  // Built from settings_, which is declared above them.
  Throttle follow_ups_{KeyedRateLimiter(kMinuteMillis, settings_.follow_ups_per_address_per_minute),
                       WindowCounter(kMinuteMillis, settings_.follow_ups_per_minute)};
  // Per address per hour; for everybody per minute, when the page names the hotlines instead.
  Throttle public_submissions_{
      KeyedRateLimiter(60 * kMinuteMillis, settings_.public_submissions_per_address_per_hour),
      WindowCounter(kMinuteMillis, settings_.public_submissions_per_minute)};
};

}  // namespace psea::intake
