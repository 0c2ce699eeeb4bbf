// The evidence service on both engines, with a real cases service: items and their chain of
// custody, transfers, the files' encryption and SHA-256, the integrity check finding a changed
// row and a changed file, need-to-know through the case, IRT deployments, and the retention
// purge hook. Names are made up.
#include "modules/evidence/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "modules/evidence/print.h"
#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::evidence {
namespace {

namespace fs = std::filesystem;
using cases::CasesService;
using intake::IntakeService;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z

class EvidenceServiceTest : public storage::testdb::EngineTest {
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
    for (auto& m : EvidenceService::Migrations()) migrations.push_back(m);
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
    chief_ = AddStaff(1, "chief", Role::kCdtChief);
    officer_ = AddStaff(2, "officer", Role::kCdtOfficer);
    vra_ = AddStaff(3, "vra", Role::kVra);
    investigator_ = AddStaff(4, "investigator", Role::kInvestigator);
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
    auto recovery = db().Write<std::string>([&](Connection& c) { return vault_.InitRecovery(c); });
    ASSERT_TRUE(recovery.ok());
    ASSERT_TRUE(intake_->AddReaderFromConsole("chief", *recovery, Info()).ok());
    cases::CaseSettings settings;
    settings.staff = staff;
    settings.verify_step_up = step_up;
    settings.units_of_user = [](std::int64_t user) -> Result<std::vector<std::string>> {
      return user == 4 ? std::vector<std::string>{"OIOS"} : std::vector<std::string>{};
    };
    cases_ =
        std::make_unique<CasesService>(db(), clock_, audit_, vault_, keyring_, *intake_,
                                       security::SecretBytes(security::RandomBytes(32)), settings);
    ASSERT_TRUE(cases_->AddReader(chief_, 1, security::StepUpProof{"x", "123456"}, Info()).ok());
    files_ = fs::temp_directory_path() / ("psea-evidence-test-" + security::RandomToken(8));
    EvidenceSettings evidence_settings;
    evidence_settings.files_dir = files_.string();
    evidence_settings.max_attachment_bytes = 4096;
    evidence_ = std::make_unique<EvidenceService>(db(), clock_, audit_, *cases_,
                                                  security::SecretBytes(security::RandomBytes(32)),
                                                  evidence_settings);
    EvidenceService* evidence = evidence_.get();
    cases_->AddPurgeHook(
        [evidence](Connection& c, std::int64_t id, std::vector<std::string>& files) {
          return evidence->PurgeCase(c, id, files);
        });
    case_id_ = NewCase();
  }

  void TearDown() override {
    std::error_code error;
    if (!files_.empty()) fs::remove_all(files_, error);
    EngineTest::TearDown();
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
    n.identifying.perpetrator_names = {"Tormund Vaxley"};
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

  NewItem Phone() {
    NewItem item;
    item.label = "E-1 mobile phone";
    item.description = "A synthetic phone handed over by a witness";
    item.collected_by = "Officer Anwen Brix";
    item.collected_at = "2026-11-27T10:00:00Z";
    item.place_collected = "Camp Bravo";
    item.storage_location = "CDT safe 2";
    return item;
  }

  static cases::RequestInfo Info() { return {"192.0.2.10", "req-test"}; }

  std::int64_t AuditCount(const std::string& action) {
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
  Principal chief_, officer_, vra_, investigator_, leader_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<CasesService> cases_;
  std::unique_ptr<EvidenceService> evidence_;
  fs::path files_;
  std::int64_t case_id_ = 0;
};

TEST_P(EvidenceServiceTest, ItemsAndTransfersFormAHashChain) {
  auto item = evidence_->AddItem(chief_, case_id_, Phone(), Info());
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  ASSERT_EQ(item->custody.size(), 1u);
  EXPECT_EQ(item->custody[0].to_holder, "Officer Anwen Brix");
  EXPECT_EQ(item->custody[0].prev_hash, "");
  EXPECT_EQ(item->status, "held");

  Transfer transfer;
  transfer.to_holder = "OIOS investigator Kel Marrow";
  transfer.at = "2026-11-28T09:00:00Z";
  transfer.purpose = "forensic analysis";
  transfer.storage_location = "OIOS evidence room";
  auto moved = evidence_->AddTransfer(chief_, case_id_, item->id, transfer, Info());
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ASSERT_EQ(moved->custody.size(), 2u);
  EXPECT_EQ(moved->custody[1].from_holder, "Officer Anwen Brix");  // the last holder
  EXPECT_EQ(moved->custody[1].prev_hash, moved->custody[0].hash);
  EXPECT_EQ(moved->status, "transferred");
  EXPECT_EQ(moved->storage_location, "OIOS evidence room");

  // Bad input names its field; nothing is written.
  Transfer early = transfer;
  early.at = "2026-11-26T09:00:00Z";
  EXPECT_EQ(evidence_->AddTransfer(chief_, case_id_, item->id, early, Info()).status().field(),
            "at");
  Transfer future = transfer;
  future.at = "2027-01-01T00:00:00Z";
  auto refused = evidence_->AddTransfer(chief_, case_id_, item->id, future, Info());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field(), "at");
  Transfer unknown = transfer;
  unknown.status = "lost";
  EXPECT_EQ(evidence_->AddTransfer(chief_, case_id_, item->id, unknown, Info()).status().field(),
            "status");
  NewItem no_label = Phone();
  no_label.label = "";
  EXPECT_EQ(evidence_->AddItem(chief_, case_id_, no_label, Info()).status().field(), "label");
  NewItem bad_time = Phone();
  bad_time.collected_at = "yesterday";
  EXPECT_EQ(evidence_->AddItem(chief_, case_id_, bad_time, Info()).status().field(),
            "collected_at");
  EXPECT_EQ(evidence_->GetItem(chief_, case_id_, item->id)->custody.size(), 2u);

  // Destroyed closes the chain.
  Transfer destroyed = transfer;
  destroyed.status = "destroyed";
  destroyed.purpose = "destruction ordered";
  ASSERT_TRUE(evidence_->AddTransfer(chief_, case_id_, item->id, destroyed, Info()).ok());
  auto after = evidence_->AddTransfer(chief_, case_id_, item->id, transfer, Info());
  EXPECT_EQ(after.status().code(), ErrorCode::kConflict);

  auto check = evidence_->CheckIntegrity(chief_, case_id_, std::nullopt);
  ASSERT_TRUE(check.ok());
  ASSERT_EQ(check->size(), 1u);
  EXPECT_TRUE(check->front().intact());
  EXPECT_EQ(AuditCount("evidence.item.create"), 1);
  EXPECT_EQ(AuditCount("evidence.custody.add"), 2);
  EXPECT_EQ(evidence_->GetItem(chief_, case_id_, 999).status().code(), ErrorCode::kNotFound);
}

TEST_P(EvidenceServiceTest, FilesAreEncryptedAndTamperingIsFound) {
  auto item = evidence_->AddItem(chief_, case_id_, Phone(), Info());
  ASSERT_TRUE(item.ok());
  const std::string content = "synthetic photo bytes: the screen of the phone";
  auto added = evidence_->AddAttachment(chief_, case_id_, item->id, "screen.txt", "text/plain",
                                        content, Info());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->sha256, security::HexEncode(security::Sha256(content)));
  EXPECT_EQ(added->filename, "screen.txt");

  // At rest: neither the content nor the name in clear.
  std::vector<fs::path> stored;
  for (const auto& entry : fs::directory_iterator(files_)) stored.push_back(entry.path());
  ASSERT_EQ(stored.size(), 1u);
  {
    std::ifstream in(stored[0], std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(bytes.find("synthetic photo"), std::string::npos);
  }

  auto read = evidence_->ReadAttachment(investigator_, case_id_, item->id, added->id, Info());
  EXPECT_EQ(read.status().code(), ErrorCode::kNotFound);  // not referred to OIOS yet
  read = evidence_->ReadAttachment(chief_, case_id_, item->id, added->id, Info());
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->second, content);
  EXPECT_EQ(read->first.filename, "screen.txt");
  EXPECT_EQ(AuditCount("evidence.attachment.read"), 1);

  // Too large, empty, a path for a name.
  EXPECT_EQ(
      evidence_
          ->AddAttachment(chief_, case_id_, item->id, "big.bin", "", std::string(5000, 'x'), Info())
          .status()
          .code(),
      ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(evidence_->AddAttachment(chief_, case_id_, item->id, "e.txt", "", "", Info())
                .status()
                .field(),
            "file");
  EXPECT_EQ(evidence_->AddAttachment(chief_, case_id_, item->id, "../x", "", "x", Info())
                .status()
                .field(),
            "filename");

  // A changed byte in the file, and a changed row of the chain.
  {
    std::fstream file(stored[0], std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(40);
    file.put('\x5a');
  }
  ASSERT_TRUE(db().WriteTransaction([&](Connection& c) {
                    return c
                        .Execute("UPDATE evidence_custody SET to_holder = ? WHERE item_id = ?",
                                 {std::string("Someone else"), item->id})
                        .status();
                  })
                  .ok());
  auto check = evidence_->CheckIntegrity(chief_, case_id_, item->id);
  ASSERT_TRUE(check.ok()) << check.status().ToString();
  ASSERT_EQ(check->size(), 1u);
  const ItemIntegrity& verdict = check->front();
  EXPECT_FALSE(verdict.intact());
  EXPECT_FALSE(verdict.custody_intact);
  ASSERT_EQ(verdict.attachments.size(), 1u);
  EXPECT_EQ(verdict.attachments[0].state, "undecryptable");
  EXPECT_EQ(
      evidence_->ReadAttachment(chief_, case_id_, item->id, added->id, Info()).status().code(),
      ErrorCode::kInternal);

  // The printable page says so, in French too.
  auto report = evidence_->CustodyReportOf(chief_, case_id_, item->id, Info());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const std::string page = RenderCustodyHtml(*report, "fr");
  EXPECT_NE(page.find("NON INTÈGRE"), std::string::npos);
  EXPECT_NE(page.find(added->sha256), std::string::npos);
  EXPECT_NE(page.find("@media print"), std::string::npos);

  // A missing file.
  fs::remove(stored[0]);
  check = evidence_->CheckIntegrity(chief_, case_id_, item->id);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check->front().attachments[0].state, "missing");
}

TEST_P(EvidenceServiceTest, NeedToKnowFollowsTheCase) {
  auto item = evidence_->AddItem(chief_, case_id_, Phone(), Info());
  ASSERT_TRUE(item.ok());
  for (const Principal* outsider : {&officer_, &vra_, &investigator_, &leader_}) {
    EXPECT_EQ(evidence_->ListItems(*outsider, case_id_).status().code(), ErrorCode::kNotFound)
        << outsider->username;
    EXPECT_EQ(evidence_->ListDeployments(*outsider, case_id_).status().code(),
              ErrorCode::kNotFound);
    EXPECT_EQ(evidence_->AddItem(*outsider, case_id_, Phone(), Info()).status().code(),
              ErrorCode::kNotFound);
  }
  EXPECT_EQ(evidence_->ListItems(chief_, 9999).status().code(), ErrorCode::kNotFound);

  // Assigned, the officer reads and writes.
  ASSERT_TRUE(cases_->AssignOfficer(chief_, case_id_, officer_.user_id, Info()).ok());
  EXPECT_TRUE(evidence_->AddItem(officer_, case_id_, Phone(), Info()).ok());
  EXPECT_EQ(evidence_->ListItems(officer_, case_id_)->size(), 2u);

  // Referred to OIOS, its investigator reads, never writes.
  std::int64_t version = cases_->Get(chief_, case_id_)->kase.version;
  for (auto request :
       {cases::TransitionRequest{cases::CaseStatus::kUnderAssessment, "", "", "", ""},
        cases::TransitionRequest{cases::CaseStatus::kReferredForInvestigation, "", "", "", ""},
        cases::TransitionRequest{cases::CaseStatus::kUnderInvestigation, "", "oios", "", ""}}) {
    auto moved = cases_->Transition(chief_, case_id_, request, version, Info());
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    version = moved->kase.version;
  }
  EXPECT_EQ(evidence_->ListItems(investigator_, case_id_)->size(), 2u);
  EXPECT_TRUE(evidence_->CheckIntegrity(investigator_, case_id_, std::nullopt).ok());
  EXPECT_EQ(evidence_->AddItem(investigator_, case_id_, Phone(), Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(evidence_->ListItems(vra_, case_id_).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(evidence_->ListItems(leader_, case_id_).status().code(), ErrorCode::kNotFound);
}

TEST_P(EvidenceServiceTest, DeploymentsComputeHoursAndRefuseDeployingBeforeTheAlert) {
  NewDeployment request;
  request.alerted_at = "2026-11-27T08:00:00Z";
  request.deployed_at = "2026-11-27T14:30:00Z";
  request.team = "Team lead: A. Brix (CDT)\nMedical: K. Marrow";
  request.place = "Camp Bravo";
  request.actions = "Secured the room; took statements";
  auto made = evidence_->AddDeployment(chief_, case_id_, request, Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_DOUBLE_EQ(*HoursToDeploy(*made), 6.5);
  NewDeployment early = request;
  early.deployed_at = "2026-11-27T07:00:00Z";
  auto refused = evidence_->AddDeployment(chief_, case_id_, early, Info());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field(), "deployed_at");
  NewDeployment pending = request;
  pending.deployed_at.reset();
  ASSERT_TRUE(evidence_->AddDeployment(chief_, case_id_, pending, Info()).ok());
  auto list = evidence_->ListDeployments(chief_, case_id_);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 2u);
  EXPECT_EQ(AuditCount("irt.deployment.create"), 2);
}

TEST_P(EvidenceServiceTest, PurgingTheCasePurgesItsEvidence) {
  auto item = evidence_->AddItem(chief_, case_id_, Phone(), Info());
  ASSERT_TRUE(item.ok());
  ASSERT_TRUE(
      evidence_->AddAttachment(chief_, case_id_, item->id, "a.txt", "text/plain", "abc", Info())
          .ok());
  NewDeployment request;
  request.alerted_at = "2026-11-27T08:00:00Z";
  request.team = "A. Brix";
  request.place = "Camp Bravo";
  ASSERT_TRUE(evidence_->AddDeployment(chief_, case_id_, request, Info()).ok());
  std::vector<std::string> files;
  ASSERT_TRUE(db().WriteTransaction([&](Connection& c) -> Status {
                    return cases_->PurgeCases(c, {case_id_}, &files).status();
                  })
                  .ok());
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(fs::exists(files[0]));  // the caller erases it after its commit
  auto counts = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    std::int64_t total = 0;
    for (const char* table :
         {"evidence_items", "evidence_custody", "evidence_attachments", "irt_deployments"}) {
      ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT COUNT(*) FROM ") + table));
      total += row->Int(0);
    }
    return total;
  });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, 0);
}

// `psea generate --cases N`: the generated chains hash as the service's own, so the
// integrity check finds every generated item intact; only cases that reached investigation
// have evidence.
TEST_P(EvidenceServiceTest, GeneratedEvidenceIsIntact) {
  auto made = cases_->GenerateCases(40, chief_, {officer_}, {vra_});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->size(), 40u);
  auto generated = evidence_->GenerateEvidence(*made, officer_);
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  EXPECT_GT(generated->items, 0);
  EXPECT_GT(generated->custody_entries, generated->items);  // some transfers
  EXPECT_GT(generated->deployments, 0);
  std::int64_t items = 0, deployments = 0;
  for (const auto& kase : *made) {
    auto listed = evidence_->ListItems(chief_, kase.id);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    auto irt = evidence_->ListDeployments(chief_, kase.id);
    ASSERT_TRUE(irt.ok());
    deployments += static_cast<std::int64_t>(irt->size());
    if (!kase.investigation_at) {
      EXPECT_TRUE(listed->empty());
      EXPECT_TRUE(irt->empty());
      continue;
    }
    EXPECT_GE(listed->size(), 1u);
    EXPECT_LE(listed->size(), 3u);
    items += static_cast<std::int64_t>(listed->size());
    auto integrity = evidence_->CheckIntegrity(chief_, kase.id, std::nullopt);
    ASSERT_TRUE(integrity.ok()) << integrity.status().ToString();
    ASSERT_EQ(integrity->size(), listed->size());
    for (const auto& verdict : *integrity) {
      EXPECT_TRUE(verdict.intact())
          << kase.id << ": "
          << (verdict.custody_problems.empty() ? std::string() : verdict.custody_problems.front());
    }
  }
  EXPECT_EQ(items, generated->items);
  EXPECT_EQ(deployments, generated->deployments);
}

PSEA_INSTANTIATE_ENGINE_TEST(EvidenceServiceTest);

}  // namespace
}  // namespace psea::evidence
