// The pure rules of victims' assistance: whether a consent covers an action (scope, provider,
// channel, withdrawal, expiry, a child's guardian) and the 72-hour window of post-exposure care.
#include "modules/assistance/model.h"

#include <gtest/gtest.h>

namespace psea::assistance {
namespace {

constexpr UnixMillis kHour = 3600LL * 1000;
constexpr UnixMillis kDay = 24 * kHour;
constexpr UnixMillis kT0 = 1795883729000;  // 2026-11-28T16:35:29Z

Consent Referral(std::optional<std::int64_t> provider = std::nullopt) {
  Consent consent;
  consent.id = 7;
  consent.scope = "referral";
  consent.provider_id = provider;
  consent.given_at = kT0;
  consent.means = "oral";
  consent.given_by = "victim";
  return consent;
}

ConsentQuery Asking(std::string scope, UnixMillis at, std::optional<std::int64_t> provider = {}) {
  ConsentQuery query;
  query.scope = std::move(scope);
  query.at = at;
  query.provider_id = provider;
  return query;
}

struct CoverCase {
  const char* name;
  Consent consent;
  ConsentQuery query;
  ConsentVerdict expected;
};

Consent With(Consent consent, void (*change)(Consent&)) {
  change(consent);
  return consent;
}

TEST(ConsentCoversTest, Table) {
  ConsentQuery minor = Asking("referral", kT0 + kDay, 3);
  minor.minor = true;
  ConsentQuery by_sms = Asking("contact", kT0 + kDay);
  by_sms.channel = "sms";
  ConsentQuery any_channel = Asking("contact", kT0 + kDay);
  ConsentQuery by_phone = by_sms;
  by_phone.channel = "phone";
  const Consent phone = With(Referral(), [](Consent& c) {
    c.scope = "contact";
    c.channel = "phone";
  });
  const Consent guardian = With(Referral(), [](Consent& c) {
    c.given_by = "guardian";
    c.guardian = "mother";
  });
  const CoverCase cases[] = {
      {"any provider", Referral(), Asking("referral", kT0 + kHour, 3), ConsentVerdict::kCovered},
      {"the named provider", Referral(3), Asking("referral", kT0 + kHour, 3),
       ConsentVerdict::kCovered},
      {"another provider", Referral(3), Asking("referral", kT0 + kHour, 4),
       ConsentVerdict::kOtherProvider},
      {"no provider named by the action", Referral(3), Asking("referral", kT0 + kHour),
       ConsentVerdict::kOtherProvider},
      {"another scope", Referral(), Asking("information_sharing", kT0 + kHour),
       ConsentVerdict::kNone},
      {"at the time it was given", Referral(), Asking("referral", kT0), ConsentVerdict::kCovered},
      {"before it was given", Referral(), Asking("referral", kT0 - 1),
       ConsentVerdict::kNotYetGiven},
      {"withdrawn before", With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + kHour; }),
       Asking("referral", kT0 + 2 * kHour), ConsentVerdict::kWithdrawn},
      {"withdrawn at that moment",
       With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + kHour; }),
       Asking("referral", kT0 + kHour), ConsentVerdict::kWithdrawn},
      {"withdrawn later: it covered then",
       With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + kDay; }),
       Asking("referral", kT0 + kHour), ConsentVerdict::kCovered},
      {"expired", With(Referral(), [](Consent& c) { c.expires_at = kT0 + kDay; }),
       Asking("referral", kT0 + kDay), ConsentVerdict::kExpired},
      {"before its expiry", With(Referral(), [](Consent& c) { c.expires_at = kT0 + kDay; }),
       Asking("referral", kT0 + kDay - 1), ConsentVerdict::kCovered},
      {"a child, the victim's own consent", Referral(), minor, ConsentVerdict::kNoGuardian},
      {"a child, a guardian consented", guardian, minor, ConsentVerdict::kCovered},
      {"a child, guardian without a relationship",
       With(Referral(), [](Consent& c) { c.given_by = "guardian"; }), minor,
       ConsentVerdict::kNoGuardian},
      {"contact by its channel", phone, by_phone, ConsentVerdict::kCovered},
      {"contact by another channel", phone, by_sms, ConsentVerdict::kOtherChannel},
      {"contact, any channel", phone, any_channel, ConsentVerdict::kCovered},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ConsentCovers(c.consent, c.query), c.expected)
        << c.name << ": " << ConsentVerdictName(ConsentCovers(c.consent, c.query));
  }
}

TEST(DecideConsentTest, NoConsentAtAll) {
  const auto decision = DecideConsent({}, Asking("referral", kT0));
  EXPECT_FALSE(decision.covered());
  EXPECT_EQ(decision.verdict, ConsentVerdict::kNone);
  EXPECT_FALSE(decision.consent_id);
}

TEST(DecideConsentTest, AnyValidConsentCovers) {
  Consent withdrawn = With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + kHour; });
  withdrawn.id = 1;
  Consent later = Referral();
  later.id = 2;
  later.given_at = kT0 + 2 * kHour;
  const auto decision = DecideConsent({withdrawn, later}, Asking("referral", kT0 + 3 * kHour));
  EXPECT_TRUE(decision.covered());
  EXPECT_EQ(decision.consent_id, 2);
}

TEST(DecideConsentTest, TheRefusalNamesTheClosestConsent) {
  Consent withdrawn = With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + kHour; });
  withdrawn.id = 1;
  Consent other = Referral(9);
  other.id = 2;
  Consent sharing = Referral();
  sharing.id = 3;
  sharing.scope = "information_sharing";
  const auto decision =
      DecideConsent({withdrawn, other, sharing}, Asking("referral", kT0 + 2 * kHour, 3));
  EXPECT_FALSE(decision.covered());
  EXPECT_EQ(decision.verdict, ConsentVerdict::kOtherProvider);
  EXPECT_EQ(decision.consent_id, 2);
}

TEST(DecideConsentTest, WithdrawalAfterTheActionKeepsItCovered) {
  // A referral made on day 1 was covered, though the consent was withdrawn on day 2.
  Consent consent = With(Referral(), [](Consent& c) { c.withdrawn_at = kT0 + 2 * kDay; });
  EXPECT_TRUE(DecideConsent({consent}, Asking("referral", kT0 + kDay)).covered());
  EXPECT_EQ(DecideConsent({consent}, Asking("referral", kT0 + 3 * kDay)).verdict,
            ConsentVerdict::kWithdrawn);
}

Need Medical(std::optional<UnixMillis> incident, std::string status = "open") {
  Need need;
  need.type = "medical";
  need.after_rape = true;
  need.incident_at = incident;
  need.status = std::move(status);
  return need;
}

TEST(PepWindowTest, OnlyMedicalNeedsAfterRape) {
  Need psychosocial = Medical(kT0);
  psychosocial.type = "psychosocial";
  EXPECT_EQ(PepWindowOf(psychosocial, kT0).state, PepState::kNotApplicable);
  Need medical = Medical(kT0);
  medical.after_rape = false;
  const auto window = PepWindowOf(medical, kT0);
  EXPECT_EQ(window.state, PepState::kNotApplicable);
  EXPECT_FALSE(window.urgent);
  EXPECT_FALSE(window.deadline);
}

TEST(PepWindowTest, UrgentInsideTheWindowMissedAfter) {
  const Need need = Medical(kT0);
  auto inside = PepWindowOf(need, kT0 + 71 * kHour);
  EXPECT_EQ(inside.state, PepState::kInsideWindow);
  EXPECT_TRUE(inside.urgent);
  EXPECT_EQ(inside.deadline, kT0 + 72 * kHour);
  auto at_deadline = PepWindowOf(need, kT0 + 72 * kHour);
  EXPECT_EQ(at_deadline.state, PepState::kMissed);
  EXPECT_FALSE(at_deadline.urgent);
  EXPECT_EQ(PepWindowOf(need, kT0 + 10 * kDay).state, PepState::kMissed);
}

TEST(PepWindowTest, MetBeforeOrAfterTheDeadline) {
  Need met = Medical(kT0, "met");
  met.closed_at = kT0 + 20 * kHour;
  auto in_time = PepWindowOf(met, kT0 + 10 * kDay);
  EXPECT_EQ(in_time.state, PepState::kMetInTime);
  EXPECT_FALSE(in_time.urgent);
  met.closed_at = kT0 + 80 * kHour;
  EXPECT_EQ(PepWindowOf(met, kT0 + 10 * kDay).state, PepState::kMissed);
  Need closed = Medical(kT0, "closed");
  closed.closed_at = kT0 + kHour;
  EXPECT_EQ(PepWindowOf(closed, kT0 + 2 * kHour).state, PepState::kMetInTime);
}

TEST(PepWindowTest, UnknownIncidentTimeIsUrgentWhileOpen) {
  auto open = PepWindowOf(Medical(std::nullopt), kT0);
  EXPECT_EQ(open.state, PepState::kUnknown);
  EXPECT_TRUE(open.urgent);
  EXPECT_FALSE(open.deadline);
  Need met = Medical(std::nullopt, "met");
  met.closed_at = kT0;
  EXPECT_FALSE(PepWindowOf(met, kT0).urgent);
}

TEST(VocabularyTest, NeedTypesAreTheSharedEight) {
  EXPECT_EQ(kNeedTypes.size(), 8u);
  EXPECT_TRUE(IsOneOf(kNeedTypes, "child_support"));
  EXPECT_TRUE(IsOneOf(kNeedTypes, "basic_material"));
  EXPECT_FALSE(IsOneOf(kNeedTypes, "shelter"));
}

}  // namespace
}  // namespace psea::assistance
