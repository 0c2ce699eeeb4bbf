// The progress report of a small hand-made plan, on both engines, and its CSV and XLSX forms;
// the JSON writer of the large answers (json_text.h) against Boost.JSON's serialiser.
// The fake clock stands on Tuesday 10 April 2018.
#include "modules/plan/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "modules/plan/json_text.h"
#include "storage/testing/test_databases.h"

namespace psea::plan {
namespace {

namespace fs = std::filesystem;
using security::Principal;
using security::Role;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

TEST(GoalStatusTest, AggregatesTheActivitiesOfAGoal) {
  using S = ActivityStatus;
  const struct {
    std::vector<S> activities;
    S goal;
  } cases[] = {
      {{}, S::kNotStarted},
      {{S::kNotStarted, S::kNotStarted}, S::kNotStarted},
      {{S::kNotStarted, S::kCancelled}, S::kNotStarted},
      {{S::kOnTrack}, S::kOnTrack},
      {{S::kContinuous, S::kNotStarted}, S::kOnTrack},
      {{S::kCompleted, S::kNotStarted}, S::kOnTrack},  // started, not finished
      {{S::kCompleted, S::kCompleted}, S::kCompleted},
      {{S::kCompleted, S::kCancelled}, S::kCompleted},
      {{S::kOnTrack, S::kAtRisk, S::kCompleted}, S::kAtRisk},
      {{S::kAtRisk, S::kDelayed, S::kOnTrack}, S::kDelayed},  // the worst wins
      {{S::kDelayed, S::kCompleted, S::kCompleted}, S::kDelayed},
      {{S::kNotStarted, S::kAtRisk}, S::kAtRisk},
  };
  for (const auto& c : cases) {
    std::string names;
    for (S status : c.activities) names += std::string(StatusName(status)) + " ";
    EXPECT_EQ(GoalStatus(c.activities), c.goal)
        << names << "-> " << StatusName(GoalStatus(c.activities));
  }
}

TEST(ReportTest, LabelsAnActivityLikeThePlan) {
  EXPECT_EQ(ActivityLabel("Prevention", 4, "a"), "Prevention 4 (a)");
}

Principal Officer() {
  Principal principal;
  principal.user_id = 2;
  principal.username = "officer";
  principal.role = Role::kCdtOfficer;
  return principal;
}

// Prevention 1 (partners CDT; OIOS): (a) weekly, (b) target month February, (c) delayed,
// (d) completed with a target month, (e) text that looks like a spreadsheet formula.
// Prevention 2 (VRA): (a) on track, (b) cancelled. Enforcement 1 (a partner psea does not
// know): (a) not started.
PlanDocument SmallPlan() {
  PlanDocument doc;
  doc.key = "report-test";
  doc.version = "1";
  doc.title = "Report test plan";
  doc.mission = "TEST";
  doc.period_start = MakeMonth(2018, 1);
  doc.period_end = MakeMonth(2018, 6);
  GoalDoc coordinate;
  coordinate.number = 1;
  coordinate.title = "Coordinate the response.";
  coordinate.partners = "CDT; OIOS";
  coordinate.activities = {{"a", "Hold weekly coordination meeting.", "", std::nullopt},
                           {"b", "Publish the newsletter.", "", std::nullopt},
                           {"c", "Train the staff.", "", std::nullopt},
                           {"d", "Review the SOP.", "", std::nullopt},
                           {"e", "=SUM(A1:A2) and \"quotes\"", "", std::nullopt}};
  coordinate.expected_results = {{"i", "Response coordinated."}};
  GoalDoc services;
  services.number = 2;
  services.title = "Map services.";
  services.partners = "VRA";
  services.activities = {{"a", "Map the services.", "", std::nullopt},
                         {"b", "Open a shelter.", "", std::nullopt}};
  GoalDoc report;
  report.number = 1;
  report.title = "Report.";
  report.partners = "A partner nobody knows";
  report.activities = {{"a", "Disseminate the SOP.", "", std::nullopt}};
  doc.pillars.push_back({"prevention", "Prevention", "", {coordinate, services}});
  doc.pillars.push_back({"enforcement", "Enforcement", "", {report}});
  return doc;
}

class ReportServiceTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    security::InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = security::AuditLog::Migrations();
    for (auto& m : units::UnitsService::Migrations()) migrations.push_back(m);
    for (auto& m : PlanService::Migrations()) migrations.push_back(m);
    auto migrated = storage::Migrate(db(), migrations, storage::InstanceKind::kProduction);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    evidence_dir_ =
        (fs::temp_directory_path() / ("psea_report_" + security::RandomToken(9))).string();
    units_ = std::make_unique<units::UnitsService>(db(), clock_, audit_);
    plans_ = std::make_unique<PlanService>(db(), clock_, audit_, *units_, indicators_,
                                           security::SecretBytes(security::RandomBytes(32)),
                                           evidence_dir_);
    auto summary = plans_->ImportDocument(officer_, SmallPlan(), "req-import");
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    plan_id_ = summary->id;
    auto matrix = plans_->Matrix(plan_id_, std::nullopt);
    ASSERT_TRUE(matrix.ok());
    for (const auto& pillar : matrix->plan.pillars) {
      for (const auto& goal : pillar.goals) {
        for (const auto& activity : goal.activities) {
          ids_[pillar.key + "/" + std::to_string(goal.number) + "/" + activity.letter] =
              activity.id;
        }
      }
    }
    ASSERT_EQ(ids_.size(), 8u);

    for (const char* date : {"2018-01-03", "2018-02-14", "2018-03-07", "2018-04-04"}) {
      Add("prevention/1/a", std::string(date).substr(0, 7), ActivityStatus::kOnTrack, "Met.", date);
    }
    Add("prevention/1/c", "2018-05", ActivityStatus::kAtRisk, "Planned for May.");
    Add("prevention/2/a", "2018-02", ActivityStatus::kOnTrack, "Services mapped in Bangui.");
    // Set after the entries: an entry for an activity's latest month sets its status too.
    Set("prevention/1/b", ActivityStatus::kNotStarted, {2});
    Set("prevention/1/c", ActivityStatus::kDelayed);
    Set("prevention/1/d", ActivityStatus::kCompleted, {1});
    Set("prevention/2/a", ActivityStatus::kOnTrack);
    Set("prevention/2/b", ActivityStatus::kCancelled);
  }

  void TearDown() override {
    plans_.reset();
    units_.reset();
    std::error_code ignored;
    if (!evidence_dir_.empty()) fs::remove_all(evidence_dir_, ignored);
    EngineTest::TearDown();
  }

  void Set(const std::string& path, ActivityStatus status, std::vector<int> months = {}) {
    ActivityPatch patch;
    patch.status = status;
    if (!months.empty()) patch.target_months = months;
    auto updated = plans_->UpdateActivity(officer_, ids_.at(path), patch, "r");
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  }

  void Add(const std::string& path, const std::string& month, ActivityStatus status,
           const std::string& narrative, const std::string& occurred_on = {}) {
    NewEntry entry;
    entry.month = *ParseMonth(month);
    entry.status = status;
    entry.narrative = narrative;
    entry.occurred_on = occurred_on;
    auto created = plans_->AddEntry(officer_, ids_.at(path), entry, "r");
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  PlanReport ReportOrFail(std::optional<MonthIndex> from, std::optional<MonthIndex> to) {
    auto report = plans_->Report(plan_id_, from, to);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : PlanReport{};
  }

  static const ReportActivity& Row(const PlanReport& report, const std::string& pillar_key,
                                   int goal_number, const std::string& letter) {
    for (const auto& pillar : report.pillars) {
      if (pillar.key != pillar_key) continue;
      for (const auto& goal : pillar.goals) {
        if (goal.number != goal_number) continue;
        for (const auto& row : goal.activities) {
          if (row.activity.letter == letter) return row;
        }
      }
    }
    static const ReportActivity kNone;
    ADD_FAILURE() << "no row " << pillar_key << " " << goal_number << " " << letter;
    return kNone;
  }

  FakeClock clock_{*ParseIso8601("2018-04-10T09:00:00Z")};
  security::AuditLog audit_{clock_};
  IndicatorRegistry indicators_;
  std::string evidence_dir_;
  std::unique_ptr<units::UnitsService> units_;
  std::unique_ptr<PlanService> plans_;
  const Principal officer_ = Officer();
  std::int64_t plan_id_ = 0;
  std::map<std::string, std::int64_t> ids_;
};

TEST_P(ReportServiceTest, CountsLateActivitiesAndEntriesOfTheFirstQuarter) {
  const PlanReport report = ReportOrFail(MakeMonth(2018, 1), MakeMonth(2018, 3));
  EXPECT_EQ(report.plan.id, plan_id_);
  EXPECT_EQ(report.from, MakeMonth(2018, 1));
  EXPECT_EQ(report.to, MakeMonth(2018, 3));
  EXPECT_EQ(report.activities, 8);
  // prevention/1/a is on track through its entries.
  EXPECT_EQ(report.activities_by_status, (std::map<std::string, int>{{"not_started", 3},
                                                                     {"delayed", 1},
                                                                     {"completed", 1},
                                                                     {"on_track", 2},
                                                                     {"cancelled", 1}}));
  // Entries of January to March only: three meetings and the services map.
  EXPECT_EQ(report.entries, 4);
  EXPECT_EQ(Row(report, "prevention", 1, "a").entries.size(), 3u);
  EXPECT_EQ(Row(report, "prevention", 1, "a").entry_count, 3);
  EXPECT_THAT(Row(report, "prevention", 1, "c").entries, IsEmpty());  // its entry is for May

  // Why each late activity is late.
  EXPECT_EQ(report.late, 3);
  const ReportActivity& weekly = Row(report, "prevention", 1, "a");
  ASSERT_TRUE(weekly.occurrences.has_value());
  EXPECT_EQ(weekly.occurrences->done, 3);
  EXPECT_EQ(weekly.occurrences->overdue, 10);  // 13 weeks from 1 January to 31 March
  EXPECT_THAT(weekly.late_reasons, ElementsAre("10 occurrence(s) without an entry"));
  EXPECT_EQ(weekly.months,
            (std::map<MonthIndex, ActivityStatus>{{MakeMonth(2018, 1), ActivityStatus::kOnTrack},
                                                  {MakeMonth(2018, 2), ActivityStatus::kOnTrack},
                                                  {MakeMonth(2018, 3), ActivityStatus::kOnTrack}}));
  EXPECT_THAT(Row(report, "prevention", 1, "b").late_reasons,
              ElementsAre("no entry for target month 2018-02"));
  EXPECT_THAT(Row(report, "prevention", 1, "c").late_reasons, ElementsAre("status delayed"));
  EXPECT_THAT(Row(report, "prevention", 1, "d").late_reasons, IsEmpty());  // completed
  EXPECT_THAT(Row(report, "prevention", 2, "a").late_reasons, IsEmpty());
  EXPECT_THAT(Row(report, "prevention", 2, "b").late_reasons, IsEmpty());
  EXPECT_THAT(Row(report, "enforcement", 1, "a").late_reasons, IsEmpty());
  EXPECT_FALSE(Row(report, "prevention", 1, "b").occurrences.has_value());

  ASSERT_EQ(report.pillars.size(), 2u);
  ASSERT_EQ(report.pillars[0].goals.size(), 2u);
  EXPECT_EQ(report.pillars[0].goals[0].status, ActivityStatus::kDelayed);
  EXPECT_EQ(report.pillars[0].goals[1].status, ActivityStatus::kOnTrack);
  EXPECT_EQ(report.pillars[1].goals[0].status, ActivityStatus::kNotStarted);
  EXPECT_EQ(report.pillars[0].goals[0].partners, "CDT; OIOS");
  ASSERT_EQ(report.pillars[0].goals[0].results.size(), 1u);
  EXPECT_EQ(report.pillars[0].goals[0].results[0].numeral, "i");

  // The computed indicators for the same period.
  std::map<std::string, double> values;
  for (const auto& indicator : report.indicators) {
    if (indicator.computed_value) values[indicator.key] = *indicator.computed_value;
  }
  EXPECT_DOUBLE_EQ(values["plan.activities_on_track_pct"], 42.9);  // 3 of 7 not cancelled
  EXPECT_DOUBLE_EQ(values["plan.overdue_recurring_duties"], 10);
  EXPECT_EQ(report.units.size(), 24u);
}

TEST_P(ReportServiceTest, TheLatestEntryOnlyForTheJsonReport) {
  auto report = plans_->Report(plan_id_, MakeMonth(2018, 1), MakeMonth(2018, 6),
                               /*latest_entries_only=*/true);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->entries, 6);
  const ReportActivity& weekly = Row(*report, "prevention", 1, "a");
  EXPECT_EQ(weekly.entry_count, 4);
  ASSERT_EQ(weekly.entries.size(), 1u);
  EXPECT_EQ(weekly.entries[0].occurred_on, "2018-04-04");
  EXPECT_EQ(weekly.months.size(), 4u);
  EXPECT_EQ(Row(*report, "prevention", 1, "c").entry_count, 1);
  EXPECT_THAT(Row(*report, "prevention", 1, "d").entries, IsEmpty());
  EXPECT_EQ(Row(*report, "prevention", 1, "d").entry_count, 0);
  // The same figures as the full report.
  const PlanReport full = ReportOrFail(MakeMonth(2018, 1), MakeMonth(2018, 6));
  EXPECT_EQ(full.entries, report->entries);
  EXPECT_EQ(full.late, report->late);
  EXPECT_EQ(Row(full, "prevention", 1, "a").entries.size(), 4u);
  EXPECT_EQ(Row(full, "prevention", 1, "a").entry_count, 4);
}

TEST_P(ReportServiceTest, DefaultsToThePlansPeriod) {
  const PlanReport report = ReportOrFail(std::nullopt, std::nullopt);
  EXPECT_EQ(report.from, MakeMonth(2018, 1));
  EXPECT_EQ(report.to, MakeMonth(2018, 6));
  EXPECT_EQ(report.entries, 6);
  const ReportActivity& weekly = Row(report, "prevention", 1, "a");
  ASSERT_TRUE(weekly.occurrences.has_value());
  EXPECT_EQ(weekly.occurrences->done, 4);
  EXPECT_EQ(weekly.occurrences->overdue, 10);  // 14 weeks ended before 9 April
  EXPECT_EQ(weekly.occurrences->due, 1);
  EXPECT_EQ(weekly.occurrences->upcoming, 11);
  // A target month that has not come yet is not late.
  ActivityPatch june;
  june.target_months = std::vector<int>{2, 6};
  ASSERT_TRUE(plans_->UpdateActivity(officer_, ids_.at("prevention/1/b"), june, "r").ok());
  EXPECT_THAT(Row(ReportOrFail(std::nullopt, std::nullopt), "prevention", 1, "b").late_reasons,
              ElementsAre("no entry for target month 2018-02"));

  EXPECT_TRUE(plans_->Report(plan_id_, MakeMonth(2018, 3), MakeMonth(2018, 2)).status().code() ==
              ErrorCode::kInvalidArgument);
  EXPECT_TRUE(plans_->Report(plan_id_, MakeMonth(2018, 1), MakeMonth(2028, 2)).status().code() ==
              ErrorCode::kInvalidArgument);
  EXPECT_TRUE(plans_->Report(999999, std::nullopt, std::nullopt).status().code() ==
              ErrorCode::kNotFound);
}

std::vector<std::string> CsvLines(const std::string& csv) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
    lines.push_back(csv.substr(start, end - start));
  }
  EXPECT_EQ(start, csv.size()) << "the CSV does not end with CRLF";
  return lines;
}

TEST_P(ReportServiceTest, CsvHasAHeaderAndOneRowPerActivity) {
  const std::string csv = ReportCsv(ReportOrFail(MakeMonth(2018, 1), MakeMonth(2018, 3)));
  // The UTF-8 byte order mark, for spreadsheet programs; then RFC 4180 (quotes only where a
  // comma, a quote or a line break needs them).
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const std::vector<std::string> lines = CsvLines(csv.substr(3));
  ASSERT_EQ(lines.size(), 9u);
  EXPECT_EQ(lines[0],
            "pillar,goal,goal_status,activity,activity_text,lead,support,status,frequency,"
            "2018-01,2018-02,2018-03,entries,occurrences_done,occurrences_overdue,late");
  EXPECT_EQ(lines[1],
            "Prevention,1,delayed,a,Hold weekly coordination meeting.,CDT,"
            "OIOS,on_track,weekly,on_track,on_track,on_track,3,3,10,"
            "10 occurrence(s) without an entry");
  EXPECT_EQ(lines[2],
            "Prevention,1,delayed,b,Publish the newsletter.,CDT,OIOS,"
            "not_started,none,,,,0,,,no entry for target month 2018-02");
  // A text that a spreadsheet would run as a formula is defused; quotes are doubled.
  EXPECT_THAT(lines[5], HasSubstr(",\"'=SUM(A1:A2) and \"\"quotes\"\"\","));
  EXPECT_EQ(lines[6],
            "Prevention,2,on_track,a,Map the services.,VRA,,on_track,none,,"
            "on_track,,1,,,");
  EXPECT_EQ(lines[8],
            "Enforcement,1,not_started,a,Disseminate the SOP.,,,not_started,"
            "none,,,,0,,,");
}

TEST_P(ReportServiceTest, XlsxIsAWorkbook) {
  auto bytes = ReportXlsx(ReportOrFail(std::nullopt, std::nullopt));
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 4000u);
  EXPECT_EQ(bytes->substr(0, 4), std::string("PK\x03\x04", 4));
  // The zip lists its parts by name: a workbook with three sheets.
  EXPECT_NE(bytes->find("[Content_Types].xml"), std::string::npos);
  EXPECT_NE(bytes->find("xl/workbook.xml"), std::string::npos);
  EXPECT_NE(bytes->find("xl/worksheets/sheet3.xml"), std::string::npos);
}

// The zip stores its XML deflated, so what the French workbook says (sheet names, headings,
// statuses, number and date cells) is read back by tests/programs/spreadsheets.test.mjs with
// openpyxl and LibreOffice; here, that both languages make a workbook.
TEST_P(ReportServiceTest, XlsxInFrenchAndEnglish) {
  EXPECT_TRUE(IsReportLanguage("fr"));
  EXPECT_TRUE(IsReportLanguage("en"));
  EXPECT_FALSE(IsReportLanguage("de"));
  auto english = ReportXlsx(ReportOrFail(std::nullopt, std::nullopt), "en");
  auto french = ReportXlsx(ReportOrFail(std::nullopt, std::nullopt), "fr");
  ASSERT_TRUE(english.ok() && french.ok());
  EXPECT_EQ(english->substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(french->substr(0, 4), std::string("PK\x03\x04", 4));
}

PSEA_INSTANTIATE_ENGINE_TEST(ReportServiceTest);

// The JSON report and matrix are written as text; clients and tests compare them with what
// json::serialize wrote before, so every string must come out byte for byte the same.
TEST(JsonTextTest, EscapesStringsExactlyAsBoostJson) {
  const std::string texts[] = {
      "",
      "plain",
      "quote \" and backslash \\",
      "line\nbreak\ttab\rreturn\bback\fform",
      std::string("nul \0 and \x01 \x1f unit separator", 28),
      "del \x7f and slash /",
      "UTF-8: Bangui, \xc3\xa9t\xc3\xa9, \xe2\x80\x94 \xf0\x9f\x98\x80",
      "invalid UTF-8 \xff\xfe passes through",
      "\"\"\\\n",
  };
  for (const auto& text : texts) {
    JsonText out;
    out.String(text);
    EXPECT_EQ(out.Take(), boost::json::serialize(boost::json::value(text))) << text;
  }
}

TEST(JsonTextTest, WritesDocumentsAsBoostJsonSerialisesTheirTrees) {
  JsonText out;
  out.BeginObject();
  out.Key("id").Int(-9007199254740993);
  out.Key("name").String("a \"name\"");
  out.Key("empty_object").BeginObject().EndObject();
  out.Key("empty_array").BeginArray().EndArray();
  out.Key("list").BeginArray();
  out.Int(1).Bool(true).Bool(false).Null();
  out.BeginObject().Key("nested").BeginArray().String("x").EndArray().EndObject();
  out.Value(boost::json::value(2.5));
  out.EndArray();
  out.Key("last").Value(boost::json::object{{"value", 0.1}, {"period", "computed"}});
  out.EndObject();
  const boost::json::value tree = {
      {"id", -9007199254740993},
      {"name", "a \"name\""},
      {"empty_object", boost::json::object()},
      {"empty_array", boost::json::array()},
      {"list", boost::json::array{1, true, false, nullptr,
                                  boost::json::object{{"nested", boost::json::array{"x"}}}, 2.5}},
      {"last", boost::json::object{{"value", 0.1}, {"period", "computed"}}}};
  EXPECT_EQ(out.Take(), boost::json::serialize(tree));
}

}  // namespace
}  // namespace psea::plan
