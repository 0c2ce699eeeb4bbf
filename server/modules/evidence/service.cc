#include "modules/evidence/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/utf8.h"
#include "modules/intake/content_type.h"
#include "security/vault.h"

namespace psea::evidence {

namespace fs = std::filesystem;
namespace json = boost::json;
using security::Permission;
using security::Principal;
using storage::Connection;

namespace {

constexpr std::string_view kKeyContext = "psea-case-evidence:";
constexpr std::string_view kNameContext = "psea-case-evidence-name";

// Text from the caller: `required` refuses an empty one; every one has a length limit and no
// control characters other than line breaks and tabs.
Status CheckText(const std::string& text, std::size_t max_bytes, const std::string& field,
                 bool required) {
  if (required && text.empty()) return InvalidArgument(field + " is required", field);
  if (text.size() > max_bytes) {
    return InvalidArgument(field + " is longer than " + std::to_string(max_bytes) + " bytes",
                           field);
  }
  if (!IsValidUtf8(text)) return InvalidArgument(field + " is not valid UTF-8 text", field);
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7f) {
      return InvalidArgument(field + " holds a control character", field);
    }
  }
  return Status::Ok();
}

bool IsItemStatus(const std::string& status) {
  return std::find(kItemStatuses.begin(), kItemStatuses.end(), status) != kItemStatuses.end();
}

}  // namespace

EvidenceService::EvidenceService(storage::Database& database, const Clock& clock,
                                 const security::AuditLog& audit, cases::CasesService& cases,
                                 security::SecretBytes server_key, EvidenceSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      cases_(cases),
      server_key_(std::move(server_key)),
      settings_(std::move(settings)) {}

Status EvidenceService::CheckAccess(Connection& c, const Principal& caller, std::int64_t case_id,
                                    const std::vector<std::string>& units, bool write) const {
  ASSIGN_OR_RETURN(auto check, cases_.AccessToCase(c, caller, case_id, units));
  switch (check.access) {
    case cases::CaseAccess::kFull:
      if (write) return security::Authorize(caller, Permission::kCasesManage);
      return Status::Ok();
    case cases::CaseAccess::kInvestigation:
      if (write) return PermissionDenied("investigators read the evidence log only");
      return Status::Ok();
    case cases::CaseAccess::kVictims:
    case cases::CaseAccess::kNone:
      break;
  }
  return NotFound("no such case");
}

Result<UnixMillis> EvidenceService::PastTime(const std::string& text,
                                             const std::string& field) const {
  const auto parsed = ParseIso8601(text);
  if (!parsed) {
    return InvalidArgument("a date-time YYYY-MM-DDTHH:MM:SSZ (or a date YYYY-MM-DD)", field);
  }
  if (*parsed > clock_.Now()) return Unprocessable(field + " lies in the future", field);
  return *parsed;
}

Status EvidenceService::Audit(Connection& c, const Principal& caller, std::int64_t case_id,
                              const std::string& action, const RequestInfo& info,
                              const std::string& details) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = "case";
  event.object_id = std::to_string(case_id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Result<std::string> EvidenceService::OpenFileKey(const StoredAttachment& stored) const {
  return security::Decrypt(server_key_.bytes(), stored.file_key_sealed,
                           std::string(kKeyContext) + stored.attachment.sha256);
}

Result<std::string> EvidenceService::ReadPlaintext(const StoredAttachment& stored) const {
  std::ifstream in(fs::path(settings_.files_dir) / stored.stored_name, std::ios::binary);
  if (!in) return NotFound("missing");
  auto key = OpenFileKey(stored);
  if (!key.ok()) return Unprocessable("undecryptable");
  security::SecretBytes file_key(std::move(key).value());
  std::ostringstream out;
  if (!security::DecryptStream(file_key.bytes(), in, out).ok()) {
    return Unprocessable("undecryptable");
  }
  return out.str();
}

Result<Item> EvidenceService::LoadItem(Connection& c, std::int64_t case_id, std::int64_t item_id,
                                       bool with_names) const {
  ASSIGN_OR_RETURN(auto found, store_.FindItem(c, case_id, item_id));
  if (!found) return NotFound("no such evidence item");
  Item item = std::move(*found);
  ASSIGN_OR_RETURN(item.custody, store_.Custody(c, item.id));
  ASSIGN_OR_RETURN(auto attachments, store_.Attachments(c, item.id));
  for (auto& stored : attachments) {
    Attachment attachment = stored.attachment;
    if (with_names) {
      auto key = OpenFileKey(stored);
      auto name = key.ok() ? security::Decrypt(key.value(), stored.filename_sealed, kNameContext)
                           : Result<std::string>(key.status());
      attachment.filename = name.ok() ? name.value() : std::string("?");
    }
    item.attachments.push_back(std::move(attachment));
  }
  return item;
}

Result<std::vector<Item>> EvidenceService::ListItems(const Principal& caller,
                                                     std::int64_t case_id) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::vector<Item> items;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, false));
    ASSIGN_OR_RETURN(auto stored, store_.ListItems(c, case_id));
    for (const auto& item : stored) {
      ASSIGN_OR_RETURN(auto full, LoadItem(c, case_id, item.id, true));
      items.push_back(std::move(full));
    }
    return Status::Ok();
  }));
  return items;
}

Result<Item> EvidenceService::GetItem(const Principal& caller, std::int64_t case_id,
                                      std::int64_t item_id) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  Item item;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, false));
    ASSIGN_OR_RETURN(item, LoadItem(c, case_id, item_id, true));
    return Status::Ok();
  }));
  return item;
}

Result<Item> EvidenceService::AddItem(const Principal& caller, std::int64_t case_id,
                                      const NewItem& request, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(request.label, 200, "label", true));
  RETURN_IF_ERROR(CheckText(request.description, 4000, "description", false));
  RETURN_IF_ERROR(CheckText(request.collected_by, 200, "collected_by", true));
  RETURN_IF_ERROR(CheckText(request.place_collected, 200, "place_collected", false));
  RETURN_IF_ERROR(CheckText(request.storage_location, 200, "storage_location", true));
  ASSIGN_OR_RETURN(UnixMillis collected_at, PastTime(request.collected_at, "collected_at"));
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::int64_t item_id = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, true));
    const UnixMillis now = clock_.Now();
    Item item;
    item.case_id = case_id;
    item.label = request.label;
    item.description = request.description;
    item.collected_by = request.collected_by;
    item.collected_at = collected_at;
    item.place_collected = request.place_collected;
    item.storage_location = request.storage_location;
    item.status = "held";
    item.created_by = caller.user_id;
    item.created_by_username = caller.username;
    item.created_at = now;
    ASSIGN_OR_RETURN(item.id, store_.InsertItem(c, item));
    item_id = item.id;
    CustodyEntry collected;
    collected.item_id = item.id;
    collected.seq = 1;
    collected.from_holder = "";
    collected.to_holder = request.collected_by;
    collected.at = collected_at;
    collected.purpose = "collection";
    collected.status = "held";
    collected.storage_location = request.storage_location;
    collected.recorded_by = caller.user_id;
    collected.recorded_by_username = caller.username;
    collected.recorded_at = now;
    collected.hash = EntryHash(item, collected);
    RETURN_IF_ERROR(store_.InsertCustody(c, collected).status());
    return Audit(c, caller, case_id, "evidence.item.create", info,
                 json::serialize(json::object{{"item", item.id}}));
  }));
  return GetItem(caller, case_id, item_id);
}

Result<Item> EvidenceService::AddTransfer(const Principal& caller, std::int64_t case_id,
                                          std::int64_t item_id, const Transfer& request,
                                          const RequestInfo& info) {
  if (request.from_holder) RETURN_IF_ERROR(CheckText(*request.from_holder, 200, "from", true));
  RETURN_IF_ERROR(CheckText(request.to_holder, 200, "to", true));
  RETURN_IF_ERROR(CheckText(request.purpose, 1000, "purpose", true));
  const std::string status = request.status.value_or("transferred");
  if (!IsItemStatus(status)) {
    return InvalidArgument("held, transferred, returned or destroyed", "status");
  }
  if (request.storage_location) {
    RETURN_IF_ERROR(CheckText(*request.storage_location, 200, "storage_location", true));
  }
  ASSIGN_OR_RETURN(UnixMillis at, PastTime(request.at, "at"));
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, true));
    ASSIGN_OR_RETURN(Item item, LoadItem(c, case_id, item_id, false));
    if (item.custody.empty()) return Internal("evidence item without a custody entry");
    const CustodyEntry& last = item.custody.back();
    if (last.status == "destroyed") {
      return Conflict("the item was destroyed: its chain of custody is closed", "status");
    }
    if (at < last.at) {
      return Unprocessable("the transfer is dated before the item's last custody entry", "at");
    }
    CustodyEntry entry;
    entry.item_id = item.id;
    entry.seq = last.seq + 1;
    entry.from_holder = request.from_holder.value_or(last.to_holder);
    entry.to_holder = request.to_holder;
    entry.at = at;
    entry.purpose = request.purpose;
    entry.status = status;
    entry.storage_location = request.storage_location.value_or(last.storage_location);
    entry.recorded_by = caller.user_id;
    entry.recorded_by_username = caller.username;
    entry.recorded_at = clock_.Now();
    entry.prev_hash = last.hash;
    entry.hash = EntryHash(item, entry);
    RETURN_IF_ERROR(store_.InsertCustody(c, entry).status());
    RETURN_IF_ERROR(store_.SetItemState(c, item.id, entry.status, entry.storage_location));
    return Audit(c, caller, case_id, "evidence.custody.add", info,
                 json::serialize(json::object{
                     {"item", item.id}, {"seq", entry.seq}, {"status", entry.status}}));
  }));
  return GetItem(caller, case_id, item_id);
}

Result<Attachment> EvidenceService::AddAttachment(const Principal& caller, std::int64_t case_id,
                                                  std::int64_t item_id, const std::string& filename,
                                                  const std::string& content_type,
                                                  std::string_view content,
                                                  const RequestInfo& info) {
  if (settings_.files_dir.empty()) return Unavailable("evidence files are not configured");
  if (filename.find('/') != std::string::npos || filename.find('\\') != std::string::npos) {
    return InvalidArgument("a file name without a folder", "filename");
  }
  RETURN_IF_ERROR(CheckText(filename, 255, "filename", true));
  if (filename.find_first_of("\r\n\t") != std::string::npos) {
    return InvalidArgument("filename holds a control character", "filename");
  }
  if (content.empty()) return InvalidArgument("the file is empty", "file");
  if (static_cast<std::int64_t>(content.size()) > settings_.max_attachment_bytes) {
    return Status(ErrorCode::kPayloadTooLarge,
                  "an evidence file may be at most " +
                      std::to_string(settings_.max_attachment_bytes / (1024 * 1024)) + " MiB",
                  "file");
  }
  const intake::SniffedType sniffed = intake::SniffContentType(content);
  if (sniffed.executable) {
    return Status(ErrorCode::kUnsupportedMediaType, "programs and scripts are not accepted",
                  "file");
  }
  // The declared type only when the bytes say nothing (plain text, CSV, ...).
  std::string type = sniffed.mime;
  if (type == "application/octet-stream" && !content_type.empty() && content_type.size() <= 100 &&
      content_type.find_first_of("\r\n") == std::string::npos) {
    type = content_type.substr(0, content_type.find(';'));
  }
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::error_code error;
  fs::create_directories(settings_.files_dir, error);
  if (error) return Unavailable("cannot create the evidence folder");
  const std::string stored_name = std::to_string(case_id) + "-" + std::to_string(item_id) + "-" +
                                  security::RandomToken(12) + ".enc";
  const fs::path path = fs::path(settings_.files_dir) / stored_name;
  security::SecretBytes file_key(security::GenerateSymmetricKey());
  StoredAttachment stored;
  stored.stored_name = stored_name;
  Attachment& a = stored.attachment;
  auto added = database_.Write<Attachment>([&](Connection& c) -> Result<Attachment> {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, true));
    ASSIGN_OR_RETURN(auto item, store_.FindItem(c, case_id, item_id));
    if (!item) return NotFound("no such evidence item");
    ASSIGN_OR_RETURN(std::int64_t total, store_.AttachmentBytes(c, item_id));
    if (total + static_cast<std::int64_t>(content.size()) > settings_.max_item_bytes) {
      return Status(ErrorCode::kPayloadTooLarge,
                    "an item's files may be at most " +
                        std::to_string(settings_.max_item_bytes / (1024 * 1024)) + " MiB in all",
                    "file");
    }
    {
      std::istringstream in{std::string(content)};
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      std::uint64_t size = 0;
      std::string digest;
      RETURN_IF_ERROR(security::EncryptStream(file_key.bytes(), in, out, &size, &digest));
      out.flush();
      out.close();
      if (!out) return Unavailable("cannot write the evidence file");
      a.size = static_cast<std::int64_t>(size);
      a.sha256 = security::HexEncode(digest);
    }
    ASSIGN_OR_RETURN(stored.file_key_sealed,
                     security::Encrypt(server_key_.bytes(), file_key.bytes(),
                                       std::string(kKeyContext) + a.sha256));
    ASSIGN_OR_RETURN(stored.filename_sealed,
                     security::Encrypt(file_key.bytes(), filename, kNameContext));
    a.item_id = item_id;
    a.content_type = type;
    a.added_by = caller.user_id;
    a.added_by_username = caller.username;
    a.added_at = clock_.Now();
    ASSIGN_OR_RETURN(a.id, store_.InsertAttachment(c, item_id, stored));
    RETURN_IF_ERROR(Audit(
        c, caller, case_id, "evidence.attachment.add", info,
        json::serialize(json::object{
            {"item", item_id}, {"attachment", a.id}, {"size", a.size}, {"sha256", a.sha256}})));
    Attachment out = a;
    out.filename = filename;
    return out;
  });
  if (!added.ok()) {
    // Rolled back: the file written for it goes too.
    fs::remove(path, error);
  }
  return added;
}

Result<std::pair<Attachment, std::string>> EvidenceService::ReadAttachment(
    const Principal& caller, std::int64_t case_id, std::int64_t item_id, std::int64_t attachment_id,
    const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::pair<Attachment, std::string> out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, false));
    ASSIGN_OR_RETURN(auto item, store_.FindItem(c, case_id, item_id));
    if (!item) return NotFound("no such evidence item");
    ASSIGN_OR_RETURN(auto stored, store_.FindAttachment(c, item_id, attachment_id));
    if (!stored) return NotFound("no such attachment");
    auto plaintext = ReadPlaintext(*stored);
    if (!plaintext.ok()) {
      // A damaged or missing file is the server's fault, not the caller's: the integrity check
      // says which.
      return Internal("evidence attachment " + std::to_string(attachment_id) + " is " +
                      plaintext.status().message());
    }
    if (security::HexEncode(security::Sha256(*plaintext)) != stored->attachment.sha256) {
      return Internal("evidence attachment " + std::to_string(attachment_id) +
                      " does not match its SHA-256");
    }
    out.first = stored->attachment;
    ASSIGN_OR_RETURN(std::string key, OpenFileKey(*stored));
    security::SecretBytes file_key(std::move(key));
    ASSIGN_OR_RETURN(out.first.filename,
                     security::Decrypt(file_key.bytes(), stored->filename_sealed, kNameContext));
    out.second = std::move(plaintext).value();
    return Audit(c, caller, case_id, "evidence.attachment.read", info,
                 json::serialize(json::object{{"item", item_id}, {"attachment", attachment_id}}));
  }));
  return out;
}

Result<std::vector<ItemIntegrity>> EvidenceService::CheckIntegrity(
    const Principal& caller, std::int64_t case_id, std::optional<std::int64_t> item_id) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::vector<ItemIntegrity> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, false));
    std::vector<std::int64_t> ids;
    if (item_id) {
      ids.push_back(*item_id);
    } else {
      ASSIGN_OR_RETURN(auto items, store_.ListItems(c, case_id));
      for (const auto& item : items) ids.push_back(item.id);
    }
    for (std::int64_t id : ids) {
      ASSIGN_OR_RETURN(Item item, LoadItem(c, case_id, id, true));
      ItemIntegrity integrity;
      CheckCustody(item, integrity);
      ASSIGN_OR_RETURN(auto attachments, store_.Attachments(c, id));
      for (std::size_t i = 0; i < attachments.size(); ++i) {
        ItemIntegrity::AttachmentCheck check;
        check.id = attachments[i].attachment.id;
        check.filename = item.attachments[i].filename;
        check.sha256 = attachments[i].attachment.sha256;
        auto plaintext = ReadPlaintext(attachments[i]);
        if (!plaintext.ok()) {
          check.state = plaintext.status().message();
        } else if (security::HexEncode(security::Sha256(*plaintext)) != check.sha256) {
          check.state = "mismatch";
        } else {
          check.state = "intact";
        }
        integrity.attachments.push_back(std::move(check));
      }
      out.push_back(std::move(integrity));
    }
    return Status::Ok();
  }));
  return out;
}

Result<CustodyReport> EvidenceService::CustodyReportOf(const Principal& caller,
                                                       std::int64_t case_id, std::int64_t item_id,
                                                       const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto integrity, CheckIntegrity(caller, case_id, item_id));
  ASSIGN_OR_RETURN(auto view, cases_.Get(caller, case_id));
  CustodyReport report;
  report.case_reference = view.kase.reference;
  report.integrity = std::move(integrity.front());
  ASSIGN_OR_RETURN(report.item, GetItem(caller, case_id, item_id));
  report.printed_by = caller.username;
  report.printed_at = clock_.Now();
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) {
    return Audit(c, caller, case_id, "evidence.custody.print", info,
                 json::serialize(json::object{{"item", item_id}}));
  }));
  return report;
}

Result<std::vector<Deployment>> EvidenceService::ListDeployments(const Principal& caller,
                                                                 std::int64_t case_id) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::vector<Deployment> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, false));
    ASSIGN_OR_RETURN(out, store_.Deployments(c, case_id));
    return Status::Ok();
  }));
  return out;
}

Result<Deployment> EvidenceService::AddDeployment(const Principal& caller, std::int64_t case_id,
                                                  const NewDeployment& request,
                                                  const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(request.team, 2000, "team", true));
  RETURN_IF_ERROR(CheckText(request.place, 200, "place", true));
  RETURN_IF_ERROR(CheckText(request.actions, 4000, "actions", false));
  Deployment d;
  ASSIGN_OR_RETURN(d.alerted_at, PastTime(request.alerted_at, "alerted_at"));
  if (request.deployed_at) {
    ASSIGN_OR_RETURN(d.deployed_at, PastTime(*request.deployed_at, "deployed_at"));
    if (*d.deployed_at < d.alerted_at) {
      return Unprocessable("the team cannot deploy before it was alerted", "deployed_at");
    }
  }
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  d.case_id = case_id;
  d.team = request.team;
  d.place = request.place;
  d.actions = request.actions;
  d.created_by = caller.user_id;
  d.created_by_username = caller.username;
  d.created_at = clock_.Now();
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(CheckAccess(c, caller, case_id, units, true));
    ASSIGN_OR_RETURN(d.id, store_.InsertDeployment(c, d));
    return Audit(c, caller, case_id, "irt.deployment.create", info,
                 json::serialize(json::object{{"deployment", d.id}}));
  }));
  return d;
}

Result<std::int64_t> EvidenceService::PurgeCase(Connection& c, std::int64_t case_id,
                                                std::vector<std::string>& files) const {
  std::vector<std::string> names;
  ASSIGN_OR_RETURN(std::int64_t removed, store_.DeleteCase(c, case_id, names));
  for (const auto& name : names) files.push_back((fs::path(settings_.files_dir) / name).string());
  return removed;
}

}  // namespace psea::evidence
