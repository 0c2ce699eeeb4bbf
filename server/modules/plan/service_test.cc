// The plan service on both engines, built as server/app/app.cc builds it, with a fake clock
// standing on 15 March 2018 (inside the MINUSCA plan's period), a temporary evidence folder
// and a random server key.
#include "modules/plan/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "modules/plan/plan_file.h"
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
using ::testing::Not;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

std::string MinuscaPlanText() {
  return storage::testdb::ReadFileBytes(std::string(PSEA_SOURCE_DIR) +
                                        "/data/plans/minusca-sea-2018-2019.yaml");
}

// `text` with `from` replaced by `to` once; fails the test when `from` is missing.
std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

Principal User(std::int64_t id, const std::string& username, Role role) {
  Principal principal;
  principal.kind = Principal::Kind::kUser;
  principal.user_id = id;
  principal.username = username;
  principal.role = role;
  return principal;
}

// Succeeds when `result` failed with `code` (and `field`, when given).
template <typename R>
::testing::AssertionResult Fails(const R& result, ErrorCode code, const std::string& field = {}) {
  const Status& status = psea::internal::GetStatus(result);
  if (status.ok()) return ::testing::AssertionFailure() << "succeeded";
  if (status.code() != code) return ::testing::AssertionFailure() << status.ToString();
  if (!field.empty() && status.field() != field) {
    return ::testing::AssertionFailure() << "field " << status.field() << ": " << status.ToString();
  }
  return ::testing::AssertionSuccess();
}

NewEntry MakeEntry(const char* month, ActivityStatus status, std::string narrative,
                   std::string occurred_on = {}) {
  NewEntry entry;
  entry.month = *ParseMonth(month);
  entry.status = status;
  entry.narrative = std::move(narrative);
  entry.occurred_on = std::move(occurred_on);
  return entry;
}

std::vector<std::int64_t> Ids(const std::vector<ActivityRow>& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.activity.id);
  return ids;
}

class PlanServiceTest : public storage::testdb::EngineTest {
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
        (fs::temp_directory_path() / ("psea_evidence_" + security::RandomToken(9))).string();
    units_ = std::make_unique<units::UnitsService>(db(), clock_, audit_);
    plans_ = MakePlanService(db(), *units_, indicators_);
  }

  void TearDown() override {
    plans_.reset();
    units_.reset();
    std::error_code ignored;
    if (!evidence_dir_.empty()) fs::remove_all(evidence_dir_, ignored);
    EngineTest::TearDown();
  }

  std::unique_ptr<PlanService> MakePlanService(storage::Database& database,
                                               units::UnitsService& units,
                                               IndicatorRegistry& indicators) {
    return std::make_unique<PlanService>(database, clock_, audit_, units, indicators,
                                         security::SecretBytes(server_key_), evidence_dir_);
  }

  PlanSummary ImportMinusca() {
    auto summary = plans_->Import(officer_, MinuscaPlanText(), "req-import");
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? *summary : PlanSummary{};
  }

  Plan LoadPlan(std::int64_t plan_id) {
    auto matrix = plans_->Matrix(plan_id, std::nullopt);
    EXPECT_TRUE(matrix.ok()) << matrix.status().ToString();
    return matrix.ok() ? matrix->plan : Plan{};
  }

  // The activity "pillar_key goal (letter)" of a loaded plan.
  static Activity Find(const Plan& plan, const std::string& pillar_key, int goal_number,
                       const std::string& letter) {
    for (const auto& pillar : plan.pillars) {
      if (pillar.key != pillar_key) continue;
      for (const auto& goal : pillar.goals) {
        if (goal.number != goal_number) continue;
        for (const auto& activity : goal.activities) {
          if (activity.letter == letter) return activity;
        }
      }
    }
    ADD_FAILURE() << "no activity " << pillar_key << " " << goal_number << " (" << letter << ")";
    return Activity{};
  }

  std::int64_t UnitId(const std::string& code) {
    auto list = units_->List();
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok()) {
      for (const auto& unit : *list) {
        if (unit.code == code) return unit.id;
      }
    }
    ADD_FAILURE() << "no unit " << code;
    return 0;
  }

  // Makes `user` the only focal point of the units `codes` (and of no other unit).
  void MakeFocalPoint(const Principal& user, const std::vector<std::string>& codes) {
    auto list = units_->List();
    ASSERT_TRUE(list.ok());
    for (const auto& unit : *list) {
      const bool wanted = std::count(codes.begin(), codes.end(), unit.code) > 0;
      bool has = false;
      for (const auto& point : unit.focal_points) has = has || point.user_id == user.user_id;
      if (wanted == has) continue;
      units::UnitPatch patch;
      patch.focal_points.emplace();
      for (const auto& point : unit.focal_points) {
        if (point.user_id != user.user_id) patch.focal_points->push_back(point);
      }
      if (wanted) patch.focal_points->push_back({user.user_id, user.username, user.username});
      auto updated = units_->Update(admin_, unit.id, patch, "req-units");
      ASSERT_TRUE(updated.ok()) << updated.status().ToString();
    }
  }

  Entry AddEntryOrFail(const Principal& actor, std::int64_t activity_id, const NewEntry& entry) {
    auto created = plans_->AddEntry(actor, activity_id, entry, "req-entry");
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : Entry{};
  }

  Activity UpdateOrFail(std::int64_t activity_id, const ActivityPatch& patch) {
    auto updated = plans_->UpdateActivity(officer_, activity_id, patch, "req-update");
    EXPECT_TRUE(updated.ok()) << updated.status().ToString();
    return updated.ok() ? *updated : Activity{};
  }

  void SetStatus(std::int64_t activity_id, ActivityStatus status) {
    ActivityPatch patch;
    patch.status = status;
    UpdateOrFail(activity_id, patch);
  }

  std::int64_t CountRows(const std::string& table) {
    auto count = db().Read<std::int64_t>([&](storage::Connection& c) -> Result<std::int64_t> {
      ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM " + table));
      return row->Int(0);
    });
    EXPECT_TRUE(count.ok()) << count.status().ToString();
    return count.ok() ? *count : -1;
  }

  std::map<std::string, std::int64_t> RowCounts() {
    std::map<std::string, std::int64_t> counts;
    for (const char* table :
         {"plans", "plan_pillars", "plan_goals", "plan_activities", "plan_activity_units",
          "plan_results", "plan_entries", "plan_evidence", "audit_log"}) {
      counts[table] = CountRows(table);
    }
    return counts;
  }

  std::vector<security::AuditEntry> AuditEntries(const std::string& action) {
    auto entries = db().Read<std::vector<security::AuditEntry>>([&](storage::Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      filter.limit = 1000;
      return security::AuditLog::Query(c, filter);
    });
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    return entries.ok() ? *entries : std::vector<security::AuditEntry>{};
  }

  void ExpectAuditChainIntact() {
    auto verification = security::AuditLog::Verify(db());
    ASSERT_TRUE(verification.ok()) << verification.status().ToString();
    EXPECT_TRUE(verification->ok) << verification->problem << " at " << verification->first_bad_id;
    EXPECT_EQ(verification->entries_checked, CountRows("audit_log"));
  }

  std::string EvidencePath(std::int64_t evidence_id) const {
    return (fs::path(evidence_dir_) / (std::to_string(evidence_id) + ".enc")).string();
  }

  FakeClock clock_{*ParseIso8601("2018-03-15T10:00:00Z")};
  security::AuditLog audit_{clock_};
  IndicatorRegistry indicators_;
  std::string server_key_ = security::RandomBytes(32);
  std::string evidence_dir_;
  std::unique_ptr<units::UnitsService> units_;
  std::unique_ptr<PlanService> plans_;

  const Principal admin_ = User(1, "admin", Role::kAdmin);
  const Principal officer_ = User(2, "officer", Role::kCdtOfficer);
  const Principal partner_ = User(3, "partner", Role::kPartnerFocalPoint);
  const Principal leadership_ = User(4, "leader", Role::kLeadership);
};

TEST_P(PlanServiceTest, ImportMatchesPartnersToUnits) {
  const PlanSummary summary = ImportMinusca();
  EXPECT_GT(summary.id, 0);
  EXPECT_EQ(summary.key, "minusca-sea");
  EXPECT_EQ(summary.version, "2018-2019");
  EXPECT_EQ(summary.version_number, 1);
  EXPECT_TRUE(summary.latest);
  EXPECT_EQ(summary.mission, "MINUSCA");
  EXPECT_EQ(summary.period_start, MakeMonth(2018, 1));
  EXPECT_EQ(summary.period_end, MakeMonth(2019, 12));
  EXPECT_EQ(summary.imported_by, "officer");
  EXPECT_EQ(summary.imported_at, clock_.Now());

  // Partner names that match no unit are listed once each, as written.
  EXPECT_THAT(summary.unmatched_partners, Not(IsEmpty()));
  const std::set<std::string> distinct(summary.unmatched_partners.begin(),
                                       summary.unmatched_partners.end());
  EXPECT_EQ(distinct.size(), summary.unmatched_partners.size());
  EXPECT_THAT(summary.unmatched_partners, Contains("GBV working group"));
  EXPECT_THAT(summary.unmatched_partners, Not(Contains("CDT")));
  EXPECT_THAT(summary.unmatched_partners, Not(Contains("etc")));

  const Plan plan = LoadPlan(summary.id);
  EXPECT_EQ(plan.context.substr(0, 28), "This Action Plan is designed");
  EXPECT_EQ(plan.principles.size(), 6u);
  ASSERT_EQ(plan.pillars.size(), 3u);
  std::size_t goals = 0, activities = 0, results = 0;
  for (const auto& pillar : plan.pillars) {
    for (const auto& goal : pillar.goals) {
      ++goals;
      results += goal.results.size();
      for (const auto& activity : goal.activities) {
        ++activities;
        EXPECT_EQ(activity.status, ActivityStatus::kNotStarted);
        EXPECT_TRUE(activity.target_months.empty());
        EXPECT_EQ(activity.plan_id, summary.id);
        EXPECT_EQ(activity.goal_id, goal.id);
      }
    }
  }
  EXPECT_EQ(goals, 12u);
  EXPECT_EQ(activities, 62u);
  EXPECT_EQ(results, 38u);

  // The first unit a goal names leads its activities, the others support them.
  const Activity communication = Find(plan, "prevention", 1, "a");
  EXPECT_THAT(communication.lead_unit_ids, ElementsAre(UnitId("HOM")));
  EXPECT_THAT(communication.support_unit_ids, Contains(UnitId("SCPI")));
  EXPECT_THAT(communication.support_unit_ids, Contains(UnitId("CDT")));
  EXPECT_THAT(communication.support_unit_ids, Contains(UnitId("UNCT")));
  const Activity force_meeting = Find(plan, "prevention", 4, "a");
  EXPECT_THAT(force_meeting.lead_unit_ids, ElementsAre(UnitId("FORCE")));
  EXPECT_THAT(force_meeting.support_unit_ids, ElementsAre(UnitId("POLICE")));
  const Activity victims = Find(plan, "remedial_action", 1, "a");
  EXPECT_THAT(victims.lead_unit_ids, ElementsAre(UnitId("VRA")));
  EXPECT_THAT(victims.support_unit_ids, Contains(UnitId("OIOS")));
  EXPECT_THAT(victims.support_unit_ids, Contains(UnitId("HOM")));
  const Activity task_force = Find(plan, "prevention", 3, "a");
  EXPECT_THAT(task_force.lead_unit_ids, ElementsAre(UnitId("CDT")));
  EXPECT_THAT(task_force.support_unit_ids, Contains(UnitId("HOM")));

  // Frequencies come from the wording.
  const struct {
    const char* pillar;
    int goal;
    const char* letter;
    Frequency frequency;
  } frequencies[] = {
      {"prevention", 1, "a", Frequency::kNone},
      {"prevention", 1, "c", Frequency::kQuarterly},
      {"prevention", 1, "d", Frequency::kPerEvent},
      {"prevention", 1, "f", Frequency::kPerEvent},
      {"prevention", 1, "h", Frequency::kWeekly},
      {"prevention", 4, "a", Frequency::kWeekly},
      {"prevention", 4, "b", Frequency::kMonthly},
      {"prevention", 6, "f", Frequency::kWeekly},
      {"prevention", 6, "i", Frequency::kBiannual},
      {"enforcement", 3, "e", Frequency::kBiweekly},
      {"remedial_action", 1, "a", Frequency::kMonthly},
      // Not from the wording: the plan file says so (the goal's "Monthly meetings to be held.").
      {"prevention", 3, "a", Frequency::kMonthly},
      {"prevention", 3, "b", Frequency::kNone},
  };
  for (const auto& f : frequencies) {
    EXPECT_EQ(Find(plan, f.pillar, f.goal, f.letter).frequency, f.frequency)
        << f.pillar << " " << f.goal << " (" << f.letter << ")";
  }

  const auto audit = AuditEntries("plan.import");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].event.object_id, std::to_string(summary.id));
  EXPECT_EQ(audit[0].event.actor, "officer");
  EXPECT_EQ(audit[0].event.request_id, "req-import");
  EXPECT_THAT(audit[0].event.details, HasSubstr("\"key\":\"minusca-sea\""));
}

TEST_P(PlanServiceTest, ASecondPillarFilterFindsTheVictimAssistanceUnderEnforcement) {
  const PlanSummary summary = ImportMinusca();
  const Plan plan = LoadPlan(summary.id);
  for (const char* letter : {"e", "f", "g", "h", "i", "j"}) {
    EXPECT_EQ(Find(plan, "enforcement", 5, letter).second_pillar, "remedial_action") << letter;
  }
  EXPECT_EQ(Find(plan, "enforcement", 5, "d").second_pillar, "");
  EXPECT_EQ(Find(plan, "remedial_action", 1, "a").second_pillar, "");

  auto remedial = plans_->Matrix(summary.id, std::nullopt, std::string("remedial_action"));
  ASSERT_TRUE(remedial.ok()) << remedial.status().ToString();
  std::vector<std::string> found;
  for (const auto& pillar : remedial->plan.pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& activity : goal.activities)
        found.push_back(pillar.key + " " + std::to_string(goal.number) + activity.letter);
    }
  }
  EXPECT_THAT(found,
              ElementsAre("enforcement 5e", "enforcement 5f", "enforcement 5g", "enforcement 5h",
                          "enforcement 5i", "enforcement 5j", "remedial_action 1a",
                          "remedial_action 1b", "remedial_action 1c", "remedial_action 1d"));
  // The goal keeps its title and results; the other pillars and goals are left out.
  ASSERT_EQ(remedial->plan.pillars.size(), 2u);
  EXPECT_EQ(remedial->plan.pillars[0].goals.size(), 1u);
  EXPECT_EQ(remedial->plan.pillars[0].goals[0].results.size(), 2u);

  // Enforcement still has all of goal 5; Prevention none of it.
  auto enforcement = plans_->Matrix(summary.id, std::nullopt, std::string("enforcement"));
  ASSERT_TRUE(enforcement.ok());
  ASSERT_EQ(enforcement->plan.pillars.size(), 1u);
  EXPECT_EQ(enforcement->plan.pillars[0].goals.back().activities.size(), 10u);
  auto prevention = plans_->Matrix(summary.id, std::nullopt, std::string("prevention"));
  ASSERT_TRUE(prevention.ok());
  ASSERT_EQ(prevention->plan.pillars.size(), 1u);
  EXPECT_EQ(prevention->plan.pillars[0].key, "prevention");

  auto bad = plans_->Matrix(summary.id, std::nullopt, std::string("victims"));
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.status().field(), "pillar");
}

TEST_P(PlanServiceTest, IllegibleFragmentsAndTheMonthlyTaskForceAreStored) {
  const PlanSummary summary = ImportMinusca();
  const Plan plan = LoadPlan(summary.id);
  const Goal& victim_centred = plan.pillars[2].goals[0];
  EXPECT_EQ(victim_centred.title, "Design a victim-centered [illegible]");
  ASSERT_FALSE(victim_centred.results.empty());
  EXPECT_EQ(victim_centred.results[0].numeral, "i");
  EXPECT_EQ(victim_centred.results[0].text, "[illegible]");
  EXPECT_EQ(plan.pillars[0].goals[2].results[1].text, "Relevant information, [illegible]");

  const Activity task_force = Find(plan, "prevention", 3, "a");
  auto detail = plans_->GetActivity(task_force.id);
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ(detail->activity.frequency, Frequency::kMonthly);
  ASSERT_EQ(detail->occurrences.size(), 24u);
  int in_2018 = 0;
  for (const auto& occurrence : detail->occurrences) in_2018 += occurrence.start < "2019";
  EXPECT_EQ(in_2018, 12);
}

TEST_P(PlanServiceTest, ImportingTheSameVersionAgainConflictsAndWritesNothing) {
  ImportMinusca();
  const auto before = RowCounts();
  clock_.Advance(kMinute);
  auto again = plans_->Import(officer_, MinuscaPlanText(), "req-again");
  EXPECT_TRUE(Fails(again, ErrorCode::kConflict, "version"));
  EXPECT_EQ(RowCounts(), before);
  auto list = plans_->List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_P(PlanServiceTest, ABadFileWritesNothing) {
  const std::string good = MinuscaPlanText();
  // A duplicate letter in goal 4 of Prevention, far down the file.
  const std::string bad =
      Replace(good, "          - letter: b\n            text: \"Hold monthly meetings",
              "          - letter: a\n            text: \"Hold monthly meetings");
  const auto empty = RowCounts();
  auto refused = plans_->Import(officer_, bad, "req-bad");
  EXPECT_TRUE(
      Fails(refused, ErrorCode::kUnprocessable, "pillars[0].goals[3].activities[1].letter"));
  EXPECT_THAT(refused.status().message(), StartsWith("line "));
  EXPECT_EQ(RowCounts(), empty);

  // Also next to an existing plan, as a would-be second version.
  ImportMinusca();
  const auto before = RowCounts();
  refused = plans_->Import(officer_, Replace(bad, "version: \"2018-2019\"", "version: \"2020\""),
                           "req-bad");
  EXPECT_TRUE(Fails(refused, ErrorCode::kUnprocessable));
  refused = plans_->Import(officer_, "format: psea-plan/1\nkey: [unclosed\n", "req-bad");
  EXPECT_TRUE(Fails(refused, ErrorCode::kUnprocessable, "(document)"));
  EXPECT_EQ(RowCounts(), before);
}

TEST_P(PlanServiceTest, ASecondVersionIsDiffedAgainstTheFirst) {
  const PlanSummary v1 = ImportMinusca();
  auto doc = ParsePlanFile(MinuscaPlanText());
  ASSERT_TRUE(doc.ok());
  doc->version = "2018-2019 rev. 1";
  GoalDoc& communication = doc->pillars[0].goals[0];
  ASSERT_EQ(communication.activities.back().letter, "i");
  communication.activities.front().text =
      "Review, update and translate the SEA communication strategy.";
  communication.activities.pop_back();
  ASSERT_EQ(doc->pillars[1].goals[3].activities.size(), 2u);
  doc->pillars[1].goals[3].activities.push_back(
      {"c", "Publish the sanctions taken.", "", std::nullopt});
  clock_.Advance(kDay);
  auto v2 = plans_->ImportDocument(officer_, *doc, "req-v2");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version_number, 2);
  EXPECT_EQ(v2->key, v1.key);
  EXPECT_TRUE(v2->latest);

  auto list = plans_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  for (const auto& plan : *list) EXPECT_EQ(plan.latest, plan.id == v2->id) << plan.version;
  auto first = plans_->Summary(v1.id);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->latest);
  for (std::int64_t id : {v1.id, v2->id}) {
    auto versions = plans_->Versions(id);
    ASSERT_TRUE(versions.ok());
    ASSERT_EQ(versions->size(), 2u);
    EXPECT_EQ((*versions)[0].id, v1.id);
    EXPECT_EQ((*versions)[1].id, v2->id);
  }

  auto describe = [](const std::vector<PlanChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes) {
      out.push_back(c.kind + " " + c.path + " " + c.field + ": " + c.before + " -> " + c.after);
    }
    return out;
  };
  auto changes = plans_->Diff(v2->id, v1.id);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  // Activity (i) is gone although the goal still has a result (i): results have paths of
  // their own.
  EXPECT_THAT(describe(*changes),
              UnorderedElementsAre(
                  "changed prevention/1/a text: Review and update SEA communication strategy. -> "
                  "Review, update and translate the SEA communication strategy.",
                  "removed prevention/1/i : Issue anti SEA SMS messages through local mobile "
                  "providers. -> ",
                  "added enforcement/4/c :  -> Publish the sanctions taken."));
  auto backwards = plans_->Diff(v1.id, v2->id);
  ASSERT_TRUE(backwards.ok());
  EXPECT_THAT(describe(*backwards),
              UnorderedElementsAre(
                  "changed prevention/1/a text: Review, update and translate the SEA "
                  "communication strategy. -> Review and update SEA communication strategy.",
                  "added prevention/1/i :  -> Issue anti SEA SMS messages through local mobile "
                  "providers.",
                  "removed enforcement/4/c : Publish the sanctions taken. -> "));
  auto same = plans_->Diff(v1.id, v1.id);
  ASSERT_TRUE(same.ok());
  EXPECT_THAT(*same, IsEmpty());

  // A changed expected result and a removed goal are found too.
  doc->version = "2018-2019 rev. 2";
  doc->pillars[0].goals[0].expected_results[0].text = "Standards known.";
  doc->pillars[1].goals.pop_back();
  auto v3 = plans_->ImportDocument(officer_, *doc, "req-v3");
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();
  EXPECT_EQ(v3->version_number, 3);
  changes = plans_->Diff(v3->id, v2->id);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(describe(*changes),
              Contains("changed prevention/1/results/i text: Expected standards of conduct known "
                       "by MINUSCA, its partners and communities. -> Standards known."));
  EXPECT_THAT(describe(*changes),
              Contains(StartsWith("removed enforcement/5 : Ensure commitment by all managers")));
  EXPECT_THAT(describe(*changes), Contains(StartsWith("removed enforcement/5/j : ")));

  // Plans with different keys are not versions of each other.
  auto other = ParsePlanFile(MinuscaPlanText());
  ASSERT_TRUE(other.ok());
  other->key = "another-plan";
  auto unrelated = plans_->ImportDocument(officer_, *other, "req-other");
  ASSERT_TRUE(unrelated.ok());
  EXPECT_EQ(unrelated->version_number, 1);
  EXPECT_TRUE(Fails(plans_->Diff(unrelated->id, v1.id), ErrorCode::kUnprocessable, "against"));
  EXPECT_TRUE(Fails(plans_->Diff(v1.id, 999999), ErrorCode::kNotFound));
  EXPECT_TRUE(Fails(plans_->Versions(999999), ErrorCode::kNotFound));
}

TEST_P(PlanServiceTest, UpdateActivityChangesTracking) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity activity = Find(plan, "enforcement", 1, "a");
  ActivityPatch patch;
  patch.status = ActivityStatus::kOnTrack;
  patch.frequency = Frequency::kMonthly;
  patch.target_months = std::vector<int>{10, 3, 6};
  patch.lead_unit_ids = std::vector<std::int64_t>{UnitId("CDT")};
  patch.support_unit_ids = std::vector<std::int64_t>{UnitId("OIOS"), UnitId("CDT"), UnitId("SIU")};
  clock_.Advance(kMinute);
  Activity updated = UpdateOrFail(activity.id, patch);
  EXPECT_EQ(updated.id, activity.id);
  EXPECT_EQ(updated.status, ActivityStatus::kOnTrack);
  EXPECT_EQ(updated.frequency, Frequency::kMonthly);
  EXPECT_EQ(updated.target_months, (std::vector<int>{3, 6, 10}));
  EXPECT_THAT(updated.lead_unit_ids, ElementsAre(UnitId("CDT")));
  // A unit is either lead or support: the lead role wins.
  EXPECT_THAT(updated.support_unit_ids, ElementsAre(UnitId("OIOS"), UnitId("SIU")));
  EXPECT_EQ(updated.updated_at, clock_.Now());
  EXPECT_EQ(updated.text, activity.text);

  // Fields left out of a patch keep their values.
  ActivityPatch only_status;
  only_status.status = ActivityStatus::kAtRisk;
  updated = UpdateOrFail(activity.id, only_status);
  EXPECT_EQ(updated.status, ActivityStatus::kAtRisk);
  EXPECT_EQ(updated.frequency, Frequency::kMonthly);
  EXPECT_EQ(updated.target_months, (std::vector<int>{3, 6, 10}));
  EXPECT_THAT(updated.lead_unit_ids, ElementsAre(UnitId("CDT")));
  EXPECT_THAT(updated.support_unit_ids, ElementsAre(UnitId("OIOS"), UnitId("SIU")));
  ActivityPatch only_lead;
  only_lead.lead_unit_ids = std::vector<std::int64_t>{UnitId("VRA")};
  updated = UpdateOrFail(activity.id, only_lead);
  EXPECT_THAT(updated.lead_unit_ids, ElementsAre(UnitId("VRA")));
  EXPECT_THAT(updated.support_unit_ids, ElementsAre(UnitId("OIOS"), UnitId("SIU")));
  ActivityPatch no_months;
  no_months.target_months = std::vector<int>{};
  EXPECT_THAT(UpdateOrFail(activity.id, no_months).target_months, IsEmpty());

  // Refused patches change nothing.
  const auto before = RowCounts();
  ActivityPatch unknown_lead;
  unknown_lead.status = ActivityStatus::kCompleted;
  unknown_lead.lead_unit_ids = std::vector<std::int64_t>{999999};
  EXPECT_TRUE(Fails(plans_->UpdateActivity(officer_, activity.id, unknown_lead, "r"),
                    ErrorCode::kUnprocessable, "lead_unit_ids"));
  ActivityPatch unknown_support;
  unknown_support.support_unit_ids = std::vector<std::int64_t>{UnitId("CDT"), 999999};
  EXPECT_TRUE(Fails(plans_->UpdateActivity(officer_, activity.id, unknown_support, "r"),
                    ErrorCode::kUnprocessable, "support_unit_ids"));
  for (const std::vector<int>& months :
       {std::vector<int>{13}, std::vector<int>{0}, std::vector<int>{3, 3}}) {
    ActivityPatch bad_months;
    bad_months.target_months = months;
    EXPECT_TRUE(Fails(plans_->UpdateActivity(officer_, activity.id, bad_months, "r"),
                      ErrorCode::kInvalidArgument, "target_months"));
  }
  EXPECT_TRUE(
      Fails(plans_->UpdateActivity(officer_, 999999, only_status, "r"), ErrorCode::kNotFound));
  EXPECT_EQ(RowCounts(), before);
  auto detail = plans_->GetActivity(activity.id);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->activity.status, ActivityStatus::kAtRisk);
  EXPECT_EQ(detail->pillar_key, "enforcement");
  EXPECT_EQ(detail->goal_number, 1);
  EXPECT_EQ(detail->plan.id, plan.summary.id);

  const auto audit = AuditEntries("plan.activity.update");
  ASSERT_EQ(audit.size(), 4u);
  EXPECT_EQ(audit.back().event.object_id, std::to_string(activity.id));  // oldest last
  EXPECT_EQ(audit.back().event.details,
            "{\"fields\":[\"status\",\"frequency\",\"target_months\",\"units\"]}");
  ExpectAuditChainIntact();
}

TEST_P(PlanServiceTest, AddEntryChecksMonthsDatesCorrectionsAndVersions) {
  const PlanSummary v1 = ImportMinusca();
  const Plan plan = LoadPlan(v1.id);
  const Activity induction = Find(plan, "prevention", 2, "a");
  const Activity refresher = Find(plan, "prevention", 2, "c");

  NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack,
                             "Induction session for 40 new personnel.", "2018-03-12");
  entry.links = {{"https://example.org/induction", "Attendance list"}};
  const Entry created = AddEntryOrFail(officer_, induction.id, entry);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.activity_id, induction.id);
  EXPECT_EQ(created.month, MakeMonth(2018, 3));
  EXPECT_EQ(created.occurred_on, "2018-03-12");
  EXPECT_EQ(created.status, ActivityStatus::kOnTrack);
  EXPECT_EQ(created.narrative, "Induction session for 40 new personnel.");
  EXPECT_EQ(created.author, "officer");
  EXPECT_EQ(created.created_at, clock_.Now());
  EXPECT_FALSE(created.corrects.has_value());
  ASSERT_EQ(created.evidence.size(), 1u);
  EXPECT_EQ(created.evidence[0].kind, "link");
  EXPECT_EQ(created.evidence[0].url, "https://example.org/induction");
  EXPECT_EQ(created.evidence[0].title, "Attendance list");
  EXPECT_EQ(created.evidence[0].entry_id, created.id);

  const Entry other_activity_entry = AddEntryOrFail(
      officer_, refresher.id, MakeEntry("2018-02", ActivityStatus::kAtRisk, "Postponed."));

  const auto before = RowCounts();
  EXPECT_TRUE(
      Fails(plans_->AddEntry(officer_, induction.id,
                             MakeEntry("2017-12", ActivityStatus::kOnTrack, "Too early."), "r"),
            ErrorCode::kUnprocessable, "month"));
  EXPECT_TRUE(
      Fails(plans_->AddEntry(officer_, induction.id,
                             MakeEntry("2020-01", ActivityStatus::kOnTrack, "Too late."), "r"),
            ErrorCode::kUnprocessable, "month"));
  EXPECT_TRUE(Fails(
      plans_->AddEntry(
          officer_, induction.id,
          MakeEntry("2018-03", ActivityStatus::kOnTrack, "Another month.", "2018-04-02"), "r"),
      ErrorCode::kUnprocessable, "occurred_on"));
  EXPECT_TRUE(Fails(
      plans_->AddEntry(officer_, induction.id,
                       MakeEntry("2018-02", ActivityStatus::kOnTrack, "No such day.", "2018-02-30"),
                       "r"),
      ErrorCode::kInvalidArgument, "occurred_on"));
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, induction.id,
                                     MakeEntry("2018-03", ActivityStatus::kOnTrack, " \n "), "r"),
                    ErrorCode::kInvalidArgument, "narrative"));
  NewEntry bad_link = MakeEntry("2018-03", ActivityStatus::kOnTrack, "Link.");
  bad_link.links = {{"javascript:alert(1)", "x"}};
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, induction.id, bad_link, "r"),
                    ErrorCode::kInvalidArgument, "links"));
  NewEntry wrong_correction = MakeEntry("2018-02", ActivityStatus::kOnTrack, "Correction.");
  wrong_correction.corrects = other_activity_entry.id;
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, induction.id, wrong_correction, "r"),
                    ErrorCode::kUnprocessable, "corrects"));
  wrong_correction.corrects = 999999;
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, induction.id, wrong_correction, "r"),
                    ErrorCode::kUnprocessable, "corrects"));
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, 999999, entry, "r"), ErrorCode::kNotFound));
  EXPECT_TRUE(
      Fails(plans_->AddEntry(leadership_, induction.id, entry, "r"), ErrorCode::kPermissionDenied));
  EXPECT_EQ(RowCounts(), before);

  // Once a newer version exists, progress goes to it.
  const std::string text =
      Replace(MinuscaPlanText(), "version: \"2018-2019\"", "version: \"2018-2019 rev. 1\"");
  auto v2 = plans_->Import(officer_, text, "req-v2");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, induction.id, entry, "r"), ErrorCode::kUnprocessable,
                    "activity"));
  const Activity induction_v2 = Find(LoadPlan(v2->id), "prevention", 2, "a");
  EXPECT_NE(induction_v2.id, induction.id);
  AddEntryOrFail(officer_, induction_v2.id, entry);

  auto history = plans_->ListEntries(induction.id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().id, created.id);
  EXPECT_TRUE(Fails(plans_->ListEntries(999999), ErrorCode::kNotFound));
}

// Each engine builds the month grid its own way (PostgreSQL aggregates it, twelve months to a
// column, and reads activities with corrections entry by entry): the grid, the counts and the
// latest entries must not depend on it, over a period of more than one column.
TEST_P(PlanServiceTest, TheMonthGridShowsEachMonthsLatestEntry) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity corrected = Find(plan, "prevention", 3, "a");
  const Activity plain = Find(plan, "prevention", 1, "b");
  const Activity single = Find(plan, "prevention", 2, "a");
  using S = ActivityStatus;
  const std::vector<std::pair<const char*, S>> corrected_entries = {
      {"2018-01", S::kOnTrack},    {"2018-05", S::kAtRisk},     {"2018-05", S::kDelayed},
      {"2018-12", S::kCompleted},  {"2019-01", S::kContinuous}, {"2019-12", S::kCancelled},
      {"2019-12", S::kNotStarted}, {"2018-05", S::kOnTrack}};
  for (const auto& [month, status] : corrected_entries) {
    AddEntryOrFail(officer_, corrected.id, MakeEntry(month, status, "Progress."));
  }
  for (const auto& [month, status] : std::vector<std::pair<const char*, S>>{
           {"2018-03", S::kDelayed}, {"2018-12", S::kAtRisk}, {"2019-02", S::kCompleted}}) {
    AddEntryOrFail(officer_, plain.id, MakeEntry(month, status, "Progress."));
  }
  const Entry only = AddEntryOrFail(officer_, single.id, MakeEntry("2019-06", S::kOnTrack, "Met."));

  auto report = plans_->Report(plan.summary.id, MakeMonth(2018, 1), MakeMonth(2019, 12), true);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::map<std::int64_t, const ReportActivity*> rows;
  for (const auto& pillar : report->pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& row : goal.activities) rows[row.activity.id] = &row;
    }
  }
  using Months = std::map<MonthIndex, ActivityStatus>;
  EXPECT_EQ(rows.at(corrected.id)->months, (Months{{MakeMonth(2018, 1), S::kOnTrack},
                                                   {MakeMonth(2018, 5), S::kOnTrack},
                                                   {MakeMonth(2018, 12), S::kCompleted},
                                                   {MakeMonth(2019, 1), S::kContinuous},
                                                   {MakeMonth(2019, 12), S::kNotStarted}}));
  EXPECT_EQ(rows.at(corrected.id)->entry_count, 8);
  ASSERT_EQ(rows.at(corrected.id)->entries.size(), 1u);
  EXPECT_EQ(rows.at(corrected.id)->entries.back().month, MakeMonth(2018, 5));  // added last
  EXPECT_EQ(rows.at(plain.id)->months, (Months{{MakeMonth(2018, 3), S::kDelayed},
                                               {MakeMonth(2018, 12), S::kAtRisk},
                                               {MakeMonth(2019, 2), S::kCompleted}}));
  EXPECT_EQ(rows.at(plain.id)->entry_count, 3);
  EXPECT_EQ(rows.at(single.id)->months, (Months{{MakeMonth(2019, 6), S::kOnTrack}}));
  ASSERT_EQ(rows.at(single.id)->entries.size(), 1u);
  EXPECT_EQ(rows.at(single.id)->entries.back().id, only.id);
  EXPECT_EQ(report->entries, 12);

  // A period that starts mid-year and ends mid-year, as the month grid of one year.
  auto part = plans_->Report(plan.summary.id, MakeMonth(2018, 5), MakeMonth(2019, 1), true);
  ASSERT_TRUE(part.ok());
  for (const auto& pillar : part->pillars) {
    for (const auto& goal : pillar.goals) {
      for (const auto& row : goal.activities) {
        if (row.activity.id == corrected.id) {
          EXPECT_EQ(row.months, (Months{{MakeMonth(2018, 5), S::kOnTrack},
                                        {MakeMonth(2018, 12), S::kCompleted},
                                        {MakeMonth(2019, 1), S::kContinuous}}));
          EXPECT_EQ(row.entry_count, 5);
        }
        if (row.activity.id == plain.id) {
          EXPECT_EQ(row.months, (Months{{MakeMonth(2018, 12), S::kAtRisk}}));
        }
      }
    }
  }
  auto matrix = plans_->Matrix(plan.summary.id, 2019);
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->month_statuses[corrected.id],
            (Months{{MakeMonth(2019, 1), S::kContinuous}, {MakeMonth(2019, 12), S::kNotStarted}}));
  EXPECT_EQ(matrix->month_statuses[plain.id], (Months{{MakeMonth(2019, 2), S::kCompleted}}));
}

// The matrix and the report are cached against the plan's revision: every kind of write must
// show in the next read, also through another service (another process on the same database),
// and a new day recomputes what depends on the date.
TEST_P(PlanServiceTest, CachedMatrixAndReportFollowEveryWrite) {
  const PlanSummary summary = ImportMinusca();
  const std::int64_t plan_id = summary.id;
  const Activity activity = Find(LoadPlan(plan_id), "prevention", 3, "a");
  auto other = MakePlanService(db(), *units_, indicators_);
  auto month_of = [&](PlanService& service) {
    auto matrix = service.Matrix(plan_id, 2018);
    EXPECT_TRUE(matrix.ok()) << matrix.status().ToString();
    std::optional<ActivityStatus> status;
    if (matrix.ok() && matrix->month_statuses.count(activity.id) &&
        matrix->month_statuses.at(activity.id).count(MakeMonth(2018, 2))) {
      status = matrix->month_statuses.at(activity.id).at(MakeMonth(2018, 2));
    }
    return status;
  };
  auto report_row = [&](PlanService& service) {
    auto report = service.Report(plan_id, MakeMonth(2018, 1), MakeMonth(2018, 12), true);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    ReportActivity found;
    if (!report.ok()) return found;
    for (const auto& pillar : report->pillars) {
      for (const auto& goal : pillar.goals) {
        for (const auto& row : goal.activities) {
          if (row.activity.id == activity.id) found = row;
        }
      }
    }
    return found;
  };
  // Fill both caches, twice, then write through one service and read through both.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(month_of(*plans_), std::nullopt);
    EXPECT_EQ(month_of(*other), std::nullopt);
    EXPECT_EQ(report_row(*plans_).entry_count, 0);
    EXPECT_EQ(report_row(*other).entry_count, 0);
  }

  // An entry.
  const Entry first = AddEntryOrFail(
      officer_, activity.id, MakeEntry("2018-02", ActivityStatus::kOnTrack, "Meeting held."));
  EXPECT_EQ(month_of(*plans_), ActivityStatus::kOnTrack);
  EXPECT_EQ(month_of(*other), ActivityStatus::kOnTrack);
  EXPECT_EQ(report_row(*other).entry_count, 1);

  // A correction, through the other service.
  NewEntry correction = MakeEntry("2018-02", ActivityStatus::kDelayed, "Postponed.");
  correction.corrects = first.id;
  correction.links = {{"https://example.org/minutes", "Minutes"}};
  ASSERT_TRUE(other->AddEntry(officer_, activity.id, correction, "r").ok());
  EXPECT_EQ(month_of(*plans_), ActivityStatus::kDelayed);
  const ReportActivity row = report_row(*plans_);
  EXPECT_EQ(row.entry_count, 2);
  ASSERT_EQ(row.entries.size(), 1u);
  ASSERT_EQ(row.entries[0].evidence.size(), 1u);
  EXPECT_EQ(row.entries[0].evidence[0].title, "Minutes");

  // The activity's tracking and units.
  ActivityPatch patch;
  patch.status = ActivityStatus::kAtRisk;
  patch.frequency = Frequency::kMonthly;
  patch.lead_unit_ids = std::vector<std::int64_t>{UnitId("OIOS")};
  UpdateOrFail(activity.id, patch);
  const Activity updated = Find(other->Matrix(plan_id, 2018)->plan, "prevention", 3, "a");
  EXPECT_EQ(updated.status, ActivityStatus::kAtRisk);
  EXPECT_EQ(updated.frequency, Frequency::kMonthly);
  EXPECT_THAT(updated.lead_unit_ids, ElementsAre(UnitId("OIOS")));
  EXPECT_EQ(report_row(*other).activity.status, ActivityStatus::kAtRisk);
  EXPECT_TRUE(report_row(*other).occurrences.has_value());

  // An indicator linked to one of the plan's expected results.
  const ExpectedResult result = LoadPlan(plan_id).pillars[0].goals[1].results[0];
  IndicatorDefinition definition{"manual.cache_check", "Cache check", "%", "", "", {result.id}};
  ASSERT_TRUE(plans_->DefineIndicator(officer_, definition, "r").ok());
  EXPECT_THAT(
      other->Matrix(plan_id, std::nullopt)->plan.pillars[0].goals[1].results[0].indicator_keys,
      Contains("manual.cache_check"));

  // A newer version: this one is no longer the latest.
  EXPECT_TRUE(other->Matrix(plan_id, 2018)->plan.summary.latest);
  ASSERT_TRUE(plans_
                  ->Import(officer_,
                           Replace(MinuscaPlanText(), "version: \"2018-2019\"", "version: \"v2\""),
                           "r")
                  .ok());
  EXPECT_FALSE(other->Matrix(plan_id, 2018)->plan.summary.latest);
  EXPECT_FALSE(other->Report(plan_id, std::nullopt, std::nullopt)->plan.latest);

  // Another day: occurrences due yesterday are overdue today.
  auto before = plans_->Matrix(plan_id, 2018);
  ASSERT_TRUE(before.ok());
  clock_.Advance(40 * kDay);
  auto after = plans_->Matrix(plan_id, 2018);
  ASSERT_TRUE(after.ok());
  EXPECT_GT(after->occurrences.at(activity.id).overdue,
            before->occurrences.at(activity.id).overdue);
}

// The generators' bulk path ends where entry-by-entry recording would: each activity takes the
// status of the latest entry for its most recent month, whatever the order of arrival.
TEST_P(PlanServiceTest, BulkEntriesThenFollowLatestMatchEntryByEntry) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity late_report = Find(plan, "prevention", 1, "a");
  const Activity corrected = Find(plan, "prevention", 1, "b");
  const Activity untouched = Find(plan, "prevention", 1, "c");
  using S = ActivityStatus;
  const std::vector<std::pair<Activity, NewEntry>> entries = {
      {late_report, MakeEntry("2018-05", S::kAtRisk, "May.")},
      {late_report, MakeEntry("2018-02", S::kCompleted, "February, reported late.")},
      {corrected, MakeEntry("2018-04", S::kOnTrack, "April.")},
      {corrected, MakeEntry("2018-04", S::kDelayed, "April, corrected.")},
  };
  ASSERT_TRUE(plans_->BulkInsertEntries(officer_, entries).ok());
  ASSERT_TRUE(plans_->FollowLatestEntries(plan.summary.id).ok());
  const Plan bulk = LoadPlan(plan.summary.id);
  EXPECT_EQ(Find(bulk, "prevention", 1, "a").status, S::kAtRisk);
  EXPECT_EQ(Find(bulk, "prevention", 1, "b").status, S::kDelayed);
  EXPECT_EQ(Find(bulk, "prevention", 1, "c").status, untouched.status);

  // The same entries one by one, on the next goal's activities.
  const Activity one = Find(plan, "prevention", 2, "a");
  const Activity two = Find(plan, "prevention", 2, "b");
  for (const auto& [activity, entry] : entries) {
    AddEntryOrFail(officer_, activity.id == late_report.id ? one.id : two.id, entry);
  }
  const Plan single = LoadPlan(plan.summary.id);
  EXPECT_EQ(Find(single, "prevention", 2, "a").status, S::kAtRisk);
  EXPECT_EQ(Find(single, "prevention", 2, "b").status, S::kDelayed);
}

TEST_P(PlanServiceTest, ACorrectionIsANewEntryAndBothRemain) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity activity = Find(plan, "prevention", 3, "a");
  const Entry first = AddEntryOrFail(
      officer_, activity.id, MakeEntry("2018-02", ActivityStatus::kOnTrack, "Meeting held."));
  clock_.Advance(kHour);
  NewEntry correction =
      MakeEntry("2018-02", ActivityStatus::kDelayed, "Correction: the meeting was postponed.");
  correction.corrects = first.id;
  const Entry second = AddEntryOrFail(officer_, activity.id, correction);
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(second.corrects, first.id);

  auto entries = plans_->ListEntries(activity.id);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].id, second.id);  // newest first
  EXPECT_EQ((*entries)[1].id, first.id);
  EXPECT_EQ((*entries)[1].status, ActivityStatus::kOnTrack);
  EXPECT_EQ((*entries)[1].narrative, "Meeting held.");
  EXPECT_FALSE((*entries)[1].corrects.has_value());

  // The month shows the latest entry's status.
  auto matrix = plans_->Matrix(plan.summary.id, 2018);
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->from, MakeMonth(2018, 1));
  EXPECT_EQ(matrix->to, MakeMonth(2018, 12));
  EXPECT_EQ(matrix->month_statuses[activity.id][MakeMonth(2018, 2)], ActivityStatus::kDelayed);
  auto next_year = plans_->Matrix(plan.summary.id, 2019);
  ASSERT_TRUE(next_year.ok());
  EXPECT_FALSE(next_year->month_statuses.count(activity.id));
  EXPECT_TRUE(Fails(plans_->Matrix(plan.summary.id, 2020), ErrorCode::kInvalidArgument, "year"));
  EXPECT_TRUE(Fails(plans_->Matrix(999999, std::nullopt), ErrorCode::kNotFound));

  auto detail = plans_->GetActivity(activity.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->entries.size(), 2u);
  EXPECT_EQ(detail->entries[0].corrects, first.id);
  EXPECT_EQ(AuditEntries("plan.entry.create").size(), 2u);
}

TEST_P(PlanServiceTest, TheVictimsRightsAdvocateRecordsWhereTheVraUnitTakesPart) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity assistance = Find(plan, "remedial_action", 1, "b");  // VRA leads
  const Activity strategy = Find(plan, "prevention", 1, "a");         // Head of Mission leads
  const NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack, "Protocol applied.");
  const Principal vra = User(5, "advocate", Role::kVra);

  EXPECT_TRUE(
      Fails(plans_->AddEntry(vra, assistance.id, entry, "r"), ErrorCode::kPermissionDenied));
  MakeFocalPoint(vra, {"VRA"});
  const Entry recorded = AddEntryOrFail(vra, assistance.id, entry);
  EXPECT_EQ(recorded.author, "advocate");
  EXPECT_TRUE(Fails(plans_->AddEntry(vra, strategy.id, entry, "r"), ErrorCode::kPermissionDenied));
}

TEST_P(PlanServiceTest, PartnerFocalPointsRecordOnlyWhereTheirUnitsLeadOrSupport) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity force_meeting = Find(plan, "prevention", 4, "a");  // Force leads, Police supports
  const Activity strategy = Find(plan, "prevention", 1, "a");       // Head of Mission leads
  const NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack, "Meeting held.");

  // A partner focal point of no unit may record nothing.
  EXPECT_TRUE(Fails(plans_->AddEntry(partner_, force_meeting.id, entry, "r"),
                    ErrorCode::kPermissionDenied));
  MakeFocalPoint(partner_, {"POLICE"});
  auto mine = units_->UnitsOfUser(partner_.user_id);
  ASSERT_TRUE(mine.ok());
  EXPECT_THAT(*mine, ElementsAre(UnitId("POLICE")));
  const Entry supported = AddEntryOrFail(partner_, force_meeting.id, entry);
  EXPECT_EQ(supported.author, "partner");
  EXPECT_TRUE(
      Fails(plans_->AddEntry(partner_, strategy.id, entry, "r"), ErrorCode::kPermissionDenied));
  MakeFocalPoint(partner_, {"FORCE"});
  AddEntryOrFail(partner_, force_meeting.id, entry);
  MakeFocalPoint(partner_, {"HOM", "SCPI"});
  AddEntryOrFail(partner_, strategy.id, entry);
  EXPECT_TRUE(Fails(plans_->AddEntry(partner_, force_meeting.id, entry, "r"),
                    ErrorCode::kPermissionDenied));
  // The CDT records everywhere.
  AddEntryOrFail(officer_, force_meeting.id, entry);

  auto entries = plans_->ListEntries(force_meeting.id);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 3u);
}

TEST_P(PlanServiceTest, EntryRightsAreCheckedWithOneConnection) {
  // The rights of a partner are read before the write transaction: a service whose pool has a
  // single connection must not wait for a second one.
  const Plan plan = LoadPlan(ImportMinusca().id);
  MakeFocalPoint(partner_, {"FORCE"});
  auto single = OpenAnother(1);
  ASSERT_TRUE(single.ok()) << single.status().ToString();
  units::UnitsService units(**single, clock_, audit_);
  IndicatorRegistry registry;
  auto plans = MakePlanService(**single, units, registry);
  auto created =
      plans->AddEntry(partner_, Find(plan, "prevention", 4, "a").id,
                      MakeEntry("2018-03", ActivityStatus::kOnTrack, "Meeting held."), "r");
  EXPECT_TRUE(created.ok()) << created.status().ToString();
}

TEST_P(PlanServiceTest, EvidenceIsEncryptedAtRestAndReadBack) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity activity = Find(plan, "prevention", 1, "g");
  const std::string marker = "PLAINTEXT-MARKER-" + security::RandomToken(6);
  std::string content = "Poster distribution list\n" + marker + "\n";
  content += std::string("\0\x01\xff binary", 10);
  content += std::string(200000, 'x');

  auto uploaded =
      plans_->UploadEvidence(officer_, "posters.pdf", "application/pdf", content, "req-upload");
  ASSERT_TRUE(uploaded.ok()) << uploaded.status().ToString();
  EXPECT_GT(uploaded->id, 0);
  EXPECT_EQ(uploaded->kind, "file");
  EXPECT_EQ(uploaded->filename, "posters.pdf");
  EXPECT_EQ(uploaded->content_type, "application/pdf");
  EXPECT_EQ(uploaded->size, static_cast<std::int64_t>(content.size()));
  EXPECT_EQ(uploaded->sha256, security::HexEncode(security::Sha256(content)));
  EXPECT_FALSE(uploaded->entry_id.has_value());

  // On disk: one encrypted file, no temporary left behind.
  const std::string on_disk = storage::testdb::ReadFileBytes(EvidencePath(uploaded->id));
  ASSERT_FALSE(on_disk.empty());
  EXPECT_EQ(on_disk.find(marker), std::string::npos);
  EXPECT_EQ(on_disk.find("Poster distribution list"), std::string::npos);
  std::vector<std::string> files;
  for (const auto& file : fs::directory_iterator(evidence_dir_)) {
    files.push_back(file.path().filename().string());
  }
  EXPECT_THAT(files, ElementsAre(std::to_string(uploaded->id) + ".enc"));

  // Before it is attached, only its uploader can read it.
  auto read = plans_->ReadEvidence(officer_, uploaded->id, "req-read");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->second, content);
  EXPECT_TRUE(Fails(plans_->ReadEvidence(leadership_, uploaded->id, "r"), ErrorCode::kNotFound));

  NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack, "Posters printed.");
  entry.evidence_ids = {uploaded->id};
  const Entry created = AddEntryOrFail(officer_, activity.id, entry);
  ASSERT_EQ(created.evidence.size(), 1u);
  EXPECT_EQ(created.evidence[0].id, uploaded->id);
  EXPECT_EQ(created.evidence[0].entry_id, created.id);
  EXPECT_EQ(created.evidence[0].sha256, uploaded->sha256);
  EXPECT_EQ(created.evidence[0].size, uploaded->size);

  // Attached evidence is read by anyone who reads the plan; the content and hash round-trip.
  read = plans_->ReadEvidence(leadership_, uploaded->id, "req-read-2");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->second, content);
  EXPECT_EQ(read->first.sha256, security::HexEncode(security::Sha256(read->second)));
  EXPECT_EQ(read->first.filename, "posters.pdf");

  // Evidence belongs to one entry, and only its uploader attaches it.
  const auto before = RowCounts();
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, activity.id, entry, "r"), ErrorCode::kUnprocessable,
                    "evidence_ids"));
  auto partners = plans_->UploadEvidence(partner_, "photo.jpg", "image/jpeg", "jpeg bytes", "r");
  ASSERT_TRUE(partners.ok()) << partners.status().ToString();
  const auto with_partner_upload = RowCounts();
  entry.evidence_ids = {partners->id};
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, activity.id, entry, "r"), ErrorCode::kUnprocessable,
                    "evidence_ids"));
  entry.evidence_ids = {999999};
  EXPECT_TRUE(Fails(plans_->AddEntry(officer_, activity.id, entry, "r"), ErrorCode::kUnprocessable,
                    "evidence_ids"));
  EXPECT_EQ(RowCounts(), with_partner_upload);
  EXPECT_EQ(with_partner_upload.at("plan_evidence"), before.at("plan_evidence") + 1);
  EXPECT_TRUE(Fails(plans_->ReadEvidence(officer_, partners->id, "r"), ErrorCode::kNotFound));
  EXPECT_TRUE(Fails(plans_->ReadEvidence(officer_, 999999, "r"), ErrorCode::kNotFound));

  // What an upload must be.
  EXPECT_TRUE(Fails(plans_->UploadEvidence(officer_, "empty.txt", "text/plain", "", "r"),
                    ErrorCode::kInvalidArgument, "file"));
  for (const std::string& name : {std::string(), std::string("../escape.txt"),
                                  std::string("a\\b.txt"), std::string(256, 'n')}) {
    EXPECT_TRUE(Fails(plans_->UploadEvidence(officer_, name, "text/plain", "x", "r"),
                      ErrorCode::kInvalidArgument, "filename"))
        << name;
  }
  EXPECT_TRUE(Fails(plans_->UploadEvidence(officer_, "big.bin", "application/octet-stream",
                                           std::string(kMaxEvidenceBytes + 1, 'b'), "r"),
                    ErrorCode::kPayloadTooLarge));
  EXPECT_TRUE(Fails(plans_->UploadEvidence(leadership_, "a.txt", "text/plain", "x", "r"),
                    ErrorCode::kPermissionDenied));
  auto untyped = plans_->UploadEvidence(officer_, "notes", "", "x", "r");
  ASSERT_TRUE(untyped.ok());
  EXPECT_EQ(untyped->content_type, "application/octet-stream");

  EXPECT_EQ(AuditEntries("plan.evidence.upload").size(), 3u);
  const auto reads = AuditEntries("plan.evidence.read");
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[0].event.actor, "leader");
  EXPECT_EQ(reads[0].event.object_id, std::to_string(uploaded->id));
  for (const auto& upload : AuditEntries("plan.evidence.upload")) {
    EXPECT_EQ(upload.event.details.find("posters"), std::string::npos);
  }
  ExpectAuditChainIntact();
}

TEST_P(PlanServiceTest, AbandonedUploadsAreRemovedAfterADay) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  auto attached = plans_->UploadEvidence(officer_, "kept.txt", "text/plain", "kept", "r");
  auto abandoned = plans_->UploadEvidence(officer_, "abandoned.txt", "text/plain", "gone", "r");
  ASSERT_TRUE(attached.ok() && abandoned.ok());
  NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack, "With evidence.");
  entry.evidence_ids = {attached->id};
  AddEntryOrFail(officer_, Find(plan, "prevention", 1, "b").id, entry);

  clock_.Advance(23 * kHour);
  auto early = plans_->UploadEvidence(officer_, "early.txt", "text/plain", "x", "r");
  ASSERT_TRUE(early.ok());
  EXPECT_TRUE(fs::exists(EvidencePath(abandoned->id)));

  clock_.Advance(2 * kHour);
  auto later = plans_->UploadEvidence(officer_, "later.txt", "text/plain", "y", "r");
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(fs::exists(EvidencePath(abandoned->id)));
  EXPECT_TRUE(Fails(plans_->ReadEvidence(officer_, abandoned->id, "r"), ErrorCode::kNotFound));
  EXPECT_TRUE(fs::exists(EvidencePath(attached->id)));
  EXPECT_TRUE(plans_->ReadEvidence(officer_, attached->id, "r").ok());
  EXPECT_TRUE(plans_->ReadEvidence(officer_, early->id, "r").ok());
}

TEST_P(PlanServiceTest, MyActivitiesShowWhatIsLedSupportedDueAndOverdue) {
  const PlanSummary v1 = ImportMinusca();
  const Plan plan = LoadPlan(v1.id);
  MakeFocalPoint(partner_, {"FORCE"});
  const Activity weekly = Find(plan, "prevention", 4, "a");      // Force leads
  const Activity monthly = Find(plan, "prevention", 4, "b");     // Force leads
  const Activity contacts = Find(plan, "prevention", 4, "c");    // Force leads, no frequency
  const Activity supported = Find(plan, "enforcement", 2, "a");  // OIOS leads, Force supports
  const Activity elsewhere = Find(plan, "remedial_action", 1, "b");
  ASSERT_EQ(weekly.frequency, Frequency::kWeekly);
  ASSERT_EQ(monthly.frequency, Frequency::kMonthly);

  // Today is Thursday 15 March 2018. Weekly: entries in the weeks of 1 January, 5 February
  // and (an entry without a date counts on the 1st of its month) 26 February.
  AddEntryOrFail(partner_, weekly.id,
                 MakeEntry("2018-01", ActivityStatus::kOnTrack, "Met.", "2018-01-03"));
  AddEntryOrFail(partner_, weekly.id,
                 MakeEntry("2018-02", ActivityStatus::kOnTrack, "Met.", "2018-02-07"));
  AddEntryOrFail(partner_, weekly.id, MakeEntry("2018-03", ActivityStatus::kOnTrack, "Met."));
  // Monthly: March done, January and February overdue.
  AddEntryOrFail(partner_, monthly.id, MakeEntry("2018-03", ActivityStatus::kOnTrack, "Met."));
  ActivityPatch march;
  march.target_months = std::vector<int>{3, 9};
  UpdateOrFail(contacts.id, march);
  SetStatus(supported.id, ActivityStatus::kDelayed);

  auto mine = plans_->MyActivitiesOf(partner_);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(mine->units.size(), 1u);
  EXPECT_EQ(mine->units[0].code, "FORCE");
  EXPECT_THAT(Ids(mine->lead), Contains(weekly.id));
  EXPECT_THAT(Ids(mine->lead), Contains(monthly.id));
  EXPECT_THAT(Ids(mine->lead), Contains(contacts.id));
  EXPECT_THAT(Ids(mine->lead), Not(Contains(supported.id)));
  EXPECT_THAT(Ids(mine->support), Contains(supported.id));
  EXPECT_THAT(Ids(mine->support), Not(Contains(weekly.id)));
  EXPECT_THAT(Ids(mine->lead), Not(Contains(elsewhere.id)));
  EXPECT_THAT(Ids(mine->support), Not(Contains(elsewhere.id)));
  for (const auto& row : mine->lead) {
    EXPECT_EQ(row.plan_id, v1.id);
    EXPECT_THAT(row.activity.lead_unit_ids, Contains(UnitId("FORCE")));
  }

  const auto weekly_row =
      std::find_if(mine->lead.begin(), mine->lead.end(),
                   [&](const ActivityRow& r) { return r.activity.id == weekly.id; });
  ASSERT_NE(weekly_row, mine->lead.end());
  EXPECT_EQ(weekly_row->goal_number, 4);
  EXPECT_EQ(weekly_row->pillar_key, "prevention");
  ASSERT_TRUE(weekly_row->occurrences.has_value());
  EXPECT_EQ(weekly_row->occurrences->done, 3);
  EXPECT_EQ(weekly_row->occurrences->overdue, 7);  // 10 weeks before 12 March, 3 done
  EXPECT_EQ(weekly_row->occurrences->due, 1);      // 12 to 18 March
  EXPECT_EQ(weekly_row->occurrences->upcoming, 94);

  EXPECT_THAT(Ids(mine->due_this_month), Contains(weekly.id));
  EXPECT_THAT(Ids(mine->due_this_month), Contains(contacts.id));      // target month March
  EXPECT_THAT(Ids(mine->due_this_month), Not(Contains(monthly.id)));  // March is done
  EXPECT_THAT(Ids(mine->due_this_month), Not(Contains(supported.id)));
  EXPECT_THAT(Ids(mine->overdue), Contains(weekly.id));
  EXPECT_THAT(Ids(mine->overdue), Contains(monthly.id));
  EXPECT_THAT(Ids(mine->overdue), Contains(supported.id));  // delayed
  EXPECT_THAT(Ids(mine->overdue), Not(Contains(contacts.id)));

  // A completed activity is never due, even in one of its target months.
  clock_.Set(*ParseIso8601("2018-09-03T08:00:00Z"));
  SetStatus(contacts.id, ActivityStatus::kCompleted);
  mine = plans_->MyActivitiesOf(partner_);
  ASSERT_TRUE(mine.ok());
  EXPECT_THAT(Ids(mine->due_this_month), Not(Contains(contacts.id)));
  // After the plan's period nothing is due.
  clock_.Set(*ParseIso8601("2020-03-02T08:00:00Z"));
  SetStatus(contacts.id, ActivityStatus::kOnTrack);
  mine = plans_->MyActivitiesOf(partner_);
  ASSERT_TRUE(mine.ok());
  EXPECT_THAT(mine->due_this_month, IsEmpty());

  // Only the latest version of a plan is listed.
  auto v2 = plans_->Import(
      officer_, Replace(MinuscaPlanText(), "version: \"2018-2019\"", "version: \"v2\""), "r");
  ASSERT_TRUE(v2.ok());
  mine = plans_->MyActivitiesOf(partner_);
  ASSERT_TRUE(mine.ok());
  ASSERT_FALSE(mine->lead.empty());
  for (const auto& row : mine->lead) EXPECT_EQ(row.plan_id, v2->id);
  for (const auto& row : mine->support) EXPECT_EQ(row.plan_id, v2->id);

  // Someone who is no unit's focal point has nothing.
  mine = plans_->MyActivitiesOf(leadership_);
  ASSERT_TRUE(mine.ok());
  EXPECT_THAT(mine->units, IsEmpty());
  EXPECT_THAT(mine->lead, IsEmpty());
  EXPECT_THAT(mine->support, IsEmpty());
}

const IndicatorView* FindIndicator(const std::vector<IndicatorView>& views,
                                   const std::string& key) {
  for (const auto& view : views) {
    if (view.key == key) return &view;
  }
  ADD_FAILURE() << "no indicator " << key;
  return nullptr;
}

TEST_P(PlanServiceTest, ActivitiesOnTrackIsComputedFromTheStatuses) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  auto views = plans_->Indicators(plan.summary.id, std::nullopt, std::nullopt);
  ASSERT_TRUE(views.ok()) << views.status().ToString();
  const IndicatorView* on_track = FindIndicator(*views, "plan.activities_on_track_pct");
  ASSERT_NE(on_track, nullptr);
  EXPECT_EQ(on_track->kind, "computed");
  EXPECT_EQ(on_track->unit, "%");
  EXPECT_EQ(on_track->target, "100");
  ASSERT_TRUE(on_track->computed_value.has_value());
  EXPECT_DOUBLE_EQ(*on_track->computed_value, 0.0);

  SetStatus(Find(plan, "prevention", 1, "a").id, ActivityStatus::kOnTrack);
  SetStatus(Find(plan, "prevention", 1, "b").id, ActivityStatus::kOnTrack);
  SetStatus(Find(plan, "prevention", 1, "c").id, ActivityStatus::kContinuous);
  SetStatus(Find(plan, "prevention", 2, "a").id, ActivityStatus::kCompleted);
  SetStatus(Find(plan, "prevention", 2, "b").id, ActivityStatus::kDelayed);
  SetStatus(Find(plan, "prevention", 2, "c").id, ActivityStatus::kAtRisk);
  SetStatus(Find(plan, "prevention", 3, "a").id, ActivityStatus::kCancelled);
  views = plans_->Indicators(plan.summary.id, std::nullopt, std::nullopt);
  ASSERT_TRUE(views.ok());
  on_track = FindIndicator(*views, "plan.activities_on_track_pct");
  ASSERT_NE(on_track, nullptr);
  // 4 of the 61 activities that are not cancelled, to one decimal.
  EXPECT_DOUBLE_EQ(*on_track->computed_value, 6.6);

  // Without a plan, the plan's indicators have no value.
  views = plans_->Indicators(std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(views.ok());
  on_track = FindIndicator(*views, "plan.activities_on_track_pct");
  ASSERT_NE(on_track, nullptr);
  EXPECT_FALSE(on_track->computed_value.has_value());
  EXPECT_TRUE(Fails(plans_->Indicators(999999, std::nullopt, std::nullopt), ErrorCode::kNotFound));
  EXPECT_TRUE(Fails(plans_->Indicators(plan.summary.id, MakeMonth(2018, 5), MakeMonth(2018, 4)),
                    ErrorCode::kInvalidArgument, "to"));
}

TEST_P(PlanServiceTest, OverdueRecurringDutiesCountsWeeksWithoutAnEntry) {
  PlanDocument doc;
  doc.key = "weekly-test";
  doc.version = "1";
  doc.title = "A plan with weekly duties";
  doc.mission = "TEST";
  doc.period_start = MakeMonth(2018, 1);
  doc.period_end = MakeMonth(2018, 12);
  GoalDoc goal;
  goal.number = 1;
  goal.title = "Coordinate.";
  goal.partners = "CDT";
  goal.activities = {{"a", "Hold weekly meeting with the Force.", "", std::nullopt},
                     {"b", "Hold weekly review of the register.", "", std::nullopt},
                     {"c", "Hold weekly call with the regions.", "", std::nullopt},
                     {"d", "Review and update the SOP.", "", std::nullopt}};
  doc.pillars.push_back({"prevention", "Prevention", "", {goal}});
  auto summary = plans_->ImportDocument(officer_, doc, "r");
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const Plan plan = LoadPlan(summary->id);
  const Activity meeting = Find(plan, "prevention", 1, "a");
  ASSERT_EQ(meeting.frequency, Frequency::kWeekly);
  // (b) is cancelled and (c) no longer recurs: neither counts.
  SetStatus(Find(plan, "prevention", 1, "b").id, ActivityStatus::kCancelled);
  ActivityPatch no_frequency;
  no_frequency.frequency = Frequency::kNone;
  UpdateOrFail(Find(plan, "prevention", 1, "c").id, no_frequency);

  AddEntryOrFail(officer_, meeting.id,
                 MakeEntry("2018-01", ActivityStatus::kOnTrack, "Met.", "2018-01-10"));
  AddEntryOrFail(officer_, meeting.id,
                 MakeEntry("2018-02", ActivityStatus::kOnTrack, "Met.", "2018-02-21"));
  // A cancelled meeting does not count as done.
  AddEntryOrFail(officer_, meeting.id,
                 MakeEntry("2018-01", ActivityStatus::kCancelled, "Not held.", "2018-01-03"));

  auto overdue = [&](std::optional<MonthIndex> from, std::optional<MonthIndex> to) -> double {
    auto views = plans_->Indicators(summary->id, from, to);
    EXPECT_TRUE(views.ok()) << views.status().ToString();
    if (!views.ok()) return -1;
    const IndicatorView* view = FindIndicator(*views, "plan.overdue_recurring_duties");
    return view && view->computed_value ? *view->computed_value : -1;
  };
  // Ten weeks ended before Thursday 15 March; two had a meeting.
  EXPECT_DOUBLE_EQ(overdue(std::nullopt, std::nullopt), 8);
  // February alone: 1-4, 5-11, 12-18, 19-25 (a meeting) and 26-28 February.
  EXPECT_DOUBLE_EQ(overdue(MakeMonth(2018, 2), MakeMonth(2018, 2)), 4);
  // Nothing has ended yet in the future.
  EXPECT_DOUBLE_EQ(overdue(MakeMonth(2018, 6), MakeMonth(2018, 12)), 0);
  clock_.Set(*ParseIso8601("2019-01-10T00:00:00Z"));
  // 2018 has 53 weekly windows (1 January is a Monday; 31 December too).
  EXPECT_DOUBLE_EQ(overdue(std::nullopt, std::nullopt), 51);
}

TEST_P(PlanServiceTest, ManualIndicatorsTakeValuesAndComputedOnesDoNot) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const ExpectedResult trained = plan.pillars[0].goals[1].results[0];
  ASSERT_EQ(trained.text, "100% MINUSCA personnel trained on SEA.");

  IndicatorDefinition definition{"manual.induction_trained_pct",
                                 "Share of new personnel trained at induction",
                                 "%",
                                 "100",
                                 "",
                                 {trained.id}};
  ASSERT_TRUE(plans_->DefineIndicator(officer_, definition, "req-define").ok());
  ASSERT_TRUE(
      plans_->AddIndicatorValue(officer_, definition.key, "87.5", "2018-02-28", "February", "r")
          .ok());
  ASSERT_TRUE(
      plans_->AddIndicatorValue(officer_, definition.key, "90", "2019-01-31", "January", "r").ok());

  auto views = plans_->Indicators(plan.summary.id, MakeMonth(2018, 1), MakeMonth(2018, 12));
  ASSERT_TRUE(views.ok()) << views.status().ToString();
  const IndicatorView* manual = FindIndicator(*views, definition.key);
  ASSERT_NE(manual, nullptr);
  EXPECT_EQ(manual->kind, "manual");
  EXPECT_EQ(manual->description, definition.description);
  EXPECT_THAT(manual->result_ids, ElementsAre(trained.id));
  EXPECT_FALSE(manual->computed_value.has_value());
  ASSERT_EQ(manual->values.size(), 1u);  // only 2018 is in the period
  EXPECT_EQ(manual->values[0].value, "87.5");
  EXPECT_EQ(manual->values[0].date, "2018-02-28");
  EXPECT_EQ(manual->values[0].note, "February");
  EXPECT_EQ(manual->values[0].entered_by, "officer");
  ASSERT_TRUE(manual->latest.has_value());
  EXPECT_EQ(manual->latest->value, "90");  // the latest of all

  // The expected result lists its indicator.
  const Plan reloaded = LoadPlan(plan.summary.id);
  EXPECT_THAT(reloaded.pillars[0].goals[1].results[0].indicator_keys, Contains(definition.key));

  // A computed indicator can be linked to results, but takes no values.
  IndicatorDefinition link{"plan.activities_on_track_pct", "ignored", "", "", "", {trained.id}};
  ASSERT_TRUE(plans_->DefineIndicator(officer_, link, "r").ok());
  views = plans_->Indicators(plan.summary.id, std::nullopt, std::nullopt);
  ASSERT_TRUE(views.ok());
  const IndicatorView* computed = FindIndicator(*views, "plan.activities_on_track_pct");
  ASSERT_NE(computed, nullptr);
  EXPECT_EQ(computed->kind, "computed");
  EXPECT_THAT(computed->result_ids, ElementsAre(trained.id));
  EXPECT_EQ(
      std::count_if(views->begin(), views->end(),
                    [](const IndicatorView& v) { return v.key == "plan.activities_on_track_pct"; }),
      1);
  EXPECT_TRUE(Fails(plans_->AddIndicatorValue(officer_, "plan.activities_on_track_pct", "50",
                                              "2018-03-01", "", "r"),
                    ErrorCode::kUnprocessable, "key"));

  // Redefining keeps the values.
  definition.description = "Share of new personnel trained at induction (all components)";
  ASSERT_TRUE(plans_->DefineIndicator(officer_, definition, "r").ok());
  views = plans_->Indicators(plan.summary.id, std::nullopt, std::nullopt);
  ASSERT_TRUE(views.ok());
  manual = FindIndicator(*views, definition.key);
  ASSERT_NE(manual, nullptr);
  EXPECT_EQ(manual->description, definition.description);
  EXPECT_EQ(manual->values.size(), 2u);

  const auto before = RowCounts();
  const std::int64_t values_before = CountRows("plan_indicator_values");
  EXPECT_TRUE(
      Fails(plans_->AddIndicatorValue(officer_, "manual.unknown", "1", "2018-03-01", "", "r"),
            ErrorCode::kNotFound));
  EXPECT_TRUE(
      Fails(plans_->AddIndicatorValue(officer_, definition.key, "many", "2018-03-01", "", "r"),
            ErrorCode::kInvalidArgument, "value"));
  EXPECT_TRUE(Fails(plans_->AddIndicatorValue(officer_, definition.key, "1", "2018-02-30", "", "r"),
                    ErrorCode::kInvalidArgument, "date"));
  IndicatorDefinition bad = definition;
  bad.key = "custom.trained";
  EXPECT_TRUE(
      Fails(plans_->DefineIndicator(officer_, bad, "r"), ErrorCode::kInvalidArgument, "key"));
  bad = definition;
  bad.target = "all of them";
  EXPECT_TRUE(
      Fails(plans_->DefineIndicator(officer_, bad, "r"), ErrorCode::kInvalidArgument, "target"));
  bad = definition;
  bad.key = "manual.other";
  bad.result_ids = {999999};
  EXPECT_TRUE(
      Fails(plans_->DefineIndicator(officer_, bad, "r"), ErrorCode::kUnprocessable, "result_ids"));
  EXPECT_EQ(RowCounts(), before);
  EXPECT_EQ(CountRows("plan_indicator_values"), values_before);

  EXPECT_EQ(AuditEntries("plan.indicator.define").size(), 3u);
  EXPECT_EQ(AuditEntries("plan.indicator.value").size(), 2u);
  ExpectAuditChainIntact();
}

TEST_P(PlanServiceTest, EveryChangeIsAuditedInAnIntactChain) {
  const Plan plan = LoadPlan(ImportMinusca().id);
  const Activity activity = Find(plan, "prevention", 4, "a");
  MakeFocalPoint(partner_, {"FORCE"});
  SetStatus(activity.id, ActivityStatus::kOnTrack);
  auto evidence = plans_->UploadEvidence(partner_, "minutes.txt", "text/plain", "Minutes", "r");
  ASSERT_TRUE(evidence.ok());
  NewEntry entry = MakeEntry("2018-03", ActivityStatus::kOnTrack, "Met.", "2018-03-13");
  entry.evidence_ids = {evidence->id};
  AddEntryOrFail(partner_, activity.id, entry);
  ASSERT_TRUE(plans_->ReadEvidence(leadership_, evidence->id, "r").ok());
  ASSERT_TRUE(plans_
                  ->DefineIndicator(officer_,
                                    {"manual.meetings", "Meetings held", "count", "", "", {}}, "r")
                  .ok());
  ASSERT_TRUE(
      plans_->AddIndicatorValue(officer_, "manual.meetings", "12", "2018-03-01", "", "r").ok());

  for (const char* action : {"plan.import", "unit.update", "plan.activity.update",
                             "plan.evidence.upload", "plan.entry.create", "plan.evidence.read",
                             "plan.indicator.define", "plan.indicator.value"}) {
    EXPECT_THAT(AuditEntries(action), Not(IsEmpty())) << action;
  }
  const auto entries = AuditEntries("plan.entry.create");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].event.actor, "partner");
  EXPECT_EQ(entries[0].event.actor_user_id, partner_.user_id);
  EXPECT_EQ(entries[0].event.object_type, "activity");
  EXPECT_EQ(entries[0].event.object_id, std::to_string(activity.id));
  EXPECT_THAT(entries[0].event.details, HasSubstr("\"month\":\"2018-03\""));
  // The narrative is not copied into the audit log.
  EXPECT_THAT(entries[0].event.details, Not(HasSubstr("Met.")));
  ExpectAuditChainIntact();
}

PSEA_INSTANTIATE_ENGINE_TEST(PlanServiceTest);

}  // namespace
}  // namespace psea::plan
