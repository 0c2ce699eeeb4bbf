// The gap table: the pure computation (gaps.h) as a table of cases, the suppression of small
// counts, and the two aggregate queries (providers' and files') on both engines. Names are made
// up.
#include "modules/assistance/gaps.h"

#include <gtest/gtest.h>

#include "modules/assistance/gaps_store.h"
#include "modules/assistance/referrals_store.h"
#include "modules/assistance/store.h"
#include "modules/providers/store.h"
#include "storage/testing/test_databases.h"

namespace psea::assistance {
namespace {

using storage::Connection;

const std::vector<PrefectureRef> kPlaces = {{"BGI", "Bangui"}, {"OUA", "Ouaka"}, {"VAK", "Vakaga"}};

const GapRow* Find(const std::vector<GapRow>& rows, const std::string& prefecture,
                   const std::string& service) {
  for (const auto& row : rows) {
    if (row.prefecture == prefecture && row.service == service) return &row;
  }
  return nullptr;
}

struct GapCase {
  const char* name;
  std::vector<ServiceSupply> supply;
  std::vector<NeedDemand> demand;
  GapState state;
  std::int64_t providers, stale, needing;
};

TEST(ComputeGapsTest, StatesFromSupplyAndDemand) {
  const std::vector<GapCase> cases = {
      {"needs and no provider: a gap", {}, {{"OUA", "medical", 3, 0}}, GapState::kGap, 0, 0, 3},
      {"providers and no need", {{"OUA", "medical", 2, 0}}, {}, GapState::kNoNeed, 2, 0, 0},
      {"stale providers only: a warning",
       {{"OUA", "medical", 2, 2}},
       {{"OUA", "medical", 1, 0}},
       GapState::kStaleOnly,
       2,
       2,
       1},
      {"one verified provider covers it",
       {{"OUA", "medical", 2, 1}},
       {{"OUA", "medical", 4, 1}},
       GapState::kCovered,
       2,
       1,
       4},
      {"only victims assisted: no need now",
       {},
       {{"OUA", "medical", 0, 2}},
       GapState::kNoNeed,
       0,
       0,
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto rows = ComputeGaps(c.supply, c.demand, kPlaces, {});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].state, c.state);
    EXPECT_EQ(rows[0].providers, c.providers);
    EXPECT_EQ(rows[0].stale, c.stale);
    EXPECT_EQ(rows[0].needing, c.needing);
    EXPECT_EQ(rows[0].prefecture_name, "Ouaka");
    EXPECT_TRUE(rows[0].known_prefecture);
  }
}

TEST(ComputeGapsTest, NothingAtAllIsNoRow) {
  EXPECT_TRUE(ComputeGaps({{"OUA", "legal", 0, 0}}, {{"OUA", "legal", 0, 0}}, kPlaces, {}).empty());
}

TEST(ComputeGapsTest, UnknownPrefecturesComeAfterKnownOnesInOrder) {
  auto rows = ComputeGaps({{"VAK", "legal", 1, 0}, {"XXX", "medical", 1, 0}},
                          {{"", "psychosocial", 2, 0},
                           {"BGI", "medical", 1, 0},
                           {"BGI", "safety_protection", 1, 0},
                           {"XXX", "medical", 5, 0}},
                          kPlaces, {});
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].prefecture, "BGI");
  EXPECT_EQ(rows[0].service, "safety_protection");  // the vocabulary's order, not the alphabet
  EXPECT_EQ(rows[1].service, "medical");
  EXPECT_EQ(rows[2].prefecture, "VAK");
  EXPECT_EQ(rows[3].prefecture, "XXX");
  EXPECT_FALSE(rows[3].known_prefecture);
  EXPECT_EQ(rows[3].prefecture_name, "");
  EXPECT_EQ(rows[3].state, GapState::kCovered);
  EXPECT_EQ(rows[4].prefecture, "");
  EXPECT_FALSE(rows[4].known_prefecture);
  EXPECT_EQ(rows[4].state, GapState::kGap);
  auto summary = Summarise(rows);
  EXPECT_EQ(summary.gaps, 3);  // BGI twice and the files without a prefecture
  EXPECT_EQ(summary.covered, 1);
  EXPECT_EQ(summary.no_need, 1);
  EXPECT_EQ(summary.stale_only, 0);
}

TEST(ComputeGapsTest, FiltersKeepMatchingRows) {
  const std::vector<ServiceSupply> supply = {{"BGI", "legal", 1, 0}, {"OUA", "legal", 1, 0}};
  const std::vector<NeedDemand> demand = {{"BGI", "medical", 2, 0}};
  auto by_service =
      ComputeGaps(supply, demand, kPlaces, {.service = "legal", .prefecture = std::nullopt});
  EXPECT_EQ(by_service.size(), 2u);
  auto by_prefecture =
      ComputeGaps(supply, demand, kPlaces, {.service = std::nullopt, .prefecture = "BGI"});
  ASSERT_EQ(by_prefecture.size(), 2u);
  EXPECT_NE(Find(by_prefecture, "BGI", "medical"), nullptr);
  EXPECT_TRUE(ComputeGaps(supply, demand, kPlaces, {.service = std::nullopt, .prefecture = "NOPE"})
                  .empty());
}

TEST(ComputeGapsTest, SmallCountsAreSuppressedAndStatesKept) {
  auto rows = ComputeGaps({}, {{"BGI", "medical", 4, 1}, {"OUA", "medical", 5, 7}}, kPlaces, {});
  SuppressSmallCounts(rows);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].needing_suppressed);
  EXPECT_TRUE(rows[0].assisted_suppressed);
  EXPECT_EQ(rows[0].needing, 0);
  EXPECT_EQ(rows[0].state, GapState::kGap);
  EXPECT_FALSE(rows[1].needing_suppressed);
  EXPECT_FALSE(rows[1].assisted_suppressed);
  EXPECT_EQ(rows[1].needing, 5);
  EXPECT_EQ(rows[1].assisted, 7);
}

TEST(SpanOfMonthsTest, CoversWholeMonthsInUtc) {
  auto span = SpanOfMonths("2026-01", "2026-03");
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->start, 1'767'225'600'000);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(span->end, 1'775'001'600'000);    // 2026-04-01T00:00:00Z
  auto december = SpanOfMonths("2025-12", "2025-12");
  ASSERT_TRUE(december.has_value());
  EXPECT_EQ(december->end, 1'767'225'600'000);  // into the next year
  for (auto [from, to] :
       std::vector<std::pair<const char*, const char*>>{{"2026-13", "2026-12"},
                                                        {"2026-1", "2026-02"},
                                                        {"", "2026-01"},
                                                        {"2026-03", "2026-01"},
                                                        {"2026/01", "2026-02"},
                                                        {"2026-01", "2026-02x"}}) {
    EXPECT_FALSE(SpanOfMonths(from, to).has_value()) << from << " " << to;
  }
}

// The two queries on both engines, through the stores (no services: each side only reads).
class GapQueriesTest : public storage::testdb::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = providers::ProvidersStore::Migrations();
    for (auto& m : AssistanceStore::Migrations()) migrations.push_back(m);
    for (auto& m : ReferralsStore::Migrations()) migrations.push_back(m);
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
  }

  void AddProvider(const std::string& prefecture, std::vector<std::string> services, bool active,
                   UnixMillis last_verified) {
    providers::Provider p;
    p.name = "Synthetic " + std::to_string(++count_);
    p.kind = "other";
    p.services = std::move(services);
    p.prefecture = prefecture;
    p.cost = "free";
    p.active = active;
    p.last_verified = last_verified;
    auto id = db().Write<std::int64_t>(
        [&](Connection& c) { return providers::ProvidersStore().Insert(c, p); });
    ASSERT_TRUE(id.ok()) << id.status().message();
  }

  std::int64_t AddFile(const std::string& prefecture, const std::string& status,
                       const std::vector<std::pair<std::string, std::string>>& needs) {
    AssistanceFile f;
    f.reference = "VA-2026-" + std::to_string(1000 + ++count_);
    f.pseudonym = "Victim " + std::to_string(count_);
    f.prefecture = prefecture;
    f.status = status;
    f.opened_at = 1;
    f.updated_at = 1;
    auto id = db().Write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
      AssistanceStore store;
      ASSIGN_OR_RETURN(auto file_id, store.InsertFile(c, f));
      for (const auto& [type, need_status] : needs) {
        Need n;
        n.file_id = file_id;
        n.type = type;
        n.status = need_status;
        n.assessed_at = 1;
        n.updated_at = 1;
        if (need_status != "open") n.closed_at = kMet;
        RETURN_IF_ERROR(store.InsertNeed(c, n).status());
      }
      return file_id;
    });
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  static constexpr UnixMillis kDay = 24LL * 3600 * 1000;
  static constexpr UnixMillis kMet = 1'790'000'000'000;  // 2026-09-21
  int count_ = 0;
};

TEST_P(GapQueriesTest, CountsProvidersAndFilesOncePerCell) {
  const UnixMillis now = 1'795'000'000'000;
  AddProvider("OUA", {"medical", "psychosocial"}, true, now);
  AddProvider("OUA", {"medical"}, true, now - 400 * kDay);
  AddProvider("OUA", {"legal"}, false, now);  // inactive: counts nowhere
  // Two open needs of one type in one file count one victim; a closed file's open need none.
  AddFile("OUA", "open", {{"medical", "open"}, {"medical", "open"}, {"legal", "open"}});
  AddFile("OUA", "open", {{"medical", "met"}, {"medical", "open"}});
  AddFile("OUA", "closed", {{"medical", "open"}, {"psychosocial", "met"}});
  AddFile("", "open", {{"shelter_unknown", "closed"}, {"education", "open"}});

  auto supply = db().Read<std::vector<providers::ServiceCount>>([&](Connection& c) {
    return providers::ProvidersStore().CountByPrefectureAndService(c, now - 181 * kDay);
  });
  ASSERT_TRUE(supply.ok()) << supply.status().message();
  ASSERT_EQ(supply->size(), 2u);
  EXPECT_EQ((*supply)[0].service, "medical");
  EXPECT_EQ((*supply)[0].providers, 2);
  EXPECT_EQ((*supply)[0].stale, 1);
  EXPECT_EQ((*supply)[1].service, "psychosocial");
  EXPECT_EQ((*supply)[1].stale, 0);

  auto demand = db().Read<std::vector<NeedDemand>>(
      [&](Connection& c) { return GapsStore().NeedsByPrefectureAndType(c); });
  ASSERT_TRUE(demand.ok()) << demand.status().message();
  std::vector<ServiceSupply> converted;
  for (const auto& s : *supply)
    converted.push_back({s.prefecture, s.service, s.providers, s.stale});
  auto rows = ComputeGaps(converted, *demand, kPlaces, {});
  const GapRow* medical = Find(rows, "OUA", "medical");
  ASSERT_NE(medical, nullptr);
  EXPECT_EQ(medical->needing, 2);
  EXPECT_EQ(medical->assisted, 1);
  EXPECT_EQ(medical->state, GapState::kCovered);
  const GapRow* legal = Find(rows, "OUA", "legal");
  ASSERT_NE(legal, nullptr);
  EXPECT_EQ(legal->needing, 1);
  EXPECT_EQ(legal->providers, 0);
  EXPECT_EQ(legal->state, GapState::kGap);
  const GapRow* psychosocial = Find(rows, "OUA", "psychosocial");
  ASSERT_NE(psychosocial, nullptr);
  EXPECT_EQ(psychosocial->needing, 0);
  EXPECT_EQ(psychosocial->assisted, 1);  // the closed file was assisted all the same
  const GapRow* education = Find(rows, "", "education");
  ASSERT_NE(education, nullptr);
  EXPECT_FALSE(education->known_prefecture);
  EXPECT_EQ(Find(rows, "", "shelter_unknown"), nullptr);  // closed without being met

  auto met = db().Read<std::int64_t>([&](Connection& c) {
    return GapsStore().FilesWithNeedMetBetween(c, kMet - kDay, kMet + kDay);
  });
  ASSERT_TRUE(met.ok());
  EXPECT_EQ(*met, 2);
  met = db().Read<std::int64_t>(
      [&](Connection& c) { return GapsStore().FilesWithNeedMetBetween(c, kMet + 1, kMet + kDay); });
  ASSERT_TRUE(met.ok());
  EXPECT_EQ(*met, 0);
}

PSEA_INSTANTIATE_ENGINE_TEST(GapQueriesTest);

}  // namespace
}  // namespace psea::assistance
