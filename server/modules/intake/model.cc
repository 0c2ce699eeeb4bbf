#include "modules/intake/model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace psea::intake {

namespace {
constexpr std::array<std::pair<Channel, std::string_view>, 9> kChannels{{
    {Channel::kHotline4044, "hotline_4044"},
    {Channel::kHotline4445, "hotline_4445"},
    {Channel::kEmail, "email"},
    {Channel::kSms, "sms"},
    {Channel::kWalkIn, "walk_in"},
    {Channel::kCbcm, "cbcm"},
    {Channel::kPartner, "partner"},
    {Channel::kWebForm, "web"},
    {Channel::kOther, "other"},
}};
constexpr std::array<std::pair<ComplaintStatus, std::string_view>, 8> kStatuses{{
    {ComplaintStatus::kNew, "new"},
    {ComplaintStatus::kAcknowledged, "acknowledged"},
    {ComplaintStatus::kAssessing, "assessing"},
    {ComplaintStatus::kReadyForCase, "ready_for_case"},
    {ComplaintStatus::kReferred, "referred"},
    {ComplaintStatus::kNotSea, "not_sea"},
    {ComplaintStatus::kDuplicate, "duplicate"},
    {ComplaintStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<NotSeaDestination, std::string_view>, 3> kDestinations{{
    {NotSeaDestination::kOtherMisconduct, "other_misconduct"},
    {NotSeaDestination::kAnotherEntity, "another_entity"},
    {NotSeaDestination::kNotUnRelated, "not_un_related"},
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
    default:
      return "closed";
  }
}

std::string_view DestinationName(NotSeaDestination destination) {
  return NameIn(kDestinations, destination);
}
std::optional<NotSeaDestination> ParseDestination(std::string_view name) {
  return ParseIn<NotSeaDestination>(kDestinations, name);
}

const std::vector<std::string_view> kReporterRelations = {
    "victim",   "witness", "family", "community_member", "staff", "partner_organisation",
    "anonymous"};
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
                                                            "non_un_forces",
                                                            "military",
                                                            "police",
                                                            "civilian",
                                                            "unknown"};

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
