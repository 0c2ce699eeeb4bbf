#include "modules/assistance/model.h"

#include <algorithm>

namespace psea::assistance {

bool IsOneOf(const std::vector<std::string_view>& vocabulary, std::string_view value) {
  return std::find(vocabulary.begin(), vocabulary.end(), value) != vocabulary.end();
}

std::string_view ConsentVerdictName(ConsentVerdict verdict) {
  switch (verdict) {
    case ConsentVerdict::kCovered:
      return "covered";
    case ConsentVerdict::kNone:
      return "no_consent";
    case ConsentVerdict::kNotYetGiven:
      return "not_yet_given";
    case ConsentVerdict::kWithdrawn:
      return "withdrawn";
    case ConsentVerdict::kExpired:
      return "expired";
    case ConsentVerdict::kOtherProvider:
      return "other_provider";
    case ConsentVerdict::kOtherChannel:
      return "other_channel";
    case ConsentVerdict::kNoGuardian:
      return "no_guardian";
  }
  return "no_consent";
}

ConsentVerdict ConsentCovers(const Consent& consent, const ConsentQuery& query) {
  if (consent.scope != query.scope) return ConsentVerdict::kNone;
  // A withdrawal ends the consent from its time on, whatever else holds.
  if (consent.withdrawn_at && *consent.withdrawn_at <= query.at) return ConsentVerdict::kWithdrawn;
  if (consent.given_at > query.at) return ConsentVerdict::kNotYetGiven;
  if (consent.expires_at && *consent.expires_at <= query.at) return ConsentVerdict::kExpired;
  if (consent.provider_id && consent.provider_id != query.provider_id) {
    return ConsentVerdict::kOtherProvider;
  }
  if (!consent.channel.empty() && !query.channel.empty() && consent.channel != query.channel) {
    return ConsentVerdict::kOtherChannel;
  }
  // A child's consent is the guardian's: one recorded for the victim alone (before the age
  // group was known to be a minor's, say) does not cover.
  if (query.minor && (consent.given_by != "guardian" || consent.guardian.empty())) {
    return ConsentVerdict::kNoGuardian;
  }
  return ConsentVerdict::kCovered;
}

namespace {
// How close a verdict came to covering: a refusal names the closest.
int Closeness(ConsentVerdict verdict) {
  switch (verdict) {
    case ConsentVerdict::kNone:
      return 0;
    case ConsentVerdict::kNotYetGiven:
      return 1;
    case ConsentVerdict::kWithdrawn:
      return 2;
    case ConsentVerdict::kExpired:
      return 3;
    case ConsentVerdict::kOtherProvider:
      return 4;
    case ConsentVerdict::kOtherChannel:
      return 5;
    case ConsentVerdict::kNoGuardian:
      return 6;
    case ConsentVerdict::kCovered:
      return 7;
  }
  return 0;
}
}  // namespace

ConsentDecision DecideConsent(const std::vector<Consent>& consents, const ConsentQuery& query) {
  ConsentDecision best;
  for (const auto& consent : consents) {
    const ConsentVerdict verdict = ConsentCovers(consent, query);
    if (verdict == ConsentVerdict::kNone) continue;
    if (!best.consent_id || Closeness(verdict) > Closeness(best.verdict)) {
      best.verdict = verdict;
      best.consent_id = consent.id;
    }
    if (verdict == ConsentVerdict::kCovered) break;
  }
  return best;
}

std::string_view PepStateName(PepState state) {
  switch (state) {
    case PepState::kNotApplicable:
      return "not_applicable";
    case PepState::kUnknown:
      return "unknown";
    case PepState::kInsideWindow:
      return "inside_window";
    case PepState::kMissed:
      return "missed";
    case PepState::kMetInTime:
      return "met_in_time";
  }
  return "not_applicable";
}

PepWindow PepWindowOf(const Need& need, UnixMillis now) {
  PepWindow window;
  if (need.type != "medical" || !need.after_rape) return window;
  const bool open = need.status == "open";
  if (!need.incident_at) {
    window.state = PepState::kUnknown;
    window.urgent = open;
    return window;
  }
  const UnixMillis deadline = *need.incident_at + kPepWindowMillis;
  window.deadline = deadline;
  if (open) {
    window.state = now < deadline ? PepState::kInsideWindow : PepState::kMissed;
    window.urgent = now < deadline;
    return window;
  }
  const UnixMillis ended = need.closed_at.value_or(now);
  window.state = ended < deadline ? PepState::kMetInTime : PepState::kMissed;
  return window;
}

}  // namespace psea::assistance
