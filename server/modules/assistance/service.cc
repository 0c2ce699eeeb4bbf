#include "modules/assistance/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/utf8.h"

namespace psea::assistance {

namespace json = boost::json;
using security::Principal;
using security::Role;
using storage::Connection;

namespace {

constexpr std::string_view kIdentityKind = "assistance-identity";

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

Status CheckOneOf(const std::vector<std::string_view>& vocabulary, const std::string& value,
                  const std::string& field) {
  if (IsOneOf(vocabulary, value)) return Status::Ok();
  std::string allowed;
  for (auto word : vocabulary) {
    if (!allowed.empty()) allowed += ", ";
    allowed += word;
  }
  return InvalidArgument(field + " must be one of " + allowed, field);
}

std::string StringAt(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The age group an age belongs to.
std::string AgeGroupOf(std::int64_t age) { return age < 18 ? "minor" : "adult"; }

Status CheckAge(const std::optional<std::int64_t>& age, const std::string& age_group) {
  RETURN_IF_ERROR(CheckOneOf(kAgeGroups, age_group, "age_group"));
  if (!age) return Status::Ok();
  if (*age < 0 || *age > 120) return InvalidArgument("age must be 0 to 120", "age");
  if (age_group != AgeGroupOf(*age)) {
    return InvalidArgument("age_group does not match the age", "age_group");
  }
  return Status::Ok();
}

}  // namespace

bool IsAdvocate(const Principal& caller) {
  return caller.kind == Principal::Kind::kUser && caller.role == Role::kVra;
}

Status RequireAdvocate(const Principal& caller) {
  if (IsAdvocate(caller)) return Status::Ok();
  return PermissionDenied("only the Victims' Rights Advocate works assistance files");
}

Status CheckIdentity(const FileIdentity& identity) {
  RETURN_IF_ERROR(CheckText(identity.name, 200, "identity.name", false));
  RETURN_IF_ERROR(CheckText(identity.contacts, 500, "identity.contacts", false));
  RETURN_IF_ERROR(CheckText(identity.address, 500, "identity.address", false));
  RETURN_IF_ERROR(CheckText(identity.guardian_name, 200, "identity.guardian_name", false));
  RETURN_IF_ERROR(CheckText(identity.guardian_contact, 500, "identity.guardian_contact", false));
  return Status::Ok();
}

AssistanceService::AssistanceService(storage::Database& database, const Clock& clock,
                                     const security::AuditLog& audit, const security::Vault& vault,
                                     const security::KeyRing& keyring, cases::CasesService& cases,
                                     intake::IntakeService& intake, AssistanceSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      cases_(cases),
      intake_(intake),
      settings_(std::move(settings)) {}

// ---- Helpers

Result<AssistanceService::Access> AssistanceService::AccessOf(Connection& c,
                                                              const Principal& caller,
                                                              std::int64_t id) const {
  if (caller.kind != Principal::Kind::kUser) return Access::kNone;
  if (IsAdvocate(caller)) return Access::kWork;
  ASSIGN_OR_RETURN(bool designee, store_.IsDesignee(c, id, caller.user_id));
  if (!designee) return Access::kNone;
  if (caller.role == Role::kProviderCaseManager) {
    // Designated by a referral's identity share: only while the victim's consent to share
    // information with her provider stands (a withdrawal or an expiry ends it at once).
    if (!settings_.provider_of_user) return Access::kNone;
    ASSIGN_OR_RETURN(auto provider, settings_.provider_of_user(c, caller.user_id));
    if (!provider) return Access::kNone;
    ASSIGN_OR_RETURN(
        auto decision,
        ConsentFor(c, id, {"information_sharing", *provider, "", clock_.Now(), false}));
    if (!decision.covered()) return Access::kNone;
  }
  return Access::kDesignee;
}

Result<AssistanceFile> AssistanceService::LoadFor(Connection& c, const Principal& caller,
                                                  std::int64_t id, bool write) const {
  ASSIGN_OR_RETURN(auto found, store_.FindFile(c, id));
  if (!found) return NotFound("no such assistance file");
  ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, id));
  if (access == Access::kNone) return NotFound("no such assistance file");
  if (write) {
    if (access != Access::kWork) {
      return PermissionDenied("only the Victims' Rights Advocate changes a file");
    }
    if (found->status == "closed") return Conflict("the file is closed", "status");
  }
  return std::move(*found);
}

Result<FileView> AssistanceService::View(Connection& c, const Principal& caller,
                                         AssistanceFile file) const {
  FileView view;
  ASSIGN_OR_RETURN(auto links, store_.CaseLinks(c, file.id));
  ASSIGN_OR_RETURN(file.designees, store_.Designees(c, file.id));
  file.cases = links;
  for (const auto& link : links) {
    view.cases.push_back({link.case_id, "", link.linked_by_username, link.linked_at});
  }
  ASSIGN_OR_RETURN(view.consents, store_.Consents(c, file.id));
  ASSIGN_OR_RETURN(auto needs, store_.Needs(c, file.id));
  const UnixMillis now = clock_.Now();
  for (auto& need : needs) {
    PepWindow pep = PepWindowOf(need, now);
    view.needs.push_back({std::move(need), pep});
  }
  ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, file.id));
  view.can_work = access == Access::kWork;
  view.has_identity = file.identity_item.has_value();
  ASSIGN_OR_RETURN(bool victims_reader,
                   readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
  ASSIGN_OR_RETURN(bool designee, store_.IsDesignee(c, file.id, caller.user_id));
  view.can_reveal = view.has_identity && (victims_reader || designee);
  view.file = std::move(file);
  if (caller.role == Role::kProviderCaseManager) {
    // A partner's case manager is designated only by a referral's identity share, which the
    // consent to share with that provider allows: the file's clear half and the identity. The
    // consents, the other needs, the designees and the cases are the VRA's (their own
    // referrals are in the provider portal).
    view.cases.clear();
    view.consents.clear();
    view.needs.clear();
    view.file.cases.clear();
    view.file.designees.clear();
  }
  return view;
}

Result<FileView> AssistanceService::ViewAfter(const Principal& caller, std::int64_t id) {
  return GetFile(caller, id);
}

Result<std::vector<std::int64_t>> AssistanceService::SealingReaders(Connection& c,
                                                                    std::int64_t file_id) const {
  ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, intake::kVictimReaderScope));
  std::set<std::int64_t> all(victims.begin(), victims.end());
  ASSIGN_OR_RETURN(auto designees, store_.Designees(c, file_id));
  for (const auto& d : designees) all.insert(d.user_id);
  return std::vector<std::int64_t>(all.begin(), all.end());
}

Result<std::int64_t> AssistanceService::Seal(Connection& c, std::int64_t file_id,
                                             const FileIdentity& identity) const {
  ASSIGN_OR_RETURN(auto readers, SealingReaders(c, file_id));
  if (readers.empty()) {
    return Unprocessable(
        "nobody could open this identity: the victims readers must be named first (`psea intake "
        "readers add --scope victims`)",
        "identity");
  }
  return vault_.Seal(c, kIdentityKind,
                     json::serialize(json::object{{"name", identity.name},
                                                  {"contacts", identity.contacts},
                                                  {"address", identity.address},
                                                  {"guardian_name", identity.guardian_name},
                                                  {"guardian_contact", identity.guardian_contact}}),
                     readers);
}

Result<std::vector<std::pair<std::string, std::string>>> AssistanceService::Prefectures() const {
  ASSIGN_OR_RETURN(auto places, intake_.Places());
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(places->prefectures.size());
  for (const auto& p : places->prefectures) out.emplace_back(p.code, p.name);
  return out;
}

Status AssistanceService::CheckPrefecture(const std::string& prefecture) const {
  if (prefecture.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto places, intake_.Places());
  for (const auto& p : places->prefectures) {
    if (p.code == prefecture) return Status::Ok();
  }
  return Unprocessable("prefecture is not a prefecture code of the places list", "prefecture");
}

Status AssistanceService::Audit(Connection& c, const Principal& caller, std::int64_t file_id,
                                const std::string& action, const RequestInfo& info,
                                const std::string& details) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = "assistance_file";
  event.object_id = std::to_string(file_id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Result<UnixMillis> AssistanceService::ParseTime(const std::string& text, const std::string& field,
                                                bool future_ok) const {
  const auto parsed = ParseIso8601(text);
  if (!parsed) {
    return InvalidArgument("a date-time YYYY-MM-DDTHH:MM:SSZ (or a date YYYY-MM-DD)", field);
  }
  if (!future_ok && *parsed > clock_.Now()) {
    return Unprocessable(field + " lies in the future", field);
  }
  return *parsed;
}

bool AssistanceService::IsDesignable(const StaffMember& member) {
  return !member.disabled &&
         (member.role == Role::kVra || member.role == Role::kCdtOfficer ||
          member.role == Role::kCdtChief || member.role == Role::kPartnerFocalPoint);
}

Result<std::vector<StaffMember>> AssistanceService::Designables(const Principal& caller) const {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  std::vector<StaffMember> out;
  if (!settings_.staff) return out;
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  for (auto& member : staff) {
    if (IsDesignable(member) && member.id != caller.user_id) out.push_back(std::move(member));
  }
  std::sort(out.begin(), out.end(), [](const StaffMember& a, const StaffMember& b) {
    return a.display_name == b.display_name ? a.username < b.username
                                            : a.display_name < b.display_name;
  });
  return out;
}

Result<StaffMember> AssistanceService::Designable(std::int64_t user,
                                                  bool provider_case_manager) const {
  if (!settings_.staff) return Unprocessable("no staff directory", "user_id");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  for (const auto& member : staff) {
    if (member.id != user) continue;
    const bool sharing =
        provider_case_manager && !member.disabled && member.role == Role::kProviderCaseManager;
    if (!IsDesignable(member) && !sharing) {
      return Unprocessable(
          "only an active VRA, CDT officer or chief, or partner focal point may be designated",
          "user_id");
    }
    return member;
  }
  return Unprocessable("no such user", "user_id");
}

// ---- Files

Result<FileListPage> AssistanceService::ListFiles(const Principal& caller, FileFilter filter) {
  if (caller.kind != Principal::Kind::kUser) {
    return PermissionDenied("assistance files are for people, not tokens");
  }
  if (filter.status) RETURN_IF_ERROR(CheckOneOf(kFileStatuses, *filter.status, "status"));
  if (filter.age_group) RETURN_IF_ERROR(CheckOneOf(kAgeGroups, *filter.age_group, "age_group"));
  if (filter.need) RETURN_IF_ERROR(CheckOneOf(kNeedTypes, *filter.need, "need"));
  if (!IsAdvocate(caller)) {
    filter.designee = caller.user_id;
  }
  FileListPage page;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(page.files, store_.ListFiles(c, filter, page.total));
    return Status::Ok();
  }));
  return page;
}

Result<FileView> AssistanceService::GetFile(const Principal& caller, std::int64_t id) {
  FileView view;
  const Status read = database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, false));
    ASSIGN_OR_RETURN(view, View(c, caller, std::move(file)));
    return Status::Ok();
  });
  // A provider's case manager reaching for a victim's file not shared with them: refused as if
  // it did not exist, and recorded (issue 13, "every refusal of access audited").
  if (read.code() == ErrorCode::kNotFound && caller.kind == Principal::Kind::kUser &&
      caller.role == Role::kProviderCaseManager) {
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      return Audit(c, caller, id, "assistance.access.refused", RequestInfo{},
                   json::serialize(json::object{{"operation", "read"}}));
    }));
  }
  RETURN_IF_ERROR(read);
  // The linked cases' references, as the caller sees them (the cases service decides).
  for (auto& link : view.cases) {
    auto kase = cases_.Get(caller, link.case_id);
    if (kase.ok()) link.reference = kase->kase.reference;
  }
  return view;
}

Result<FileView> AssistanceService::CreateFile(const Principal& caller, const NewFile& request,
                                               const RequestInfo& info) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  RETURN_IF_ERROR(CheckText(request.pseudonym, 100, "pseudonym", false));
  RETURN_IF_ERROR(CheckOneOf(kSexes, request.sex, "sex"));
  const std::string age_group =
      request.age_group.value_or(request.age ? AgeGroupOf(*request.age) : "unknown");
  RETURN_IF_ERROR(CheckAge(request.age, age_group));
  RETURN_IF_ERROR(CheckPrefecture(request.prefecture));
  if (request.case_ids.size() > 20) return InvalidArgument("at most 20 cases", "case_ids");
  if (request.identity) RETURN_IF_ERROR(CheckIdentity(*request.identity));
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  std::int64_t id = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    const UnixMillis now = clock_.Now();
    AssistanceFile file;
    const std::string prefix =
        settings_.reference_prefix + "-" + FormatIso8601(now).substr(0, 4) + "-";
    ASSIGN_OR_RETURN(std::int64_t number, store_.NextReferenceNumber(c, prefix));
    std::string digits = std::to_string(number);
    if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
    file.reference = prefix + digits;
    file.pseudonym = request.pseudonym.empty() ? file.reference : request.pseudonym;
    file.sex = request.sex;
    file.age_group = age_group;
    file.age = request.age;
    file.prefecture = request.prefecture;
    file.status = "open";
    file.opened_at = now;
    file.created_by = caller.user_id;
    file.created_by_username = caller.username;
    file.updated_at = now;
    file.version = 1;
    if (request.identity) {
      // A new file has no designee yet: the victims readers alone (file id 0 has none).
      ASSIGN_OR_RETURN(std::int64_t item, Seal(c, 0, *request.identity));
      file.identity_item = item;
    }
    ASSIGN_OR_RETURN(file.id, store_.InsertFile(c, file));
    id = file.id;
    for (std::int64_t case_id : request.case_ids) {
      ASSIGN_OR_RETURN(auto check, cases_.AccessToCase(c, caller, case_id, units));
      if (check.access == cases::CaseAccess::kNone) {
        return Unprocessable("no case " + std::to_string(case_id) + " that you see", "case_ids");
      }
      RETURN_IF_ERROR(store_.LinkCase(c, file.id, {case_id, caller.username, now, caller.user_id}));
    }
    return Audit(c, caller, file.id, "assistance.file.create", info,
                 json::serialize(json::object{{"reference", file.reference},
                                              {"identity", request.identity.has_value()},
                                              {"cases", request.case_ids.size()}}));
  }));
  return ViewAfter(caller, id);
}

Result<FileView> AssistanceService::UpdateFile(const Principal& caller, std::int64_t id,
                                               const FilePatch& patch,
                                               std::optional<std::int64_t> version,
                                               VersionSource source, const RequestInfo& info) {
  if (patch.pseudonym) RETURN_IF_ERROR(CheckText(*patch.pseudonym, 100, "pseudonym", true));
  if (patch.sex) RETURN_IF_ERROR(CheckOneOf(kSexes, *patch.sex, "sex"));
  if (patch.status) RETURN_IF_ERROR(CheckOneOf(kFileStatuses, *patch.status, "status"));
  if (patch.prefecture) RETURN_IF_ERROR(CheckPrefecture(*patch.prefecture));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.FindFile(c, id));
    if (!found) return NotFound("no such assistance file");
    ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, id));
    if (access == Access::kNone) return NotFound("no such assistance file");
    if (access != Access::kWork) {
      return PermissionDenied("only the Victims' Rights Advocate changes a file");
    }
    AssistanceFile file = std::move(*found);
    if (version && *version != file.version) {
      if (source == VersionSource::kIfMatch) {
        return Status(ErrorCode::kPreconditionFailed, "someone changed the file since you read it",
                      "If-Match");
      }
      return Conflict("someone changed the file since you read it (version " +
                          std::to_string(file.version) + ")",
                      "version");
    }
    // A closed file takes nothing but its reopening.
    const bool reopening = patch.status && *patch.status == "open" && file.status == "closed";
    if (file.status == "closed" && !reopening) return Conflict("the file is closed", "status");
    std::vector<std::string> changed;
    auto set = [&](auto& field, const auto& value, const char* name) {
      if (value && *value != field) {
        field = *value;
        changed.push_back(name);
      }
    };
    set(file.pseudonym, patch.pseudonym, "pseudonym");
    set(file.sex, patch.sex, "sex");
    set(file.age_group, patch.age_group, "age_group");
    set(file.age, patch.age, "age");
    set(file.prefecture, patch.prefecture, "prefecture");
    if (patch.age && *patch.age && !patch.age_group) file.age_group = AgeGroupOf(**patch.age);
    RETURN_IF_ERROR(CheckAge(file.age, file.age_group));
    const UnixMillis now = clock_.Now();
    if (patch.status && *patch.status != file.status) {
      file.status = *patch.status;
      file.closed_at = file.status == "closed" ? std::optional<UnixMillis>(now) : std::nullopt;
      changed.push_back("status");
    }
    if (changed.empty()) return Status::Ok();
    file.updated_at = now;
    ASSIGN_OR_RETURN(bool stored, store_.UpdateFile(c, file, file.version));
    if (!stored) return Conflict("someone changed the file since you read it", "version");
    json::array fields;
    for (const auto& name : changed) fields.push_back(json::string(name));
    return Audit(c, caller, id, "assistance.file.update", info,
                 json::serialize(json::object{{"fields", std::move(fields)}}));
  }));
  return ViewAfter(caller, id);
}

Result<FileView> AssistanceService::SetIdentity(const Principal& caller, std::int64_t id,
                                                const FileIdentity& identity,
                                                const RequestInfo& info) {
  RETURN_IF_ERROR(CheckIdentity(identity));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, true));
    const auto old_item = file.identity_item;
    ASSIGN_OR_RETURN(std::int64_t item, Seal(c, id, identity));
    file.identity_item = item;
    file.updated_at = clock_.Now();
    ASSIGN_OR_RETURN(bool stored, store_.UpdateFile(c, file, file.version));
    if (!stored) return Conflict("someone changed the file since you read it", "version");
    if (old_item) RETURN_IF_ERROR(vault_.DeleteItems(c, {*old_item}).status());
    return Audit(c, caller, id, "assistance.identity.set", info,
                 json::serialize(json::object{{"replaced", old_item.has_value()}}));
  }));
  return ViewAfter(caller, id);
}

Result<FileIdentity> AssistanceService::RevealIdentity(const Principal& caller, std::int64_t id,
                                                       const RequestInfo& info) {
  FileIdentity out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, false));
    ASSIGN_OR_RETURN(bool victims_reader,
                     readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
    ASSIGN_OR_RETURN(bool designee, store_.IsDesignee(c, id, caller.user_id));
    // A wrap left behind (a victims reader removed since) opens nothing: the sets decide.
    if (!victims_reader && !designee) {
      return PermissionDenied("only the victims readers and the file's designees open identities");
    }
    if (!file.identity_item) return NotFound("no identity is recorded for this file");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    auto text = vault_.Open(c, *file.identity_item, *key);
    if (!text.ok()) {
      if (text.status().code() == ErrorCode::kNotFound) {
        return PermissionDenied("you hold no key for this identity");
      }
      return text.status();
    }
    boost::system::error_code ec;
    const auto value = json::parse(*text, ec);
    if (ec || !value.is_object()) return Internal("the sealed identity is not an object");
    const auto& object = value.as_object();
    out = {StringAt(object, "name"), StringAt(object, "contacts"), StringAt(object, "address"),
           StringAt(object, "guardian_name"), StringAt(object, "guardian_contact")};
    return Audit(c, caller, id, "assistance.identity.reveal", info, "{}");
  }));
  return out;
}

// ---- Keeping the identities' keys in line with the sets

Result<IdentitySync> AssistanceService::SyncIdentityReaders(const Principal& caller,
                                                            const RequestInfo& info) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  IdentitySync sync;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    sync = {};
    ASSIGN_OR_RETURN(bool victims_reader,
                     readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
    if (!victims_reader) {
      return PermissionDenied("only a victims reader passes the identities' keys on");
    }
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, intake::kVictimReaderScope));
    ASSIGN_OR_RETURN(auto items, store_.IdentityItems(c));
    for (const auto& [file_id, item] : items) {
      std::set<std::int64_t> wanted(victims.begin(), victims.end());
      ASSIGN_OR_RETURN(auto designees, store_.Designees(c, file_id));
      for (const auto& d : designees) wanted.insert(d.user_id);
      ASSIGN_OR_RETURN(auto holders, vault_.Readers(c, item));
      const std::set<std::int64_t> held(holders.begin(), holders.end());
      for (std::int64_t holder : held) {
        if (wanted.count(holder)) continue;
        RETURN_IF_ERROR(vault_.Revoke(c, item, holder));
        ++sync.revoked;
      }
      bool opens = true;
      for (std::int64_t reader : wanted) {
        if (held.count(reader) || !opens) continue;
        auto done = vault_.Grant(c, item, *key, reader);
        if (done.ok()) {
          ++sync.granted;
        } else if (done.code() == ErrorCode::kNotFound ||
                   done.code() == ErrorCode::kPermissionDenied) {
          opens = false;  // her key does not open this one: leave it for a reader whose does
          ++sync.unopened;
        } else {
          return done;
        }
      }
    }
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "assistance.readers.sync";
    event.object_type = "assistance";
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{
        {"granted", sync.granted}, {"revoked", sync.revoked}, {"unopened", sync.unopened}});
    return audit_.Append(c, event);
  }));
  return sync;
}

Result<std::int64_t> AssistanceService::RevokeFormerVictimsReader(std::int64_t user,
                                                                  const std::string& by) {
  std::int64_t revoked = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    revoked = 0;
    ASSIGN_OR_RETURN(bool still, readers_.IsReader(c, intake::kVictimReaderScope, user));
    if (still) return Status::Ok();
    ASSIGN_OR_RETURN(auto items, store_.IdentityItems(c));
    for (const auto& [file_id, item] : items) {
      ASSIGN_OR_RETURN(bool designee, store_.IsDesignee(c, file_id, user));
      if (designee) continue;
      ASSIGN_OR_RETURN(auto holders, vault_.Readers(c, item));
      if (std::find(holders.begin(), holders.end(), user) == holders.end()) continue;
      RETURN_IF_ERROR(vault_.Revoke(c, item, user));
      ++revoked;
    }
    security::AuditEvent event;
    event.actor = by;
    event.action = "assistance.readers.revoke";
    event.object_type = "assistance";
    event.details = json::serialize(json::object{{"user_id", user}, {"revoked", revoked}});
    return audit_.Append(c, event);
  }));
  return revoked;
}

Result<std::vector<std::int64_t>> AssistanceService::IdentityItemsForReaders(Connection& c) const {
  ASSIGN_OR_RETURN(auto items, store_.IdentityItems(c));
  std::vector<std::int64_t> out;
  out.reserve(items.size());
  for (const auto& entry : items) out.push_back(entry.second);
  return out;
}

Result<std::vector<std::int64_t>> AssistanceService::IdentityItemsHeldBy(Connection& c,
                                                                         std::int64_t user) const {
  return store_.IdentityItemsOfDesignee(c, user);
}

Result<std::vector<std::int64_t>> AssistanceService::FilesOfDesignee(Connection& c,
                                                                     std::int64_t user) const {
  return store_.FilesOfDesignee(c, user);
}

// ---- Cases

Result<FileView> AssistanceService::LinkCase(const Principal& caller, std::int64_t id,
                                             std::int64_t case_id, const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto units, cases_.UnitsForAccess(caller));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadFor(c, caller, id, true).status());
    ASSIGN_OR_RETURN(auto check, cases_.AccessToCase(c, caller, case_id, units));
    if (check.access == cases::CaseAccess::kNone) {
      return Unprocessable("no such case that you see", "case_id");
    }
    RETURN_IF_ERROR(
        store_.LinkCase(c, id, {case_id, caller.username, clock_.Now(), caller.user_id}));
    return Audit(c, caller, id, "assistance.case.link", info,
                 json::serialize(json::object{{"case_id", case_id}}));
  }));
  return ViewAfter(caller, id);
}

Result<FileView> AssistanceService::UnlinkCase(const Principal& caller, std::int64_t id,
                                               std::int64_t case_id, const RequestInfo& info) {
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadFor(c, caller, id, true).status());
    ASSIGN_OR_RETURN(bool removed, store_.UnlinkCase(c, id, case_id));
    if (!removed) return NotFound("the file is not linked to this case");
    return Audit(c, caller, id, "assistance.case.unlink", info,
                 json::serialize(json::object{{"case_id", case_id}}));
  }));
  return ViewAfter(caller, id);
}

Result<std::int64_t> AssistanceService::PurgeCase(Connection& c, std::int64_t case_id) const {
  return store_.UnlinkCaseEverywhere(c, case_id);
}

// ---- Designees

Result<FileView> AssistanceService::Designate(const Principal& caller, std::int64_t id,
                                              std::int64_t user, const RequestInfo& info,
                                              bool provider_case_manager) {
  ASSIGN_OR_RETURN(StaffMember member, Designable(user, provider_case_manager));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, true));
    RETURN_IF_ERROR(
        store_.AddDesignee(c, id, {member.id, member.username, caller.username, clock_.Now()}));
    bool granted = false;
    if (file.identity_item) {
      const auto key = keyring_.Get(caller.session_id);
      if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
      auto done = vault_.Grant(c, *file.identity_item, *key, member.id);
      if (!done.ok()) {
        if (done.code() == ErrorCode::kNotFound || done.code() == ErrorCode::kPermissionDenied) {
          return PermissionDenied(
              "your key does not open this identity: a victims reader must designate");
        }
        return done;
      }
      granted = true;
    }
    if (!designee_hooks_.empty()) {
      const auto key = keyring_.Get(caller.session_id);
      if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
      DesigneeChange change;
      change.file_id = id;
      change.user = member.id;
      change.key = &*key;
      change.partner = member.role == Role::kProviderCaseManager;
      for (const auto& hook : designee_hooks_) RETURN_IF_ERROR(hook(c, change));
    }
    return Audit(c, caller, id, "assistance.designee.add", info,
                 json::serialize(json::object{{"user_id", member.id}, {"granted", granted}}));
  }));
  return ViewAfter(caller, id);
}

Result<FileView> AssistanceService::Undesignate(const Principal& caller, std::int64_t id,
                                                std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, false));
    ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, id));
    if (access != Access::kWork) {
      return PermissionDenied("only the Victims' Rights Advocate changes a file");
    }
    ASSIGN_OR_RETURN(bool removed, store_.RemoveDesignee(c, id, user));
    if (!removed) return NotFound("this person is not designated for the file");
    ASSIGN_OR_RETURN(bool victims_reader, readers_.IsReader(c, intake::kVictimReaderScope, user));
    bool revoked = false;
    if (file.identity_item && !victims_reader) {
      RETURN_IF_ERROR(vault_.Revoke(c, *file.identity_item, user));
      revoked = true;
    }
    DesigneeChange change;
    change.file_id = id;
    change.user = user;
    change.victims_reader = victims_reader;
    for (const auto& hook : designee_hooks_) RETURN_IF_ERROR(hook(c, change));
    return Audit(c, caller, id, "assistance.designee.remove", info,
                 json::serialize(json::object{{"user_id", user}, {"revoked", revoked}}));
  }));
  return ViewAfter(caller, id);
}

// ---- Consents

Result<Consent> AssistanceService::AddConsent(const Principal& caller, std::int64_t id,
                                              const NewConsent& request, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckOneOf(kConsentScopes, request.scope, "scope"));
  RETURN_IF_ERROR(CheckOneOf(kConsentMeans, request.means, "means"));
  RETURN_IF_ERROR(CheckOneOf(kConsentGivers, request.given_by, "given_by"));
  RETURN_IF_ERROR(CheckText(request.with_whom, 500, "with_whom", false));
  RETURN_IF_ERROR(CheckText(request.guardian, 100, "guardian", false));
  RETURN_IF_ERROR(CheckText(request.notes, 2000, "notes", false));
  if (request.provider_id && request.scope != "referral" &&
      request.scope != "information_sharing") {
    return InvalidArgument("provider_id is for a referral or an information sharing",
                           "provider_id");
  }
  if (!request.with_whom.empty() && request.scope != "information_sharing") {
    return InvalidArgument("with_whom is for an information sharing", "with_whom");
  }
  if (request.scope == "contact") {
    if (request.channel.empty()) {
      return Unprocessable("say by which channel the victim may be contacted", "channel");
    }
    RETURN_IF_ERROR(CheckOneOf(kContactChannels, request.channel, "channel"));
  } else if (!request.channel.empty()) {
    return InvalidArgument("channel is for a consent to be contacted", "channel");
  }
  if (request.scope == "information_sharing" && !request.provider_id && request.with_whom.empty()) {
    return Unprocessable("say with whom the information may be shared", "with_whom");
  }
  if (request.given_by == "guardian" && request.guardian.empty()) {
    return Unprocessable("say which guardian gave the consent (mother, father, ...)", "guardian");
  }
  if (request.given_by == "victim" && !request.guardian.empty()) {
    return InvalidArgument("guardian is for a consent a guardian gave", "guardian");
  }
  UnixMillis given_at = clock_.Now();
  if (!request.given_at.empty()) {
    ASSIGN_OR_RETURN(given_at, ParseTime(request.given_at, "given_at", false));
  }
  std::optional<UnixMillis> expires_at;
  if (!request.expires_at.empty()) {
    ASSIGN_OR_RETURN(expires_at, ParseTime(request.expires_at, "expires_at", true));
    if (*expires_at <= given_at) {
      return Unprocessable("expires_at must come after given_at", "expires_at");
    }
  }
  Consent consent;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, true));
    if (file.age_group == "minor" && request.given_by != "guardian") {
      return Unprocessable("the victim is a child: the consent is the guardian's", "guardian");
    }
    consent.file_id = id;
    consent.scope = request.scope;
    consent.provider_id = request.provider_id;
    consent.with_whom = request.with_whom;
    consent.channel = request.channel;
    consent.given_at = given_at;
    consent.means = request.means;
    consent.given_by = request.given_by;
    consent.guardian = request.guardian;
    consent.expires_at = expires_at;
    consent.notes = request.notes;
    consent.recorded_by = caller.user_id;
    consent.recorded_by_username = caller.username;
    consent.recorded_at = clock_.Now();
    ASSIGN_OR_RETURN(consent.id, store_.InsertConsent(c, consent));
    return Audit(
        c, caller, id, "assistance.consent.add", info,
        json::serialize(json::object{
            {"consent_id", consent.id}, {"scope", consent.scope}, {"given_by", consent.given_by}}));
  }));
  return consent;
}

Result<Consent> AssistanceService::WithdrawConsent(const Principal& caller, std::int64_t id,
                                                   std::int64_t consent_id, const std::string& at,
                                                   const std::string& note,
                                                   const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(note, 2000, "note", false));
  UnixMillis withdrawn_at = clock_.Now();
  if (!at.empty()) {
    ASSIGN_OR_RETURN(withdrawn_at, ParseTime(at, "withdrawn_at", false));
  }
  Consent consent;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    // A closed file still takes a withdrawal: the victim's word ends the consent at once.
    ASSIGN_OR_RETURN(auto file, LoadFor(c, caller, id, false));
    ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, id));
    if (access != Access::kWork) {
      return PermissionDenied("only the Victims' Rights Advocate records a withdrawal");
    }
    ASSIGN_OR_RETURN(auto found, store_.FindConsent(c, id, consent_id));
    if (!found) return NotFound("no such consent");
    consent = std::move(*found);
    if (consent.withdrawn_at) return Conflict("the consent was withdrawn already", "withdrawn_at");
    if (withdrawn_at < consent.given_at) {
      return Unprocessable("a consent cannot be withdrawn before it was given", "withdrawn_at");
    }
    consent.withdrawn_at = withdrawn_at;
    consent.withdrawn_by = caller.user_id;
    consent.withdrawn_by_username = caller.username;
    consent.withdrawal_note = note;
    ASSIGN_OR_RETURN(bool stored, store_.WithdrawConsent(c, consent));
    if (!stored) return Conflict("the consent was withdrawn already", "withdrawn_at");
    return Audit(c, caller, id, "assistance.consent.withdraw", info,
                 json::serialize(json::object{{"consent_id", consent_id}}));
  }));
  return consent;
}

Result<ConsentDecision> AssistanceService::ConsentFor(Connection& c, std::int64_t file_id,
                                                      ConsentQuery query) const {
  ASSIGN_OR_RETURN(auto file, store_.FindFile(c, file_id));
  if (!file) return NotFound("no such assistance file");
  query.minor = file->age_group == "minor";
  ASSIGN_OR_RETURN(auto consents, store_.Consents(c, file_id));
  return DecideConsent(consents, query);
}

Result<ConsentDecision> AssistanceService::CheckConsent(const Principal& caller, std::int64_t id,
                                                        ConsentQuery query) {
  RETURN_IF_ERROR(CheckOneOf(kConsentScopes, query.scope, "scope"));
  if (!query.channel.empty())
    RETURN_IF_ERROR(CheckOneOf(kContactChannels, query.channel, "channel"));
  if (query.at == 0) query.at = clock_.Now();
  ConsentDecision decision;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadFor(c, caller, id, false).status());
    ASSIGN_OR_RETURN(decision, ConsentFor(c, id, query));
    return Status::Ok();
  }));
  return decision;
}

// ---- Needs

Result<NeedView> AssistanceService::AddNeed(const Principal& caller, std::int64_t id,
                                            const NewNeed& request, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckOneOf(kNeedTypes, request.type, "type"));
  RETURN_IF_ERROR(CheckOneOf(kUrgencies, request.urgency, "urgency"));
  RETURN_IF_ERROR(CheckText(request.notes, 4000, "notes", false));
  if (request.after_rape && request.type != "medical") {
    return Unprocessable("after_rape is for a medical need (post-exposure care)", "after_rape");
  }
  std::optional<UnixMillis> incident_at;
  if (!request.incident_at.empty()) {
    ASSIGN_OR_RETURN(incident_at, ParseTime(request.incident_at, "incident_at", false));
  }
  Need need;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadFor(c, caller, id, true).status());
    const UnixMillis now = clock_.Now();
    need.file_id = id;
    need.type = request.type;
    need.urgency = request.urgency;
    need.notes = request.notes;
    need.status = "open";
    need.after_rape = request.after_rape;
    need.incident_at = incident_at;
    need.assessed_at = now;
    need.assessed_by = caller.user_id;
    need.assessed_by_username = caller.username;
    need.updated_at = now;
    ASSIGN_OR_RETURN(need.id, store_.InsertNeed(c, need));
    return Audit(c, caller, id, "assistance.need.add", info,
                 json::serialize(json::object{{"need_id", need.id}, {"type", need.type}}));
  }));
  return NeedView{need, PepWindowOf(need, clock_.Now())};
}

Result<NeedView> AssistanceService::UpdateNeed(const Principal& caller, std::int64_t id,
                                               std::int64_t need_id, const NeedPatch& patch,
                                               const RequestInfo& info) {
  if (patch.urgency) RETURN_IF_ERROR(CheckOneOf(kUrgencies, *patch.urgency, "urgency"));
  if (patch.notes) RETURN_IF_ERROR(CheckText(*patch.notes, 4000, "notes", false));
  if (patch.status && *patch.status != "met" && *patch.status != "closed") {
    return InvalidArgument("status must be met or closed", "status");
  }
  std::optional<std::optional<UnixMillis>> incident_at;
  if (patch.incident_at) {
    if (patch.incident_at->empty()) {
      incident_at = std::optional<UnixMillis>();
    } else {
      ASSIGN_OR_RETURN(auto parsed, ParseTime(*patch.incident_at, "incident_at", false));
      incident_at = parsed;
    }
  }
  Need need;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadFor(c, caller, id, true).status());
    ASSIGN_OR_RETURN(auto found, store_.FindNeed(c, id, need_id));
    if (!found) return NotFound("no such need");
    need = std::move(*found);
    if (need.status != "open") return Conflict("the need is " + need.status, "status");
    const UnixMillis now = clock_.Now();
    if (patch.urgency) need.urgency = *patch.urgency;
    if (patch.notes) need.notes = *patch.notes;
    if (patch.after_rape) need.after_rape = *patch.after_rape;
    if (incident_at) need.incident_at = *incident_at;
    if (need.after_rape && need.type != "medical") {
      return Unprocessable("after_rape is for a medical need (post-exposure care)", "after_rape");
    }
    if (patch.status) {
      need.status = *patch.status;
      need.closed_at = now;
      need.closed_by_username = caller.username;
    }
    need.updated_at = now;
    RETURN_IF_ERROR(store_.UpdateNeed(c, need));
    return Audit(c, caller, id, "assistance.need.update", info,
                 json::serialize(json::object{{"need_id", need.id}, {"status", need.status}}));
  }));
  return NeedView{need, PepWindowOf(need, clock_.Now())};
}

}  // namespace psea::assistance
