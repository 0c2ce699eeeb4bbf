// Keeping victims and reporters informed, the bi-weekly review and reminders, on both
// engines: a logged contact meets the victim_information clock and its note is sealed; who may
// log and read contacts; review decisions in the timeline and the review list; reminders sent
// once; the reporter's step of a complaint a case took. Names are made up.
#include <gtest/gtest.h>

#include <memory>

#include "modules/cases/model.h"
#include "modules/cases/service.h"
#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::cases {
namespace {

using intake::IntakeService;
using intake::PublicStatus;
using security::Principal;
using security::Role;
using storage::Connection;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr UnixMillis kDay = 24LL * 3600 * 1000;
constexpr const char* kVictimName = "Pellora Synthetique";
constexpr const char* kSubjectName = "Sergeant Tormund Vaxley";

// The reporter's step of every case status (model.h ReporterStepOf).
TEST(ReporterStep, EveryCaseStatusHasItsPlainStep) {
  const std::vector<std::pair<CaseStatus, PublicStatus>> table = {
      {CaseStatus::kReceived, PublicStatus::kBeingAssessed},
      {CaseStatus::kUnderAssessment, PublicStatus::kBeingAssessed},
      {CaseStatus::kNotSea, PublicStatus::kClosed},
      {CaseStatus::kClosedWithoutInvestigation, PublicStatus::kClosed},
      {CaseStatus::kReferredForInvestigation, PublicStatus::kReferredForInvestigation},
      {CaseStatus::kUnderInvestigation, PublicStatus::kInvestigationUnderWay},
      {CaseStatus::kReportReceived, PublicStatus::kInvestigationConcluded},
      {CaseStatus::kUnderReview, PublicStatus::kInvestigationConcluded},
      {CaseStatus::kActionPending, PublicStatus::kInvestigationConcluded},
      {CaseStatus::kClosed, PublicStatus::kClosed},
  };
  ASSERT_EQ(table.size(), AllCaseStatuses().size());
  for (const auto& [status, step] : table) {
    EXPECT_EQ(ReporterStepOf(status), step) << CaseStatusName(status);
  }
  EXPECT_EQ(intake::PublicStatusName(PublicStatus::kInvestigationUnderWay),
            "investigation_under_way");
  EXPECT_EQ(intake::PublicStatusName(PublicStatus::kInvestigationConcluded),
            "investigation_concluded");
}

class InformTest : public storage::testdb::EngineTest {
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

  const RuleClock* ClockOf(const CaseView& view, RuleId rule) {
    for (const auto& clock : view.clocks) {
      if (clock.rule == rule) return &clock;
    }
    return nullptr;
  }

  Status Move(std::int64_t id, CaseStatus to, const std::string& entity = "") {
    auto view = cases_->Get(chief_, id);
    if (!view.ok()) return view.status();
    TransitionRequest request;
    request.to = to;
    request.entity = entity;
    return cases_->Transition(chief_, id, request, view->kase.version, Info()).status();
  }

  std::string Today() const { return FormatIso8601(clock_.Now()).substr(0, 10); }
};

TEST_P(InformTest, AContactMeetsTheVictimInformationClockAndItsNoteIsSealed) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::int64_t id = made->kase.id;
  const std::int64_t victim = made->kase.victims.at(0).id;
  const RuleClock* before = ClockOf(*made, RuleId::kVictimInformation);
  ASSERT_NE(before, nullptr);
  ASSERT_TRUE(before->due_at.has_value());
  const UnixMillis first_due = *before->due_at;

  clock_.Advance(10 * kDay);
  chief_.verified_at = clock_.Now();
  CasesService::NewVictimContact contact{Today(), "phone", "Told her the case was referred."};
  auto logged = cases_->AddVictimContact(chief_, id, victim, contact, Info());
  ASSERT_TRUE(logged.ok()) << logged.status().ToString();
  EXPECT_NE(logged->note_item, 0);
  EXPECT_EQ(AuditCount("cases.victim_contact.add"), 1);

  auto view = cases_->Get(chief_, id);
  ASSERT_TRUE(view.ok());
  const RuleClock* after = ClockOf(*view, RuleId::kVictimInformation);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->periods_met, 1);
  // Due 30 days after the contact's day (its end: the first instant of the day after).
  const UnixMillis contact_day = *ParseIso8601(Today());
  EXPECT_EQ(*after->due_at, contact_day + 31 * kDay);
  EXPECT_GT(*after->due_at, first_due);
  EXPECT_EQ(view->kase.timeline.back().kind, "victim_contact");
  EXPECT_EQ(view->kase.timeline.back().reason, "phone");  // the channel, never the note

  // The note is sealed: not in the clear columns, opened with a key and a recent proof.
  auto stored = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT COUNT(*) FROM case_victim_contacts WHERE "
                                          "channel LIKE '%referred%'"));
    return row->Int(0);
  });
  EXPECT_EQ(*stored, 0);
  auto list = cases_->VictimContacts(chief_, id, victim);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->contacts.size(), 1u);
  EXPECT_TRUE(list->notes_open);
  EXPECT_EQ(list->contacts[0].note.value_or(""), contact.note);
  EXPECT_EQ(AuditCount("cases.victim_contact.read"), 1);
  Principal stale = chief_;
  stale.verified_at = kStart;
  auto closed = cases_->VictimContacts(stale, id, victim);
  ASSERT_TRUE(closed.ok());
  EXPECT_TRUE(closed->reauth_required);
  EXPECT_FALSE(closed->contacts[0].note.has_value());

  // Bad values name their field.
  EXPECT_EQ(cases_->AddVictimContact(chief_, id, victim, {Today(), "pigeon", ""}, Info())
                .status()
                .field(),
            "channel");
  EXPECT_EQ(cases_->AddVictimContact(chief_, id, victim, {"2099-01-01", "phone", ""}, Info())
                .status()
                .field(),
            "date");
  EXPECT_EQ(cases_->AddVictimContact(chief_, id, victim, {"2020-01-01", "phone", ""}, Info())
                .status()
                .code(),
            ErrorCode::kUnprocessable);
  EXPECT_EQ(cases_->AddVictimContact(chief_, id, victim + 99, {Today(), "phone", ""}, Info())
                .status()
                .code(),
            ErrorCode::kNotFound);
}

TEST_P(InformTest, TheVraLogsContactsAndOthersWithoutNeedToKnowGetNotFound) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->kase.id;
  const std::int64_t victim = made->kase.victims.at(0).id;
  // The VRA sees the cases she is linked to, and no other.
  EXPECT_EQ(
      cases_->AddVictimContact(vra_, id, victim, {Today(), "vra", ""}, Info()).status().code(),
      ErrorCode::kNotFound);
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, id, vra_.user_id, Info()).ok());
  auto by_vra = cases_->AddVictimContact(vra_, id, victim, {Today(), "vra", ""}, Info());
  ASSERT_TRUE(by_vra.ok()) << by_vra.status().ToString();
  EXPECT_EQ(by_vra->note_item, 0);
  EXPECT_TRUE(cases_->VictimContacts(vra_, id, victim).ok());
  for (const Principal& other : {officer_, investigator_, leader_}) {
    EXPECT_EQ(
        cases_->AddVictimContact(other, id, victim, {Today(), "phone", ""}, Info()).status().code(),
        ErrorCode::kNotFound)
        << other.username;
    EXPECT_EQ(cases_->VictimContacts(other, id, victim).status().code(), ErrorCode::kNotFound)
        << other.username;
  }
}

TEST_P(InformTest, ReviewListsPendingCasesOldestFirstAndRecordsDecisions) {
  auto older = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(older.ok());
  clock_.Advance(3 * kDay);
  chief_.verified_at = clock_.Now();  // a case is made with a recent proof
  auto newer = NewCaseFrom({ReadyComplaint("Corporal Ines Dravolt")});
  ASSERT_TRUE(newer.ok());
  clock_.Advance(2 * kDay);
  ASSERT_TRUE(cases_->LinkAdvocate(chief_, older->kase.id, vra_.user_id, Info()).ok());
  ReviewDecision decision;
  decision.meeting_date = Today();
  decision.decision = "Ask the Member State for the NIO's name.";
  decision.action_owner = "officer";
  decision.due_date = FormatIso8601(clock_.Now() + 14 * kDay).substr(0, 10);
  auto saved = cases_->AddReviewDecision(chief_, older->kase.id, decision, Info());
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(AuditCount("cases.review_decision.add"), 1);
  auto view = cases_->Get(chief_, older->kase.id);
  EXPECT_EQ(view->kase.timeline.back().kind, "review_decision");
  EXPECT_EQ(view->kase.timeline.back().reason, decision.decision);
  auto seen_by_vra = cases_->Get(vra_, older->kase.id);
  ASSERT_TRUE(seen_by_vra.ok());
  EXPECT_EQ(seen_by_vra->kase.timeline.back().kind, "review_decision");
  EXPECT_EQ(seen_by_vra->kase.timeline.back().reason, "");  // the CDT's deliberation

  auto rows = cases_->Review(chief_);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].facts.case_id, older->kase.id);
  EXPECT_EQ((*rows)[0].age_days, 5);
  EXPECT_EQ((*rows)[0].days_since_activity.value_or(-1), 0);
  ASSERT_TRUE((*rows)[0].last_decision.has_value());
  EXPECT_EQ((*rows)[0].last_decision->action_owner, "officer");
  EXPECT_TRUE((*rows)[0].facts.next_due_at.has_value());
  EXPECT_EQ((*rows)[1].days_since_activity.value_or(-1), 2);
  EXPECT_FALSE((*rows)[1].last_decision.has_value());

  // A closed case leaves the list; the officer sees only cases assigned to them.
  ASSERT_TRUE(Move(newer->kase.id, CaseStatus::kUnderAssessment).ok());
  auto current = cases_->Get(chief_, newer->kase.id);
  TransitionRequest close;
  close.to = CaseStatus::kNotSea;
  close.reason = "Not SEA after assessment.";
  ASSERT_TRUE(
      cases_->Transition(chief_, newer->kase.id, close, current->kase.version, Info()).ok());
  EXPECT_EQ(cases_->Review(chief_)->size(), 1u);
  EXPECT_TRUE(cases_->Review(officer_)->empty());
  EXPECT_EQ(cases_->Review(vra_).status().code(), ErrorCode::kPermissionDenied);
  // Decisions: bad values and need-to-know.
  decision.due_date = "2000-01-01";
  EXPECT_EQ(cases_->AddReviewDecision(chief_, older->kase.id, decision, Info()).status().field(),
            "due_date");
  decision.due_date = "";
  decision.decision = "";
  EXPECT_EQ(cases_->AddReviewDecision(chief_, older->kase.id, decision, Info()).status().field(),
            "decision");
  decision.decision = "x";
  EXPECT_EQ(cases_->AddReviewDecision(officer_, older->kase.id, decision, Info()).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(cases_->ReviewDecisions(chief_, older->kase.id)->size(), 1u);
}

TEST_P(InformTest, RemindersGoOnceToEachOfficerAndOneDigestADay) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->kase.id;
  ASSERT_TRUE(cases_->AssignOfficer(chief_, id, 2, Info()).ok());
  // Five days on: acknowledgement (3 business days) and assessment_referral (7 days) are late
  // or due soon.
  clock_.Advance(5 * kDay);
  auto digests = cases_->PendingReminders(7);
  ASSERT_TRUE(digests.ok()) << digests.status().ToString();
  ASSERT_EQ(digests->size(), 1u);
  const auto& digest = digests->front();
  EXPECT_EQ(digest.recipient, "officer");
  ASSERT_FALSE(digest.items.empty());
  EXPECT_EQ(digest.items.front().reference, made->kase.reference);
  ASSERT_TRUE(cases_->MarkReminderSent(digest).ok());
  EXPECT_EQ(AuditCount("cases.reminders.sent"), 1);
  EXPECT_TRUE(cases_->PendingReminders(7)->empty());  // one digest a day
  clock_.Advance(kDay);
  // The next day: only what changed (an item newly overdue), never the same item twice.
  auto next = cases_->PendingReminders(7);
  ASSERT_TRUE(next.ok());
  for (const auto& d : *next) {
    for (const auto& item : d.items) {
      for (const auto& sent : digest.items) {
        EXPECT_FALSE(item.rule == sent.rule && item.due_at == sent.due_at &&
                     item.state == sent.state);
      }
    }
  }
}

TEST_P(InformTest, TheReporterSeesTheStepOfTheCaseTheirComplaintBecame) {
  const std::int64_t complaint = ReadyComplaint();
  auto step = [&]() {
    return db().Read<std::optional<PublicStatus>>(
        [&](Connection& c) { return cases_->ReporterStepOfComplaint(c, complaint); });
  };
  EXPECT_FALSE(step()->has_value());
  auto made = NewCaseFrom({complaint});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(step()->value(), PublicStatus::kBeingAssessed);
  const std::int64_t id = made->kase.id;
  ASSERT_TRUE(Move(id, CaseStatus::kUnderAssessment).ok());
  ASSERT_TRUE(Move(id, CaseStatus::kReferredForInvestigation).ok());
  EXPECT_EQ(step()->value(), PublicStatus::kReferredForInvestigation);
  ASSERT_TRUE(Move(id, CaseStatus::kUnderInvestigation, "oios").ok());
  EXPECT_EQ(step()->value(), PublicStatus::kInvestigationUnderWay);
  ASSERT_TRUE(Move(id, CaseStatus::kReportReceived).ok());
  EXPECT_EQ(step()->value(), PublicStatus::kInvestigationConcluded);
}

TEST_P(InformTest, RetentionPurgesContactsTheirSealedNotesDecisionsAndReminders) {
  auto made = NewCaseFrom({ReadyComplaint()});
  ASSERT_TRUE(made.ok());
  const std::int64_t id = made->kase.id;
  const std::int64_t victim = made->kase.victims.at(0).id;
  ASSERT_TRUE(
      cases_->AddVictimContact(chief_, id, victim, {Today(), "phone", "Synthetic note."}, Info())
          .ok());
  ReviewDecision decision;
  decision.meeting_date = Today();
  decision.decision = "Synthetic decision.";
  ASSERT_TRUE(cases_->AddReviewDecision(chief_, id, decision, Info()).ok());
  clock_.Advance(5 * kDay);
  auto digests = cases_->PendingReminders(7);
  ASSERT_TRUE(digests.ok() && !digests->empty());
  ASSERT_TRUE(cases_->MarkReminderSent(digests->front()).ok());
  auto purged = db().Write<CasesService::PurgeCounts>(
      [&](Connection& c) { return cases_->PurgeCases(c, {id}); });
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(purged->cases, 1);
  EXPECT_EQ(purged->vault_items, 3);  // the victim's and the subject's identities, the note
  auto left = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    std::int64_t rows = 0;
    for (const char* table : {"case_victim_contacts", "case_review_decisions", "case_reminders"}) {
      ASSIGN_OR_RETURN(auto row, c.QueryOne(std::string("SELECT COUNT(*) FROM ") + table));
      rows += row->Int(0);
    }
    return rows;
  });
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, 0);
}

PSEA_INSTANTIATE_ENGINE_TEST(InformTest);

}  // namespace
}  // namespace psea::cases
