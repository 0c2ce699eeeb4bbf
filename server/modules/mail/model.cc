#include "modules/mail/model.h"

namespace psea::mail {

std::string_view OutboxStatusName(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::kPending:
      return "pending";
    case OutboxStatus::kSent:
      return "sent";
    case OutboxStatus::kFailed:
      return "failed";
  }
  return "pending";
}

Result<OutboxStatus> ParseOutboxStatus(std::string_view name) {
  for (auto status : {OutboxStatus::kPending, OutboxStatus::kSent, OutboxStatus::kFailed}) {
    if (OutboxStatusName(status) == name) return status;
  }
  return InvalidArgument("status must be pending, sent or failed", "status");
}

std::int64_t RetrySchedule::DelayAfter(std::int64_t attempts) const {
  static constexpr std::int64_t kUnits[] = {1, 5, 15, 60};
  const std::int64_t units = attempts >= 1 && attempts <= 4 ? kUnits[attempts - 1] : 60;
  return units * unit_millis;
}

}  // namespace psea::mail
