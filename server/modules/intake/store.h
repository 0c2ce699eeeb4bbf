// SQL for the intake tables (complaints, messages, notes, attachments, the quarantine, SMS
// senders, the places list). Every method runs on the caller's connection, inside the caller's
// transaction when there is one. The store checks nothing: who may read or change what, and
// sealing with the vault, are the service's. Sealed halves arrive here as vault item ids.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "modules/intake/locations.h"
#include "modules/intake/model.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace psea::intake {

// Who entered a complaint: a staff member, a partner's token, or neither (the public page,
// e-mail).
struct ComplaintOrigin {
  std::optional<std::int64_t> user_id;
  std::string username;  // empty unless a staff member
  std::optional<std::int64_t> partner_token_id;
};

// A receipt code as stored: a locator, a slow hash and the reporter's mailbox, whose private
// key is encrypted under a key derived from the code. Never the code itself.
struct StoredReceipt {
  std::string locator;
  std::string hash;
  std::string mailbox_public_key;
  std::string mailbox_private_sealed;
};

// The row a receipt locator finds.
struct ReceiptRecord {
  std::int64_t complaint_id = 0;
  std::string hash;
  std::optional<UnixMillis> closed_at;
};

// What a reporter's follow-up reads of their complaint.
struct FollowUpRecord {
  ComplaintStatus status = ComplaintStatus::kNew;
  UnixMillis received_at = 0;
  std::string locator;
  std::string mailbox_private_sealed;
  std::int64_t views = 0;  // counting this one
  std::optional<std::int64_t> entered_by;
  std::optional<std::int64_t> partner_token_id;
  std::optional<UnixMillis> receipt_replaced_at;
};

// What replacing a receipt code needs of the complaint.
struct ReceiptHolder {
  std::optional<std::int64_t> entered_by;
  std::optional<std::int64_t> partner_token_id;
  std::optional<UnixMillis> receipt_replaced_at;
  std::string mailbox_private_sealed;
};

// A message with the copy sealed to the reporter's mailbox (text left empty).
struct ReporterCopy {
  Message message;
  std::string sealed_copy;
};

// The SMS conversation a new message joins.
// A reply waiting to go out through a gateway's API; `sealed` holds the number and the text.
struct SmsOutboxEntry {
  std::int64_t id = 0;
  std::int64_t token_id = 0;
  std::string gateway;
  std::int64_t complaint_id = 0;
  std::string sealed;
  std::int64_t attempts = 0;
  UnixMillis created_at = 0;
};

struct SmsConversation {
  std::int64_t complaint_id = 0;
  std::string mailbox_public_key;
};

// An attachment's row: the clear metadata and where its sealed parts are.
struct AttachmentRecord {
  Attachment attachment;  // filename empty: it is sealed in name_item
  std::int64_t name_item = 0;
  std::int64_t key_item = 0;
  std::string stored_name;  // the encrypted file's name in the attachments folder
};

struct NewAttachmentRecord {
  std::int64_t complaint_id = 0;
  std::int64_t key_item = 0;
  std::int64_t name_item = 0;
  std::string stored_name;
  std::string content_type;
  std::int64_t size = 0;
  std::string sha256;
  std::optional<std::int64_t> added_by;
  std::string added_by_username;
  UnixMillis created_at = 0;
};

// Retention: a closed complaint that a policy may remove, and the complaints that were
// closed as its duplicates (which point at it).
struct RetentionCandidate {
  std::int64_t id = 0;
  ComplaintStatus status = ComplaintStatus::kClosed;
  UnixMillis closed_at = 0;
  std::vector<std::int64_t> duplicates;
};

// Everything a complaint left in the database and the attachments folder.
struct ComplaintFootprint {
  std::vector<std::int64_t> vault_items;  // sealed halves, messages, notes, files' keys and names
  std::vector<std::string> stored_files;  // names in the attachments folder
};

class IntakeStore {
 public:
  // Their SQL text never changes: existing databases have run them.
  static std::vector<storage::Migration> Migrations();

  // Complaints. `complaint` is already normalised and validated; `urgent` is derived by the
  // service. Returns the new id.
  Result<std::int64_t> InsertComplaint(storage::Connection& c, const NewComplaint& complaint,
                                       const ComplaintOrigin& origin, UnixMillis received_at,
                                       bool urgent, std::int64_t sealed_item,
                                       std::int64_t victim_item, const StoredReceipt& receipt,
                                       UnixMillis now) const;
  Result<std::optional<Complaint>> FindComplaint(storage::Connection& c, std::int64_t id) const;
  // The filter's limit and offset are used as given (the service bounds them); `entered_by`
  // keeps only the complaints that user entered.
  Result<std::vector<Complaint>> ListComplaints(storage::Connection& c, const QueueFilter& filter,
                                                std::optional<std::int64_t> entered_by) const;
  // A partner token's own submissions, newest first, at most 500.
  Result<std::vector<Complaint>> ListPartnerComplaints(storage::Connection& c,
                                                       std::int64_t token_id) const;
  Result<std::vector<std::int64_t>> ListDuplicatesOf(storage::Connection& c, std::int64_t id) const;
  // Open urgent complaints nobody acknowledged yet.
  Result<std::int64_t> CountUnacknowledgedUrgent(storage::Connection& c) const;
  // Every vault item intake has sealed (complaints, messages, notes, attachments' keys and
  // names, the quarantine).
  Result<std::vector<std::int64_t>> ListSealedItems(storage::Connection& c) const;

  // Changes of a complaint's clear half.
  Status TouchComplaint(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  // After a change by staff: touches the complaint and forgets its SMS sender unless it is
  // still new or acknowledged.
  Status TouchAfterChange(storage::Connection& c, std::int64_t id, UnixMillis now) const;
  // `advance_status`: a new complaint becomes acknowledged; otherwise its status stays.
  Status SetAcknowledged(storage::Connection& c, std::int64_t id, std::int64_t by,
                         bool advance_status, UnixMillis now) const;
  Status SetAssignee(storage::Connection& c, std::int64_t id, std::optional<std::int64_t> assignee,
                     const std::string& username) const;
  // Closes `id` as a duplicate of `root`; the duplicates of `id` move to `root` too.
  Status MarkDuplicate(storage::Connection& c, std::int64_t id, std::int64_t root,
                       UnixMillis now) const;
  // Sets the status (acknowledging it if it was not yet); `closed_at` empty reopens.
  Status SetStatus(storage::Connection& c, std::int64_t id, ComplaintStatus status,
                   std::optional<UnixMillis> closed_at, std::int64_t by, UnixMillis now) const;
  Status MarkReferred(storage::Connection& c, std::int64_t id, UnixMillis now) const;

  // Receipt codes.
  Result<std::optional<ReceiptRecord>> FindReceipt(storage::Connection& c,
                                                   const std::string& locator) const;
  // Counts one more follow-up view and returns what the reporter's page needs; empty when the
  // complaint is gone.
  Result<std::optional<FollowUpRecord>> CountFollowUpView(storage::Connection& c,
                                                          std::int64_t id) const;
  Result<std::optional<ReceiptHolder>> FindReceiptHolder(storage::Connection& c, std::int64_t id,
                                                         const std::string& locator) const;
  // Moves the complaint from `old_locator` to `receipt` and marks the code replaced; false when
  // the locator changed meanwhile. `receipt.mailbox_public_key` is not used.
  Result<bool> ReplaceReceipt(storage::Connection& c, std::int64_t id,
                              const std::string& old_locator, const StoredReceipt& receipt,
                              UnixMillis now) const;
  Result<std::optional<std::string>> MailboxPublicKey(storage::Connection& c,
                                                      std::int64_t id) const;

  // Messages and notes (their text is sealed in the vault item).
  // `author` empty: the reporter wrote it.
  Status InsertMessage(storage::Connection& c, std::int64_t complaint_id, bool from_reporter,
                       std::optional<std::int64_t> author, const std::string& author_username,
                       UnixMillis created_at, std::int64_t sealed_item,
                       const std::string& reporter_copy) const;
  Result<std::vector<Message>> ListMessages(storage::Connection& c,
                                            std::int64_t complaint_id) const;
  Result<std::vector<ReporterCopy>> ListReporterCopies(storage::Connection& c,
                                                       std::int64_t complaint_id) const;
  Status MarkReporterMessagesRead(storage::Connection& c, std::int64_t complaint_id,
                                  UnixMillis now) const;
  Status InsertNote(storage::Connection& c, std::int64_t complaint_id, std::int64_t author,
                    const std::string& author_username, UnixMillis created_at,
                    std::int64_t sealed_item) const;
  Result<std::vector<Note>> ListNotes(storage::Connection& c, std::int64_t complaint_id) const;

  // SMS: senders are keyed hashes (the service makes them).
  Status ForgetSmsSenders(storage::Connection& c, UnixMillis last_sms_before) const;
  // The complaint a gateway's message id was filed in.
  Result<std::optional<std::int64_t>> FindSmsSeen(storage::Connection& c,
                                                  const std::string& gateway_id) const;
  // The encrypted settings of an SMS gateway token (IntakeService seals and opens them).
  Result<std::optional<std::string>> FindSmsGatewaySettings(storage::Connection& c,
                                                            std::int64_t token_id) const;
  Status SaveSmsGatewaySettings(storage::Connection& c, std::int64_t token_id,
                                const std::string& sealed, std::int64_t updated_by,
                                UnixMillis now) const;
  // The replies sent through a gateway's own API (africastalking, android).
  Status InsertSmsOutbox(storage::Connection& c, std::int64_t token_id, const std::string& gateway,
                         std::int64_t complaint_id, const std::string& sealed,
                         UnixMillis now) const;
  Result<std::vector<SmsOutboxEntry>> DueSmsOutbox(storage::Connection& c, UnixMillis now,
                                                   int limit) const;
  // Sent or given up: the sealed reply is erased.
  Status FinishSmsOutbox(storage::Connection& c, std::int64_t id, bool sent,
                         const std::string& error, UnixMillis now) const;
  Status RetrySmsOutbox(storage::Connection& c, std::int64_t id, UnixMillis next_attempt_at,
                        const std::string& error) const;
  Status RecordSmsSeen(storage::Connection& c, const std::string& gateway_id,
                       std::int64_t complaint_id, UnixMillis now) const;
  // The latest new or acknowledged complaint of either sender hash with an SMS since `since`.
  Result<std::optional<SmsConversation>> FindSmsConversation(storage::Connection& c,
                                                             const std::string& sender,
                                                             const std::string& previous_sender,
                                                             UnixMillis since) const;
  Status SetSmsSender(storage::Connection& c, std::int64_t id, const std::string& sender,
                      UnixMillis now) const;
  Status TouchSms(storage::Connection& c, std::int64_t id, UnixMillis now) const;

  // Retention. Complaints in `statuses` closed before `closed_before`, oldest first.
  Result<std::vector<RetentionCandidate>> ListClosedBefore(
      storage::Connection& c, const std::vector<ComplaintStatus>& statuses,
      UnixMillis closed_before) const;
  Result<ComplaintFootprint> FootprintOf(storage::Connection& c, std::int64_t id) const;
  // Deletes the complaint's rows in every intake table (not its vault items: the service
  // deletes those through the vault). Returns false when there was no such complaint.
  Result<bool> DeleteComplaint(storage::Connection& c, std::int64_t id) const;
  // Quarantined messages received before `received_before`: (id, vault item).
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> ListQuarantinedBefore(
      storage::Connection& c, UnixMillis received_before) const;
  Status DeleteQuarantined(storage::Connection& c, std::int64_t id) const;

  // The quarantine.
  Result<std::int64_t> InsertQuarantined(storage::Connection& c, const std::string& channel,
                                         const std::string& reason, std::int64_t sealed_item,
                                         UnixMillis now) const;
  // Unresolved first, then newest first; at most 500.
  Result<std::vector<QuarantinedMessage>> ListQuarantine(storage::Connection& c) const;
  Result<std::optional<std::int64_t>> QuarantinedItem(storage::Connection& c,
                                                      std::int64_t id) const;
  // False when there is no such unresolved message.
  Result<bool> ResolveQuarantined(storage::Connection& c, std::int64_t id, std::int64_t by,
                                  UnixMillis now) const;

  // Attachments.
  Result<std::int64_t> AttachmentBytes(storage::Connection& c, std::int64_t complaint_id) const;
  Result<std::int64_t> InsertAttachment(storage::Connection& c,
                                        const NewAttachmentRecord& attachment) const;
  // name_item is filled; key_item and stored_name are not.
  Result<std::vector<AttachmentRecord>> ListAttachments(storage::Connection& c,
                                                        std::int64_t complaint_id) const;
  Result<std::optional<AttachmentRecord>> FindAttachment(storage::Connection& c,
                                                         std::int64_t complaint_id,
                                                         std::int64_t attachment_id) const;

  // Assessment and routing. `status` is the complaint's new status.
  Status SetAssessment(storage::Connection& c, std::int64_t id, const Assessment& assessment,
                       ComplaintStatus status, UnixMillis now) const;
  Status SetRouting(storage::Connection& c, std::int64_t id, const Routing& routing,
                    ComplaintStatus status, std::optional<UnixMillis> closed_at,
                    UnixMillis now) const;
  // Corrections: the clear half as a whole (the service merged the patch), and the sealed
  // items when they were replaced.
  Status UpdateFacts(storage::Connection& c, const Complaint& complaint, UnixMillis now) const;
  Status ReplaceSealedItems(storage::Connection& c, std::int64_t id, std::int64_t sealed_item,
                            std::int64_t victim_item) const;
  Status SetVictimItem(storage::Connection& c, std::int64_t id, std::int64_t victim_item) const;
  Result<std::optional<std::int64_t>> VictimItem(storage::Connection& c, std::int64_t id) const;
  Result<std::vector<std::int64_t>> ListVictimItems(storage::Connection& c) const;
  Status InsertCorrection(storage::Connection& c, const Correction& correction) const;
  // Newest first.
  Result<std::vector<Correction>> ListCorrections(storage::Connection& c,
                                                  std::int64_t complaint_id) const;

  // The SEA types vocabulary, in its order.
  Result<std::vector<SeaType>> ListSeaTypes(storage::Connection& c) const;
  // False when the code exists already.
  Result<bool> InsertSeaType(storage::Connection& c, const SeaType& type, UnixMillis now) const;
  // False when there is no such code.
  Result<bool> UpdateSeaType(storage::Connection& c, const SeaType& type, UnixMillis now) const;

  // The complaints whose victim part reaches the Victims' Rights Advocate (a need flag, or
  // routed to a case, another entity or GBV services), urgent first then newest, at most 500.
  Result<std::vector<Complaint>> ListForVictimsAdvocate(storage::Connection& c) const;

  // Figures over complaints received in the months [from, to] ("YYYY-MM").
  struct FigureCell {
    std::string month, channel, prefecture, sub_prefecture, category, type, route;
    std::int64_t count = 0;
  };
  Result<std::vector<FigureCell>> FigureCells(storage::Connection& c, const std::string& from,
                                              const std::string& to) const;
  // Delays in whole minutes from receipt to acknowledgement (or assessment), with how many
  // complaints took each; `urgent` splits them.
  struct DelayBucket {
    std::int64_t minutes = 0;
    bool urgent = false;
    std::int64_t count = 0;
  };
  Result<std::vector<DelayBucket>> AcknowledgementDelays(storage::Connection& c,
                                                         const std::string& from,
                                                         const std::string& to) const;
  Result<std::vector<DelayBucket>> AssessmentDelays(storage::Connection& c, const std::string& from,
                                                    const std::string& to) const;
  // Complaints received in the months on one channel (empty: any).
  Result<std::int64_t> CountReceived(storage::Connection& c, const std::string& from,
                                     const std::string& to, const std::string& channel) const;

  // The revision of what the figures are computed from: every write of a complaint's facts,
  // acknowledgement, assessment, route or status, of the settings and of the places bumps it
  // in its own transaction (the figures' cache keys on it).
  Status BumpRevision(storage::Connection& c) const;
  Result<std::int64_t> Revision(storage::Connection& c) const;

  // Settings of the module (the figures' targets).
  Result<std::optional<std::string>> Setting(storage::Connection& c, const std::string& name) const;
  Status PutSetting(storage::Connection& c, const std::string& name, const std::string& value,
                    const std::string& by, UnixMillis now) const;

  // The places list (one row).
  Result<std::optional<PlacesList>> FindPlaces(storage::Connection& c) const;
  Status InsertPlaces(storage::Connection& c, const PlacesList& places, UnixMillis now) const;
  Status UpdatePlaces(storage::Connection& c, const PlacesList& places,
                      const std::string& updated_by, UnixMillis now) const;
};

}  // namespace psea::intake
