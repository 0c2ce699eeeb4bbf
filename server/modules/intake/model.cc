#include "modules/intake/model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace psea::intake {

namespace {
constexpr std::array<std::pair<Channel, std::string_view>, 14> kChannels{{
    {Channel::kHotline4044, "hotline_4044"},
    {Channel::kHotline4445, "hotline_4445"},
    {Channel::kEmail, "email"},
    {Channel::kSms, "sms"},
    {Channel::kWalkIn, "walk_in"},
    {Channel::kCbcm, "cbcm"},
    {Channel::kPartner, "partner"},
    {Channel::kWebForm, "web"},
    {Channel::kOther, "other"},
    {Channel::kComplaintBox, "complaint_box"},
    {Channel::kCommunityLiaison, "community_liaison"},
    {Channel::kReferralOiosHq, "referral_oios_hq"},
    {Channel::kObservation, "observation"},
    {Channel::kMedia, "media"},
}};
constexpr std::array<std::pair<ComplaintStatus, std::string_view>, 10> kStatuses{{
    {ComplaintStatus::kNew, "new"},
    {ComplaintStatus::kAcknowledged, "acknowledged"},
    {ComplaintStatus::kAssessing, "assessing"},
    {ComplaintStatus::kReadyForCase, "ready_for_case"},
    {ComplaintStatus::kReferred, "referred"},
    {ComplaintStatus::kHandedOver, "handed_over"},
    {ComplaintStatus::kGbvReferral, "gbv_referral"},
    {ComplaintStatus::kOtherMisconduct, "other_misconduct"},
    {ComplaintStatus::kDuplicate, "duplicate"},
    {ComplaintStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<Route, std::string_view>, 5> kRoutes{{
    {Route::kCase, "case"},
    {Route::kHandedOver, "handed_over"},
    {Route::kGbvReferral, "gbv_referral"},
    {Route::kOtherMisconduct, "other_misconduct"},
    {Route::kClosed, "closed"},
}};

template <typename Table, typename Enum>
std::string_view NameIn(const Table& table, Enum value) {
  for (const auto& [item, name] : table) {
    if (item == value) return name;
  }
  return "unknown";
}

template <typename Enum, typename Table>
std::optional<Enum> ParseIn(const Table& table, std::string_view name) {
  for (const auto& [item, item_name] : table) {
    if (item_name == name) return item;
  }
  return std::nullopt;
}
}  // namespace

const std::vector<Channel>& AllChannels() {
  static const std::vector<Channel> channels = [] {
    std::vector<Channel> out;
    for (const auto& [channel, name] : kChannels) out.push_back(channel);
    return out;
  }();
  return channels;
}
std::string_view ChannelName(Channel channel) { return NameIn(kChannels, channel); }
std::optional<Channel> ParseChannel(std::string_view name) {
  return ParseIn<Channel>(kChannels, name);
}

const std::vector<ComplaintStatus>& AllStatuses() {
  static const std::vector<ComplaintStatus> statuses = [] {
    std::vector<ComplaintStatus> out;
    for (const auto& [status, name] : kStatuses) out.push_back(status);
    return out;
  }();
  return statuses;
}
std::string_view StatusName(ComplaintStatus status) { return NameIn(kStatuses, status); }
std::optional<ComplaintStatus> ParseStatus(std::string_view name) {
  return ParseIn<ComplaintStatus>(kStatuses, name);
}

PublicStatus PublicStatusOf(ComplaintStatus status) {
  switch (status) {
    case ComplaintStatus::kNew:
    case ComplaintStatus::kAcknowledged:
      return PublicStatus::kReceived;
    case ComplaintStatus::kAssessing:
    case ComplaintStatus::kReadyForCase:
      return PublicStatus::kBeingAssessed;
    case ComplaintStatus::kReferred:
      return PublicStatus::kReferredForInvestigation;
    case ComplaintStatus::kHandedOver:
    case ComplaintStatus::kGbvReferral:
    case ComplaintStatus::kOtherMisconduct:
      return PublicStatus::kReferredElsewhere;
    default:
      return PublicStatus::kClosed;
  }
}

std::string_view PublicStatusName(PublicStatus status) {
  switch (status) {
    case PublicStatus::kReceived:
      return "received";
    case PublicStatus::kBeingAssessed:
      return "being_assessed";
    case PublicStatus::kReferredForInvestigation:
      return "referred_for_investigation";
    case PublicStatus::kReferredElsewhere:
      return "referred_elsewhere";
    case PublicStatus::kInvestigationUnderWay:
      return "investigation_under_way";
    case PublicStatus::kInvestigationConcluded:
      return "investigation_concluded";
    default:
      return "closed";
  }
}

const std::vector<Route>& AllRoutes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> out;
    for (const auto& [route, name] : kRoutes) out.push_back(route);
    return out;
  }();
  return routes;
}
std::string_view RouteName(Route route) { return NameIn(kRoutes, route); }
std::optional<Route> ParseRoute(std::string_view name) { return ParseIn<Route>(kRoutes, name); }

bool ReachesVictimsAdvocate(const Complaint& complaint) {
  if (complaint.risk_child || complaint.risk_danger || complaint.risk_medical) return true;
  switch (complaint.status) {
    case ComplaintStatus::kReadyForCase:
    case ComplaintStatus::kReferred:
    case ComplaintStatus::kHandedOver:
    case ComplaintStatus::kGbvReferral:
      return true;
    default:
      return false;
  }
}

const std::vector<std::string_view> kReporterRelations = {
    "victim",           "witness",     "family",
    "community_member", "staff",       "partner_organisation",
    "anonymous",        "cbcm_member", "service_provider",
    "local_leader",     "unknown"};
const std::vector<std::string_view> kContactMethods = {"none",  "phone",     "sms",
                                                       "email", "in_person", "through_partner"};
const std::vector<std::string_view> kLanguages = {"fr", "en", "sg", "other"};
const std::vector<std::string_view> kDatePrecisions = {"exact", "month", "approximate", "unknown"};
const std::vector<std::string_view> kAgeGroups = {"minor", "adult", "unknown"};
const std::vector<std::string_view> kSexes = {"female", "male", "other", "unknown"};
// The categories the UN publishes allegations under, the others that occur, and the coarse
// ones a reporter can tell apart (military, police, civilian), which the CDT refines.
const std::vector<std::string_view> kPersonnelCategories = {"civilian_international",
                                                            "civilian_national",
                                                            "civilian_unv",
                                                            "military_contingent",
                                                            "military_observer",
                                                            "police_individual",
                                                            "police_fpu",
                                                            "contractor",
                                                            "implementing_partner",
                                                            "un_agency",
                                                            "consultant",
                                                            "non_un_forces",
                                                            "military",
                                                            "police",
                                                            "civilian",
                                                            "unknown"};

const std::vector<std::string_view> kYesNoUnknown = {"yes", "no", "unknown"};
const std::vector<std::string_view> kSeaCategories = {"sexual_exploitation", "sexual_abuse"};
const std::vector<std::string_view> kAffiliations = {"mission", "un_entity", "implementing_partner",
                                                     "not_un", "unknown"};
const std::vector<std::string_view> kCloseReasons = {"insufficient_information", "withdrawn",
                                                     "duplicate", "outside_mandate"};

const std::vector<SeaType>& DefaultSeaTypes() {
  static const std::vector<SeaType> types = {
      {"rape", "Rape", "Viol", true},
      {"sexual_assault", "Sexual assault", "Agression sexuelle", true},
      {"sexual_activity_minor", "Sexual activity with a minor", "Activité sexuelle avec un mineur",
       true},
      {"transactional_sex", "Transactional sex", "Relations sexuelles monnayées", true},
      {"solicitation_transactional_sex", "Solicitation of transactional sex",
       "Sollicitation de relations sexuelles monnayées", true},
      {"exploitative_relationship", "Exploitative relationship", "Relation d’exploitation", true},
      {"other", "Other", "Autre", true},
  };
  return types;
}

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

std::string ComplaintReference(std::int64_t id, UnixMillis received_at) {
  const std::string iso = FormatIso8601(received_at);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "C-%s-%05lld", iso.substr(0, 4).c_str(),
                static_cast<long long>(id));
  return buffer;
}

}  // namespace psea::intake
