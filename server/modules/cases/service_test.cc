// The cases service on both engines: a case made from complaints (re-sealed, never copied in
// clear), need-to-know, assignment that grants and revokes keys, reveal, the workflow with
// versions and dates, and the repeat-subject alert. Names are made up.
#include "modules/cases/service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::cases {
namespace {

using intake::IntakeService;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr const char* kVictimName = "Pellora Synthetique";
constexpr const char* kSubjectName = "Sergeant Tormund Vaxley";

class CasesServiceTest : public storage::testdb::EngineTest {
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
    CaseSettings settings;
    settings.staff = staff;
    settings.verify_step_up = step_up;
    settings.units_of_user = [](std::int64_t user) -> Result<std::vector<std::string>> {
      return user == 4 ? std::vector<std::string>{"OIOS"} : std::vector<std::string>{};
    };
    cases_ =
        std::make_unique<CasesService>(db(), clock_, audit_, vault_, keyring_, *intake_,
                                       security::SecretBytes(security::RandomBytes(32)), settings);
    ASSERT_TRUE(cases_->AddReader(chief_, 1, security::StepUpProof{"x", "123456"}, Info()).ok());
  }

  Principal AddStaff(std::int64_t id, const std::string& name, Role role) {
    staff_.push_back({id, name, "Synthetic " + name, role, false});
    // Generated for this run: no password is written in the tests.
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

  // A complaint assessed as SEA by mission personnel, ready for a case.
  std::int64_t ReadyComplaint(const std::string& subject_name = kSubjectName) {
    intake::NewComplaint n;
    n.channel = intake::Channel::kHotline4044;
    n.reporter_relation = "witness";
    n.identifying.narrative = "Synthetic narrative at a checkpoint.";
    n.incident_date_precision = "month";
    n.incident_date = "2026-10";
    n.victims = {{15, "minor", "female", "unknown"}};
    n.perpetrators = {{"military_contingent", "FR", "Battalion 7", "Sergeant", "yes"}};
    n.identifying.victim_names = {kVictimName};
    n.identifying.perpetrator_names = {subject_name};
    auto submitted = intake_->Submit(chief_, n, Info());
    EXPECT_TRUE(submitted.ok()) << submitted.status().ToString();
    intake::Assessment assessment;
    assessment.is_sea = true;
    assessment.category = "sexual_abuse";
    assessment.type = "rape";
    assessment.affiliation = "mission";
    const std::int64_t id = submitted->complaint.id;
    EXPECT_TRUE(intake_->Assess(chief_, id, assessment, Info()).ok());
    intake::RouteRequest route;
    route.route = intake::Route::kCase;
    auto routed = intake_->RouteComplaint(chief_, id, route, Info());
    EXPECT_TRUE(routed.ok()) << routed.status().ToString();
    return id;
  }

  Result<CaseView> NewCaseFrom(std::vector<std::int64_t> ids) {
    NewCase request;
    request.complaint_ids = std::move(ids);
    return cases_->Create(chief_, request, Info());
  }

  static intake::RequestInfo Info() { return {"192.0.2.10", "req-test"}; }

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
};

TEST_P(CasesServiceTest, ACaseIsMadeFromReadyComplaintsAndReSealsTheirIdentities) {
  const std::int64_t complaint = ReadyComplaint();
  auto made = NewCaseFrom({complaint});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const Case& k = made->kase;
  EXPECT_EQ(k.reference, "MINUSCA-2026-0001");
  EXPECT_EQ(k.status, CaseStatus::kReceived);
  EXPECT_EQ(k.category, "sexual_abuse");
  EXPECT_EQ(k.type, "rape");
  EXPECT_TRUE(k.urgent);  // a child
  EXPECT_EQ(k.incident_date_precision, "month");
  ASSERT_EQ(k.victims.size(), 1u);
  EXPECT_EQ(k.victims[0].age_group, "minor");
  ASSERT_EQ(k.subjects.size(), 1u);
  EXPECT_EQ(k.subjects[0].nationality, "FR");
  EXPECT_EQ(intake_->Get(chief_, complaint, Info())->complaint.status,
            intake::ComplaintStatus::kReferred);
  // Taken once only.
  EXPECT_EQ(NewCaseFrom({complaint}).status().field(), "complaints");

  auto victim = cases_->RevealVictim(chief_, k.id, k.victims[0].id, Info());
  ASSERT_TRUE(victim.ok()) << victim.status().ToString();
  EXPECT_EQ(victim->name, kVictimName);
  auto subject = cases_->RevealSubject(chief_, k.id, k.subjects[0].id, Info());
  ASSERT_TRUE(subject.ok());
  EXPECT_EQ(subject->name, kSubjectName);
  EXPECT_EQ(AuditCount("cases.victim.reveal"), 1);
  EXPECT_EQ(AuditCount("cases.subject.reveal"), 1);

  // A reveal needs a recent proof of presence.
  Principal stale = chief_;
  stale.verified_at = kStart - security::kReauthWindowMillis - 1;
  EXPECT_EQ(cases_->RevealVictim(stale, k.id, k.victims[0].id, Info()).status().code(),
            ErrorCode::kReauthRequired);

  // The second case of the year takes the next number.
  auto second = NewCaseFrom({ReadyComplaint("Someone Else")});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kase.reference, "MINUSCA-2026-0002");
}

TEST_P(CasesServiceTest, NeedToKnowAndAssignmentGrantAndRevokeKeys) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->kase.id;
  const std::int64_t victim = made->kase.victims[0].id;
  EXPECT_EQ(cases_->Get(officer_, id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(cases_->Get(leader_, id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(cases_->List(leader_).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(cases_->Get(investigator_, id).status().code(), ErrorCode::kNotFound);
  // The VRA sees a case only once someone with full access links her to its victims.
  EXPECT_EQ(cases_->Get(vra_, id).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(cases_->List(vra_)->empty());
  EXPECT_EQ(cases_->LinkAdvocate(chief_, id, officer_.user_id, Info()).status().code(),
            ErrorCode::kUnprocessable);
  EXPECT_EQ(cases_->LinkAdvocate(officer_, id, vra_.user_id, Info()).status().code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, id, vra_.user_id, Info()).ok());
  EXPECT_EQ(cases_->LinkAdvocate(chief_, id, vra_.user_id, Info()).status().code(),
            ErrorCode::kConflict);
  auto as_vra = cases_->Get(vra_, id);
  ASSERT_TRUE(as_vra.ok());
  EXPECT_EQ(as_vra->access, CaseAccess::kVictims);
  EXPECT_EQ(cases_->List(vra_)->size(), 1u);
  EXPECT_TRUE(cases_->List(officer_)->empty());

  ASSERT_TRUE(cases_->AssignOfficer(chief_, id, officer_.user_id, Info()).ok());
  auto as_officer = cases_->Get(officer_, id);
  ASSERT_TRUE(as_officer.ok());
  EXPECT_EQ(as_officer->access, CaseAccess::kFull);
  EXPECT_EQ(cases_->RevealVictim(officer_, id, victim, Info())->name, kVictimName);
  // An assigned officer is not a reader: they assign nobody.
  EXPECT_EQ(cases_->AssignOfficer(officer_, id, 1, Info()).status().code(),
            ErrorCode::kPermissionDenied);

  ASSERT_TRUE(cases_->UnassignOfficer(chief_, id, officer_.user_id, Info()).ok());
  EXPECT_EQ(cases_->Get(officer_, id).status().code(), ErrorCode::kNotFound);
  // The wrap itself is gone, not only the row.
  auto open = db().Read<std::string>([&](Connection& c) {
    return vault_.Open(c, made->kase.victims[0].identity_item, *keyring_.Get(2));
  });
  EXPECT_FALSE(open.ok());

  // Referred to OIOS, the case opens to an OIOS investigator, without victims' pseudonyms.
  std::int64_t version = cases_->Get(chief_, id)->kase.version;  // assignments moved it on
  for (auto request : {TransitionRequest{CaseStatus::kUnderAssessment, "", "", "", ""},
                       TransitionRequest{CaseStatus::kReferredForInvestigation, "", "", "", ""},
                       TransitionRequest{CaseStatus::kUnderInvestigation, "", "oios", "", ""}}) {
    auto moved = cases_->Transition(chief_, id, request, version, Info());
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    version = moved->kase.version;
  }
  auto as_investigator = cases_->Get(investigator_, id);
  ASSERT_TRUE(as_investigator.ok());
  EXPECT_EQ(as_investigator->access, CaseAccess::kInvestigation);
  EXPECT_TRUE(as_investigator->kase.victims[0].pseudonym.empty());
  EXPECT_EQ(cases_->RevealVictim(investigator_, id, victim, Info()).status().code(),
            ErrorCode::kNotFound);
  auto reported = cases_->Transition(investigator_, id,
                                     TransitionRequest{CaseStatus::kReportReceived, "", "", "", ""},
                                     version, Info());
  EXPECT_TRUE(reported.ok()) << reported.status().ToString();
}

TEST_P(CasesServiceTest, TheWorkflowChecksVersionsDatesAndClosure) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->kase.id;
  std::int64_t version = made->kase.version;
  // Illegal step: 409 naming status; nothing written.
  auto illegal = cases_->Transition(chief_, id, {CaseStatus::kClosed, "", "", "substantiated", ""},
                                    version, Info());
  EXPECT_EQ(illegal.status().code(), ErrorCode::kConflict);
  EXPECT_EQ(illegal.status().field(), "status");
  // A stale version: 409 naming version.
  auto stale = cases_->Transition(chief_, id, {CaseStatus::kUnderAssessment, "", "", "", ""},
                                  version + 1, Info());
  EXPECT_EQ(stale.status().field(), "version");
  // A step before the report: 422 naming date.
  auto early = cases_->Transition(
      chief_, id, {CaseStatus::kUnderAssessment, "", "", "", "2020-01-01"}, version, Info());
  EXPECT_EQ(early.status().code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(early.status().field(), "date");
  // An incident after the report: 422 naming incident_date.
  CasePatch patch;
  patch.incident_date_precision = "exact";
  patch.incident_date = "2026-11-29";
  EXPECT_EQ(cases_->Update(chief_, id, patch, version, Info()).status().field(), "incident_date");

  auto assessing = cases_->Transition(chief_, id, {CaseStatus::kUnderAssessment, "", "", "", ""},
                                      version, Info());
  ASSERT_TRUE(assessing.ok());
  version = assessing->kase.version;
  // An officer may not close; the chief closes with a reason.
  EXPECT_EQ(cases_
                ->Transition(officer_, id, {CaseStatus::kNotSea, "outside mandate", "", "", ""},
                             version, Info())
                .status()
                .code(),
            ErrorCode::kNotFound);  // not assigned: the case does not exist for them
  auto closed = cases_->Transition(chief_, id, {CaseStatus::kNotSea, "outside mandate", "", "", ""},
                                   version, Info());
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->kase.closure_reason, "outside mandate");
  ASSERT_GE(closed->kase.timeline.size(), 3u);
  EXPECT_EQ(closed->kase.timeline.back().to_status, "not_sea");
  EXPECT_EQ(closed->kase.timeline.back().username, "chief");
  // A closed case takes no edit.
  CasePatch location;
  location.location = "Bimbo";
  EXPECT_EQ(cases_->Update(chief_, id, location, closed->kase.version, Info()).status().field(),
            "status");
  CaseEntry entry{0, "interim_measure", "payment_suspension", "2026-11-28", "", "", "", "", 0};
  EXPECT_EQ(cases_->AddEntry(chief_, id, entry, Info()).status().code(), ErrorCode::kConflict);
}

TEST_P(CasesServiceTest, RepeatSubjectsAreFlaggedWithoutDecrypting) {
  auto first = NewCaseFrom({ReadyComplaint("Tormund  VAXLEY")});
  auto second = NewCaseFrom({ReadyComplaint("vaxley, tormund")});
  auto third = NewCaseFrom({ReadyComplaint("Someone Else")});
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());
  EXPECT_EQ(cases_->Get(chief_, first->kase.id)->kase.subjects[0].other_cases, 1);
  EXPECT_EQ(cases_->Get(chief_, second->kase.id)->kase.subjects[0].other_cases, 1);
  EXPECT_EQ(third->kase.subjects[0].other_cases, 0);
  // Measures and actions are typed lists with dates.
  CaseEntry bad{0, "action", "payment_suspension", "2026-11-28", "", "", "", "", 0};
  EXPECT_EQ(cases_->AddEntry(chief_, third->kase.id, bad, Info()).status().field(), "type");
  CaseEntry future{0, "action", "fine", "2027-01-01", "", "", "", "", 0};
  EXPECT_EQ(cases_->AddEntry(chief_, third->kase.id, future, Info()).status().field(), "date");
  CaseEntry ok{0, "member_state", "notification", "2026-11-28", "", "", "", "", 0};
  auto added = cases_->AddEntry(chief_, third->kase.id, ok, Info());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->kase.entries.size(), 1u);
}

// Clocks turn overdue with time alone, without a change of the case: the due view still finds
// them through the cached due dates, and only for those who may see the case.
TEST_P(CasesServiceTest, ClocksTurnOverdueWithTimeAndTheDueViewFindsThem) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::int64_t id = made->kase.id;
  ASSERT_FALSE(made->clocks.empty());
  auto due = cases_->Due(chief_, 0, false);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_TRUE(due->items.empty());
  EXPECT_EQ(due->total, 0);

  clock_.Advance(std::int64_t{10} * 24 * 3600 * 1000);
  due = cases_->Due(chief_, 0, false);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  int overdue = 0;
  for (const auto& item : due->items) {
    if (item.case_id == std::to_string(id) && item.state == ClockState::kOverdue) ++overdue;
  }
  EXPECT_EQ(overdue, 2);  // acknowledgement, assessment_referral
  EXPECT_EQ(due->overdue, 2);
  auto first = cases_->Due(chief_, 0, false, 0, 1);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->total, due->total);
  EXPECT_EQ(first->items[0].rule, due->items[0].rule);
  auto officer_view = cases_->Due(officer_, 30, false);
  ASSERT_TRUE(officer_view.ok());
  EXPECT_TRUE(officer_view->items.empty());
  EXPECT_EQ(cases_->Due(leader_, 0, false).status().code(), ErrorCode::kPermissionDenied);

  PauseRequest blank;
  blank.reason = "   ";
  EXPECT_EQ(cases_->AddPause(chief_, id, blank, Info()).status().field(), "reason");
  PauseRequest pause;
  pause.reason = "victim unreachable";
  pause.rule = RuleId::kAssessmentReferral;
  pause.start_date = "2026-11-29";
  auto paused = cases_->AddPause(chief_, id, pause, Info());
  ASSERT_TRUE(paused.ok()) << paused.status().ToString();
  EXPECT_EQ(AuditCount("cases.clock.pause"), 1);
  due = cases_->Due(chief_, 0, false);
  ASSERT_TRUE(due.ok());
  for (const auto& item : due->items) EXPECT_NE(item.rule, RuleId::kAssessmentReferral);

  // Closed without investigation, the case's clocks stop: it leaves the due view at once.
  std::int64_t version = cases_->Get(chief_, id)->kase.version;
  for (auto request :
       {TransitionRequest{CaseStatus::kUnderAssessment, "", "", "", ""},
        TransitionRequest{CaseStatus::kClosedWithoutInvestigation, "no SEA", "", "", ""}}) {
    auto moved = cases_->Transition(chief_, id, request, version, Info());
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    version = moved->kase.version;
  }
  due = cases_->Due(chief_, 30, false);
  ASSERT_TRUE(due.ok());
  for (const auto& item : due->items) EXPECT_NE(item.case_id, std::to_string(id));
}

PSEA_INSTANTIATE_ENGINE_TEST(CasesServiceTest);

// `psea generate --cases N`: each generated case lists the complaint it was made from (the first
// of every 25 cases two), which intake holds received on the case's date reported, assessed as
// the case is, routed to a case and referred; the case's search finds it by that reference.
TEST_P(CasesServiceTest, GeneratedCasesListTheirReferredComplaints) {
  auto made = cases_->GenerateCases(3, chief_, {officer_}, {vra_});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->size(), 3u);
  for (std::size_t i = 0; i < made->size(); ++i) {
    auto view = cases_->Get(chief_, (*made)[i].id);
    ASSERT_TRUE(view.ok()) << view.status().ToString();
    const Case& k = view->kase;
    ASSERT_EQ(k.complaints.size(), i == 0 ? 2u : 1u);
    for (const auto& linked : k.complaints) {
      auto detail = intake_->Get(chief_, linked.complaint_id, Info());
      ASSERT_TRUE(detail.ok()) << detail.status().ToString();
      const intake::Complaint& complaint = detail->complaint;
      EXPECT_EQ(complaint.reference, linked.reference);
      EXPECT_EQ(complaint.status, intake::ComplaintStatus::kReferred);
      EXPECT_EQ(FormatIso8601(complaint.received_at).substr(0, 10), k.date_reported);
      ASSERT_TRUE(complaint.assessment.has_value());
      EXPECT_TRUE(complaint.assessment->is_sea);
      EXPECT_EQ(complaint.assessment->category, k.category);
      EXPECT_EQ(complaint.assessment->type, k.type);
      ASSERT_TRUE(complaint.routing.has_value());
      EXPECT_EQ(complaint.routing->route, intake::Route::kCase);
      EXPECT_EQ(complaint.victims.size(), k.victims.size());
      EXPECT_EQ(complaint.perpetrators.size(), k.subjects.size());
      EXPECT_TRUE(detail->identifying_open);  // sealed for the intake reader
      CaseListFilter filter;
      filter.text = linked.reference;
      auto found = cases_->ListPage(chief_, filter);
      ASSERT_TRUE(found.ok()) << found.status().ToString();
      EXPECT_TRUE(std::any_of(found->cases.begin(), found->cases.end(), [&](const CaseView& row) {
        return row.kase.id == k.id;
      })) << linked.reference;
    }
  }
}

}  // namespace
}  // namespace psea::cases
