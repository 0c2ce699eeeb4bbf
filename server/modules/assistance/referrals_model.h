// Referrals of victims to service providers and the service tracking table (issue 13,
// "Referrals and the service tracking table"): types and pure rules only (no database, no
// HTTP), so that the status transitions, the order of the dates and the figures are tested
// alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace psea::assistance {

// referred: sent to the provider; accepted: the provider took it; in_progress: the service
// started; completed: given; declined_by_victim / refused_by_provider / lost_to_follow_up end
// it without the service.
inline const std::vector<std::string_view> kReferralStatuses = {
    "referred",         "accepted",           "in_progress",
    "completed",        "declined_by_victim", "refused_by_provider",
    "lost_to_follow_up"};
// The statuses a provider's case manager may set (the others are the VRA's).
inline const std::vector<std::string_view> kProviderStatuses = {"accepted", "in_progress",
                                                                "completed", "refused_by_provider"};

// Whether `from` may move to `to` (the same status is no move: false). Completed, declined and
// refused are final; a victim lost to follow-up who comes back resumes (accepted, in_progress).
bool CanMove(std::string_view from, std::string_view to);
// Open: a service still expected (referred, accepted, in_progress): follow-ups are due.
bool IsActiveReferral(std::string_view status);

struct Referral {
  std::int64_t id = 0;
  std::int64_t file_id = 0;
  std::int64_t need_id = 0;
  std::string service;  // a providers::kServices word the provider offers
  std::int64_t provider_id = 0;
  std::string provider_name;  // filled on reads
  std::string status = "referred";
  UnixMillis referred_at = 0;
  std::int64_t referred_by = 0;
  std::string referred_by_username;
  // The consent that covered it; none for an emergency medical referral.
  std::optional<std::int64_t> consent_id;
  bool emergency = false;
  std::string justification;  // why an emergency went without consent
  std::optional<UnixMillis> service_started_at;
  std::optional<UnixMillis> closed_at;  // when it reached a final status
  std::string outcome;
  std::string notes;  // the provider's or the VRA's progress notes
  std::optional<UnixMillis> last_follow_up_at;
  std::optional<UnixMillis> next_follow_up_at;
  bool current = true;  // the newest referral of its need (the tracking table's row)
  UnixMillis updated_at = 0;
  std::string updated_by;
  std::int64_t version = 1;
};

// Overdue: active, and the next follow-up is due before `now`.
bool IsOverdue(const Referral& referral, UnixMillis now);

// The dates a referral carries, checked together: kUnprocessable naming the first field out of
// order: referred_at, service_started_at or last_follow_up_at after `now`;
// service_started_at, last_follow_up_at or next_follow_up_at before referred_at; closed_at
// before the service started.
Status CheckReferralDates(const Referral& referral, UnixMillis now);

// ---- Figures (issue 13, "Figures"): the referrals' timeliness, computed from plain facts.

// One victim's file: when it was first reported (the file's opening) and when it was first
// referred (nullopt: never).
struct FirstReferral {
  UnixMillis first_report_at = 0;
  std::optional<UnixMillis> first_referred_at;
};

// One referral whose service started.
struct ServiceStart {
  UnixMillis referred_at = 0;
  UnixMillis service_started_at = 0;
};

struct ReferralFigures {
  std::int64_t victims = 0;  // files counted
  std::int64_t referred_within_24h = 0;
  std::int64_t referred_within_72h = 0;
  std::optional<double> share_within_24h;  // percent of `victims`; nullopt when none
  std::optional<double> share_within_72h;
  std::int64_t services_started = 0;
  std::optional<double> median_days_to_service;  // nullopt when no service started
};

// A referral made before the report (data entered late) counts as within the window.
ReferralFigures ComputeReferralFigures(const std::vector<FirstReferral>& files,
                                       const std::vector<ServiceStart>& starts);

}  // namespace psea::assistance
