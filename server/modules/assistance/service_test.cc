// The assistance service on both engines, with real intake and cases services: files and
// their validation, need-to-know (VRA, designees, everyone else), the sealed identity and its
// audited reveal, designation and its revocation, case links through the cases service,
// consents (a child's guardian, withdrawal kept, the consent check), needs and the 72-hour
// window, versions. Names are made up.
#include "modules/assistance/service.h"

#include <gtest/gtest.h>

#include <memory>

#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::assistance {
namespace {

using cases::CasesService;
using intake::IntakeService;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr UnixMillis kHour = 3600LL * 1000;

class AssistanceServiceTest : public storage::testdb::EngineTest {
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
    service_ = std::make_unique<AssistanceService>(db(), clock_, audit_, vault_, keyring_, *cases_,
                                                   *intake_, assistance_settings);
    const AssistanceService* service = service_.get();
    cases_->AddPurgeHook([service](Connection& c, std::int64_t id, std::vector<std::string>&) {
      return service->PurgeCase(c, id);
    });
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

  NewFile Adult() {
    NewFile file;
    file.pseudonym = "Victim A";
    file.sex = "female";
    file.age = 24;
    file.prefecture = "OMP";
    FileIdentity identity;
    identity.name = "Marielle Quorandu";
    identity.contacts = "+236 70 00 00 01";
    identity.address = "Quartier Synthetique";
    file.identity = identity;
    return file;
  }

  NewFile Child() {
    NewFile file = Adult();
    file.pseudonym = "Victim B";
    file.age = 15;
    file.identity->guardian_name = "Odile Quorandu";
    file.identity->guardian_contact = "+236 70 00 00 02";
    return file;
  }

  static NewNeed NeedOf(std::string type) {
    NewNeed need;
    need.type = std::move(type);
    return need;
  }

  NewConsent Consenting(std::string scope) {
    NewConsent consent;
    consent.scope = std::move(scope);
    consent.means = "oral";
    return consent;
  }

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
  Principal chief_, officer_, vra_, vra2_, leader_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<CasesService> cases_;
  std::unique_ptr<AssistanceService> service_;
  std::string recovery_;
};

TEST_P(AssistanceServiceTest, AVraOpensAFileWithASealedIdentity) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->file.reference, "VA-2026-0001");
  EXPECT_EQ(made->file.age_group, "adult");  // from the age
  EXPECT_EQ(made->file.status, "open");
  EXPECT_TRUE(made->has_identity);
  EXPECT_TRUE(made->can_reveal);  // vra is a victims reader
  EXPECT_TRUE(made->can_work);
  auto second = service_->CreateFile(vra2_, Child(), Info());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->file.reference, "VA-2026-0002");
  EXPECT_EQ(second->file.age_group, "minor");
  EXPECT_FALSE(second->can_reveal);  // vra2 reads no identity
  EXPECT_EQ(AuditCount("assistance.file.create"), 2);

  // The name is in no table in clear.
  auto rows = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM assistance_files WHERE "
                                          "pseudonym LIKE '%Quorandu%' OR reference LIKE "
                                          "'%Quorandu%'"));
    return row->Int(0);
  });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 0);

  auto identity = service_->RevealIdentity(vra_, second->file.id, Info());
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->guardian_name, "Odile Quorandu");
  EXPECT_EQ(AuditCount("assistance.identity.reveal"), 1);
  EXPECT_EQ(service_->RevealIdentity(vra2_, second->file.id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(AssistanceServiceTest, BadInputNamesTheField) {
  struct BadCase {
    const char* name;
    void (*change)(NewFile&);
    ErrorCode code;
    const char* field;
  };
  const BadCase cases[] = {
      {"sex", [](NewFile& f) { f.sex = std::string("x"); }, ErrorCode::kInvalidArgument, "sex"},
      {"age group", [](NewFile& f) { f.age_group = std::string("elder"); },
       ErrorCode::kInvalidArgument, "age_group"},
      {"age against group", [](NewFile& f) { f.age_group = std::string("minor"); },
       ErrorCode::kInvalidArgument, "age_group"},
      {"age range", [](NewFile& f) { f.age = 130; }, ErrorCode::kInvalidArgument, "age"},
      {"prefecture", [](NewFile& f) { f.prefecture = std::string("ZZZ"); },
       ErrorCode::kUnprocessable, "prefecture"},
      {"case", [](NewFile& f) { f.case_ids = {999}; }, ErrorCode::kUnprocessable, "case_ids"},
      {"identity control", [](NewFile& f) { f.identity->name = std::string("a\x01") + "b"; },
       ErrorCode::kInvalidArgument, "identity.name"},
  };
  for (const auto& c : cases) {
    NewFile file = Adult();
    c.change(file);
    auto made = service_->CreateFile(vra_, file, Info());
    ASSERT_FALSE(made.ok()) << c.name;
    EXPECT_EQ(made.status().code(), c.code) << c.name;
    EXPECT_EQ(made.status().field(), c.field) << c.name;
  }
  // Nothing partial: a refused case link leaves no file behind.
  auto page = service_->ListFiles(vra_, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
}

TEST_P(AssistanceServiceTest, NeedToKnow) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  // Every other role: the file does not exist; the list is empty; creating is forbidden.
  for (const auto* who : {&chief_, &officer_, &leader_}) {
    EXPECT_EQ(service_->GetFile(*who, id).status().code(), ErrorCode::kNotFound);
    EXPECT_EQ(service_->RevealIdentity(*who, id, Info()).status().code(), ErrorCode::kNotFound);
    auto page = service_->ListFiles(*who, {});
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->total, 0);
    EXPECT_EQ(service_->CreateFile(*who, Adult(), Info()).status().code(),
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(service_->AddNeed(*who, id, NeedOf("medical"), Info()).status().code(),
              ErrorCode::kNotFound);
  }
  // Another VRA sees and works the file, but opens no identity.
  ASSERT_TRUE(service_->GetFile(vra2_, id).ok());
  EXPECT_EQ(service_->RevealIdentity(vra2_, id, Info()).status().code(),
            ErrorCode::kPermissionDenied);

  // Designated, the officer reads the file and opens the identity, and changes nothing.
  auto designated = service_->Designate(vra_, id, officer_.user_id, Info());
  ASSERT_TRUE(designated.ok()) << designated.status().ToString();
  ASSERT_EQ(designated->file.designees.size(), 1u);
  auto seen = service_->GetFile(officer_, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->can_work);
  EXPECT_TRUE(seen->can_reveal);
  auto listed = service_->ListFiles(officer_, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->total, 1);
  auto opened = service_->RevealIdentity(officer_, id, Info());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->name, "Marielle Quorandu");
  EXPECT_EQ(service_->AddNeed(officer_, id, NeedOf("medical"), Info()).status().code(),
            ErrorCode::kPermissionDenied);
  // A stale proof of presence asks for a new one.
  Principal stale = officer_;
  stale.verified_at = kStart - 60 * 60 * 1000;
  EXPECT_EQ(service_->RevealIdentity(stale, id, Info()).status().code(),
            ErrorCode::kReauthRequired);

  // Removed, the officer loses the file and the key at once.
  ASSERT_TRUE(service_->Undesignate(vra_, id, officer_.user_id, Info()).ok());
  EXPECT_EQ(service_->GetFile(officer_, id).status().code(), ErrorCode::kNotFound);
  auto readers = db().Read<std::vector<std::int64_t>>(
      [&](Connection& c) { return vault_.Readers(c, *made->file.identity_item); });
  ASSERT_TRUE(readers.ok());
  EXPECT_EQ(std::count(readers->begin(), readers->end(), officer_.user_id), 0);
  EXPECT_EQ(AuditCount("assistance.designee.add"), 1);
  EXPECT_EQ(AuditCount("assistance.designee.remove"), 1);

  // Leadership is not designable; vra2 cannot designate (her key does not open it).
  EXPECT_EQ(service_->Designate(vra_, id, leader_.user_id, Info()).status().field(), "user_id");
  EXPECT_EQ(service_->Designate(vra2_, id, officer_.user_id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(AssistanceServiceTest, IdentityReplacedIsSealedForTheDesignees) {
  NewFile file = Adult();
  file.identity.reset();
  auto made = service_->CreateFile(vra_, file, Info());
  ASSERT_TRUE(made.ok());
  EXPECT_FALSE(made->has_identity);
  EXPECT_EQ(service_->RevealIdentity(vra_, made->file.id, Info()).status().code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(service_->Designate(vra_, made->file.id, officer_.user_id, Info()).ok());
  FileIdentity identity;
  identity.name = "Fenella Drossup";
  auto set = service_->SetIdentity(vra_, made->file.id, identity, Info());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  auto opened = service_->RevealIdentity(officer_, made->file.id, Info());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->name, "Fenella Drossup");
  identity.name = "Fenella Drossup-Vane";
  auto replaced = service_->SetIdentity(vra_, made->file.id, identity, Info());
  ASSERT_TRUE(replaced.ok());
  EXPECT_NE(replaced->file.identity_item, set->file.identity_item);
  EXPECT_EQ(service_->RevealIdentity(vra_, made->file.id, Info())->name, "Fenella Drossup-Vane");
}

TEST_P(AssistanceServiceTest, CaseLinksGoThroughTheCasesService) {
  const std::int64_t case_id = NewCase();
  ASSERT_GT(case_id, 0);
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  // The VRA does not see the case until a CDT member links her to it.
  EXPECT_EQ(service_->LinkCase(vra_, id, case_id, Info()).status().field(), "case_id");
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, case_id, vra_.user_id, Info()).ok());
  auto linked = service_->LinkCase(vra_, id, case_id, Info());
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  ASSERT_EQ(linked->cases.size(), 1u);
  EXPECT_FALSE(linked->cases[0].reference.empty());
  EXPECT_EQ(service_->LinkCase(vra_, id, case_id, Info()).status().code(), ErrorCode::kConflict);
  FileFilter by_case;
  by_case.case_id = case_id;
  EXPECT_EQ(service_->ListFiles(vra_, by_case)->total, 1);
  // The case's officers see nothing of the file.
  EXPECT_EQ(service_->GetFile(chief_, id).status().code(), ErrorCode::kNotFound);
  // The purge of the case takes the link, not the file.
  auto purged = db().Write<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto counts, cases_->PurgeCases(c, {case_id}));
    return counts.cases;
  });
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  auto after = service_->GetFile(vra_, id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->cases.empty());
}

TEST_P(AssistanceServiceTest, ConsentsOfAChildAreTheGuardians) {
  auto child = service_->CreateFile(vra_, Child(), Info());
  ASSERT_TRUE(child.ok());
  const std::int64_t id = child->file.id;
  auto refused = service_->AddConsent(vra_, id, Consenting("referral"), Info());
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(refused.status().field(), "guardian");
  NewConsent by_guardian = Consenting("referral");
  by_guardian.given_by = "guardian";
  EXPECT_EQ(service_->AddConsent(vra_, id, by_guardian, Info()).status().field(), "guardian");
  by_guardian.guardian = "aunt";
  by_guardian.provider_id = 12;
  auto consent = service_->AddConsent(vra_, id, by_guardian, Info());
  ASSERT_TRUE(consent.ok()) << consent.status().ToString();
  ConsentQuery query;
  query.scope = "referral";
  query.provider_id = 12;
  auto decision = service_->CheckConsent(vra_, id, query);
  ASSERT_TRUE(decision.ok());
  EXPECT_TRUE(decision->covered());
  query.provider_id = 13;
  EXPECT_EQ(service_->CheckConsent(vra_, id, query)->verdict, ConsentVerdict::kOtherProvider);
}

TEST_P(AssistanceServiceTest, AWithdrawnConsentIsKept) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  NewConsent contact = Consenting("contact");
  EXPECT_EQ(service_->AddConsent(vra_, id, contact, Info()).status().field(), "channel");
  contact.channel = "phone";
  contact.expires_at = "2026-11-27";
  EXPECT_EQ(service_->AddConsent(vra_, id, contact, Info()).status().field(), "expires_at");
  contact.expires_at = "2027-06-01";
  auto consent = service_->AddConsent(vra_, id, contact, Info());
  ASSERT_TRUE(consent.ok()) << consent.status().ToString();
  NewConsent future = Consenting("assistance");
  future.given_at = "2027-01-01";
  EXPECT_EQ(service_->AddConsent(vra_, id, future, Info()).status().field(), "given_at");
  NewConsent sharing = Consenting("information_sharing");
  EXPECT_EQ(service_->AddConsent(vra_, id, sharing, Info()).status().field(), "with_whom");
  EXPECT_EQ(service_->AddConsent(vra_, id, Consenting("paternity"), Info()).status().field(),
            "scope");

  clock_.Advance(kHour);
  auto withdrawn =
      service_->WithdrawConsent(vra_, id, consent->id, "", "the victim asked on the phone", Info());
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().ToString();
  EXPECT_EQ(withdrawn->withdrawn_at, kStart + kHour);
  EXPECT_EQ(withdrawn->withdrawn_by_username, "vra");
  EXPECT_EQ(service_->WithdrawConsent(vra_, id, consent->id, "", "", Info()).status().code(),
            ErrorCode::kConflict);
  auto view = service_->GetFile(vra_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->consents.size(), 1u);  // kept
  ConsentQuery query;
  query.scope = "contact";
  query.channel = "phone";
  EXPECT_EQ(service_->CheckConsent(vra_, id, query)->verdict, ConsentVerdict::kWithdrawn);
  query.at = kStart + 1;  // before the withdrawal it covered
  EXPECT_TRUE(service_->CheckConsent(vra_, id, query)->covered());
  EXPECT_EQ(AuditCount("assistance.consent.withdraw"), 1);
}

TEST_P(AssistanceServiceTest, NeedsAndTheSeventyTwoHours) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  NewNeed medical;
  medical.type = "medical";
  medical.urgency = "immediate";
  medical.after_rape = true;
  medical.incident_at = "2026-11-28T10:00:00Z";
  auto need = service_->AddNeed(vra_, id, medical, Info());
  ASSERT_TRUE(need.ok()) << need.status().ToString();
  EXPECT_EQ(need->pep.state, PepState::kInsideWindow);
  EXPECT_TRUE(need->pep.urgent);
  EXPECT_EQ(need->pep.deadline, *ParseIso8601("2026-12-01T10:00:00Z"));
  NewNeed legal;
  legal.type = "legal";
  legal.after_rape = true;
  EXPECT_EQ(service_->AddNeed(vra_, id, legal, Info()).status().field(), "after_rape");
  legal.after_rape = false;
  legal.type = "shelter";
  EXPECT_EQ(service_->AddNeed(vra_, id, legal, Info()).status().field(), "type");
  NewNeed later = medical;
  later.incident_at = "2026-12-30";
  EXPECT_EQ(service_->AddNeed(vra_, id, later, Info()).status().field(), "incident_at");

  FileFilter urgent;
  urgent.need = "medical";
  auto page = service_->ListFiles(vra_, urgent);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->files[0].urgent_needs, 1);

  // Four days later, still open: missed.
  clock_.Advance(96 * kHour);
  auto view = service_->GetFile(vra_, id);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->needs.size(), 1u);
  EXPECT_EQ(view->needs[0].pep.state, PepState::kMissed);
  EXPECT_FALSE(view->needs[0].pep.urgent);

  NeedPatch met;
  met.status = "met";
  auto closed = service_->UpdateNeed(vra_, id, need->need.id, met, Info());
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->need.status, "met");
  EXPECT_EQ(closed->pep.state, PepState::kMissed);
  EXPECT_EQ(service_->UpdateNeed(vra_, id, need->need.id, met, Info()).status().code(),
            ErrorCode::kConflict);
  NeedPatch reopen;
  reopen.status = "open";
  EXPECT_EQ(service_->UpdateNeed(vra_, id, need->need.id, reopen, Info()).status().field(),
            "status");
}

TEST_P(AssistanceServiceTest, VersionsAndClosing) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  FilePatch patch;
  patch.prefecture = "BGF";
  auto changed = service_->UpdateFile(vra_, id, patch, 1, VersionSource::kBody, Info());
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->file.version, 2);
  auto stale = service_->UpdateFile(vra_, id, patch, 1, VersionSource::kBody, Info());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(stale.status().field(), "version");
  EXPECT_EQ(
      service_->UpdateFile(vra_, id, patch, 1, VersionSource::kIfMatch, Info()).status().code(),
      ErrorCode::kPreconditionFailed);
  FilePatch age;
  age.age = std::optional<std::int64_t>(16);
  auto minor = service_->UpdateFile(vra_, id, age, 2, VersionSource::kBody, Info());
  ASSERT_TRUE(minor.ok()) << minor.status().ToString();
  EXPECT_EQ(minor->file.age_group, "minor");

  FilePatch close;
  close.status = "closed";
  auto closed = service_->UpdateFile(vra_, id, close, std::nullopt, VersionSource::kBody, Info());
  ASSERT_TRUE(closed.ok());
  EXPECT_TRUE(closed->file.closed_at);
  EXPECT_EQ(service_->AddNeed(vra_, id, NeedOf("legal"), Info()).status().field(), "status");
  EXPECT_EQ(service_->UpdateFile(vra_, id, patch, std::nullopt, VersionSource::kBody, Info())
                .status()
                .code(),
            ErrorCode::kConflict);
  FilePatch reopen;
  reopen.status = "open";
  auto reopened =
      service_->UpdateFile(vra_, id, reopen, std::nullopt, VersionSource::kBody, Info());
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE(reopened->file.closed_at);
  FileFilter open_files;
  open_files.status = "open";
  EXPECT_EQ(service_->ListFiles(vra_, open_files)->total, 1);
  open_files.status = "archived";
  EXPECT_EQ(service_->ListFiles(vra_, open_files).status().field(), "status");
}

TEST_P(AssistanceServiceTest, ALaterVictimsReaderGetsTheKeysBySyncAndLosesThemOnLeaving) {
  auto made = service_->CreateFile(vra_, Adult(), Info());
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->file.id;
  const std::int64_t item = *made->file.identity_item;
  // vra2 joins the victims readers: intake grants its own items, not the files' identities.
  ASSERT_TRUE(
      intake_->AddReaderFromConsole("vra2", recovery_, Info(), intake::ReaderSet::kVictims).ok());
  EXPECT_EQ(service_->RevealIdentity(vra2_, id, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  // Her own key opens nothing to pass on; vra's does.
  auto none = service_->SyncIdentityReaders(vra2_, Info());
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->granted, 0);
  EXPECT_EQ(none->unopened, 1);
  auto synced = service_->SyncIdentityReaders(vra_, Info());
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(synced->granted, 1);
  EXPECT_EQ(synced->revoked, 0);
  EXPECT_EQ(service_->RevealIdentity(vra2_, id, Info())->name, "Marielle Quorandu");
  EXPECT_EQ(service_->SyncIdentityReaders(officer_, Info()).status().code(),
            ErrorCode::kPermissionDenied);

  // A stale key (a designee removed behind the service's back) is revoked by the sync.
  ASSERT_TRUE(db().WriteTransaction([&](Connection& c) {
                    auto key = keyring_.Get(vra_.session_id);
                    return vault_.Grant(c, item, *key, officer_.user_id);
                  })
                  .ok());
  EXPECT_EQ(service_->SyncIdentityReaders(vra_, Info())->revoked, 1);

  // Leaving the victims readers takes the key at once (app.cc calls this on intake's news).
  ASSERT_TRUE(intake_->RemoveReaderFromConsole("vra2", Info(), intake::ReaderSet::kVictims).ok());
  auto revoked = service_->RevokeFormerVictimsReader(vra2_.user_id, "console");
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(*revoked, 1);
  auto readers =
      db().Read<std::vector<std::int64_t>>([&](Connection& c) { return vault_.Readers(c, item); });
  ASSERT_TRUE(readers.ok());
  EXPECT_EQ(std::count(readers->begin(), readers->end(), vra2_.user_id), 0);
  EXPECT_EQ(std::count(readers->begin(), readers->end(), vra_.user_id), 1);
  EXPECT_EQ(AuditCount("assistance.readers.sync"), 3);
  EXPECT_EQ(AuditCount("assistance.readers.revoke"), 1);
}

PSEA_INSTANTIATE_ENGINE_TEST(AssistanceServiceTest);

}  // namespace
}  // namespace psea::assistance
