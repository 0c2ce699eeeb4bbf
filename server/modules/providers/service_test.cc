// The providers service on both engines, with a real intake service (places, victims
// readers): the directory's rules, versions, the sealed contacts (only victims readers open
// them; a victims reader added later is granted them), provider case managers' own entry, and
// the answers the assistance module uses. Names are made up.
#include "modules/providers/service.h"

#include <gtest/gtest.h>

#include <memory>

#include "modules/intake/handlers.h"
#include "modules/intake/locations.h"
#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::providers {
namespace {

using intake::IntakeService;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr std::int64_t kDay = 24LL * 60 * 60 * 1000;

class ProvidersServiceTest : public storage::testdb::EngineTest {
 protected:
  static void SetUpTestSuite() {
    security::InitCrypto();
    EngineTest::SetUpTestSuite();
  }

  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<storage::Migration> migrations = security::AuditLog::Migrations();
    for (auto& m : security::Vault::Migrations()) migrations.push_back(m);
    for (auto& m : security::ReaderRegistry::Migrations()) migrations.push_back(m);
    for (auto& m : IntakeService::Migrations()) migrations.push_back(m);
    for (auto& m : ProvidersService::Migrations()) migrations.push_back(m);
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
    chief_ = AddStaff(1, "chief", Role::kCdtChief);
    officer_ = AddStaff(2, "officer", Role::kCdtOfficer);
    vra_ = AddStaff(3, "vra", Role::kVra);
    manager_ = AddStaff(4, "manager", Role::kProviderCaseManager);
    admin_ = AddStaff(5, "admin", Role::kAdmin);
    vra2_ = AddStaff(6, "vra2", Role::kVra);
    leader_ = AddStaff(7, "leader", Role::kLeadership);
    auto staff = [this]() -> Result<std::vector<intake::StaffMember>> { return staff_; };
    intake::IntakeSettings intake_settings;
    intake_settings.verify_step_up = [](const Principal&, const security::StepUpProof&,
                                        const std::string&,
                                        const std::string&) { return Status::Ok(); };
    intake_ = std::make_unique<IntakeService>(db(), clock_, audit_, vault_, keyring_,
                                              security::SecretBytes(security::RandomBytes(32)),
                                              staff, intake_settings);
    auto places = intake::ParseLocationsYaml(intake::CarPlacesYaml());
    ASSERT_TRUE(places.ok());
    intake_->SetDefaultPlaces(std::move(places).value());
    recovery_ =
        db().Write<std::string>([&](Connection& c) { return vault_.InitRecovery(c); }).value();
    ASSERT_TRUE(
        intake_->AddReaderFromConsole("vra", recovery_, Info(), intake::ReaderSet::kVictims).ok());
    ProvidersSettings settings;
    settings.staff = staff;
    service_ = std::make_unique<ProvidersService>(db(), clock_, audit_, vault_, keyring_, *intake_,
                                                  settings);
    const ProvidersService* directory = service_.get();
    intake_->AddVictimItemsSource(
        {[directory](Connection& c) { return directory->ContactItems(c); }, nullptr});
  }

  Principal AddStaff(std::int64_t id, const std::string& name, Role role) {
    staff_.push_back({id, name, "Synthetic " + name, role, false});
    const std::string password = security::RandomToken(24);
    EXPECT_TRUE(
        db().WriteTransaction([&](Connection& c) { return vault_.CreateUserKeys(c, id, password); })
            .ok());
    auto key = db().Read<security::UnlockedKey>(
        [&](Connection& c) { return vault_.UnlockUserKey(c, id, password); });
    keyring_.Put(id, std::move(key).value(), kStart + 24 * 3600 * 1000, kStart);
    Principal principal;
    principal.user_id = id;
    principal.username = name;
    principal.role = role;
    principal.session_id = id;
    principal.verified_at = kStart;
    return principal;
  }

  static RequestInfo Info() { return RequestInfo{"127.0.0.1", "test"}; }

  static Provider Clinic(const std::string& name = "Synthetic clinic") {
    Provider p;
    p.name = name;
    p.kind = "health_facility";
    p.services = {"medical", "psychosocial"};
    p.prefecture = "BGI";
    p.town = "Bangui";
    p.cost = "free";
    p.coordinates = Coordinates{4'366'700, 18'583'300};
    return p;
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
  security::Vault vault_{clock_, security::CostFromProfile("fast"),
                         security::SecretBytes(security::RandomBytes(32))};
  security::KeyRing keyring_;
  std::vector<intake::StaffMember> staff_;
  Principal chief_, officer_, vra_, manager_, admin_, vra2_, leader_;
  std::string recovery_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<ProvidersService> service_;
};

TEST_P(ProvidersServiceTest, WhoManagesAndWhoReads) {
  auto created = service_->Create(vra_, Clinic(), std::nullopt, Info());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(FormatDay(created->last_verified), "2026-11-28");
  EXPECT_TRUE(service_->Create(chief_, Clinic("Second"), std::nullopt, Info()).ok());
  EXPECT_EQ(service_->Create(officer_, Clinic("Third"), std::nullopt, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Create(admin_, Clinic("Third"), std::nullopt, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  auto listed = service_->List(officer_, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_EQ(service_->List(leader_, {}).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->List(admin_, {}).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(Audited("providers.create"), 2);
}

TEST_P(ProvidersServiceTest, PrefectureComesFromThePlacesList) {
  Provider p = Clinic();
  p.prefecture = "ZZZ";
  auto refused = service_->Create(vra_, p, std::nullopt, Info());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field(), "prefecture");
  p.prefecture = "OUA";
  EXPECT_TRUE(service_->Create(vra_, p, std::nullopt, Info()).ok());
  auto prefectures = service_->Prefectures();
  ASSERT_TRUE(prefectures.ok());
  EXPECT_GT(prefectures->size(), 10u);
}

TEST_P(ProvidersServiceTest, VersionsRefuseALostUpdate) {
  auto created = service_->Create(vra_, Clinic(), std::nullopt, Info());
  ASSERT_TRUE(created.ok());
  ProviderPatch patch;
  patch.hours = "Mon-Fri 8:00-16:00";
  auto first = service_->Update(vra_, created->id, patch, 1, VersionSource::kIfMatch, Info());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version, 2);
  patch.hours = "Every day";
  auto late = service_->Update(chief_, created->id, patch, 1, VersionSource::kIfMatch, Info());
  EXPECT_EQ(late.status().code(), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(late.status().field(), "If-Match");
  auto body = service_->Update(chief_, created->id, patch, 1, VersionSource::kBody, Info());
  EXPECT_EQ(body.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(body.status().field(), "version");
  auto any =
      service_->Update(chief_, created->id, patch, std::nullopt, VersionSource::kIfMatch, Info());
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->version, 3);
  ProviderPatch bad;
  bad.coordinates = std::optional<Coordinates>(Coordinates{-4'000'000, 18'000'000});
  auto refused = service_->Update(vra_, created->id, bad, 3, VersionSource::kBody, Info());
  EXPECT_EQ(refused.status().field(), "lat");
  auto stored = service_->Get(vra_, created->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->hours, "Every day");
  EXPECT_EQ(stored->version, 3);
  EXPECT_EQ(Audited("providers.update"), 2);
}

TEST_P(ProvidersServiceTest, StaleUntilVerifiedAgain) {
  Provider p = Clinic();
  p.last_verified = kStart - kStart % kDay - 200 * kDay;
  auto created = service_->Create(vra_, p, std::nullopt, Info());
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(service_->IsStale(*created));
  ProviderFilter only_stale;
  only_stale.stale = true;
  auto stale = service_->List(vra_, only_stale);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->size(), 1u);
  auto verified = service_->MarkVerified(vra_, created->id, std::nullopt, Info());
  ASSERT_TRUE(verified.ok());
  EXPECT_FALSE(service_->IsStale(*verified));
  EXPECT_EQ(service_->MarkVerified(vra_, created->id, kStart + 2 * kDay, Info()).status().code(),
            ErrorCode::kUnprocessable);
  auto off = service_->Deactivate(vra_, created->id, Info());
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->active);
  EXPECT_EQ(Audited("providers.verify"), 1);
  EXPECT_EQ(Audited("providers.deactivate"), 1);
}

TEST_P(ProvidersServiceTest, ContactsAreSealedForTheVictimsReaders) {
  ProviderContacts contacts{"Amina Synthetic", "+236 70 00 00 01", "amina@example.org"};
  auto created = service_->Create(chief_, Clinic(), contacts, Info());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_TRUE(created->contacts_item.has_value());
  auto opened = service_->OpenContacts(vra_, created->id, Info());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->person, "Amina Synthetic");
  EXPECT_EQ(opened->email, "amina@example.org");
  EXPECT_EQ(service_->OpenContacts(chief_, created->id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->OpenContacts(officer_, created->id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(Audited("providers.contacts.open"), 1);
  // A victims reader added later is granted the contacts with the complaints' victim parts.
  EXPECT_EQ(service_->OpenContacts(vra2_, created->id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(
      intake_
          ->AddReader(vra_, 6, security::StepUpProof{"x", "1"}, Info(), intake::ReaderSet::kVictims)
          .ok());
  auto second = service_->OpenContacts(vra2_, created->id, Info());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->phone, "+236 70 00 00 01");
  // Replacing the contacts seals a new item and destroys the old one.
  ProviderPatch patch;
  patch.contacts = ProviderContacts{"Jean Synthetic", "", ""};
  auto changed = service_->Update(vra_, created->id, patch, 1, VersionSource::kBody, Info());
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_NE(changed->contacts_item, created->contacts_item);
  auto items = db().Read<std::vector<std::int64_t>>(
      [&](Connection& c) { return service_->ContactItems(c); });
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(*items, std::vector<std::int64_t>{*changed->contacts_item});
  EXPECT_EQ(service_->OpenContacts(vra_, created->id, Info())->person, "Jean Synthetic");
  // Removing the reader takes the contacts away again.
  ASSERT_TRUE(intake_
                  ->RemoveReader(vra_, 6, security::StepUpProof{"x", "1"}, Info(),
                                 intake::ReaderSet::kVictims)
                  .ok());
  EXPECT_FALSE(service_->OpenContacts(vra2_, created->id, Info()).ok());
}

TEST_P(ProvidersServiceTest, ACaseManagerSeesTheirOwnProviderOnly) {
  auto mine = service_->Create(vra_, Clinic("Mine"), std::nullopt, Info());
  auto other = service_->Create(vra_, Clinic("Other"), std::nullopt, Info());
  ASSERT_TRUE(mine.ok() && other.ok());
  auto none = service_->List(manager_, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(service_->AddMember(vra_, mine->id, officer_.user_id, Info()).field(), "user_id");
  EXPECT_EQ(service_->AddMember(chief_, mine->id, manager_.user_id, Info()).code(),
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->AddMember(admin_, mine->id, manager_.user_id, Info()).ok());
  auto own = service_->List(manager_, {});
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ(own->front().name, "Mine");
  EXPECT_TRUE(service_->Get(manager_, mine->id).ok());
  EXPECT_EQ(service_->Get(manager_, other->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->OpenContacts(manager_, mine->id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  ProviderPatch patch;
  patch.hours = "any";
  EXPECT_EQ(
      service_->Update(manager_, mine->id, patch, 1, VersionSource::kBody, Info()).status().code(),
      ErrorCode::kPermissionDenied);
  auto members = service_->Members(vra_, mine->id);
  ASSERT_TRUE(members.ok());
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ(members->front().username, "manager");
  auto of_user = db().Read<std::optional<std::int64_t>>(
      [&](Connection& c) { return service_->ProviderOfUser(c, manager_.user_id); });
  ASSERT_TRUE(of_user.ok());
  EXPECT_EQ(*of_user, mine->id);
  // Linking again moves the account.
  ASSERT_TRUE(service_->AddMember(vra_, other->id, manager_.user_id, Info()).ok());
  EXPECT_EQ(service_->List(manager_, {})->front().name, "Other");
  EXPECT_EQ(service_->RemoveMember(vra_, mine->id, manager_.user_id, Info()).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(service_->RemoveMember(vra_, other->id, manager_.user_id, Info()).ok());
  EXPECT_TRUE(service_->List(manager_, {})->empty());
}

TEST_P(ProvidersServiceTest, SummariesAndCountsForTheAssistanceModule) {
  auto clinic = service_->Create(vra_, Clinic(), std::nullopt, Info());
  Provider legal = Clinic("Synthetic legal aid");
  legal.kind = "legal_aid";
  legal.services = {"legal", "psychosocial"};
  auto lawyers = service_->Create(vra_, legal, std::nullopt, Info());
  Provider far = Clinic("Synthetic shelter");
  far.kind = "shelter";
  far.services = {"safety_protection"};
  far.prefecture = "OUA";
  auto shelter = service_->Create(vra_, far, std::nullopt, Info());
  ASSERT_TRUE(clinic.ok() && lawyers.ok() && shelter.ok());
  ASSERT_TRUE(service_->Deactivate(vra_, shelter->id, Info()).ok());
  auto summary = db().Read<std::optional<ProviderSummary>>(
      [&](Connection& c) { return service_->FindProvider(c, lawyers->id); });
  ASSERT_TRUE(summary.ok() && summary->has_value());
  EXPECT_EQ((*summary)->services, (std::vector<std::string>{"psychosocial", "legal"}));
  EXPECT_TRUE((*summary)->active);
  auto missing = db().Read<std::optional<ProviderSummary>>(
      [&](Connection& c) { return service_->FindProvider(c, 999); });
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto counts = db().Read<std::vector<ServiceCount>>(
      [&](Connection& c) { return service_->CountByPrefectureAndService(c); });
  ASSERT_TRUE(counts.ok());
  // The inactive shelter counts nowhere.
  ASSERT_EQ(counts->size(), 3u);
  EXPECT_EQ((*counts)[0].service, "legal");
  EXPECT_EQ((*counts)[1].service, "medical");
  EXPECT_EQ((*counts)[2].service, "psychosocial");
  EXPECT_EQ((*counts)[2].providers, 2);
  EXPECT_EQ((*counts)[2].prefecture, "BGI");
  EXPECT_EQ((*counts)[2].stale, 0);
  // A day past the stale limit every entry verified today is stale; a day before, none is.
  const UnixMillis today = clock_.Now();
  clock_.Set(today + static_cast<std::int64_t>(kDefaultStaleDays) * 24 * 3600 * 1000);
  counts = db().Read<std::vector<ServiceCount>>(
      [&](Connection& c) { return service_->CountByPrefectureAndService(c); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[2].stale, 0);
  clock_.Set(today + static_cast<std::int64_t>(kDefaultStaleDays + 1) * 24 * 3600 * 1000);
  counts = db().Read<std::vector<ServiceCount>>(
      [&](Connection& c) { return service_->CountByPrefectureAndService(c); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[2].stale, 2);
}

PSEA_INSTANTIATE_ENGINE_TEST(ProvidersServiceTest);

}  // namespace
}  // namespace psea::providers
