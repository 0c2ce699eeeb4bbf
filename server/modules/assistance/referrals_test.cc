// The pure rules of referrals: the status transitions, the order of the dates, overdue
// follow-ups and the figures (referred within 24 and 72 hours, median days to the service).
#include <gtest/gtest.h>

#include "modules/assistance/model.h"
#include "modules/assistance/referrals_model.h"

namespace psea::assistance {
namespace {

constexpr UnixMillis kHour = 3600LL * 1000;
constexpr UnixMillis kDay = 24 * kHour;
constexpr UnixMillis kT0 = 1795883729000;  // 2026-11-28T16:35:29Z

TEST(ReferralTransitionsTest, Table) {
  struct Case {
    const char* from;
    const char* to;
    bool allowed;
  };
  const Case cases[] = {
      {"referred", "accepted", true},
      {"referred", "in_progress", true},
      {"referred", "completed", false},  // a service is started before it is completed
      {"referred", "declined_by_victim", true},
      {"referred", "refused_by_provider", true},
      {"referred", "lost_to_follow_up", true},
      {"referred", "referred", false},
      {"accepted", "in_progress", true},
      {"accepted", "completed", true},
      {"accepted", "referred", false},
      {"accepted", "refused_by_provider", true},
      {"in_progress", "completed", true},
      {"in_progress", "refused_by_provider", false},
      {"in_progress", "accepted", false},
      {"in_progress", "lost_to_follow_up", true},
      {"lost_to_follow_up", "in_progress", true},
      {"lost_to_follow_up", "accepted", true},
      {"lost_to_follow_up", "completed", false},
      {"completed", "in_progress", false},
      {"declined_by_victim", "referred", false},
      {"refused_by_provider", "accepted", false},
      {"unknown", "accepted", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CanMove(c.from, c.to), c.allowed) << c.from << " -> " << c.to;
  }
  // Every status is in the vocabulary; the provider's are a subset.
  for (auto status : kProviderStatuses) EXPECT_TRUE(IsOneOf(kReferralStatuses, status));
  EXPECT_FALSE(IsOneOf(kProviderStatuses, "declined_by_victim"));
  EXPECT_FALSE(IsOneOf(kProviderStatuses, "lost_to_follow_up"));
}

Referral Made(UnixMillis at) {
  Referral r;
  r.referred_at = at;
  return r;
}

TEST(ReferralDatesTest, NamesTheFieldOutOfOrder) {
  const UnixMillis now = kT0 + 10 * kDay;
  struct Case {
    const char* name;
    Referral referral;
    const char* field;  // "" when valid
  };
  auto with = [](Referral r, void (*change)(Referral&)) {
    change(r);
    return r;
  };
  const Referral base = Made(kT0);
  const Case cases[] = {
      {"plain", base, ""},
      {"referred in the future", Made(now + 1), "referred_at"},
      {"referred now", Made(now), ""},
      {"service the same minute", with(base, [](Referral& r) { r.service_started_at = kT0; }), ""},
      {"service before referral",
       with(base, [](Referral& r) { r.service_started_at = kT0 - kHour; }), "service_started_at"},
      {"service in the future",
       with(base, [](Referral& r) { r.service_started_at = kT0 + 11 * kDay; }),
       "service_started_at"},
      {"follow-up before referral",
       with(base, [](Referral& r) { r.last_follow_up_at = kT0 - kDay; }), "last_follow_up_at"},
      {"follow-up in the future",
       with(base, [](Referral& r) { r.last_follow_up_at = kT0 + 20 * kDay; }), "last_follow_up_at"},
      {"next follow-up due in the future",
       with(base, [](Referral& r) { r.next_follow_up_at = kT0 + 20 * kDay; }), ""},
      {"next follow-up before referral",
       with(base, [](Referral& r) { r.next_follow_up_at = kT0 - kDay; }), "next_follow_up_at"},
      {"closed before the service started",
       with(base,
            [](Referral& r) {
              r.service_started_at = kT0 + 2 * kDay;
              r.closed_at = kT0 + kDay;
            }),
       "service_started_at"},
  };
  for (const auto& c : cases) {
    const Status status = CheckReferralDates(c.referral, now);
    if (std::string(c.field).empty()) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.message();
    } else {
      EXPECT_EQ(status.code(), ErrorCode::kUnprocessable) << c.name;
      EXPECT_EQ(status.field(), c.field) << c.name;
    }
  }
}

TEST(ReferralOverdueTest, ActiveAndPastTheFollowUp) {
  Referral r = Made(kT0);
  EXPECT_FALSE(IsOverdue(r, kT0 + kDay));  // no follow-up set
  r.next_follow_up_at = kT0 + kDay;
  EXPECT_FALSE(IsOverdue(r, kT0 + kDay));  // due now, not past
  EXPECT_TRUE(IsOverdue(r, kT0 + kDay + 1));
  r.status = "in_progress";
  EXPECT_TRUE(IsOverdue(r, kT0 + 2 * kDay));
  r.status = "completed";
  EXPECT_FALSE(IsOverdue(r, kT0 + 2 * kDay));
  r.status = "lost_to_follow_up";
  EXPECT_FALSE(IsOverdue(r, kT0 + 2 * kDay));
}

TEST(ReferralFiguresTest, SharesAndMedian) {
  const std::vector<FirstReferral> files = {
      {kT0, kT0 + 2 * kHour},       // within 24 h
      {kT0, kT0 + 24 * kHour},      // exactly 24 h: within
      {kT0, kT0 + 30 * kHour},      // within 72 h only
      {kT0, kT0 + 72 * kHour + 1},  // late
      {kT0, std::nullopt},          // never referred
      {kT0 + kDay, kT0},            // entered late: referred before the report
  };
  const std::vector<ServiceStart> starts = {
      {kT0, kT0 + kDay}, {kT0, kT0 + 3 * kDay}, {kT0, kT0 + 2 * kDay}, {kT0, kT0 + 10 * kDay}};
  const ReferralFigures f = ComputeReferralFigures(files, starts);
  EXPECT_EQ(f.victims, 6);
  EXPECT_EQ(f.referred_within_24h, 3);
  EXPECT_EQ(f.referred_within_72h, 4);
  ASSERT_TRUE(f.share_within_24h.has_value());
  EXPECT_DOUBLE_EQ(*f.share_within_24h, 50.0);
  EXPECT_NEAR(*f.share_within_72h, 66.6667, 0.001);
  EXPECT_EQ(f.services_started, 4);
  ASSERT_TRUE(f.median_days_to_service.has_value());
  EXPECT_DOUBLE_EQ(*f.median_days_to_service, 2.5);  // 1, 2, 3, 10 days
}

TEST(ReferralFiguresTest, EmptyHasNoShares) {
  const ReferralFigures f = ComputeReferralFigures({}, {});
  EXPECT_EQ(f.victims, 0);
  EXPECT_FALSE(f.share_within_24h.has_value());
  EXPECT_FALSE(f.median_days_to_service.has_value());
  const ReferralFigures odd = ComputeReferralFigures({}, {{kT0, kT0 + 36 * kHour}});
  EXPECT_DOUBLE_EQ(*odd.median_days_to_service, 1.5);
}

// The consent gate of a referral is DecideConsent with scope "referral" and the provider: a
// consent for another provider, a withdrawn or expired one, or a child's own, refuse it.
TEST(ReferralConsentTest, RefusalsSayWhy) {
  Consent consent;
  consent.id = 4;
  consent.scope = "referral";
  consent.provider_id = 9;
  consent.given_at = kT0;
  consent.means = "oral";
  consent.given_by = "victim";
  ConsentQuery query{"referral", 9, "", kT0 + kHour, false};
  EXPECT_TRUE(DecideConsent({consent}, query).covered());
  query.provider_id = 10;
  EXPECT_EQ(DecideConsent({consent}, query).verdict, ConsentVerdict::kOtherProvider);
  query.provider_id = 9;
  query.at = kT0 - kHour;  // referred before the consent was given
  EXPECT_EQ(DecideConsent({consent}, query).verdict, ConsentVerdict::kNotYetGiven);
  query.at = kT0 + 2 * kHour;
  Consent withdrawn = consent;
  withdrawn.withdrawn_at = kT0 + kHour;
  EXPECT_EQ(DecideConsent({withdrawn}, query).verdict, ConsentVerdict::kWithdrawn);
  query.minor = true;
  EXPECT_EQ(DecideConsent({consent}, query).verdict, ConsentVerdict::kNoGuardian);
  EXPECT_EQ(DecideConsent({}, query).verdict, ConsentVerdict::kNone);
}

}  // namespace
}  // namespace psea::assistance
