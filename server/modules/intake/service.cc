#include "modules/intake/service.h"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdio>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/address.h"
#include "core/log.h"
#include "core/utf8.h"
#include "modules/intake/content_type.h"
#include "modules/intake/countries.h"
#include "modules/intake/receipt.h"
#include "security/password.h"

namespace psea::intake {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using storage::Connection;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
// A receipt code stops working this long after its complaint was closed.
constexpr std::int64_t kReceiptLifeAfterClosing = 180 * kDay;
constexpr std::size_t kMaxNarrativeBytes = 20000;
constexpr std::size_t kMaxMessageBytes = 4000;
constexpr std::size_t kMaxPeople = 50;

Status CheckText(std::string_view text, std::size_t max_bytes, const std::string& field) {
  if (text.size() > max_bytes) {
    return InvalidArgument(field + " is longer than " + std::to_string(max_bytes) + " bytes",
                           field);
  }
  if (!IsValidUtf8(text)) return InvalidArgument(field + " is not valid UTF-8 text", field);
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      return InvalidArgument(field + " holds a control character", field);
    }
  }
  return Status::Ok();
}

Status CheckOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value,
                  const std::string& field) {
  if (IsOneOf(vocabulary, value)) return Status::Ok();
  std::string allowed;
  for (auto item : vocabulary) allowed += (allowed.empty() ? "" : ", ") + std::string(item);
  return Unprocessable(field + " must be one of: " + allowed, field);
}

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckIncidentDate(const std::string& precision, const std::string& date) {
  const std::string field = "incident_date";
  if (precision == "unknown") {
    if (!date.empty()) return InvalidArgument("an unknown date takes no incident_date", field);
    return Status::Ok();
  }
  // exact: YYYY-MM-DD; month: YYYY-MM; approximate: YYYY-MM or YYYY.
  const bool year_ok = date.size() >= 4 && IsDigits(date.substr(0, 4));
  const int year = year_ok ? std::stoi(date.substr(0, 4)) : 0;
  int month = 0, day = 0;
  if (date.size() >= 7) {
    month = date[4] == '-' && IsDigits(date.substr(5, 2)) ? std::stoi(date.substr(5, 2)) : 0;
  }
  if (date.size() == 10) {
    day = date[7] == '-' && IsDigits(date.substr(8, 2)) ? std::stoi(date.substr(8, 2)) : 0;
  }
  const bool month_ok = month >= 1 && month <= 12;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const bool day_ok =
      month_ok && day >= 1 && day <= (month == 2 ? (leap ? 29 : 28) : kDays[month - 1]);
  bool ok = false;
  if (precision == "exact") ok = date.size() == 10 && year_ok && day_ok;
  if (precision == "month") ok = date.size() == 7 && year_ok && month_ok;
  if (precision == "approximate") {
    ok = (date.size() == 4 && year_ok) || (date.size() == 7 && year_ok && month_ok);
  }
  if (!ok || year < 1990) {
    return InvalidArgument(
        "incident_date must be YYYY-MM-DD (exact), YYYY-MM (month) or YYYY / YYYY-MM "
        "(approximate), from 1990",
        field);
  }
  return Status::Ok();
}

std::string StringAt(const json::object& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end() || !found->value().is_string()) return "";
  return std::string(found->value().as_string());
}

json::array StringsJson(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

std::vector<std::string> StringsAt(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  auto found = object.find(key);
  if (found == object.end() || !found->value().is_array()) return out;
  for (const auto& item : found->value().as_array()) {
    out.push_back(item.is_string() ? std::string(item.as_string()) : "");
  }
  return out;
}

std::string IdentifyingJson(const Identifying& id) {
  return json::serialize(json::object{
      {"reporter_name", id.reporter_name},
      {"reporter_phone", id.reporter_phone},
      {"reporter_email", id.reporter_email},
      {"reporter_address", id.reporter_address},
      {"narrative", id.narrative},
      {"victim_names", StringsJson(id.victim_names)},
      {"victim_pregnant", StringsJson(id.victim_pregnant)},
      {"victim_child_born", StringsJson(id.victim_child_born)},
      {"perpetrator_names", StringsJson(id.perpetrator_names)},
      {"perpetrator_descriptions", StringsJson(id.perpetrator_descriptions)},
      {"place_text", id.place_text},
  });
}

Identifying ParseIdentifying(const std::string& text) {
  Identifying out;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return out;
  const auto& object = value.as_object();
  out.reporter_name = StringAt(object, "reporter_name");
  out.reporter_phone = StringAt(object, "reporter_phone");
  out.reporter_email = StringAt(object, "reporter_email");
  out.reporter_address = StringAt(object, "reporter_address");
  out.narrative = StringAt(object, "narrative");
  out.victim_names = StringsAt(object, "victim_names");
  out.victim_pregnant = StringsAt(object, "victim_pregnant");
  out.victim_child_born = StringsAt(object, "victim_child_born");
  out.perpetrator_names = StringsAt(object, "perpetrator_names");
  out.perpetrator_descriptions = StringsAt(object, "perpetrator_descriptions");
  out.place_text = StringAt(object, "place_text");
  return out;
}

// Derives what the form leaves implicit: the age group from the age, a minor makes the
// complaint a child's, empty vocabularies become "unknown".
void NormaliseFacts(NewComplaint& n) {
  for (auto& victim : n.victims) {
    if (victim.age && (victim.age_group.empty() || victim.age_group == "unknown")) {
      victim.age_group = *victim.age < 18 ? "minor" : "adult";
    }
    if (victim.sex.empty()) victim.sex = "unknown";
    if (victim.age_group.empty()) victim.age_group = "unknown";
    if (victim.referral_consent.empty()) victim.referral_consent = "unknown";
    if (victim.age_group == "minor") n.risk_child = true;
  }
  for (auto& perpetrator : n.perpetrators) {
    if (perpetrator.category.empty()) perpetrator.category = "unknown";
    if (perpetrator.identified.empty()) perpetrator.identified = "unknown";
  }
}

// The facts of a stored complaint in the shape intake checks.
NewComplaint AsNew(const Complaint& c) {
  NewComplaint n;
  n.channel = c.channel;
  n.received_at = c.received_at;
  n.reporter_relation = c.reporter_relation;
  n.anonymous = c.anonymous;
  n.contact_consent = c.contact_consent;
  n.contact_method = c.contact_method;
  n.language = c.language;
  n.prefecture = c.prefecture;
  n.sub_prefecture = c.sub_prefecture;
  n.town = c.town;
  n.incident_date_precision = c.incident_date_precision;
  n.incident_date = c.incident_date;
  n.victims = c.victims;
  n.perpetrators = c.perpetrators;
  n.risk_child = c.risk_child;
  n.risk_danger = c.risk_danger;
  n.risk_medical = c.risk_medical;
  n.cbcm_name = c.cbcm_name;
  n.site = c.site;
  return n;
}

bool IsOpen(ComplaintStatus status) {
  return status == ComplaintStatus::kNew || status == ComplaintStatus::kAcknowledged ||
         status == ComplaintStatus::kAssessing || status == ComplaintStatus::kReadyForCase;
}

// The key that opens the reporter's mailbox: derived from the receipt code, which only the
// reporter holds.
std::string MailboxKey(std::string_view canonical_code) {
  return security::HmacSha256(canonical_code, "psea-reporter-mailbox");
}

}  // namespace

// The victim part (defined with the Victims' Rights Advocate's view below).
VictimIdentifying VictimPartOf(const Complaint& complaint, const Identifying& id);
std::string VictimPartJson(const VictimIdentifying& v);
VictimIdentifying ParseVictimPart(const std::string& text);

IntakeService::IntakeService(storage::Database& database, const Clock& clock,
                             const security::AuditLog& audit, const security::Vault& vault,
                             const security::KeyRing& keyring, security::SecretBytes server_key,
                             StaffDirectory staff, IntakeSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      server_key_(std::move(server_key)),
      staff_(std::move(staff)),
      settings_(settings),
      dummy_receipt_hash_([] {
        auto hash = security::HashPassword(NewReceiptCode(), ReceiptHashCost());
        return hash.ok() ? *hash : std::string();
      }()) {}

Status IntakeService::Audit(Connection& c, const std::optional<Principal>& actor,
                            std::string action, std::int64_t complaint_id, const RequestInfo& info,
                            std::string details) const {
  security::AuditEvent event;
  if (actor) {
    event.actor_user_id = actor->user_id;
    event.actor = actor->username;
  } else {
    event.actor = "reporter";
  }
  event.action = std::move(action);
  event.object_type = "complaint";
  event.object_id = std::to_string(complaint_id);
  event.request_id = info.request_id;
  event.details = std::move(details);
  return audit_.Append(c, event);
}

// ---- Readers

Result<std::vector<std::int64_t>> IntakeService::SealingReaders(Connection& c) {
  // Read inside the transaction that seals, so that a reader removed (or an account disabled)
  // in a transaction that committed first never receives the new item.
  ASSIGN_OR_RETURN(auto readers, readers_.Ids(c, kReaderScope));
  if (readers.empty()) {
    ASSIGN_OR_RETURN(bool recovery, vault_.HasRecoveryKey(c));
    if (recovery) return readers;  // sealed for the recovery key until a reader exists
    return Unavailable(
        "no intake reader is designated yet: designate one with `psea intake readers add`");
  }
  return readers;
}

Result<std::vector<std::int64_t>> IntakeService::ReaderIds() {
  return database_.Read<std::vector<std::int64_t>>(
      [&](Connection& c) { return readers_.Ids(c, kReaderScope); });
}

Result<bool> IntakeService::IsIntakeReader(Connection& c, const Principal& caller) const {
  if (caller.kind != Principal::Kind::kUser) return false;
  return readers_.IsReader(c, kReaderScope, caller.user_id);
}

Result<std::vector<std::int64_t>> IntakeService::SealedItems(Connection& c) {
  return store_.ListSealedItems(c);
}

std::string_view IntakeService::ScopeOf(ReaderSet set) {
  return set == ReaderSet::kIntake ? kReaderScope : kVictimReaderScope;
}

// What a reader of the set holds: the intake readers hold everything intake seals (the victim
// parts included); the victims readers hold the victim parts only.
Result<std::vector<std::int64_t>> IntakeService::ItemsOf(Connection& c, ReaderSet set) {
  ASSIGN_OR_RETURN(auto victim_items, store_.ListVictimItems(c));
  if (set == ReaderSet::kVictims) {
    for (const auto& source : victim_item_sources_) {
      ASSIGN_OR_RETURN(auto more, source.items(c));
      victim_items.insert(victim_items.end(), more.begin(), more.end());
    }
    return victim_items;
  }
  ASSIGN_OR_RETURN(auto items, SealedItems(c));
  items.insert(items.end(), victim_items.begin(), victim_items.end());
  return items;
}

// Revokes what `user` held as a reader of `set`, keeping what they still hold as a reader of
// the other set.
Status IntakeService::RevokeItems(Connection& c, ReaderSet set, std::int64_t user,
                                  std::int64_t& revoked) {
  ASSIGN_OR_RETURN(auto items, ItemsOf(c, set));
  const ReaderSet other = set == ReaderSet::kIntake ? ReaderSet::kVictims : ReaderSet::kIntake;
  ASSIGN_OR_RETURN(bool keeps, readers_.IsReader(c, ScopeOf(other), user));
  std::set<std::int64_t> kept;
  if (keeps) {
    ASSIGN_OR_RETURN(auto still, ItemsOf(c, other));
    kept.insert(still.begin(), still.end());
  }
  if (set == ReaderSet::kVictims) {
    for (const auto& source : victim_item_sources_) {
      if (!source.held_by) continue;
      ASSIGN_OR_RETURN(auto held, source.held_by(c, user));
      kept.insert(held.begin(), held.end());
    }
  }
  revoked = 0;
  for (std::int64_t item : items) {
    if (kept.count(item)) continue;
    RETURN_IF_ERROR(vault_.Revoke(c, item, user));
    ++revoked;
  }
  return Status::Ok();
}

bool IntakeService::IsEligible(const StaffMember& member, ReaderSet set) {
  if (member.disabled) return false;
  if (set == ReaderSet::kVictims) return member.role == security::Role::kVra;
  return member.role == security::Role::kCdtChief || member.role == security::Role::kCdtOfficer;
}

Result<ReadersOverview> IntakeService::Readers(const Principal& caller, ReaderSet set) {
  RETURN_IF_ERROR(security::Authorize(
      caller, set == ReaderSet::kIntake ? Permission::kIntakeQueue : Permission::kIntakeVictims));
  const std::string_view scope = ScopeOf(set);
  ASSIGN_OR_RETURN(auto staff, staff_());
  ReadersOverview out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto entries, readers_.List(c, scope));
    std::set<std::int64_t> ids;
    for (auto& entry : entries) {
      ids.insert(entry.user_id);
      ReaderView view;
      view.entry = std::move(entry);
      for (const auto& member : staff) {
        if (member.id != view.entry.user_id) continue;
        view.username = member.username;
        view.display_name = member.display_name;
        view.role = member.role;
      }
      out.readers.push_back(std::move(view));
    }
    out.caller_is_reader = ids.count(caller.user_id) > 0;
    for (const auto& member : staff) {
      if (!ids.count(member.id) && IsEligible(member, set)) out.eligible.push_back(member);
    }
    ASSIGN_OR_RETURN(out.changes, readers_.Changes(c, scope, 50));
    if (out.caller_is_reader) {
      ASSIGN_OR_RETURN(out.unseen_changes, readers_.UnseenChanges(c, scope, caller.user_id));
    }
    return Status::Ok();
  }));
  return out;
}

bool IntakeService::IsEligibleReader(const StaffMember& member) {
  return IsEligible(member, ReaderSet::kIntake);
}

Result<StaffMember> IntakeService::EligibleMember(std::int64_t user, ReaderSet set) {
  ASSIGN_OR_RETURN(auto staff, staff_());
  auto member =
      std::find_if(staff.begin(), staff.end(), [&](const StaffMember& m) { return m.id == user; });
  if (member == staff.end()) return InvalidArgument("no such user", "user_id");
  if (!IsEligible(*member, set)) {
    return Unprocessable(member->username + (set == ReaderSet::kIntake
                                                 ? " is not an active CDT chief or CDT officer"
                                                 : " is not an active Victims' Rights Advocate"),
                         "user_id");
  }
  return *member;
}

// Intake readers are changed by an intake reader who is a chief; victims readers by a victims
// reader. Both with the step-up.
Status IntakeService::CheckReaderChange(const Principal& chief,
                                        const std::optional<security::StepUpProof>& proof,
                                        const RequestInfo& info, ReaderSet set) {
  RETURN_IF_ERROR(security::Authorize(
      chief, set == ReaderSet::kIntake ? Permission::kIntakeReaders : Permission::kIntakeVictims));
  ASSIGN_OR_RETURN(bool reader, database_.Read<bool>([&](Connection& c) {
    return readers_.IsReader(c, ScopeOf(set), chief.user_id);
  }));
  if (!reader) {
    return PermissionDenied(set == ReaderSet::kIntake
                                ? "only an intake reader may change the intake readers"
                                : "only a victims reader may change the victims readers");
  }
  if (!proof) {
    return Status(ErrorCode::kInvalidCredentials,
                  "enter your password and a fresh 2FA code to confirm this change",
                  "current_password");
  }
  if (!settings_.verify_step_up) return Internal("no step-up verifier is configured");
  return settings_.verify_step_up(chief, *proof, info.remote_address, info.request_id);
}

Status IntakeService::AuditReaderChange(Connection& c, const std::optional<Principal>& actor,
                                        std::string action, const StaffMember& member,
                                        const RequestInfo& info, std::int64_t items,
                                        ReaderSet set) const {
  security::AuditEvent event;
  if (actor) {
    event.actor_user_id = actor->user_id;
    event.actor = actor->username;
  } else {
    event.actor = "cli";
  }
  event.action = std::move(action);
  event.object_type = "user";
  event.object_id = std::to_string(member.id);
  event.request_id = info.request_id;
  event.details = json::serialize(json::object{{"scope", ScopeOf(set)}, {"items", items}});
  return audit_.Append(c, event);
}

void IntakeService::Announce(std::string_view change, const StaffMember& member,
                             std::string_view by, ReaderSet set) {
  if (!settings_.on_readers_changed) return;
  security::ReaderChange announced;
  announced.scope = std::string(ScopeOf(set));
  announced.kind =
      change == "added" ? security::ReaderChangeKind::kAdded : security::ReaderChangeKind::kRemoved;
  announced.user_id = member.id;
  announced.username = member.username;
  announced.by_name = std::string(by);
  announced.at = clock_.Now();
  settings_.on_readers_changed(announced);
}

Status IntakeService::AddReader(const Principal& chief, std::int64_t user,
                                const std::optional<security::StepUpProof>& proof,
                                const RequestInfo& info, ReaderSet set) {
  RETURN_IF_ERROR(CheckReaderChange(chief, proof, info, set));
  ASSIGN_OR_RETURN(StaffMember member, EligibleMember(user, set));
  auto key = keyring_.Get(chief.session_id);
  if (!key) return PermissionDenied("unlock your vault (sign in again) to add a reader");
  std::int64_t granted = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    granted = 0;
    RETURN_IF_ERROR(readers_.Add(c, ScopeOf(set), member.id, member.username, chief.user_id,
                                 chief.username, clock_.Now()));
    // The new reader receives every earlier item, from the adder's own key. Items the adder
    // cannot open (sealed before their key was reset) are left alone: `psea intake readers add`
    // with the recovery key, or `psea vault recover-user`, re-wraps them.
    ASSIGN_OR_RETURN(auto items, ItemsOf(c, set));
    for (std::int64_t item : items) {
      auto done = vault_.Grant(c, item, *key, member.id);
      if (done.ok()) {
        ++granted;
      } else if (done.code() != ErrorCode::kNotFound &&
                 done.code() != ErrorCode::kPermissionDenied) {
        return done;
      }
    }
    return AuditReaderChange(c, chief, "intake.readers.add", member, info, granted, set);
  }));
  Announce("added", member, chief.username, set);
  return Status::Ok();
}

Status IntakeService::RemoveReader(const Principal& chief, std::int64_t user,
                                   const std::optional<security::StepUpProof>& proof,
                                   const RequestInfo& info, ReaderSet set) {
  RETURN_IF_ERROR(CheckReaderChange(chief, proof, info, set));
  ASSIGN_OR_RETURN(auto staff, staff_());
  StaffMember member;
  member.id = user;
  for (const auto& candidate : staff) {
    if (candidate.id == user) member = candidate;
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(readers_.Remove(c, ScopeOf(set), user, member.username, chief.user_id,
                                    chief.username, clock_.Now()));
    std::int64_t revoked = 0;
    RETURN_IF_ERROR(RevokeItems(c, set, user, revoked));
    return AuditReaderChange(c, chief, "intake.readers.remove", member, info, revoked, set);
  }));
  Announce("removed", member, chief.username, set);
  return Status::Ok();
}

Status IntakeService::MarkReaderChangesSeen(const Principal& caller, std::int64_t up_to) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  return database_.WriteTransaction(
      [&](Connection& c) { return readers_.MarkSeen(c, kReaderScope, caller.user_id, up_to); });
}

Result<StaffMember> IntakeService::MemberByName(const std::string& username) {
  ASSIGN_OR_RETURN(auto staff, staff_());
  for (const auto& member : staff) {
    if (member.username == username) return member;
  }
  return NotFound("no user is called " + username);
}

Result<std::int64_t> IntakeService::AddReaderFromConsole(const std::string& username,
                                                         std::string_view recovery_key,
                                                         const RequestInfo& info, ReaderSet set) {
  ASSIGN_OR_RETURN(StaffMember found, MemberByName(username));
  ASSIGN_OR_RETURN(StaffMember member, EligibleMember(found.id, set));
  std::int64_t granted = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        readers_.Add(c, ScopeOf(set), member.id, member.username, 0, "console", clock_.Now()));
    ASSIGN_OR_RETURN(auto items, ItemsOf(c, set));
    ASSIGN_OR_RETURN(granted, vault_.GrantFromRecovery(c, items, recovery_key, member.id));
    return AuditReaderChange(c, std::nullopt, "intake.readers.add", member, info, granted, set);
  }));
  Announce("added", member, "console", set);
  return granted;
}

Status IntakeService::RemoveReaderFromConsole(const std::string& username, const RequestInfo& info,
                                              ReaderSet set) {
  ASSIGN_OR_RETURN(StaffMember member, MemberByName(username));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        readers_.Remove(c, ScopeOf(set), member.id, member.username, 0, "console", clock_.Now()));
    std::int64_t revoked = 0;
    RETURN_IF_ERROR(RevokeItems(c, set, member.id, revoked));
    return AuditReaderChange(c, std::nullopt, "intake.readers.remove", member, info, revoked, set);
  }));
  Announce("removed", member, "console", set);
  return Status::Ok();
}

Result<std::vector<security::ReaderEntry>> IntakeService::ListReadersForConsole(ReaderSet set) {
  return database_.Read<std::vector<security::ReaderEntry>>(
      [&](Connection& c) { return readers_.List(c, ScopeOf(set)); });
}

// ---- Submission

Status IntakeService::Validate(const NewComplaint& n) {
  RETURN_IF_ERROR(CheckOneOf(kReporterRelations, n.reporter_relation, "reporter_relation"));
  RETURN_IF_ERROR(CheckOneOf(kContactMethods, n.contact_method, "contact_method"));
  RETURN_IF_ERROR(CheckOneOf(kLanguages, n.language, "language"));
  RETURN_IF_ERROR(
      CheckOneOf(kDatePrecisions, n.incident_date_precision, "incident_date_precision"));
  RETURN_IF_ERROR(CheckIncidentDate(n.incident_date_precision, n.incident_date));
  RETURN_IF_ERROR(CheckText(n.prefecture, 16, "prefecture"));
  RETURN_IF_ERROR(CheckText(n.sub_prefecture, 16, "sub_prefecture"));
  RETURN_IF_ERROR(CheckText(n.town, 100, "town"));
  if (n.victims.size() > kMaxPeople) return InvalidArgument("at most 50 victims", "victims");
  for (std::size_t i = 0; i < n.victims.size(); ++i) {
    const auto& v = n.victims[i];
    const std::string field = "victims[" + std::to_string(i) + "]";
    if (v.age && (*v.age < 0 || *v.age > 120)) {
      return InvalidArgument(field + ".age must be 0 to 120", field + ".age");
    }
    RETURN_IF_ERROR(CheckOneOf(kAgeGroups, v.age_group, field + ".age_group"));
    RETURN_IF_ERROR(CheckOneOf(kSexes, v.sex, field + ".sex"));
    RETURN_IF_ERROR(CheckOneOf(kYesNoUnknown, v.referral_consent, field + ".referral_consent"));
    if (v.age && v.age_group != (*v.age < 18 ? "minor" : "adult")) {
      return InvalidArgument(field + ".age_group does not match the age", field + ".age_group");
    }
  }
  if (n.perpetrators.size() > kMaxPeople) {
    return InvalidArgument("at most 50 alleged perpetrators", "perpetrators");
  }
  for (std::size_t i = 0; i < n.perpetrators.size(); ++i) {
    const auto& p = n.perpetrators[i];
    const std::string field = "perpetrators[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(CheckOneOf(kPersonnelCategories, p.category, field + ".category"));
    if (!p.nationality.empty() && !IsCountryCode(p.nationality)) {
      return Unprocessable(field + ".nationality must be an ISO 3166-1 alpha-2 country code",
                           field + ".nationality");
    }
    RETURN_IF_ERROR(CheckText(p.unit, 100, field + ".unit"));
    RETURN_IF_ERROR(CheckText(p.rank, 60, field + ".rank"));
    RETURN_IF_ERROR(CheckOneOf(kYesNoUnknown, p.identified, field + ".identified"));
  }
  RETURN_IF_ERROR(CheckText(n.cbcm_name, 100, "cbcm_name"));
  RETURN_IF_ERROR(CheckText(n.site, 16, "site"));
  const Identifying& id = n.identifying;
  RETURN_IF_ERROR(CheckText(id.reporter_name, 200, "reporter_name"));
  RETURN_IF_ERROR(CheckText(id.reporter_phone, 40, "reporter_phone"));
  RETURN_IF_ERROR(CheckText(id.reporter_email, 254, "reporter_email"));
  RETURN_IF_ERROR(CheckText(id.reporter_address, 500, "reporter_address"));
  RETURN_IF_ERROR(CheckText(id.narrative, kMaxNarrativeBytes, "narrative"));
  if (!id.reporter_email.empty() && id.reporter_email.find('@') == std::string::npos) {
    return InvalidArgument("reporter_email is not an e-mail address", "reporter_email");
  }
  if (id.narrative.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("narrative: say what happened", "narrative");
  }
  if (id.victim_names.size() > n.victims.size()) {
    return InvalidArgument("more victim names than victims", "victims");
  }
  if (id.perpetrator_names.size() > n.perpetrators.size() ||
      id.perpetrator_descriptions.size() > n.perpetrators.size()) {
    return InvalidArgument("more perpetrator names or descriptions than perpetrators",
                           "perpetrators");
  }
  if (id.victim_pregnant.size() > n.victims.size() ||
      id.victim_child_born.size() > n.victims.size()) {
    return InvalidArgument("more pregnancy or child-born answers than victims", "victims");
  }
  for (std::size_t i = 0; i < id.victim_pregnant.size(); ++i) {
    RETURN_IF_ERROR(CheckOneOf(kYesNoUnknown, id.victim_pregnant[i],
                               "victims[" + std::to_string(i) + "].pregnant"));
  }
  for (std::size_t i = 0; i < id.victim_child_born.size(); ++i) {
    RETURN_IF_ERROR(CheckOneOf(kYesNoUnknown, id.victim_child_born[i],
                               "victims[" + std::to_string(i) + "].child_born"));
  }
  for (std::size_t i = 0; i < id.victim_names.size(); ++i) {
    RETURN_IF_ERROR(CheckText(id.victim_names[i], 200, "victims[" + std::to_string(i) + "].name"));
  }
  for (std::size_t i = 0; i < id.perpetrator_names.size(); ++i) {
    RETURN_IF_ERROR(
        CheckText(id.perpetrator_names[i], 200, "perpetrators[" + std::to_string(i) + "].name"));
  }
  for (std::size_t i = 0; i < id.perpetrator_descriptions.size(); ++i) {
    RETURN_IF_ERROR(CheckText(id.perpetrator_descriptions[i], 2000,
                              "perpetrators[" + std::to_string(i) + "].description"));
  }
  if (n.anonymous && (!id.reporter_name.empty() || n.reporter_relation != "anonymous")) {
    // An anonymous reporter may still say how they relate; a name makes it not anonymous.
    if (!id.reporter_name.empty()) {
      return InvalidArgument("an anonymous complaint takes no reporter_name", "reporter_name");
    }
  }
  if (n.contact_consent) {
    if (n.contact_method == "none") {
      return InvalidArgument("say how the reporter agrees to be contacted", "contact_method");
    }
    if ((n.contact_method == "phone" || n.contact_method == "sms") && id.reporter_phone.empty()) {
      return InvalidArgument("a phone number is needed to contact by phone or SMS",
                             "reporter_phone");
    }
    if (n.contact_method == "email" && id.reporter_email.empty()) {
      return InvalidArgument("an e-mail address is needed to contact by e-mail", "reporter_email");
    }
  }
  return Status::Ok();
}

Result<Submitted> IntakeService::Store(
    NewComplaint n, std::optional<Principal> actor, const RequestInfo& info,
    const std::function<Status(Connection&, std::int64_t)>& also) {
  NormaliseFacts(n);
  RETURN_IF_ERROR(Validate(n));
  RETURN_IF_ERROR(CheckPlace(n));
  const UnixMillis now = clock_.Now();
  const UnixMillis received_at = n.received_at.value_or(now);
  if (received_at > now + 5 * kMinute) {
    return Unprocessable("received_at is in the future", "received_at");
  }

  const bool staff_actor = actor && actor->kind == Principal::Kind::kUser;

  // The slow work before the write lock: the receipt hash and the reporter's mailbox key.
  const std::string code = NewReceiptCode();
  const std::string canonical = *NormalizeReceiptCode(code);
  ASSIGN_OR_RETURN(std::string receipt_hash, security::HashPassword(canonical, ReceiptHashCost()));
  const std::string locator = ReceiptLocator(server_key_.bytes(), canonical);
  security::KeyPair mailbox = security::GenerateKeyPair();
  ASSIGN_OR_RETURN(std::string mailbox_private,
                   security::Encrypt(MailboxKey(canonical), mailbox.private_key.bytes(), locator));
  const std::string identifying = IdentifyingJson(n.identifying);
  const bool urgent = n.risk_child || n.risk_danger || n.risk_medical;
  Complaint facts;
  facts.reporter_relation = n.reporter_relation;
  const std::string victim_part = VictimPartJson(VictimPartOf(facts, n.identifying));
  const StoredReceipt receipt{locator, receipt_hash, std::string(mailbox.public_key),
                              mailbox_private};
  ComplaintOrigin origin;
  if (staff_actor) {
    origin.user_id = actor->user_id;
    origin.username = actor->username;
  }
  if (actor && actor->kind == Principal::Kind::kToken) origin.partner_token_id = actor->token_id;

  ASSIGN_OR_RETURN(
      std::int64_t id, database_.Write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
        ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
        ASSIGN_OR_RETURN(std::int64_t item,
                         vault_.Seal(c, "intake.complaint", identifying, readers));
        // The victim part, sealed a second time for the intake readers and the victims readers:
        // the server opens it for the Victims' Rights Advocate once the complaint reaches them.
        ASSIGN_OR_RETURN(auto victim_readers, VictimSealingReaders(c, readers));
        ASSIGN_OR_RETURN(std::int64_t victim_item,
                         vault_.Seal(c, "intake.victim_part", victim_part, victim_readers));
        ASSIGN_OR_RETURN(const std::int64_t new_id,
                         store_.InsertComplaint(c, n, origin, received_at, urgent, item,
                                                victim_item, receipt, now));
        if (also) RETURN_IF_ERROR(also(c, new_id));
        RETURN_IF_ERROR(Audit(c, actor, "intake.complaint.create", new_id, info,
                              json::serialize(json::object{{"channel", ChannelName(n.channel)},
                                                           {"urgent", urgent}})));
        return new_id;
      }));

  // What was just written, without reading it back.
  Submitted out;

  Complaint& c = out.complaint;
  c.id = id;
  c.reference = ComplaintReference(id, received_at);
  c.channel = n.channel;
  c.status = ComplaintStatus::kNew;
  c.received_at = received_at;
  if (staff_actor) {
    c.entered_by = actor->user_id;
    c.entered_by_username = actor->username;
  }
  if (actor && actor->kind == Principal::Kind::kToken) c.partner_token_id = actor->token_id;
  c.reporter_relation = n.reporter_relation;
  c.anonymous = n.anonymous;
  c.contact_consent = n.contact_consent;
  c.contact_method = n.contact_method;
  c.language = n.language;
  c.prefecture = n.prefecture;
  c.sub_prefecture = n.sub_prefecture;
  c.town = n.town;
  c.cbcm_name = n.cbcm_name;
  c.site = n.site;
  c.incident_date_precision = n.incident_date_precision;
  c.incident_date = n.incident_date;
  c.victims = n.victims;
  c.perpetrators = n.perpetrators;
  c.risk_child = n.risk_child;
  c.risk_danger = n.risk_danger;
  c.risk_medical = n.risk_medical;
  c.urgent = urgent;
  c.updated_at = now;
  out.receipt_code = code;
  if (urgent && settings_.on_urgent) settings_.on_urgent(out.complaint);
  return out;
}

Result<Submitted> IntakeService::Submit(const Principal& actor, NewComplaint complaint,
                                        const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(actor, Permission::kIntakeSubmit));
  if (complaint.channel == Channel::kWebForm || complaint.channel == Channel::kPartner) {
    return InvalidArgument(
        "staff enter complaints from the hotlines, e-mail, SMS, walk-in, "
        "CBCM or other channels",
        "channel");
  }
  if (actor.role == security::Role::kCbcmFocalPoint) complaint.channel = Channel::kCbcm;
  return Store(std::move(complaint), actor, info);
}

Status IntakeService::CheckRate(Throttle& throttle, const std::string& address, UnixMillis now) {
  const std::string key = ThrottleKey(address);
  std::lock_guard<std::mutex> lock(throttle_mutex_);
  if (!throttle.by_address.WouldAllow(key, now)) {
    return Status(ErrorCode::kRateLimited, "too many attempts; wait a minute and try again")
        .WithRetryAfter(throttle.by_address.SecondsToNextWindow(now));
  }
  if (!throttle.global.WouldAllow(now)) {
    return Status(ErrorCode::kRateLimited,
                  "too many reports reach the server right now; call the hotlines or try again "
                  "in a minute",
                  std::string(kAllReportersField))
        .WithRetryAfter(throttle.global.SecondsToNextWindow(now));
  }
  throttle.by_address.Count(key, now);
  throttle.global.Count(now);
  return Status::Ok();
}

Result<Submitted> IntakeService::SubmitPublic(NewComplaint complaint, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckRate(public_submissions_, info.remote_address, clock_.Now()));
  complaint.channel = Channel::kWebForm;
  complaint.received_at.reset();
  // The town is typed freely on the public form: sealed with the narrative, never in clear.
  if (!complaint.town.empty()) {
    RETURN_IF_ERROR(CheckText(complaint.town, 200, "town"));
    complaint.identifying.place_text = std::move(complaint.town);
    complaint.town.clear();
  }
  return Store(std::move(complaint), std::nullopt, info);
}

Result<Submitted> IntakeService::SubmitPartner(const Principal& token, NewComplaint complaint,
                                               const RequestInfo& info) {
  RETURN_IF_ERROR(security::AuthorizeScope(token, "intake.partner"));
  complaint.channel = Channel::kPartner;
  return Store(std::move(complaint), token, info);
}

Result<std::vector<Complaint>> IntakeService::PartnerSubmissions(const Principal& token) {
  RETURN_IF_ERROR(security::AuthorizeScope(token, "intake.partner"));
  return database_.Read<std::vector<Complaint>>(
      [&](Connection& c) { return store_.ListPartnerComplaints(c, token.token_id); });
}

// ---- Follow-up with a receipt code

Result<std::optional<std::int64_t>> IntakeService::FindByReceipt(const std::string& code) {
  const auto canonical = NormalizeReceiptCode(code);
  // Every path below does one hash verification, found or not, so that timing tells nothing.
  const std::string probe = canonical.value_or(std::string(kReceiptChars, '0'));
  std::optional<ReceiptRecord> row;
  if (canonical) {
    const std::string locator = ReceiptLocator(server_key_.bytes(), *canonical);
    ASSIGN_OR_RETURN(row, database_.Read<std::optional<ReceiptRecord>>(
                              [&](Connection& c) { return store_.FindReceipt(c, locator); }));
  }
  const bool matches =
      security::VerifyPassword(probe, row ? row->hash : dummy_receipt_hash_) && row && canonical;
  if (!matches) return std::optional<std::int64_t>();
  const auto closed_at = row->closed_at;
  if (closed_at && clock_.Now() - *closed_at > kReceiptLifeAfterClosing) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(row->complaint_id);
}

Result<FollowUpView> IntakeService::FollowUp(const std::string& code, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckRate(follow_ups_, info.remote_address, clock_.Now()));
  const Status unknown = NotFound("this receipt code is unknown or has expired");
  ASSIGN_OR_RETURN(auto id, FindByReceipt(code));
  if (!id) return unknown;
  const std::string canonical = *NormalizeReceiptCode(code);
  return database_.Write<FollowUpView>([&](Connection& c) -> Result<FollowUpView> {
    ASSIGN_OR_RETURN(auto row, store_.CountFollowUpView(c, *id));
    if (!row) return unknown;
    // A count, never the address: the CDT sees that a reporter follows the report.
    RETURN_IF_ERROR(Audit(c, std::nullopt, "intake.follow_up.view", *id, info,
                          "{\"views\":" + std::to_string(row->views) + "}"));
    FollowUpView view;
    view.status = PublicStatusOf(row->status);
    if (row->status == ComplaintStatus::kReferred && case_progress_) {
      ASSIGN_OR_RETURN(auto step, case_progress_(c, *id));
      if (step) view.status = *step;
    }
    view.received_at = row->received_at;
    view.code_seen_by_staff =
        (row->entered_by || row->partner_token_id) && !row->receipt_replaced_at;
    ASSIGN_OR_RETURN(
        std::string private_key,
        security::Decrypt(MailboxKey(canonical), row->mailbox_private_sealed, row->locator));
    security::KeyPair mailbox;
    mailbox.private_key = security::SecretBytes(std::move(private_key));
    ASSIGN_OR_RETURN(mailbox.public_key, security::PublicKeyOf(mailbox.private_key.bytes()));
    ASSIGN_OR_RETURN(auto copies, store_.ListReporterCopies(c, *id));
    for (auto& copy : copies) {
      auto text = security::OpenSealed(mailbox, copy.sealed_copy);
      copy.message.text = text.ok() ? *text : "";
      view.messages.push_back(std::move(copy.message));
    }
    return view;
  });
}

Result<std::string> IntakeService::ReplaceReceiptCode(const std::string& code,
                                                      const RequestInfo& info) {
  RETURN_IF_ERROR(CheckRate(follow_ups_, info.remote_address, clock_.Now()));
  ASSIGN_OR_RETURN(auto id, FindByReceipt(code));
  if (!id) return NotFound("this receipt code is unknown or has expired");
  const std::string old_canonical = *NormalizeReceiptCode(code);
  const std::string old_locator = ReceiptLocator(server_key_.bytes(), old_canonical);
  // The slow work before the write lock, as at submission.
  const std::string fresh = NewReceiptCode();
  const std::string canonical = *NormalizeReceiptCode(fresh);
  ASSIGN_OR_RETURN(std::string hash, security::HashPassword(canonical, ReceiptHashCost()));
  const std::string locator = ReceiptLocator(server_key_.bytes(), canonical);
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto row, store_.FindReceiptHolder(c, *id, old_locator));
    if (!row) return NotFound("this receipt code is unknown or has expired");
    if ((!row->entered_by && !row->partner_token_id) || row->receipt_replaced_at) {
      return Conflict("only a code that staff saw can be replaced, once");
    }
    // The reporter's mailbox key moves from the old code to the new one.
    ASSIGN_OR_RETURN(
        std::string private_key,
        security::Decrypt(MailboxKey(old_canonical), row->mailbox_private_sealed, old_locator));
    security::SecretBytes wiped(private_key);
    security::Wipe(private_key);
    ASSIGN_OR_RETURN(std::string sealed,
                     security::Encrypt(MailboxKey(canonical), wiped.bytes(), locator));
    ASSIGN_OR_RETURN(
        bool replaced,
        store_.ReplaceReceipt(c, *id, old_locator, {locator, hash, "", sealed}, clock_.Now()));
    if (!replaced) return Conflict("the code was replaced meanwhile");
    return Audit(c, std::nullopt, "intake.receipt.replaced", *id, info);
  }));
  return fresh;
}

Status IntakeService::ReporterMessage(const std::string& code, const std::string& text,
                                      const RequestInfo& info) {
  RETURN_IF_ERROR(CheckRate(follow_ups_, info.remote_address, clock_.Now()));
  RETURN_IF_ERROR(CheckText(text, kMaxMessageBytes, "message"));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("the message is empty", "message");
  }
  ASSIGN_OR_RETURN(auto id, FindByReceipt(code));
  if (!id) return NotFound("this receipt code is unknown or has expired");
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
    ASSIGN_OR_RETURN(auto mailbox, store_.MailboxPublicKey(c, *id));
    if (!mailbox) return NotFound("this receipt code is unknown or has expired");
    ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.message", text, readers));
    ASSIGN_OR_RETURN(std::string copy, security::SealTo(*mailbox, text));
    RETURN_IF_ERROR(store_.InsertMessage(c, *id, true, std::nullopt, "", clock_.Now(), item, copy));
    RETURN_IF_ERROR(store_.TouchComplaint(c, *id, clock_.Now()));
    return Audit(c, std::nullopt, "intake.message.from_reporter", *id, info);
  });
}

// ---- The queue

Result<Complaint> IntakeService::LoadVisible(Connection& c, const Principal& caller,
                                             std::int64_t id) {
  const Status missing = NotFound("no such complaint");
  const bool all = security::HasPermission(caller, Permission::kIntakeQueue);
  if (!all && !security::HasPermission(caller, Permission::kIntakeSubmit)) {
    return PermissionDenied("your role may not see complaints");
  }
  ASSIGN_OR_RETURN(auto complaint, store_.FindComplaint(c, id));
  if (!complaint) return missing;
  if (!all && complaint->entered_by != caller.user_id) return missing;
  return std::move(*complaint);
}

Result<std::vector<Complaint>> IntakeService::Queue(const Principal& caller,
                                                    const QueueFilter& filter) {
  const bool all = security::HasPermission(caller, Permission::kIntakeQueue);
  if (!all) RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeSubmit));
  QueueFilter bounded = filter;
  bounded.limit = std::clamp(filter.limit, 1, 500);
  bounded.offset = std::max(filter.offset, 0);
  ASSIGN_OR_RETURN(auto places, Places());
  if (!filter.field_office.empty()) {
    bounded.by_sub_prefectures = true;
    bounded.sub_prefectures = SubPrefecturesOf(*places, filter.field_office);
  }
  const std::optional<std::int64_t> entered_by =
      all ? std::nullopt : std::optional<std::int64_t>(caller.user_id);
  ASSIGN_OR_RETURN(auto list, database_.Read<std::vector<Complaint>>([&](Connection& c) {
    return store_.ListComplaints(c, bounded, entered_by);
  }));
  for (auto& complaint : list) {
    complaint.field_office = FieldOfficeOf(*places, complaint.sub_prefecture);
  }
  return list;
}

Result<ComplaintDetail> IntakeService::Get(const Principal& caller, std::int64_t id,
                                           const RequestInfo& info) {
  const auto key = keyring_.Get(caller.session_id);
  ASSIGN_OR_RETURN(auto places, Places());
  ComplaintDetail detail;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(detail.complaint, LoadVisible(c, caller, id));
    detail.complaint.field_office = FieldOfficeOf(*places, detail.complaint.sub_prefecture);
    ASSIGN_OR_RETURN(bool reader, IsIntakeReader(c, caller));
    detail.can_read_identifying = reader;
    // A reader opens identities only with a recent proof of presence: a stolen cookie alone
    // shows the clear half.
    detail.reauth_required = reader && !security::RequireRecentProof(caller, clock_.Now()).ok();
    const bool open = reader && key.has_value() && !detail.reauth_required;
    if (open) {
      auto sealed = vault_.Open(c, detail.complaint.sealed_item, *key);
      if (sealed.ok()) {
        detail.identifying = ParseIdentifying(*sealed);
        detail.identifying_open = true;
      }
    }
    ASSIGN_OR_RETURN(auto messages, store_.ListMessages(c, id));
    for (auto& message : messages) {
      if (open) {
        auto text = vault_.Open(c, message.sealed_item, *key);
        if (text.ok()) message.text = *text;
      }
      detail.messages.push_back(std::move(message));
    }
    ASSIGN_OR_RETURN(auto notes, store_.ListNotes(c, id));
    for (auto& note : notes) {
      if (open) {
        auto text = vault_.Open(c, note.sealed_item, *key);
        if (text.ok()) note.text = *text;
      }
      detail.notes.push_back(std::move(note));
    }
    ASSIGN_OR_RETURN(auto files, store_.ListAttachments(c, id));
    for (auto& file : files) {
      if (open) {
        auto name = vault_.Open(c, file.name_item, *key);
        if (name.ok()) file.attachment.filename = *name;
      }
      detail.attachments.push_back(std::move(file.attachment));
    }
    ASSIGN_OR_RETURN(detail.duplicates, store_.ListDuplicatesOf(c, id));
    ASSIGN_OR_RETURN(detail.history, store_.ListCorrections(c, id));
    for (auto& entry : detail.history) {
      if (!entry.sealed) continue;
      entry.old_json.clear();
      entry.new_json.clear();
      if (!open || entry.sealed_item == 0) continue;
      auto text = vault_.Open(c, entry.sealed_item, *key);
      if (!text.ok()) continue;
      boost::system::error_code ec;
      auto value = json::parse(*text, ec);
      if (ec || !value.is_object()) continue;
      if (const auto* old_value = value.as_object().if_contains("old")) {
        entry.old_json = json::serialize(*old_value);
      }
      if (const auto* new_value = value.as_object().if_contains("new")) {
        entry.new_json = json::serialize(*new_value);
      }
    }
    return Status::Ok();
  }));
  if (detail.identifying_open) {
    // Who read which identities, when: every opening is in the audit chain.
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      if (security::HasPermission(caller, Permission::kIntakeQueue)) {
        RETURN_IF_ERROR(store_.MarkReporterMessagesRead(c, id, clock_.Now()));
      }
      return Audit(c, caller, "intake.complaint.read_identifying", id, info);
    }));
  }
  return detail;
}

Status IntakeService::Change(const Principal& caller, std::int64_t id, const RequestInfo& info,
                             const std::string& action,
                             const std::function<Status(Connection&, const Complaint&)>& work) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
    RETURN_IF_ERROR(work(c, complaint));
    // A complaint that left the queue (closed, not SEA, a duplicate, referred) joins no more
    // SMS: its sender's hash goes in the same transaction.
    RETURN_IF_ERROR(store_.TouchAfterChange(c, id, clock_.Now()));
    return Audit(c, caller, action, id, info);
  });
}

Status IntakeService::Acknowledge(const Principal& caller, std::int64_t id,
                                  const RequestInfo& info) {
  return Change(caller, id, info, "intake.complaint.acknowledge",
                [&](Connection& c, const Complaint& complaint) -> Status {
                  if (complaint.acknowledged_at) return Status::Ok();
                  return store_.SetAcknowledged(c, id, caller.user_id,
                                                complaint.status == ComplaintStatus::kNew,
                                                clock_.Now());
                });
}

Status IntakeService::Assign(const Principal& caller, std::int64_t id,
                             std::optional<std::int64_t> assignee, const RequestInfo& info) {
  std::string username;
  if (assignee) {
    ASSIGN_OR_RETURN(auto staff, staff_());
    auto member = std::find_if(staff.begin(), staff.end(),
                               [&](const StaffMember& m) { return m.id == *assignee; });
    if (member == staff.end() || member->disabled ||
        (member->role != security::Role::kCdtChief &&
         member->role != security::Role::kCdtOfficer)) {
      return InvalidArgument("complaints are assigned to active CDT officers", "assignee");
    }
    username = member->username;
  }
  return Change(caller, id, info, "intake.complaint.assign",
                [&](Connection& c, const Complaint&) -> Status {
                  return store_.SetAssignee(c, id, assignee, username);
                });
}

Status IntakeService::AddNote(const Principal& caller, std::int64_t id, const std::string& text,
                              const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(text, kMaxNarrativeBytes, "text"));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("the note is empty", "text");
  }
  return Change(
      caller, id, info, "intake.note.add",
      [&](Connection& c, const Complaint& complaint) -> Status {
        ASSIGN_OR_RETURN(auto item_readers, SealingReaders(c));
        ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.note", text, item_readers));
        return store_.InsertNote(c, id, caller.user_id, caller.username, clock_.Now(), item);
      });
}

Status IntakeService::ReplyToReporter(const Principal& caller, std::int64_t id,
                                      const std::string& text, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(text, kMaxMessageBytes, "text"));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("the message is empty", "text");
  }
  return Change(caller, id, info, "intake.message.to_reporter",
                [&](Connection& c, const Complaint& complaint) -> Status {
                  ASSIGN_OR_RETURN(auto item_readers, SealingReaders(c));
                  ASSIGN_OR_RETURN(auto mailbox, store_.MailboxPublicKey(c, id));
                  if (!mailbox)
                    return NotFound("no such complaint");  // Change loaded it: never here
                  ASSIGN_OR_RETURN(std::int64_t item,
                                   vault_.Seal(c, "intake.message", text, item_readers));
                  ASSIGN_OR_RETURN(std::string copy, security::SealTo(*mailbox, text));
                  return store_.InsertMessage(c, id, false, caller.user_id, caller.username,
                                              clock_.Now(), item, copy);
                });
}

Status IntakeService::MarkDuplicate(const Principal& caller, std::int64_t id, std::int64_t of,
                                    const RequestInfo& info) {
  if (id == of) return InvalidArgument("a complaint cannot duplicate itself", "of");
  return Change(caller, id, info, "intake.complaint.duplicate",
                [&](Connection& c, const Complaint& complaint) -> Status {
                  ASSIGN_OR_RETURN(auto original, LoadVisible(c, caller, of));
                  // Link to the first of a chain, so that duplicates never form a loop.
                  std::int64_t root = original.duplicate_of.value_or(original.id);
                  if (root == complaint.id) {
                    return Status(ErrorCode::kConflict,
                                  "that complaint is already a duplicate of this one");
                  }
                  return store_.MarkDuplicate(c, complaint.id, root, clock_.Now());
                });
}

Status IntakeService::SetStatus(const Principal& caller, std::int64_t id, ComplaintStatus status,
                                const RequestInfo& info) {
  if (status != ComplaintStatus::kAssessing && status != ComplaintStatus::kAcknowledged) {
    return Unprocessable(
        "status may be set to acknowledged or assessing here; the others follow from the "
        "assessment's route (POST .../route) and from case management",
        "status");
  }
  return Change(
      caller, id, info, "intake.complaint.status",
      [&](Connection& c, const Complaint& complaint) -> Status {
        if (complaint.status == ComplaintStatus::kReferred) {
          return Status(ErrorCode::kConflict,
                        "a case was made of this complaint: its status follows the case");
        }
        const UnixMillis now = clock_.Now();
        if (status != complaint.status) {
          RETURN_IF_ERROR(RecordCorrection(
              c, caller, id, "status", json::serialize(json::value(StatusName(complaint.status))),
              json::serialize(json::value(StatusName(status)))));
        }
        return store_.SetStatus(c, id, status, std::nullopt, caller.user_id, now);
      });
}

Result<int> IntakeService::UnacknowledgedUrgent(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  // Every open CDT page polls this: a cheap, once-a-minute place to forget SMS senders.
  ClearSmsSendersNow();
  return database_.Read<int>([&](Connection& c) -> Result<int> {
    ASSIGN_OR_RETURN(std::int64_t count, store_.CountUnacknowledgedUrgent(c));
    return static_cast<int>(count);
  });
}

Result<std::int64_t> IntakeService::UnseenReaderChanges(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  return database_.Read<std::int64_t>(
      [&](Connection& c) { return readers_.UnseenChanges(c, kReaderScope, caller.user_id); });
}

Result<std::vector<Complaint>> IntakeService::TakeForCase(const Principal& caller,
                                                          const std::vector<std::int64_t>& ids,
                                                          const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  if (ids.empty()) return InvalidArgument("name at least one complaint", "complaints");
  std::vector<Complaint> out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    out.clear();
    for (std::int64_t id : ids) {
      ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
      if (!IsOpen(complaint.status)) {
        return Status(ErrorCode::kConflict, complaint.reference + " is no longer open");
      }
      RETURN_IF_ERROR(store_.MarkReferred(c, id, clock_.Now()));
      RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.referred", id, info));
      complaint.status = ComplaintStatus::kReferred;
      out.push_back(std::move(complaint));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<IntakeService::TakenComplaint>> IntakeService::TakeForCaseIn(
    Connection& c, const Principal& caller, const std::vector<std::int64_t>& ids,
    const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  if (ids.empty()) return InvalidArgument("name at least one complaint", "complaints");
  ASSIGN_OR_RETURN(bool reader, IsIntakeReader(c, caller));
  if (!reader) {
    return Status(ErrorCode::kPermissionDenied,
                  "only an intake reader can re-seal a complaint for a case", "complaints");
  }
  RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
  const auto key = keyring_.Get(caller.session_id);
  if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
  std::vector<TakenComplaint> out;
  for (std::int64_t id : ids) {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
    if (complaint.status != ComplaintStatus::kReadyForCase) {
      return Conflict(complaint.reference + " is not ready for a case", "complaints");
    }
    ASSIGN_OR_RETURN(auto sealed, vault_.Open(c, complaint.sealed_item, *key));
    RETURN_IF_ERROR(store_.MarkReferred(c, id, clock_.Now()));
    RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.referred", id, info));
    complaint.status = ComplaintStatus::kReferred;
    out.push_back({std::move(complaint), ParseIdentifying(sealed)});
  }
  return out;
}

Result<std::vector<IntakeService::GeneratedComplaint>> IntakeService::GenerateForCaseIn(
    Connection& c, const Principal& chief, const std::vector<CaseComplaintSpec>& specs) {
  std::vector<GeneratedComplaint> out;
  if (specs.empty()) return out;
  ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
  ASSIGN_OR_RETURN(auto victim_readers, VictimSealingReaders(c, readers));
  const ComplaintOrigin origin{chief.user_id, chief.username, std::nullopt};
  for (const auto& spec : specs) {
    NewComplaint n;
    n.channel = Channel::kHotline4044;
    n.received_at = spec.received_at;
    n.reporter_relation = "witness";
    n.town = spec.town;
    n.incident_date_precision = "month";
    n.incident_date = spec.incident_date;
    n.victims = spec.victims;
    n.perpetrators = spec.perpetrators;
    n.risk_child = spec.risk_child;
    n.risk_danger = spec.risk_danger;
    n.identifying.narrative =
        "Generated complaint for a benchmark case: invented events. No real person is described.";
    NormaliseFacts(n);
    // A receipt nobody holds: a fresh locator and mailbox, the service's dummy hash (no
    // code matches it), so the slow hash is not computed for each generated complaint.
    const std::string canonical = *NormalizeReceiptCode(NewReceiptCode());
    const std::string locator = ReceiptLocator(server_key_.bytes(), canonical);
    security::KeyPair mailbox = security::GenerateKeyPair();
    ASSIGN_OR_RETURN(
        std::string mailbox_private,
        security::Encrypt(MailboxKey(canonical), mailbox.private_key.bytes(), locator));
    const StoredReceipt receipt{locator, dummy_receipt_hash_, std::string(mailbox.public_key),
                                mailbox_private};
    Complaint facts;
    facts.reporter_relation = n.reporter_relation;
    ASSIGN_OR_RETURN(std::int64_t item,
                     vault_.Seal(c, "intake.complaint", IdentifyingJson(n.identifying), readers));
    ASSIGN_OR_RETURN(
        std::int64_t victim_item,
        vault_.Seal(c, "intake.victim_part", VictimPartJson(VictimPartOf(facts, n.identifying)),
                    victim_readers));
    const UnixMillis at = spec.received_at;
    const bool urgent = n.risk_child || n.risk_danger || n.risk_medical;
    ASSIGN_OR_RETURN(const std::int64_t id, store_.InsertComplaint(c, n, origin, at, urgent, item,
                                                                   victim_item, receipt, at));
    RETURN_IF_ERROR(store_.SetAcknowledged(c, id, chief.user_id, true, at));
    Assessment a;
    a.is_sea = true;
    a.category = spec.category;
    a.type = spec.type;
    a.affiliation = "mission";
    a.assessed_by = chief.user_id;
    a.assessed_by_username = chief.username;
    a.assessed_at = at;
    RETURN_IF_ERROR(store_.SetAssessment(c, id, a, ComplaintStatus::kAssessing, at));
    Routing routing;
    routing.route = Route::kCase;
    routing.routed_by = chief.user_id;
    routing.routed_by_username = chief.username;
    routing.routed_at = at;
    RETURN_IF_ERROR(
        store_.SetRouting(c, id, routing, ComplaintStatus::kReadyForCase, std::nullopt, at));
    RETURN_IF_ERROR(store_.MarkReferred(c, id, at));
    out.push_back({id, ComplaintReference(id, at)});
  }
  return out;
}

// ---- SMS and e-mail

std::pair<std::string, std::string> IntakeService::SenderHashes(const std::string& from,
                                                                UnixMillis now) {
  std::lock_guard<std::mutex> lock(sender_keys_mutex_);
  if (sender_key_.key.empty() || now - sender_key_.created_at >= kSenderKeyLife ||
      now < sender_key_.created_at) {
    previous_sender_key_ = std::move(sender_key_);
    sender_key_ = {security::RandomBytes(32), now};
  }
  auto hash = [&](const SenderKey& key) {
    return security::HexEncode(security::HmacSha256(key.key, "psea-sms-sender:" + from));
  };
  const std::string current = hash(sender_key_);
  // A conversation that began just before the key turned still joins for its 30 minutes.
  return {current, previous_sender_key_.key.empty() ? current : hash(previous_sender_key_)};
}

Status IntakeService::ClearSmsSenders(Connection& c, UnixMillis now) {
  // The sender's keyed hash is kept only while it can join a message to its complaint.
  return store_.ForgetSmsSenders(c, now - 30 * kMinute);
}

void IntakeService::ClearSmsSendersNow() {
  const UnixMillis now = clock_.Now();
  UnixMillis last = last_sender_sweep_.load();
  if (now - last < kMinute || !last_sender_sweep_.compare_exchange_strong(last, now)) return;
  auto cleared = database_.WriteTransaction([&](Connection& c) { return ClearSmsSenders(c, now); });
  if (!cleared.ok()) last_sender_sweep_.store(last);  // try again at the next call
}

Result<SmsReceipt> IntakeService::ReceiveSms(const Principal& token, const SmsMessage& sms,
                                             const RequestInfo& info) {
  RETURN_IF_ERROR(security::AuthorizeScope(token, "intake.sms"));
  const UnixMillis now = clock_.Now();
  // Named copies, not a structured binding: the lambda below captures them (clang 14).
  const auto hashes = SenderHashes(sms.from, now);
  const std::string sender = hashes.first;
  const std::string previous_sender = hashes.second;
  const std::string gateway_id = sms.gateway_id.empty()
                                     ? std::string()
                                     : std::to_string(token.token_id) + ":" + sms.gateway_id;
  // A message of a conversation already open joins it as a message from the reporter.
  SmsReceipt receipt;
  bool handled = false;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(ClearSmsSenders(c, now));
    if (!gateway_id.empty()) {
      ASSIGN_OR_RETURN(auto seen, store_.FindSmsSeen(c, gateway_id));
      if (seen) {
        receipt.complaint_id = *seen;
        receipt.duplicate = true;
        handled = true;
        return Status::Ok();
      }
    }
    ASSIGN_OR_RETURN(auto open,
                     store_.FindSmsConversation(c, sender, previous_sender, now - 30 * kMinute));
    if (!open) return Status::Ok();
    const std::int64_t id = open->complaint_id;
    ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
    ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.message", sms.text, readers));
    ASSIGN_OR_RETURN(std::string copy, security::SealTo(open->mailbox_public_key, sms.text));
    RETURN_IF_ERROR(store_.InsertMessage(c, id, true, std::nullopt, "", now, item, copy));
    RETURN_IF_ERROR(store_.TouchSms(c, id, now));
    RETURN_IF_ERROR(NoteUnparsed(c, id, sms, readers, now));
    if (!gateway_id.empty()) RETURN_IF_ERROR(store_.RecordSmsSeen(c, gateway_id, id, now));
    RETURN_IF_ERROR(Audit(c, token, "intake.message.sms", id, info));
    receipt.complaint_id = id;
    receipt.joined = true;
    receipt.reply = "Message recu et ajoute a votre signalement. / Message received.";
    handled = true;
    return Status::Ok();
  }));
  if (handled) return receipt;

  NewComplaint n;
  n.channel = Channel::kSms;
  n.received_at = sms.sent_at && *sms.sent_at <= now ? *sms.sent_at : now;
  n.reporter_relation = "anonymous";
  n.anonymous = true;
  n.contact_method = "sms";
  n.identifying.reporter_phone = sms.from;
  n.identifying.narrative = sms.text;
  ASSIGN_OR_RETURN(auto submitted,
                   Store(std::move(n), token, info, [&](Connection& c, std::int64_t id) -> Status {
                     RETURN_IF_ERROR(store_.SetSmsSender(c, id, sender, now));
                     if (!sms.unparsed.empty()) {
                       ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
                       RETURN_IF_ERROR(NoteUnparsed(c, id, sms, readers, now));
                     }
                     if (gateway_id.empty()) return Status::Ok();
                     return store_.RecordSmsSeen(c, gateway_id, id, now);
                   }));
  receipt.complaint_id = submitted.complaint.id;
  receipt.reply = SmsReceiptReply(submitted.receipt_code, settings_.contact);
  return receipt;
}

Status IntakeService::NoteUnparsed(Connection& c, std::int64_t id, const SmsMessage& sms,
                                   const std::vector<std::int64_t>& readers, UnixMillis now) {
  if (sms.unparsed.empty()) return Status::Ok();
  std::string note =
      "The SMS gateway sent values psea could not read; the message was filed all the same" +
      std::string(sms.sent_at ? "" : ", at the time it was received") + ":";
  for (const auto& value : sms.unparsed) note += "\n" + value;
  ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.note", note, readers));
  return store_.InsertNote(c, id, 0, "sms", now, item);
}

namespace {
std::string SettingsKey(const security::SecretBytes& server_key) {
  return security::HmacSha256(server_key.bytes(), "psea-sms-gateway-settings");
}

std::string Mask(const std::string& secret) {
  if (secret.empty()) return std::string();
  return secret.size() >= 12 ? "..." + secret.substr(secret.size() - 4) : "...";
}
}  // namespace

Result<SmsGatewaySettings> IntakeService::GatewaySettings(std::int64_t token_id) {
  ASSIGN_OR_RETURN(auto sealed, database_.Read<std::optional<std::string>>([&](Connection& c) {
    return store_.FindSmsGatewaySettings(c, token_id);
  }));
  SmsGatewaySettings settings;
  if (!sealed) return settings;
  const std::string key = SettingsKey(server_key_);
  ASSIGN_OR_RETURN(std::string plain,
                   security::Decrypt(key, *sealed, "sms-gateway:" + std::to_string(token_id)));
  json::error_code error;
  const json::value parsed = json::parse(plain, error);
  security::Wipe(plain);
  if (error || !parsed.is_object()) return Internal("the SMS gateway settings cannot be read");
  const json::object& object = parsed.as_object();
  const auto read = [&](std::string_view name, std::string& out) {
    if (const json::value* value = object.if_contains(name); value && value->is_string()) {
      out = std::string(value->as_string());
    }
  };
  read("twilio_auth_token", settings.twilio_auth_token);
  read("public_url", settings.public_url);
  read("signing_key", settings.signing_key);
  read("outgoing_url", settings.outgoing_url);
  read("outgoing_username", settings.outgoing_username);
  read("outgoing_secret", settings.outgoing_secret);
  read("sender", settings.sender);
  return settings;
}

namespace {
bool MayManageGateways(const Principal& caller) {
  return security::HasPermission(caller, Permission::kTokensManage) ||
         security::HasPermission(caller, Permission::kIntakeReaders);
}
}  // namespace

Result<SmsGatewaySettings> IntakeService::MaskedGatewaySettings(const Principal& caller,
                                                                std::int64_t token_id) {
  if (!MayManageGateways(caller)) {
    return PermissionDenied("only an administrator or a CDT chief manages SMS gateways");
  }
  return MaskedGatewaySettingsFromConsole(token_id);
}

Result<SmsGatewaySettings> IntakeService::MaskedGatewaySettingsFromConsole(std::int64_t token_id) {
  ASSIGN_OR_RETURN(SmsGatewaySettings settings, GatewaySettings(token_id));
  settings.twilio_auth_token = Mask(settings.twilio_auth_token);
  settings.public_url = Mask(settings.public_url);
  settings.signing_key = Mask(settings.signing_key);
  settings.outgoing_secret = Mask(settings.outgoing_secret);
  return settings;
}

Status IntakeService::SetGatewaySettings(const Principal& caller, std::int64_t token_id,
                                         const SmsGatewaySettingsPatch& patch,
                                         const RequestInfo& info) {
  if (!MayManageGateways(caller)) {
    return PermissionDenied("only an administrator or a CDT chief manages SMS gateways");
  }
  return SaveGatewaySettings(caller, token_id, patch, info);
}

Status IntakeService::SetGatewaySettingsFromConsole(std::int64_t token_id,
                                                    const SmsGatewaySettingsPatch& patch,
                                                    const RequestInfo& info) {
  return SaveGatewaySettings(std::nullopt, token_id, patch, info);
}

Status IntakeService::SaveGatewaySettings(const std::optional<Principal>& actor,
                                          std::int64_t token_id,
                                          const SmsGatewaySettingsPatch& patch,
                                          const RequestInfo& info) {
  for (const auto& [name, url] : {std::pair{"public_url", &patch.public_url},
                                  std::pair{"outgoing_url", &patch.outgoing_url}}) {
    if (url->has_value() && !(*url)->empty() && (*url)->rfind("https://", 0) != 0 &&
        (*url)->rfind("http://", 0) != 0) {
      return InvalidArgument(std::string(name) + " must be an http:// or https:// URL", name);
    }
  }
  if (settings_.sms_gateway_of) {
    ASSIGN_OR_RETURN(auto kind, settings_.sms_gateway_of(token_id));
    if (!kind) {
      return Status(ErrorCode::kNotFound, "no live API token with scope intake.sms has this id",
                    "token_id");
    }
  }
  ASSIGN_OR_RETURN(SmsGatewaySettings settings, GatewaySettings(token_id));
  json::array changed;
  const auto apply = [&](const char* name, const std::optional<std::string>& value,
                         std::string& field) {
    if (!value) return;
    field = *value;
    changed.emplace_back(name);
  };
  apply("twilio_auth_token", patch.twilio_auth_token, settings.twilio_auth_token);
  apply("public_url", patch.public_url, settings.public_url);
  apply("signing_key", patch.signing_key, settings.signing_key);
  apply("outgoing_url", patch.outgoing_url, settings.outgoing_url);
  apply("outgoing_username", patch.outgoing_username, settings.outgoing_username);
  apply("outgoing_secret", patch.outgoing_secret, settings.outgoing_secret);
  apply("sender", patch.sender, settings.sender);
  std::string plain =
      json::serialize(json::object{{"twilio_auth_token", settings.twilio_auth_token},
                                   {"public_url", settings.public_url},
                                   {"signing_key", settings.signing_key},
                                   {"outgoing_url", settings.outgoing_url},
                                   {"outgoing_username", settings.outgoing_username},
                                   {"outgoing_secret", settings.outgoing_secret},
                                   {"sender", settings.sender}});
  auto sealed =
      security::Encrypt(SettingsKey(server_key_), plain, "sms-gateway:" + std::to_string(token_id));
  security::Wipe(plain);
  if (!sealed.ok()) return sealed.status();
  const UnixMillis now = clock_.Now();
  return database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        store_.SaveSmsGatewaySettings(c, token_id, *sealed, actor ? actor->user_id : 0, now));
    security::AuditEvent event;
    if (actor) {
      event.actor_user_id = actor->user_id;
      event.actor = actor->username;
    } else {
      event.actor = "cli";
    }
    event.action = "intake.sms_gateway.update";
    event.object_type = "token";
    event.object_id = std::to_string(token_id);
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{{"changed", changed}});
    return audit_.Append(c, event);
  });
}

namespace {
std::string OutboxKey(const security::SecretBytes& server_key) {
  return security::HmacSha256(server_key.bytes(), "psea-sms-outbox");
}

std::string FormEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

// The request that sends `text` to `to` through the gateway's API.
Result<http::OutgoingRequest> ReplyRequest(std::string_view gateway,
                                           const SmsGatewaySettings& settings, std::string_view to,
                                           std::string_view text) {
  if (settings.outgoing_url.empty()) return Unavailable("no outgoing_url is set");
  http::OutgoingRequest request;
  request.url = settings.outgoing_url;
  if (gateway == "africastalking") {
    // POST /version1/messaging: form username, to, message, from; the key in apiKey.
    request.headers = {{"apiKey", settings.outgoing_secret},
                       {"Accept", "application/json"},
                       {"Content-Type", "application/x-www-form-urlencoded"}};
    request.body = "username=" + FormEscape(settings.outgoing_username) + "&to=" + FormEscape(to) +
                   "&message=" + FormEscape(text);
    if (!settings.sender.empty()) request.body += "&from=" + FormEscape(settings.sender);
    return request;
  }
  // SMS Gateway for Android: POST .../message with Basic auth.
  request.headers = {{"Content-Type", "application/json"}};
  request.body = json::serialize(
      json::object{{"message", text}, {"phoneNumbers", json::array{json::value(to)}}});
  request.basic_user = settings.outgoing_username;
  request.basic_password = settings.outgoing_secret;
  return request;
}
}  // namespace

Status IntakeService::QueueSmsReply(const Principal& token, std::string_view gateway,
                                    std::int64_t complaint_id, std::string_view to,
                                    std::string_view text) {
  std::string plain = json::serialize(json::object{{"to", to}, {"text", text}});
  auto sealed = security::Encrypt(OutboxKey(server_key_), plain, "sms-outbox");
  security::Wipe(plain);
  if (!sealed.ok()) return sealed.status();
  const UnixMillis now = clock_.Now();
  return database_.WriteTransaction([&](Connection& c) -> Status {
    return store_.InsertSmsOutbox(c, token.token_id, std::string(gateway), complaint_id, *sealed,
                                  now);
  });
}

Result<int> IntakeService::SendDueSmsReplies(http::HttpClient& client) {
  const UnixMillis now = clock_.Now();
  ASSIGN_OR_RETURN(auto due, database_.Read<std::vector<SmsOutboxEntry>>(
                                 [&](Connection& c) { return store_.DueSmsOutbox(c, now, 20); }));
  int sent = 0;
  for (const auto& entry : due) {
    std::string error;
    auto plain = security::Decrypt(OutboxKey(server_key_), entry.sealed, "sms-outbox");
    auto settings = GatewaySettings(entry.token_id);
    if (!plain.ok()) {
      error = "the queued reply cannot be opened";
    } else if (!settings.ok()) {
      error = "the gateway's settings cannot be read";
    } else {
      json::error_code parse_error;
      const json::value reply = json::parse(*plain, parse_error);
      security::Wipe(*plain);
      if (parse_error || !reply.is_object()) {
        error = "the queued reply cannot be read";
      } else {
        const auto& object = reply.as_object();
        auto request =
            ReplyRequest(entry.gateway, *settings, std::string_view(object.at("to").as_string()),
                         std::string_view(object.at("text").as_string()));
        if (!request.ok()) {
          error = request.status().message();
        } else {
          auto response = client.Post(*request);
          if (!response.ok()) {
            error = response.status().message();
          } else if (response->status < 200 || response->status > 299) {
            error = "the gateway answered " + std::to_string(response->status);
          }
        }
      }
    }
    const bool ok = error.empty();
    const bool give_up = !ok && now - entry.created_at >= settings_.sms_retry_give_up_millis;
    const std::int64_t delay = std::min<std::int64_t>(
        settings_.sms_retry_base_millis << std::min<std::int64_t>(entry.attempts, 20),
        60 * kMinute);
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      if (ok || give_up) {
        RETURN_IF_ERROR(store_.FinishSmsOutbox(c, entry.id, ok, error, clock_.Now()));
      } else {
        RETURN_IF_ERROR(store_.RetrySmsOutbox(c, entry.id, now + delay, error));
      }
      if (!give_up) return Status::Ok();
      ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
      const std::string note = "The SMS reply with the receipt code could not be sent through " +
                               entry.gateway + " after " + std::to_string(entry.attempts + 1) +
                               " attempts (" + error +
                               "): the reporter has no receipt code. Call them back if it is safe.";
      ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.note", note, readers));
      return store_.InsertNote(c, entry.complaint_id, 0, "sms", clock_.Now(), item);
    }));
    if (ok) ++sent;
    if (!ok) {
      log::Warn("sms_reply_failed", {{"outbox_id", std::to_string(entry.id)},
                                     {"gateway", entry.gateway},
                                     {"attempt", std::to_string(entry.attempts + 1)},
                                     {"given_up", give_up ? "true" : "false"}});
    }
  }
  return sent;
}

std::string IntakeService::SmsSigningKey() const {
  return security::HexEncode(security::HmacSha256(server_key_.bytes(), "psea-sms-signing-key"));
}

Result<Submitted> IntakeService::ReceiveEmail(const EmailMessage& email, const RequestInfo& info) {
  NewComplaint n;
  n.channel = Channel::kEmail;
  if (email.date && *email.date <= clock_.Now()) n.received_at = *email.date;
  // A sender's name or address is an identity: such a reporter is not anonymous, and an
  // e-mail does not say how they relate to the events (staff record it when they learn it).
  n.anonymous = email.from_name.empty() && email.from_address.empty();
  n.reporter_relation = n.anonymous ? "anonymous" : "unknown";
  n.contact_method = email.from_address.empty() ? "none" : "email";
  n.contact_consent = false;
  n.identifying.reporter_name = email.from_name.substr(0, 200);
  n.identifying.reporter_email =
      email.from_address.find('@') != std::string::npos ? email.from_address.substr(0, 254) : "";
  std::string narrative = email.subject.empty() ? email.text : email.subject + "\n\n" + email.text;
  if (narrative.size() > kMaxNarrativeBytes) {
    // Cut on a character boundary; the whole message stays in the quarantine copy below.
    std::size_t cut = kMaxNarrativeBytes;
    while (cut > 0 && (static_cast<unsigned char>(narrative[cut]) & 0xC0) == 0x80) --cut;
    narrative.resize(cut);
  }
  if (narrative.find_first_not_of(" \t\r\n") == std::string::npos) {
    narrative = "(no text; see the attachments)";
  }
  n.identifying.narrative = std::move(narrative);
  std::vector<std::string> written;
  auto stored = Store(std::move(n), std::nullopt, info, [&](Connection& c, std::int64_t id) {
    ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
    for (const auto& file : email.attachments) {
      auto sealed =
          file.too_large
              ? Result<Attachment>(Status(ErrorCode::kPayloadTooLarge, "the file is too large"))
              : SealAttachment(c, id, std::nullopt, file.filename, file.data, readers, written);
      if (!sealed.ok()) {
        // An empty part, a program, a name too long, a file too large (alone or with the
        // others): the message itself is filed, the part is kept in the quarantine, where the
        // CDT can still download it, and a sealed note on the complaint says so. Never
        // dropped. Anything else (the disk) fails the whole message, which then goes to the
        // quarantine whole.
        if (sealed.status().code() != ErrorCode::kUnsupportedMediaType &&
            sealed.status().code() != ErrorCode::kInvalidArgument &&
            sealed.status().code() != ErrorCode::kPayloadTooLarge) {
          return sealed.status();
        }
        ASSIGN_OR_RETURN(std::int64_t kept,
                         QuarantineOn(c, "email-attachment", file.data, sealed.status(), info));
        const std::string note =
            "An attachment was refused (" + GenericQuarantineReason(sealed.status()) +
            "): " + file.filename.substr(0, 1000) + ". It is kept in the quarantine as " +
            "message " + std::to_string(kept) + ".";
        ASSIGN_OR_RETURN(std::int64_t note_item, vault_.Seal(c, "intake.note", note, readers));
        RETURN_IF_ERROR(store_.InsertNote(c, id, 0, "mail", clock_.Now(), note_item));
      }
    }
    return Status::Ok();
  });
  if (!stored.ok()) {
    std::error_code error;
    for (const auto& path : written) std::filesystem::remove(path, error);
  }
  return stored;
}

std::string GenericQuarantineReason(const Status& why) {
  // Parsers' messages can quote what they read (an attachment's name, a header): the clear
  // half of the quarantine keeps only one of these fixed words.
  switch (why.code()) {
    case ErrorCode::kPayloadTooLarge:
      return "too large";
    case ErrorCode::kUnsupportedMediaType:
      return "a program or a file type that is refused";
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kBadJson:
    case ErrorCode::kUnprocessable:
      return "unreadable or incomplete";
    default:
      return "could not be filed";
  }
}

Result<std::int64_t> IntakeService::QuarantineOn(Connection& c, std::string_view channel,
                                                 std::string_view raw, const Status& why,
                                                 const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
  ASSIGN_OR_RETURN(std::int64_t item, vault_.Seal(c, "intake.quarantine", raw, readers));
  ASSIGN_OR_RETURN(std::int64_t id,
                   store_.InsertQuarantined(c, std::string(channel), GenericQuarantineReason(why),
                                            item, clock_.Now()));
  security::AuditEvent event;
  event.actor = "mail";
  event.action = "intake.quarantine.add";
  event.object_type = "quarantine";
  event.object_id = std::to_string(id);
  event.request_id = info.request_id;
  RETURN_IF_ERROR(audit_.Append(c, event));
  return id;
}

Result<std::int64_t> IntakeService::Quarantine(std::string_view channel, std::string_view raw,
                                               const Status& why, const RequestInfo& info) {
  return database_.Write<std::int64_t>(
      [&](Connection& c) { return QuarantineOn(c, channel, raw, why, info); });
}

Result<std::vector<QuarantinedMessage>> IntakeService::ListQuarantine(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  return database_.Read<std::vector<QuarantinedMessage>>(
      [&](Connection& c) { return store_.ListQuarantine(c); });
}

Result<std::string> IntakeService::OpenQuarantined(const Principal& caller, std::int64_t id,
                                                   const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  const auto key = keyring_.Get(caller.session_id);
  ASSIGN_OR_RETURN(auto raw, database_.Read<std::string>([&](Connection& c) -> Result<std::string> {
    // Like every other opening: the reader list, a recent proof of presence, an unlocked key.
    ASSIGN_OR_RETURN(bool reader, IsIntakeReader(c, caller));
    if (!reader) return PermissionDenied("only the intake readers open quarantined messages");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    if (!key) return PermissionDenied("unlock your vault to read quarantined messages");
    ASSIGN_OR_RETURN(auto item, store_.QuarantinedItem(c, id));
    if (!item) return NotFound("no such quarantined message");
    return vault_.Open(c, *item, *key);
  }));
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = "intake.quarantine.read";
  event.object_type = "quarantine";
  event.object_id = std::to_string(id);
  event.request_id = info.request_id;
  RETURN_IF_ERROR(audit_.AppendNow(database_, event));
  return raw;
}

Status IntakeService::ResolveQuarantined(const Principal& caller, std::int64_t id,
                                         const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool resolved, store_.ResolveQuarantined(c, id, caller.user_id, clock_.Now()));
    if (!resolved) return NotFound("no such unresolved quarantined message");
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "intake.quarantine.resolve";
    event.object_type = "quarantine";
    event.object_id = std::to_string(id);
    event.request_id = info.request_id;
    return audit_.Append(c, event);
  });
}

// ---- Attachments

Result<Attachment> IntakeService::SealAttachment(Connection& c, std::int64_t complaint_id,
                                                 const std::optional<Principal>& author,
                                                 const std::string& filename,
                                                 std::string_view content,
                                                 const std::vector<std::int64_t>& readers,
                                                 std::vector<std::string>& written) {
  namespace fs = std::filesystem;
  if (settings_.files_dir.empty()) return Unavailable("attachments are not configured");
  if (content.empty()) return InvalidArgument("the file is empty", "file");
  if (static_cast<std::int64_t>(content.size()) > settings_.max_attachment_bytes) {
    return Status(ErrorCode::kPayloadTooLarge,
                  "a file may be at most " +
                      std::to_string(settings_.max_attachment_bytes / (1024 * 1024)) + " MiB");
  }
  const std::string name = filename.empty() ? std::string("file") : filename;
  RETURN_IF_ERROR(CheckText(name, 255, "filename"));
  const SniffedType type = SniffContentType(content);
  if (type.executable) {
    return Status(ErrorCode::kUnsupportedMediaType, "programs and scripts are not accepted",
                  "file");
  }
  ASSIGN_OR_RETURN(std::int64_t total, store_.AttachmentBytes(c, complaint_id));
  if (total + static_cast<std::int64_t>(content.size()) >
      settings_.max_attachments_bytes_per_complaint) {
    return Status(
        ErrorCode::kPayloadTooLarge,
        "a complaint's files may be at most " +
            std::to_string(settings_.max_attachments_bytes_per_complaint / (1024 * 1024)) +
            " MiB in all");
  }
  std::error_code error;
  fs::create_directories(settings_.files_dir, error);
  if (error) return Unavailable("cannot create the attachments folder");
  const std::string stored_name =
      std::to_string(complaint_id) + "-" + security::RandomToken(12) + ".enc";
  const fs::path path = fs::path(settings_.files_dir) / stored_name;
  written.push_back(path.string());
  security::Vault::SealedFile sealed;
  {
    std::istringstream in{std::string(content)};
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    ASSIGN_OR_RETURN(sealed, vault_.SealFile(c, in, out, readers));
    out.flush();
    out.close();
    if (!out) return Unavailable("cannot write the attachment");
  }
  ASSIGN_OR_RETURN(std::int64_t name_item, vault_.Seal(c, "intake.filename", name, readers));
  const bool staff = author && author->kind == Principal::Kind::kUser;
  const UnixMillis now = clock_.Now();
  NewAttachmentRecord record;
  record.complaint_id = complaint_id;
  record.key_item = sealed.key_item_id;
  record.name_item = name_item;
  record.stored_name = stored_name;
  record.content_type = type.mime;
  record.size = static_cast<std::int64_t>(sealed.size);
  record.sha256 = sealed.sha256_hex;
  if (staff) record.added_by = author->user_id;
  record.added_by_username = staff ? author->username : std::string();
  record.created_at = now;
  ASSIGN_OR_RETURN(std::int64_t attachment_id, store_.InsertAttachment(c, record));
  Attachment attachment;
  attachment.id = attachment_id;
  attachment.complaint_id = complaint_id;
  attachment.content_type = type.mime;
  attachment.size = static_cast<std::int64_t>(sealed.size);
  attachment.sha256 = sealed.sha256_hex;
  attachment.created_at = now;
  attachment.added_by_username = staff ? author->username : std::string();
  attachment.filename = name;
  return attachment;
}

Result<Attachment> IntakeService::AddAttachment(const Principal& caller, std::int64_t complaint_id,
                                                const std::string& filename,
                                                std::string_view content, const RequestInfo& info) {
  std::vector<std::string> written;
  auto added = database_.Write<Attachment>([&](Connection& c) -> Result<Attachment> {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, complaint_id));
    (void)complaint;  // visible to the caller: checked above
    ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
    ASSIGN_OR_RETURN(auto attachment,
                     SealAttachment(c, complaint_id, caller, filename, content, readers, written));
    RETURN_IF_ERROR(store_.TouchComplaint(c, complaint_id, clock_.Now()));
    RETURN_IF_ERROR(Audit(c, caller, "intake.attachment.add", complaint_id, info,
                          "{\"attachment\":" + std::to_string(attachment.id) +
                              ",\"size\":" + std::to_string(attachment.size) + "}"));
    return attachment;
  });
  if (!added.ok()) {
    // Rolled back: the files written for it go too.
    std::error_code error;
    for (const auto& path : written) std::filesystem::remove(path, error);
  }
  return added;
}

Result<std::pair<Attachment, std::string>> IntakeService::ReadAttachment(const Principal& caller,
                                                                         std::int64_t complaint_id,
                                                                         std::int64_t attachment_id,
                                                                         const RequestInfo& info) {
  const auto key = keyring_.Get(caller.session_id);
  std::pair<Attachment, std::string> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, complaint_id));
    (void)complaint;  // visible to the caller: checked above
    ASSIGN_OR_RETURN(bool reader, IsIntakeReader(c, caller));
    if (!reader) return PermissionDenied("only the intake readers open attachments");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    if (!key) return PermissionDenied("unlock your vault to open attachments");
    ASSIGN_OR_RETURN(auto record, store_.FindAttachment(c, complaint_id, attachment_id));
    if (!record) return NotFound("no such attachment");
    out.first = std::move(record->attachment);
    Attachment& a = out.first;
    ASSIGN_OR_RETURN(a.filename, vault_.Open(c, record->name_item, *key));
    std::ifstream in(std::filesystem::path(settings_.files_dir) / record->stored_name,
                     std::ios::binary);
    if (!in) return Unavailable("the attachment's file is missing from the data folder");
    std::ostringstream bytes;
    RETURN_IF_ERROR(vault_.OpenFile(c, record->key_item, *key, in, bytes));
    out.second = bytes.str();
    if (security::HexEncode(security::Sha256(out.second)) != a.sha256) {
      return Internal("attachment " + std::to_string(attachment_id) +
                      " does not match its content hash");
    }
    return Status::Ok();
  }));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) {
    return Audit(c, caller, "intake.attachment.read", complaint_id, info,
                 "{\"attachment\":" + std::to_string(attachment_id) + "}");
  }));
  return out;
}

// ---- Places

namespace {
bool ValidCode(std::string_view code) {
  if (code.empty() || code.size() > 16) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

void IntakeService::SetDefaultPlaces(PlacesList defaults) {
  std::lock_guard<std::mutex> lock(places_mutex_);
  default_places_ = std::move(defaults);
}

Status IntakeService::ValidatePlaces(const PlacesList& list) {
  if (list.field_offices.size() > 100) {
    return InvalidArgument("at most 100 field offices", "field_offices");
  }
  std::set<std::string> office_codes;
  for (std::size_t i = 0; i < list.field_offices.size(); ++i) {
    const auto& office = list.field_offices[i];
    const std::string at = "field_offices[" + std::to_string(i) + "]";
    if (!ValidCode(office.code)) {
      return InvalidArgument(at + ".code must be 1-16 of A-Z, 0-9 and -", at + ".code");
    }
    if (!office_codes.insert(office.code).second) {
      return InvalidArgument(at + ".code " + office.code + " is used twice", at + ".code");
    }
    if (office.name.empty()) return InvalidArgument(at + ".name is empty", at + ".name");
    RETURN_IF_ERROR(CheckText(office.name, 100, at + ".name"));
  }

  const auto& places = list.prefectures;
  if (places.empty())
    return InvalidArgument("the list needs at least one prefecture", "prefectures");
  if (places.size() > 200) return InvalidArgument("at most 200 prefectures", "prefectures");
  std::set<std::string> codes;
  std::set<std::string> sub_prefecture_codes;
  for (std::size_t i = 0; i < places.size(); ++i) {
    const auto& p = places[i];
    const std::string at = "prefectures[" + std::to_string(i) + "]";
    if (!ValidCode(p.code)) {
      return InvalidArgument(at + ".code must be 1-16 of A-Z, 0-9 and -", at + ".code");
    }
    if (!codes.insert(p.code).second) {
      return InvalidArgument(at + ".code " + p.code + " is used twice", at + ".code");
    }
    if (p.name.empty()) return InvalidArgument(at + ".name is empty", at + ".name");
    RETURN_IF_ERROR(CheckText(p.name, 100, at + ".name"));
    if (!p.pcode.empty() && !ValidCode(p.pcode)) {
      return InvalidArgument(at + ".pcode must be 1-16 of A-Z, 0-9 and -", at + ".pcode");
    }
    if (p.sub_prefectures.size() > 200) {
      return InvalidArgument(at + " has more than 200 sub-prefectures", at + ".sub_prefectures");
    }
    for (std::size_t j = 0; j < p.sub_prefectures.size(); ++j) {
      const auto& sp = p.sub_prefectures[j];
      const std::string sat = at + ".sub_prefectures[" + std::to_string(j) + "]";
      if (!ValidCode(sp.code)) {
        return InvalidArgument(sat + ".code must be 1-16 of A-Z, 0-9 and -", sat + ".code");
      }
      if (!codes.insert(sp.code).second) {
        return InvalidArgument(sat + ".code " + sp.code + " is used twice", sat + ".code");
      }
      sub_prefecture_codes.insert(sp.code);
      if (sp.name.empty()) return InvalidArgument(sat + ".name is empty", sat + ".name");
      RETURN_IF_ERROR(CheckText(sp.name, 100, sat + ".name"));
      if (!sp.field_office.empty() && !office_codes.contains(sp.field_office)) {
        return InvalidArgument(
            sat + ".field_office " + sp.field_office + " is not a code of field_offices",
            sat + ".field_office");
      }
      if (sp.towns.size() > 500) {
        return InvalidArgument(sat + " has more than 500 towns", sat + ".towns");
      }
      for (std::size_t k = 0; k < sp.towns.size(); ++k) {
        const std::string tat = sat + ".towns[" + std::to_string(k) + "]";
        if (sp.towns[k].name.empty()) return InvalidArgument(tat + " is empty", tat);
        RETURN_IF_ERROR(CheckText(sp.towns[k].name, 100, tat));
      }
    }
  }

  if (list.sites.size() > 1000) return InvalidArgument("at most 1000 sites", "sites");
  std::set<std::string> site_codes;
  for (std::size_t i = 0; i < list.sites.size(); ++i) {
    const auto& site = list.sites[i];
    const std::string at = "sites[" + std::to_string(i) + "]";
    if (!ValidCode(site.code)) {
      return InvalidArgument(at + ".code must be 1-16 of A-Z, 0-9 and -", at + ".code");
    }
    if (!site_codes.insert(site.code).second) {
      return InvalidArgument(at + ".code " + site.code + " is used twice", at + ".code");
    }
    if (site.name.empty()) return InvalidArgument(at + ".name is empty", at + ".name");
    RETURN_IF_ERROR(CheckText(site.name, 100, at + ".name"));
    if (std::find(std::begin(kSiteTypes), std::end(kSiteTypes), site.type) ==
        std::end(kSiteTypes)) {
      return InvalidArgument(at + ".type must be mission_camp_or_base, idp_site or other",
                             at + ".type");
    }
    if (!sub_prefecture_codes.contains(site.sub_prefecture)) {
      return InvalidArgument(
          at + ".sub_prefecture " + site.sub_prefecture + " is not a sub-prefecture of the list",
          at + ".sub_prefecture");
    }
  }
  return Status::Ok();
}

Result<std::shared_ptr<const PlacesList>> IntakeService::Places() {
  {
    std::lock_guard<std::mutex> lock(places_mutex_);
    if (places_) return places_;
  }
  ASSIGN_OR_RETURN(auto stored, database_.Read<std::optional<PlacesList>>(
                                    [&](Connection& c) { return store_.FindPlaces(c); }));
  PlacesList places;
  if (stored) {
    places = std::move(*stored);
  } else {
    {
      std::lock_guard<std::mutex> lock(places_mutex_);
      places = default_places_;
    }
    // Without defaults (a service built without the shipped list) nothing is stored, so that
    // the first real start still seeds the database.
    if (places.prefectures.empty()) return std::make_shared<const PlacesList>();
    // First use of this database: the shipped list becomes the database's, once.
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      ASSIGN_OR_RETURN(auto existing, store_.FindPlaces(c));
      if (existing) {
        places = std::move(*existing);
        return Status::Ok();
      }
      return store_.InsertPlaces(c, places, clock_.Now());
    }));
  }
  auto shared = std::make_shared<const PlacesList>(std::move(places));
  std::lock_guard<std::mutex> lock(places_mutex_);
  places_ = shared;
  return shared;
}

Status IntakeService::ReplacePlaces(const Principal& caller, PlacesList places,
                                    const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  RETURN_IF_ERROR(ValidatePlaces(places));
  RETURN_IF_ERROR(Places().status());  // seeds the row on a new database
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(store_.UpdatePlaces(c, places, caller.username, clock_.Now()));
    RETURN_IF_ERROR(store_.BumpRevision(c));  // the figures count by field office
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "intake.places.replace";
    event.object_type = "intake";
    event.object_id = "places";
    event.request_id = info.request_id;
    event.details = "{\"prefectures\":" + std::to_string(places.prefectures.size()) +
                    ",\"field_offices\":" + std::to_string(places.field_offices.size()) +
                    ",\"sites\":" + std::to_string(places.sites.size()) + "}";
    return audit_.Append(c, event);
  }));
  std::lock_guard<std::mutex> lock(places_mutex_);
  places_ = std::make_shared<const PlacesList>(std::move(places));
  return Status::Ok();
}

Status IntakeService::CheckPlace(const NewComplaint& n) {
  if (n.prefecture.empty() && n.site.empty()) {
    if (!n.sub_prefecture.empty()) {
      return InvalidArgument("a sub-prefecture needs its prefecture", "prefecture");
    }
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto list, Places());
  if (!n.site.empty()) {
    const bool known = std::any_of(list->sites.begin(), list->sites.end(),
                                   [&](const Site& site) { return site.code == n.site; });
    if (!known) return Unprocessable("site is not a site code of the places list", "site");
  }
  if (n.prefecture.empty()) {
    if (!n.sub_prefecture.empty()) {
      return InvalidArgument("a sub-prefecture needs its prefecture", "prefecture");
    }
    return Status::Ok();
  }
  const auto& places = list->prefectures;
  auto prefecture = std::find_if(places.begin(), places.end(),
                                 [&](const Prefecture& p) { return p.code == n.prefecture; });
  if (prefecture == places.end()) {
    return InvalidArgument("prefecture is not a code of the places list", "prefecture");
  }
  if (n.sub_prefecture.empty()) return Status::Ok();
  const bool found =
      std::any_of(prefecture->sub_prefectures.begin(), prefecture->sub_prefectures.end(),
                  [&](const SubPrefecture& sp) { return sp.code == n.sub_prefecture; });
  if (!found) {
    return InvalidArgument("sub_prefecture is not a sub-prefecture of " + prefecture->name,
                           "sub_prefecture");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Assessment and routing

namespace {

bool ValidDay(const std::string& day) {
  if (day.size() != 10) return false;
  return CheckIncidentDate("exact", day).ok();
}

std::string JsonText(const json::value& value) { return json::serialize(value); }

json::value AssessmentValue(const std::optional<Assessment>& a) {
  if (!a) return nullptr;
  return json::object{{"is_sea", a->is_sea},
                      {"category", a->category},
                      {"type", a->type},
                      {"perpetrator_affiliation", a->affiliation},
                      {"perpetrator_identified", a->perpetrator_identified}};
}

json::value RoutingValue(const std::optional<Routing>& r) {
  if (!r) return nullptr;
  json::object o{{"route", RouteName(r->route)}};
  if (!r->entity.empty()) o["entity"] = r->entity;
  if (!r->handed_over_on.empty()) o["handed_over_on"] = r->handed_over_on;
  if (!r->acknowledged_on.empty()) o["acknowledged_on"] = r->acknowledged_on;
  if (!r->acknowledgement.empty()) o["acknowledgement"] = r->acknowledgement;
  if (!r->office.empty()) o["office"] = r->office;
  if (!r->reason.empty()) o["reason"] = r->reason;
  return o;
}

// A complaint a case was made of belongs to case management now.
Status CheckNotReferred(const Complaint& complaint) {
  if (complaint.status == ComplaintStatus::kReferred) {
    return Conflict("a case was made of this complaint: change it in the case");
  }
  return Status::Ok();
}

}  // namespace

Status IntakeService::RecordCorrection(Connection& c, const Principal& caller, std::int64_t id,
                                       std::string field, std::string old_json,
                                       std::string new_json) const {
  Correction x;
  x.complaint_id = id;
  x.field = std::move(field);
  x.by = caller.user_id;
  x.by_username = caller.username;
  x.at = clock_.Now();
  x.old_json = std::move(old_json);
  x.new_json = std::move(new_json);
  return store_.InsertCorrection(c, x);
}

Result<Complaint> IntakeService::Assess(const Principal& caller, std::int64_t id, Assessment a,
                                        const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  RETURN_IF_ERROR(CheckOneOf(kAffiliations, a.affiliation, "perpetrator_affiliation"));
  if (a.is_sea) {
    if (a.category.empty()) {
      return Unprocessable("category: say whether it is sexual exploitation or sexual abuse",
                           "category");
    }
    RETURN_IF_ERROR(CheckOneOf(kSeaCategories, a.category, "category"));
    if (a.type.empty()) return Unprocessable("type: say which type of SEA", "type");
  } else if (!a.category.empty() || !a.type.empty()) {
    return Unprocessable(std::string(a.category.empty() ? "type" : "category") +
                             " applies only when the complaint is SEA",
                         a.category.empty() ? "type" : "category");
  }
  return database_.Write<Complaint>([&](Connection& c) -> Result<Complaint> {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
    RETURN_IF_ERROR(CheckNotReferred(complaint));
    if (a.is_sea) {
      ASSIGN_OR_RETURN(auto types, store_.ListSeaTypes(c));
      const bool known = std::any_of(types.begin(), types.end(), [&](const SeaType& t) {
        return t.code == a.type && t.active;
      });
      if (!known) return Unprocessable("type is not a SEA type of the list", "type");
    }
    const UnixMillis now = clock_.Now();
    a.assessed_by = caller.user_id;
    a.assessed_by_username = caller.username;
    a.assessed_at = now;
    ComplaintStatus status = complaint.status;
    if (status == ComplaintStatus::kNew || status == ComplaintStatus::kAcknowledged) {
      status = ComplaintStatus::kAssessing;
      if (!complaint.acknowledged_at) {
        RETURN_IF_ERROR(store_.SetAcknowledged(c, id, caller.user_id, false, now));
      }
    }
    RETURN_IF_ERROR(store_.SetAssessment(c, id, a, status, now));
    RETURN_IF_ERROR(RecordCorrection(c, caller, id, "assessment",
                                     JsonText(AssessmentValue(complaint.assessment)),
                                     JsonText(AssessmentValue(a))));
    RETURN_IF_ERROR(store_.TouchAfterChange(c, id, now));
    RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.assess", id, info,
                          json::serialize(json::object{{"is_sea", a.is_sea}, {"type", a.type}})));
    ASSIGN_OR_RETURN(auto stored, store_.FindComplaint(c, id));
    return *stored;
  });
}

Result<Complaint> IntakeService::RouteComplaint(const Principal& caller, std::int64_t id,
                                                const RouteRequest& r, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  RETURN_IF_ERROR(CheckText(r.entity, 200, "entity"));
  RETURN_IF_ERROR(CheckText(r.office, 200, "office"));
  ASSIGN_OR_RETURN(auto complaint_places, Places());
  return database_.Write<Complaint>([&](Connection& c) -> Result<Complaint> {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
    RETURN_IF_ERROR(CheckNotReferred(complaint));
    if (!complaint.assessment) {
      return Unprocessable("assessment: record the preliminary assessment first", "assessment");
    }
    const Assessment& a = *complaint.assessment;
    const UnixMillis now = clock_.Now();
    Routing routing;
    routing.route = r.route;
    routing.routed_by = caller.user_id;
    routing.routed_by_username = caller.username;
    routing.routed_at = now;
    ComplaintStatus status = ComplaintStatus::kAssessing;
    std::optional<UnixMillis> closed_at;
    switch (r.route) {
      case Route::kCase:
        if (!a.is_sea || (a.affiliation != "mission" && a.affiliation != "unknown")) {
          return Unprocessable(
              "route: only SEA by mission personnel (or by someone not yet known) becomes a case",
              "route");
        }
        status = ComplaintStatus::kReadyForCase;
        break;
      case Route::kHandedOver:
        if (!a.is_sea ||
            (a.affiliation != "un_entity" && a.affiliation != "implementing_partner")) {
          return Unprocessable(
              "route: only SEA by another UN entity's or an implementing partner's personnel is "
              "handed over",
              "route");
        }
        if (r.entity.empty()) {
          return Unprocessable("entity: name the UN entity or partner it is handed to", "entity");
        }
        routing.entity = r.entity;
        routing.handed_over_on =
            r.handed_over_on.empty() ? FormatIso8601(now).substr(0, 10) : r.handed_over_on;
        if (!ValidDay(routing.handed_over_on)) {
          return Unprocessable("handed_over_on must be a date, YYYY-MM-DD", "handed_over_on");
        }
        status = ComplaintStatus::kHandedOver;
        closed_at = now;
        break;
      case Route::kGbvReferral:
        if (a.affiliation != "not_un") {
          return Unprocessable(
              "route: a GBV referral is for abuse by someone not related to the UN", "route");
        }
        status = ComplaintStatus::kGbvReferral;
        closed_at = now;
        break;
      case Route::kOtherMisconduct:
        if (a.is_sea) {
          return Unprocessable("route: the assessment says it is SEA", "route");
        }
        if (r.office.empty()) {
          return Unprocessable("office: name the office it is sent to", "office");
        }
        routing.office = r.office;
        status = ComplaintStatus::kOtherMisconduct;
        closed_at = now;
        break;
      case Route::kClosed:
        if (r.reason.empty()) return Unprocessable("reason: say why it is closed", "reason");
        RETURN_IF_ERROR(CheckOneOf(kCloseReasons, r.reason, "reason"));
        routing.reason = r.reason;
        status = ComplaintStatus::kClosed;
        closed_at = now;
        if (r.reason == "duplicate") {
          if (!r.duplicate_of) {
            return Unprocessable("duplicate_of: name the complaint it repeats", "duplicate_of");
          }
          if (*r.duplicate_of == id) {
            return Unprocessable("duplicate_of: a complaint cannot repeat itself", "duplicate_of");
          }
          ASSIGN_OR_RETURN(auto other, store_.FindComplaint(c, *r.duplicate_of));
          if (!other) return Unprocessable("duplicate_of: no such complaint", "duplicate_of");
          const std::int64_t root = other->duplicate_of.value_or(other->id);
          if (root == id) return Conflict("that complaint is a duplicate of this one");
          RETURN_IF_ERROR(store_.MarkDuplicate(c, id, root, now));
          status = ComplaintStatus::kDuplicate;
        }
        break;
    }
    if (!complaint.acknowledged_at) {
      RETURN_IF_ERROR(store_.SetAcknowledged(c, id, caller.user_id, false, now));
    }
    RETURN_IF_ERROR(store_.SetRouting(c, id, routing, status, closed_at, now));
    RETURN_IF_ERROR(RecordCorrection(c, caller, id, "routing",
                                     JsonText(RoutingValue(complaint.routing)),
                                     JsonText(RoutingValue(routing))));
    if (status != complaint.status) {
      RETURN_IF_ERROR(RecordCorrection(c, caller, id, "status",
                                       JsonText(json::value(StatusName(complaint.status))),
                                       JsonText(json::value(StatusName(status)))));
    }
    RETURN_IF_ERROR(store_.TouchAfterChange(c, id, now));
    RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.route", id, info,
                          json::serialize(json::object{{"route", RouteName(r.route)}})));
    ASSIGN_OR_RETURN(auto stored, store_.FindComplaint(c, id));
    return *stored;
  });
}

Result<Complaint> IntakeService::AcknowledgeHandover(const Principal& caller, std::int64_t id,
                                                     const std::string& on, const std::string& how,
                                                     const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  if (!ValidDay(on)) {
    return Unprocessable("acknowledged_on must be a date, YYYY-MM-DD", "acknowledged_on");
  }
  RETURN_IF_ERROR(CheckText(how, 500, "acknowledgement"));
  return database_.Write<Complaint>([&](Connection& c) -> Result<Complaint> {
    ASSIGN_OR_RETURN(auto complaint, LoadVisible(c, caller, id));
    if (complaint.status != ComplaintStatus::kHandedOver || !complaint.routing) {
      return Conflict("only a complaint handed over to another entity is acknowledged by it");
    }
    Routing routing = *complaint.routing;
    if (on < routing.handed_over_on) {
      return Unprocessable("acknowledged_on is before the hand-over", "acknowledged_on");
    }
    routing.acknowledged_on = on;
    routing.acknowledgement = how;
    const UnixMillis now = clock_.Now();
    RETURN_IF_ERROR(store_.SetRouting(c, id, routing, complaint.status, now, now));
    RETURN_IF_ERROR(RecordCorrection(c, caller, id, "routing",
                                     JsonText(RoutingValue(complaint.routing)),
                                     JsonText(RoutingValue(routing))));
    RETURN_IF_ERROR(store_.TouchComplaint(c, id, now));
    RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.handover_acknowledged", id, info));
    ASSIGN_OR_RETURN(auto stored, store_.FindComplaint(c, id));
    return *stored;
  });
}

// ---------------------------------------------------------------------------------------------
// Corrections

namespace {

json::value VictimsValue(const std::vector<VictimFacts>& victims) {
  json::array out;
  for (const auto& v : victims) {
    out.push_back(json::object{{"age", v.age ? json::value(*v.age) : json::value(nullptr)},
                               {"age_group", v.age_group},
                               {"sex", v.sex},
                               {"referral_consent", v.referral_consent}});
  }
  return out;
}

json::value PerpetratorsValue(const std::vector<PerpetratorFacts>& perpetrators) {
  json::array out;
  for (const auto& p : perpetrators) {
    out.push_back(json::object{{"category", p.category},
                               {"nationality", p.nationality},
                               {"unit", p.unit},
                               {"rank", p.rank},
                               {"identified", p.identified}});
  }
  return out;
}

json::value StringsValue(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// The sealed parts of the victims (or perpetrators) as one value for the history.
json::value SealedVictims(const Identifying& id) {
  return json::object{{"names", StringsValue(id.victim_names)},
                      {"pregnant", StringsValue(id.victim_pregnant)},
                      {"child_born", StringsValue(id.victim_child_born)}};
}
json::value SealedPerpetrators(const Identifying& id) {
  return json::object{{"names", StringsValue(id.perpetrator_names)},
                      {"descriptions", StringsValue(id.perpetrator_descriptions)}};
}

// Lists parallel to `size` people: padded with `fill`, cut to size.
void Fit(std::vector<std::string>& list, std::size_t size, const std::string& fill) {
  list.resize(size, fill);
}

}  // namespace

Result<std::pair<Complaint, std::vector<std::string>>> IntakeService::Correct(
    const Principal& caller, std::int64_t id, const ComplaintPatch& patch,
    const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  const auto key = keyring_.Get(caller.session_id);
  const UnixMillis now = clock_.Now();
  if (patch.received_at && *patch.received_at > now + 5 * kMinute) {
    return Unprocessable("received_at is in the future", "received_at");
  }
  ASSIGN_OR_RETURN(auto places, Places());
  using Out = std::pair<Complaint, std::vector<std::string>>;
  bool became_urgent = false;
  auto corrected = database_.Write<Out>([&](Connection& c) -> Result<Out> {
    ASSIGN_OR_RETURN(Complaint before, LoadVisible(c, caller, id));
    RETURN_IF_ERROR(CheckNotReferred(before));
    Complaint after = before;
    if (patch.received_at) after.received_at = *patch.received_at;
    if (patch.channel) after.channel = *patch.channel;
    if (patch.cbcm_name) after.cbcm_name = *patch.cbcm_name;
    if (patch.reporter_relation) after.reporter_relation = *patch.reporter_relation;
    if (patch.prefecture) after.prefecture = *patch.prefecture;
    if (patch.sub_prefecture) after.sub_prefecture = *patch.sub_prefecture;
    if (patch.town) after.town = *patch.town;
    if (patch.site) after.site = *patch.site;
    if (patch.incident_date_precision) {
      after.incident_date_precision = *patch.incident_date_precision;
    }
    if (patch.incident_date) after.incident_date = *patch.incident_date;
    if (patch.risk_child) after.risk_child = *patch.risk_child;
    if (patch.risk_danger) after.risk_danger = *patch.risk_danger;
    if (patch.risk_medical) after.risk_medical = *patch.risk_medical;
    if (patch.victims) after.victims = *patch.victims;
    if (patch.perpetrators) after.perpetrators = *patch.perpetrators;

    // The sealed half: open it (a reader with a recent proof), change it, seal it anew.
    const bool resize_victims = patch.victims && patch.victims->size() != before.victims.size();
    const bool resize_perpetrators =
        patch.perpetrators && patch.perpetrators->size() != before.perpetrators.size();
    const bool sealed = patch.TouchesSealed() || resize_victims || resize_perpetrators;
    Identifying old_id, new_id;
    if (sealed) {
      ASSIGN_OR_RETURN(bool reader, IsIntakeReader(c, caller));
      if (!reader) {
        return PermissionDenied(
            "only an intake reader corrects names, contacts, the narrative, or adds or removes "
            "a person");
      }
      RETURN_IF_ERROR(security::RequireRecentProof(caller, now));
      if (!key) return PermissionDenied("your key is locked: sign in again");
      ASSIGN_OR_RETURN(auto text, vault_.Open(c, before.sealed_item, *key));
      old_id = ParseIdentifying(text);
      new_id = old_id;
      if (patch.reporter_name) new_id.reporter_name = *patch.reporter_name;
      if (patch.reporter_phone) new_id.reporter_phone = *patch.reporter_phone;
      if (patch.reporter_email) new_id.reporter_email = *patch.reporter_email;
      if (patch.reporter_address) new_id.reporter_address = *patch.reporter_address;
      if (patch.narrative) new_id.narrative = *patch.narrative;
      if (patch.victim_names) new_id.victim_names = *patch.victim_names;
      if (patch.victim_pregnant) new_id.victim_pregnant = *patch.victim_pregnant;
      if (patch.victim_child_born) new_id.victim_child_born = *patch.victim_child_born;
      if (patch.perpetrator_names) new_id.perpetrator_names = *patch.perpetrator_names;
      if (patch.perpetrator_descriptions) {
        new_id.perpetrator_descriptions = *patch.perpetrator_descriptions;
      }
      Fit(new_id.victim_names, after.victims.size(), "");
      Fit(new_id.victim_pregnant, after.victims.size(), "unknown");
      Fit(new_id.victim_child_born, after.victims.size(), "unknown");
      Fit(new_id.perpetrator_names, after.perpetrators.size(), "");
      Fit(new_id.perpetrator_descriptions, after.perpetrators.size(), "");
    }

    // The same rules as at intake.
    NewComplaint check = AsNew(after);
    check.identifying = sealed ? new_id : Identifying{};
    if (!sealed) {
      check.identifying.narrative = "(sealed)";  // not corrected: its rules held at intake
      check.anonymous = false;
      check.contact_consent = false;
    }
    NormaliseFacts(check);
    RETURN_IF_ERROR(Validate(check));
    RETURN_IF_ERROR(CheckPlace(check));
    after.victims = check.victims;
    after.perpetrators = check.perpetrators;
    after.risk_child = check.risk_child;
    after.urgent = after.risk_child || after.risk_danger || after.risk_medical;

    // The history: one entry per changed clear fact, one sealed entry per changed sealed one.
    std::vector<std::string> changed;
    auto clear = [&](const char* field, const json::value& old_value,
                     const json::value& new_value) -> Status {
      if (old_value == new_value) return Status::Ok();
      changed.emplace_back(field);
      return RecordCorrection(c, caller, id, field, JsonText(old_value), JsonText(new_value));
    };
    RETURN_IF_ERROR(clear("received_at", json::value(FormatIso8601(before.received_at)),
                          json::value(FormatIso8601(after.received_at))));
    RETURN_IF_ERROR(clear("channel", json::value(ChannelName(before.channel)),
                          json::value(ChannelName(after.channel))));
    RETURN_IF_ERROR(
        clear("cbcm_name", json::value(before.cbcm_name), json::value(after.cbcm_name)));
    RETURN_IF_ERROR(clear("reporter_relation", json::value(before.reporter_relation),
                          json::value(after.reporter_relation)));
    RETURN_IF_ERROR(
        clear("prefecture", json::value(before.prefecture), json::value(after.prefecture)));
    RETURN_IF_ERROR(clear("sub_prefecture", json::value(before.sub_prefecture),
                          json::value(after.sub_prefecture)));
    RETURN_IF_ERROR(clear("town", json::value(before.town), json::value(after.town)));
    RETURN_IF_ERROR(clear("site", json::value(before.site), json::value(after.site)));
    RETURN_IF_ERROR(clear("incident_date_precision", json::value(before.incident_date_precision),
                          json::value(after.incident_date_precision)));
    RETURN_IF_ERROR(clear("incident_date", json::value(before.incident_date),
                          json::value(after.incident_date)));
    RETURN_IF_ERROR(
        clear("risk_child", json::value(before.risk_child), json::value(after.risk_child)));
    RETURN_IF_ERROR(
        clear("risk_danger", json::value(before.risk_danger), json::value(after.risk_danger)));
    RETURN_IF_ERROR(
        clear("risk_medical", json::value(before.risk_medical), json::value(after.risk_medical)));
    RETURN_IF_ERROR(clear("victims", VictimsValue(before.victims), VictimsValue(after.victims)));
    RETURN_IF_ERROR(clear("perpetrators", PerpetratorsValue(before.perpetrators),
                          PerpetratorsValue(after.perpetrators)));

    if (sealed) {
      ASSIGN_OR_RETURN(auto readers, SealingReaders(c));
      std::vector<std::pair<std::string, std::pair<json::value, json::value>>> sealed_changes = {
          {"reporter_name", {json::value(old_id.reporter_name), json::value(new_id.reporter_name)}},
          {"reporter_phone",
           {json::value(old_id.reporter_phone), json::value(new_id.reporter_phone)}},
          {"reporter_email",
           {json::value(old_id.reporter_email), json::value(new_id.reporter_email)}},
          {"reporter_address",
           {json::value(old_id.reporter_address), json::value(new_id.reporter_address)}},
          {"narrative", {json::value(old_id.narrative), json::value(new_id.narrative)}},
          {"victims.sealed", {SealedVictims(old_id), SealedVictims(new_id)}},
          {"perpetrators.sealed", {SealedPerpetrators(old_id), SealedPerpetrators(new_id)}},
      };
      bool any = false;
      for (const auto& [field, values] : sealed_changes) {
        if (values.first == values.second) continue;
        any = true;
        changed.push_back(field);
        ASSIGN_OR_RETURN(
            std::int64_t item,
            vault_.Seal(c, "intake.correction",
                        JsonText(json::object{{"old", values.first}, {"new", values.second}}),
                        readers));
        Correction x;
        x.complaint_id = id;
        x.field = field;
        x.by = caller.user_id;
        x.by_username = caller.username;
        x.at = now;
        x.sealed = true;
        x.sealed_item = item;
        RETURN_IF_ERROR(store_.InsertCorrection(c, x));
      }
      if (any) {
        ASSIGN_OR_RETURN(std::int64_t item,
                         vault_.Seal(c, "intake.complaint", IdentifyingJson(new_id), readers));
        ASSIGN_OR_RETURN(auto victim_readers, VictimSealingReaders(c, readers));
        ASSIGN_OR_RETURN(std::int64_t victim_item,
                         vault_.Seal(c, "intake.victim_part",
                                     VictimPartJson(VictimPartOf(after, new_id)), victim_readers));
        RETURN_IF_ERROR(store_.ReplaceSealedItems(c, id, item, victim_item));
      }
    }
    if (changed.empty()) return Out{before, {}};
    RETURN_IF_ERROR(store_.UpdateFacts(c, after, now));
    RETURN_IF_ERROR(Audit(c, caller, "intake.complaint.correct", id, info,
                          json::serialize(json::object{{"fields", StringsValue(changed)}})));
    ASSIGN_OR_RETURN(auto stored, store_.FindComplaint(c, id));
    Complaint out = *stored;
    out.field_office = FieldOfficeOf(*places, out.sub_prefecture);
    became_urgent = out.urgent && !before.urgent;
    return Out{out, changed};
  });
  // After the commit: the alert goes to the mail outbox in a transaction of its own, and never
  // for a correction that was rolled back.
  if (corrected.ok() && became_urgent && settings_.on_urgent) {
    settings_.on_urgent(corrected->first);
  }
  return corrected;
}

// ---------------------------------------------------------------------------------------------
// The victim part

VictimIdentifying VictimPartOf(const Complaint& complaint, const Identifying& id) {
  VictimIdentifying v;
  v.victim_names = id.victim_names;
  v.victim_pregnant = id.victim_pregnant;
  v.victim_child_born = id.victim_child_born;
  // The reporter's identity only when the reporter is the victim: the VRA never learns who
  // else reported.
  if (complaint.reporter_relation == "victim") {
    v.reporter_name = id.reporter_name;
    v.reporter_phone = id.reporter_phone;
    v.reporter_email = id.reporter_email;
    v.reporter_address = id.reporter_address;
  }
  return v;
}

std::string VictimPartJson(const VictimIdentifying& v) {
  return json::serialize(json::object{{"victim_names", StringsValue(v.victim_names)},
                                      {"victim_pregnant", StringsValue(v.victim_pregnant)},
                                      {"victim_child_born", StringsValue(v.victim_child_born)},
                                      {"reporter_name", v.reporter_name},
                                      {"reporter_phone", v.reporter_phone},
                                      {"reporter_email", v.reporter_email},
                                      {"reporter_address", v.reporter_address}});
}

VictimIdentifying ParseVictimPart(const std::string& text) {
  VictimIdentifying v;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return v;
  const auto& o = value.as_object();
  v.victim_names = StringsAt(o, "victim_names");
  v.victim_pregnant = StringsAt(o, "victim_pregnant");
  v.victim_child_born = StringsAt(o, "victim_child_born");
  v.reporter_name = StringAt(o, "reporter_name");
  v.reporter_phone = StringAt(o, "reporter_phone");
  v.reporter_email = StringAt(o, "reporter_email");
  v.reporter_address = StringAt(o, "reporter_address");
  return v;
}

Result<std::vector<std::int64_t>> IntakeService::VictimSealingReaders(
    Connection& c, const std::vector<std::int64_t>& intake_readers) {
  ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, kVictimReaderScope));
  std::vector<std::int64_t> all = intake_readers;
  for (auto id : victims) {
    if (std::find(all.begin(), all.end(), id) == all.end()) all.push_back(id);
  }
  return all;
}

Result<std::vector<Complaint>> IntakeService::VictimsQueue(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeVictims));
  ASSIGN_OR_RETURN(auto places, Places());
  ASSIGN_OR_RETURN(auto list, database_.Read<std::vector<Complaint>>(
                                  [&](Connection& c) { return store_.ListForVictimsAdvocate(c); }));
  for (auto& complaint : list)
    complaint.field_office = FieldOfficeOf(*places, complaint.sub_prefecture);
  return list;
}

Result<VictimPartDetail> IntakeService::OpenVictimPart(const Principal& caller, std::int64_t id,
                                                       const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeVictims));
  const auto key = keyring_.Get(caller.session_id);
  ASSIGN_OR_RETURN(auto places, Places());
  VictimPartDetail out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.FindComplaint(c, id));
    if (!found || !ReachesVictimsAdvocate(*found)) return NotFound("no such victim part");
    out.complaint = *found;
    out.complaint.field_office = FieldOfficeOf(*places, found->sub_prefecture);
    ASSIGN_OR_RETURN(bool victims_reader, readers_.IsReader(c, kVictimReaderScope, caller.user_id));
    ASSIGN_OR_RETURN(bool intake_reader, IsIntakeReader(c, caller));
    ASSIGN_OR_RETURN(auto item, store_.VictimItem(c, id));
    out.can_read = (victims_reader || intake_reader) && item.has_value();
    out.reauth_required = out.can_read && !security::RequireRecentProof(caller, clock_.Now()).ok();
    if (out.can_read && key && !out.reauth_required) {
      auto text = vault_.Open(c, *item, *key);
      if (text.ok()) {
        out.identifying = ParseVictimPart(*text);
        out.open = true;
      }
    }
    return Status::Ok();
  }));
  if (out.open) {
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      return Audit(c, caller, "intake.victim_part.read", id, info);
    }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Vocabularies and people

Result<std::vector<StaffMember>> IntakeService::Assignees(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeQueue));
  ASSIGN_OR_RETURN(auto staff, staff_());
  std::vector<StaffMember> out;
  for (auto& member : staff) {
    if (IsEligibleReader(member)) out.push_back(std::move(member));
  }
  std::sort(out.begin(), out.end(), [](const StaffMember& a, const StaffMember& b) {
    return a.display_name == b.display_name ? a.username < b.username
                                            : a.display_name < b.display_name;
  });
  return out;
}

Result<std::vector<SeaType>> IntakeService::SeaTypes(const Principal& caller) {
  if (!security::HasPermission(caller, Permission::kIntakeSubmit) &&
      !security::HasPermission(caller, Permission::kIntakeVictims) &&
      !security::HasPermission(caller, Permission::kIntakeFigures)) {
    return PermissionDenied("your role does not work with complaints");
  }
  return database_.Read<std::vector<SeaType>>(
      [&](Connection& c) { return store_.ListSeaTypes(c); });
}

namespace {
Status CheckSeaType(const SeaType& t) {
  if (t.code.empty() || t.code.size() > 40 ||
      t.code.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Unprocessable("code must be 1-40 of a-z, 0-9 and _", "code");
  }
  RETURN_IF_ERROR(CheckText(t.label_en, 100, "label_en"));
  RETURN_IF_ERROR(CheckText(t.label_fr, 100, "label_fr"));
  return Status::Ok();
}
}  // namespace

Result<SeaType> IntakeService::AddSeaType(const Principal& caller, SeaType type,
                                          const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeReaders));
  RETURN_IF_ERROR(CheckSeaType(type));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool added, store_.InsertSeaType(c, type, clock_.Now()));
    if (!added) return Conflict("a SEA type with this code exists", "code");
    return Audit(c, caller, "intake.sea_type.add", 0, info,
                 json::serialize(json::object{{"code", type.code}}));
  }));
  return type;
}

Result<SeaType> IntakeService::UpdateSeaType(const Principal& caller, SeaType type,
                                             const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeReaders));
  RETURN_IF_ERROR(CheckSeaType(type));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool updated, store_.UpdateSeaType(c, type, clock_.Now()));
    if (!updated) return NotFound("no such SEA type");
    return Audit(c, caller, "intake.sea_type.update", 0, info,
                 json::serialize(json::object{{"code", type.code}, {"active", type.active}}));
  }));
  return type;
}

// ---------------------------------------------------------------------------------------------
// Figures

namespace {

constexpr std::string_view kTargetsSetting = "figures.targets";

std::string MonthText(UnixMillis at) { return FormatIso8601(at).substr(0, 7); }

std::string AddMonths(const std::string& month, int delta) {
  int year = std::stoi(month.substr(0, 4));
  int m = std::stoi(month.substr(5, 2)) - 1 + delta;
  year += m >= 0 ? m / 12 : (m - 11) / 12;
  m = ((m % 12) + 12) % 12;
  char out[8];
  std::snprintf(out, sizeof out, "%04d-%02d", year, m + 1);
  return out;
}

// Sorted by count, largest first (ties by key), except months, in order.
std::vector<FigureItem> Items(const std::map<std::string, std::int64_t>& counts, bool by_key) {
  std::vector<FigureItem> out;
  for (const auto& [key, count] : counts) out.push_back(FigureItem{key, count});
  if (!by_key) {
    std::stable_sort(out.begin(), out.end(),
                     [](const FigureItem& a, const FigureItem& b) { return a.count > b.count; });
  }
  return out;
}

// How many of a histogram of minutes were acknowledged within their target (urgent or not).
std::int64_t WithinTarget(const std::vector<IntakeStore::DelayBucket>& buckets,
                          const FigureTargets& targets) {
  std::int64_t within = 0;
  for (const auto& b : buckets) {
    const int target = b.urgent ? targets.urgent_hours : targets.other_hours;
    if (b.minutes <= static_cast<std::int64_t>(target) * 60) within += b.count;
  }
  return within;
}

// The median and 90th percentile of a histogram of minutes, in hours.
void Percentiles(std::vector<IntakeStore::DelayBucket> buckets, DelayFigures& out) {
  std::sort(buckets.begin(), buckets.end(),
            [](const auto& a, const auto& b) { return a.minutes < b.minutes; });
  std::int64_t total = 0;
  for (const auto& b : buckets) total += b.count;
  out.count = total;
  if (total == 0) return;
  auto at = [&](double share) {
    const auto rank = static_cast<std::int64_t>(std::ceil(share * static_cast<double>(total)));
    std::int64_t seen = 0;
    for (const auto& b : buckets) {
      seen += b.count;
      if (seen >= std::max<std::int64_t>(rank, 1)) return static_cast<double>(b.minutes) / 60.0;
    }
    return static_cast<double>(buckets.back().minutes) / 60.0;
  };
  out.median_hours = at(0.5);
  out.p90_hours = at(0.9);
}

}  // namespace

Result<FigureTargets> IntakeService::LoadTargets(Connection& c) const {
  FigureTargets targets;
  ASSIGN_OR_RETURN(auto text, store_.Setting(c, std::string(kTargetsSetting)));
  if (text) {
    boost::system::error_code ec;
    auto value = json::parse(*text, ec);
    if (!ec && value.is_object()) {
      const auto& o = value.as_object();
      if (const auto* u = o.if_contains("urgent_hours"); u && u->is_int64()) {
        targets.urgent_hours = static_cast<int>(u->as_int64());
      }
      if (const auto* h = o.if_contains("other_hours"); h && h->is_int64()) {
        targets.other_hours = static_cast<int>(h->as_int64());
      }
    }
  }
  return targets;
}

Result<ComplaintFigures> IntakeService::Figures(const Principal& caller, std::string from,
                                                std::string to) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeFigures));
  const std::string this_month = MonthText(clock_.Now());
  if (to.empty()) to = this_month;
  if (from.empty()) from = AddMonths(to, -11);
  if (from > to) return InvalidArgument("from is after to", "from");
  ASSIGN_OR_RETURN(auto places, Places());
  ComplaintFigures out;
  out.from = from;
  out.to = to;
  const std::pair<std::string, std::string> key{from, to};
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    // The same figures as long as nothing they count changed (the revision is bumped in the
    // transaction of every such write, by any server sharing the database).
    ASSIGN_OR_RETURN(const std::int64_t revision, store_.Revision(c));
    if (auto cached = figures_cache_.Find(key, revision)) {
      out = *cached;
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(out.targets, LoadTargets(c));
    ASSIGN_OR_RETURN(auto cells, store_.FigureCells(c, from, to));
    std::map<std::string, std::int64_t> months, channels, prefectures, offices, categories, types,
        routes;
    for (std::string m = from; m <= to; m = AddMonths(m, 1)) months[m] = 0;
    for (const auto& cell : cells) {
      out.total += cell.count;
      months[cell.month] += cell.count;
      channels[cell.channel] += cell.count;
      // An empty key counts what was not said (no place, not assessed yet, not routed yet).
      prefectures[cell.prefecture] += cell.count;
      offices[FieldOfficeOf(*places, cell.sub_prefecture)] += cell.count;
      categories[cell.category] += cell.count;
      if (!cell.type.empty()) types[cell.type] += cell.count;
      routes[cell.route] += cell.count;
    }
    out.by_month = Items(months, true);
    out.by_channel = Items(channels, false);
    out.by_prefecture = Items(prefectures, false);
    out.by_field_office = Items(offices, false);
    out.by_category = Items(categories, false);
    out.by_type = Items(types, false);
    out.by_route = Items(routes, false);
    ASSIGN_OR_RETURN(auto acks, store_.AcknowledgementDelays(c, from, to));
    Percentiles(acks, out.acknowledgement);
    out.acknowledgement.within_target = WithinTarget(acks, out.targets);
    ASSIGN_OR_RETURN(auto assessed, store_.AssessmentDelays(c, from, to));
    Percentiles(assessed, out.assessment);
    figures_cache_.Store(key, revision, std::make_shared<const ComplaintFigures>(out));
    return Status::Ok();
  }));
  return out;
}

Result<FigureTargets> IntakeService::SetFigureTargets(const Principal& caller,
                                                      FigureTargets targets,
                                                      const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kIntakeReaders));
  if (targets.urgent_hours < 1 || targets.urgent_hours > 720) {
    return Unprocessable("urgent_hours must be 1 to 720", "urgent_hours");
  }
  if (targets.other_hours < targets.urgent_hours || targets.other_hours > 720) {
    return Unprocessable("other_hours must be at least urgent_hours and at most 720",
                         "other_hours");
  }
  const std::string value = json::serialize(
      json::object{{"urgent_hours", targets.urgent_hours}, {"other_hours", targets.other_hours}});
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        store_.PutSetting(c, std::string(kTargetsSetting), value, caller.username, clock_.Now()));
    return Audit(c, caller, "intake.figures.targets", 0, info, value);
  }));
  return targets;
}

Result<double> IntakeService::IndicatorValue(Connection& c, std::string_view key,
                                             const std::string& from, const std::string& to) const {
  if (key == kIndicatorComplaints) {
    ASSIGN_OR_RETURN(auto n, store_.CountReceived(c, from, to, ""));
    return static_cast<double>(n);
  }
  if (key == kIndicatorHotline4044) {
    ASSIGN_OR_RETURN(auto n, store_.CountReceived(c, from, to, "hotline_4044"));
    return static_cast<double>(n);
  }
  if (key == kIndicatorAcknowledgedInTime) {
    ASSIGN_OR_RETURN(auto targets, LoadTargets(c));
    ASSIGN_OR_RETURN(auto acks, store_.AcknowledgementDelays(c, from, to));
    ASSIGN_OR_RETURN(auto received, store_.CountReceived(c, from, to, ""));
    if (received == 0) return 100.0;
    const std::int64_t within = WithinTarget(acks, targets);
    return std::round(1000.0 * static_cast<double>(within) / static_cast<double>(received)) / 10;
  }
  return NotFound("no such intake indicator");
}

}  // namespace psea::intake

// ---- Retention

namespace psea::intake {

Result<std::vector<RetentionCandidate>> IntakeService::RetentionCandidates(
    Connection& c, const std::vector<ComplaintStatus>& statuses, UnixMillis closed_before) {
  return store_.ListClosedBefore(c, statuses, closed_before);
}

Result<bool> IntakeService::ComplaintExists(Connection& c, std::int64_t id) {
  ASSIGN_OR_RETURN(auto complaint, store_.FindComplaint(c, id));
  return complaint.has_value();
}

Result<IntakeService::PurgeCounts> IntakeService::PurgeComplaints(
    Connection& c, const std::vector<std::int64_t>& ids, std::vector<std::string>& files_to_erase) {
  PurgeCounts counts;
  for (std::int64_t id : ids) {
    ASSIGN_OR_RETURN(ComplaintFootprint footprint, store_.FootprintOf(c, id));
    ASSIGN_OR_RETURN(bool deleted, store_.DeleteComplaint(c, id));
    if (!deleted) continue;
    ASSIGN_OR_RETURN(std::int64_t items, vault_.DeleteItems(c, footprint.vault_items));
    ++counts.complaints;
    counts.vault_items += items;
    for (const auto& name : footprint.stored_files) {
      files_to_erase.push_back((std::filesystem::path(settings_.files_dir) / name).string());
      ++counts.files;
    }
  }
  // The figures count complaints: the removed ones drop out of them.
  if (counts.complaints > 0) RETURN_IF_ERROR(store_.BumpRevision(c));
  return counts;
}

Result<std::int64_t> IntakeService::CountQuarantinedBefore(Connection& c,
                                                           UnixMillis received_before) {
  ASSIGN_OR_RETURN(auto rows, store_.ListQuarantinedBefore(c, received_before));
  return static_cast<std::int64_t>(rows.size());
}

Result<std::int64_t> IntakeService::PurgeQuarantinedBefore(Connection& c,
                                                           UnixMillis received_before) {
  ASSIGN_OR_RETURN(auto rows, store_.ListQuarantinedBefore(c, received_before));
  std::vector<std::int64_t> items;
  for (const auto& [id, item] : rows) {
    RETURN_IF_ERROR(store_.DeleteQuarantined(c, id));
    items.push_back(item);
  }
  RETURN_IF_ERROR(vault_.DeleteItems(c, items).status());
  return static_cast<std::int64_t>(rows.size());
}

std::int64_t IntakeService::EraseFiles(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::int64_t removed = 0;
  for (const auto& path : paths) {
    std::error_code error;
    const auto size = fs::file_size(path, error);
    if (error) {
      if (!fs::exists(path, error)) ++removed;
      continue;
    }
    // The content is ciphertext whose key is gone already; overwriting it (and syncing, so
    // that the zeros reach the disk before the name goes) still keeps it from a later look at
    // a disk whose file system does not reuse the blocks at once.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      const std::string zeros(64 * 1024, '\0');
      for (std::uintmax_t written = 0; written < size;) {
        const auto chunk = std::min<std::uintmax_t>(zeros.size(), size - written);
        const ssize_t n = ::write(fd, zeros.data(), chunk);
        if (n <= 0) break;
        written += static_cast<std::uintmax_t>(n);
      }
      ::fsync(fd);
      ::close(fd);
    }
    if (fs::remove(path, error) && !error) {
      ++removed;
    } else {
      log::Warn("retention_file", {{"detail", "cannot remove an erased attachment file"},
                                   {"file", fs::path(path).filename().string()}});
    }
  }
  return removed;
}

}  // namespace psea::intake
