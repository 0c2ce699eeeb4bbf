// Case figures: the pure summaries (durations, clock shares, suppression, the public table's
// CSV, the extract's redaction) and the store's GROUP BY counts on both engines over a small
// set of cases whose counts are known.
#include "modules/cases/figures.h"

#include <gtest/gtest.h>

#include <limits>
#include <map>

#include "modules/cases/store.h"
#include "storage/testing/test_databases.h"

namespace psea::cases {
namespace {

namespace json = boost::json;
using storage::Connection;

TEST(FiguresTest, DaysBetween) {
  EXPECT_EQ(DaysBetween("2026-01-01", "2026-01-31"), 30);
  EXPECT_EQ(DaysBetween("2024-02-28", "2024-03-01"), 2);  // leap year
  EXPECT_EQ(DaysBetween("2026-01-01", "2026-01-01"), 0);
  EXPECT_FALSE(DaysBetween("2026-01-02", "2026-01-01"));
  EXPECT_FALSE(DaysBetween("", "2026-01-01"));
  EXPECT_FALSE(DaysBetween("2026-02-30", "2026-03-01"));
}

TEST(FiguresTest, DurationsMedianP90AndBuckets) {
  // 10 completed investigations of 10, 20, ..., 100 days, 2 still open, 1 without a start.
  const std::vector<InvestigationSpan> spans = {
      {1, "2026-01-01", "2026-01-11"}, {2, "2026-01-01", "2026-01-21"},
      {3, "2026-01-01", "2026-01-31"}, {4, "2026-01-01", "2026-02-10"},
      {5, "2026-01-01", "2026-02-20"}, {6, "2026-01-01", "2026-03-02"},
      {7, "2026-01-01", "2026-03-12"}, {8, "2026-01-01", "2026-03-22"},
      {9, "2026-01-01", "2026-04-01"}, {10, "2026-01-01", "2026-04-11"},
      {11, "2026-01-01", ""},          {12, "2026-02-01", ""},
      {13, "", "2026-02-01"}};
  const DurationStats stats = SummariseDurations(spans);
  EXPECT_EQ(stats.completed, 10);
  EXPECT_EQ(stats.open, 2);
  ASSERT_TRUE(stats.median_days);
  EXPECT_DOUBLE_EQ(*stats.median_days, 55.0);  // (50 + 60) / 2
  ASSERT_TRUE(stats.p90_days);
  EXPECT_DOUBLE_EQ(*stats.p90_days, 90.0);  // nearest rank: the 9th of 10
  ASSERT_EQ(stats.buckets.size(), 5u);
  EXPECT_EQ(stats.buckets[0], (std::pair<std::string, std::int64_t>{"0-30", 3}));
  EXPECT_EQ(stats.buckets[1], (std::pair<std::string, std::int64_t>{"31-90", 6}));
  EXPECT_EQ(stats.buckets[2], (std::pair<std::string, std::int64_t>{"91-180", 1}));

  const DurationStats none = SummariseDurations({});
  EXPECT_EQ(none.completed, 0);
  EXPECT_FALSE(none.median_days);
  EXPECT_FALSE(none.p90_days);
}

TEST(FiguresTest, ClockSharesAndTheInvestigationTotal) {
  const std::vector<ClockStateCount> states = {
      {"investigation_completion", "met_on_time", 3},
      {"investigation_completion", "met_late", 1},
      {"investigation_completion", "running", 2},
      {"investigation_completion_urgent", "met_on_time", 1},
      {"investigation_completion_urgent", "overdue", 1},
      {"victim_information", "paused", 1},
  };
  const auto shares = SummariseClocks(states);
  ASSERT_EQ(shares.size(), 3u);
  EXPECT_EQ(shares[0].rule, "investigation_completion");
  EXPECT_EQ(shares[0].open, 2);
  ASSERT_TRUE(shares[0].on_time_pct);
  EXPECT_DOUBLE_EQ(*shares[0].on_time_pct, 75.0);
  EXPECT_FALSE(shares[2].on_time_pct);
  const TimelineShare total = InvestigationShare(shares);
  EXPECT_EQ(total.met_on_time, 4);
  EXPECT_EQ(total.met_late, 1);
  EXPECT_EQ(total.overdue, 1);
  EXPECT_DOUBLE_EQ(*total.on_time_pct, 80.0);
}

// Suppression: 0 and counts at or above the threshold are shown; 1..N-1 become "<N".
TEST(FiguresTest, SmallNumberSuppression) {
  struct Case {
    std::int64_t count;
    int below;
    std::string shown;
  };
  const Case table[] = {
      {0, 5, "0"}, {1, 5, "<5"}, {4, 5, "<5"}, {5, 5, "5"}, {12, 5, "12"},
      {1, 0, "1"}, {1, 2, "<2"}, {2, 2, "2"},  {0, 0, "0"},
  };
  for (const auto& row : table) {
    EXPECT_EQ(SuppressedText(row.count, row.below), row.shown) << row.count << "/" << row.below;
    const json::value cell = SuppressedCount(row.count, row.below);
    if (row.shown[0] == '<') {
      EXPECT_EQ(cell, json::value(row.shown));
    } else {
      EXPECT_EQ(cell, json::value(row.count));
    }
  }
  EXPECT_TRUE(SuppressedShare(50.0, 3, 5).is_null());
  EXPECT_EQ(SuppressedShare(50.0, 5, 5), json::value(50.0));
  EXPECT_EQ(SuppressedShare(50.0, 1, 0), json::value(50.0));
  EXPECT_TRUE(SuppressedShare(std::nullopt, 9, 0).is_null());
}

TEST(FiguresTest, FilterValidation) {
  EXPECT_TRUE(ValidateFiguresFilter({}).ok());
  EXPECT_TRUE(ValidateFiguresFilter({"2026-01-01", "2026-12-31", 5}).ok());
  EXPECT_EQ(ValidateFiguresFilter({"2026-13-01", "", 0}).field(), "from");
  EXPECT_EQ(ValidateFiguresFilter({"", "tomorrow", 0}).field(), "to");
  EXPECT_EQ(ValidateFiguresFilter({"2026-02-01", "2026-01-01", 0}).field(), "to");
  EXPECT_EQ(ValidateFiguresFilter({"", "", 1}).field(), "suppress_below");
  EXPECT_EQ(ValidateFiguresFilter({"", "", 101}).field(), "suppress_below");
}

TEST(FiguresTest, FiguresJsonSuppressesEveryCount) {
  FiguresCounts counts;
  counts.allegations = 7;
  counts.per_subject = 9;
  counts.by_category = {{"sexual_abuse", 2, 3}, {"sexual_exploitation", 5, 6}};
  counts.victims = {{"female", "minor", 1}, {"female", "adult", 6}};
  const json::object out = FiguresJson({"", "", 3}, counts);
  EXPECT_EQ(out.at("totals").at("allegations"), json::value(7));
  EXPECT_EQ(out.at("totals").at("victims"), json::value(7));
  const auto& category = out.at("by_category").as_array();
  EXPECT_EQ(category[0].at("allegations"), json::value("<3"));
  EXPECT_EQ(category[0].at("per_subject"), json::value(3));
  EXPECT_EQ(out.at("victims").as_array()[0].at("count"), json::value("<3"));  // female minor
  EXPECT_EQ(out.at("victims_by_sex").as_array()[0].at("count"), json::value(7));
  EXPECT_TRUE(out.at("investigations").at("median_days").is_null());
}

PublicTableRow SampleRow() {
  PublicTableRow row;
  row.mission = "MINUSCA";
  row.month_reported = "2026-03";
  row.category = "sexual_abuse";
  row.type = "sexual_activity_minor";
  row.personnel_category = "military_contingent";
  row.nationality = "XA";
  row.subjects = 2;
  row.victims = 3;
  row.girls = 2;
  row.women = 1;
  row.paternity_claim = true;
  row.investigating_entity = "tcc_nio";
  row.status = "under_investigation";
  row.investigation_days = 41;
  row.interim_measures = {"payment_suspension"};
  row.actions = {"repatriation_disciplinary", "ban_from_operations"};
  row.referred_national_authorities = true;
  return row;
}

TEST(FiguresTest, PublicTableCsvRow) {
  const std::string csv = PublicTableCsv({SampleRow()}, 0);
  ASSERT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);  // the byte order mark
  const auto first_end = csv.find("\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_EQ(csv.substr(3, 31), "Mission,Month reported,Category");
  const std::string row = csv.substr(first_end + 2);
  EXPECT_EQ(row,
            "MINUSCA,2026-03,Sexual abuse,Sexual activity minor,Military contingent,XA,2,3,1,2,0,"
            "0,0,Yes,Tcc nio,Under investigation,41,Payment suspension,,Repatriation "
            "disciplinary; Ban from operations,Yes\r\n");
  const std::string suppressed = PublicTableCsv({SampleRow()}, 3);
  EXPECT_NE(suppressed.find(",XA,<3,3,<3,<3,0,0,0,"), std::string::npos) << suppressed;
}

TEST(FiguresTest, PublicTableXlsxIsAZip) {
  auto bytes = PublicTableXlsx({SampleRow(), SampleRow()}, 5);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");
}

TEST(FiguresTest, ExtractLeavesOutIdentitiesNotesAndReasons) {
  Case k;
  k.reference = "MINUSCA-2026-0007";
  k.mission = "MINUSCA";
  k.date_reported = "2026-03-02";
  k.category = "sexual_abuse";
  k.type = "rape";
  k.status = CaseStatus::kUnderInvestigation;
  k.victims.push_back({1, "V1", "female", "minor", 15, "unknown", 99});
  Subject subject;
  subject.personnel_category = "military_contingent";
  subject.nationality = "XA";
  subject.unit = "XABATT-3";
  subject.rank = "Sergeant";
  k.subjects.push_back(subject);
  CaseEvent status;
  status.kind = "status";
  status.from_status = "received";
  status.to_status = "under_assessment";
  status.reason = "Secret reason naming Pellora";
  status.date = "2026-03-03";
  status.username = "officer-name";
  k.timeline.push_back(status);
  CaseEvent reveal;
  reveal.kind = "victim_revealed";
  reveal.reason = "V1";
  k.timeline.push_back(reveal);
  CaseEntry entry;
  entry.kind = "interim_measure";
  entry.type = "payment_suspension";
  entry.date = "2026-03-04";
  entry.note = "Note naming Tormund";
  k.entries.push_back(entry);
  const ExtractRecord record{5, 7, "UNICEF CAR", "victim assistance referral", "chief", 0};
  const std::string json_text = json::serialize(ExtractJson(k, record));
  const std::string text = ExtractText(k, record);
  for (const std::string& output : {json_text, text}) {
    EXPECT_EQ(output.find("Pellora"), std::string::npos);
    EXPECT_EQ(output.find("Tormund"), std::string::npos);
    EXPECT_EQ(output.find("Sergeant"), std::string::npos);
    EXPECT_EQ(output.find("officer-name"), std::string::npos);
    EXPECT_EQ(output.find("victim_revealed"), std::string::npos);
    EXPECT_NE(output.find("XABATT-3"), std::string::npos);
    EXPECT_NE(output.find("UNICEF CAR"), std::string::npos);
    EXPECT_NE(output.find("payment_suspension"), std::string::npos);
  }
  EXPECT_EQ(json_text.find("\"age\""), std::string::npos);
}

// ---- The store's counts, on both engines

class FiguresStoreTest : public storage::testdb::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(
        storage::Migrate(db(), CasesStore::Migrations(), storage::InstanceKind::kProduction).ok());
  }

  // A case with subjects (category, nationality), victims (sex, age group) and status steps
  // (to_status, date).
  std::int64_t AddCase(Connection& c, const std::string& reported, const std::string& category,
                       const std::string& status,
                       const std::vector<std::pair<std::string, std::string>>& subjects,
                       const std::vector<std::pair<std::string, std::string>>& victims,
                       const std::vector<std::pair<std::string, std::string>>& steps) {
    Case k;
    k.reference = "T-" + std::to_string(++number_);
    k.mission = "MINUSCA";
    k.date_reported = reported;
    k.category = category;
    k.type = "rape";
    k.status = *ParseCaseStatus(status);
    auto id = store_.InsertCase(c, k);
    EXPECT_TRUE(id.ok());
    for (const auto& [personnel, nationality] : subjects) {
      Subject s;
      s.personnel_category = personnel;
      s.nationality = nationality;
      EXPECT_TRUE(store_.InsertSubject(c, *id, s, "", 0).ok());
    }
    for (const auto& [sex, age] : victims) {
      Victim v;
      v.pseudonym = "V";
      v.sex = sex;
      v.age_group = age;
      EXPECT_TRUE(store_.InsertVictim(c, *id, v, 0).ok());
    }
    for (const auto& [to, date] : steps) {
      CaseEvent e;
      e.kind = "status";
      e.to_status = to;
      e.date = date;
      EXPECT_TRUE(store_.InsertEvent(c, *id, e).ok());
    }
    return *id;
  }

  CasesStore store_;
  int number_ = 0;
};

TEST_P(FiguresStoreTest, CountsAllegationsPerCaseAndPerSubject) {
  auto status = db().WriteTransaction([&](Connection& c) -> Status {
    const std::int64_t a = AddCase(
        c, "2026-01-10", "sexual_abuse", "under_investigation",
        {{"military_contingent", "XA"}, {"military_contingent", "XA"}},
        {{"female", "minor"}, {"female", "adult"}},
        {{"referred_for_investigation", "2026-01-12"}, {"under_investigation", "2026-01-20"}});
    AddCase(c, "2026-01-25", "sexual_exploitation", "closed", {{"civilian_international", ""}},
            {{"female", "adult"}},
            {{"referred_for_investigation", "2026-02-01"}, {"report_received", "2026-03-03"}});
    AddCase(c, "2026-02-03", "sexual_exploitation", "received", {}, {{"male", "minor"}}, {});
    AddCase(c, "2025-12-31", "sexual_abuse", "received", {{"police_fpu", "XB"}}, {}, {});
    RuleClock met;
    met.rule = RuleId::kInvestigationCompletion;
    met.state = ClockState::kMetOnTime;
    RuleClock late_running;  // due before "now": counted overdue
    late_running.rule = RuleId::kVictimInformation;
    late_running.state = ClockState::kRunning;
    late_running.due_at = 1000;
    return store_.SaveClocks(c, a, {met, late_running});
  });
  ASSERT_TRUE(status.ok()) << status.message();

  auto counts = db().Read<FiguresCounts>(
      [&](Connection& c) { return store_.CountFigures(c, "2026-01-01", "2026-12-31", 5000); });
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->allegations, 3);
  EXPECT_EQ(counts->per_subject, 4);  // 2 + 1 + 1 (the case without subjects counts once)
  ASSERT_EQ(counts->by_month.size(), 2u);
  EXPECT_EQ(counts->by_month[0].key, "2026-01");
  EXPECT_EQ(counts->by_month[0].allegations, 2);
  EXPECT_EQ(counts->by_month[0].per_subject, 3);
  ASSERT_EQ(counts->by_personnel_category.size(), 3u);
  EXPECT_EQ(counts->by_personnel_category[0].key, "civilian_international");
  EXPECT_EQ(counts->by_personnel_category[1].key, "military_contingent");
  EXPECT_EQ(counts->by_personnel_category[1].allegations, 1);
  EXPECT_EQ(counts->by_personnel_category[1].per_subject, 2);
  EXPECT_EQ(counts->by_personnel_category[2].key, "unknown");
  ASSERT_EQ(counts->by_nationality.size(), 2u);
  EXPECT_EQ(counts->by_nationality[0].key, "XA");
  EXPECT_EQ(counts->by_nationality[1].key, "unknown");
  EXPECT_EQ(counts->by_nationality[1].allegations, 2);
  ASSERT_EQ(counts->victims.size(), 3u);
  EXPECT_EQ(counts->victims[0].sex, "female");
  EXPECT_EQ(counts->victims[0].age_group, "adult");
  EXPECT_EQ(counts->victims[0].count, 2);
  const DurationStats durations = SummariseDurations(counts->investigations);
  EXPECT_EQ(durations.completed, 1);
  EXPECT_EQ(durations.open, 1);
  EXPECT_DOUBLE_EQ(*durations.median_days, 30.0);
  const auto shares = SummariseClocks(counts->clocks);
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(shares[0].met_on_time, 1);
  EXPECT_EQ(shares[1].rule, "victim_information");
  EXPECT_EQ(shares[1].overdue, 1);

  auto open = db().Read<std::int64_t>(
      [&](Connection& c) { return store_.CountOpenCases(c, "2026-01-01", ""); });
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(*open, 2);

  auto rows = db().Read<std::vector<PublicTableRow>>(
      [&](Connection& c) { return store_.PublicTable(c, "2026-01-01", ""); });
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].personnel_category, "military_contingent");
  EXPECT_EQ((*rows)[0].subjects, 2);
  EXPECT_EQ((*rows)[0].girls, 1);
  EXPECT_EQ((*rows)[0].women, 1);
  EXPECT_FALSE((*rows)[0].investigation_days);
  EXPECT_EQ((*rows)[1].investigation_days, 30);
  EXPECT_EQ((*rows)[2].personnel_category, "unknown");
  EXPECT_EQ((*rows)[2].boys, 1);
}

// The service caches each month's counts at its revision: every write of a case bumps its
// month (through SaveClocks, which every write runs), moving the date reported bumps the month
// left too, and a month's counts say until when their running clocks stay running.
TEST_P(FiguresStoreTest, MonthRevisionsFollowWritesAndClocksSayWhenTheyFallDue) {
  std::int64_t a = 0;
  auto status = db().WriteTransaction([&](Connection& c) -> Status {
    a = AddCase(c, "2026-01-10", "sexual_abuse", "received", {}, {}, {});
    AddCase(c, "2026-02-03", "sexual_exploitation", "received", {}, {}, {});
    RuleClock soon;
    soon.rule = RuleId::kAcknowledgement;
    soon.state = ClockState::kRunning;
    soon.due_at = 9000;
    RuleClock later = soon;
    later.rule = RuleId::kVictimInformation;
    later.due_at = 20000;
    RuleClock past = soon;
    past.rule = RuleId::kAssessmentReferral;
    past.due_at = 1000;  // already overdue at 5000: changes nothing later
    return store_.SaveClocks(c, a, {soon, later, past});
  });
  ASSERT_TRUE(status.ok()) << status.message();
  using Months = std::vector<std::pair<std::string, std::int64_t>>;
  auto months = [&] {
    auto read =
        db().Read<Months>([&](Connection& c) { return store_.FigureMonths(c, "", "2026-12-31"); });
    EXPECT_TRUE(read.ok());
    return read.ok() ? *read : Months{};
  };
  // The migration's months start at 1 (none here: it ran on an empty database); a month
  // appears with the first write that touches it.
  EXPECT_EQ(months(), (Months{{"2026-01", 1}}));

  auto by_month = db().Read<std::map<std::string, MonthFigures>>(
      [&](Connection& c) { return store_.CountFiguresByMonth(c, "", "", 5000); });
  ASSERT_TRUE(by_month.ok()) << by_month.status().message();
  ASSERT_EQ(by_month->size(), 2u);
  EXPECT_EQ(by_month->at("2026-01").valid_until, 9000);
  EXPECT_EQ(by_month->at("2026-01").counts.allegations, 1);
  EXPECT_EQ(by_month->at("2026-02").valid_until, std::numeric_limits<UnixMillis>::max());

  status = db().WriteTransaction([&](Connection& c) -> Status {
    RETURN_IF_ERROR(store_.SaveClocks(c, a, {}));
    auto found = store_.FindCase(c, a);
    if (!found.ok() || !*found) return Internal("no case");
    Case moved = **found;
    moved.date_reported = "2026-03-01";
    moved.version = (*found)->version + 1;
    ASSIGN_OR_RETURN(bool written, store_.UpdateCase(c, moved, (*found)->version));
    if (!written) return Internal("not written");
    return store_.SaveClocks(c, a, {});
  });
  ASSERT_TRUE(status.ok()) << status.message();
  // January twice more (a write, then the case leaving it), March once.
  EXPECT_EQ(months(), (Months{{"2026-01", 3}, {"2026-03", 1}}));
}

PSEA_INSTANTIATE_ENGINE_TEST(FiguresStoreTest);

}  // namespace
}  // namespace psea::cases
