#include "modules/assistance/referrals.h"

#include <algorithm>
#include <boost/json.hpp>

#include "core/utf8.h"

namespace psea::assistance {

namespace json = boost::json;
using security::Principal;
using security::Role;
using storage::Connection;

namespace {

Status CheckReferralText(const std::string& text, std::size_t max_bytes, const std::string& field) {
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

Status CheckWord(const std::vector<std::string_view>& vocabulary, const std::string& value,
                 const std::string& field) {
  if (IsOneOf(vocabulary, value)) return Status::Ok();
  std::string allowed;
  for (auto word : vocabulary) {
    if (!allowed.empty()) allowed += ", ";
    allowed += word;
  }
  return InvalidArgument(field + " must be one of " + allowed, field);
}

bool IsProviderCaseManager(const Principal& caller) {
  return caller.kind == Principal::Kind::kUser && caller.role == Role::kProviderCaseManager;
}

constexpr std::int64_t kMaxExportRows = 100'000;

}  // namespace

ReferralsService::ReferralsService(storage::Database& database, const Clock& clock,
                                   const security::AuditLog& audit, AssistanceService& assistance,
                                   providers::ProvidersService& providers)
    : database_(database),
      clock_(clock),
      audit_(audit),
      assistance_(assistance),
      providers_(providers) {}

Result<ReferralsService::Access> ReferralsService::AccessOf(Connection& c, const Principal& caller,
                                                            const Referral& referral) const {
  if (caller.kind != Principal::Kind::kUser) return Access::kNone;
  if (IsAdvocate(caller)) return Access::kWork;
  if (IsProviderCaseManager(caller)) {
    ASSIGN_OR_RETURN(auto own, providers_.ProviderOfUser(c, caller.user_id));
    return own && *own == referral.provider_id ? Access::kProvider : Access::kNone;
  }
  ASSIGN_OR_RETURN(bool designee, files_.IsDesignee(c, referral.file_id, caller.user_id));
  return designee ? Access::kRead : Access::kNone;
}

Result<ReferralView> ReferralsService::ViewOf(Connection& c, Referral referral, Access access,
                                              const ProviderReferralRow* known) const {
  ReferralView view;
  ASSIGN_OR_RETURN(auto file, files_.FindFile(c, referral.file_id));
  if (file) view.file_reference = file->reference;
  if (known) {
    view.need_type = known->need_type;
    view.urgency = known->urgency;
  } else {
    ASSIGN_OR_RETURN(auto need, files_.FindNeed(c, referral.file_id, referral.need_id));
    if (need) {
      view.need_type = need->type;
      view.urgency = need->urgency;
    }
  }
  const UnixMillis now = clock_.Now();
  view.overdue = IsOverdue(referral, now);
  view.can_update =
      access == Access::kWork || (access == Access::kProvider && IsActiveReferral(referral.status));
  // The consents read once for both questions (AssistanceService::ConsentFor's rule: a minor's
  // file needs a guardian's consent).
  const bool minor = file && file->age_group == "minor";
  ASSIGN_OR_RETURN(auto consents, files_.Consents(c, referral.file_id));
  const ConsentQuery sharing{"information_sharing", referral.provider_id, "", now, minor};
  view.information_shared = DecideConsent(consents, sharing).covered();
  const ConsentQuery contact{"contact", std::nullopt, "", now, minor};
  const ConsentDecision contacted = DecideConsent(consents, contact);
  view.contact_allowed = contacted.covered();
  if (contacted.covered() && contacted.consent_id) {
    for (const auto& consent : consents) {
      if (consent.id == *contacted.consent_id) view.contact_channel = consent.channel;
    }
  }
  view.referral = std::move(referral);
  return view;
}

Status ReferralsService::Audit(Connection& c, const Principal& caller, std::int64_t id,
                               const std::string& action, const RequestInfo& info,
                               const std::string& details) const {
  security::AuditEvent event;
  event.actor_user_id = caller.user_id;
  event.actor = caller.username;
  event.action = action;
  event.object_type = "referral";
  event.object_id = std::to_string(id);
  event.request_id = info.request_id;
  event.details = details;
  return audit_.Append(c, event);
}

Result<UnixMillis> ReferralsService::ParseTime(const std::string& text,
                                               const std::string& field) const {
  const auto parsed = ParseIso8601(text);
  if (!parsed) {
    return InvalidArgument("a date-time YYYY-MM-DDTHH:MM:SSZ (or a date YYYY-MM-DD)", field);
  }
  return *parsed;
}

// ---- Referring

Result<ReferralView> ReferralsService::Refer(const Principal& caller, std::int64_t file_id,
                                             const NewReferral& request, const RequestInfo& info) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  if (!request.service.empty()) RETURN_IF_ERROR(CheckWord(kNeedTypes, request.service, "service"));
  RETURN_IF_ERROR(CheckReferralText(request.justification, 2000, "justification"));
  RETURN_IF_ERROR(CheckReferralText(request.notes, 4000, "notes"));
  const UnixMillis now = clock_.Now();
  Referral referral;
  referral.referred_at = now;
  if (!request.referred_at.empty()) {
    ASSIGN_OR_RETURN(referral.referred_at, ParseTime(request.referred_at, "referred_at"));
  }
  if (!request.next_follow_up_at.empty()) {
    ASSIGN_OR_RETURN(referral.next_follow_up_at,
                     ParseTime(request.next_follow_up_at, "next_follow_up_at"));
  }
  if (request.emergency && request.justification.empty()) {
    return Unprocessable("an emergency referral without consent needs a justification",
                         "justification");
  }
  if (!request.emergency && !request.justification.empty()) {
    return InvalidArgument("justification is for an emergency referral", "justification");
  }
  RETURN_IF_ERROR(CheckReferralDates(referral, now));
  ReferralView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, files_.FindFile(c, file_id));
    if (!file) return NotFound("no such assistance file");
    if (file->status == "closed") return Conflict("the file is closed", "status");
    ASSIGN_OR_RETURN(auto need, files_.FindNeed(c, file_id, request.need_id));
    if (!need) return Unprocessable("no such need in this file", "need_id");
    if (need->status != "open") return Unprocessable("the need is " + need->status, "need_id");
    ASSIGN_OR_RETURN(auto provider, providers_.FindProvider(c, request.provider_id));
    if (!provider) return Unprocessable("no such provider", "provider_id");
    if (!provider->active) return Unprocessable("the provider is inactive", "provider_id");
    const std::string service = request.service.empty() ? need->type : request.service;
    if (std::find(provider->services.begin(), provider->services.end(), service) ==
        provider->services.end()) {
      return Unprocessable("the provider does not offer the service " + service, "service");
    }
    std::optional<std::int64_t> consent_id;
    if (request.emergency) {
      if (need->type != "medical") {
        return Unprocessable("only a medical need may be referred as an emergency without consent",
                             "emergency");
      }
    } else {
      ConsentQuery query{"referral", provider->id, "", referral.referred_at, false};
      ASSIGN_OR_RETURN(auto decision, assistance_.ConsentFor(c, file_id, query));
      if (!decision.covered()) {
        return Unprocessable("no valid consent to a referral to this provider (" +
                                 std::string(ConsentVerdictName(decision.verdict)) + ")",
                             "consent");
      }
      consent_id = decision.consent_id;
    }
    referral.file_id = file_id;
    referral.need_id = need->id;
    referral.service = service;
    referral.provider_id = provider->id;
    referral.provider_name = provider->name;
    referral.status = "referred";
    referral.referred_by = caller.user_id;
    referral.referred_by_username = caller.username;
    referral.consent_id = consent_id;
    referral.emergency = request.emergency;
    referral.justification = request.justification;
    referral.notes = request.notes;
    referral.updated_at = now;
    referral.updated_by = caller.username;
    ASSIGN_OR_RETURN(referral.id, store_.Insert(c, referral));
    RETURN_IF_ERROR(
        Audit(c, caller, referral.id, "referral.create", info,
              json::serialize(json::object{
                  {"file_id", file_id},
                  {"need_id", need->id},
                  {"provider_id", provider->id},
                  {"service", service},
                  {"emergency", request.emergency},
                  {"consent_id", consent_id ? json::value(*consent_id) : json::value(nullptr)}})));
    ASSIGN_OR_RETURN(view, ViewOf(c, referral, Access::kWork));
    return Status::Ok();
  }));
  return view;
}

Result<ReferralView> ReferralsService::Update(const Principal& caller, std::int64_t id,
                                              const ReferralPatch& patch,
                                              std::optional<std::int64_t> version,
                                              VersionSource source, const RequestInfo& info) {
  if (patch.empty()) return InvalidArgument("nothing to change", "status");
  if (patch.status) RETURN_IF_ERROR(CheckWord(kReferralStatuses, *patch.status, "status"));
  if (patch.outcome) RETURN_IF_ERROR(CheckReferralText(*patch.outcome, 2000, "outcome"));
  if (patch.notes) RETURN_IF_ERROR(CheckReferralText(*patch.notes, 4000, "notes"));
  // "" clears; a malformed time names its field.
  auto parse = [&](const std::optional<std::string>& text, const std::string& field,
                   std::optional<std::optional<UnixMillis>>& out) -> Status {
    if (!text) return Status::Ok();
    if (text->empty()) {
      out = std::optional<UnixMillis>();
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(UnixMillis at, ParseTime(*text, field));
    out = at;
    return Status::Ok();
  };
  std::optional<std::optional<UnixMillis>> started, last_follow_up, next_follow_up;
  RETURN_IF_ERROR(parse(patch.service_started_at, "service_started_at", started));
  RETURN_IF_ERROR(parse(patch.last_follow_up_at, "last_follow_up_at", last_follow_up));
  RETURN_IF_ERROR(parse(patch.next_follow_up_at, "next_follow_up_at", next_follow_up));
  ReferralView view;
  std::optional<Status> refused;  // a refusal to audit after the transaction
  auto done = database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
    if (!found) return NotFound("no such referral");
    Referral referral = std::move(*found);
    ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, referral));
    if (access == Access::kNone) {
      if (IsProviderCaseManager(caller)) refused = NotFound("no such referral");
      return NotFound("no such referral");
    }
    if (access == Access::kRead) {
      return PermissionDenied("only the VRA or the provider's case manager records progress");
    }
    if (version && *version != referral.version) {
      if (source == VersionSource::kIfMatch) {
        return Status(ErrorCode::kPreconditionFailed,
                      "someone changed the referral since you read it", "If-Match");
      }
      return Conflict("someone changed the referral since you read it (version " +
                          std::to_string(referral.version) + ")",
                      "version");
    }
    if (access == Access::kProvider) {
      if (patch.status && !IsOneOf(kProviderStatuses, *patch.status)) {
        return Status(ErrorCode::kPermissionDenied,
                      "a provider records accepted, in_progress, completed or "
                      "refused_by_provider",
                      "status");
      }
      if (!IsActiveReferral(referral.status)) {
        return Conflict("the referral is " + referral.status, "status");
      }
    }
    ASSIGN_OR_RETURN(auto file, files_.FindFile(c, referral.file_id));
    if (file && file->status == "closed") return Conflict("the file is closed", "status");
    const std::string from = referral.status;
    const UnixMillis now = clock_.Now();
    if (started) referral.service_started_at = *started;
    if (last_follow_up) referral.last_follow_up_at = *last_follow_up;
    if (next_follow_up) referral.next_follow_up_at = *next_follow_up;
    if (patch.outcome) referral.outcome = *patch.outcome;
    if (patch.notes) referral.notes = *patch.notes;
    if (patch.status && *patch.status != from) {
      if (!CanMove(from, *patch.status)) {
        return Unprocessable("a referral " + from + " cannot become " + *patch.status, "status");
      }
      referral.status = *patch.status;
      if (!IsActiveReferral(referral.status)) {
        referral.closed_at = now;
      } else {
        referral.closed_at.reset();
      }
    }
    if ((referral.status == "in_progress" || referral.status == "completed") &&
        !referral.service_started_at) {
      return Unprocessable("say when the service started", "service_started_at");
    }
    RETURN_IF_ERROR(CheckReferralDates(referral, now));
    referral.updated_at = now;
    referral.updated_by = caller.username;
    ASSIGN_OR_RETURN(bool stored, store_.Update(c, referral, referral.version));
    if (!stored) return Conflict("someone changed the referral since you read it", "version");
    ++referral.version;
    json::array fields;
    if (patch.status) fields.push_back(json::string("status"));
    if (started) fields.push_back(json::string("service_started_at"));
    if (last_follow_up) fields.push_back(json::string("last_follow_up_at"));
    if (next_follow_up) fields.push_back(json::string("next_follow_up_at"));
    if (patch.outcome) fields.push_back(json::string("outcome"));
    if (patch.notes) fields.push_back(json::string("notes"));
    RETURN_IF_ERROR(
        Audit(c, caller, id, "referral.update", info,
              json::serialize(json::object{
                  {"from", from}, {"to", referral.status}, {"fields", std::move(fields)}})));
    ASSIGN_OR_RETURN(view, ViewOf(c, std::move(referral), access));
    return Status::Ok();
  });
  if (refused) {
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      return Audit(c, caller, id, "referral.access.refused", info,
                   json::serialize(json::object{{"operation", "update"}}));
    }));
  }
  RETURN_IF_ERROR(done);
  return view;
}

Result<ReferralView> ReferralsService::Get(const Principal& caller, std::int64_t id,
                                           const RequestInfo& info) {
  ReferralView view;
  bool refused = false;
  auto done = database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
    if (!found) return NotFound("no such referral");
    ASSIGN_OR_RETURN(Access access, AccessOf(c, caller, *found));
    if (access == Access::kNone) {
      refused = IsProviderCaseManager(caller);
      return NotFound("no such referral");
    }
    ASSIGN_OR_RETURN(view, ViewOf(c, std::move(*found), access));
    return Status::Ok();
  });
  if (refused) {
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      return Audit(c, caller, id, "referral.access.refused", info,
                   json::serialize(json::object{{"operation", "read"}}));
    }));
  }
  RETURN_IF_ERROR(done);
  return view;
}

Result<ReferralView> ReferralsService::ShareIdentity(const Principal& caller, std::int64_t id,
                                                     std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  Referral referral;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
    if (!found) return NotFound("no such referral");
    referral = std::move(*found);
    ASSIGN_OR_RETURN(auto own, providers_.ProviderOfUser(c, user));
    if (!own || *own != referral.provider_id) {
      return Unprocessable("not a case manager of the referral's provider", "user_id");
    }
    ConsentQuery sharing{"information_sharing", referral.provider_id, "", clock_.Now(), false};
    ASSIGN_OR_RETURN(auto decision, assistance_.ConsentFor(c, referral.file_id, sharing));
    if (!decision.covered()) {
      return Unprocessable("no valid consent to share information with this provider (" +
                               std::string(ConsentVerdictName(decision.verdict)) + ")",
                           "consent");
    }
    return Status::Ok();
  }));
  RETURN_IF_ERROR(
      assistance_.Designate(caller, referral.file_id, user, info, /*provider_case_manager=*/true)
          .status());
  ReferralView view;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        Audit(c, caller, id, "referral.identity.share", info,
              json::serialize(json::object{{"file_id", referral.file_id}, {"user_id", user}})));
    ASSIGN_OR_RETURN(auto found, store_.Find(c, id));
    if (!found) return NotFound("no such referral");
    ASSIGN_OR_RETURN(view, ViewOf(c, std::move(*found), Access::kWork));
    return Status::Ok();
  }));
  return view;
}

Result<std::vector<ReferralView>> ReferralsService::OfFile(const Principal& caller,
                                                           std::int64_t file_id) {
  std::vector<ReferralView> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto file, files_.FindFile(c, file_id));
    if (!file) return NotFound("no such assistance file");
    Access access = Access::kNone;
    if (IsAdvocate(caller)) {
      access = Access::kWork;
    } else if (caller.kind == Principal::Kind::kUser && !IsProviderCaseManager(caller)) {
      ASSIGN_OR_RETURN(bool designee, files_.IsDesignee(c, file_id, caller.user_id));
      if (designee) access = Access::kRead;
    }
    if (access == Access::kNone) return NotFound("no such assistance file");
    ASSIGN_OR_RETURN(auto referrals, store_.OfFile(c, file_id));
    for (auto& referral : referrals) {
      ASSIGN_OR_RETURN(auto view, ViewOf(c, std::move(referral), access));
      out.push_back(std::move(view));
    }
    return Status::Ok();
  }));
  return out;
}

// ---- The tracking table

namespace {
Status CheckFilter(const TrackingFilter& filter) {
  if (filter.status && *filter.status != "not_referred") {
    RETURN_IF_ERROR(CheckWord(kReferralStatuses, *filter.status, "status"));
  }
  if (filter.service) RETURN_IF_ERROR(CheckWord(kNeedTypes, *filter.service, "service"));
  return Status::Ok();
}
}  // namespace

Result<TrackingPage> ReferralsService::Tracking(const Principal& caller,
                                                const TrackingFilter& filter) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  RETURN_IF_ERROR(CheckFilter(filter));
  TrackingPage page;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(page.rows, store_.Tracking(c, filter, clock_.Now(), page.total));
    return Status::Ok();
  }));
  return page;
}

Result<std::vector<TrackingRow>> ReferralsService::TrackingExport(const Principal& caller,
                                                                  TrackingFilter filter,
                                                                  std::string_view format,
                                                                  const RequestInfo& info) {
  RETURN_IF_ERROR(RequireAdvocate(caller));
  RETURN_IF_ERROR(CheckFilter(filter));
  filter.limit = kMaxExportRows;
  filter.offset = 0;
  std::vector<TrackingRow> rows;
  // Read apart from the audit's write: the write lock is not held while the rows are read.
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    std::int64_t total = 0;
    ASSIGN_OR_RETURN(rows, store_.Tracking(c, filter, clock_.Now(), total));
    return Status::Ok();
  }));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "referrals.tracking.export";
    event.object_type = "referral";
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{{"format", format}, {"rows", rows.size()}});
    return audit_.Append(c, event);
  }));
  return rows;
}

Result<ProviderPage> ReferralsService::ForProvider(const Principal& caller,
                                                   const TrackingFilter& filter) {
  if (!IsProviderCaseManager(caller)) {
    return PermissionDenied("the provider portal is for providers' case managers");
  }
  RETURN_IF_ERROR(CheckFilter(filter));
  if (filter.status == "not_referred") {
    return InvalidArgument("status must be a referral status", "status");
  }
  ProviderPage page;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto own, providers_.ProviderOfUser(c, caller.user_id));
    if (!own) return Status::Ok();  // not linked yet: nothing
    ASSIGN_OR_RETURN(auto rows, store_.OfProvider(c, *own, filter, clock_.Now(), page.total));
    for (auto& row : rows) {
      ASSIGN_OR_RETURN(auto view, ViewOf(c, std::move(row.referral), Access::kProvider, &row));
      page.referrals.push_back(std::move(view));
    }
    return Status::Ok();
  }));
  return page;
}

// ---- Figures

Result<ReferralFigures> ReferralsService::Figures(const Principal& caller, UnixMillis from,
                                                  UnixMillis to) {
  if (caller.kind != Principal::Kind::kUser ||
      (caller.role != Role::kVra && caller.role != Role::kCdtChief)) {
    return PermissionDenied("the referrals' figures are for the VRA and the CDT chief");
  }
  if (to <= from) return InvalidArgument("to must come after from", "to");
  ReferralFigures figures;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto firsts, store_.FirstReferrals(c, from, to));
    ASSIGN_OR_RETURN(auto starts, store_.ServiceStarts(c, from, to));
    figures = ComputeReferralFigures(firsts, starts);
    return Status::Ok();
  }));
  return figures;
}

Result<double> ReferralsService::IndicatorValue(Connection& c, std::string_view indicator,
                                                const std::string& from_month,
                                                const std::string& to_month) const {
  const auto from = ParseIso8601(from_month + "-01");
  const auto last = ParseIso8601(to_month + "-01");
  if (!from || !last) return InvalidArgument("months are YYYY-MM", "period");
  // The end is the first day of the month after the last.
  int year = std::stoi(to_month.substr(0, 4));
  int month = std::stoi(to_month.substr(5, 2)) + 1;
  if (month == 13) {
    month = 1;
    ++year;
  }
  const auto to = ParseIso8601(std::to_string(year) + (month < 10 ? "-0" : "-") +
                               std::to_string(month) + "-01");
  if (!to) return InvalidArgument("months are YYYY-MM", "period");
  ASSIGN_OR_RETURN(auto firsts, store_.FirstReferrals(c, *from, *to));
  ASSIGN_OR_RETURN(auto starts, store_.ServiceStarts(c, *from, *to));
  const ReferralFigures figures = ComputeReferralFigures(firsts, starts);
  if (indicator == kIndicatorReferredWithin24h) return figures.share_within_24h.value_or(0);
  if (indicator == kIndicatorReferredWithin72h) return figures.share_within_72h.value_or(0);
  if (indicator == kIndicatorMedianDaysToService) {
    return figures.median_days_to_service.value_or(0);
  }
  return NotFound("no such indicator");
}

}  // namespace psea::assistance
