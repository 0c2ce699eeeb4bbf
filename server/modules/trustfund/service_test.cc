// The Trust Fund service on both engines, with invented links to providers, cases and places:
// who may do what, versions, beneficiaries' periods, case links seen only by who sees the
// case, figures, the indicator and the purge hook. Names are made up.
#include "modules/trustfund/service.h"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::trustfund {
namespace {

using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z

UnixMillis Day(const char* text) { return ParseDay(text, "day").value(); }

class TrustFundServiceTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    security::InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = security::AuditLog::Migrations();
    for (auto& m : TrustFundService::Migrations()) migrations.push_back(m);
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
    TrustFundLinks links;
    links.provider_name = [](Connection&, std::int64_t id) -> Result<std::optional<std::string>> {
      if (id == 7) return std::optional<std::string>("Invented clinic");
      return std::optional<std::string>();
    };
    // Case 11 is seen by the VRA only; case 12 by both.
    links.case_reference = [](const Principal& caller,
                              std::int64_t id) -> Result<std::optional<std::string>> {
      if (id == 12 || (id == 11 && caller.role == Role::kVra)) {
        return std::optional<std::string>("TEST-2026-00" + std::to_string(id));
      }
      return std::optional<std::string>();
    };
    links.is_prefecture = [](const std::string& code) -> Result<bool> {
      return code == "BGI" || code == "OUK";
    };
    service_ = std::make_unique<TrustFundService>(db(), clock_, audit_, std::move(links));
  }

  static Principal As(std::int64_t id, const std::string& name, Role role) {
    Principal p;
    p.user_id = id;
    p.username = name;
    p.role = role;
    return p;
  }

  static RequestInfo Info() { return RequestInfo{"127.0.0.1", "test"}; }

  static Project Sample() {
    Project p;
    p.title = "Synthetic livelihood project";
    p.partner = "Invented NGO";
    p.amount_minor = 12'500'000;
    p.currency = "USD";
    p.start_day = Day("2026-01-01");
    p.end_day = Day("2026-12-31");
    p.prefectures = {"BGI"};
    p.services = {"livelihood"};
    p.status = "active";
    return p;
  }

  static Transfer SampleTransfer() {
    Transfer t;
    t.transfer_day = Day("2026-06-15");
    t.amount_minor = 400'000;
    t.currency = "XAF";
    t.contributor = "Invented Member State";
    t.reference = "FIN-TEST-1";
    return t;
  }

  std::int64_t Audited(const std::string& action) {
    auto entries = db().Read<std::vector<security::AuditEntry>>([&](Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      return security::AuditLog::Query(c, filter);
    });
    return entries.ok() ? static_cast<std::int64_t>(entries->size()) : -1;
  }

  FakeClock clock_{kStart};
  security::AuditLog audit_{clock_};
  Principal vra_ = As(1, "vra", Role::kVra);
  Principal chief_ = As(2, "chief", Role::kCdtChief);
  Principal leader_ = As(3, "leader", Role::kLeadership);
  Principal officer_ = As(4, "officer", Role::kCdtOfficer);
  std::unique_ptr<TrustFundService> service_;
};

TEST_P(TrustFundServiceTest, TheVraAndTheChiefManageLeadershipReadsFigures) {
  auto created = service_->CreateProject(vra_, Sample(), Info());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->project.version, 1);
  EXPECT_EQ(Audited("trustfund.project.create"), 1);
  EXPECT_TRUE(service_->GetProject(chief_, created->project.id).ok());
  for (const Principal& other : {leader_, officer_}) {
    EXPECT_EQ(service_->ListProjects(other).status().code(), ErrorCode::kPermissionDenied);
    EXPECT_EQ(service_->CreateProject(other, Sample(), Info()).status().code(),
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(service_->ListTransfers(other).status().code(), ErrorCode::kPermissionDenied);
  }
  EXPECT_TRUE(service_->GetFigures(leader_).ok());
  EXPECT_EQ(service_->GetFigures(officer_).status().code(), ErrorCode::kPermissionDenied);
}

TEST_P(TrustFundServiceTest, ProjectsCheckPlacesProvidersAndVersions) {
  Project unknown_place = Sample();
  unknown_place.prefectures = {"XXX"};
  EXPECT_EQ(service_->CreateProject(vra_, unknown_place, Info()).status().field(), "prefectures");
  Project unknown_provider = Sample();
  unknown_provider.provider_id = 99;
  EXPECT_EQ(service_->CreateProject(vra_, unknown_provider, Info()).status().field(),
            "provider_id");
  Project from_directory = Sample();
  from_directory.partner.clear();
  from_directory.provider_id = 7;
  auto linked = service_->CreateProject(vra_, from_directory, Info());
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_EQ(linked->project.partner, "Invented clinic");

  const std::int64_t id = linked->project.id;
  ProjectPatch patch;
  patch.amount_minor = 13'000'000;
  auto changed = service_->UpdateProject(vra_, id, patch, 1, VersionSource::kIfMatch, Info());
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->project.version, 2);
  EXPECT_EQ(changed->project.amount_minor, 13'000'000);
  auto stale = service_->UpdateProject(chief_, id, patch, 1, VersionSource::kIfMatch, Info());
  EXPECT_EQ(stale.status().code(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(stale.status().field(), "If-Match");
  stale = service_->UpdateProject(chief_, id, patch, 1, VersionSource::kBody, Info());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  ProjectPatch reversed;
  reversed.end_day = Day("2025-01-01");
  EXPECT_EQ(
      service_->UpdateProject(vra_, id, reversed, 2, VersionSource::kBody, Info()).status().field(),
      "end_day");
  ProjectPatch unlink;
  unlink.provider_id = std::optional<std::int64_t>();
  auto unlinked =
      service_->UpdateProject(vra_, id, unlink, std::nullopt, VersionSource::kBody, Info());
  ASSERT_TRUE(unlinked.ok());
  EXPECT_FALSE(unlinked->project.provider_id.has_value());
  EXPECT_EQ(
      service_->UpdateProject(vra_, id, ProjectPatch{}, std::nullopt, VersionSource::kBody, Info())
          .status()
          .field(),
      "body");
  EXPECT_EQ(service_->GetProject(vra_, 999).status().code(), ErrorCode::kNotFound);
}

TEST_P(TrustFundServiceTest, BeneficiariesArePeriodsOfCounts) {
  auto created = service_->CreateProject(vra_, Sample(), Info());
  ASSERT_TRUE(created.ok());
  const std::int64_t id = created->project.id;
  Beneficiaries q1;
  q1.period_start = Day("2026-01-01");
  q1.period_end = Day("2026-03-31");
  q1.women = 12;
  q1.girls = 5;
  q1.children_born_of_sea = 3;
  auto after = service_->PutBeneficiaries(vra_, id, q1, 1, VersionSource::kIfMatch, Info());
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->project.version, 2);
  ASSERT_EQ(after->beneficiaries.size(), 1u);
  // The same period again replaces its counts.
  q1.women = 14;
  after = service_->PutBeneficiaries(vra_, id, q1, std::nullopt, VersionSource::kBody, Info());
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->beneficiaries.size(), 1u);
  EXPECT_EQ(after->beneficiaries[0].women, 14);
  Beneficiaries negative = q1;
  negative.period_start = Day("2026-04-01");
  negative.period_end = Day("2026-06-30");
  negative.men = -2;
  EXPECT_EQ(
      service_->PutBeneficiaries(vra_, id, negative, std::nullopt, VersionSource::kBody, Info())
          .status()
          .field(),
      "men");
  EXPECT_EQ(
      service_->PutBeneficiaries(vra_, id, q1, 1, VersionSource::kIfMatch, Info()).status().code(),
      ErrorCode::kPreconditionFailed);
  // A project cannot end before a period it counted.
  ProjectPatch shorter;
  shorter.start_day = Day("2026-05-01");
  EXPECT_EQ(service_->UpdateProject(vra_, id, shorter, std::nullopt, VersionSource::kBody, Info())
                .status()
                .field(),
            "start_day");
  // The indicator counts people in periods starting within the months.
  auto reached = db().Read<double>(
      [&](Connection& c) { return service_->IndicatorValue(c, "2026-01", "2026-03"); });
  ASSERT_TRUE(reached.ok()) << reached.status().ToString();
  EXPECT_EQ(*reached, 22.0);
  reached = db().Read<double>(
      [&](Connection& c) { return service_->IndicatorValue(c, "2026-02", "2026-12"); });
  ASSERT_TRUE(reached.ok());
  EXPECT_EQ(*reached, 0.0);
  const std::int64_t entry = after->beneficiaries[0].id;
  auto removed = service_->DeleteBeneficiaries(chief_, id, entry, Info());
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed->beneficiaries.empty());
  EXPECT_EQ(service_->DeleteBeneficiaries(chief_, id, entry, Info()).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(Audited("trustfund.beneficiaries.put"), 2);
  EXPECT_EQ(Audited("trustfund.beneficiaries.delete"), 1);
}

TEST_P(TrustFundServiceTest, CaseLinksAreSeenOnlyByWhoSeesTheCase) {
  Transfer t = SampleTransfer();
  t.case_id = 11;
  EXPECT_EQ(service_->CreateTransfer(chief_, t, Info()).status().field(), "case_id");
  auto created = service_->CreateTransfer(vra_, t, Info());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->case_reference, "TEST-2026-0011");
  auto as_chief = service_->GetTransfer(chief_, created->transfer.id);
  ASSERT_TRUE(as_chief.ok());
  EXPECT_FALSE(as_chief->case_id.has_value());
  EXPECT_TRUE(as_chief->case_reference.empty());
  // The chief corrects the amount; the link she cannot see stays.
  TransferPatch amount;
  amount.amount_minor = 450'000;
  auto corrected = service_->UpdateTransfer(chief_, created->transfer.id, amount, 1,
                                            VersionSource::kIfMatch, Info());
  ASSERT_TRUE(corrected.ok()) << corrected.status().ToString();
  auto as_vra = service_->GetTransfer(vra_, created->transfer.id);
  ASSERT_TRUE(as_vra.ok());
  EXPECT_EQ(as_vra->case_id, std::optional<std::int64_t>(11));
  EXPECT_EQ(as_vra->transfer.amount_minor, 450'000);
  EXPECT_EQ(as_vra->transfer.version, 2);
  TransferPatch negative;
  negative.amount_minor = -5;
  EXPECT_EQ(service_
                ->UpdateTransfer(vra_, created->transfer.id, negative, std::nullopt,
                                 VersionSource::kBody, Info())
                .status()
                .field(),
            "amount_minor");
  // A purged case's transfers keep their amounts and lose the link.
  auto unlinked =
      db().Write<std::int64_t>([&](Connection& c) { return service_->PurgeCase(c, 11); });
  ASSERT_TRUE(unlinked.ok());
  EXPECT_EQ(*unlinked, 1);
  as_vra = service_->GetTransfer(vra_, created->transfer.id);
  ASSERT_TRUE(as_vra.ok());
  EXPECT_FALSE(as_vra->case_id.has_value());
}

TEST_P(TrustFundServiceTest, FiguresSumByYearAndCurrencyNeverAcross) {
  Project a = Sample();
  Project b = Sample();
  b.currency = "EUR";
  b.amount_minor = 100;
  Project c = Sample();
  c.start_day = Day("2025-03-01");
  c.status = "completed";
  Project cancelled = Sample();
  cancelled.status = "cancelled";
  for (const auto& p : {a, b, c, cancelled}) {
    ASSERT_TRUE(service_->CreateProject(chief_, p, Info()).ok());
  }
  Transfer t1 = SampleTransfer();
  Transfer t2 = SampleTransfer();
  t2.amount_minor = 100'000;
  Transfer t3 = SampleTransfer();
  t3.currency = "USD";
  t3.amount_minor = 2'500;
  for (const auto& t : {t1, t2, t3}) ASSERT_TRUE(service_->CreateTransfer(vra_, t, Info()).ok());
  Transfer future = SampleTransfer();
  future.transfer_day = Day("2026-12-01");
  EXPECT_EQ(service_->CreateTransfer(vra_, future, Info()).status().field(), "transfer_day");

  auto figures = service_->GetFigures(leader_);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(figures->projects, 3);
  EXPECT_EQ(figures->active_projects, 2);
  ASSERT_EQ(figures->funded.size(), 3u);
  EXPECT_EQ(figures->funded[0].year, 2025);
  EXPECT_EQ(figures->funded[0].amount_minor, 12'500'000);
  EXPECT_EQ(figures->funded[1].currency, "EUR");
  EXPECT_EQ(figures->funded[2].currency, "USD");
  EXPECT_EQ(figures->funded[2].amount_minor, 12'500'000);
  ASSERT_EQ(figures->transferred.size(), 2u);
  EXPECT_EQ(figures->transferred[0].currency, "USD");
  EXPECT_EQ(figures->transferred[1].currency, "XAF");
  EXPECT_EQ(figures->transferred[1].amount_minor, 500'000);
  EXPECT_EQ(figures->transferred[1].count, 2);
  EXPECT_EQ(figures->beneficiaries_total.Total(), 0);
}

PSEA_INSTANTIATE_ENGINE_TEST(TrustFundServiceTest);

}  // namespace
}  // namespace psea::trustfund
