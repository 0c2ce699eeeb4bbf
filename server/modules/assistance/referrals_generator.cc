// Made-up assistance files, needs, consents, providers and referrals for the benchmark of the
// service tracking table (`psea generate --assistance-files`, bench/assistance.sh). Never real
// data: files carry no identity, providers no contacts.
#include <algorithm>

#include "modules/assistance/referrals.h"

namespace psea::assistance {

using storage::Connection;

namespace {
constexpr std::int64_t kDayMillis = 86'400'000;
constexpr std::int64_t kHourMillis = 3'600'000;
}  // namespace

Result<ReferralsService::Generated> ReferralsService::Generate(
    const GenerateRequest& request, const std::vector<std::string>& prefectures) {
  if (prefectures.empty()) return Unprocessable("no prefecture in the places list", "prefecture");
  Generated out;
  const UnixMillis now = clock_.Now();
  security::Principal generator;
  generator.kind = security::Principal::Kind::kUser;
  generator.role = security::Role::kVra;
  generator.username = "generator";
  // Providers through their service (validated and audited like any other), 1 to 3 services each.
  std::vector<providers::Provider> made;
  static const char* kKinds[] = {"health_facility", "psychosocial", "legal_aid",
                                 "shelter",         "un_agency",    "other"};
  for (int i = 0; i < request.providers; ++i) {
    providers::Provider p;
    p.name = "Generated provider " + std::to_string(i + 1);
    p.kind = kKinds[i % 6];
    const std::size_t first = static_cast<std::size_t>(i) % kNeedTypes.size();
    for (std::size_t k = 0; k < 1 + static_cast<std::size_t>(i % 3); ++k) {
      p.services.emplace_back(kNeedTypes[(first + k * 3) % kNeedTypes.size()]);
    }
    p.prefecture = prefectures[static_cast<std::size_t>(i) % prefectures.size()];
    p.town = "Town " + std::to_string(i % 40);
    p.cost = "free";
    ASSIGN_OR_RETURN(auto provider, providers_.Create(generator, p, std::nullopt, {}));
    made.push_back(std::move(provider));
  }
  out.providers = static_cast<std::int64_t>(made.size());
  if (made.empty() || request.files <= 0) return out;
  // Providers by service, to refer each need to one that offers it.
  std::vector<std::vector<const providers::Provider*>> offering(kNeedTypes.size());
  for (const auto& p : made) {
    for (std::size_t t = 0; t < kNeedTypes.size(); ++t) {
      if (std::find(p.services.begin(), p.services.end(), kNeedTypes[t]) != p.services.end()) {
        offering[t].push_back(&p);
      }
    }
  }
  const std::int64_t per_file =
      std::max<std::int64_t>(1, request.referrals / std::max(1, request.files));
  static const char* kFinal[] = {"refused_by_provider", "declined_by_victim", "lost_to_follow_up"};
  static const char* kCurrent[] = {"referred",  "accepted",           "in_progress",
                                   "completed", "completed",          "in_progress",
                                   "accepted",  "refused_by_provider"};
  constexpr int kChunk = 250;
  for (int start = 0; start < request.files; start += kChunk) {
    Generated chunk;
    RETURN_IF_ERROR(database_.WriteTransaction([&](Connection& c) -> Status {
      chunk = Generated{};
      for (int i = start; i < std::min(request.files, start + kChunk); ++i) {
        const unsigned mix = static_cast<unsigned>(i) * 2654435761u;
        // Spread over three years, the newest last.
        const UnixMillis opened =
            now -
            static_cast<UnixMillis>(request.files - i) * 3 * 365 * kDayMillis / request.files -
            kDayMillis;
        AssistanceFile file;
        file.reference = "VG-" + std::to_string(100000 + i);
        file.pseudonym = file.reference;
        file.sex = (mix % 10) < 8 ? "female" : "male";
        file.age_group = (mix % 7) == 0 ? "minor" : "adult";
        file.prefecture = prefectures[(mix >> 3) % prefectures.size()];
        file.status = "open";
        file.opened_at = opened;
        file.created_by_username = "generator";
        file.updated_at = opened;
        ASSIGN_OR_RETURN(file.id, files_.InsertFile(c, file));
        ++chunk.files;
        Consent consent;
        consent.file_id = file.id;
        consent.scope = "referral";
        consent.given_at = opened;
        consent.means = "oral";
        consent.given_by = file.age_group == "minor" ? "guardian" : "victim";
        consent.guardian = file.age_group == "minor" ? "mother" : "";
        consent.recorded_by_username = "generator";
        consent.recorded_at = opened;
        ASSIGN_OR_RETURN(consent.id, files_.InsertConsent(c, consent));
        // 2 to 4 needs; the file's referrals spread over them (the older ones of a need ended).
        const int needs = 2 + static_cast<int>((mix >> 5) % 3);
        for (int n = 0; n < needs; ++n) {
          const std::size_t type = ((mix >> 7) + static_cast<unsigned>(n) * 3) % kNeedTypes.size();
          Need need;
          need.file_id = file.id;
          need.type = std::string(kNeedTypes[type]);
          need.urgency = std::string(kUrgencies[(mix + static_cast<unsigned>(n)) % 4]);
          need.status = "open";
          need.assessed_at = opened;
          need.assessed_by_username = "generator";
          need.updated_at = opened;
          ASSIGN_OR_RETURN(need.id, files_.InsertNeed(c, need));
          ++chunk.needs;
          if (offering[type].empty()) continue;
          const std::int64_t count = per_file / needs + (n < per_file % needs ? 1 : 0);
          UnixMillis at = opened + static_cast<UnixMillis>((mix >> 9) % 96) * kHourMillis;
          for (std::int64_t k = 0; k < count; ++k) {
            const bool last = k + 1 == count;
            const auto* provider =
                offering[type][(mix + static_cast<unsigned>(n * 7 + k)) % offering[type].size()];
            Referral r;
            r.file_id = file.id;
            r.need_id = need.id;
            r.service = need.type;
            r.provider_id = provider->id;
            r.referred_at = std::min(at, now - kHourMillis);
            r.referred_by_username = "generator";
            r.consent_id = consent.id;
            const unsigned pick = (mix >> 11) + static_cast<unsigned>(n + k);
            r.status = last ? kCurrent[pick % 8] : kFinal[pick % 3];
            if (r.status == "in_progress" || r.status == "completed") {
              r.service_started_at =
                  std::min(r.referred_at + static_cast<UnixMillis>(pick % 10) * kDayMillis, now);
            }
            if (!IsActiveReferral(r.status)) {
              r.closed_at = std::min(r.referred_at + 20 * kDayMillis, now);
            } else {
              // Most follow-ups are ahead; about one in six is overdue.
              r.next_follow_up_at = pick % 6 == 0
                                        ? now - static_cast<UnixMillis>(1 + pick % 9) * kDayMillis
                                        : now + static_cast<UnixMillis>(1 + pick % 20) * kDayMillis;
              r.next_follow_up_at = std::max(*r.next_follow_up_at, r.referred_at);
            }
            r.updated_at = r.referred_at;
            r.updated_by = "generator";
            ASSIGN_OR_RETURN(r.id, store_.Insert(c, r));
            ++chunk.referrals;
            at += 15 * kDayMillis;
          }
        }
      }
      return Status::Ok();
    }));
    out.files += chunk.files;
    out.needs += chunk.needs;
    out.referrals += chunk.referrals;
  }
  return out;
}

}  // namespace psea::assistance
