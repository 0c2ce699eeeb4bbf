// The paternity service on both engines, with real intake, cases and assistance services:
// claims and need-to-know (the VRA, the file's designees, nobody else), the sealed child and its
// audited reveal, cases and subjects checked against the file, the sample's custody and the
// order of dates, support and payments, versions, the key sync, the figure and the indicators.
// Names are made up.
#include "modules/paternity/service.h"

#include <gtest/gtest.h>

#include <memory>

#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::paternity {
namespace {

using assistance::AssistanceService;
using assistance::AssistanceSettings;
using cases::CasesService;
using intake::IntakeService;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z

class PaternityServiceTest : public storage::testdb::EngineTest {
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
    for (auto& m : CasesService::Migrations()) migrations.push_back(m);
    for (auto& m : AssistanceService::Migrations()) migrations.push_back(m);
    for (auto& m : PaternityService::Migrations()) migrations.push_back(m);
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
    chief_ = AddStaff(1, "chief", Role::kCdtChief);
    officer_ = AddStaff(2, "officer", Role::kCdtOfficer);
    vra_ = AddStaff(3, "vra", Role::kVra);
    vra2_ = AddStaff(4, "vra2", Role::kVra);
    leader_ = AddStaff(5, "leader", Role::kLeadership);
    auto step_up = [](const Principal&, const security::StepUpProof& proof, const std::string&,
                      const std::string&) -> Status {
      return proof.totp_code == "123456"
                 ? Status::Ok()
                 : Status(ErrorCode::kTotpInvalid, "wrong code", "totp_code");
    };
    intake::IntakeSettings intake_settings;
    intake_settings.verify_step_up = step_up;
    auto staff = [this]() -> Result<std::vector<intake::StaffMember>> { return staff_; };
    intake_ = std::make_unique<IntakeService>(db(), clock_, audit_, vault_, keyring_,
                                              security::SecretBytes(security::RandomBytes(32)),
                                              staff, intake_settings);
    intake::PlacesList places;
    places.prefectures.push_back({"OMP", "Ombella-M'Poko", {}, "CF41"});
    places.prefectures.push_back({"BGF", "Bangui", {}, "CF71"});
    intake_->SetDefaultPlaces(places);
    auto recovery = db().Write<std::string>([&](Connection& c) { return vault_.InitRecovery(c); });
    ASSERT_TRUE(recovery.ok());
    recovery_ = *recovery;
    ASSERT_TRUE(intake_->AddReaderFromConsole("chief", *recovery, Info()).ok());
    // vra reads the victims' identities; vra2 does not.
    ASSERT_TRUE(
        intake_->AddReaderFromConsole("vra", *recovery, Info(), intake::ReaderSet::kVictims).ok());
    cases::CaseSettings settings;
    settings.staff = staff;
    settings.verify_step_up = step_up;
    cases_ =
        std::make_unique<CasesService>(db(), clock_, audit_, vault_, keyring_, *intake_,
                                       security::SecretBytes(security::RandomBytes(32)), settings);
    ASSERT_TRUE(cases_->AddReader(chief_, 1, security::StepUpProof{"x", "123456"}, Info()).ok());
    AssistanceSettings assistance_settings;
    assistance_settings.staff = staff;
    assistance_ = std::make_unique<AssistanceService>(db(), clock_, audit_, vault_, keyring_,
                                                      *cases_, *intake_, assistance_settings);
    service_ = std::make_unique<PaternityService>(db(), clock_, audit_, vault_, keyring_,
                                                  *assistance_, *cases_);
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

  std::int64_t NewCase() {
    intake::NewComplaint n;
    n.channel = intake::Channel::kHotline4044;
    n.reporter_relation = "witness";
    n.identifying.narrative = "Synthetic narrative.";
    n.incident_date_precision = "month";
    n.incident_date = "2026-10";
    n.victims = {{25, "adult", "female", "unknown"}};
    n.perpetrators = {{"military_contingent", "FR", "Battalion 7", "Sergeant", "yes"}};
    n.identifying.victim_names = {"Pellora Synthetique"};
    auto submitted = intake_->Submit(chief_, n, Info());
    EXPECT_TRUE(submitted.ok()) << submitted.status().ToString();
    intake::Assessment assessment;
    assessment.is_sea = true;
    assessment.category = "sexual_exploitation";
    assessment.type = "transactional_sex";
    assessment.affiliation = "mission";
    const std::int64_t id = submitted->complaint.id;
    EXPECT_TRUE(intake_->Assess(chief_, id, assessment, Info()).ok());
    intake::RouteRequest route;
    route.route = intake::Route::kCase;
    EXPECT_TRUE(intake_->RouteComplaint(chief_, id, route, Info()).ok());
    cases::NewCase request;
    request.complaint_ids = {id};
    auto made = cases_->Create(chief_, request, Info());
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->kase.id : 0;
  }

  static RequestInfo Info() { return {"192.0.2.10", "req-test"}; }

  std::int64_t NewFile(std::vector<std::int64_t> case_ids = {}) {
    assistance::NewFile file;
    file.pseudonym = "Victim P";
    file.sex = "female";
    file.age = 19;
    file.prefecture = "OMP";
    file.case_ids = std::move(case_ids);
    file.identity = assistance::FileIdentity{"Mother Synthetica", "", "", "", ""};
    auto made = assistance_->CreateFile(vra_, file, Info());
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? made->file.id : 0;
  }

  static NewClaim ClaimOn(std::int64_t file_id) {
    NewClaim claim;
    claim.file_id = file_id;
    claim.claim_date = "2026-06-01";
    claim.sealed = SealedPart{kChild, "2026-03-14", "She wants support through school."};
    return claim;
  }

  std::int64_t AuditCount(const std::string& action) {
    auto entries = db().Read<std::vector<security::AuditEntry>>([&](Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      return security::AuditLog::Query(c, filter);
    });
    return entries.ok() ? static_cast<std::int64_t>(entries->size()) : -1;
  }

  static constexpr const char* kChild = "Petronille Synthetique-Vardan";

  FakeClock clock_{kStart};
  security::AuditLog audit_{clock_};
  security::Vault vault_{clock_, security::CostFromProfile("fast"),
                         security::SecretBytes(security::RandomBytes(32))};
  security::KeyRing keyring_;
  std::vector<intake::StaffMember> staff_;
  Principal chief_, officer_, vra_, vra2_, leader_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<CasesService> cases_;
  std::unique_ptr<AssistanceService> assistance_;
  std::unique_ptr<PaternityService> service_;
  std::string recovery_;
};

TEST_P(PaternityServiceTest, AVraRecordsAClaimWhoseChildIsSealed) {
  const std::int64_t case_id = NewCase();
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, case_id, vra_.user_id, Info()).ok());
  const std::int64_t file_id = NewFile({case_id});
  auto kase = cases_->Get(vra_, case_id);
  ASSERT_TRUE(kase.ok()) << kase.status().ToString();
  ASSERT_FALSE(kase->kase.subjects.empty());
  const std::int64_t subject_id = kase->kase.subjects.front().id;

  NewClaim request = ClaimOn(file_id);
  request.case_id = case_id;
  request.subject_id = subject_id;
  auto made = service_->CreateClaim(vra_, request, Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->claim.subject_id, subject_id);
  EXPECT_FALSE(made->case_reference.empty());
  EXPECT_TRUE(made->has_sealed);
  EXPECT_TRUE(made->can_reveal);
  EXPECT_EQ(made->claim.result, "pending");
  EXPECT_EQ(AuditCount("paternity.claim.create"), 1);

  auto opened = service_->RevealSealed(vra_, made->claim.id, Info());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->child_name, kChild);
  EXPECT_EQ(opened->child_date_of_birth, "2026-03-14");
  EXPECT_EQ(AuditCount("paternity.sealed.reveal"), 1);

  // Another VRA works the claim but reads no identity; the CDT and leadership see nothing.
  EXPECT_EQ(service_->RevealSealed(vra2_, made->claim.id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->GetClaim(vra2_, made->claim.id).ok());
  for (const auto* outsider : {&chief_, &officer_, &leader_}) {
    EXPECT_EQ(service_->GetClaim(*outsider, made->claim.id).status().code(), ErrorCode::kNotFound);
    EXPECT_EQ(service_->ListClaims(*outsider, file_id).status().code(), ErrorCode::kNotFound);
    EXPECT_EQ(service_->RevealSealed(*outsider, made->claim.id, Info()).status().code(),
              ErrorCode::kNotFound);
    EXPECT_EQ(service_->CreateClaim(*outsider, ClaimOn(file_id), Info()).status().code(),
              ErrorCode::kPermissionDenied);
  }
  // A stale proof of presence: the reveal asks for 2FA again.
  Principal stale = vra_;
  stale.verified_at = kStart - 24 * 3600 * 1000;
  EXPECT_EQ(service_->RevealSealed(stale, made->claim.id, Info()).status().code(),
            ErrorCode::kReauthRequired);

  if (engine() == storage::Engine::kSqlite) {
    const std::string bytes = storage::testdb::ReadFileBytes(sqlite_path());
    EXPECT_EQ(bytes.find(kChild), std::string::npos);
    EXPECT_EQ(bytes.find("through school"), std::string::npos);
  }
}

TEST_P(PaternityServiceTest, RefusesCasesAndSubjectsOutsideTheFile) {
  const std::int64_t case_id = NewCase();
  const std::int64_t file_id = NewFile();
  NewClaim request = ClaimOn(file_id);
  request.subject_id = 1;
  EXPECT_EQ(service_->CreateClaim(vra_, request, Info()).status().field(), "subject_id");
  request.case_id = case_id;
  EXPECT_EQ(service_->CreateClaim(vra_, request, Info()).status().field(), "case_id");
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, case_id, vra_.user_id, Info()).ok());
  ASSERT_TRUE(assistance_->LinkCase(vra_, file_id, case_id, Info()).ok());
  request.subject_id = 999999;
  auto refused = service_->CreateClaim(vra_, request, Info());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field(), "subject_id");
  request.subject_id.reset();
  request.claim_date = "2027-01-01";
  EXPECT_EQ(service_->CreateClaim(vra_, request, Info()).status().field(), "claim_date");
  request.claim_date = "2026-13-45";
  EXPECT_EQ(service_->CreateClaim(vra_, request, Info()).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(service_->CreateClaim(vra_, ClaimOn(987654), Info()).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(AuditCount("paternity.claim.create"), 0);
}

TEST_P(PaternityServiceTest, TheSampleKeepsItsCustodyAndDatesInOrder) {
  const std::int64_t file_id = NewFile();
  auto made = service_->CreateClaim(vra_, ClaimOn(file_id), Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::int64_t id = made->claim.id;

  // No test before the sample.
  ClaimPatch early;
  early.tested_at = "2026-07-01";
  EXPECT_EQ(service_->UpdateClaim(vra_, id, early, std::nullopt, VersionSource::kBody, Info())
                .status()
                .field(),
            "tested_at");
  NewHandOver before_sample{"Nurse", "Courier", "2026-06-10", "", true, ""};
  EXPECT_EQ(service_->HandOver(vra_, id, before_sample, Info()).status().field(), "sample");

  NewSample sample{"Nurse Synthetica", "2026-06-05T09:00:00Z", "Invented clinic", true, ""};
  auto collected = service_->CollectSample(vra_, id, sample, Info());
  ASSERT_TRUE(collected.ok()) << collected.status().ToString();
  EXPECT_EQ(collected->claim.custody.size(), 1u);
  EXPECT_EQ(service_->CollectSample(vra_, id, sample, Info()).status().code(),
            ErrorCode::kConflict);

  NewHandOver wrong{"Courier Fictive", "Lab", "2026-06-06", "", true, ""};
  EXPECT_EQ(service_->HandOver(vra_, id, wrong, Info()).status().field(), "from_holder");
  NewHandOver back_in_time{"Nurse Synthetica", "Courier Fictive", "2026-06-04", "", true, ""};
  EXPECT_EQ(service_->HandOver(vra_, id, back_in_time, Info()).status().field(), "at");
  NewHandOver courier{"Nurse Synthetica", "Courier Fictive", "2026-06-06", "Bangui", true, ""};
  ASSERT_TRUE(service_->HandOver(vra_, id, courier, Info()).ok());
  NewHandOver lab{"Courier Fictive", "Laboratoire Imaginaire", "2026-06-08", "Lab", false,
                  "seal torn"};
  auto handed = service_->HandOver(vra_, id, lab, Info());
  ASSERT_TRUE(handed.ok()) << handed.status().ToString();
  EXPECT_EQ(handed->claim.custody.size(), 3u);
  EXPECT_TRUE(handed->custody.intact);
  EXPECT_FALSE(handed->custody.seals_intact);

  ClaimPatch tested;
  tested.lab = "Laboratoire Imaginaire";
  tested.tested_at = "2026-06-01";  // before collection
  EXPECT_EQ(service_->UpdateClaim(vra_, id, tested, std::nullopt, VersionSource::kBody, Info())
                .status()
                .field(),
            "tested_at");
  tested.tested_at = "2026-06-20";
  tested.result = "established_by_dna";
  tested.result_at = "2026-06-10";  // before the test
  EXPECT_EQ(service_->UpdateClaim(vra_, id, tested, std::nullopt, VersionSource::kBody, Info())
                .status()
                .field(),
            "result_at");
  tested.result_at = "2026-06-25";
  // The version read: If-Match is 412, the body's version 409.
  EXPECT_EQ(
      service_->UpdateClaim(vra_, id, tested, 1, VersionSource::kIfMatch, Info()).status().code(),
      ErrorCode::kPreconditionFailed);
  EXPECT_EQ(
      service_->UpdateClaim(vra_, id, tested, 1, VersionSource::kBody, Info()).status().code(),
      ErrorCode::kConflict);
  auto done = service_->UpdateClaim(vra_, id, tested, handed->claim.version,
                                    VersionSource::kIfMatch, Info());
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->claim.result, "established_by_dna");
  EXPECT_EQ(done->claim.version, handed->claim.version + 1);
  EXPECT_EQ(AuditCount("paternity.sample.hand_over"), 2);
}

TEST_P(PaternityServiceTest, SupportAndPaymentsAreFollowed) {
  const std::int64_t file_id = NewFile();
  auto made = service_->CreateClaim(vra_, ClaimOn(file_id), Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::int64_t id = made->claim.id;
  NewSupport support{"voluntary_agreement", 0, "XAF", "monthly", "subject", "2026-08-01", ""};
  EXPECT_EQ(service_->AddSupport(vra_, id, support, Info()).status().field(), "amount");
  support.amount_cents = 2500000;
  support.currency = "xaf";
  EXPECT_EQ(service_->AddSupport(vra_, id, support, Info()).status().field(), "currency");
  support.currency = "XAF";
  support.frequency = "weekly";
  EXPECT_EQ(service_->AddSupport(vra_, id, support, Info()).status().field(), "frequency");
  support.frequency = "monthly";
  auto arranged = service_->AddSupport(vra_, id, support, Info());
  ASSERT_TRUE(arranged.ok()) << arranged.status().ToString();
  ASSERT_EQ(arranged->claim.support.size(), 1u);
  const std::int64_t support_id = arranged->claim.support.front().id;

  NewPayment early{"2026-07-15", 2500000, "received", ""};
  EXPECT_EQ(service_->AddPayment(vra_, id, support_id, early, Info()).status().field(), "on");
  NewPayment future{"2026-12-15", 2500000, "received", ""};
  EXPECT_EQ(service_->AddPayment(vra_, id, support_id, future, Info()).status().field(), "on");
  NewPayment negative{"2026-09-01", -5, "received", ""};
  EXPECT_EQ(service_->AddPayment(vra_, id, support_id, negative, Info()).status().field(),
            "amount");
  EXPECT_EQ(service_->AddPayment(vra_, id, 424242, early, Info()).status().code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(
      service_->AddPayment(vra_, id, support_id, {"2026-08-01", 2500000, "received", ""}, Info())
          .ok());
  auto missed =
      service_->AddPayment(vra_, id, support_id, {"2026-09-01", 2500000, "missed", ""}, Info());
  ASSERT_TRUE(missed.ok()) << missed.status().ToString();
  ASSERT_EQ(missed->claim.support.front().payments.size(), 2u);
  EXPECT_EQ(missed->claim.support.front().payments[1].state, "missed");
  // A designee reads but does not write.
  ASSERT_TRUE(assistance_->Designate(vra_, file_id, officer_.user_id, Info()).ok());
  EXPECT_TRUE(service_->GetClaim(officer_, id).ok());
  EXPECT_EQ(service_->AddSupport(officer_, id, support, Info()).status().code(),
            ErrorCode::kPermissionDenied);

  // Closed: nothing but reopening.
  ClaimPatch close;
  close.status = "closed";
  auto closed = service_->UpdateClaim(vra_, id, close, std::nullopt, VersionSource::kBody, Info());
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(service_->AddSupport(vra_, id, support, Info()).status().code(), ErrorCode::kConflict);
}

TEST_P(PaternityServiceTest, ADesigneeNamedLaterGetsTheKeyBySync) {
  const std::int64_t file_id = NewFile();
  auto made = service_->CreateClaim(vra_, ClaimOn(file_id), Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_TRUE(assistance_->Designate(vra_, file_id, officer_.user_id, Info()).ok());
  auto seen = service_->GetClaim(officer_, made->claim.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_TRUE(seen->can_reveal);
  // Designated after the sealing: no key until a victims reader passes it on.
  EXPECT_EQ(service_->RevealSealed(officer_, made->claim.id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->SyncReaders(vra2_, Info()).status().code(), ErrorCode::kPermissionDenied);
  auto sync = service_->SyncReaders(vra_, Info());
  ASSERT_TRUE(sync.ok()) << sync.status().ToString();
  EXPECT_EQ(sync->granted, 1);
  auto opened = service_->RevealSealed(officer_, made->claim.id, Info());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->child_name, kChild);
  // Undesignated: the sets decide at once, the sync takes the key back.
  ASSERT_TRUE(assistance_->Undesignate(vra_, file_id, officer_.user_id, Info()).ok());
  EXPECT_EQ(service_->RevealSealed(officer_, made->claim.id, Info()).status().code(),
            ErrorCode::kNotFound);
  auto again = service_->SyncReaders(vra_, Info());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked, 1);
}

TEST_P(PaternityServiceTest, TheFigureAndTheIndicatorsCountOpenClaims) {
  const std::int64_t file_id = NewFile();
  for (const char* date : {"2026-11-01", "2026-05-01", "2025-06-01"}) {
    NewClaim claim = ClaimOn(file_id);
    claim.claim_date = date;
    claim.sealed.reset();
    ASSERT_TRUE(service_->CreateClaim(vra_, claim, Info()).ok());
  }
  auto figure = service_->OpenByAge(vra_);
  ASSERT_TRUE(figure.ok()) << figure.status().ToString();
  EXPECT_EQ(figure->bands.total, 3);
  EXPECT_EQ(figure->bands.counts[0], 1);
  EXPECT_EQ(figure->bands.counts[2], 1);
  EXPECT_EQ(figure->bands.counts[3], 1);
  EXPECT_EQ(service_->OpenByAge(chief_).status().code(), ErrorCode::kPermissionDenied);
  auto value = db().Read<double>([&](Connection& c) {
    return service_->IndicatorValue(c, PaternityService::kIndicatorOpenClaimsOverAYear, kStart);
  });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 1.0);
  auto all = db().Read<double>([&](Connection& c) {
    return service_->IndicatorValue(c, PaternityService::kIndicatorOpenClaims, kStart);
  });
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 3.0);
}

TEST_P(PaternityServiceTest, APurgedCaseLeavesTheClaimWithoutItsCase) {
  const std::int64_t case_id = NewCase();
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, case_id, vra_.user_id, Info()).ok());
  const std::int64_t file_id = NewFile({case_id});
  NewClaim request = ClaimOn(file_id);
  request.case_id = case_id;
  auto made = service_->CreateClaim(vra_, request, Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto purged =
      db().Write<std::int64_t>([&](Connection& c) { return service_->PurgeCase(c, case_id); });
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1);
  auto after = service_->GetClaim(vra_, made->claim.id);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->claim.case_id.has_value());
  EXPECT_FALSE(after->claim.subject_id.has_value());
  EXPECT_TRUE(after->has_sealed);
}

PSEA_INSTANTIATE_ENGINE_TEST(PaternityServiceTest);

}  // namespace
}  // namespace psea::paternity
