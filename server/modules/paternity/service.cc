#include "modules/paternity/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/utf8.h"

namespace psea::paternity {

namespace json = boost::json;
using security::Principal;
using storage::Connection;

namespace {

constexpr std::string_view kSealedKind = "paternity-sealed";

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

Status RequireOpen(const Claim& claim) {
  if (claim.status == "closed") return Conflict("the claim is closed", "status");
  return Status::Ok();
}

Status CheckAmount(std::int64_t cents) {
  if (cents <= 0) return Unprocessable("amount must be positive", "amount");
  return Status::Ok();
}

Status CheckCurrency(const std::string& currency) {
  const bool ok =
      currency.size() == 3 &&
      std::all_of(currency.begin(), currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  if (!ok) return InvalidArgument("currency is an ISO 4217 code (XAF, USD, ...)", "currency");
  return Status::Ok();
}

}  // namespace

Status CheckSealed(const SealedPart& sealed) {
  RETURN_IF_ERROR(CheckText(sealed.child_name, 200, "sealed.child_name", false));
  RETURN_IF_ERROR(CheckText(sealed.wishes, 4000, "sealed.wishes", false));
  if (!sealed.child_date_of_birth.empty()) {
    const auto parsed = ParseIso8601(sealed.child_date_of_birth);
    if (!parsed || sealed.child_date_of_birth.size() != 10) {
      return InvalidArgument("a date YYYY-MM-DD", "sealed.child_date_of_birth");
    }
  }
  return Status::Ok();
}

PaternityService::PaternityService(storage::Database& database, const Clock& clock,
                                   const security::AuditLog& audit, const security::Vault& vault,
                                   const security::KeyRing& keyring,
                                   assistance::AssistanceService& assistance,
                                   cases::CasesService& cases)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      assistance_(assistance),
      cases_(cases) {}

// ---- Helpers

Result<PaternityService::FileAccess> PaternityService::AccessToFile(const Principal& caller,
                                                                    std::int64_t file_id) {
  // A partner's case manager designated for a file (a referral's identity share) is not told of
  // paternity claims: the consent shares the victim's identity, not the child's.
  if (caller.role == security::Role::kProviderCaseManager)
    return NotFound("no such assistance file");
  auto view = assistance_.GetFile(caller, file_id);
  if (!view.ok()) {
    if (view.status().code() == ErrorCode::kNotFound) return NotFound("no such assistance file");
    return view.status();
  }
  FileAccess access;
  access.work = view->can_work;
  access.file_closed = view->file.status == "closed";
  for (const auto& d : view->file.designees) access.designees.push_back(d.user_id);
  for (const auto& link : view->cases) access.case_ids.push_back(link.case_id);
  return access;
}

Result<std::pair<Claim, PaternityService::FileAccess>> PaternityService::LoadFor(
    const Principal& caller, std::int64_t id, bool write) {
  if (caller.kind != Principal::Kind::kUser) return NotFound("no such paternity claim");
  ASSIGN_OR_RETURN(auto found, database_.Read<std::optional<Claim>>(
                                   [&](Connection& c) { return store_.FindClaim(c, id); }));
  if (!found) return NotFound("no such paternity claim");
  auto access = AccessToFile(caller, found->file_id);
  if (!access.ok()) {
    if (access.status().code() == ErrorCode::kNotFound) return NotFound("no such paternity claim");
    return access.status();
  }
  if (write && !access->work) {
    return PermissionDenied("only the Victims' Rights Advocate changes a paternity claim");
  }
  return std::make_pair(std::move(*found), std::move(*access));
}

Result<ClaimView> PaternityService::ViewOf(Connection& c, const Principal& caller, Claim claim,
                                           const FileAccess& access) const {
  ClaimView view;
  view.custody = CheckCustody(claim);
  view.can_work = access.work;
  view.has_sealed = claim.sealed_item.has_value();
  ASSIGN_OR_RETURN(bool victims_reader,
                   readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
  const bool designee = std::find(access.designees.begin(), access.designees.end(),
                                  caller.user_id) != access.designees.end();
  view.can_reveal = view.has_sealed && (victims_reader || designee);
  view.claim = std::move(claim);
  return view;
}

Result<ClaimView> PaternityService::Fresh(const Principal& caller, std::int64_t id) {
  return GetClaim(caller, id);
}

Result<std::int64_t> PaternityService::Seal(Connection& c,
                                            const std::vector<std::int64_t>& designees,
                                            const SealedPart& sealed) const {
  ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, intake::kVictimReaderScope));
  std::set<std::int64_t> readers(victims.begin(), victims.end());
  readers.insert(designees.begin(), designees.end());
  if (readers.empty()) {
    return Unprocessable(
        "nobody could open this: the victims readers must be named first (`psea intake readers "
        "add --scope victims`)",
        "sealed");
  }
  return vault_.Seal(
      c, kSealedKind,
      json::serialize(json::object{{"child_name", sealed.child_name},
                                   {"child_date_of_birth", sealed.child_date_of_birth},
                                   {"wishes", sealed.wishes}}),
      std::vector<std::int64_t>(readers.begin(), readers.end()));
}

Status PaternityService::CheckSubject(const Principal& caller, const FileAccess& access,
                                      const std::optional<std::int64_t>& case_id,
                                      const std::optional<std::int64_t>& subject_id) const {
  if (!case_id) {
    if (subject_id)
      return Unprocessable("a subject is named with its case (case_id)", "subject_id");
    return Status::Ok();
  }
  if (std::find(access.case_ids.begin(), access.case_ids.end(), *case_id) ==
      access.case_ids.end()) {
    return Unprocessable("link the case to the assistance file first", "case_id");
  }
  auto kase = cases_.Get(caller, *case_id);
  if (!kase.ok()) return Unprocessable("no such case that you see", "case_id");
  if (!subject_id) return Status::Ok();
  for (const auto& subject : kase->kase.subjects) {
    if (subject.id == *subject_id) return Status::Ok();
  }
  return Unprocessable("no such subject on that case", "subject_id");
}

Status PaternityService::Audit(Connection& c, const Principal& caller, std::int64_t claim_id,
                               const std::string& action, const RequestInfo& info,
                               const std::string& details) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = "paternity_claim";
  event.object_id = std::to_string(claim_id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Result<UnixMillis> PaternityService::ParseTime(const std::string& text, const std::string& field,
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

Result<ClaimView> PaternityService::Change(
    const Principal& caller, std::int64_t id,
    const std::function<Status(Connection&, Claim&)>& change) {
  RETURN_IF_ERROR(LoadFor(caller, id, true).status());
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.FindClaim(c, id));
    if (!found) return NotFound("no such paternity claim");
    Claim claim = std::move(*found);
    const std::int64_t expected = claim.version;
    RETURN_IF_ERROR(change(c, claim));
    claim.updated_at = clock_.Now();
    ASSIGN_OR_RETURN(bool stored, store_.UpdateClaim(c, claim, expected));
    if (!stored) return Conflict("someone changed the claim since you read it", "version");
    return Status::Ok();
  }));
  return Fresh(caller, id);
}

// ---- Claims

Result<std::vector<ClaimView>> PaternityService::ListClaims(const Principal& caller,
                                                            std::int64_t file_id) {
  if (caller.kind != Principal::Kind::kUser) return NotFound("no such assistance file");
  ASSIGN_OR_RETURN(auto access, AccessToFile(caller, file_id));
  std::vector<ClaimView> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(auto claims, store_.ClaimsOfFile(c, file_id));
    for (auto& claim : claims) {
      ASSIGN_OR_RETURN(auto view, ViewOf(c, caller, std::move(claim), access));
      out.push_back(std::move(view));
    }
    return Status::Ok();
  }));
  std::map<std::int64_t, std::string> references;
  for (auto& view : out) {
    if (!view.claim.case_id) continue;
    const std::int64_t case_id = *view.claim.case_id;
    if (!references.count(case_id)) {
      auto kase = cases_.Get(caller, case_id);
      references[case_id] = kase.ok() ? kase->kase.reference : "";
    }
    view.case_reference = references[case_id];
  }
  return out;
}

Result<ClaimView> PaternityService::GetClaim(const Principal& caller, std::int64_t id) {
  ASSIGN_OR_RETURN(auto loaded, LoadFor(caller, id, false));
  ClaimView view;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(view, ViewOf(c, caller, loaded.first, loaded.second));
    return Status::Ok();
  }));
  if (view.claim.case_id) {
    auto kase = cases_.Get(caller, *view.claim.case_id);
    if (kase.ok()) view.case_reference = kase->kase.reference;
  }
  return view;
}

Result<ClaimView> PaternityService::CreateClaim(const Principal& caller, const NewClaim& request,
                                                const RequestInfo& info) {
  RETURN_IF_ERROR(assistance::RequireAdvocate(caller));
  if (request.sealed) RETURN_IF_ERROR(CheckSealed(*request.sealed));
  UnixMillis claim_date = clock_.Now();
  if (!request.claim_date.empty()) {
    ASSIGN_OR_RETURN(claim_date, ParseTime(request.claim_date, "claim_date", false));
  }
  ASSIGN_OR_RETURN(auto access, AccessToFile(caller, request.file_id));
  if (access.file_closed) return Conflict("the assistance file is closed", "file_id");
  RETURN_IF_ERROR(CheckSubject(caller, access, request.case_id, request.subject_id));
  std::int64_t id = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    const UnixMillis now = clock_.Now();
    Claim claim;
    claim.file_id = request.file_id;
    claim.case_id = request.case_id;
    claim.subject_id = request.subject_id;
    claim.claim_date = claim_date;
    claim.created_by = caller.user_id;
    claim.created_by_username = caller.username;
    claim.created_at = now;
    claim.updated_at = now;
    if (request.sealed) {
      ASSIGN_OR_RETURN(std::int64_t item, Seal(c, access.designees, *request.sealed));
      claim.sealed_item = item;
    }
    ASSIGN_OR_RETURN(id, store_.InsertClaim(c, claim));
    return Audit(c, caller, id, "paternity.claim.create", info,
                 json::serialize(json::object{{"file_id", claim.file_id},
                                              {"sealed", request.sealed.has_value()}}));
  }));
  return Fresh(caller, id);
}

Result<ClaimView> PaternityService::UpdateClaim(const Principal& caller, std::int64_t id,
                                                const ClaimPatch& patch,
                                                std::optional<std::int64_t> version,
                                                VersionSource source, const RequestInfo& info) {
  if (patch.ms_reference)
    RETURN_IF_ERROR(CheckText(*patch.ms_reference, 200, "ms_reference", false));
  if (patch.lab) RETURN_IF_ERROR(CheckText(*patch.lab, 200, "lab", false));
  if (patch.result) RETURN_IF_ERROR(CheckOneOf(kResults, *patch.result, "result"));
  if (patch.status) RETURN_IF_ERROR(CheckOneOf(kClaimStatuses, *patch.status, "status"));
  // "" clears an optional time.
  auto optional_time = [&](const std::optional<std::string>& text,
                           const char* field) -> Result<std::optional<std::optional<UnixMillis>>> {
    if (!text) return std::optional<std::optional<UnixMillis>>();
    if (text->empty()) return std::optional<std::optional<UnixMillis>>(std::optional<UnixMillis>());
    ASSIGN_OR_RETURN(UnixMillis at, ParseTime(*text, field, false));
    return std::optional<std::optional<UnixMillis>>(std::optional<UnixMillis>(at));
  };
  std::optional<UnixMillis> claim_date;
  if (patch.claim_date) {
    ASSIGN_OR_RETURN(claim_date, ParseTime(*patch.claim_date, "claim_date", false));
  }
  ASSIGN_OR_RETURN(auto ms_notified_at, optional_time(patch.ms_notified_at, "ms_notified_at"));
  ASSIGN_OR_RETURN(auto tested_at, optional_time(patch.tested_at, "tested_at"));
  ASSIGN_OR_RETURN(auto result_at, optional_time(patch.result_at, "result_at"));
  ASSIGN_OR_RETURN(auto loaded, LoadFor(caller, id, true));
  if (patch.case_id || patch.subject_id) {
    auto case_id = patch.case_id ? *patch.case_id : loaded.first.case_id;
    auto subject_id = patch.subject_id ? *patch.subject_id
                                       : (patch.case_id ? std::optional<std::int64_t>()
                                                        : loaded.first.subject_id);
    RETURN_IF_ERROR(CheckSubject(caller, loaded.second, case_id, subject_id));
  }
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    if (version && *version != claim.version) {
      if (source == VersionSource::kIfMatch) {
        return Status(ErrorCode::kPreconditionFailed, "someone changed the claim since you read it",
                      "If-Match");
      }
      return Conflict("someone changed the claim since you read it (version " +
                          std::to_string(claim.version) + ")",
                      "version");
    }
    const bool reopening = patch.status && *patch.status == "open" && claim.status == "closed";
    if (!reopening) RETURN_IF_ERROR(RequireOpen(claim));
    std::vector<std::string> changed;
    auto set = [&](auto& field, const auto& value, const char* name) {
      if (value && *value != field) {
        field = *value;
        changed.push_back(name);
      }
    };
    if (patch.case_id) {
      set(claim.case_id, patch.case_id, "case_id");
      if (!patch.subject_id && claim.subject_id) {
        claim.subject_id.reset();
        changed.push_back("subject_id");
      }
    }
    set(claim.subject_id, patch.subject_id, "subject_id");
    set(claim.claim_date, claim_date, "claim_date");
    set(claim.ms_notified_at, ms_notified_at, "ms_notified_at");
    set(claim.ms_reference, patch.ms_reference, "ms_reference");
    set(claim.lab, patch.lab, "lab");
    set(claim.tested_at, tested_at, "tested_at");
    set(claim.result, patch.result, "result");
    set(claim.result_at, result_at, "result_at");
    if (patch.status && *patch.status != claim.status) {
      claim.status = *patch.status;
      claim.closed_at =
          claim.status == "closed" ? std::optional<UnixMillis>(clock_.Now()) : std::nullopt;
      changed.push_back("status");
    }
    RETURN_IF_ERROR(CheckDateOrder(claim));
    json::array fields;
    for (const auto& name : changed) fields.push_back(json::string(name));
    return Audit(c, caller, id, "paternity.claim.update", info,
                 json::serialize(json::object{{"fields", std::move(fields)}}));
  });
}

Result<ClaimView> PaternityService::SetSealed(const Principal& caller, std::int64_t id,
                                              const SealedPart& sealed, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckSealed(sealed));
  ASSIGN_OR_RETURN(auto loaded, LoadFor(caller, id, true));
  const auto designees = loaded.second.designees;
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    RETURN_IF_ERROR(RequireOpen(claim));
    const auto old_item = claim.sealed_item;
    ASSIGN_OR_RETURN(std::int64_t item, Seal(c, designees, sealed));
    claim.sealed_item = item;
    if (old_item) RETURN_IF_ERROR(vault_.DeleteItems(c, {*old_item}).status());
    return Audit(c, caller, id, "paternity.sealed.set", info,
                 json::serialize(json::object{{"replaced", old_item.has_value()}}));
  });
}

Result<SealedPart> PaternityService::RevealSealed(const Principal& caller, std::int64_t id,
                                                  const RequestInfo& info) {
  ASSIGN_OR_RETURN(auto loaded, LoadFor(caller, id, false));
  const auto& designees = loaded.second.designees;
  const bool designee =
      std::find(designees.begin(), designees.end(), caller.user_id) != designees.end();
  SealedPart out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.FindClaim(c, id));
    if (!found) return NotFound("no such paternity claim");
    ASSIGN_OR_RETURN(bool victims_reader,
                     readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
    // A wrap left behind opens nothing: the sets decide.
    if (!victims_reader && !designee) {
      return PermissionDenied("only the victims readers and the file's designees open this");
    }
    if (!found->sealed_item) return NotFound("nothing is sealed for this claim");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    auto text = vault_.Open(c, *found->sealed_item, *key);
    if (!text.ok()) {
      if (text.status().code() == ErrorCode::kNotFound) {
        return PermissionDenied("you hold no key for this claim's sealed part");
      }
      return text.status();
    }
    boost::system::error_code ec;
    const auto value = json::parse(*text, ec);
    if (ec || !value.is_object()) return Internal("the sealed part is not an object");
    const auto& object = value.as_object();
    out = {StringAt(object, "child_name"), StringAt(object, "child_date_of_birth"),
           StringAt(object, "wishes")};
    return Audit(c, caller, id, "paternity.sealed.reveal", info, "{}");
  }));
  return out;
}

// ---- The DNA sample and its custody

Result<ClaimView> PaternityService::CollectSample(const Principal& caller, std::int64_t id,
                                                  const NewSample& request,
                                                  const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(request.collected_by, 200, "collected_by", true));
  RETURN_IF_ERROR(CheckText(request.place, 200, "place", true));
  RETURN_IF_ERROR(CheckText(request.note, 2000, "note", false));
  ASSIGN_OR_RETURN(UnixMillis collected_at, ParseTime(request.collected_at, "collected_at", false));
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    RETURN_IF_ERROR(RequireOpen(claim));
    if (claim.sample_collected_at) {
      return Conflict("the sample's collection is recorded already", "sample");
    }
    claim.sample_collected_by = request.collected_by;
    claim.sample_collected_at = collected_at;
    claim.sample_place = request.place;
    RETURN_IF_ERROR(CheckDateOrder(claim));
    CustodyEntry entry;
    entry.claim_id = claim.id;
    entry.seq = 1;
    entry.to_holder = request.collected_by;
    entry.at = collected_at;
    entry.place = request.place;
    entry.seal_intact = request.seal_intact;
    entry.note = request.note;
    entry.recorded_by = caller.user_id;
    entry.recorded_by_username = caller.username;
    entry.recorded_at = clock_.Now();
    entry.hash = CustodyHash(claim, entry);
    RETURN_IF_ERROR(store_.InsertCustody(c, entry));
    return Audit(c, caller, id, "paternity.sample.collect", info,
                 json::serialize(json::object{{"seal_intact", entry.seal_intact}}));
  });
}

Result<ClaimView> PaternityService::HandOver(const Principal& caller, std::int64_t id,
                                             const NewHandOver& request, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckText(request.from_holder, 200, "from_holder", true));
  RETURN_IF_ERROR(CheckText(request.to_holder, 200, "to_holder", true));
  RETURN_IF_ERROR(CheckText(request.place, 200, "place", false));
  RETURN_IF_ERROR(CheckText(request.note, 2000, "note", false));
  ASSIGN_OR_RETURN(UnixMillis at, ParseTime(request.at, "at", false));
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    RETURN_IF_ERROR(RequireOpen(claim));
    if (claim.custody.empty()) {
      return Unprocessable("record the sample's collection first", "sample");
    }
    const CustodyEntry& last = claim.custody.back();
    if (request.from_holder != last.to_holder) {
      return Unprocessable("the sample is held by " + last.to_holder, "from_holder");
    }
    if (at < last.at) {
      return Unprocessable("a hand-over cannot come before the entry before it", "at");
    }
    CustodyEntry entry;
    entry.claim_id = claim.id;
    entry.seq = last.seq + 1;
    entry.from_holder = request.from_holder;
    entry.to_holder = request.to_holder;
    entry.at = at;
    entry.place = request.place;
    entry.seal_intact = request.seal_intact;
    entry.note = request.note;
    entry.recorded_by = caller.user_id;
    entry.recorded_by_username = caller.username;
    entry.recorded_at = clock_.Now();
    entry.prev_hash = last.hash;
    entry.hash = CustodyHash(claim, entry);
    RETURN_IF_ERROR(store_.InsertCustody(c, entry));
    return Audit(
        c, caller, id, "paternity.sample.hand_over", info,
        json::serialize(json::object{{"seq", entry.seq}, {"seal_intact", entry.seal_intact}}));
  });
}

// ---- Child support

Result<ClaimView> PaternityService::AddSupport(const Principal& caller, std::int64_t id,
                                               const NewSupport& request, const RequestInfo& info) {
  RETURN_IF_ERROR(CheckOneOf(kSupportKinds, request.kind, "kind"));
  RETURN_IF_ERROR(CheckCurrency(request.currency));
  RETURN_IF_ERROR(CheckOneOf(kFrequencies, request.frequency, "frequency"));
  RETURN_IF_ERROR(CheckOneOf(kPayers, request.payer, "payer"));
  RETURN_IF_ERROR(CheckText(request.note, 2000, "note", false));
  RETURN_IF_ERROR(CheckAmount(request.amount_cents));
  ASSIGN_OR_RETURN(UnixMillis starts_on, ParseTime(request.starts_on, "starts_on", true));
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    RETURN_IF_ERROR(RequireOpen(claim));
    Support support;
    support.claim_id = claim.id;
    support.kind = request.kind;
    support.amount_cents = request.amount_cents;
    support.currency = request.currency;
    support.frequency = request.frequency;
    support.payer = request.payer;
    support.starts_on = starts_on;
    support.note = request.note;
    support.recorded_by_username = caller.username;
    support.recorded_at = clock_.Now();
    ASSIGN_OR_RETURN(support.id, store_.InsertSupport(c, support));
    return Audit(c, caller, id, "paternity.support.add", info,
                 json::serialize(json::object{{"support_id", support.id}, {"kind", support.kind}}));
  });
}

Result<ClaimView> PaternityService::AddPayment(const Principal& caller, std::int64_t id,
                                               std::int64_t support_id, const NewPayment& request,
                                               const RequestInfo& info) {
  RETURN_IF_ERROR(CheckOneOf(kPaymentStates, request.state, "state"));
  RETURN_IF_ERROR(CheckText(request.note, 2000, "note", false));
  RETURN_IF_ERROR(CheckAmount(request.amount_cents));
  // A payment received is a fact of the past; a missed one may be recorded on its due day.
  ASSIGN_OR_RETURN(UnixMillis on, ParseTime(request.on, "on", request.state == "missed"));
  return Change(caller, id, [&](Connection& c, Claim& claim) -> Status {
    RETURN_IF_ERROR(RequireOpen(claim));
    const auto support = std::find_if(claim.support.begin(), claim.support.end(),
                                      [&](const Support& s) { return s.id == support_id; });
    if (support == claim.support.end()) return NotFound("no such support arrangement");
    if (on < support->starts_on) {
      return Unprocessable("a payment cannot come before its arrangement starts", "on");
    }
    Payment payment;
    payment.support_id = support_id;
    payment.on = on;
    payment.amount_cents = request.amount_cents;
    payment.state = request.state;
    payment.note = request.note;
    payment.recorded_by_username = caller.username;
    payment.recorded_at = clock_.Now();
    ASSIGN_OR_RETURN(payment.id, store_.InsertPayment(c, payment));
    return Audit(
        c, caller, id, "paternity.payment.add", info,
        json::serialize(json::object{
            {"support_id", support_id}, {"payment_id", payment.id}, {"state", payment.state}}));
  });
}

// ---- The figure and the indicators

Result<AgeFigure> PaternityService::OpenByAge(const Principal& caller) {
  RETURN_IF_ERROR(assistance::RequireAdvocate(caller));
  AgeFigure figure;
  figure.at = clock_.Now();
  ASSIGN_OR_RETURN(auto spans, database_.Read<std::vector<ClaimSpan>>(
                                   [&](Connection& c) { return store_.Spans(c); }));
  figure.bands = OpenClaimsByAge(spans, figure.at);
  return figure;
}

Result<double> PaternityService::IndicatorValue(Connection& c, const std::string& key,
                                                UnixMillis at) const {
  ASSIGN_OR_RETURN(auto spans, store_.Spans(c));
  const AgeBands bands = OpenClaimsByAge(spans, at);
  if (key == kIndicatorOpenClaims) return static_cast<double>(bands.total);
  if (key == kIndicatorOpenClaimsOverAYear) return static_cast<double>(bands.counts[3]);
  return NotFound("no such indicator");
}

// ---- Keys of the sealed parts

Result<std::vector<std::int64_t>> PaternityService::SealedItems(Connection& c) const {
  ASSIGN_OR_RETURN(auto items, store_.SealedItems(c));
  std::vector<std::int64_t> out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.item);
  return out;
}

Result<std::vector<std::int64_t>> PaternityService::SealedItemsHeldBy(Connection& c,
                                                                      std::int64_t user) const {
  ASSIGN_OR_RETURN(auto files, assistance_.FilesOfDesignee(c, user));
  const std::set<std::int64_t> designated(files.begin(), files.end());
  ASSIGN_OR_RETURN(auto items, store_.SealedItems(c));
  std::vector<std::int64_t> out;
  for (const auto& item : items) {
    if (designated.count(item.file_id)) out.push_back(item.item);
  }
  return out;
}

Status PaternityService::OnDesigneeChange(
    Connection& c, const assistance::AssistanceService::DesigneeChange& change) const {
  if (change.partner) return Status::Ok();
  if (!change.key && change.victims_reader) return Status::Ok();
  ASSIGN_OR_RETURN(auto claims, store_.ClaimsOfFile(c, change.file_id));
  for (const auto& claim : claims) {
    if (!claim.sealed_item) continue;
    if (!change.key) {
      RETURN_IF_ERROR(vault_.Revoke(c, *claim.sealed_item, change.user));
      continue;
    }
    auto done = vault_.Grant(c, *claim.sealed_item, *change.key, change.user);
    if (!done.ok() && done.code() != ErrorCode::kNotFound &&
        done.code() != ErrorCode::kPermissionDenied) {
      return done;
    }
  }
  return Status::Ok();
}

Result<std::int64_t> PaternityService::PurgeCase(Connection& c, std::int64_t case_id) const {
  return store_.UnlinkCase(c, case_id);
}

Result<ReaderSync> PaternityService::SyncReaders(const Principal& caller, const RequestInfo& info) {
  RETURN_IF_ERROR(assistance::RequireAdvocate(caller));
  ASSIGN_OR_RETURN(auto items, database_.Read<std::vector<PaternityStore::SealedItem>>(
                                   [&](Connection& c) { return store_.SealedItems(c); }));
  // Each file's designees, as the assistance service tells them (outside the write below).
  std::map<std::int64_t, std::vector<std::int64_t>> designees;
  for (const auto& item : items) {
    if (designees.count(item.file_id)) continue;
    ASSIGN_OR_RETURN(auto access, AccessToFile(caller, item.file_id));
    designees[item.file_id] = access.designees;
  }
  ReaderSync sync;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    sync = {};
    ASSIGN_OR_RETURN(bool victims_reader,
                     readers_.IsReader(c, intake::kVictimReaderScope, caller.user_id));
    if (!victims_reader) {
      return PermissionDenied("only a victims reader passes the sealed parts' keys on");
    }
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, intake::kVictimReaderScope));
    for (const auto& item : items) {
      std::set<std::int64_t> wanted(victims.begin(), victims.end());
      wanted.insert(designees[item.file_id].begin(), designees[item.file_id].end());
      ASSIGN_OR_RETURN(auto holders, vault_.Readers(c, item.item));
      const std::set<std::int64_t> held(holders.begin(), holders.end());
      for (std::int64_t holder : held) {
        if (wanted.count(holder)) continue;
        RETURN_IF_ERROR(vault_.Revoke(c, item.item, holder));
        ++sync.revoked;
      }
      bool opens = true;
      for (std::int64_t reader : wanted) {
        if (held.count(reader) || !opens) continue;
        auto done = vault_.Grant(c, item.item, *key, reader);
        if (done.ok()) {
          ++sync.granted;
        } else if (done.code() == ErrorCode::kNotFound ||
                   done.code() == ErrorCode::kPermissionDenied) {
          opens = false;
          ++sync.unopened;
        } else {
          return done;
        }
      }
    }
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "paternity.readers.sync";
    event.object_type = "paternity";
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{
        {"granted", sync.granted}, {"revoked", sync.revoked}, {"unopened", sync.unopened}});
    return audit_.Append(c, event);
  }));
  return sync;
}

}  // namespace psea::paternity
