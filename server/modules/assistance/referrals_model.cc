#include "modules/assistance/referrals_model.h"

#include <algorithm>

namespace psea::assistance {

namespace {
constexpr std::int64_t kHourMillis = 3600LL * 1000;
constexpr double kDayMillis = 86400.0 * 1000;

bool In(std::initializer_list<std::string_view> words, std::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}
}  // namespace

bool CanMove(std::string_view from, std::string_view to) {
  if (from == to) return false;
  if (from == "referred") {
    return In({"accepted", "in_progress", "declined_by_victim", "refused_by_provider",
               "lost_to_follow_up"},
              to);
  }
  if (from == "accepted") {
    return In({"in_progress", "completed", "declined_by_victim", "refused_by_provider",
               "lost_to_follow_up"},
              to);
  }
  if (from == "in_progress") {
    return In({"completed", "declined_by_victim", "lost_to_follow_up"}, to);
  }
  if (from == "lost_to_follow_up") return In({"accepted", "in_progress"}, to);
  return false;  // completed, declined_by_victim, refused_by_provider are final
}

bool IsActiveReferral(std::string_view status) {
  return status == "referred" || status == "accepted" || status == "in_progress";
}

bool IsOverdue(const Referral& referral, UnixMillis now) {
  return IsActiveReferral(referral.status) && referral.next_follow_up_at &&
         *referral.next_follow_up_at < now;
}

Status CheckReferralDates(const Referral& r, UnixMillis now) {
  if (r.referred_at > now) return Unprocessable("referred_at lies in the future", "referred_at");
  if (r.service_started_at) {
    if (*r.service_started_at > now) {
      return Unprocessable("service_started_at lies in the future", "service_started_at");
    }
    if (*r.service_started_at < r.referred_at) {
      return Unprocessable("the service cannot start before the referral", "service_started_at");
    }
  }
  if (r.last_follow_up_at) {
    if (*r.last_follow_up_at > now) {
      return Unprocessable("last_follow_up_at lies in the future", "last_follow_up_at");
    }
    if (*r.last_follow_up_at < r.referred_at) {
      return Unprocessable("a follow-up cannot come before the referral", "last_follow_up_at");
    }
  }
  if (r.next_follow_up_at && *r.next_follow_up_at < r.referred_at) {
    return Unprocessable("a follow-up cannot come before the referral", "next_follow_up_at");
  }
  if (r.closed_at && r.service_started_at && *r.closed_at < *r.service_started_at) {
    return Unprocessable("the referral cannot end before the service started",
                         "service_started_at");
  }
  return Status::Ok();
}

ReferralFigures ComputeReferralFigures(const std::vector<FirstReferral>& files,
                                       const std::vector<ServiceStart>& starts) {
  ReferralFigures out;
  for (const auto& file : files) {
    ++out.victims;
    if (!file.first_referred_at) continue;
    const std::int64_t delay = *file.first_referred_at - file.first_report_at;
    if (delay <= 24 * kHourMillis) ++out.referred_within_24h;
    if (delay <= 72 * kHourMillis) ++out.referred_within_72h;
  }
  if (out.victims > 0) {
    out.share_within_24h =
        100.0 * static_cast<double>(out.referred_within_24h) / static_cast<double>(out.victims);
    out.share_within_72h =
        100.0 * static_cast<double>(out.referred_within_72h) / static_cast<double>(out.victims);
  }
  std::vector<double> days;
  days.reserve(starts.size());
  for (const auto& start : starts) {
    days.push_back(static_cast<double>(start.service_started_at - start.referred_at) / kDayMillis);
  }
  out.services_started = static_cast<std::int64_t>(days.size());
  if (!days.empty()) {
    std::sort(days.begin(), days.end());
    const std::size_t middle = days.size() / 2;
    out.median_days_to_service =
        days.size() % 2 == 1 ? days[middle] : (days[middle - 1] + days[middle]) / 2.0;
  }
  return out;
}

}  // namespace psea::assistance
