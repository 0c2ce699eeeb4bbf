// The intake service on both engines: sealing and need-to-know, receipt codes and their
// throttling, the queue's actions. Names, numbers and narratives are made up.
#include "modules/intake/service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "modules/intake/generator.h"
#include "modules/intake/receipt.h"
#include "security/crypto.h"
#include "storage/testing/test_databases.h"

namespace psea::intake {
namespace {

using security::Principal;
using security::Role;
using storage::Connection;
using ::testing::HasSubstr;

constexpr UnixMillis kStart = 1795883729000;  // 2026-11-28T16:35:29Z
constexpr std::int64_t kMinute = 60 * 1000;
constexpr const char* kNarrative = "Synthetic narrative: Zorbatine Quellmarsh saw it at the well.";

class IntakeServiceTest : public storage::testdb::EngineTest {
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
    ASSERT_TRUE(storage::Migrate(db(), migrations, storage::InstanceKind::kProduction).ok());
    chief_ = AddStaff(1, "chief", Role::kCdtChief);
    officer_ = AddStaff(2, "officer", Role::kCdtOfficer);
    operator_ = AddStaff(3, "operator", Role::kIntakeOperator);
    focal_ = AddStaff(4, "focal", Role::kCbcmFocalPoint);
    leader_ = AddStaff(5, "leader", Role::kLeadership);
    IntakeSettings settings;
    files_dir_ = std::filesystem::path(::testing::TempDir()) /
                 ("psea-intake-" + security::HexEncode(security::RandomBytes(6)));
    std::filesystem::create_directories(files_dir_);
    settings.files_dir = files_dir_.string();
    // The step-up a chief gives: their name as password and the code 123456.
    settings.verify_step_up = [](const Principal& principal, const security::StepUpProof& proof,
                                 const std::string&, const std::string&) -> Status {
      if (proof.password != "pw-" + principal.username) {
        return Status(ErrorCode::kInvalidCredentials, "wrong password", "current_password");
      }
      if (proof.totp_code != "123456") {
        return Status(ErrorCode::kTotpInvalid, "wrong code", "totp_code");
      }
      return Status::Ok();
    };
    settings.on_readers_changed = [this](const security::ReaderChange& change) {
      announced_.push_back(change.username + ":" +
                           std::string(security::ReaderChangeName(change.kind)));
    };
    service_ = std::make_unique<IntakeService>(
        db(), clock_, audit_, vault_, keyring_, security::SecretBytes(security::RandomBytes(32)),
        [this]() -> Result<std::vector<StaffMember>> { return staff_; }, settings);
    // The first reader is designated from the console with the recovery key.
    auto recovery = db().Write<std::string>([&](Connection& c) { return vault_.InitRecovery(c); });
    ASSERT_TRUE(recovery.ok()) << recovery.status().ToString();
    recovery_key_ = *recovery;
    auto designated = service_->AddReaderFromConsole("chief", recovery_key_, Info());
    ASSERT_TRUE(designated.ok()) << designated.status().ToString();
    announced_.clear();
    service_->SetDefaultPlaces(
        {{{"FO-BGI", "Bangui"}},
         {{"OMP", "Ombella-M'Poko", {{"OMP-BOA", "Boali", {{"Boali"}}, "FO-BGI"}}, ""},
          {"BGI", "Bangui", {{"BGI-BGI", "Bangui", {{"Bangui"}, {"Bimbo"}}, "FO-BGI"}}, "CF71"}},
         {{"S-MPOKO", "M'Poko", "idp_site", "BGI-BGI"}}});
  }

  // A staff member with vault keys, signed in (session id = user id, key unlocked).
  Principal AddStaff(std::int64_t id, const std::string& name, Role role) {
    staff_.push_back({id, name, "Synthetic " + name, role, false});
    // Generated for this run: no password is written in the tests.
    const std::string password = security::RandomToken(24);
    EXPECT_TRUE(
        db().WriteTransaction([&](Connection& c) { return vault_.CreateUserKeys(c, id, password); })
            .ok());
    auto key = db().Read<security::UnlockedKey>(
        [&](Connection& c) { return vault_.UnlockUserKey(c, id, password); });
    EXPECT_TRUE(key.ok());
    keyring_.Put(id, std::move(key).value(), kStart + 24 * 60 * kMinute, kStart);
    Principal principal;
    principal.user_id = id;
    principal.username = name;
    principal.role = role;
    principal.session_id = id;
    principal.verified_at = kStart;  // signed in with 2FA just now
    return principal;
  }

  static NewComplaint Sample() {
    NewComplaint n;
    n.channel = Channel::kHotline4044;
    n.reporter_relation = "witness";
    n.anonymous = false;
    n.contact_consent = true;
    n.contact_method = "phone";
    n.prefecture = "OMP";
    n.town = "Bimbo";
    n.incident_date_precision = "month";
    n.incident_date = "2026-10";
    n.victims = {{15, "minor", "female", "unknown"}};
    n.perpetrators = {{"military_contingent", "FR", "Battalion 7", "Sergeant", "unknown"}};
    n.identifying.reporter_name = "Ardelia Vonchen";
    n.identifying.reporter_phone = "+23670000001";
    n.identifying.narrative = kNarrative;
    n.identifying.victim_names = {"Pellora Synthetique"};
    return n;
  }

  std::int64_t AuditCount(const std::string& action) {
    auto entries = db().Read<std::vector<security::AuditEntry>>([&](Connection& c) {
      security::AuditFilter filter;
      filter.action = action;
      return security::AuditLog::Query(c, filter);
    });
    return entries.ok() ? static_cast<std::int64_t>(entries->size()) : -1;
  }

  static RequestInfo Info(const std::string& address = "192.0.2.10") {
    return RequestInfo{address, "req-test"};
  }

  FakeClock clock_{kStart};
  security::AuditLog audit_{clock_};
  security::Vault vault_{clock_, security::CostFromProfile("fast"),
                         security::SecretBytes(security::RandomBytes(32))};
  security::KeyRing keyring_;
  std::vector<StaffMember> staff_;
  std::vector<std::string> announced_;
  std::string recovery_key_;
  std::filesystem::path files_dir_;

  void TearDown() override {
    std::error_code ignored;
    if (!files_dir_.empty()) std::filesystem::remove_all(files_dir_, ignored);
    EngineTest::TearDown();
  }
  Principal chief_, officer_, operator_, focal_, leader_;
  std::unique_ptr<IntakeService> service_;
};

TEST_P(IntakeServiceTest, StaffEntryIsSealedForTheReadersOnly) {
  auto submitted = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  const std::int64_t id = submitted->complaint.id;
  EXPECT_TRUE(submitted->complaint.urgent);  // a child
  EXPECT_THAT(submitted->complaint.reference, ::testing::StartsWith("C-2026-"));
  EXPECT_EQ(submitted->receipt_code.size(), 19u);

  auto as_chief = service_->Get(chief_, id, Info());
  ASSERT_TRUE(as_chief.ok()) << as_chief.status().ToString();
  EXPECT_TRUE(as_chief->identifying_open);
  EXPECT_EQ(as_chief->identifying.narrative, kNarrative);
  EXPECT_EQ(as_chief->identifying.victim_names.at(0), "Pellora Synthetique");

  // An officer the chief has not named works the queue but cannot read identities.
  auto as_officer = service_->Get(officer_, id, Info());
  ASSERT_TRUE(as_officer.ok());
  EXPECT_FALSE(as_officer->can_read_identifying);
  EXPECT_FALSE(as_officer->identifying_open);
  EXPECT_TRUE(as_officer->identifying.narrative.empty());

  // The operator who typed it sees the clear half of their own entry, not its identities.
  auto as_author = service_->Get(operator_, id, Info());
  ASSERT_TRUE(as_author.ok());
  EXPECT_FALSE(as_author->can_read_identifying);
  EXPECT_TRUE(as_author->identifying.narrative.empty());

  EXPECT_EQ(service_->Get(focal_, id, Info()).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->Get(leader_, id, Info()).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Queue(leader_, {}).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->Queue(focal_, {})->empty());
  EXPECT_EQ(service_->Queue(operator_, {})->size(), 1u);

  // Each opening of identities is in the audit chain.
  auto entries = db().Read<std::vector<security::AuditEntry>>([&](Connection& c) {
    security::AuditFilter filter;
    filter.action = "intake.complaint.read_identifying";
    return security::AuditLog::Query(c, filter);
  });
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 1u);
}

std::optional<security::StepUpProof> ProofOf(const Principal& actor) {
  return security::StepUpProof{"pw-" + actor.username, "123456"};
}

TEST_P(IntakeServiceTest, AReaderAddsAReaderWithStepUpAndTheyReadEarlierComplaints) {
  auto submitted = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(submitted.ok());
  const std::int64_t id = submitted->complaint.id;
  // Only a reader who holds intake.readers, and only with the step-up.
  EXPECT_EQ(service_->AddReader(officer_, officer_.user_id, ProofOf(officer_), Info()).code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->AddReader(chief_, officer_.user_id, std::nullopt, Info()).field(),
            "current_password");
  EXPECT_EQ(
      service_
          ->AddReader(chief_, officer_.user_id, security::StepUpProof{"pw-chief", "000000"}, Info())
          .field(),
      "totp_code");
  EXPECT_EQ(service_->AddReader(chief_, operator_.user_id, ProofOf(chief_), Info()).field(),
            "user_id");  // not a CDT chief or officer
  EXPECT_FALSE(service_->Get(officer_, id, Info())->identifying_open);

  ASSERT_TRUE(service_->AddReader(chief_, officer_.user_id, ProofOf(chief_), Info()).ok());
  EXPECT_EQ(service_->AddReader(chief_, officer_.user_id, ProofOf(chief_), Info()).code(),
            ErrorCode::kConflict);
  auto as_officer = service_->Get(officer_, id, Info());
  ASSERT_TRUE(as_officer.ok());
  EXPECT_TRUE(as_officer->identifying_open);
  EXPECT_EQ(as_officer->identifying.reporter_phone, "+23670000001");
  EXPECT_EQ(announced_, std::vector<std::string>{"officer:added"});

  // Removed: the wraps go at once, not at the next sealing.
  ASSERT_TRUE(service_->RemoveReader(chief_, officer_.user_id, ProofOf(chief_), Info()).ok());
  EXPECT_FALSE(service_->Get(officer_, id, Info())->identifying_open);
  auto wraps = db().Read<std::vector<std::int64_t>>([&](Connection& c) {
    return vault_.Readers(c, service_->Get(chief_, id, Info())->complaint.sealed_item);
  });
  EXPECT_EQ(*wraps, std::vector<std::int64_t>{chief_.user_id});

  // The last reader cannot be removed; every change is logged for the readers to see.
  EXPECT_EQ(service_->RemoveReader(chief_, chief_.user_id, ProofOf(chief_), Info()).code(),
            ErrorCode::kConflict);
  auto overview = service_->Readers(chief_);
  ASSERT_TRUE(overview.ok());
  ASSERT_EQ(overview->changes.size(), 3u);  // console add, add, remove
  EXPECT_EQ(overview->changes[0].kind, security::ReaderChangeKind::kRemoved);
  EXPECT_EQ(overview->changes[2].by_name, "console");
  EXPECT_EQ(overview->unseen_changes, 0);  // the chief made them (or was the one added)
  EXPECT_EQ(AuditCount("intake.readers.add"), 2);
  EXPECT_EQ(AuditCount("intake.readers.remove"), 1);
}

TEST_P(IntakeServiceTest, AChiefWhomNoReaderAddedReadsNothing) {
  // What an administrator can do: create (or promote) a chief. That chief is eligible only.
  const Principal made = AddStaff(9, "madechief", Role::kCdtChief);
  auto before = service_->Submit(operator_, Sample(), Info());
  auto after = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(before.ok() && after.ok());
  for (std::int64_t id : {before->complaint.id, after->complaint.id}) {
    auto as_made = service_->Get(made, id, Info());
    ASSERT_TRUE(as_made.ok());
    EXPECT_FALSE(as_made->can_read_identifying);
    EXPECT_FALSE(as_made->identifying_open);
  }
  auto wraps = db().Read<std::vector<std::int64_t>>([&](Connection& c) {
    return vault_.Readers(
        c, service_->Get(chief_, after->complaint.id, Info())->complaint.sealed_item);
  });
  EXPECT_EQ(*wraps, std::vector<std::int64_t>{chief_.user_id});
  // Nor can they make themselves one.
  EXPECT_EQ(service_->AddReader(made, made.user_id, ProofOf(made), Info()).code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(IntakeServiceTest, TheConsoleNeedsTheRecoveryKeyAndGrantsFromIt) {
  auto submitted = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(submitted.ok());
  auto wrong = service_->AddReaderFromConsole(
      "officer", security::Base64Encode(security::RandomBytes(32)), Info());
  EXPECT_EQ(wrong.status().field(), "recovery_key");
  EXPECT_EQ(service_->AddReaderFromConsole("operator", recovery_key_, Info()).status().field(),
            "user_id");
  auto granted = service_->AddReaderFromConsole("officer", recovery_key_, Info());
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_GE(*granted, 1);
  EXPECT_TRUE(service_->Get(officer_, submitted->complaint.id, Info())->identifying_open);
  ASSERT_TRUE(service_->RemoveReaderFromConsole("officer", Info()).ok());
  EXPECT_FALSE(service_->Get(officer_, submitted->complaint.id, Info())->identifying_open);
  EXPECT_EQ(service_->RemoveReaderFromConsole("chief", Info()).code(), ErrorCode::kConflict);
}

TEST_P(IntakeServiceTest, IdentitiesNeedARecentProofOfPresence) {
  auto submitted = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(submitted.ok());
  auto attachment = service_->AddAttachment(operator_, submitted->complaint.id, "note.txt",
                                            "synthetic attachment text", Info());
  ASSERT_TRUE(attachment.ok()) << attachment.status().ToString();
  auto quarantined =
      service_->Quarantine("email", "synthetic raw message", InvalidArgument("unreadable"), Info());
  ASSERT_TRUE(quarantined.ok());

  clock_.Advance(security::kReauthWindowMillis + 1000);  // a stolen cookie, 15 minutes on
  auto detail = service_->Get(chief_, submitted->complaint.id, Info());
  ASSERT_TRUE(detail.ok());
  EXPECT_TRUE(detail->can_read_identifying);
  EXPECT_TRUE(detail->reauth_required);
  EXPECT_FALSE(detail->identifying_open);
  EXPECT_TRUE(detail->identifying.narrative.empty());
  EXPECT_EQ(service_->ReadAttachment(chief_, submitted->complaint.id, attachment->id, Info())
                .status()
                .code(),
            ErrorCode::kReauthRequired);
  EXPECT_EQ(service_->OpenQuarantined(chief_, *quarantined, Info()).status().code(),
            ErrorCode::kReauthRequired);

  Principal fresh = chief_;
  fresh.verified_at = clock_.Now();
  EXPECT_TRUE(service_->Get(fresh, submitted->complaint.id, Info())->identifying_open);
  EXPECT_TRUE(service_->OpenQuarantined(fresh, *quarantined, Info()).ok());
}

TEST_P(IntakeServiceTest, OpeningTheQuarantineChecksTheReaderList) {
  auto quarantined =
      service_->Quarantine("email", "synthetic raw message", InvalidArgument("unreadable"), Info());
  ASSERT_TRUE(quarantined.ok());
  // An officer works the queue (intake.queue) but is no reader.
  EXPECT_EQ(service_->OpenQuarantined(officer_, *quarantined, Info()).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_TRUE(service_->OpenQuarantined(chief_, *quarantined, Info()).ok());
}

TEST_P(IntakeServiceTest, ReceiptCodesFollowUpAndCarryMessages) {
  NewComplaint n = Sample();
  n.anonymous = true;
  n.identifying.reporter_name.clear();
  auto submitted = service_->SubmitPublic(n, Info());
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->complaint.channel, Channel::kWebForm);
  const std::string code = submitted->receipt_code;

  auto view = service_->FollowUp(code, Info());
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->status, PublicStatus::kReceived);
  EXPECT_TRUE(view->messages.empty());

  // Read back forgivingly: lower case, no dashes, O for 0.
  std::string loose;
  for (char c : code) {
    if (c != '-') loose += static_cast<char>(c == '0' ? 'o' : std::tolower(c));
  }
  EXPECT_TRUE(service_->FollowUp(loose, Info()).ok());

  ASSERT_TRUE(
      service_
          ->ReplyToReporter(chief_, submitted->complaint.id, "Merci, nous vous écoutons.", Info())
          .ok());
  ASSERT_TRUE(service_->ReporterMessage(code, "Je peux parler mardi.", Info()).ok());
  view = service_->FollowUp(code, Info());
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->messages.size(), 2u);
  EXPECT_FALSE(view->messages[0].from_reporter);
  EXPECT_EQ(view->messages[0].text, "Merci, nous vous écoutons.");
  EXPECT_EQ(view->messages[1].text, "Je peux parler mardi.");

  auto detail = service_->Get(chief_, submitted->complaint.id, Info());
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->messages.at(1).text, "Je peux parler mardi.");
  EXPECT_EQ(detail->complaint.unread_from_reporter, 1);
  EXPECT_EQ(service_->Get(chief_, submitted->complaint.id, Info())->complaint.unread_from_reporter,
            0);

  ASSERT_TRUE(
      service_->SetStatus(chief_, submitted->complaint.id, ComplaintStatus::kAssessing, Info())
          .ok());
  EXPECT_EQ(service_->FollowUp(code, Info())->status, PublicStatus::kBeingAssessed);
}

TEST_P(IntakeServiceTest, WrongAndMalformedCodesLookTheSame) {
  ASSERT_TRUE(service_->SubmitPublic(Sample(), Info()).ok());
  const auto wrong = service_->FollowUp(NewReceiptCode(), Info("192.0.2.1"));
  const auto malformed = service_->FollowUp("not a code", Info("192.0.2.2"));
  EXPECT_EQ(wrong.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(malformed.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(wrong.status().message(), malformed.status().message());
  EXPECT_EQ(service_->ReporterMessage(NewReceiptCode(), "hello", Info("192.0.2.3")).code(),
            ErrorCode::kNotFound);
}

TEST_P(IntakeServiceTest, ReceiptLookupsAreThrottledPerAddress) {
  auto submitted = service_->SubmitPublic(Sample(), Info());
  ASSERT_TRUE(submitted.ok());
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(service_->FollowUp(NewReceiptCode(), Info("198.51.100.7")).status().code(),
              ErrorCode::kNotFound);
  }
  // The eleventh within the minute is refused, even with the right code.
  EXPECT_EQ(service_->FollowUp(submitted->receipt_code, Info("198.51.100.7")).status().code(),
            ErrorCode::kRateLimited);
  EXPECT_TRUE(service_->FollowUp(submitted->receipt_code, Info("198.51.100.8")).ok());
  clock_.Advance(kMinute);
  EXPECT_TRUE(service_->FollowUp(submitted->receipt_code, Info("198.51.100.7")).ok());
}

TEST_P(IntakeServiceTest, PublicReportsAreLimitedPerSlash64AndForEverybody) {
  IntakeSettings settings;
  settings.public_submissions_per_address_per_hour = 2;
  settings.public_submissions_per_minute = 3;
  IntakeService service(
      db(), clock_, audit_, vault_, keyring_, security::SecretBytes(security::RandomBytes(32)),
      [this]() -> Result<std::vector<StaffMember>> { return staff_; }, settings);
  service.SetDefaultPlaces(
      {{}, {{"OMP", "Ombella-M'Poko", {{"OMP-BOA", "Boali", {{"Boali"}}, ""}}, ""}}, {}});
  NewComplaint n = Sample();
  n.prefecture = "";
  n.town = "";
  // Two addresses of one /64 are one reporter: the third report from that /64 waits.
  ASSERT_TRUE(service.SubmitPublic(n, Info("2001:db8:5:5::1")).ok());
  ASSERT_TRUE(service.SubmitPublic(n, Info("2001:db8:5:5:aaaa::2")).ok());
  const Status mine = service.SubmitPublic(n, Info("2001:db8:5:5::3")).status();
  EXPECT_EQ(mine.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(mine.field(), "");
  EXPECT_GT(mine.retry_after_seconds(), 0);
  // A refused report is not counted for everybody: one more from elsewhere still passes.
  ASSERT_TRUE(service.SubmitPublic(n, Info("::ffff:192.0.2.1")).ok());
  const Status all = service.SubmitPublic(n, Info("192.0.2.2")).status();
  EXPECT_EQ(all.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(all.field(), kAllReportersField);
  EXPECT_LE(all.retry_after_seconds(), 60);
  clock_.Advance(kMinute);
  EXPECT_TRUE(service.SubmitPublic(n, Info("192.0.2.2")).ok());
  // The address limit is per hour: the /64 still waits a minute later.
  EXPECT_EQ(service.SubmitPublic(n, Info("2001:db8:5:5::4")).status().code(),
            ErrorCode::kRateLimited);
}

TEST_P(IntakeServiceTest, ValidationNamesTheField) {
  auto field_of = [&](auto change) {
    NewComplaint n = Sample();
    change(n);
    return service_->Submit(operator_, n, Info()).status().field();
  };
  EXPECT_EQ(field_of([](NewComplaint& n) { n.reporter_relation = "cousin"; }), "reporter_relation");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.incident_date = "2026-13"; }), "incident_date");
  EXPECT_EQ(field_of([](NewComplaint& n) {
              n.incident_date_precision = "exact";
              n.incident_date = "2026-02-30";
            }),
            "incident_date");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.identifying.reporter_phone.clear(); }),
            "reporter_phone");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.identifying.narrative = "  \n"; }), "narrative");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.victims[0].age_group = "adult"; }),
            "victims[0].age_group");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.perpetrators[0].category = "pirate"; }),
            "perpetrators[0].category");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.town = std::string("\xC3\x28", 2); }), "town");
  EXPECT_EQ(field_of([](NewComplaint& n) { n.channel = Channel::kWebForm; }), "channel");
  // Nothing was written.
  EXPECT_TRUE(service_->Queue(chief_, {})->empty());
}

TEST_P(IntakeServiceTest, TheQueuePutsUrgentFirstAndAlertsUntilAcknowledged) {
  NewComplaint calm = Sample();
  calm.victims = {{30, "adult", "female"}};
  auto first = service_->Submit(operator_, calm, Info());
  clock_.Advance(kMinute);
  NewComplaint urgent = calm;
  urgent.risk_danger = true;
  auto second = service_->Submit(operator_, urgent, Info());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_FALSE(first->complaint.urgent);
  auto queue = service_->Queue(chief_, {});
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ(queue->at(0).id, second->complaint.id);
  EXPECT_EQ(*service_->UnacknowledgedUrgent(chief_), 1);
  ASSERT_TRUE(service_->Acknowledge(officer_, second->complaint.id, Info()).ok());
  EXPECT_EQ(*service_->UnacknowledgedUrgent(chief_), 0);
  EXPECT_EQ(service_->Acknowledge(operator_, second->complaint.id, Info()).code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(IntakeServiceTest, DuplicatesNotSeaAndCases) {
  auto a = service_->Submit(operator_, Sample(), Info());
  auto b = service_->Submit(operator_, Sample(), Info());
  auto c = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(service_->MarkDuplicate(chief_, b->complaint.id, a->complaint.id, Info()).ok());
  EXPECT_EQ(service_->MarkDuplicate(chief_, a->complaint.id, b->complaint.id, Info()).code(),
            ErrorCode::kConflict);
  EXPECT_EQ(service_->Get(chief_, a->complaint.id, Info())->duplicates,
            std::vector<std::int64_t>{b->complaint.id});
  // SEA by a partner's staff: handed to the partner (no longer open, still SEA).
  Assessment assessment;
  assessment.is_sea = true;
  assessment.category = "sexual_abuse";
  assessment.type = "sexual_assault";
  assessment.affiliation = "implementing_partner";
  ASSERT_TRUE(service_->Assess(chief_, c->complaint.id, assessment, Info()).ok());
  RouteRequest handover;
  handover.route = Route::kHandedOver;
  handover.entity = "Synthetic partner";
  ASSERT_TRUE(service_->RouteComplaint(chief_, c->complaint.id, handover, Info()).ok());
  EXPECT_EQ(service_->Queue(chief_, {})->size(), 1u);

  auto taken = service_->TakeForCase(chief_, {a->complaint.id, c->complaint.id}, Info());
  EXPECT_EQ(taken.status().code(), ErrorCode::kConflict);  // c is closed: nothing changes
  EXPECT_EQ(service_->Get(chief_, a->complaint.id, Info())->complaint.status,
            ComplaintStatus::kNew);
  taken = service_->TakeForCase(chief_, {a->complaint.id}, Info());
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(service_->FollowUp(a->receipt_code, Info())->status,
            PublicStatus::kReferredForInvestigation);
}

TEST_P(IntakeServiceTest, PlacesComeFromTheListAndTheCdtEditsIt) {
  NewComplaint n = Sample();
  n.prefecture = "XXX";
  EXPECT_EQ(service_->Submit(operator_, n, Info()).status().field(), "prefecture");
  n.prefecture = "OMP";
  n.sub_prefecture = "BGI-BGI";
  EXPECT_EQ(service_->Submit(operator_, n, Info()).status().field(), "sub_prefecture");
  n.sub_prefecture = "OMP-BOA";
  ASSERT_TRUE(service_->Submit(operator_, n, Info()).ok());

  auto places = *service_->Places();
  ASSERT_EQ(places->prefectures.size(), 2u);
  PlacesList edited = *places;
  edited.prefectures.push_back({"NEW", "Nouvelle", {{"NEW-ONE", "Une", {{"Ville"}}, ""}}, ""});
  EXPECT_EQ(service_->ReplacePlaces(operator_, edited, Info()).code(),
            ErrorCode::kPermissionDenied);
  edited.prefectures.push_back({"NEW", "Twice", {}, ""});
  EXPECT_EQ(service_->ReplacePlaces(chief_, edited, Info()).field(), "prefectures[3].code");
  edited.prefectures.pop_back();
  ASSERT_TRUE(service_->ReplacePlaces(chief_, edited, Info()).ok());
  n.prefecture = "NEW";
  n.sub_prefecture = "NEW-ONE";
  EXPECT_TRUE(service_->Submit(operator_, n, Info()).ok());
  // Another service on the same database reads the stored list, not its own defaults.
  IntakeService other(db(), clock_, audit_, vault_, keyring_,
                      security::SecretBytes(security::RandomBytes(32)),
                      [this]() -> Result<std::vector<StaffMember>> { return staff_; });
  EXPECT_EQ((*other.Places())->prefectures.size(), 3u);
}

TEST_P(IntakeServiceTest, FieldOfficesAndSitesAreCheckedAgainstTheList) {
  NewComplaint n = Sample();
  n.site = "S-NOWHERE";
  const Status unknown = service_->Submit(operator_, n, Info()).status();
  EXPECT_EQ(unknown.code(), ErrorCode::kUnprocessable);
  EXPECT_EQ(unknown.field(), "site");
  n.site = "S-MPOKO";
  auto submitted = service_->Submit(operator_, n, Info());
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->complaint.site, "S-MPOKO");

  PlacesList edited = **service_->Places();
  EXPECT_EQ(FieldOfficeOf(edited, "BGI-BGI"), "FO-BGI");
  edited.prefectures[0].sub_prefectures[0].field_office = "FO-XXX";
  EXPECT_EQ(service_->ReplacePlaces(chief_, edited, Info()).field(),
            "prefectures[0].sub_prefectures[0].field_office");
  edited = **service_->Places();
  edited.field_offices.push_back({"FO-BGI", "Twice"});
  EXPECT_EQ(service_->ReplacePlaces(chief_, edited, Info()).field(), "field_offices[1].code");
  edited = **service_->Places();
  edited.sites.push_back({"S-NEW", "New", "camp", "BGI-BGI"});
  EXPECT_EQ(service_->ReplacePlaces(chief_, edited, Info()).field(), "sites[1].type");
  edited.sites.back().type = "other";
  edited.sites.back().sub_prefecture = "BGI";
  EXPECT_EQ(service_->ReplacePlaces(chief_, edited, Info()).field(), "sites[1].sub_prefecture");
  edited.sites.back().sub_prefecture = "OMP-BOA";
  ASSERT_TRUE(service_->ReplacePlaces(chief_, edited, Info()).ok());
  n.site = "S-NEW";
  EXPECT_TRUE(service_->Submit(operator_, n, Info()).ok());
}

TEST_P(IntakeServiceTest, AListStoredBeforeFieldOfficesAndSitesStillLoads) {
  // What databases written before kept: a bare array of prefectures.
  ASSERT_TRUE(db().WriteTransaction([](Connection& c) -> Status {
                    RETURN_IF_ERROR(c.Execute("DELETE FROM intake_places").status());
                    return c
                        .Execute(
                            "INSERT INTO intake_places (id, tree, updated_at, updated_by) "
                            "VALUES (1, ?, 0, 'old')",
                            {std::string(R"([{"code":"OUA","name":"Ouaka","sub_prefectures":)"
                                         R"([{"code":"OUA-BAM","name":"Bambari",)"
                                         R"("towns":["Bambari"]}]}])")})
                        .status();
                  })
                  .ok());
  IntakeService fresh(db(), clock_, audit_, vault_, keyring_,
                      security::SecretBytes(security::RandomBytes(32)),
                      [this]() -> Result<std::vector<StaffMember>> { return staff_; });
  auto places = fresh.Places();
  ASSERT_TRUE(places.ok()) << places.status().ToString();
  ASSERT_EQ((*places)->prefectures.size(), 1u);
  EXPECT_EQ((*places)->prefectures[0].sub_prefectures.at(0).towns.at(0).name, "Bambari");
  EXPECT_TRUE((*places)->field_offices.empty());
  EXPECT_TRUE((*places)->sites.empty());
  NewComplaint n = Sample();
  n.prefecture = "OUA";
  n.sub_prefecture = "OUA-BAM";
  EXPECT_TRUE(fresh.Submit(operator_, n, Info()).ok());
}

TEST_P(IntakeServiceTest, PartnersSeeOnlyTheirOwnSubmissions) {
  Principal token;
  token.kind = Principal::Kind::kToken;
  token.user_id = chief_.user_id;
  token.username = "token:9";
  token.token_id = 9;
  token.scopes = {"intake.partner"};
  Principal other = token;
  other.token_id = 10;
  auto submitted = service_->SubmitPartner(token, Sample(), Info());
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->complaint.channel, Channel::kPartner);
  EXPECT_EQ(service_->PartnerSubmissions(token)->size(), 1u);
  EXPECT_TRUE(service_->PartnerSubmissions(other)->empty());
  Principal sms = token;
  sms.scopes = {"intake.sms"};
  EXPECT_EQ(service_->SubmitPartner(sms, Sample(), Info()).status().code(),
            ErrorCode::kPermissionDenied);
}

TEST_P(IntakeServiceTest, SmsSendersAreForgottenAfterTheJoinWindowAndOnClosing) {
  Principal gateway;
  gateway.kind = Principal::Kind::kToken;
  gateway.username = "token:7";
  gateway.token_id = 7;
  gateway.scopes = {"intake.sms"};
  auto sender_column = [&](std::int64_t id) {
    return db().Read<std::optional<std::string>>(
        [&](Connection& c) -> Result<std::optional<std::string>> {
          ASSIGN_OR_RETURN(
              auto row, c.QueryOne("SELECT sms_sender FROM intake_complaints WHERE id = ?", {id}));
          return row->OptText(0);
        });
  };
  auto first = service_->ReceiveSms(
      gateway, {"+23670000011", "synthetic first part", "g-1", {}, {}, {}}, Info());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(sender_column(first->complaint_id)->has_value());
  clock_.Advance(10 * kMinute);
  auto second = service_->ReceiveSms(
      gateway, {"+23670000011", "synthetic second part", "g-2", {}, {}, {}}, Info());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->joined);
  // Past the 30-minute window the hash is cleared and the next message starts a complaint.
  clock_.Advance(31 * kMinute);
  EXPECT_TRUE(service_->UnacknowledgedUrgent(chief_).ok());  // the once-a-minute sweep
  EXPECT_FALSE(sender_column(first->complaint_id)->has_value());
  auto third = service_->ReceiveSms(
      gateway, {"+23670000011", "synthetic new report", "g-3", {}, {}, {}}, Info());
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->joined);
  ASSERT_TRUE(sender_column(third->complaint_id)->has_value());
  // Closing it forgets the sender at once.
  Assessment assessment;
  assessment.affiliation = "unknown";
  ASSERT_TRUE(service_->Assess(chief_, third->complaint_id, assessment, Info()).ok());
  // Being assessed, it still joins nothing new: the sender went when it left new/acknowledged.
  EXPECT_FALSE(sender_column(third->complaint_id)->has_value());
  RouteRequest close;
  close.route = Route::kClosed;
  close.reason = "withdrawn";
  ASSERT_TRUE(service_->RouteComplaint(chief_, third->complaint_id, close, Info()).ok());
  EXPECT_FALSE(sender_column(third->complaint_id)->has_value());
}

// Answers in turn from `statuses` (0: no answer), the last one repeated.
class FakeHttpClient final : public http::HttpClient {
 public:
  explicit FakeHttpClient(std::vector<int> statuses) : statuses_(std::move(statuses)) {}
  Result<http::OutgoingResponse> Post(const http::OutgoingRequest& request) override {
    requests.push_back(request);
    const int status = statuses_[std::min(requests.size(), statuses_.size()) - 1];
    if (status == 0) return Status(ErrorCode::kUnavailable, "connection refused");
    return http::OutgoingResponse{status, "{}"};
  }
  std::vector<http::OutgoingRequest> requests;

 private:
  std::vector<int> statuses_;
};

TEST_P(IntakeServiceTest, TheSmsOutboxRetriesWithBackoffAndErasesWhatItSent) {
  Principal gateway;
  gateway.kind = Principal::Kind::kToken;
  gateway.username = "token:8";
  gateway.token_id = 8;
  gateway.scopes = {"intake.sms"};
  gateway.sms_gateway = "africastalking";
  SmsGatewaySettingsPatch patch;
  patch.outgoing_url = "https://api.sandbox.africastalking.com/version1/messaging";
  patch.outgoing_username = "sandbox";
  patch.outgoing_secret = "synthetic-api-key";
  patch.sender = "28901";
  ASSERT_TRUE(service_->SetGatewaySettings(chief_, 8, patch, Info()).ok());
  auto masked = service_->MaskedGatewaySettings(chief_, 8);
  ASSERT_TRUE(masked.ok());
  EXPECT_EQ(masked->outgoing_secret, "...-key");
  EXPECT_EQ(masked->outgoing_url, "https://api.sandbox.africastalking.com/version1/messaging");
  EXPECT_EQ(service_->MaskedGatewaySettings(operator_, 8).status().code(),
            ErrorCode::kPermissionDenied);

  auto receipt = service_->ReceiveSms(
      gateway, {"+23670000021", "synthetic report", "at-1", {}, {"date=2026-11-28 16:35"}, {}},
      Info());
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  auto detail = service_->Get(chief_, receipt->complaint_id, Info());
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ(detail->complaint.received_at, kStart);  // filed at the time received
  ASSERT_EQ(detail->notes.size(), 1u);
  EXPECT_THAT(detail->notes[0].text, HasSubstr("date=2026-11-28 16:35"));
  ASSERT_TRUE(service_
                  ->QueueSmsReply(gateway, "africastalking", receipt->complaint_id, "+23670000021",
                                  receipt->reply)
                  .ok());
  auto outbox = [&]() {
    return db().Read<std::pair<std::string, bool>>(
        [&](Connection& c) -> Result<std::pair<std::string, bool>> {
          ASSIGN_OR_RETURN(auto row,
                           c.QueryOne("SELECT status, sealed FROM intake_sms_outbox", {}));
          return std::make_pair(row->Text(0), row->IsNull(1));
        });
  };

  FakeHttpClient client({500, 0, 201});
  EXPECT_EQ(*service_->SendDueSmsReplies(client), 0);  // 500
  EXPECT_EQ(*service_->SendDueSmsReplies(client), 0);  // not due for 30 s
  EXPECT_EQ(client.requests.size(), 1u);
  clock_.Advance(30 * 1000);
  EXPECT_EQ(*service_->SendDueSmsReplies(client), 0);  // no answer; next in a minute
  clock_.Advance(59 * 1000);
  EXPECT_EQ(*service_->SendDueSmsReplies(client), 0);
  EXPECT_EQ(client.requests.size(), 2u);
  EXPECT_EQ(outbox()->first, "pending");
  EXPECT_FALSE(outbox()->second);
  clock_.Advance(1000);
  EXPECT_EQ(*service_->SendDueSmsReplies(client), 1);
  ASSERT_EQ(client.requests.size(), 3u);
  EXPECT_EQ(*outbox(), std::make_pair(std::string("sent"), true));  // the reply is erased

  const http::OutgoingRequest& sent = client.requests.back();
  EXPECT_EQ(sent.url, "https://api.sandbox.africastalking.com/version1/messaging");
  EXPECT_THAT(sent.body, HasSubstr("username=sandbox&to=%2B23670000021&message="));
  EXPECT_THAT(sent.body, HasSubstr("&from=28901"));
  const std::string code = receipt->reply.substr(receipt->reply.find('-') - 4, 19);
  EXPECT_THAT(sent.body, HasSubstr(code));
  bool has_key = false;
  for (const auto& [name, value] : sent.headers)
    has_key |= name == "apiKey" && value == "synthetic-api-key";
  EXPECT_TRUE(has_key);
}

TEST_P(IntakeServiceTest, TheSmsOutboxGivesUpAfterADayAndTellsTheCdt) {
  Principal gateway;
  gateway.kind = Principal::Kind::kToken;
  gateway.username = "token:9";
  gateway.token_id = 9;
  gateway.scopes = {"intake.sms"};
  gateway.sms_gateway = "android";
  auto receipt = service_->ReceiveSms(
      gateway, {"+23670000022", "synthetic report", "an-1", {}, {"receivedAt=hier"}, {}}, Info());
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  ASSERT_TRUE(
      service_
          ->QueueSmsReply(gateway, "android", receipt->complaint_id, "+23670000022", receipt->reply)
          .ok());
  FakeHttpClient client({503});
  // No outgoing_url is set: every round fails without a request.
  for (int round = 0; round < 40; ++round) {
    ASSERT_TRUE(service_->SendDueSmsReplies(client).ok());
    clock_.Advance(60 * kMinute);
  }
  EXPECT_TRUE(client.requests.empty());
  // The unparsed time's note and the failure's (their texts are sealed; the keys expired).
  auto notes = db().Read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    ASSIGN_OR_RETURN(auto row,
                     c.QueryOne("SELECT COUNT(*) FROM intake_notes WHERE complaint_id = ?",
                                {receipt->complaint_id}));
    return row->Int(0);
  });
  EXPECT_EQ(*notes, 2);
  auto status = db().Read<std::string>([&](Connection& c) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto row, c.QueryOne("SELECT status FROM intake_sms_outbox", {}));
    return row->Text(0);
  });
  EXPECT_EQ(*status, "failed");
}

TEST_P(IntakeServiceTest, PublicFreeTextIsSealedAndQuarantineReasonsAreGeneric) {
  NewComplaint n = Sample();
  n.anonymous = true;
  n.identifying.reporter_name.clear();
  n.town = "Quartier Synthetique-Zebulon";
  auto submitted = service_->SubmitPublic(n, Info());
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_TRUE(submitted->complaint.town.empty());
  auto detail = service_->Get(chief_, submitted->complaint.id, Info());
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->identifying.place_text, "Quartier Synthetique-Zebulon");

  // An e-mail with a program attached: the text is filed, the program kept in the quarantine
  // and a sealed note says so; the quarantine's clear half names no file.
  EmailMessage email;
  email.from_address = "someone@example.org";
  email.subject = "Synthetic subject";
  email.text = "Synthetic e-mail narrative.";
  email.attachments.push_back({"invoice-Yvrendale.exe", "application/octet-stream",
                               std::string("MZ\x90\x00synthetic program", 22), false});
  auto filed = service_->ReceiveEmail(email, Info());
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  auto quarantine = service_->ListQuarantine(chief_);
  ASSERT_TRUE(quarantine.ok());
  ASSERT_EQ(quarantine->size(), 1u);
  EXPECT_EQ(quarantine->at(0).channel, "email-attachment");
  EXPECT_THAT(quarantine->at(0).reason, ::testing::Not(HasSubstr("Yvrendale")));
  auto with_note = service_->Get(chief_, filed->complaint.id, Info());
  ASSERT_TRUE(with_note.ok());
  ASSERT_EQ(with_note->notes.size(), 1u);
  EXPECT_THAT(with_note->notes[0].text, HasSubstr("invoice-Yvrendale.exe"));
  EXPECT_THAT(with_note->notes[0].text, HasSubstr("quarantine"));
  EXPECT_EQ(*service_->OpenQuarantined(chief_, quarantine->at(0).id, Info()),
            std::string("MZ\x90\x00synthetic program", 22));

  // Whatever a parser said, the reason is one of the fixed words.
  auto kept = service_->Quarantine(
      "email", "raw", InvalidArgument("attachment 'secret-name-Olvandra.pdf' is broken"), Info());
  ASSERT_TRUE(kept.ok());
  auto listed = service_->ListQuarantine(chief_);
  ASSERT_TRUE(listed.ok());
  for (const auto& message : *listed) {
    EXPECT_THAT(message.reason, ::testing::Not(HasSubstr("Olvandra")));
  }
}

TEST_P(IntakeServiceTest, AnEmailWithAFileTooLargeIsFiledAndTheFileKeptAside) {
  EmailMessage email;
  email.from_address = "someone@example.org";
  email.subject = "Synthetic subject";
  email.text = "Synthetic e-mail narrative with a large video.";
  email.attachments.push_back(
      {"photo.png", "image/png", std::string("\x89PNG\r\n\x1a\nsynthetic", 17), false});
  email.attachments.push_back(
      {"video-Quenvaro.mp4", "video/mp4", std::string(64, 'v'), /*too_large=*/true});
  auto filed = service_->ReceiveEmail(email, Info());
  ASSERT_TRUE(filed.ok()) << filed.status().ToString();
  // A sender is known: how they relate to the events is not, and they are not anonymous.
  EXPECT_EQ(filed->complaint.reporter_relation, "unknown");
  EXPECT_FALSE(filed->complaint.anonymous);
  auto detail = service_->Get(chief_, filed->complaint.id, Info());
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ(detail->identifying.narrative,
            "Synthetic subject\n\nSynthetic e-mail narrative with a large video.");
  ASSERT_EQ(detail->attachments.size(), 1u);
  ASSERT_EQ(detail->notes.size(), 1u);
  EXPECT_THAT(detail->notes[0].text, HasSubstr("too large"));
  EXPECT_THAT(detail->notes[0].text, HasSubstr("video-Quenvaro.mp4"));
  auto quarantine = service_->ListQuarantine(chief_);
  ASSERT_TRUE(quarantine.ok());
  ASSERT_EQ(quarantine->size(), 1u);
  EXPECT_EQ(quarantine->at(0).channel, "email-attachment");
  EXPECT_EQ(quarantine->at(0).reason, "too large");
  EXPECT_EQ(*service_->OpenQuarantined(chief_, quarantine->at(0).id, Info()), std::string(64, 'v'));

  // Without any sender identity the reporter is anonymous.
  EmailMessage nameless;
  nameless.text = "Synthetic text from nobody.";
  auto anonymous = service_->ReceiveEmail(nameless, Info());
  ASSERT_TRUE(anonymous.ok()) << anonymous.status().ToString();
  EXPECT_EQ(anonymous->complaint.reporter_relation, "anonymous");
  EXPECT_TRUE(anonymous->complaint.anonymous);
}

TEST_P(IntakeServiceTest, TheReporterReplacesACodeThatStaffSaw) {
  auto submitted = service_->Submit(operator_, Sample(), Info());
  ASSERT_TRUE(submitted.ok());
  const std::string shared = submitted->receipt_code;
  ASSERT_TRUE(
      service_->ReplyToReporter(chief_, submitted->complaint.id, "Synthetic answer.", Info()).ok());
  auto first = service_->FollowUp(shared, Info());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->code_seen_by_staff);

  auto fresh = service_->ReplaceReceiptCode(shared, Info());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_NE(*fresh, shared);
  // The old code is dead for whoever saw it; the new one reads the thread, messages included.
  EXPECT_EQ(service_->FollowUp(shared, Info()).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->ReporterMessage(shared, "from the operator", Info()).code(),
            ErrorCode::kNotFound);
  auto later = service_->FollowUp(*fresh, Info());
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->code_seen_by_staff);
  ASSERT_EQ(later->messages.size(), 1u);
  EXPECT_EQ(later->messages[0].text, "Synthetic answer.");
  // Once only, and never for a code nobody else saw.
  EXPECT_EQ(service_->ReplaceReceiptCode(*fresh, Info()).status().code(), ErrorCode::kConflict);
  NewComplaint n = Sample();
  n.anonymous = true;
  n.identifying.reporter_name.clear();
  auto reported = service_->SubmitPublic(n, Info("192.0.2.77"));
  ASSERT_TRUE(reported.ok());
  EXPECT_FALSE(service_->FollowUp(reported->receipt_code, Info())->code_seen_by_staff);
  EXPECT_EQ(service_->ReplaceReceiptCode(reported->receipt_code, Info()).status().code(),
            ErrorCode::kConflict);
  // Follow-up views are audited as counts.
  EXPECT_EQ(AuditCount("intake.follow_up.view"), 3);  // the views that found their report
  EXPECT_EQ(AuditCount("intake.receipt.replaced"), 1);
}

TEST_P(IntakeServiceTest, NoPlaintextIdentityInTheDatabase) {
  if (engine() != storage::Engine::kSqlite) GTEST_SKIP() << "the file check is SQLite's";
  ASSERT_TRUE(service_->Submit(operator_, Sample(), Info()).ok());
  ASSERT_TRUE(service_->SubmitPublic(Sample(), Info()).ok());
  const std::string path = sqlite_path();
  service_.reset();
  CloseDatabase();
  std::string bytes;
  for (const std::string& file : {path, path + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    bytes += buffer.str();
  }
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.find("Zorbatine"), std::string::npos);
  EXPECT_EQ(bytes.find("Pellora"), std::string::npos);
  EXPECT_EQ(bytes.find("23670000001"), std::string::npos);
  EXPECT_EQ(bytes.find("Ardelia"), std::string::npos);
}

// The figures against a generated set: every count the service gives is recounted here from
// the complaints themselves.
TEST_P(IntakeServiceTest, FiguresCountAGeneratedSet) {
  ASSERT_TRUE(GenerateComplaints(*service_, 150, {operator_, focal_}, chief_, clock_.Now()).ok());
  auto figures = service_->Figures(chief_, "", "");
  ASSERT_TRUE(figures.ok()) << figures.status().ToString();
  QueueFilter all;
  all.open_only = false;
  all.limit = 500;
  auto complaints = service_->Queue(chief_, all);
  ASSERT_TRUE(complaints.ok());
  ASSERT_EQ(complaints->size(), 150u);
  EXPECT_EQ(figures->total, 150);

  std::map<std::string, std::int64_t> channels, categories, types, routes, months;
  std::vector<std::int64_t> ack_minutes;
  std::int64_t assessed = 0, within = 0;
  for (const auto& c : *complaints) {
    ++channels[std::string(ChannelName(c.channel))];
    ++months[FormatIso8601(c.received_at).substr(0, 7)];
    ++categories[c.assessment ? c.assessment->category : ""];
    if (c.assessment && !c.assessment->type.empty()) ++types[c.assessment->type];
    ++routes[c.routing ? std::string(RouteName(c.routing->route)) : ""];
    if (c.assessment) ++assessed;
    if (c.acknowledged_at) {
      const std::int64_t minutes = (*c.acknowledged_at - c.received_at) / 60000;
      ack_minutes.push_back(minutes);
      if (minutes <= (c.urgent ? 24 : 72) * 60) ++within;
    }
  }
  auto as_map = [](const std::vector<FigureItem>& items) {
    std::map<std::string, std::int64_t> out;
    for (const auto& item : items) {
      if (item.count > 0) out[item.key] = item.count;
    }
    return out;
  };
  EXPECT_EQ(as_map(figures->by_channel), channels);
  EXPECT_EQ(as_map(figures->by_category), categories);
  EXPECT_EQ(as_map(figures->by_type), types);
  EXPECT_EQ(as_map(figures->by_route), routes);
  EXPECT_EQ(as_map(figures->by_month), months);
  EXPECT_GT(types.size(), 1u);
  EXPECT_GT(routes.size(), 2u);
  ASSERT_FALSE(ack_minutes.empty());
  std::sort(ack_minutes.begin(), ack_minutes.end());
  const auto rank = [&](double share) {
    const double position =
        std::max(1.0, std::ceil(share * static_cast<double>(ack_minutes.size())));
    return static_cast<double>(ack_minutes[static_cast<std::size_t>(position) - 1]);
  };
  EXPECT_EQ(figures->acknowledgement.count, static_cast<std::int64_t>(ack_minutes.size()));
  EXPECT_DOUBLE_EQ(*figures->acknowledgement.median_hours, rank(0.5) / 60.0);
  EXPECT_DOUBLE_EQ(*figures->acknowledgement.p90_hours, rank(0.9) / 60.0);
  EXPECT_EQ(figures->acknowledgement.within_target, within);
  EXPECT_EQ(figures->assessment.count, assessed);
  // Figures are cached at a revision: any change they count computes them anew.
  auto unacknowledged = std::find_if(complaints->begin(), complaints->end(),
                                     [](const Complaint& c) { return !c.acknowledged_at; });
  ASSERT_NE(unacknowledged, complaints->end());
  ASSERT_TRUE(service_->Acknowledge(chief_, unacknowledged->id, Info()).ok());
  EXPECT_EQ(service_->Figures(chief_, "", "")->acknowledgement.count,
            figures->acknowledgement.count + 1);
  ASSERT_TRUE(service_->SetFigureTargets(chief_, {12, 48}, Info()).ok());
  EXPECT_EQ(service_->Figures(chief_, "", "")->targets.urgent_hours, 12);
  ASSERT_TRUE(service_->Submit(operator_, Sample(), Info()).ok());
  EXPECT_EQ(service_->Figures(chief_, "", "")->total, 151);
  // A period with nothing in it counts nothing, month by month.
  auto empty = service_->Figures(chief_, "2020-01", "2020-03");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->total, 0);
  EXPECT_EQ(empty->by_month.size(), 3u);
  EXPECT_EQ(service_->Figures(operator_, "", "").status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->Figures(chief_, "2026-05", "2026-01").status().code(),
            ErrorCode::kInvalidArgument);
}

PSEA_INSTANTIATE_ENGINE_TEST(IntakeServiceTest);

}  // namespace
}  // namespace psea::intake
