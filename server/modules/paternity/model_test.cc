// The pure rules of paternity claims: the order of a claim's dates, the sample's hash-chained
// custody, and the figure of open claims by age.
#include "modules/paternity/model.h"

#include <gtest/gtest.h>

#include "security/crypto.h"

namespace psea::paternity {
namespace {

constexpr UnixMillis kDay = 24LL * 3600 * 1000;
constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z

Claim Base() {
  Claim claim;
  claim.id = 7;
  claim.file_id = 3;
  claim.claim_date = kStart;
  return claim;
}

TEST(PaternityDateOrder, TableOfCases) {
  struct Case {
    const char* name;
    std::optional<UnixMillis> notified, collected, tested, result_at;
    const char* result;
    const char* field;  // "" when in order
  };
  const Case cases[] = {
      {"nothing yet", {}, {}, {}, {}, "pending", ""},
      {"notified on the claim day", kStart, {}, {}, {}, "pending", ""},
      {"notified before the claim", kStart - kDay, {}, {}, {}, "pending", "ms_notified_at"},
      {"tested without a sample", {}, {}, kStart, {}, "pending", "tested_at"},
      {"tested before collection", {}, kStart, kStart - 1, {}, "pending", "tested_at"},
      {"tested after collection", {}, kStart, kStart + kDay, {}, "pending", ""},
      {"pending with a date", {}, {}, {}, kStart, "pending", "result_at"},
      {"result without a date", {}, {}, {}, {}, "established_by_admission", "result_at"},
      {"admission without a sample", {}, {}, {}, kStart, "established_by_admission", ""},
      {"dna without a test", {}, kStart, {}, kStart + kDay, "established_by_dna", "result"},
      {"result before the sample", {}, kStart, {}, kStart - kDay, "not_established", "result_at"},
      {"dna before the test",
       {},
       kStart,
       kStart + 2 * kDay,
       kStart + kDay,
       "established_by_dna",
       "result_at"},
      {"dna after the test",
       {},
       kStart,
       kStart + kDay,
       kStart + 2 * kDay,
       "established_by_dna",
       ""},
  };
  for (const auto& c : cases) {
    Claim claim = Base();
    claim.ms_notified_at = c.notified;
    claim.sample_collected_at = c.collected;
    claim.tested_at = c.tested;
    claim.result_at = c.result_at;
    claim.result = c.result;
    const Status status = CheckDateOrder(claim);
    if (std::string(c.field).empty()) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
    } else {
      EXPECT_EQ(status.code(), ErrorCode::kUnprocessable) << c.name;
      EXPECT_EQ(status.field(), c.field) << c.name;
    }
  }
}

Claim WithCustody() {
  Claim claim = Base();
  claim.sample_collected_by = "Nurse Synthetica";
  claim.sample_collected_at = kStart;
  claim.sample_place = "Invented clinic";
  std::string previous;
  const char* holders[] = {"Nurse Synthetica", "Courier Fictive", "Lab Imaginaire"};
  for (int i = 0; i < 3; ++i) {
    CustodyEntry entry;
    entry.claim_id = claim.id;
    entry.seq = i + 1;
    entry.from_holder = i == 0 ? "" : holders[i - 1];
    entry.to_holder = holders[i];
    entry.at = kStart + i * kDay;
    entry.prev_hash = previous;
    entry.hash = CustodyHash(claim, entry);
    previous = entry.hash;
    claim.custody.push_back(entry);
  }
  return claim;
}

TEST(PaternityCustody, AnIntactChainPasses) {
  security::InitCrypto();
  const auto check = CheckCustody(WithCustody());
  EXPECT_TRUE(check.intact);
  EXPECT_TRUE(check.seals_intact);
  EXPECT_TRUE(check.problems.empty());
}

TEST(PaternityCustody, FindsChangedMissingAndBrokenEntries) {
  security::InitCrypto();
  {
    Claim claim = WithCustody();
    claim.custody[1].to_holder = "Someone Else";  // changed after the fact
    const auto check = CheckCustody(claim);
    EXPECT_FALSE(check.intact);
    ASSERT_FALSE(check.problems.empty());
    EXPECT_NE(check.problems[0].find("entry 2"), std::string::npos);
  }
  {
    Claim claim = WithCustody();
    claim.custody.erase(claim.custody.begin() + 1);  // a hand-over removed
    EXPECT_FALSE(CheckCustody(claim).intact);
  }
  {
    Claim claim = WithCustody();
    claim.sample_place = "Another place";  // the collection facts are covered too
    EXPECT_FALSE(CheckCustody(claim).intact);
  }
  {
    Claim claim = WithCustody();
    claim.custody[2].seal_intact = false;
    claim.custody[2].hash = CustodyHash(claim, claim.custody[2]);
    const auto check = CheckCustody(claim);
    EXPECT_TRUE(check.intact);
    EXPECT_FALSE(check.seals_intact);
  }
}

TEST(PaternityFigure, OpenClaimsByAgeBands) {
  const UnixMillis now = kStart;
  std::vector<ClaimSpan> claims = {
      {now, {}},                       // 0 days
      {now - 89 * kDay, {}},           // under 90
      {now - 90 * kDay, {}},           // 90..179
      {now - 179 * kDay - 1, {}},      // 179 days and a bit: 90..179
      {now - 180 * kDay, {}},          // 180..364
      {now - 364 * kDay, {}},          // 180..364
      {now - 365 * kDay, {}},          // 365 and over
      {now - 900 * kDay, {}},          // 365 and over
      {now - 400 * kDay, now - kDay},  // closed before: not counted
      {now - 400 * kDay, now + kDay},  // closed after: open then
      {now + kDay, {}},                // claimed after: not counted
  };
  const AgeBands bands = OpenClaimsByAge(claims, now);
  EXPECT_EQ(bands.counts[0], 2);
  EXPECT_EQ(bands.counts[1], 2);
  EXPECT_EQ(bands.counts[2], 2);
  EXPECT_EQ(bands.counts[3], 3);
  EXPECT_EQ(bands.total, 9);
  EXPECT_EQ(OpenClaimsByAge({}, now).total, 0);
}

}  // namespace
}  // namespace psea::paternity
