// The due computation of retention: cutoffs, holds, and originals kept for their duplicates.
#include <gtest/gtest.h>

#include "core/clock.h"
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
  EXPECT_FALSE(DefaultPolicy(Kind::kCasesClosed).enabled);
  EXPECT_EQ(MinDays(Kind::kCasesClosed), MinDays(Kind::kComplaintsClosed));
  EXPECT_EQ(DefaultPolicy(Kind::kCasesClosed).after_days,
            DefaultPolicy(Kind::kComplaintsClosed).after_days);
  EXPECT_EQ(ParseKind("cases_closed"), Kind::kCasesClosed);
  EXPECT_EQ(ObjectTypeOf(Kind::kCasesClosed), "case");
  EXPECT_EQ(ObjectTypeOf(Kind::kComplaintsNotSea), "complaint");
  EXPECT_EQ(ObjectTypeOf(Kind::kComplaintsClosed), "complaint");
  EXPECT_EQ(ObjectTypeOf(Kind::kSessions), "");
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

// Closed cases: CasesService lists those in a final status with the date of their closing step
// (YYYY-MM-DD, midnight UTC) as closed_at and no duplicates; the same computation decides.
TEST(RetentionPolicyTest, ComputeDueForClosedCases) {
  const UnixMillis as_of = *ParseIso8601("2026-11-28T16:35:29Z");
  const UnixMillis cutoff = Cutoff(as_of, 30);
  const auto day = [](const char* date) { return *ParseIso8601(date); };
  const std::vector<ClosedRecord> records = {
      {7, day("2026-10-01"), {}},   // long past: due
      {8, day("2026-10-15"), {}},   // past, but held
      {9, day("2026-10-29"), {}},   // 30 days before, at midnight: before the cutoff (16:35)
      {10, day("2026-10-30"), {}},  // 29 days before: not yet
      {11, day("2026-11-28"), {}},  // closed today
  };
  const DueRecords due = ComputeDue(records, cutoff, {8, 11});
  EXPECT_EQ(due.due, (std::vector<std::int64_t>{7, 9}));
  EXPECT_EQ(due.held, (std::vector<std::int64_t>{8}));  // 11 is held but not due: not reported
  EXPECT_TRUE(due.kept_for_duplicates.empty());
  // A longer policy reaches fewer cases.
  EXPECT_EQ(ComputeDue(records, Cutoff(as_of, 365), {}).due, std::vector<std::int64_t>{});
  EXPECT_EQ(ComputeDue(records, Cutoff(as_of, 50), {}).due, (std::vector<std::int64_t>{7}));
}

}  // namespace
}  // namespace psea::retention
