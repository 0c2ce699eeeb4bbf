// The due computation of retention: cutoffs, holds, and originals kept for their duplicates.
#include <gtest/gtest.h>

#include "modules/retention/model.h"

namespace psea::retention {
namespace {

constexpr UnixMillis kDay = 24 * 3600 * 1000;
constexpr UnixMillis kNow = 1795883729000;  // 2026-11-28T16:35:29Z

TEST(RetentionPolicyTest, KindsRoundTripAndHaveDocumentedDefaults) {
  for (Kind kind : AllKinds()) {
    EXPECT_EQ(ParseKind(KindName(kind)), kind);
    const Policy policy = DefaultPolicy(kind);
    EXPECT_GE(policy.after_days, MinDays(kind)) << KindName(kind);
    EXPECT_LE(policy.after_days, kMaxDays);
  }
  EXPECT_FALSE(ParseKind("complaints"));
  // Complaints and the audit log stay until the CDT chief decides; traces go after 90 days.
  EXPECT_FALSE(DefaultPolicy(Kind::kComplaintsNotSea).enabled);
  EXPECT_FALSE(DefaultPolicy(Kind::kComplaintsClosed).enabled);
  EXPECT_FALSE(DefaultPolicy(Kind::kAudit).enabled);
  EXPECT_TRUE(DefaultPolicy(Kind::kQuarantine).enabled);
  EXPECT_TRUE(DefaultPolicy(Kind::kSessions).enabled);
  EXPECT_EQ(MinDays(Kind::kAudit), 365);
}

TEST(RetentionPolicyTest, CutoffCountsWholeDaysBack) {
  EXPECT_EQ(Cutoff(kNow, 0), kNow);
  EXPECT_EQ(Cutoff(kNow, 30), kNow - 30 * kDay);
  EXPECT_EQ(Cutoff(kNow, 36500), kNow - 36500 * kDay);
}

TEST(RetentionPolicyTest, ComputeDue) {
  const UnixMillis cutoff = kNow - 30 * kDay;
  const struct {
    const char* label;
    std::vector<ClosedRecord> records;
    std::set<std::int64_t> held;
    std::vector<std::int64_t> due, held_out, kept;
  } cases[] = {
      {"nothing", {}, {}, {}, {}, {}},
      {"closed before the cutoff is due, at or after it is not",
       {{1, cutoff - 1, {}}, {2, cutoff, {}}, {3, cutoff + kDay, {}}},
       {},
       {1},
       {},
       {}},
      {"a held record is never due",
       {{1, cutoff - kDay, {}}, {2, cutoff - kDay, {}}},
       {2},
       {1},
       {2},
       {}},
      {"a hold on a record that is not yet due is not reported",
       {{1, cutoff + kDay, {}}},
       {1},
       {},
       {},
       {}},
      {"duplicates go before their original",
       {{1, cutoff - 3 * kDay, {2, 3}}, {2, cutoff - 2 * kDay, {}}, {3, cutoff - kDay, {}}},
       {},
       {2, 3, 1},
       {},
       {}},
      {"an original stays while a duplicate stays (not yet due)",
       {{1, cutoff - kDay, {2}}},
       {},
       {},
       {},
       {1}},
      {"an original stays while a duplicate is held",
       {{1, cutoff - 2 * kDay, {2}}, {2, cutoff - kDay, {}}},
       {2},
       {},
       {2},
       {1}},
      {"a held original keeps itself; its duplicates go",
       {{1, cutoff - 2 * kDay, {2}}, {2, cutoff - kDay, {}}},
       {1},
       {2},
       {1},
       {}},
  };
  for (const auto& c : cases) {
    const DueRecords due = ComputeDue(c.records, cutoff, c.held);
    EXPECT_EQ(due.due, c.due) << c.label;
    EXPECT_EQ(due.held, c.held_out) << c.label;
    EXPECT_EQ(due.kept_for_duplicates, c.kept) << c.label;
  }
}

}  // namespace
}  // namespace psea::retention
