#include "modules/cases/model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace psea::cases {

using security::Role;

namespace {

const std::array<std::pair<CaseStatus, std::string_view>, 10> kStatusNames = {{
    {CaseStatus::kReceived, "received"},
    {CaseStatus::kUnderAssessment, "under_assessment"},
    {CaseStatus::kNotSea, "not_sea"},
    {CaseStatus::kClosedWithoutInvestigation, "closed_without_investigation"},
    {CaseStatus::kReferredForInvestigation, "referred_for_investigation"},
    {CaseStatus::kUnderInvestigation, "under_investigation"},
    {CaseStatus::kReportReceived, "report_received"},
    {CaseStatus::kUnderReview, "under_review"},
    {CaseStatus::kActionPending, "action_pending"},
    {CaseStatus::kClosed, "closed"},
}};

// Who may take an edge: the CDT staff, the chief alone, or also the investigator (who records
// that the investigation report arrived).
enum class Mover { kCdt, kChief, kCdtOrInvestigator };

struct Edge {
  CaseStatus from;
  CaseStatus to;
  Mover mover;
};

// The whole workflow: anything not listed is refused (409 naming status).
const std::vector<Edge>& Edges() {
  static const std::vector<Edge> edges = {
      {CaseStatus::kReceived, CaseStatus::kUnderAssessment, Mover::kCdt},
      {CaseStatus::kUnderAssessment, CaseStatus::kNotSea, Mover::kChief},
      {CaseStatus::kUnderAssessment, CaseStatus::kClosedWithoutInvestigation, Mover::kChief},
      {CaseStatus::kUnderAssessment, CaseStatus::kReferredForInvestigation, Mover::kCdt},
      {CaseStatus::kReferredForInvestigation, CaseStatus::kUnderInvestigation, Mover::kCdt},
      {CaseStatus::kUnderInvestigation, CaseStatus::kReportReceived, Mover::kCdtOrInvestigator},
      {CaseStatus::kReportReceived, CaseStatus::kUnderReview, Mover::kCdt},
      {CaseStatus::kUnderReview, CaseStatus::kActionPending, Mover::kCdt},
      {CaseStatus::kUnderReview, CaseStatus::kClosed, Mover::kChief},
      {CaseStatus::kActionPending, CaseStatus::kClosed, Mover::kChief},
  };
  return edges;
}

bool MayMove(Mover mover, Role role) {
  switch (mover) {
    case Mover::kChief:
      return role == Role::kCdtChief;
    case Mover::kCdt:
      return role == Role::kCdtChief || role == Role::kCdtOfficer;
    case Mover::kCdtOrInvestigator:
      return role == Role::kCdtChief || role == Role::kCdtOfficer || role == Role::kInvestigator;
  }
  return false;
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

bool IsYearMonth(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return false;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2))) return false;
  const int month = std::stoi(std::string(text.substr(5, 2)));
  return month >= 1 && month <= 12 && std::stoi(std::string(text.substr(0, 4))) >= 1900;
}

}  // namespace

const std::vector<CaseStatus>& AllCaseStatuses() {
  static const std::vector<CaseStatus> all = [] {
    std::vector<CaseStatus> out;
    for (const auto& [status, name] : kStatusNames) out.push_back(status);
    return out;
  }();
  return all;
}

std::string_view CaseStatusName(CaseStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "received";
}

std::optional<CaseStatus> ParseCaseStatus(std::string_view name) {
  for (const auto& [value, text] : kStatusNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool IsFinal(CaseStatus status) {
  return status == CaseStatus::kNotSea || status == CaseStatus::kClosedWithoutInvestigation ||
         status == CaseStatus::kClosed;
}

const std::vector<std::string_view> kCaseCategories = {"sexual_exploitation", "sexual_abuse"};
// The types the UN's public table uses (sea-domain.md); "other" for the rest.
const std::vector<std::string_view> kCaseTypes = {"rape",
                                                  "sexual_assault",
                                                  "sexual_activity_minor",
                                                  "transactional_sex",
                                                  "exploitative_relationship",
                                                  "solicitation_transactional_sex",
                                                  "other"};
const std::vector<std::string_view> kDatePrecisions = {"exact", "month", "year", "unknown"};
const std::vector<std::string_view> kInvestigatingEntities = {"oios", "tcc_nio", "pcc",
                                                              "mission_siu", "joint"};
const std::vector<std::string_view> kOutcomes = {"substantiated", "not_substantiated",
                                                 "closed_other"};
const std::vector<std::string_view> kAgeGroups = {"adult", "minor", "unknown"};
const std::vector<std::string_view> kSexes = {"female", "male", "other", "unknown"};
const std::vector<std::string_view> kYesNoUnknown = {"yes", "no", "unknown"};
const std::vector<std::string_view> kEntryKinds = {"member_state", "interim_measure", "action"};

const std::vector<std::string_view>& EntryTypesOf(std::string_view kind) {
  // Member State steps for uniformed subjects (note verbale, the answer, the NIO).
  static const std::vector<std::string_view> member_state = {
      "notification", "answer_will_investigate", "answer_will_not_investigate", "nio_appointed",
      "follow_up"};
  // Interim measures (the published list was not found: sea-domain.md).
  static const std::vector<std::string_view> interim = {
      "payment_suspension", "administrative_leave", "repatriation_pending_investigation",
      "restriction_of_movement", "other"};
  // Staff Rule 10.2 for civilians; the uniformed measures; referral and money.
  static const std::vector<std::string_view> action = {"written_censure",
                                                       "loss_of_steps",
                                                       "deferment_of_increment",
                                                       "suspension_without_pay",
                                                       "fine",
                                                       "deferment_of_promotion",
                                                       "demotion",
                                                       "separation",
                                                       "dismissal",
                                                       "repatriation_disciplinary",
                                                       "ban_from_operations",
                                                       "national_sanction",
                                                       "imprisonment",
                                                       "referral_national_authorities",
                                                       "amount_withheld",
                                                       "trust_fund_transfer",
                                                       "other"};
  static const std::vector<std::string_view> none;
  if (kind == "member_state") return member_state;
  if (kind == "interim_measure") return interim;
  if (kind == "action") return action;
  return none;
}

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

Status CheckTransition(CaseStatus from, const TransitionRequest& request, Role role) {
  const auto edge = std::find_if(Edges().begin(), Edges().end(), [&](const Edge& e) {
    return e.from == from && e.to == request.to;
  });
  if (edge == Edges().end()) {
    return Conflict("a case that is " + std::string(CaseStatusName(from)) + " cannot become " +
                        std::string(CaseStatusName(request.to)),
                    "status");
  }
  if (!MayMove(edge->mover, role)) return PermissionDenied("your role may not take this step");
  switch (request.to) {
    case CaseStatus::kNotSea:
    case CaseStatus::kClosedWithoutInvestigation:
      if (request.reason.empty()) return InvalidArgument("say why", "reason");
      break;
    case CaseStatus::kReferredForInvestigation:
    case CaseStatus::kUnderInvestigation:
      if (request.to == CaseStatus::kUnderInvestigation && request.entity.empty()) {
        return InvalidArgument("name the investigating entity", "entity");
      }
      if (!request.entity.empty() && !IsOneOf(kInvestigatingEntities, request.entity)) {
        return InvalidArgument("unknown investigating entity", "entity");
      }
      break;
    case CaseStatus::kClosed:
      if (request.outcome.empty()) return InvalidArgument("give the outcome", "outcome");
      if (!IsOneOf(kOutcomes, request.outcome)) {
        return InvalidArgument("unknown outcome", "outcome");
      }
      break;
    default:
      break;
  }
  if (!request.entity.empty() && request.to != CaseStatus::kReferredForInvestigation &&
      request.to != CaseStatus::kUnderInvestigation) {
    return InvalidArgument("the entity is given when the case is referred", "entity");
  }
  if (!request.outcome.empty() && request.to != CaseStatus::kClosed) {
    return InvalidArgument("the outcome is given when the case is closed", "outcome");
  }
  if (!request.date.empty() && !IsIsoDate(request.date)) {
    return InvalidArgument("a date YYYY-MM-DD", "date");
  }
  return Status::Ok();
}

bool IsIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  if (!IsYearMonth(text.substr(0, 7)) || !AllDigits(text.substr(8, 2))) return false;
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int last = kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
  return day >= 1 && day <= last;
}

Status CheckIncidentDate(std::string_view precision, std::string_view date) {
  if (!IsOneOf(kDatePrecisions, precision)) {
    return InvalidArgument("exact, month, year or unknown", "incident_date_precision");
  }
  bool ok = false;
  if (precision == "exact") ok = IsIsoDate(date);
  if (precision == "month") ok = IsYearMonth(date);
  if (precision == "year") ok = date.size() == 4 && AllDigits(date) && date >= "1900";
  if (precision == "unknown") ok = date.empty();
  if (!ok) return InvalidArgument("the date does not match its precision", "incident_date");
  return Status::Ok();
}

std::string IncidentDateStart(std::string_view precision, std::string_view date) {
  if (precision == "exact") return std::string(date);
  if (precision == "month") return std::string(date) + "-01";
  if (precision == "year") return std::string(date) + "-01-01";
  return "";
}

// ---- Keeping the victim and the reporter informed

const std::vector<std::string_view> kContactChannels = {"in_person", "phone", "vra", "partner",
                                                        "other"};

intake::PublicStatus ReporterStepOf(CaseStatus status) {
  using intake::PublicStatus;
  switch (status) {
    case CaseStatus::kReceived:
    case CaseStatus::kUnderAssessment:
      return PublicStatus::kBeingAssessed;
    case CaseStatus::kReferredForInvestigation:
      return PublicStatus::kReferredForInvestigation;
    case CaseStatus::kUnderInvestigation:
      return PublicStatus::kInvestigationUnderWay;
    case CaseStatus::kReportReceived:
    case CaseStatus::kUnderReview:
    case CaseStatus::kActionPending:
      return PublicStatus::kInvestigationConcluded;
    case CaseStatus::kNotSea:
    case CaseStatus::kClosedWithoutInvestigation:
    case CaseStatus::kClosed:
      return PublicStatus::kClosed;
  }
  return PublicStatus::kClosed;
}

}  // namespace psea::cases
