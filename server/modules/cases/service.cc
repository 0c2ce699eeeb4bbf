#include "modules/cases/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <set>

#include "modules/intake/countries.h"
#include "modules/intake/model.h"

namespace psea::cases {

namespace json = boost::json;
using security::Permission;
using security::Principal;
using security::Role;
using storage::Connection;

namespace {

constexpr std::size_t kMaxText = 500;

std::string StringAt(const json::object& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end() || !found->value().is_string()) return "";
  return std::string(found->value().as_string());
}

json::object ParseObject(const std::string& text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return {};
  return value.as_object();
}

std::string At(const std::vector<std::string>& items, std::size_t index) {
  return index < items.size() ? items[index] : "";
}

// The investigator's unit for an entity: OIOS (alone or jointly) and the mission's SIU have
// units in the organisation; national investigators have no account here.
std::string UnitOfEntity(const std::string& entity) {
  if (entity == "oios" || entity == "joint") return "OIOS";
  if (entity == "mission_siu") return "SIU";
  return "";
}

bool Uniformed(const std::string& category) {
  return category.rfind("military", 0) == 0 || category.rfind("police", 0) == 0;
}

Status CheckVictim(const Victim& v) {
  if (v.pseudonym.empty() || v.pseudonym.size() > 40) {
    return InvalidArgument("a pseudonym of 1 to 40 characters", "pseudonym");
  }
  if (!IsOneOf(kSexes, v.sex)) return InvalidArgument("unknown sex", "sex");
  if (!IsOneOf(kAgeGroups, v.age_group)) return InvalidArgument("unknown age group", "age_group");
  if (!IsOneOf(kYesNoUnknown, v.child_born)) {
    return InvalidArgument("yes, no or unknown", "child_born");
  }
  if (v.age && (*v.age < 0 || *v.age > 120)) return InvalidArgument("0 to 120", "age");
  if (v.age && v.age_group != "unknown" && (*v.age < 18) != (v.age_group == "minor")) {
    return Unprocessable("the age does not match the age group", "age_group");
  }
  return Status::Ok();
}

Status CheckSubject(const Subject& s) {
  if (!intake::IsOneOf(intake::kPersonnelCategories, s.personnel_category)) {
    return InvalidArgument("unknown personnel category", "personnel_category");
  }
  if (!s.nationality.empty() && !intake::IsCountryCode(s.nationality)) {
    return InvalidArgument("an ISO 3166-1 alpha-2 code", "nationality");
  }
  if (!s.nationality.empty() && !Uniformed(s.personnel_category)) {
    return Unprocessable("nationality is recorded for uniformed personnel only", "nationality");
  }
  if (s.unit.size() > 200) return InvalidArgument("at most 200 characters", "unit");
  if (s.rank.size() > 100) return InvalidArgument("at most 100 characters", "rank");
  return Status::Ok();
}

// The first instant of a "YYYY-MM-DD" day in mission time; nullopt for anything else.
std::optional<UnixMillis> StartOfMissionDay(const std::string& iso, int utc_offset_minutes) {
  if (!IsIsoDate(iso)) return std::nullopt;
  const Date date{std::chrono::year{std::stoi(iso.substr(0, 4))},
                  std::chrono::month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                  std::chrono::day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  return EndOfMissionDay(Date{std::chrono::sys_days{date} - std::chrono::days{1}},
                         utc_offset_minutes);
}

// The engine's events for a case's facts (service.h lists the mapping).
CaseFacts FactsOf(const ClockInputs& in, int utc_offset_minutes) {
  CaseFacts facts;
  facts.urgent = in.urgent;
  facts.uniformed_subjects = in.uniformed_subjects;
  auto add = [&](EventKind kind, const std::string& date) {
    if (auto at = StartOfMissionDay(date, utc_offset_minutes)) facts.events.push_back({kind, *at});
  };
  add(EventKind::kCaseReceived, in.date_reported);
  for (const auto& [to, date] : in.transitions) {
    const auto status = ParseCaseStatus(to);
    if (!status) continue;
    switch (*status) {
      case CaseStatus::kUnderAssessment:
        add(EventKind::kAcknowledged, date);
        break;
      case CaseStatus::kReferredForInvestigation:
      case CaseStatus::kUnderInvestigation:
        add(EventKind::kReferred, date);
        break;
      case CaseStatus::kReportReceived:
        add(EventKind::kReportReceived, date);
        break;
      case CaseStatus::kActionPending:
        add(EventKind::kReviewCompleted, date);
        break;
      case CaseStatus::kNotSea:
      case CaseStatus::kClosedWithoutInvestigation:
      case CaseStatus::kClosed:
        add(EventKind::kClosed, date);
        break;
      case CaseStatus::kReceived:
      case CaseStatus::kUnderReview:
        break;
    }
  }
  for (const auto& [type, date] : in.member_state_entries) {
    if (type == "notification") add(EventKind::kMemberStateNotified, date);
    if (type == "nio_appointed") add(EventKind::kNioAppointed, date);
    if (type == "answer_will_not_investigate") add(EventKind::kMemberStateDeclined, date);
  }
  for (const auto& date : in.victim_contact_dates) add(EventKind::kVictimContact, date);
  for (const auto& stored : in.pauses) facts.pauses.push_back(stored.pause);
  return facts;
}

}  // namespace

CasesService::CasesService(storage::Database& database, const Clock& clock,
                           const security::AuditLog& audit, const security::Vault& vault,
                           const security::KeyRing& keyring, intake::IntakeService& intake,
                           const security::SecretBytes& server_key, CaseSettings settings)
    : database_(database),
      clock_(clock),
      audit_(audit),
      vault_(vault),
      keyring_(keyring),
      intake_(intake),
      subject_index_(server_key, "cases.subject"),
      settings_(std::move(settings)) {}

std::string CasesService::Today() const { return FormatIso8601(clock_.Now()).substr(0, 10); }

Result<bool> CasesService::IsCaseReader(Connection& c, const Principal& caller) const {
  if (caller.kind != Principal::Kind::kUser) return false;
  return readers_.IsReader(c, kCaseReaderScope, caller.user_id);
}

Result<std::vector<std::string>> CasesService::CallerUnits(const Principal& caller) const {
  if (caller.kind != Principal::Kind::kUser || caller.role != Role::kInvestigator ||
      !settings_.units_of_user) {
    return std::vector<std::string>();
  }
  return settings_.units_of_user(caller.user_id);
}

Result<CasesService::Who> CasesService::AccessTo(Connection& c, const Principal& caller,
                                                 const CaseAccessFacts& facts,
                                                 const std::vector<std::string>& units) const {
  Who who;
  if (caller.kind != Principal::Kind::kUser) return who;
  const bool cdt = security::HasPermission(caller, Permission::kCasesManage);
  if (cdt) {
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    const bool assigned = std::find(facts.officers.begin(), facts.officers.end(), caller.user_id) !=
                          facts.officers.end();
    if (reader || assigned) who.access = CaseAccess::kFull;
    return who;
  }
  if (caller.role == Role::kVra && std::find(facts.advocates.begin(), facts.advocates.end(),
                                             caller.user_id) != facts.advocates.end()) {
    who.access = CaseAccess::kVictims;
  } else if (caller.role == Role::kInvestigator && !facts.investigating_entity.empty()) {
    const std::string unit = UnitOfEntity(facts.investigating_entity);
    if (!unit.empty() && std::find(units.begin(), units.end(), unit) != units.end()) {
      who.access = CaseAccess::kInvestigation;
    }
  }
  return who;
}

Result<CaseView> CasesService::View(Connection& c, const Principal& caller, std::int64_t id,
                                    const std::vector<std::string>& units) const {
  ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
  if (facts.empty()) return NotFound("no such case");
  ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), units));
  if (who.access == CaseAccess::kNone) return NotFound("no such case");
  ASSIGN_OR_RETURN(auto found, store_.FindCase(c, id));
  if (!found) return NotFound("no such case");
  CaseView view;
  view.kase = std::move(*found);
  RETURN_IF_ERROR(store_.LoadLists(c, view.kase));
  view.access = who.access;
  view.can_reveal = who.full() || who.access == CaseAccess::kVictims;
  if (who.access == CaseAccess::kInvestigation) {
    // Investigators see victims by sex and age group only.
    for (auto& victim : view.kase.victims) victim.pseudonym.clear();
  }
  ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
  ASSIGN_OR_RETURN(auto inputs, store_.LoadClockInputs(c, id));
  ASSIGN_OR_RETURN(view.clocks, ClocksOf(settings, inputs));
  if (who.full()) {
    view.pauses = std::move(inputs.pauses);
    ASSIGN_OR_RETURN(view.kase.advocates, store_.Advocates(c, id));
  }
  if (!who.full()) {
    // The repeat-subject alert and the assignments are for the CDT.
    for (auto& subject : view.kase.subjects) subject.other_cases = 0;
    view.kase.officers.clear();
    // The review meetings' decisions are the CDT's deliberations.
    for (auto& event : view.kase.timeline) {
      if (event.kind == "review_decision") event.reason.clear();
    }
  }
  return view;
}

Result<Case> CasesService::LoadForChange(Connection& c, const Principal& caller,
                                         std::int64_t id) const {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
  if (facts.empty()) return NotFound("no such case");
  ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
  if (!who.full()) return NotFound("no such case");
  ASSIGN_OR_RETURN(auto found, store_.FindCase(c, id));
  if (!found) return NotFound("no such case");
  if (IsFinal(found->status)) return Conflict("the case is closed", "status");
  return std::move(*found);
}

Status CasesService::Record(Connection& c, const Principal& caller, std::int64_t case_id,
                            CaseEvent event, const std::string& action, const RequestInfo& info,
                            const std::string& details) const {
  event.at = clock_.Now();
  event.user_id = caller.user_id;
  event.username = caller.username;
  RETURN_IF_ERROR(store_.InsertEvent(c, case_id, event));
  // The clocks read the timeline (a move to a final status stops them): the cache the due view
  // reads is rewritten once the event is in, in the same transaction.
  RETURN_IF_ERROR(RefreshClocks(c, case_id));
  security::AuditEvent audit;
  audit.actor_user_id = caller.user_id;
  audit.actor = caller.username;
  audit.action = action;
  audit.object_type = "case";
  audit.object_id = std::to_string(case_id);
  audit.request_id = info.request_id;
  audit.details = details;
  return audit_.Append(c, audit);
}

Status CasesService::Bump(Connection& c, Case& kase, std::int64_t expected) const {
  kase.version = expected + 1;
  kase.updated_at = clock_.Now();
  kase.urgent = kase.risk_child || kase.risk_violence || kase.risk_ongoing;
  ASSIGN_OR_RETURN(bool written, store_.UpdateCase(c, kase, expected));
  if (!written) return Conflict("someone changed the case since you read it", "version");
  RETURN_IF_ERROR(store_.RefreshSearch(c, kase.id));
  return RefreshClocks(c, kase.id);
}

Result<TimelineSettings> CasesService::LoadTimelineSettings(Connection& c) const {
  ASSIGN_OR_RETURN(auto text, store_.TimelineSettingsText(c));
  if (!text) return DefaultTimelineSettings();
  boost::system::error_code ec;
  auto value = json::parse(*text, ec);
  if (ec) return Internal("the stored timeline rules are not JSON");
  auto settings = ParseTimelineSettings(value);
  if (!settings.ok()) return Internal("the stored timeline rules are invalid");
  return std::move(*settings);
}

Result<std::vector<RuleClock>> CasesService::ClocksOf(const TimelineSettings& settings,
                                                      const ClockInputs& inputs) const {
  return ComputeClocks(settings, FactsOf(inputs, settings.utc_offset_minutes), clock_.Now());
}

Status CasesService::RefreshClocks(Connection& c, std::int64_t case_id,
                                   const TimelineSettings* settings) const {
  if (!settings) {
    ASSIGN_OR_RETURN(auto loaded, LoadTimelineSettings(c));
    return RefreshClocks(c, case_id, &loaded);
  }
  ASSIGN_OR_RETURN(auto inputs, store_.LoadClockInputs(c, case_id));
  ASSIGN_OR_RETURN(auto clocks, ClocksOf(*settings, inputs));
  return store_.SaveClocks(c, case_id, clocks);
}

Result<std::vector<std::int64_t>> CasesService::SealingReaders(Connection& c, std::int64_t case_id,
                                                               bool victim) const {
  ASSIGN_OR_RETURN(auto readers, readers_.Ids(c, kCaseReaderScope));
  std::set<std::int64_t> all(readers.begin(), readers.end());
  ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, case_id));
  for (const auto& f : facts) all.insert(f.officers.begin(), f.officers.end());
  if (victim) {
    ASSIGN_OR_RETURN(auto victims, readers_.Ids(c, intake::kVictimReaderScope));
    all.insert(victims.begin(), victims.end());
  }
  return std::vector<std::int64_t>(all.begin(), all.end());
}

Result<std::int64_t> CasesService::SealVictim(Connection& c, std::int64_t case_id,
                                              const VictimIdentity& identity) const {
  ASSIGN_OR_RETURN(auto readers, SealingReaders(c, case_id, true));
  return vault_.Seal(
      c, "case-victim",
      json::serialize(json::object{
          {"name", identity.name}, {"contacts", identity.contacts}, {"address", identity.address}}),
      readers);
}

Result<std::int64_t> CasesService::SealSubject(Connection& c, std::int64_t case_id,
                                               const SubjectIdentity& identity) const {
  ASSIGN_OR_RETURN(auto readers, SealingReaders(c, case_id, false));
  return vault_.Seal(
      c, "case-subject",
      json::serialize(json::object{{"name", identity.name}, {"description", identity.description}}),
      readers);
}

Status CasesService::AddFromComplaints(
    Connection& c, const Principal& caller, Case& kase,
    const std::vector<intake::IntakeService::TakenComplaint>& taken,
    const RequestInfo& info) const {
  const UnixMillis now = clock_.Now();
  ASSIGN_OR_RETURN(auto existing, store_.Items(c, kase.id));
  std::size_t victim_number = existing.victim_items.size();
  for (const auto& item : taken) {
    const auto& complaint = item.complaint;
    RETURN_IF_ERROR(store_.LinkComplaint(c, kase.id, {complaint.id, complaint.reference}, now));
    for (std::size_t i = 0; i < complaint.victims.size(); ++i) {
      const auto& facts = complaint.victims[i];
      Victim victim;
      // Built whole and moved in: GCC 12 warns falsely (-Wrestrict) on "V" + std::to_string.
      char pseudonym[32];
      std::snprintf(pseudonym, sizeof pseudonym, "V%zu", ++victim_number);
      victim.pseudonym = std::string(pseudonym);
      victim.sex = IsOneOf(kSexes, facts.sex) ? facts.sex : "unknown";
      victim.age_group = IsOneOf(kAgeGroups, facts.age_group) ? facts.age_group : "unknown";
      victim.age = facts.age;
      const std::string born = At(item.identifying.victim_child_born, i);
      victim.child_born = IsOneOf(kYesNoUnknown, born) ? born : "unknown";
      if (victim.child_born == "yes") kase.paternity_claim = true;
      ASSIGN_OR_RETURN(victim.identity_item,
                       SealVictim(c, kase.id, {At(item.identifying.victim_names, i), "", ""}));
      RETURN_IF_ERROR(store_.InsertVictim(c, kase.id, victim, now).status());
    }
    for (std::size_t i = 0; i < complaint.perpetrators.size(); ++i) {
      const auto& facts = complaint.perpetrators[i];
      Subject subject;
      subject.personnel_category = facts.category.empty() ? "unknown" : facts.category;
      subject.nationality = Uniformed(subject.personnel_category) ? facts.nationality : "";
      subject.unit = facts.unit;
      subject.rank = facts.rank;
      const SubjectIdentity identity{At(item.identifying.perpetrator_names, i),
                                     At(item.identifying.perpetrator_descriptions, i)};
      ASSIGN_OR_RETURN(subject.identity_item, SealSubject(c, kase.id, identity));
      RETURN_IF_ERROR(
          store_.InsertSubject(c, kase.id, subject, subject_index_.Tag(identity.name), now)
              .status());
    }
    CaseEvent event;
    event.kind = "complaint_added";
    event.reason = complaint.reference;
    RETURN_IF_ERROR(Record(c, caller, kase.id, event, "cases.complaint.add", info,
                           json::serialize(json::object{{"complaint_id", complaint.id}})));
  }
  return Status::Ok();
}

// ---- Creating and reading

Result<CaseView> CasesService::Create(const Principal& caller, const NewCase& request,
                                      const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  if (request.complaint_ids.empty()) {
    return InvalidArgument("name at least one complaint", "complaints");
  }
  std::int64_t id = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto taken, intake_.TakeForCaseIn(c, caller, request.complaint_ids, info));
    const auto& first = taken.front().complaint;
    const UnixMillis now = clock_.Now();
    Case kase;
    kase.mission = settings_.mission;
    kase.date_reported =
        request.date_reported.value_or(FormatIso8601(first.received_at).substr(0, 10));
    std::string precision = first.incident_date_precision;
    if (precision == "approximate") {
      precision = first.incident_date.size() == 10  ? "exact"
                  : first.incident_date.size() == 7 ? "month"
                                                    : "unknown";
    }
    if (!IsOneOf(kDatePrecisions, precision)) precision = "unknown";
    kase.incident_date_precision = request.incident_date_precision.value_or(precision);
    kase.incident_date = request.incident_date.value_or(
        precision == "unknown" && !request.incident_date_precision ? "" : first.incident_date);
    kase.location = request.location.value_or(
        !first.town.empty()
            ? first.town
            : (!first.sub_prefecture.empty() ? first.sub_prefecture : first.prefecture));
    const auto& assessment = first.assessment;
    kase.category = request.category.value_or(assessment ? assessment->category : "");
    kase.type = request.type.value_or(assessment ? assessment->type : "");
    for (const auto& item : taken) {
      kase.risk_child = kase.risk_child || item.complaint.risk_child;
      kase.risk_violence = kase.risk_violence || item.complaint.risk_danger;
    }
    kase.risk_ongoing = request.risk_ongoing.value_or(false);
    kase.urgent = kase.risk_child || kase.risk_violence || kase.risk_ongoing;
    if (kase.date_reported > Today() || !IsIsoDate(kase.date_reported)) {
      return Unprocessable("a date YYYY-MM-DD, not in the future", "date_reported");
    }
    RETURN_IF_ERROR(CheckIncidentDate(kase.incident_date_precision, kase.incident_date));
    if (IncidentDateStart(kase.incident_date_precision, kase.incident_date) > kase.date_reported) {
      return Unprocessable("the incident cannot follow its report", "incident_date");
    }
    if (!IsOneOf(kCaseCategories, kase.category)) {
      return InvalidArgument("sexual_exploitation or sexual_abuse", "category");
    }
    if (!IsOneOf(kCaseTypes, kase.type)) return InvalidArgument("unknown type", "type");
    if (kase.location.size() > 200) return InvalidArgument("at most 200 characters", "location");
    const int year = std::stoi(kase.date_reported.substr(0, 4));
    ASSIGN_OR_RETURN(std::int64_t number, store_.NextNumber(c, settings_.reference_prefix, year));
    char digits[16];
    std::snprintf(digits, sizeof digits, "%04lld", static_cast<long long>(number));
    kase.reference = settings_.reference_prefix + "-" + std::to_string(year) + "-" + digits;
    kase.status = CaseStatus::kReceived;
    kase.status_date = kase.date_reported;
    kase.created_by = caller.user_id;
    kase.created_at = now;
    kase.updated_at = now;
    ASSIGN_OR_RETURN(kase.id, store_.InsertCase(c, kase));
    id = kase.id;
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) {
      // Whoever makes a case works it: the creator is assigned before anything is sealed.
      RETURN_IF_ERROR(
          store_.AssignOfficer(c, kase.id, {caller.user_id, caller.username, now}, caller.user_id));
    }
    CaseEvent created;
    created.kind = "created";
    created.to_status = "received";
    created.date = kase.date_reported;
    RETURN_IF_ERROR(Record(c, caller, kase.id, created, "cases.case.create", info,
                           json::serialize(json::object{{"reference", kase.reference}})));
    const std::int64_t version = kase.version;
    RETURN_IF_ERROR(AddFromComplaints(c, caller, kase, taken, info));
    if (kase.paternity_claim) RETURN_IF_ERROR(Bump(c, kase, version));
    RETURN_IF_ERROR(store_.RefreshSearch(c, kase.id));
    return RefreshClocks(c, kase.id);
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::AbsorbComplaints(const Principal& caller, std::int64_t id,
                                                const std::vector<std::int64_t>& complaint_ids,
                                                const RequestInfo& info) {
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(auto taken, intake_.TakeForCaseIn(c, caller, complaint_ids, info));
    const std::int64_t version = kase.version;
    for (const auto& item : taken) {
      kase.risk_child = kase.risk_child || item.complaint.risk_child;
      kase.risk_violence = kase.risk_violence || item.complaint.risk_danger;
    }
    RETURN_IF_ERROR(AddFromComplaints(c, caller, kase, taken, info));
    return Bump(c, kase, version);
  }));
  return Get(caller, id);
}

Result<std::vector<CaseView>> CasesService::List(const Principal& caller) {
  CaseListFilter filter;
  filter.limit = kMaxCasePage;
  ASSIGN_OR_RETURN(auto page, ListPage(caller, filter));
  return std::move(page.cases);
}

Result<CaseView> CasesService::Get(const Principal& caller, std::int64_t id) {
  ASSIGN_OR_RETURN(auto units, CallerUnits(caller));
  CaseView view;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(view, View(c, caller, id, units));
    return Status::Ok();
  }));
  return view;
}

// ---- Changes

Result<CaseView> CasesService::Update(const Principal& caller, std::int64_t id,
                                      const CasePatch& patch, std::optional<std::int64_t> version,
                                      const RequestInfo& info, VersionSource source) {
  RETURN_IF_ERROR(AsPrecondition(source, database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    RETURN_IF_ERROR(CheckVersion(kase, version, source));
    const std::int64_t read_version = kase.version;
    std::vector<std::string> changed;
    auto set = [&](auto& field, const auto& value, const char* name) {
      if (value && *value != field) {
        field = *value;
        changed.push_back(name);
      }
    };
    set(kase.date_reported, patch.date_reported, "date_reported");
    set(kase.incident_date_precision, patch.incident_date_precision, "incident_date_precision");
    set(kase.incident_date, patch.incident_date, "incident_date");
    set(kase.location, patch.location, "location");
    set(kase.category, patch.category, "category");
    set(kase.type, patch.type, "type");
    set(kase.risk_child, patch.risk_child, "risk_child");
    set(kase.risk_violence, patch.risk_violence, "risk_violence");
    set(kase.risk_ongoing, patch.risk_ongoing, "risk_ongoing");
    set(kase.paternity_claim, patch.paternity_claim, "paternity_claim");
    if (!IsIsoDate(kase.date_reported)) {
      return InvalidArgument("a date YYYY-MM-DD", "date_reported");
    }
    if (kase.date_reported > Today()) {
      return Unprocessable("the report cannot be in the future", "date_reported");
    }
    RETURN_IF_ERROR(CheckIncidentDate(kase.incident_date_precision, kase.incident_date));
    if (IncidentDateStart(kase.incident_date_precision, kase.incident_date) > kase.date_reported) {
      return Unprocessable("the incident cannot follow its report", "incident_date");
    }
    // A step already recorded cannot predate the report.
    if (kase.status != CaseStatus::kReceived && kase.status_date < kase.date_reported) {
      return Unprocessable("the case moved on before this date", "date_reported");
    }
    if (!IsOneOf(kCaseCategories, kase.category)) {
      return InvalidArgument("sexual_exploitation or sexual_abuse", "category");
    }
    if (!IsOneOf(kCaseTypes, kase.type)) return InvalidArgument("unknown type", "type");
    if (kase.location.size() > 200) return InvalidArgument("at most 200 characters", "location");
    RETURN_IF_ERROR(Bump(c, kase, read_version));
    json::array fields;
    std::string reason;
    for (const auto& name : changed) {
      fields.emplace_back(name);
      reason += (reason.empty() ? "" : ", ") + name;
    }
    CaseEvent event;
    event.kind = "edit";
    event.reason = reason;
    return Record(c, caller, id, event, "cases.case.update", info,
                  json::serialize(json::object{{"fields", fields}}));
  })));
  return Get(caller, id);
}

Result<CaseView> CasesService::Transition(const Principal& caller, std::int64_t id,
                                          const TransitionRequest& request,
                                          std::optional<std::int64_t> version,
                                          const RequestInfo& info, VersionSource source) {
  ASSIGN_OR_RETURN(auto units, CallerUnits(caller));
  RETURN_IF_ERROR(AsPrecondition(source, database_.WriteTransaction([&](Connection& c) -> Status {
    Case kase;
    if (caller.role == Role::kInvestigator) {
      // An investigator of the entity records that the report arrived, and nothing else.
      ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
      if (facts.empty()) return NotFound("no such case");
      ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), units));
      if (who.access != CaseAccess::kInvestigation) return NotFound("no such case");
      ASSIGN_OR_RETURN(auto found, store_.FindCase(c, id));
      if (!found) return NotFound("no such case");
      kase = std::move(*found);
      if (IsFinal(kase.status)) return Conflict("the case is closed", "status");
    } else {
      ASSIGN_OR_RETURN(kase, LoadForChange(c, caller, id));
    }
    RETURN_IF_ERROR(CheckVersion(kase, version, source));
    const std::int64_t read_version = kase.version;
    RETURN_IF_ERROR(CheckTransition(kase.status, request, caller.role));
    const std::string date = request.date.empty() ? Today() : request.date;
    if (date > Today()) return Unprocessable("the step cannot be in the future", "date");
    if (date < kase.date_reported) {
      return Unprocessable("the step cannot precede the report", "date");
    }
    if (date < kase.status_date) {
      return Unprocessable("the step cannot precede the last one (" + kase.status_date + ")",
                           "date");
    }
    CaseEvent event;
    event.kind = "status";
    event.from_status = std::string(CaseStatusName(kase.status));
    event.to_status = std::string(CaseStatusName(request.to));
    event.reason = request.reason;
    event.date = date;
    kase.status = request.to;
    kase.status_date = date;
    if (!request.entity.empty()) kase.investigating_entity = request.entity;
    if (!request.outcome.empty()) kase.outcome = request.outcome;
    if (IsFinal(request.to)) kase.closure_reason = request.reason;
    RETURN_IF_ERROR(Bump(c, kase, read_version));
    json::object details{{"from", event.from_status}, {"to", event.to_status}};
    if (!request.entity.empty()) details["entity"] = request.entity;
    if (!request.outcome.empty()) details["outcome"] = request.outcome;
    return Record(c, caller, id, event, "cases.case.transition", info, json::serialize(details));
  })));
  return Get(caller, id);
}

Result<CaseView> CasesService::AddVictim(const Principal& caller, std::int64_t id, Victim victim,
                                         const VictimIdentity& identity, const RequestInfo& info) {
  if (victim.age && (victim.age_group.empty() || victim.age_group == "unknown")) {
    victim.age_group = *victim.age < 18 ? "minor" : "adult";
  }
  RETURN_IF_ERROR(CheckVictim(victim));
  if (identity.name.size() > kMaxText || identity.contacts.size() > kMaxText ||
      identity.address.size() > kMaxText) {
    return InvalidArgument("at most 500 characters", "identity");
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(victim.identity_item, SealVictim(c, id, identity));
    ASSIGN_OR_RETURN(std::int64_t victim_id, store_.InsertVictim(c, id, victim, clock_.Now()));
    const std::int64_t version = kase.version;
    if (victim.age_group == "minor") kase.risk_child = true;
    if (victim.child_born == "yes") kase.paternity_claim = true;
    RETURN_IF_ERROR(Bump(c, kase, version));
    CaseEvent event;
    event.kind = "victim_added";
    event.reason = victim.pseudonym;
    return Record(c, caller, id, event, "cases.victim.add", info,
                  json::serialize(json::object{{"victim_id", victim_id}}));
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::AddSubject(const Principal& caller, std::int64_t id, Subject subject,
                                          const SubjectIdentity& identity,
                                          const RequestInfo& info) {
  RETURN_IF_ERROR(CheckSubject(subject));
  if (identity.name.size() > kMaxText || identity.description.size() > 2000) {
    return InvalidArgument("too long", "identity");
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(subject.identity_item, SealSubject(c, id, identity));
    ASSIGN_OR_RETURN(
        std::int64_t subject_id,
        store_.InsertSubject(c, id, subject, subject_index_.Tag(identity.name), clock_.Now()));
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = "subject_added";
    event.reason = subject.personnel_category;
    return Record(c, caller, id, event, "cases.subject.add", info,
                  json::serialize(json::object{{"subject_id", subject_id}}));
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::AddEntry(const Principal& caller, std::int64_t id, CaseEntry entry,
                                        const RequestInfo& info) {
  if (!IsOneOf(kEntryKinds, entry.kind)) {
    return InvalidArgument("member_state, interim_measure or action", "kind");
  }
  if (!IsOneOf(EntryTypesOf(entry.kind), entry.type)) {
    return InvalidArgument("unknown type for this kind", "type");
  }
  if (!IsIsoDate(entry.date)) return InvalidArgument("a date YYYY-MM-DD", "date");
  if (!entry.end_date.empty() && !IsIsoDate(entry.end_date)) {
    return InvalidArgument("a date YYYY-MM-DD", "end_date");
  }
  if (!entry.end_date.empty() && entry.end_date < entry.date) {
    return Unprocessable("the end cannot precede the start", "end_date");
  }
  if (entry.date > Today()) return Unprocessable("the date cannot be in the future", "date");
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    if (entry.date < kase.date_reported) {
      return Unprocessable("the date cannot precede the report", "date");
    }
    entry.created_by_username = caller.username;
    entry.created_at = clock_.Now();
    ASSIGN_OR_RETURN(std::int64_t entry_id, store_.InsertEntry(c, id, entry, caller.user_id));
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = entry.kind;
    event.reason = entry.type;
    event.date = entry.date;
    return Record(c, caller, id, event, "cases.entry.add", info,
                  json::serialize(json::object{{"entry_id", entry_id}, {"kind", entry.kind}}));
  }));
  return Get(caller, id);
}

// ---- Assignments

Result<StaffMember> CasesService::ActiveStaff(std::int64_t user) const {
  if (!settings_.staff) return Unprocessable("no staff directory", "user_id");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  for (const auto& member : staff) {
    if (member.id != user) continue;
    if (member.disabled || (member.role != Role::kCdtOfficer && member.role != Role::kCdtChief)) {
      return Unprocessable("only an active CDT officer or chief", "user_id");
    }
    return member;
  }
  return Unprocessable("no such user", "user_id");
}

Result<CaseView> CasesService::AssignOfficer(const Principal& caller, std::int64_t id,
                                             std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  ASSIGN_OR_RETURN(StaffMember member, ActiveStaff(user));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) return PermissionDenied("only a cases reader assigns officers");
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    RETURN_IF_ERROR(
        store_.AssignOfficer(c, id, {member.id, member.username, clock_.Now()}, caller.user_id));
    ASSIGN_OR_RETURN(auto items, store_.Items(c, id));
    std::vector<std::int64_t> all = items.victim_items;
    all.insert(all.end(), items.subject_items.begin(), items.subject_items.end());
    for (std::int64_t item : all) RETURN_IF_ERROR(vault_.Grant(c, item, *key, member.id));
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = "officer_assigned";
    event.reason = member.username;
    return Record(c, caller, id, event, "cases.officer.assign", info,
                  json::serialize(json::object{{"user_id", member.id}, {"items", all.size()}}));
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::UnassignOfficer(const Principal& caller, std::int64_t id,
                                               std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) return PermissionDenied("only a cases reader unassigns officers");
    ASSIGN_OR_RETURN(bool removed, store_.UnassignOfficer(c, id, user));
    if (!removed) return NotFound("the officer is not assigned to this case");
    // The wraps the assignment gave go now; a cases reader keeps theirs, a victims reader
    // keeps the victims'.
    ASSIGN_OR_RETURN(bool still_reader, readers_.IsReader(c, kCaseReaderScope, user));
    ASSIGN_OR_RETURN(bool victims_reader, readers_.IsReader(c, intake::kVictimReaderScope, user));
    std::int64_t revoked = 0;
    if (!still_reader) {
      ASSIGN_OR_RETURN(auto items, store_.Items(c, id));
      for (std::int64_t item : items.subject_items) {
        RETURN_IF_ERROR(vault_.Revoke(c, item, user));
        ++revoked;
      }
      if (!victims_reader) {
        for (std::int64_t item : items.victim_items) {
          RETURN_IF_ERROR(vault_.Revoke(c, item, user));
          ++revoked;
        }
      }
    }
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = "officer_unassigned";
    event.reason = std::to_string(user);
    return Record(c, caller, id, event, "cases.officer.unassign", info,
                  json::serialize(json::object{{"user_id", user}, {"revoked", revoked}}));
  }));
  return Get(caller, id);
}

// ---- Reveal

Result<VictimIdentity> CasesService::RevealVictim(const Principal& caller, std::int64_t id,
                                                  std::int64_t victim_id, const RequestInfo& info) {
  VictimIdentity out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full() && who.access != CaseAccess::kVictims) return NotFound("no such case");
    ASSIGN_OR_RETURN(auto victim, store_.FindVictim(c, id, victim_id));
    if (!victim) return NotFound("no such victim");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    auto text = vault_.Open(c, victim->identity_item, *key);
    if (!text.ok()) {
      if (text.status().code() == ErrorCode::kNotFound) {
        return PermissionDenied("you hold no key for this identity");
      }
      return text.status();
    }
    const auto object = ParseObject(*text);
    out = {StringAt(object, "name"), StringAt(object, "contacts"), StringAt(object, "address")};
    CaseEvent event;
    event.kind = "victim_revealed";
    event.reason = victim->pseudonym;
    return Record(c, caller, id, event, "cases.victim.reveal", info,
                  json::serialize(json::object{{"victim_id", victim_id}}));
  }));
  return out;
}

Result<SubjectIdentity> CasesService::RevealSubject(const Principal& caller, std::int64_t id,
                                                    std::int64_t subject_id,
                                                    const RequestInfo& info) {
  SubjectIdentity out;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full()) return NotFound("no such case");
    ASSIGN_OR_RETURN(auto subject, store_.FindSubject(c, id, subject_id));
    if (!subject) return NotFound("no such subject");
    RETURN_IF_ERROR(security::RequireRecentProof(caller, clock_.Now()));
    const auto key = keyring_.Get(caller.session_id);
    if (!key) return Status(ErrorCode::kReauthRequired, "unlock your key first");
    auto text = vault_.Open(c, subject->identity_item, *key);
    if (!text.ok()) {
      if (text.status().code() == ErrorCode::kNotFound) {
        return PermissionDenied("you hold no key for this identity");
      }
      return text.status();
    }
    const auto object = ParseObject(*text);
    out = {StringAt(object, "name"), StringAt(object, "description")};
    CaseEvent event;
    event.kind = "subject_revealed";
    event.reason = std::to_string(subject_id);
    return Record(c, caller, id, event, "cases.subject.reveal", info,
                  json::serialize(json::object{{"subject_id", subject_id}}));
  }));
  return out;
}

// ---- Readers

Result<CaseReadersView> CasesService::Readers(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  CaseReadersView view;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(view.readers, readers_.List(c, kCaseReaderScope));
    return Status::Ok();
  }));
  if (settings_.staff) {
    ASSIGN_OR_RETURN(auto staff, settings_.staff());
    for (const auto& member : staff) {
      const bool reader = std::any_of(view.readers.begin(), view.readers.end(),
                                      [&](const auto& r) { return r.user_id == member.id; });
      if (!reader && !member.disabled &&
          (member.role == Role::kCdtChief || member.role == Role::kCdtOfficer)) {
        view.eligible.push_back(member);
      }
    }
  }
  return view;
}

Status CasesService::AddReader(const Principal& caller, std::int64_t user,
                               const std::optional<security::StepUpProof>& proof,
                               const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesReaders));
  ASSIGN_OR_RETURN(StaffMember member, ActiveStaff(user));
  if (!settings_.verify_step_up) return PermissionDenied("no step-up verifier");
  if (!proof) return InvalidArgument("give your password", "current_password");
  RETURN_IF_ERROR(settings_.verify_step_up(caller, *proof, info.remote_address, info.request_id));
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto current, readers_.Ids(c, kCaseReaderScope));
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) {
      // The first reader is named by an intake reader: the cases re-seal what intake holds.
      ASSIGN_OR_RETURN(bool intake_reader,
                       readers_.IsReader(c, intake::kReaderScope, caller.user_id));
      if (!current.empty() || !intake_reader) {
        return PermissionDenied("only a cases reader adds cases readers");
      }
    }
    RETURN_IF_ERROR(readers_.Add(c, kCaseReaderScope, member.id, member.username, caller.user_id,
                                 caller.username, clock_.Now()));
    std::int64_t granted = 0;
    const auto key = keyring_.Get(caller.session_id);
    if (key) {
      ASSIGN_OR_RETURN(auto items, store_.Items(c, std::nullopt));
      std::vector<std::int64_t> all = items.victim_items;
      all.insert(all.end(), items.subject_items.begin(), items.subject_items.end());
      for (std::int64_t item : all) {
        // Items the adder cannot open (cases they are not assigned to, before they read
        // every case) are granted from the recovery key on the console instead.
        if (vault_.Grant(c, item, *key, member.id).ok()) ++granted;
      }
    }
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "cases.readers.add";
    event.object_type = "user";
    event.object_id = std::to_string(member.id);
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{{"items", granted}});
    return audit_.Append(c, event);
  });
}

Status CasesService::RemoveReader(const Principal& caller, std::int64_t user,
                                  const std::optional<security::StepUpProof>& proof,
                                  const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesReaders));
  if (!settings_.verify_step_up) return PermissionDenied("no step-up verifier");
  if (!proof) return InvalidArgument("give your password", "current_password");
  RETURN_IF_ERROR(settings_.verify_step_up(caller, *proof, info.remote_address, info.request_id));
  std::string username = std::to_string(user);
  if (settings_.staff) {
    ASSIGN_OR_RETURN(auto staff, settings_.staff());
    for (const auto& member : staff) {
      if (member.id == user) username = member.username;
    }
  }
  return database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) return PermissionDenied("only a cases reader removes cases readers");
    RETURN_IF_ERROR(readers_.Remove(c, kCaseReaderScope, user, username, caller.user_id,
                                    caller.username, clock_.Now()));
    ASSIGN_OR_RETURN(std::int64_t revoked, RevokeReaderItems(c, user));
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "cases.readers.remove";
    event.object_type = "user";
    event.object_id = std::to_string(user);
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{{"items", revoked}});
    return audit_.Append(c, event);
  });
}

// What a former cases reader loses: every case item except those of the cases they are
// assigned to, and the victims' items while they are a victims reader.
Result<std::int64_t> CasesService::RevokeReaderItems(Connection& c, std::int64_t user) const {
  ASSIGN_OR_RETURN(auto assigned, store_.CasesOfOfficer(c, user));
  ASSIGN_OR_RETURN(bool victims_reader, readers_.IsReader(c, intake::kVictimReaderScope, user));
  std::set<std::int64_t> keep;
  for (std::int64_t case_id : assigned) {
    ASSIGN_OR_RETURN(auto items, store_.Items(c, case_id));
    keep.insert(items.victim_items.begin(), items.victim_items.end());
    keep.insert(items.subject_items.begin(), items.subject_items.end());
  }
  ASSIGN_OR_RETURN(auto items, store_.Items(c, std::nullopt));
  if (victims_reader) keep.insert(items.victim_items.begin(), items.victim_items.end());
  std::vector<std::int64_t> all = items.victim_items;
  all.insert(all.end(), items.subject_items.begin(), items.subject_items.end());
  std::int64_t revoked = 0;
  for (std::int64_t item : all) {
    if (keep.count(item)) continue;
    RETURN_IF_ERROR(vault_.Revoke(c, item, user));
    ++revoked;
  }
  return revoked;
}

Result<std::vector<std::int64_t>> CasesService::VictimItems(Connection& c) const {
  ASSIGN_OR_RETURN(auto items, store_.Items(c, std::nullopt));
  return std::move(items.victim_items);
}

Result<std::vector<std::int64_t>> CasesService::VictimItemsHeldBy(Connection& c,
                                                                  std::int64_t user) const {
  ASSIGN_OR_RETURN(bool reader, readers_.IsReader(c, kCaseReaderScope, user));
  if (reader) return VictimItems(c);
  ASSIGN_OR_RETURN(auto assigned, store_.CasesOfOfficer(c, user));
  std::vector<std::int64_t> held;
  for (std::int64_t case_id : assigned) {
    ASSIGN_OR_RETURN(auto items, store_.Items(c, case_id));
    held.insert(held.end(), items.victim_items.begin(), items.victim_items.end());
  }
  return held;
}

// ---- The server's console (`psea cases readers`)

Result<StaffMember> CasesService::ActiveStaffByName(const std::string& username) const {
  if (!settings_.staff) return Unprocessable("no staff directory", "username");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  for (const auto& member : staff) {
    if (member.username == username) return ActiveStaff(member.id);
  }
  return NotFound("no user is called " + username);
}

Status CasesService::AuditConsoleReaderChange(Connection& c, std::string_view action,
                                              const StaffMember& member, std::int64_t items,
                                              const RequestInfo& info) const {
  security::AuditEvent event;
  event.actor = "console";
  event.action = std::string(action);
  event.object_type = "user";
  event.object_id = std::to_string(member.id);
  event.request_id = info.request_id;
  event.details = json::serialize(json::object{{"items", items}, {"via", "console"}});
  return audit_.Append(c, event);
}

Result<std::int64_t> CasesService::AddReaderFromConsole(const std::string& username,
                                                        std::string_view recovery_key,
                                                        const RequestInfo& info) {
  ASSIGN_OR_RETURN(StaffMember member, ActiveStaffByName(username));
  std::int64_t granted = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(
        readers_.Add(c, kCaseReaderScope, member.id, member.username, 0, "console", clock_.Now()));
    ASSIGN_OR_RETURN(auto items, store_.Items(c, std::nullopt));
    std::vector<std::int64_t> all = items.victim_items;
    all.insert(all.end(), items.subject_items.begin(), items.subject_items.end());
    ASSIGN_OR_RETURN(granted, vault_.GrantFromRecovery(c, all, recovery_key, member.id));
    return AuditConsoleReaderChange(c, "cases.readers.add", member, granted, info);
  }));
  return granted;
}

Result<std::int64_t> CasesService::RemoveReaderFromConsole(const std::string& username,
                                                           const RequestInfo& info) {
  if (!settings_.staff) return Unprocessable("no staff directory", "username");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  const auto found = std::find_if(staff.begin(), staff.end(),
                                  [&](const StaffMember& m) { return m.username == username; });
  if (found == staff.end()) return NotFound("no user is called " + username);
  const StaffMember member = *found;  // a disabled reader can still be removed
  std::int64_t revoked = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(readers_.Remove(c, kCaseReaderScope, member.id, member.username, 0, "console",
                                    clock_.Now()));
    ASSIGN_OR_RETURN(revoked, RevokeReaderItems(c, member.id));
    return AuditConsoleReaderChange(c, "cases.readers.remove", member, revoked, info);
  }));
  return revoked;
}

Result<std::vector<security::ReaderEntry>> CasesService::ListReadersForConsole() {
  return database_.Read<std::vector<security::ReaderEntry>>(
      [&](Connection& c) { return readers_.List(c, kCaseReaderScope); });
}

Result<std::vector<CasesService::RetentionCandidate>> CasesService::RetentionCandidates(
    Connection& c, UnixMillis closed_before) const {
  std::vector<CaseStatus> finals;
  for (CaseStatus status : AllCaseStatuses()) {
    if (IsFinal(status)) finals.push_back(status);
  }
  ASSIGN_OR_RETURN(auto dated, store_.CasesIn(c, finals));
  std::vector<RetentionCandidate> out;
  for (const auto& kase : dated) {
    // status_date is a YYYY-MM-DD the service checked; one that does not parse is kept.
    const auto closed_at = ParseIso8601(kase.status_date);
    if (closed_at && *closed_at < closed_before) out.push_back({kase.id, *closed_at});
  }
  return out;
}

Result<bool> CasesService::CaseExists(Connection& c, std::int64_t id) const {
  ASSIGN_OR_RETURN(auto kase, store_.FindCase(c, id));
  return kase.has_value();
}

Result<CasesService::PurgeCounts> CasesService::PurgeCases(Connection& c,
                                                           const std::vector<std::int64_t>& ids,
                                                           std::vector<std::string>* files) const {
  PurgeCounts counts;
  std::vector<std::string> ignored;
  for (std::int64_t id : ids) {
    ASSIGN_OR_RETURN(auto items, store_.Items(c, id));
    ASSIGN_OR_RETURN(bool deleted, store_.DeleteCase(c, id));
    if (!deleted) continue;
    for (const auto& hook : purge_hooks_) {
      ASSIGN_OR_RETURN(std::int64_t removed, hook(c, id, files ? *files : ignored));
      (void)removed;
    }
    std::vector<std::int64_t> all = items.victim_items;
    all.insert(all.end(), items.subject_items.begin(), items.subject_items.end());
    ASSIGN_OR_RETURN(std::int64_t destroyed, vault_.DeleteItems(c, all));
    ++counts.cases;
    counts.vault_items += destroyed;
  }
  return counts;
}

// ---- For modules that keep records on a case

Result<CasesService::CaseAccessCheck> CasesService::AccessToCase(
    Connection& c, const Principal& caller, std::int64_t id,
    const std::vector<std::string>& units) const {
  CaseAccessCheck check;
  ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
  if (facts.empty()) return check;
  ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), units));
  check.access = who.access;
  if (who.access == CaseAccess::kNone) return check;
  ASSIGN_OR_RETURN(auto found, store_.FindCase(c, id));
  if (!found) {
    check.access = CaseAccess::kNone;
    return check;
  }
  check.final = IsFinal(found->status);
  return check;
}

// ---- Clocks

Result<TimelineSettings> CasesService::TimelineRules(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  TimelineSettings settings;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(settings, LoadTimelineSettings(c));
    return Status::Ok();
  }));
  return settings;
}

Result<TimelineSettings> CasesService::SetTimelineRules(const Principal& caller,
                                                        const json::value& table,
                                                        const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesReaders));
  ASSIGN_OR_RETURN(TimelineSettings settings, ParseTimelineSettings(table));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(store_.SaveTimelineSettings(c, json::serialize(TimelineSettingsJson(settings)),
                                                caller.user_id, clock_.Now()));
    // Every case's due dates follow the new table (rare: the chief edits it seldom).
    ASSIGN_OR_RETURN(auto ids, store_.AllCaseIds(c));
    for (std::int64_t id : ids) RETURN_IF_ERROR(RefreshClocks(c, id, &settings));
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "cases.timeline_rules.update";
    event.object_type = "case_timeline_rules";
    event.object_id = "1";
    event.request_id = info.request_id;
    event.details = json::serialize(json::object{{"cases_refreshed", ids.size()}});
    return audit_.Append(c, event);
  }));
  return TimelineRules(caller);
}

Result<DuePage> CasesService::Due(const Principal& caller, int within_days, bool mine,
                                  std::int64_t offset, std::int64_t limit) {
  if (within_days < 0 || within_days > 365) return InvalidArgument("0 to 365", "within_days");
  if (caller.kind != Principal::Kind::kUser ||
      (!security::HasPermission(caller, Permission::kCasesManage) && caller.role != Role::kVra &&
       caller.role != Role::kInvestigator)) {
    return PermissionDenied("your role sees no case");
  }
  ASSIGN_OR_RETURN(auto units, CallerUnits(caller));
  DuePage out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
    ASSIGN_OR_RETURN(auto scope, ScopeOf(c, caller, units));
    const UnixMillis now = clock_.Now();
    // The cache is exact for open clocks: a due date moves only when a fact of the case
    // changes, and every change rewrites the case's cached clocks in its transaction; time
    // alone turns a running clock overdue, which ListDueAndOverdue reads from due_at. A day
    // of margin covers the mission-day rounding of within_days.
    constexpr UnixMillis kDay = 24LL * 3600 * 1000;
    std::optional<std::int64_t> assigned;
    if (mine) assigned = caller.user_id;
    ASSIGN_OR_RETURN(auto cases, store_.DueClocks(c, scope.first, now + (within_days + 2) * kDay,
                                                  assigned, scope.second == CaseAccess::kFull));
    out = PageDueAndOverdue(cases, now, within_days, settings.utc_offset_minutes, offset, limit,
                            std::nullopt);
    return Status::Ok();
  }));
  return out;
}

Result<CaseView> CasesService::AddPause(const Principal& caller, std::int64_t id,
                                        const PauseRequest& request, const RequestInfo& info) {
  const UnixMillis now = clock_.Now();
  ClockPause pause;
  pause.rule = request.rule;
  pause.reason = request.reason;
  pause.start = now;
  RETURN_IF_ERROR(ValidatePause(pause));
  if (pause.reason.size() > 2000) return InvalidArgument("at most 2000 characters", "reason");
  if (!request.start_date.empty() && !IsIsoDate(request.start_date)) {
    return InvalidArgument("a date YYYY-MM-DD", "start");
  }
  std::int64_t pause_id = 0;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
    if (!request.start_date.empty()) {
      pause.start = *StartOfMissionDay(request.start_date, settings.utc_offset_minutes);
      if (pause.start > now) return Unprocessable("the pause cannot start in the future", "start");
    }
    const auto reported = StartOfMissionDay(kase.date_reported, settings.utc_offset_minutes);
    if (reported && pause.start < *reported) {
      return Unprocessable("the pause cannot start before the report", "start");
    }
    ASSIGN_OR_RETURN(pause_id, store_.InsertPause(c, id, pause, caller.user_id, caller.username));
    RETURN_IF_ERROR(RefreshClocks(c, id));
    CaseEvent event;
    event.kind = "clock_paused";
    event.reason = pause.reason;
    json::object details{{"pause_id", pause_id},
                         {"rule", pause.rule ? RuleIdName(*pause.rule) : "all"}};
    return Record(c, caller, id, event, "cases.clock.pause", info, json::serialize(details));
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::EndPause(const Principal& caller, std::int64_t id,
                                        std::int64_t pause_id, const RequestInfo& info) {
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadForChange(c, caller, id).status());
    ASSIGN_OR_RETURN(auto found, store_.FindPause(c, id, pause_id));
    if (!found) return NotFound("no such pause");
    ASSIGN_OR_RETURN(bool ended,
                     store_.EndPause(c, pause_id, clock_.Now(), caller.user_id, caller.username));
    if (!ended) return Conflict("the pause has ended already", "pause_id");
    RETURN_IF_ERROR(RefreshClocks(c, id));
    CaseEvent event;
    event.kind = "clock_resumed";
    event.reason = found->pause.reason;
    return Record(c, caller, id, event, "cases.clock.resume", info,
                  json::serialize(json::object{{"pause_id", pause_id}}));
  }));
  return Get(caller, id);
}

// ---- Keeping victims and reporters informed, the bi-weekly review, reminders

namespace {

constexpr std::size_t kMaxContactNote = 4000;
constexpr std::size_t kMaxDecision = 2000;
constexpr UnixMillis kDayMillis = 24LL * 3600 * 1000;

std::string IsoOf(const Date& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// Characters, not bytes: the handlers bound text by characters (http/json.h).
std::size_t CharCount(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

// Whole days from `from` to `to` (YYYY-MM-DD both); 0 when either does not parse.
int DaysBetween(const std::string& from, const std::string& to) {
  const auto a = ParseIso8601(from + "T00:00:00Z");
  const auto b = ParseIso8601(to + "T00:00:00Z");
  if (!a || !b) return 0;
  return static_cast<int>((*b - *a) / kDayMillis);
}

}  // namespace

Result<VictimContact> CasesService::AddVictimContact(const Principal& caller, std::int64_t id,
                                                     std::int64_t victim_id,
                                                     const NewVictimContact& request,
                                                     const RequestInfo& info) {
  if (!IsIsoDate(request.date)) return InvalidArgument("a date YYYY-MM-DD", "date");
  if (request.date > Today()) return Unprocessable("the contact cannot be in the future", "date");
  if (!IsOneOf(kContactChannels, request.channel)) {
    return InvalidArgument("in_person, phone, vra, partner or other", "channel");
  }
  if (CharCount(request.note) > kMaxContactNote) {
    return InvalidArgument("at most 4000 characters", "note");
  }
  VictimContact contact;
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    const bool officer = who.full() && security::HasPermission(caller, Permission::kCasesManage);
    if (!officer && who.access != CaseAccess::kVictims) return NotFound("no such case");
    ASSIGN_OR_RETURN(auto kase, store_.FindCase(c, id));
    if (!kase) return NotFound("no such case");
    if (IsFinal(kase->status)) return Conflict("the case is closed", "status");
    ASSIGN_OR_RETURN(auto victim, store_.FindVictim(c, id, victim_id));
    if (!victim) return NotFound("no such victim");
    if (request.date < kase->date_reported) {
      return Unprocessable("the contact cannot precede the report", "date");
    }
    contact.case_id = id;
    contact.victim_id = victim_id;
    contact.date = request.date;
    contact.channel = request.channel;
    if (!request.note.empty()) {
      ASSIGN_OR_RETURN(auto readers, SealingReaders(c, id, true));
      ASSIGN_OR_RETURN(contact.note_item,
                       vault_.Seal(c, "case-victim-contact", request.note, readers));
      contact.note = request.note;
    }
    contact.by_user_id = caller.user_id;
    contact.by_username = caller.username;
    contact.created_at = clock_.Now();
    ASSIGN_OR_RETURN(contact.id, store_.InsertVictimContact(c, contact));
    RETURN_IF_ERROR(RefreshClocks(c, id));
    CaseEvent event;
    event.kind = "victim_contact";
    event.reason = contact.channel;
    event.date = contact.date;
    return Record(
        c, caller, id, event, "cases.victim_contact.add", info,
        json::serialize(json::object{
            {"contact_id", contact.id}, {"victim_id", victim_id}, {"channel", contact.channel}}));
  }));
  return contact;
}

Result<CasesService::VictimContactsView> CasesService::VictimContacts(const Principal& caller,
                                                                      std::int64_t id,
                                                                      std::int64_t victim_id) {
  VictimContactsView view;
  // A write: opening the notes is audited.
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full() && who.access != CaseAccess::kVictims) return NotFound("no such case");
    ASSIGN_OR_RETURN(auto victim, store_.FindVictim(c, id, victim_id));
    if (!victim) return NotFound("no such victim");
    ASSIGN_OR_RETURN(view.contacts, store_.VictimContacts(c, id, victim_id));
    const auto key = keyring_.Get(caller.session_id);
    const bool proof = security::RequireRecentProof(caller, clock_.Now()).ok();
    view.reauth_required = key.has_value() && !proof;
    view.notes_open = key.has_value() && proof;
    if (!view.notes_open) return Status::Ok();
    std::int64_t opened = 0;
    for (auto& contact : view.contacts) {
      if (contact.note_item == 0) {
        contact.note = "";
        continue;
      }
      auto text = vault_.Open(c, contact.note_item, *key);
      if (text.ok()) {
        contact.note = std::move(*text);
        ++opened;
      } else if (text.status().code() != ErrorCode::kNotFound &&
                 text.status().code() != ErrorCode::kPermissionDenied) {
        return text.status();
      }
    }
    if (opened == 0) return Status::Ok();
    security::AuditEvent event;
    event.actor_user_id = caller.user_id;
    event.actor = caller.username;
    event.action = "cases.victim_contact.read";
    event.object_type = "case";
    event.object_id = std::to_string(id);
    event.details = json::serialize(json::object{{"victim_id", victim_id}, {"notes", opened}});
    return audit_.Append(c, event);
  }));
  return view;
}

Result<std::vector<CasesService::ReviewRow>> CasesService::Review(const Principal& caller) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  std::vector<ReviewRow> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    out.clear();
    std::vector<CaseStatus> finals;
    for (CaseStatus status : AllCaseStatuses()) {
      if (IsFinal(status)) finals.push_back(status);
    }
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, std::nullopt));
    std::map<std::int64_t, const CaseAccessFacts*> by_id;
    for (const auto& f : facts) by_id[f.id] = &f;
    ASSIGN_OR_RETURN(auto pending, store_.PendingCases(c, finals));
    const std::string today = Today();
    const UnixMillis now = clock_.Now();
    for (auto& row : pending) {
      const auto found = by_id.find(row.case_id);
      if (found == by_id.end()) continue;
      ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, *found->second, {}));
      if (!who.full()) continue;
      ReviewRow review;
      review.age_days = DaysBetween(row.date_reported, today);
      if (row.last_activity_at) {
        review.days_since_activity = static_cast<int>((now - *row.last_activity_at) / kDayMillis);
      }
      ASSIGN_OR_RETURN(auto decisions, store_.ReviewDecisions(c, row.case_id));
      if (!decisions.empty()) review.last_decision = decisions.front();
      ASSIGN_OR_RETURN(auto inputs, store_.LoadClockInputs(c, row.case_id));
      review.officers = std::move(inputs.officer_usernames);
      review.facts = std::move(row);
      out.push_back(std::move(review));
    }
    return Status::Ok();
  }));
  return out;
}

Result<ReviewDecision> CasesService::AddReviewDecision(const Principal& caller, std::int64_t id,
                                                       ReviewDecision decision,
                                                       const RequestInfo& info) {
  if (!IsIsoDate(decision.meeting_date)) {
    return InvalidArgument("a date YYYY-MM-DD", "meeting_date");
  }
  if (decision.meeting_date > Today()) {
    return Unprocessable("the meeting cannot be in the future", "meeting_date");
  }
  if (decision.decision.empty() || CharCount(decision.decision) > kMaxDecision) {
    return InvalidArgument("1 to 2000 characters", "decision");
  }
  if (CharCount(decision.action_owner) > 200) {
    return InvalidArgument("at most 200 characters", "action_owner");
  }
  if (!decision.due_date.empty() && !IsIsoDate(decision.due_date)) {
    return InvalidArgument("a date YYYY-MM-DD", "due_date");
  }
  if (!decision.due_date.empty() && decision.due_date < decision.meeting_date) {
    return Unprocessable("the action cannot be due before the meeting", "due_date");
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(LoadForChange(c, caller, id).status());
    decision.case_id = id;
    decision.by_user_id = caller.user_id;
    decision.by_username = caller.username;
    decision.created_at = clock_.Now();
    ASSIGN_OR_RETURN(decision.id, store_.InsertReviewDecision(c, decision));
    CaseEvent event;
    event.kind = "review_decision";
    event.reason = decision.decision;
    event.date = decision.meeting_date;
    return Record(c, caller, id, event, "cases.review_decision.add", info,
                  json::serialize(json::object{{"decision_id", decision.id}}));
  }));
  return decision;
}

Result<std::vector<ReviewDecision>> CasesService::ReviewDecisions(const Principal& caller,
                                                                  std::int64_t id) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  std::vector<ReviewDecision> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(auto facts, store_.AccessFacts(c, id));
    if (facts.empty()) return NotFound("no such case");
    ASSIGN_OR_RETURN(Who who, AccessTo(c, caller, facts.front(), {}));
    if (!who.full()) return NotFound("no such case");
    ASSIGN_OR_RETURN(out, store_.ReviewDecisions(c, id));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<intake::PublicStatus>> CasesService::ReporterStepOfComplaint(
    Connection& c, std::int64_t complaint_id) const {
  ASSIGN_OR_RETURN(auto status, store_.StatusOfComplaintCase(c, complaint_id));
  if (!status) return std::optional<intake::PublicStatus>();
  return std::optional<intake::PublicStatus>(ReporterStepOf(*status));
}

Result<std::vector<CasesService::ReminderDigest>> CasesService::PendingReminders(int within_days) {
  if (within_days < 0 || within_days > 365) return InvalidArgument("0 to 365", "within_days");
  std::vector<ReminderDigest> out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    out.clear();
    ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
    const UnixMillis now = clock_.Now();
    const std::string day = IsoOf(MissionDate(now, settings.utc_offset_minutes));
    ASSIGN_OR_RETURN(auto candidates,
                     store_.CasesWithClocksDueBefore(c, now + (within_days + 2) * kDayMillis));
    std::vector<CaseClocks> cases;
    for (std::int64_t case_id : candidates) {
      ASSIGN_OR_RETURN(auto inputs, store_.LoadClockInputs(c, case_id));
      ASSIGN_OR_RETURN(auto clocks, ClocksOf(settings, inputs));
      cases.push_back(
          {std::to_string(case_id), inputs.reference, inputs.officer_usernames, std::move(clocks)});
    }
    const auto items = ListDueAndOverdue(cases, now, within_days, settings.utc_offset_minutes);
    std::map<std::string, ReminderDigest> digests;
    std::map<std::string, bool> sent_today;
    for (const auto& item : items) {
      std::vector<std::string> recipients = item.assignee_ids;
      if (recipients.empty()) recipients.push_back("");
      const std::string state = item.state == ClockState::kOverdue ? "overdue" : "due_soon";
      for (const auto& recipient : recipients) {
        if (!sent_today.count(recipient)) {
          ASSIGN_OR_RETURN(sent_today[recipient], store_.DigestSentOn(c, recipient, day));
        }
        if (sent_today[recipient]) continue;
        ASSIGN_OR_RETURN(
            bool sent, store_.ReminderSent(c, recipient, std::stoll(item.case_id),
                                           std::string(RuleIdName(item.rule)), item.due_at, state));
        if (sent) continue;
        auto& digest = digests[recipient];
        digest.recipient = recipient;
        digest.utc_offset_minutes = settings.utc_offset_minutes;
        digest.items.push_back(item);
      }
    }
    for (auto& [recipient, digest] : digests) out.push_back(std::move(digest));
    return Status::Ok();
  }));
  return out;
}

Status CasesService::MarkReminderSent(const ReminderDigest& digest,
                                      const std::function<Status(Connection&)>& queue_mail) {
  return database_.WriteTransaction([&](Connection& c) -> Status {
    if (queue_mail) RETURN_IF_ERROR(queue_mail(c));
    ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
    const UnixMillis now = clock_.Now();
    const std::string day = IsoOf(MissionDate(now, settings.utc_offset_minutes));
    for (const auto& item : digest.items) {
      const std::string state = item.state == ClockState::kOverdue ? "overdue" : "due_soon";
      RETURN_IF_ERROR(store_.RecordReminder(c, digest.recipient, std::stoll(item.case_id),
                                            std::string(RuleIdName(item.rule)), item.due_at, state,
                                            day, now));
    }
    security::AuditEvent event;
    event.actor = "system";
    event.action = "cases.reminders.sent";
    event.object_type = "user";
    event.object_id = digest.recipient;
    event.details = json::serialize(json::object{{"items", digest.items.size()}});
    return audit_.Append(c, event);
  });
}

// ---- The case list and the VRA's cases

// Two writers who read the same version both pass CheckVersion; the second one's guarded
// UPDATE then changes nothing (Bump: kConflict naming version). A caller who sent If-Match
// gets the 412 they would have got a moment later.
Status CasesService::AsPrecondition(VersionSource source, Status status) {
  if (source == VersionSource::kIfMatch && status.code() == ErrorCode::kConflict &&
      status.field() == "version") {
    return Status(ErrorCode::kPreconditionFailed, "someone changed the case since you read it",
                  "If-Match");
  }
  return status;
}

Status CasesService::CheckVersion(const Case& kase, std::optional<std::int64_t> version,
                                  VersionSource source) {
  if (!version || *version == kase.version) return Status::Ok();
  if (source == VersionSource::kIfMatch) {
    return Status(ErrorCode::kPreconditionFailed,
                  "someone changed the case since you read it (now version " +
                      std::to_string(kase.version) + ")",
                  "If-Match");
  }
  return Conflict("someone changed the case since you read it", "version");
}

Result<std::pair<CasesStore::ListScope, CaseAccess>> CasesService::ScopeOf(
    Connection& c, const Principal& caller, const std::vector<std::string>& units) const {
  using Kind = CasesStore::ListScope::Kind;
  CasesStore::ListScope scope;
  if (caller.kind != Principal::Kind::kUser) return PermissionDenied("your role sees no case");
  if (security::HasPermission(caller, Permission::kCasesManage)) {
    ASSIGN_OR_RETURN(bool reader, IsCaseReader(c, caller));
    if (!reader) {
      scope.kind = Kind::kAssigned;
      scope.user_id = caller.user_id;
    }
    return std::make_pair(scope, CaseAccess::kFull);
  }
  if (caller.role == Role::kVra) {
    scope.kind = Kind::kAdvocate;
    scope.user_id = caller.user_id;
    return std::make_pair(scope, CaseAccess::kVictims);
  }
  if (caller.role == Role::kInvestigator) {
    scope.kind = Kind::kEntities;
    for (std::string_view entity : kInvestigatingEntities) {
      const std::string unit = UnitOfEntity(std::string(entity));
      if (!unit.empty() && std::find(units.begin(), units.end(), unit) != units.end()) {
        scope.entities.emplace_back(entity);
      }
    }
    return std::make_pair(scope, CaseAccess::kInvestigation);
  }
  return PermissionDenied("your role sees no case");
}

Result<CaseListPage> CasesService::ListPage(const Principal& caller, const CaseListFilter& filter) {
  if (caller.kind != Principal::Kind::kUser) return PermissionDenied("your role sees no case");
  ASSIGN_OR_RETURN(auto units, CallerUnits(caller));
  CaseListPage out;
  RETURN_IF_ERROR(database_.ReadTransaction([&](Connection& c) -> Status {
    out = CaseListPage();
    ASSIGN_OR_RETURN(auto scope, ScopeOf(c, caller, units));
    ASSIGN_OR_RETURN(auto page,
                     store_.QueryCases(c, scope.first, filter, caller.user_id, clock_.Now()));
    out.total = page.total;
    std::vector<std::int64_t> ids;
    for (auto& kase : page.cases) {
      ids.push_back(kase.id);
      CaseView view;
      view.kase = std::move(kase);
      view.access = scope.second;
      view.can_reveal = scope.second == CaseAccess::kFull;
      out.cases.push_back(std::move(view));
    }
    // Each row's next due date and officers, as the due view of the year ahead shows them:
    // one read of the cached clocks of the page's cases.
    const bool full = scope.second == CaseAccess::kFull;
    ASSIGN_OR_RETURN(auto clocks, store_.OpenClocksOf(c, ids, full));
    ASSIGN_OR_RETURN(auto settings, LoadTimelineSettings(c));
    std::map<std::string, CaseView*> by_id;
    for (auto& view : out.cases) by_id[std::to_string(view.kase.id)] = &view;
    for (const auto& case_clocks : clocks) {
      auto found = by_id.find(case_clocks.case_id);
      if (found != by_id.end()) found->second->officer_usernames = case_clocks.assignee_ids;
    }
    for (auto& item : ListDueAndOverdue(clocks, clock_.Now(), 365, settings.utc_offset_minutes)) {
      auto found = by_id.find(item.case_id);
      if (found != by_id.end() && !found->second->next_due) found->second->next_due = item;
    }
    return Status::Ok();
  }));
  return out;
}

Result<CaseView> CasesService::LinkAdvocate(const Principal& caller, std::int64_t id,
                                            std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  if (!settings_.staff) return Unprocessable("no staff directory", "user_id");
  ASSIGN_OR_RETURN(auto staff, settings_.staff());
  const auto member =
      std::find_if(staff.begin(), staff.end(), [&](const StaffMember& m) { return m.id == user; });
  if (member == staff.end() || member->disabled || member->role != Role::kVra) {
    return Unprocessable("only an active Victims' Rights Advocate", "user_id");
  }
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    RETURN_IF_ERROR(
        store_.LinkAdvocate(c, id, {member->id, member->username, clock_.Now()}, caller.user_id));
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = "advocate_linked";
    event.reason = member->username;
    return Record(c, caller, id, event, "cases.advocate.link", info,
                  json::serialize(json::object{{"user_id", member->id}}));
  }));
  return Get(caller, id);
}

Result<CaseView> CasesService::UnlinkAdvocate(const Principal& caller, std::int64_t id,
                                              std::int64_t user, const RequestInfo& info) {
  RETURN_IF_ERROR(security::Authorize(caller, Permission::kCasesManage));
  RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
    ASSIGN_OR_RETURN(Case kase, LoadForChange(c, caller, id));
    ASSIGN_OR_RETURN(bool removed, store_.UnlinkAdvocate(c, id, user));
    if (!removed) return NotFound("the VRA is not linked to this case");
    RETURN_IF_ERROR(Bump(c, kase, kase.version));
    CaseEvent event;
    event.kind = "advocate_unlinked";
    event.reason = std::to_string(user);
    return Record(c, caller, id, event, "cases.advocate.unlink", info,
                  json::serialize(json::object{{"user_id", user}}));
  }));
  return Get(caller, id);
}

}  // namespace psea::cases
